"""Dates, weekdays, times and time-zone names written for the current language (Babel).

The patterns are catalogue strings, so a translator writes them the way their language
does ("EEEE, d. MMMM" gives "Montag, 7. Dezember"); Babel fills in the names.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel.dates import (
    format_date,
    format_datetime,
    format_time,
    get_day_names,
    get_timezone_location,
)
from flask_babel import get_locale, gettext

# English strings are written the British way ("Monday 7 December"); Babel's plain "en"
# is American ("Monday, December 7").
_FORMAT_LOCALES = {"en": "en_GB"}


def _locale() -> str:
    locale = get_locale()
    code = locale.language if locale else "en"
    return _FORMAT_LOCALES.get(code, str(locale or "en"))


def day(value: date) -> str:
    """'Monday 7 December' / 'Montag, 7. Dezember'."""
    # Translators: a Babel date pattern for a weekday and day of the month, no year.
    return format_date(value, gettext("EEEE d MMMM"), locale=_locale())


def day_with_year(value: date) -> str:
    """'Monday 7 December 2026' / 'Montag, 7. Dezember 2026'."""
    # Translators: a Babel date pattern for a full date with weekday and year.
    return format_date(value, gettext("EEEE d MMMM y"), locale=_locale())


# Shorter forms for the admin console's tables (its times are UTC, as its headings say).


def short_date(value: date | str) -> str:
    """'7 Dec 2026' (a date or an ISO string)."""
    # Translators: a Babel date pattern for a date in a table ("7 Dec 2026").
    return format_date(_parsed(value), gettext("d MMM y"), locale=_locale())


def short_day(value: date) -> str:
    """'7 Dec'."""
    # Translators: a Babel date pattern for a day of the month, no year ("7 Dec").
    return format_date(value, gettext("d MMM"), locale=_locale())


def weekday_date(value: date) -> str:
    """'Mon 7 Dec 2026'."""
    # Translators: a Babel date pattern with a short weekday ("Mon 7 Dec 2026").
    return format_date(value, gettext("EEE d MMM y"), locale=_locale())


def date_time(value: datetime | str) -> str:
    """'7 Dec 2026, 09:00' as stored (the console writes UTC)."""
    # Translators: a Babel pattern for a date and a 24-hour time ("7 Dec 2026, 09:00").
    return format_datetime(_parsed(value), gettext("d MMM y, HH:mm"), locale=_locale())


def weekday_time(value: datetime) -> str:
    """'Mon 09:00'."""
    # Translators: a Babel pattern for a short weekday and a 24-hour time ("Mon 09:00").
    return format_datetime(value, gettext("EEE HH:mm"), locale=_locale())


def _parsed(value):
    """Some timestamps reach templates as ISO strings (an import batch kept in Redis)."""
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def weekday(number: int) -> str:
    """Weekday name for 0 = Monday ... 6 = Sunday."""
    return get_day_names("wide", locale=_locale())[number]


def clock(value: datetime) -> str:
    """'09:00' (24-hour in both languages offered today)."""
    # Translators: a Babel time pattern; HH:mm is a 24-hour clock.
    return format_time(value, gettext("HH:mm"), locale=_locale())


def zone_name(timezone: str) -> str:
    """A time zone as people say it: its city ('New York', 'Kalkutta') or 'UTC'."""
    try:
        zone = ZoneInfo(timezone)
    except (KeyError, ValueError):
        return timezone
    if timezone in ("UTC", "Etc/UTC"):
        return "UTC"
    return _city(zone, _locale())


@lru_cache(maxsize=1024)
def _city(zone: ZoneInfo, locale: str) -> str:
    """Babel's name of a zone's city in a language, the same for everyone: looking it up in
    the locale data was a third of the preference centre's "next challenge" line."""
    return get_timezone_location(zone, locale=locale, return_city=True)


def moment(value: datetime, timezone: str) -> str:
    """A local date and time with its zone: 'Monday 7 December, 09:00 (New York time)' /
    'Montag, 7. Dezember, 09:00 (Ortszeit New York)'. `value` is already local."""
    zone = zone_name(timezone)
    if zone == "UTC":
        return gettext("%(day)s, %(time)s (UTC)", day=day(value), time=clock(value))
    return gettext(
        "%(day)s, %(time)s (%(zone)s time)", day=day(value), time=clock(value), zone=zone
    )
