"""The content library: seeding the starter themes and challenges (and their starter
translations), and the challenge rendered once per round and language for every email
that carries it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from service.extensions import db
from service.i18n import language_or_default, programme_language
from service.markdown import markdown_to_text, render_markdown
from service.rounds.models import Challenge, Theme
from service.rounds.starter_content import CHALLENGES, THEMES
from service.rounds.starter_translations import seed_translations
from service.rounds.translations import challenge_text, theme_text


@dataclass(frozen=True)
class SeedResult:
    themes_added: int
    themes_updated: int
    challenges_added: int
    challenges_updated: int
    translations_added: int = 0
    translations_updated: int = 0


def seed_content() -> SeedResult:
    """Load the starter library; idempotent (upsert by theme slug and challenge title).

    Re-running it refreshes starter texts but never touches what admins added, and never
    un-retires something an admin retired."""
    themes = {t.slug: t for t in db.session.scalars(select(Theme))}
    added = updated = 0
    for position, data in enumerate(THEMES):
        theme = themes.get(data["slug"])
        if theme is None:
            theme = Theme(slug=data["slug"], position=position)
            db.session.add(theme)
            themes[data["slug"]] = theme
            added += 1
        elif (theme.name, theme.tagline, theme.description) != (
            data["name"],
            data["tagline"],
            data["description"],
        ):
            updated += 1
        theme.name, theme.tagline, theme.description = (
            data["name"],
            data["tagline"],
            data["description"],
        )
    db.session.flush()

    existing = {c.title: c for c in db.session.scalars(select(Challenge))}
    c_added = c_updated = 0
    for data in CHALLENGES:
        values = {
            "theme_id": themes[data["theme"]].id,
            "learner_task": data["learner_task"],
            "giver_prompt": data["giver_prompt"],
            "starter_tip": data["starter_tip"],
            "links": list(data["links"]),
        }
        challenge = existing.get(data["title"])
        if challenge is None:
            existing[data["title"]] = Challenge(title=data["title"], **values)
            db.session.add(existing[data["title"]])
            c_added += 1
            continue
        if any(getattr(challenge, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(challenge, k, v)
            c_updated += 1
    db.session.flush()
    t_added, t_updated = seed_translations(themes, existing)
    db.session.commit()
    return SeedResult(added, updated, c_added, c_updated, t_added, t_updated)


def challenge_fields(
    challenge: Challenge | dict, language: str | None = None, default_language: str | None = None
) -> dict:
    """The challenge as plain values, from a stored challenge (in `language`, falling back
    to `default_language`, then to the text as written; see rounds/translations.py) or
    from an editor's form dict (theme_id, title, learner_task, giver_prompt, links,
    optionally starter_tip), whose theme is named in `language` the same way."""
    if isinstance(challenge, Challenge):
        text = challenge_text(challenge, language, default_language)
        return {
            "theme_name": theme_text(challenge.theme, language, default_language).name,
            "title": text.title,
            "learner_task": text.learner_task,
            "giver_prompt": text.giver_prompt,
            "starter_tip": text.starter_tip,
            "links": text.links,
        }
    theme = db.session.get(Theme, challenge.get("theme_id")) if challenge.get("theme_id") else None
    return {
        "theme_name": theme_text(theme, language, default_language).name if theme else "",
        "title": challenge.get("title") or "",
        "learner_task": challenge.get("learner_task") or "",
        "giver_prompt": challenge.get("giver_prompt") or "",
        "starter_tip": challenge.get("starter_tip") or "",
        "links": [
            {"title": link.get("title") or link.get("url"), "url": link.get("url")}
            for link in (challenge.get("links") or [])
            if link.get("url")
        ],
    }


def rendered_challenge(
    challenge: Challenge | dict, language: str | None = None, default_language: str | None = None
) -> dict:
    """Markdown rendered once (HTML cleaned by nh3, plain text) for every email of a round
    in one language (see challenge_fields for which words).

    Templates print the *_html values with `|safe`: they are produced here, from
    render_markdown's sanitised output, never from raw input."""
    fields = challenge_fields(challenge, language, default_language)
    return {
        "theme": fields["theme_name"],
        "title": fields["title"],
        "task_html": str(render_markdown(fields["learner_task"])),
        "task_text": markdown_to_text(fields["learner_task"]),
        "prompt_html": str(render_markdown(fields["giver_prompt"])),
        "prompt_text": markdown_to_text(fields["giver_prompt"]),
        "links": [
            {"title": link.get("title") or link["url"], "url": link["url"]}
            for link in fields["links"]
            if str(link.get("url", "")).startswith(("https://", "http://"))
        ],
    }


def tip_html(markdown: str) -> dict:
    return {"html": str(render_markdown(markdown)), "text": markdown_to_text(markdown)}


def rendered_by_language(challenge: Challenge) -> Callable[[str | None], dict]:
    """rendered_challenge for a reader's language, each language rendered once: a round's
    emails ask per person, the Markdown is rendered once per language in the round."""
    default = programme_language()

    @cache
    def render(language: str) -> dict:
        return rendered_challenge(challenge, language, default)

    return lambda language: render(language_or_default(language))


def words_by_language(challenge: Challenge) -> Callable[[str | None], tuple[str, str]]:
    """(title, theme name) of `challenge` for a reader's language, each resolved once
    (nudges, recaps and notices name the challenge without rendering it)."""
    default = programme_language()

    @cache
    def words(language: str) -> tuple[str, str]:
        text = challenge_text(challenge, language, default)
        return text.title, theme_text(challenge.theme, language, default).name

    return lambda language: words(language_or_default(language))


def explanations_by_language() -> Callable[[str | None, str], str]:
    """`(language, explanation)` -> the explanation with every theme name in `language`.

    The pairing engine writes a pair's explanation once, in English, naming themes as
    written ("you both chose Tech-savvy prowess"); rounds/explanations.py translates the
    words around the names when the email is rendered. Putting each reader's theme names
    in first makes the whole sentence theirs. One query for the themes; each language's
    names resolved once."""
    default = programme_language()
    themes = db.session.scalars(select(Theme).options(selectinload(Theme.translations))).all()

    @cache
    def names(language: str) -> tuple[tuple[str, str], ...]:
        pairs = [(t.name, theme_text(t, language, default).name) for t in themes]
        changed = [(written, local) for written, local in pairs if written != local]
        return tuple(sorted(changed, key=lambda pair: -len(pair[0])))  # longest first

    def localize(language: str | None, explanation: str) -> str:
        for written, local in names(language_or_default(language)):
            explanation = explanation.replace(written, local)
        return explanation

    return localize
