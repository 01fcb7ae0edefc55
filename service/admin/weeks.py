"""ISO week labels for the console's statistics ("2026-W49", the format rounds use).

Statistics group timestamps by the UTC ISO week; rounds carry their own week string.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta


def iso_week(day: date | datetime) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def last_weeks(n: int, today: date | None = None) -> list[str]:
    """The n ISO weeks ending with this one, oldest first."""
    today = today or datetime.now(UTC).date()
    return [iso_week(today - timedelta(weeks=i)) for i in reversed(range(n))]


def week_monday(week: str) -> date:
    year, number = week.split("-W")
    return date.fromisocalendar(int(year), int(number), 1)


def week_range(first: str, last: str) -> tuple[datetime, datetime]:
    """UTC instants from the Monday of `first` to the Monday after `last`."""
    start = week_monday(first)
    end = week_monday(last) + timedelta(weeks=1)
    return (
        datetime(start.year, start.month, start.day, tzinfo=UTC),
        datetime(end.year, end.month, end.day, tzinfo=UTC),
    )


def short_label(week: str) -> str:
    return "W" + week.split("-W")[1]
