"""The starter library in further languages: each `starter_content_XX.py` next to this
module (XX a language code) translates starter_content.py, entry by entry, and the seed
stores it as theme and challenge translations. A new language's library is one more such
module; nothing else changes.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

import service.rounds
from service.extensions import db
from service.rounds.models import Challenge, ChallengeTranslation, Theme, ThemeTranslation

PREFIX = "starter_content_"
THEME_FIELDS = ("name", "tagline", "description")
CHALLENGE_FIELDS = ("title", "learner_task", "giver_prompt", "starter_tip", "links")


def starter_libraries() -> dict[str, ModuleType]:
    """{language code: module} for every translated starter library in the package."""
    found = {}
    for info in pkgutil.iter_modules(service.rounds.__path__):
        if info.name.startswith(PREFIX):
            module = importlib.import_module(f"service.rounds.{info.name}")
            found[module.LANGUAGE] = module
    return dict(sorted(found.items()))


def _upsert(collection: dict, language: str, make, values: dict) -> tuple[int, int]:
    """(added, updated) after making `collection[language]` hold `values`."""
    row = collection.get(language)
    if row is None:
        collection[language] = make(language=language, **values)
        return 1, 0
    if all(getattr(row, key) == value for key, value in values.items()):
        return 0, 0
    for key, value in values.items():
        setattr(row, key, value)
    return 0, 1


def seed_translations(themes: dict[str, Theme], challenges: dict[str, Challenge]) -> tuple:
    """Store every starter translation for the given rows (themes by slug, challenges by
    English title); returns (added, updated). Rows written in the translation's own
    language need none and are skipped."""
    added = updated = 0
    for language, library in starter_libraries().items():
        for data in library.THEMES:
            theme = themes.get(data["slug"])
            if theme is None or theme.language == language:
                continue
            values = {key: data[key] for key in THEME_FIELDS}
            a, u = _upsert(theme.translations, language, ThemeTranslation, values)
            added, updated = added + a, updated + u
        for data in library.CHALLENGES:
            challenge = challenges.get(data["source_title"])
            if challenge is None or challenge.language == language:
                continue
            values = {key: data[key] for key in CHALLENGE_FIELDS}
            values["links"] = list(values["links"])
            a, u = _upsert(challenge.translations, language, ChallengeTranslation, values)
            added, updated = added + a, updated + u
    db.session.flush()
    return added, updated
