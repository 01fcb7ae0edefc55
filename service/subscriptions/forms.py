"""Parse and check the signup and preferences forms: one clear message per field.

Plain functions instead of WTForms classes: the rules are few, and the same checks serve
the web form, the confirm page and the admin import.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from zoneinfo import available_timezones

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from service.confidence.forms import parse_self_ratings
from service.content_cache import cached, watch
from service.extensions import db
from service.i18n import current_language, programme_language, supported_languages
from service.rounds.models import Theme, ThemeTranslation
from service.rounds.translations import theme_text
from service.subscriptions.addresses import InvalidAddress, normalise_email
from service.subscriptions.models import Role

LIMITS = {"name": 60, "team": 80, "about": 160}
MAX_PAUSE_DAYS = 183  # "at most six months"
CONTROL = set("\r\n\x00\t\x0b\x0c")


@lru_cache(maxsize=1)
def timezones() -> frozenset[str]:
    return frozenset(available_timezones())


@lru_cache(maxsize=1)
def _zones_by_lower_case() -> dict[str, str]:
    return {zone.lower(): zone for zone in timezones()}


def known_timezone(text: str) -> str | None:
    """The zone a person typed, spelled as the time zone database spells it
    ("europe/berlin" is Europe/Berlin), or None."""
    return _zones_by_lower_case().get(text.strip().lower())


@lru_cache(maxsize=1)
def timezones_json() -> str:
    """The list the time zone field suggests, served once to each browser."""
    return json.dumps(sorted(timezones()), separators=(",", ":"))


@dataclass(frozen=True)
class OfferedTheme:
    """What the forms show and check of a theme; a plain copy, safe to keep between requests."""

    slug: str
    name: str
    tagline: str
    description: str


def active_themes(language: str | None = None) -> list[OfferedTheme]:
    """The themes on offer, in display order, worded in `language` (default: the page's;
    a theme without a translation in it falls back as rounds/translations.py says), from
    this process's copy in a web request."""
    language = language or current_language()
    return cached(f"themes {language}", lambda: _load_active_themes(language))


def _load_active_themes(language: str) -> list[OfferedTheme]:
    rows = db.session.scalars(
        select(Theme)
        .options(selectinload(Theme.translations))
        .where(Theme.retired.is_(False))
        .order_by(Theme.position, Theme.id)
    )
    default = programme_language()
    texts = [(t.slug, theme_text(t, language, default)) for t in rows]
    return [OfferedTheme(slug, w.name, w.tagline, w.description) for slug, w in texts]


@dataclass
class Parsed:
    values: dict = field(default_factory=dict)
    errors: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def _text(form, name: str, parsed: Parsed, *, required: bool = False) -> None:
    raw = form.get(name, "")
    if any(ch in CONTROL for ch in raw):
        parsed.errors[name] = gettext("Use a single line without line breaks or tabs.")
        return
    value = " ".join(raw.split())
    if required and not value:
        parsed.errors[name] = gettext("Enter your first name.")
    elif len(value) > LIMITS[name]:
        parsed.errors[name] = gettext(
            "Keep it to %(limit)s characters (this is %(length)s).",
            limit=LIMITS[name],
            length=len(value),
        )
    else:
        parsed.values[name] = value


def parse_profile(
    form, *, with_email: bool, require_choices: bool = True, self_ratings: bool = False
) -> Parsed:
    """Check name, role, themes, timezone, team, about (and email on signup); with
    `self_ratings` also the optional confidence and at-home fields (confidence.forms)."""
    parsed = Parsed()
    if with_email:
        try:
            parsed.values["email"] = normalise_email(form.get("email", ""))
        except InvalidAddress as exc:
            parsed.errors["email"] = str(exc)
    _text(form, "name", parsed, required=True)
    _text(form, "team", parsed)
    _text(form, "about", parsed)

    role = form.get("role", "")
    if role in Role.ALL:
        parsed.values["role"] = role
    elif role or require_choices:
        parsed.errors["role"] = gettext("Choose whether you want to give tips or learn.")

    slugs = form.getlist("themes") if hasattr(form, "getlist") else form.get("themes", [])
    known = {t.slug: t for t in active_themes()}
    unknown = [s for s in slugs if s not in known]
    if unknown:
        parsed.errors["themes"] = gettext(
            "Choose themes from the list (one of them is not offered)."
        )
    elif not slugs and require_choices:
        parsed.errors["themes"] = gettext("Choose at least one theme.")
    else:
        parsed.values["themes"] = list(dict.fromkeys(slugs))

    zone = known_timezone((form.get("timezone") or "").strip() or "UTC")
    if zone:
        parsed.values["timezone"] = zone
    else:
        parsed.errors["timezone"] = gettext(
            "Enter your time zone as a region and city, e.g. Europe/Berlin or America/New_York."
        )
    _language(form, parsed)
    if self_ratings:
        parse_self_ratings(form, known, parsed.values, parsed.errors)
    return parsed


def _language(form, parsed: Parsed) -> None:
    """The language field is optional (the admin import has none): absent keeps the current."""
    code = form.get("language")
    if code is None:
        return
    if code in supported_languages():
        parsed.values["language"] = code
    else:
        parsed.errors["language"] = gettext("Choose a language from the list.")


def parse_pause(form, today: date) -> tuple[dict, str | None]:
    """Returns ({"weeks": n} or {"until": date}, None) or ({}, error message)."""
    choice = form.get("pause", "")
    if choice in ("1", "2", "4"):
        return {"weeks": int(choice)}, None
    if choice == "date":
        try:
            until = date.fromisoformat(form.get("until", ""))
        except ValueError:
            return {}, gettext("Enter the date you want to come back, e.g. 2027-01-11.")
        return check_pause_date(until, today)
    return {}, gettext("Choose how long to pause.")


def check_pause_date(until: date, today: date) -> tuple[dict, str | None]:
    if until <= today:
        return {}, gettext("Choose a date in the future.")
    if until > today + timedelta(days=MAX_PAUSE_DAYS):
        return {}, gettext("You can pause for at most six months.")
    return {"until": until}, None


watch(Theme, ThemeTranslation)
