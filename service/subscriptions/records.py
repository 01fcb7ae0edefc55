"""Looking up subscribers and applying profile values: shared by joining and preferences."""

from __future__ import annotations

from functools import cache

from sqlalchemy import Integer, bindparam, select

from service.direct_sql import DirectStatement
from service.extensions import db
from service.rounds.models import Theme
from service.subscriptions.models import Role, Subscriber, subscriber_themes

PROFILE_FIELDS = ("name", "role", "timezone", "language", "team", "about")


def get_subscriber(subscriber_id: int) -> Subscriber:
    subscriber = db.session.get(Subscriber, subscriber_id)
    if subscriber is None:
        raise LookupError(f"no subscriber {subscriber_id}")
    return subscriber


def by_address(address: str) -> Subscriber | None:
    return db.session.scalar(select(Subscriber).where(Subscriber.email == address))


def themes_for(slugs) -> list[Theme]:
    slugs = list(dict.fromkeys(slugs or ()))
    if not slugs:
        return []
    found = {t.slug: t for t in db.session.scalars(select(Theme).where(Theme.slug.in_(slugs)))}
    missing = [s for s in slugs if s not in found or found[s].retired]
    if missing:
        raise ValueError(f"unknown or retired theme(s): {', '.join(missing)}")
    return [found[s] for s in slugs]


def set_themes(subscriber_id: int, slugs) -> None:
    """Give a new subscriber its themes in one INSERT ... SELECT (themes_for would load
    them first); unknown or retired themes raise ValueError, as themes_for does."""
    slugs = list(dict.fromkeys(slugs))
    params = {f"slug{n}": slug for n, slug in enumerate(slugs)}
    inserted = _insert_themes(len(slugs)).all({"subscriber_id": subscriber_id, **params})
    if len(inserted) != len(slugs):
        raise ValueError(f"unknown or retired theme among {', '.join(slugs)}")


@cache
def _insert_themes(count: int) -> DirectStatement:
    """set_themes' statement for `count` themes (a signup's, on the driver)."""
    slugs = [bindparam(f"slug{n}") for n in range(count)]
    rows = select(bindparam("subscriber_id", type_=Integer), Theme.id).where(
        Theme.slug.in_(slugs), Theme.retired.is_(False)
    )
    insert = subscriber_themes.insert().from_select(["subscriber_id", "theme_id"], rows)
    return DirectStatement(insert.returning(subscriber_themes.c.theme_id))


def apply_profile(subscriber: Subscriber, values: dict) -> None:
    for name in PROFILE_FIELDS:
        if name in values:
            value = values[name]
            if name in ("team", "about"):
                value = value or None
            setattr(subscriber, name, value)
    if "themes" in values:
        subscriber.themes = themes_for(values["themes"])


def needs_choices(subscriber: Subscriber) -> bool:
    """Joined by email or invited without choices: the confirm page asks for them."""
    return subscriber.role not in Role.ALL or not subscriber.themes
