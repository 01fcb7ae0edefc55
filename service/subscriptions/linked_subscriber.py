"""What the pages behind signed links read of a subscriber: a plain snapshot of the row, on
the driver's cursor (service/direct_sql.py), not an ORM object (profiling showed loading
the ORM object, with its themes joined, as the largest part of the unsubscribe and
preference pages).

A page that shows lists as well (the subscriber's themes, self-ratings, shared tips, the
weeks already paired for "your next challenge arrives ...") names them and gets them with
the row in the same statement, each list as JSON columns, all in one JSON value to decode
(service/json_rows.py): the preference centre ran four or five statements, the confirm
page three; each cost more under gunicorn than its CPU in-process shows. A list the page
did not name is read when first used, with one statement of its own (a page re-shown
after a refused POST).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import cache, cached_property, lru_cache
from typing import NamedTuple

from sqlalchemy import bindparam, select

from service.confidence.ratings import form_values_from, self_rating_rows
from service.database import utcnow
from service.direct_sql import DirectStatement
from service.json_rows import JSONColumns, JSONRows
from service.rounds.models import Theme
from service.rounds.tips import live_tip_rows, shown_tips
from service.subscriptions.models import Subscriber, subscriber_themes
from service.subscriptions.schedule import paired_since, paired_week_rows

_COLUMNS = ("id", "email", "name", "role", "timezone", "language", "team", "about", "status")
_ROW = (*(getattr(Subscriber, name) for name in _COLUMNS), Subscriber.paused_until)
_ONE = Subscriber.id == bindparam("id")


class ThemeRow(NamedTuple):
    slug: str
    name: str


def _theme_rows() -> JSONRows:
    return JSONRows(
        select(Theme.slug, Theme.name)
        .join(subscriber_themes, subscriber_themes.c.theme_id == Theme.id)
        .where(subscriber_themes.c.subscriber_id == Subscriber.id)
        .order_by(Theme.position)
        .correlate(Subscriber)
    )


@dataclass(frozen=True)
class _List:
    columns: tuple  # JSON columns of a query that reads the subscriber
    make: Callable  # their rows -> the value pages use
    params: Callable[[], dict] = field(default=dict)  # any other parameter, when read


_LISTS = {
    "themes": _List((_theme_rows(),), lambda rows: [ThemeRow(*row) for row in rows]),
    "self_ratings": _List(self_rating_rows(), form_values_from),
    "shared_tips": _List((live_tip_rows(),), shown_tips),
    "paired_weeks": _List(
        (paired_week_rows(),),
        lambda rows: {week for (week,) in rows},
        lambda: {"paired_since": _paired_since_on(utcnow().date())},
    ),
}


@lru_cache(maxsize=4)
def _paired_since_on(day: date) -> str:
    """paired_since on `day`, worked out once a day (~10 us a page otherwise)."""
    return paired_since(datetime.combine(day, time.min))


@dataclass
class LinkedSubscriber:
    """The subscriber's row; its lists (themes as ThemeRows, self_ratings as form values,
    shared_tips as ShownTips, paired_weeks as a set of weeks) come with the row if the page
    named them (read_linked's `lists`), else when first used."""

    id: int
    email: str | None
    name: str
    role: str | None
    timezone: str
    language: str
    team: str | None
    about: str | None
    status: str
    paused_until: date | None

    @cached_property
    def themes(self) -> list[ThemeRow]:
        return self._read("themes")

    @cached_property
    def self_ratings(self) -> dict:
        return self._read("self_ratings")

    @cached_property
    def shared_tips(self) -> list:
        return self._read("shared_tips")

    @cached_property
    def paired_weeks(self) -> set[str]:
        return self._read("paired_weeks")

    def _read(self, name: str):
        row = _statement((name,), with_row=False).first(_params(self.id, (name,)))
        return _value(name, row and row[0])

    is_paused = Subscriber.is_paused
    first_name = Subscriber.first_name


def read_linked(subscriber_id: int, lists: tuple[str, ...] = ()) -> LinkedSubscriber | None:
    """The subscriber with `lists` (names of LinkedSubscriber's lists), in one statement."""
    row = _statement(lists).first(_params(subscriber_id, lists))
    if row is None:
        return None
    subscriber = LinkedSubscriber(*row[: len(_ROW)])
    columns, at = row[len(_ROW)] if lists else (), 0
    for name in lists:  # what the cached_property would read
        width = len(_LISTS[name].columns)
        subscriber.__dict__[name] = _value(name, columns[at : at + width])
        at += width
    return subscriber


@cache
def _statement(lists: tuple[str, ...], *, with_row: bool = True) -> DirectStatement:
    """The row (with_row) and the lists' columns, those as one JSON array (JSONColumns)."""
    columns = [column for name in lists for column in _LISTS[name].columns]
    lists_column = (JSONColumns(*columns),) if columns else ()
    return DirectStatement(select(*(_ROW if with_row else ()), *lists_column).where(_ONE))


def _params(subscriber_id: int, lists: tuple[str, ...]) -> dict:
    params = {"id": subscriber_id}
    for name in lists:
        params.update(_LISTS[name].params())
    return params


def _value(name: str, row) -> object:
    """A list's value from its JSON columns' rows (none when the subscriber is gone)."""
    spec = _LISTS[name]
    return spec.make(*(rows or [] for rows in (row or (None,) * len(spec.columns))))
