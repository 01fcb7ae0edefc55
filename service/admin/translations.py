"""Translations in the console: the theme and challenge forms edit every offered language
side by side, and the lists show which translations are missing.

A language's fields are all empty (no translation: readers of that language get the
programme's default, see rounds/translations.py) or complete enough to send; anything in
between is refused with the field to fix, and nothing of the form is stored. Emptying
every field of a language removes its translation.
"""

from __future__ import annotations

from babel import Locale, UnknownLocaleError
from flask_babel import gettext

from service.admin.forms import LIMITS, _markdown_error, links_text, parse_links
from service.i18n import programme_language, supported_languages
from service.rounds.models import Challenge, ChallengeTranslation, Theme, ThemeTranslation
from service.rounds.translations import missing_languages

CHALLENGE_TEXT = ("title", "learner_task", "giver_prompt", "starter_tip")
THEME_TEXT = ("name", "tagline", "description")
THEME_LIMITS = {"name": 80, "tagline": 200, "description": 1000}


def offered_languages() -> tuple[str, ...]:
    return supported_languages()


def default_language() -> str:
    """The language a new theme or challenge is written in: the programme's default."""
    return programme_language()


def language_label(code: str) -> str:
    """The language's English name for the console ("German"), or its code."""
    try:
        return Locale.parse(code).get_display_name("en") or code
    except (ValueError, UnknownLocaleError):
        return code


def field_name(language: str, field: str) -> str:
    return f"tr-{language}-{field}"


def other_languages(item_language: str) -> list[str]:
    return [code for code in offered_languages() if code != item_language]


def missing_labels(item: Theme | Challenge) -> list[str]:
    return [language_label(code) for code in missing_languages(item, offered_languages())]


# ------------------------------------------------------------------ challenges


def challenge_translations_form(form, languages: list[str]) -> tuple[dict, dict]:
    """({language: clean values, or None for no translation}, errors by form field)."""
    data: dict[str, dict | None] = {}
    errors: dict[str, str] = {}
    for code in languages:
        values = {f: form.get(field_name(code, f), "").strip() for f in CHALLENGE_TEXT}
        values["title"] = " ".join(values["title"].split())
        values["links_text"] = form.get(field_name(code, "links"), "").strip()
        if not any(values.values()):
            data[code] = None
            continue
        data[code] = values
        name = language_label(code)
        required = {
            "title": gettext(
                "Give the %(language)s title too, or empty every %(language)s field.",
                language=name,
            ),
            "learner_task": gettext(
                "Write the learner’s task in %(language)s too, or empty every %(language)s field.",
                language=name,
            ),
            "giver_prompt": gettext(
                "Write the tip-giver’s question in %(language)s too, or empty every "
                "%(language)s field.",
                language=name,
            ),
        }
        for key, message in required.items():
            if not values[key]:
                errors[field_name(code, key)] = message
        for key in CHALLENGE_TEXT:
            if field_name(code, key) in errors:
                continue
            if len(values[key]) > LIMITS[key]:
                errors[field_name(code, key)] = gettext(
                    "Keep this under %(limit)s characters (now %(length)s).",
                    limit=LIMITS[key],
                    length=len(values[key]),
                )
            elif key != "title" and (problem := _markdown_error(values[key])):
                errors[field_name(code, key)] = problem
        values["links"], link_error = parse_links(values["links_text"])
        if link_error:
            errors[field_name(code, "links")] = link_error
    return data, errors


def challenge_translations_data(challenge: Challenge | None, languages: list[str]) -> dict:
    """The stored translations as the form shows them."""
    out: dict[str, dict | None] = {}
    for code in languages:
        row = challenge.translations.get(code) if challenge else None
        out[code] = None
        if row is not None:
            out[code] = {f: getattr(row, f) for f in CHALLENGE_TEXT} | {
                "links_text": links_text(row.links)
            }
    return out


def apply_challenge_translations(challenge: Challenge, data: dict) -> None:
    for code, values in data.items():
        if values is None:
            challenge.translations.pop(code, None)
            continue
        row = challenge.translations.get(code)
        if row is None:
            row = challenge.translations[code] = ChallengeTranslation(language=code)
        for key in CHALLENGE_TEXT:
            setattr(row, key, values[key])
        row.links = values["links"]


def challenge_translations_snapshot(challenge: Challenge) -> dict:
    """For the audit log: every translation as stored."""
    return {
        code: {f: getattr(row, f) for f in CHALLENGE_TEXT} | {"links": row.links}
        for code, row in sorted(challenge.translations.items())
    }


# ------------------------------------------------------------------ themes


def theme_translations_form(form, languages: list[str]) -> tuple[dict, dict]:
    data: dict[str, dict | None] = {}
    errors: dict[str, str] = {}
    for code in languages:
        values = {f: form.get(field_name(code, f), "").strip() for f in THEME_TEXT}
        values["name"] = " ".join(values["name"].split())
        values["tagline"] = " ".join(values["tagline"].split())
        if not any(values.values()):
            data[code] = None
            continue
        data[code] = values
        if not values["name"]:
            name = language_label(code)
            errors[field_name(code, "name")] = gettext(
                "Give the %(language)s name too, or empty every %(language)s field.",
                language=name,
            )
        for key, limit in THEME_LIMITS.items():
            if field_name(code, key) not in errors and len(values[key]) > limit:
                errors[field_name(code, key)] = gettext(
                    "Keep this under %(limit)s characters (now %(length)s).",
                    limit=limit,
                    length=len(values[key]),
                )
    return data, errors


def theme_translations_data(theme: Theme | None, languages: list[str]) -> dict:
    out: dict[str, dict | None] = {}
    for code in languages:
        row = theme.translations.get(code) if theme else None
        out[code] = {f: getattr(row, f) for f in THEME_TEXT} if row is not None else None
    return out


def apply_theme_translations(theme: Theme, data: dict) -> None:
    for code, values in data.items():
        if values is None:
            theme.translations.pop(code, None)
            continue
        row = theme.translations.get(code)
        if row is None:
            row = theme.translations[code] = ThemeTranslation(language=code)
        for key in THEME_TEXT:
            setattr(row, key, values[key])


def theme_translations_snapshot(theme: Theme) -> dict:
    return {
        code: {f: getattr(row, f) for f in THEME_TEXT}
        for code, row in sorted(theme.translations.items())
    }
