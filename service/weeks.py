"""ISO weeks ("2026-W49"): parsing, arithmetic, the ranges statistics group by, and each
person's local send moment in a week.

A round is one ISO week; statistics group timestamps by the UTC ISO week. Everyone gets
the round's email on the programme's send weekday at the send hour of their own timezone,
so the same week starts at different UTC moments: Monday 09:00 in Auckland is Sunday 20:00
UTC, before the UTC week has begun.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask_babel import gettext

from service.database import utcnow

_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


class BadWeek(ValueError):
    """A week string that is not ISO "YYYY-Www"."""


def parse_week(week: str) -> tuple[int, int]:
    match = _WEEK.match(week or "")
    if not match:
        raise BadWeek(f"{week!r} is not an ISO week; write it like 2026-W49.")
    year, number = int(match.group(1)), int(match.group(2))
    try:
        date.fromisocalendar(year, number, 1)
    except ValueError as exc:
        raise BadWeek(f"{year} has no week {number}.") from exc
    return year, number


def week_of(day: date | datetime) -> str:
    year, number, _ = day.isocalendar()
    return f"{year}-W{number:02d}"


def current_week(now: datetime | None = None) -> str:
    """The ISO week of `now` (default: the current moment), counted in UTC."""
    now = now or utcnow()
    return week_of(now.astimezone(UTC).date())


def week_start(week: str) -> date:
    """The Monday of `week`."""
    year, number = parse_week(week)
    return date.fromisocalendar(year, number, 1)


def shift_week(week: str, weeks: int) -> str:
    return week_of(week_start(week) + timedelta(weeks=weeks))


def weeks_between(earlier: str, later: str) -> int:
    return (week_start(later) - week_start(earlier)).days // 7


def next_weeks(n: int, from_week: str | None = None) -> list[str]:
    """`n` consecutive weeks starting with `from_week` (default: the current week)."""
    first = from_week or current_week()
    return [shift_week(first, i) for i in range(n)]


@lru_cache(maxsize=1024)
def zone(name: str) -> ZoneInfo:
    """The named timezone; an unknown name (bad import data) falls back to UTC."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_moment(week: str, timezone: str, day_offset: int, hour: int) -> datetime:
    """The UTC moment of `hour`:00 local time on day `day_offset` (0 = Monday) of `week`."""
    day = week_start(week) + timedelta(days=day_offset)
    local = datetime.combine(day, time(hour), tzinfo=zone(timezone))
    return local.astimezone(UTC)


def send_moment(week: str, timezone: str, weekday: int, hour: int) -> datetime:
    """When someone in `timezone` gets the round's challenge email."""
    return local_moment(week, timezone, weekday, hour)


def utc_offset_hours(timezone: str, at: datetime) -> float:
    offset = at.astimezone(zone(timezone)).utcoffset()
    return offset.total_seconds() / 3600 if offset else 0.0


def weeks_in_play(now: datetime) -> list[str]:
    """Weeks whose sends may be due at `now`: the UTC week and, on the weekend, the next
    one (timezones east of UTC reach Monday morning before UTC does)."""
    weeks = [current_week(now)]
    ahead = current_week(now + timedelta(hours=15))
    if ahead != weeks[0]:
        weeks.append(ahead)
    return weeks


def last_weeks(n: int, today: date | None = None) -> list[str]:
    """The n ISO weeks ending with this one, oldest first."""
    today = today or datetime.now(UTC).date()
    return [week_of(today - timedelta(weeks=i)) for i in reversed(range(n))]


def week_range(first: str, last: str) -> tuple[datetime, datetime]:
    """UTC instants from the Monday of `first` to the Monday after `last`."""
    start = week_start(first)
    end = week_start(last) + timedelta(weeks=1)
    return (
        datetime(start.year, start.month, start.day, tzinfo=UTC),
        datetime(end.year, end.month, end.day, tzinfo=UTC),
    )


def short_label(week: str) -> str:
    """A week on a chart's axis: "W49" in English."""
    # Translators: a calendar week on a chart's axis ("W49"; German "KW 49").
    return gettext("W%(number)s", number=week.split("-W")[1])
