"""Storing and reading confidence ratings and at-home themes. The callers commit.

A rating is only added when it differs from the person's latest one for that theme, so
saving an unchanged form adds nothing; a check-in answered again in the same week changes
that week's row instead of adding one."""

from __future__ import annotations

from sqlalchemy import delete, func, select

from service.confidence.models import ConfidenceRating, Source, home_themes
from service.extensions import db
from service.json_rows import JSONRows
from service.rounds.models import Answer, Pairing, Round, Theme
from service.subscriptions.models import Subscriber


def _theme_ids(slugs) -> dict[str, int]:
    slugs = list(slugs)
    if not slugs:
        return {}
    return dict(db.session.execute(select(Theme.slug, Theme.id).where(Theme.slug.in_(slugs))).all())


def latest(subscriber_id: int) -> dict[int, int]:
    """The latest rating per theme id."""
    out = {}
    for theme_id, value in db.session.execute(
        select(ConfidenceRating.theme_id, ConfidenceRating.value)
        .where(ConfidenceRating.subscriber_id == subscriber_id)
        .order_by(ConfidenceRating.created_at, ConfidenceRating.id)
    ):
        out[theme_id] = value
    return out


def save_self_ratings(subscriber_id: int, values: dict, source: str, *, new=False) -> None:
    """From a parsed form (see confidence.forms): add changed ratings, replace at-home themes.
    `new`: the subscriber was inserted just now, so there is nothing stored to compare or
    replace (a signup saves two queries)."""
    if values.get("confidence"):
        current = {} if new else latest(subscriber_id)
        ids = _theme_ids(values["confidence"])
        for slug, value in values["confidence"].items():
            if slug in ids and current.get(ids[slug]) != value:
                db.session.add(
                    ConfidenceRating(
                        subscriber_id=subscriber_id, theme_id=ids[slug], value=value, source=source
                    )
                )
    if "home_themes" in values:
        if not new:
            db.session.execute(
                delete(home_themes).where(home_themes.c.subscriber_id == subscriber_id)
            )
        for theme_id in _theme_ids(values["home_themes"]).values():
            db.session.execute(
                home_themes.insert().values(subscriber_id=subscriber_id, theme_id=theme_id)
            )


def self_rating_rows() -> tuple[JSONRows, JSONRows]:
    """Two columns for a query that reads a subscriber (correlated to Subscriber): their
    ratings oldest first, [[slug, value], ...], and their at-home themes, [[slug], ...]
    (read with the subscriber in one statement: service.json_rows)."""
    ratings = (
        select(Theme.slug, ConfidenceRating.value)
        .join(Theme, Theme.id == ConfidenceRating.theme_id)
        .where(ConfidenceRating.subscriber_id == Subscriber.id)
        .order_by(ConfidenceRating.created_at, ConfidenceRating.id)
    )
    homes = (
        select(Theme.slug)
        .join(home_themes, home_themes.c.theme_id == Theme.id)
        .where(home_themes.c.subscriber_id == Subscriber.id)
    )
    return JSONRows(ratings.correlate(Subscriber)), JSONRows(homes.correlate(Subscriber))


def form_values_from(ratings: list, homes: list) -> dict:
    """The preference centre's fields, filled with what is stored (self_rating_rows): the
    latest rating per theme and the at-home themes."""
    values: dict = {"home_themes": [slug for (slug,) in homes]}
    for slug, value in ratings:  # oldest first: the latest rating of a theme is written last
        values[f"confidence-{slug}"] = str(value)
    return values


def record_checkin(pairing: Pairing, subscriber_id: int, value: int) -> None:
    """The recap's check-in about the week's theme: one row per pairing, changeable."""
    row = db.session.scalar(
        select(ConfidenceRating).where(ConfidenceRating.pairing_id == pairing.id)
    )
    if row is None:
        db.session.add(
            ConfidenceRating(
                subscriber_id=subscriber_id,
                theme_id=pairing.round.challenge.theme_id,
                value=value,
                source=Source.CHECKIN,
                pairing_id=pairing.id,
            )
        )
    else:
        row.value = value


def checkin_due(round_: Round, learner_ids, every: int) -> set[int]:
    """Learners for whom this round is their every-th, 2*every-th... round: the recap
    asks them one confidence question about the week's theme."""
    learner_ids = list(learner_ids)
    if not learner_ids or every <= 0:
        return set()
    counts = db.session.execute(
        select(Pairing.learner_id, func.count())
        .join(Round, Round.id == Pairing.round_id)
        .where(Pairing.learner_id.in_(learner_ids), Round.week <= round_.week)
        .group_by(Pairing.learner_id)
    )
    return {lid for lid, n in counts if n % every == 0}


def export_self_ratings(subscriber_id: int) -> dict:
    names = dict(db.session.execute(select(Theme.id, Theme.name)).all())
    rows = db.session.scalars(
        select(ConfidenceRating)
        .where(ConfidenceRating.subscriber_id == subscriber_id)
        .order_by(ConfidenceRating.created_at, ConfidenceRating.id)
    )
    return {
        "confidence_ratings": [
            {
                "theme": names.get(r.theme_id),
                "value": r.value,
                "source": r.source,
                "rated_at": r.created_at.isoformat(),
            }
            for r in rows
        ],
        "most_at_home_in": [
            names.get(t)
            for t in db.session.scalars(
                select(home_themes.c.theme_id).where(home_themes.c.subscriber_id == subscriber_id)
            )
        ],
    }


def erase_self_ratings(subscriber_id: int) -> None:
    """Part of deleting a person's data: the history (with the check-in answers it came
    from) and the at-home themes go."""
    db.session.execute(
        delete(Answer).where(Answer.subscriber_id == subscriber_id, Answer.question == "confidence")
    )
    db.session.execute(
        delete(ConfidenceRating).where(ConfidenceRating.subscriber_id == subscriber_id)
    )
    db.session.execute(delete(home_themes).where(home_themes.c.subscriber_id == subscriber_id))
