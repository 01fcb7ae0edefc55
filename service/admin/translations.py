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
CHALLENGE_STORED = (*CHALLENGE_TEXT, "links")  # the links as a list; the form edits them as text
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


def translated_languages(item: Theme | Challenge | None) -> list[str]:
    """The languages the form edits beside `item`'s own (None: a new one's)."""
    return other_languages(item.language if item else default_language())


def language_columns(item: Theme | Challenge | None, translations: dict | None, stored) -> dict:
    """The form template's language columns: `item`'s own language, the others, and their
    translations (`translations` as posted, else `stored(item, languages)`)."""
    base = item.language if item else default_language()
    languages = other_languages(base)
    return {
        "base_language": (base, language_label(base)),
        "languages": [(code, language_label(code)) for code in languages],
        "translations": stored(item, languages) if translations is None else translations,
    }


def missing_labels(item: Theme | Challenge) -> list[str]:
    return [language_label(code) for code in missing_languages(item, offered_languages())]


# ------------------------------------------------------------------ challenges


def challenge_translations_form(form, languages: list[str]) -> tuple[dict, dict]:
    """({language: clean values, or None for no translation}, errors by form field)."""
    data: dict[str, dict | None] = {}
    errors: dict[str, str] = {}
    for code in languages:
        values = _posted(form, code, CHALLENGE_TEXT, one_line=("title",))
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
        _too_long(errors, code, values, {key: LIMITS[key] for key in CHALLENGE_TEXT})
        for key in CHALLENGE_TEXT:
            if key != "title" and field_name(code, key) not in errors:
                if problem := _markdown_error(values[key]):
                    errors[field_name(code, key)] = problem
        values["links"], link_error = parse_links(values["links_text"])
        if link_error:
            errors[field_name(code, "links")] = link_error
    return data, errors


def challenge_translations_data(challenge: Challenge | None, languages: list[str]) -> dict:
    """The stored translations as the form shows them."""
    return {
        code: None if values is None else values | {"links_text": links_text(values["links"])}
        for code, values in _stored(challenge, languages, CHALLENGE_STORED).items()
    }


def apply_challenge_translations(challenge: Challenge, data: dict) -> None:
    _apply(challenge, data, ChallengeTranslation, CHALLENGE_STORED)


def challenge_translations_snapshot(challenge: Challenge) -> dict:
    """For the audit log: every translation as stored."""
    return _snapshot(challenge, CHALLENGE_STORED)


# ------------------------------------------------------------------ themes


def theme_translations_form(form, languages: list[str]) -> tuple[dict, dict]:
    data: dict[str, dict | None] = {}
    errors: dict[str, str] = {}
    for code in languages:
        values = _posted(form, code, THEME_TEXT, one_line=("name", "tagline"))
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
        _too_long(errors, code, values, THEME_LIMITS)
    return data, errors


def theme_translations_data(theme: Theme | None, languages: list[str]) -> dict:
    return _stored(theme, languages, THEME_TEXT)


def apply_theme_translations(theme: Theme, data: dict) -> None:
    _apply(theme, data, ThemeTranslation, THEME_TEXT)


def theme_translations_snapshot(theme: Theme) -> dict:
    return _snapshot(theme, THEME_TEXT)


# ------------------------------------------------------------------ either


def _posted(form, code: str, fields, one_line=()) -> dict:
    """A language's posted fields, stripped; the `one_line` ones on one line."""
    values = {f: form.get(field_name(code, f), "").strip() for f in fields}
    for key in one_line:
        values[key] = " ".join(values[key].split())
    return values


def _too_long(errors: dict, code: str, values: dict, limits: dict) -> None:
    """An error for each field over its limit that has none yet."""
    for key, limit in limits.items():
        if field_name(code, key) not in errors and len(values[key]) > limit:
            errors[field_name(code, key)] = gettext(
                "Keep this under %(limit)s characters (now %(length)s).",
                limit=limit,
                length=len(values[key]),
            )


def _stored(item: Theme | Challenge | None, languages: list[str], columns) -> dict:
    """{language: the translation's `columns`, or None where there is none}."""
    rows = item.translations if item else {}
    return {
        code: {c: getattr(rows[code], c) for c in columns} if code in rows else None
        for code in languages
    }


def _apply(item: Theme | Challenge, data: dict, model, columns) -> None:
    """Store the form's translations: None removes a language's, values set its `columns`."""
    for code, values in data.items():
        if values is None:
            item.translations.pop(code, None)
            continue
        row = item.translations.get(code)
        if row is None:
            row = item.translations[code] = model(language=code)
        for column in columns:
            setattr(row, column, values[column])


def _snapshot(item: Theme | Challenge, columns) -> dict:
    return {
        code: {c: getattr(row, c) for c in columns}
        for code, row in sorted(item.translations.items())
    }
