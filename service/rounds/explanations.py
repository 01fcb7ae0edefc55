"""Pair explanations and "why no partner" notes in the reader's language.

The pairing engine writes each explanation once per pair, in English, from a closed set of
fragments joined by "; " ("you both chose Social media mastery; different teams; 2 hours
apart"); the admin console shows it as written. An email shows it in its reader's language:
this module reads the fragments back and writes each through the catalogue, at render
time (service.mail.compose runs an email kind's `localize` inside force_locale). A fragment
it does not know stays as it is, so a new English fragment is never lost, only untranslated.
In English the result is exactly the engine's text.
"""

from __future__ import annotations

import re
from functools import lru_cache

from flask_babel import format_decimal, get_locale, gettext, ngettext

from service.i18n import stand_ins
from service.rounds.continuations import NUMBERS

_COUNT = r"(\d+(?:\.\d+)?|" + "|".join(NUMBERS) + ")"


def _number(word: str) -> float:
    return float(NUMBERS.index(word)) if word in NUMBERS else float(word)


def _hours(m: re.Match) -> str:
    hours = _number(m[1])
    shown = format_decimal(hours)  # "1.5" / "1,5"
    count = 1 if hours == 1 else 2  # gettext counts in whole numbers; 1.5 hours is plural
    return ngettext("%(hours)s hour apart", "%(hours)s hours apart", count, hours=shown)


def _paired_again(m: re.Match) -> str:
    n = int(_number(m[1]))
    return ngettext("paired again after %(n)s week", "paired again after %(n)s weeks", n, n=n)


def _weeks_together(m: re.Match) -> str:
    n = int(_number(m[1]))
    return ngettext("you have had %(n)s week together", "you have had %(n)s weeks together", n, n=n)


def _name(m: re.Match) -> str:
    return stand_ins.written(m[1])


def _reason(m: re.Match) -> str:
    return short_reason(m[1])


# Each English fragment, the way the engine writes it, and how to write it through the
# catalogue. The strings here are the catalogue's msgids (extracted from these calls).
_FRAGMENTS: list[tuple[re.Pattern, object]] = [
    (r"you both chose (.+)", lambda m: gettext("you both chose %(theme)s", theme=m[1])),
    (r"you also share (.+)", lambda m: gettext("you also share %(themes)s", themes=_and(m[1]))),
    (r"different teams", lambda m: gettext("different teams")),
    (r"same timezone", lambda m: gettext("same timezone")),
    (rf"{_COUNT} hours? apart", _hours),
    (r"paired again after (\d+) weeks?", _paired_again),
    (
        r"you both asked to continue \(week (\d+) together\)",
        lambda m: gettext("you both asked to continue (week %(n)s together)", n=m[1]),
    ),
    (
        r"you both asked to continue",
        lambda m: gettext("you both asked to continue"),
    ),
    (
        r"this week's theme suited another partner better",
        lambda m: gettext("this week's theme suited another partner better"),
    ),
    (rf"you have had {_COUNT} weeks together", _weeks_together),
    (
        r"this week you meet someone new \N{EM DASH} you can pair again later",
        lambda m: gettext("this week you meet someone new \N{EM DASH} you can pair again later"),
    ),
    # A first name, or the words standing in for a person without one ("your partner").
    (r"(.+) is paused this week", lambda m: gettext("%(name)s is paused this week", name=_name(m))),
    (r"(.+) is away this week", lambda m: gettext("%(name)s is away this week", name=_name(m))),
    (
        r"(.+) is not taking part this week",
        lambda m: gettext("%(name)s is not taking part this week", name=_name(m)),
    ),
    (
        r"stepped in this week \((.+)\)",
        lambda m: gettext("stepped in this week (%(why)s)", why=_reason(m)),
    ),
    (r"stepped in this week", lambda m: gettext("stepped in this week")),
    (
        r"no tip-giver free after a drop-out \((.+)\)",
        lambda m: gettext("no tip-giver free after a drop-out (%(why)s)", why=_reason(m)),
    ),
    (r"(\S+) chose (.+)", lambda m: gettext("%(name)s chose %(theme)s", name=m[1], theme=m[2])),
]
_FRAGMENTS = [(re.compile(pattern + r"\Z"), write) for pattern, write in _FRAGMENTS]

# Short reasons written elsewhere (unmatched learners and tip-givers, drop-outs, an admin's
# move), each a msgid of its own.
_REASONS = {
    "no tip-givers signed up this week": lambda: gettext("no tip-givers signed up this week"),
    "every tip-giver this week is on your team": lambda: gettext(
        "every tip-giver this week is on your team"
    ),
    "not enough tip-givers this week": lambda: gettext("not enough tip-givers this week"),
    "no tip-giver outside your team was free": lambda: gettext(
        "no tip-giver outside your team was free"
    ),
    "the tip-giver can't this week": lambda: gettext("the tip-giver can't this week"),
    "the tip-giver left the programme": lambda: gettext("the tip-giver left the programme"),
    "the tip-giver has not answered": lambda: gettext("the tip-giver has not answered"),
    "moved by an admin": lambda: gettext("moved by an admin"),
}


def _and(names: str) -> str:
    """'A, B and C' written with this language's 'and'."""
    parts = re.split(r", | and ", names)
    if len(parts) == 1:
        return names
    return gettext("%(list)s and %(last)s", list=", ".join(parts[:-1]), last=parts[-1])


def short_reason(text: str) -> str:
    write = _REASONS.get(text)
    return write() if write else text


def explanation(text: str) -> str:
    """`text` (the engine's English) in the current language."""
    locale = get_locale()
    return _cached(text, str(locale) if locale else "en")


@lru_cache(maxsize=4096)
def _cached(text: str, _language: str) -> str:  # the language is part of the cache key
    return "; ".join(_fragment(part) for part in text.split("; ") if part)


def _fragment(part: str) -> str:
    for pattern, write in _FRAGMENTS:
        match = pattern.match(part)
        if match:
            return write(match)
    return short_reason(part)


def localized_partner(key: str):
    """An email kind's `localize`: the partner's explanation under `key` of the context,
    in the reader's language."""

    def localize(context: dict) -> dict:
        person = context[key]
        return {**context, key: {**person, "explanation": explanation(person["explanation"])}}

    return localize


def localized_reason(context: dict) -> dict:
    """An email kind's `localize`: an unmatched learner's reason in the reader's language."""
    return {**context, "reason_text": explanation(context["reason_text"])}
