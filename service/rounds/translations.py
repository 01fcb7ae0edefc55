"""Which words a reader gets for a theme or a challenge.

A theme or challenge is written in one language (its `language` column, English for the
starter library) and may have a translation per further language. A reader gets, in
order: their own language, the programme's default language, the text as written. So a
challenge nobody has translated yet still goes out, in the default language, and the
console lists what is missing (`missing_languages`).

These functions are pure over loaded rows: the caller says which languages it wants, so
a round resolves the text once per language, not once per person.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from service.rounds.models import Challenge, Theme


@dataclass(frozen=True)
class ThemeText:
    language: str
    name: str
    tagline: str
    description: str


@dataclass(frozen=True)
class ChallengeText:
    language: str
    title: str
    learner_task: str
    giver_prompt: str
    starter_tip: str
    links: list


def _order(wanted: str | None, default_language: str | None) -> list[str]:
    return [code for code in dict.fromkeys((wanted, default_language)) if code]


def theme_text(theme: Theme, wanted: str | None, default_language: str | None) -> ThemeText:
    for code in _order(wanted, default_language):
        if code == theme.language:
            break
        if (row := theme.translations.get(code)) is not None:
            return ThemeText(code, row.name, row.tagline or "", row.description or "")
    return ThemeText(theme.language, theme.name, theme.tagline or "", theme.description or "")


def challenge_text(
    challenge: Challenge, wanted: str | None, default_language: str | None
) -> ChallengeText:
    for code in _order(wanted, default_language):
        if code == challenge.language:
            break
        if (row := challenge.translations.get(code)) is not None:
            return ChallengeText(
                code,
                row.title,
                row.learner_task,
                row.giver_prompt,
                row.starter_tip or "",
                list(row.links or []),
            )
    return ChallengeText(
        challenge.language,
        challenge.title,
        challenge.learner_task,
        challenge.giver_prompt,
        challenge.starter_tip or "",
        list(challenge.links or []),
    )


def missing_languages(item: Theme | Challenge, languages: Iterable[str]) -> list[str]:
    """The offered languages this theme or challenge has no words in yet."""
    return [code for code in languages if code != item.language and code not in item.translations]
