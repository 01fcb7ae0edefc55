"""Validation of the console's forms: plain functions returning (clean data, errors by field).

Each error is a sentence that says how to fix it; views re-render the form with status 400
and store nothing when there is any error.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext
from sqlalchemy import func, select

from service.extensions import db
from service.rounds.models import Challenge, Theme
from service.settings import SPECS

# Markdown fields are sanitised when rendered (service.markdown), so HTML can never reach an
# email or page. Refusing it at the form as well tells the admin why their tag "vanished".
_HTML_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][a-zA-Z0-9-]*(\s[^<>]*)?/?\s*>")

LIMITS = {"title": 120, "learner_task": 2000, "giver_prompt": 1500, "starter_tip": 1500}


def _markdown_error(text: str) -> str | None:
    if _HTML_TAG.search(text):
        return gettext(
            "HTML tags are not allowed here. Write Markdown instead: **bold**, *italic*, "
            "[link text](https://example.org), a line starting with '- ' for a list."
        )
    return None


def parse_links(raw: str) -> tuple[list[dict], str | None]:
    """One link per line: `Title | https://address` (or just the address)."""
    links = []
    for number, line in enumerate((raw or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        title, _, url = line.rpartition("|") if "|" in line else ("", "", line)
        title, url = title.strip(), url.strip()
        parts = urlsplit(url)
        if parts.scheme != "https" or not parts.netloc or " " in url:
            return links, gettext(
                "Line %(number)s: %(address)s is not a web address starting with https://. "
                "Write one link per line as: Title | https://address",
                number=number,
                address=repr(url or line),
            )
        links.append({"title": title or parts.netloc, "url": url})
    if len(links) > 5:
        return links, gettext("Add at most 5 links; the email should stay short.")
    return links, None


def links_text(links: list[dict]) -> str:
    return "\n".join(f"{link.get('title', '')} | {link.get('url', '')}" for link in links or [])


def challenge_form(form, *, challenge_id: int | None = None) -> tuple[dict, dict]:
    data = {
        "theme_id": form.get("theme_id", ""),
        "title": " ".join(form.get("title", "").split()),
        "learner_task": form.get("learner_task", "").strip(),
        "giver_prompt": form.get("giver_prompt", "").strip(),
        "starter_tip": form.get("starter_tip", "").strip(),
        "links_text": form.get("links", "").strip(),
    }
    errors: dict[str, str] = {}
    theme = None
    if str(data["theme_id"]).isdigit():
        theme = db.session.get(Theme, int(data["theme_id"]))
    if theme is None:
        errors["theme_id"] = gettext("Choose the theme this challenge belongs to.")
    else:
        data["theme_id"] = theme.id
    required = {
        "title": gettext(
            "Give the challenge a short title, e.g. “Turn meeting notes into a summary”."
        ),
        "learner_task": gettext("Write what the learner should try this week."),
        "giver_prompt": gettext("Write the question that helps the tip-giver share a tip."),
    }
    for name, message in required.items():
        if not data[name]:
            errors[name] = message
    for name, limit in LIMITS.items():
        if name not in errors and len(data[name]) > limit:
            errors[name] = gettext(
                "Keep this under %(limit)s characters (now %(length)s).",
                limit=limit,
                length=len(data[name]),
            )
    for name in ("learner_task", "giver_prompt", "starter_tip"):
        if name not in errors and (problem := _markdown_error(data[name])):
            errors[name] = problem
    if "title" not in errors:
        clash = select(Challenge.id).where(func.lower(Challenge.title) == data["title"].lower())
        if challenge_id is not None:
            clash = clash.where(Challenge.id != challenge_id)
        if db.session.scalar(clash) is not None:
            errors["title"] = gettext("Another challenge already has this title; choose another.")
    data["links"], link_error = parse_links(data["links_text"])
    if link_error:
        errors["links"] = link_error
    return data, errors


def theme_form(form, *, theme_id: int | None = None) -> tuple[dict, dict]:
    data = {
        "name": " ".join(form.get("name", "").split()),
        "tagline": " ".join(form.get("tagline", "").split()),
        "description": form.get("description", "").strip(),
        "position": form.get("position", "").strip(),
    }
    errors: dict[str, str] = {}
    if not data["name"]:
        errors["name"] = gettext(
            "Give the theme a name people will recognise, e.g. “Social media mastery”."
        )
    elif len(data["name"]) > 80:
        errors["name"] = gettext(
            "Keep the name under 80 characters (now %(length)s).", length=len(data["name"])
        )
    else:
        clash = select(Theme.id).where(func.lower(Theme.name) == data["name"].lower())
        if theme_id is not None:
            clash = clash.where(Theme.id != theme_id)
        if db.session.scalar(clash) is not None:
            errors["name"] = gettext("Another theme already has this name.")
    if len(data["tagline"]) > 200:
        errors["tagline"] = gettext(
            "Keep the tagline under 200 characters (now %(length)s).", length=len(data["tagline"])
        )
    if len(data["description"]) > 1000:
        errors["description"] = gettext("Keep the description under 1000 characters.")
    if data["position"] == "":
        data["position"] = None
    elif re.fullmatch(r"\d{1,3}", data["position"]):
        data["position"] = int(data["position"])
    else:
        errors["position"] = gettext(
            "Use a whole number from 0 to 999 (lower numbers are shown first)."
        )
    return data, errors


TEXT_SETTINGS = {"programme_name", "sender_name"}


def settings_form(form) -> tuple[dict, dict]:
    data: dict = {}
    errors: dict[str, str] = {}
    for key, spec in SPECS.items():
        raw = form.get(key, "").strip()
        if spec.choices_config:
            choices = current_app.config[spec.choices_config]
            if raw not in choices:
                errors[key] = gettext("Choose one of %(choices)s.", choices=", ".join(choices))
            data[key] = raw
            continue
        if isinstance(spec.default, str):
            value = " ".join(raw.split())
            if not value:
                errors[key] = gettext(
                    "%(label)s cannot be empty (default: %(default)s).",
                    label=spec.label,
                    default=spec.default,
                )
            elif len(value) > 60:
                errors[key] = gettext(
                    "Keep it under 60 characters (now %(length)s).", length=len(value)
                )
            elif re.search(r"[<>\"@]", value):
                errors[key] = gettext(
                    'Use letters, numbers and spaces; < > " and @ cannot appear here.'
                )
            data[key] = value
            continue
        try:
            value = int(raw)
        except ValueError:
            errors[key] = gettext(
                "Enter a whole number from %(minimum)s to %(maximum)s.",
                minimum=spec.minimum,
                maximum=spec.maximum,
            )
            data[key] = raw
            continue
        if (spec.minimum is not None and value < spec.minimum) or (
            spec.maximum is not None and value > spec.maximum
        ):
            errors[key] = gettext(
                "Enter a whole number from %(minimum)s to %(maximum)s.",
                minimum=spec.minimum,
                maximum=spec.maximum,
            )
        data[key] = value
    return data, errors
