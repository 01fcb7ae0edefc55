"""Who is due when: each person's local moments in a round's week, the timezones
in play, and the query aliases the dispatcher and the follow-ups share."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import aliased

from service.extensions import db
from service.mail.models import OutgoingEmail
from service.subscriptions.models import Status, Subscriber
from service.weeks import local_moment

# A challenge (or recap) that could not go out within this long after its local moment
# (the service was down for days) is not sent late: the week would be nearly over.
LATE_LIMIT = timedelta(days=3)
# Answers (and recap ratings) can change until this long after the week's Monday.
CLOSE_AFTER = timedelta(days=14)

# Aliases built once: a fresh alias per call would defeat SQLAlchemy's statement cache.
LEARNER = aliased(Subscriber, name="learner")
GIVER = aliased(Subscriber, name="giver")
PERSON = aliased(Subscriber, name="person")
OPENER = aliased(OutgoingEmail, name="opener")


def first_name(name: str | None) -> str:
    return (name or "").split(" ")[0] or "there"


def active_timezones() -> set[str]:
    return set(
        db.session.scalars(
            select(Subscriber.timezone).where(Subscriber.status == Status.ACTIVE).distinct()
        )
    )


def due_timezones(week: str, now: datetime, settings: dict, zones: set[str]) -> set[str]:
    """Timezones whose send moment of `week` has passed, but not by more than LATE_LIMIT."""
    due = set()
    for tz in zones:
        moment = local_moment(week, tz, settings["send_weekday"], settings["send_hour"])
        if moment <= now < moment + LATE_LIMIT:
            due.add(tz)
    return due


def recap_moment(week: str, tz: str, settings: dict) -> datetime:
    day = settings["send_weekday"] + settings["recap_day"] - 1
    return local_moment(week, tz, day, settings["send_hour"])


def recap_timezones(week: str, now: datetime, settings: dict, zones: set[str]) -> set[str]:
    """Timezones whose recap moment has passed, but not by more than LATE_LIMIT."""
    return {
        tz
        for tz in zones
        if recap_moment(week, tz, settings) <= now < recap_moment(week, tz, settings) + LATE_LIMIT
    }
