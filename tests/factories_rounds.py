"""Keyword-only factories for round tests: subscribers, seeded content, rounds."""

from __future__ import annotations

import itertools

from sqlalchemy import select

from service.database import utcnow
from service.extensions import db
from service.rounds.models import Challenge, Theme
from service.subscriptions.models import Status, Subscriber

_counter = itertools.count(1)


def theme_by_slug(slug: str) -> Theme:
    return db.session.scalar(select(Theme).where(Theme.slug == slug))


def seed():
    from service.rounds.content import seed_content

    return seed_content()


def create_subscriber(
    *,
    role: str = "learner",
    themes: tuple[str, ...] = ("tech-savvy",),
    team: str | None = None,
    tz: str = "Europe/Berlin",
    name: str | None = None,
    email: str | None = None,
    status: str = Status.ACTIVE,
    about: str | None = None,
    paused_until=None,
) -> Subscriber:
    n = next(_counter)
    subscriber = Subscriber(
        email=email or f"person{n}@example.org",
        name=name or f"Person{n} Example",
        role=role,
        timezone=tz,
        team=team,
        about=about if about is not None else f"{role} number {n}",
        status=status,
        confirmed_at=utcnow() if status == Status.ACTIVE else None,
        paused_until=paused_until,
    )
    subscriber.themes = [theme_by_slug(slug) for slug in themes]
    db.session.add(subscriber)
    db.session.flush()
    return subscriber


def create_challenge(*, theme: str = "tech-savvy", title: str | None = None) -> Challenge:
    n = next(_counter)
    challenge = Challenge(
        theme_id=theme_by_slug(theme).id,
        title=title or f"Test challenge {n}",
        learner_task="Try **one** thing.",
        giver_prompt="Share *one* tip.",
        starter_tip="A starter tip.",
        links=[{"title": "Guide", "url": "https://example.org/guide"}],
    )
    db.session.add(challenge)
    db.session.flush()
    return challenge
