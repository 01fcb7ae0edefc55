"""Keyword-only factories for subscription tests (and for anyone who needs a subscriber)."""

from __future__ import annotations

import itertools

from sqlalchemy import select

from service.database import utcnow
from service.extensions import db
from service.rounds.models import Theme
from service.rounds.starter_content import THEMES
from service.subscriptions.models import Status, Subscriber

_numbers = itertools.count(1)


def create_themes() -> list[Theme]:
    """The six starter themes, as `turnabout seed` would insert them (idempotent)."""
    existing = {t.slug: t for t in db.session.scalars(select(Theme))}
    themes = []
    for position, spec in enumerate(THEMES):
        theme = existing.get(spec["slug"])
        if theme is None:
            theme = Theme(
                slug=spec["slug"],
                name=spec["name"],
                tagline=spec["tagline"],
                description=spec["description"],
                position=position,
            )
            db.session.add(theme)
        themes.append(theme)
    db.session.flush()
    return themes


def create_subscriber(
    *,
    email: str | None = None,
    name: str = "Ana",
    role: str | None = "learner",
    themes=("tech-savvy",),
    team: str | None = None,
    about: str | None = None,
    tz: str = "Europe/Berlin",
    status: str = Status.ACTIVE,
    source: str = "web",
    language: str = "en",
) -> Subscriber:
    create_themes()
    n = next(_numbers)
    subscriber = Subscriber(
        email=email or f"person{n}@example.org",
        name=name,
        role=role,
        timezone=tz,
        team=team,
        about=about,
        status=status,
        source=source,
        language=language,
        confirmed_at=utcnow() if status == Status.ACTIVE else None,
    )
    subscriber.themes = list(db.session.scalars(select(Theme).where(Theme.slug.in_(themes))))
    db.session.add(subscriber)
    db.session.commit()
    return subscriber
