"""When a subscriber's weekly email arrives, in their own time zone."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from service.database import utcnow
from service.settings import get_setting


def next_send(timezone: str, after: datetime | None = None) -> datetime:
    """The next weekly send moment (programme weekday and hour, local time) after `after`."""
    tz = ZoneInfo(timezone)
    now = (after or utcnow()).astimezone(tz)
    weekday, hour = int(get_setting("send_weekday")), int(get_setting("send_hour"))
    day = now.date() + timedelta(days=(weekday - now.weekday()) % 7)
    moment = datetime(day.year, day.month, day.day, hour, tzinfo=tz)
    if moment <= now:
        moment += timedelta(days=7)
    return moment


def describe(moment: datetime, timezone: str) -> str:
    """'Monday 7 December at 09:00 (Europe/Berlin time)', the same in every locale."""
    return f"{moment:%A} {moment.day} {moment:%B} at {moment:%H:%M} ({timezone} time)"


def first_send_text(timezone: str, paused_until=None) -> str:
    after = None
    if paused_until is not None:
        tz = ZoneInfo(timezone)
        after = datetime(paused_until.year, paused_until.month, paused_until.day, tzinfo=tz)
        after -= timedelta(seconds=1)
    return describe(next_send(timezone, after), timezone)
