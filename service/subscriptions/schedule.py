"""When a new subscriber's first challenge arrives, in their own time zone.

The weekly round is paired once, shortly before the first time zone's send moment; a
person who confirms after that joins the following week. So the first challenge is the
first send moment, in their zone, of a week whose round is not paired yet (and that
falls on or after the end of a pause).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime, timedelta

from sqlalchemy import bindparam, select

from service.database import utcnow
from service.extensions import db
from service.i18n import dates
from service.json_rows import JSONRows
from service.rounds.models import Round, RoundStatus
from service.settings import get_setting
from service.weeks import send_moment, shift_week, week_of, zone


def first_challenge(
    timezone: str,
    *,
    now: datetime | None = None,
    paused_until: date | None = None,
    paired: Collection[str] | None = None,
) -> datetime:
    """The moment (in the subscriber's zone) their first challenge email is due.
    `paired`: the weeks from paired_since() on whose round is paired, if the caller read
    them (paired_week_rows); else each week is looked up here."""
    now = now or utcnow()
    tz = zone(timezone)
    weekday, hour = int(get_setting("send_weekday")), int(get_setting("send_hour"))
    week = shift_week(week_of(now.astimezone(tz).date()), -1)
    for _ in range(40):  # a pause is at most six months
        moment = send_moment(week, timezone, weekday, hour).astimezone(tz)
        if moment > now and (paused_until is None or moment.date() >= paused_until):
            if not _is_paired(week, paired):
                return moment
        week = shift_week(week, 1)
    return moment


def _is_paired(week: str, paired: Collection[str] | None) -> bool:
    if paired is not None:
        return week in paired
    status = db.session.scalar(select(Round.status).where(Round.week == week))
    return status not in (None, RoundStatus.PLANNED)


def describe(moment: datetime, timezone: str) -> str:
    """'Monday 7 December, 09:00 (Berlin time)', in the current language
    ('Montag, 7. Dezember, 09:00 Uhr (Ortszeit Berlin)')."""
    return dates.moment(moment, timezone)


def first_send_text(
    timezone: str, paused_until: date | None = None, paired: Collection[str] | None = None
) -> str:
    return describe(first_challenge(timezone, paused_until=paused_until, paired=paired), timezone)


def paired_since(now: datetime | None = None) -> str:
    """The first week first_challenge may ask about: the week before the current one in
    the zone furthest behind UTC (whose date is a day behind at most)."""
    return shift_week(week_of((now or utcnow()).date() - timedelta(days=1)), -1)


def paired_week_rows() -> JSONRows:
    """A column with the weeks from :paired_since on whose round is paired, [[week], ...]
    (read with the subscriber in one statement: service.json_rows)."""
    return JSONRows(
        select(Round.week).where(
            Round.week >= bindparam("paired_since"), Round.status != RoundStatus.PLANNED
        )
    )
