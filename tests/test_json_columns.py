"""JSONColumns: several JSONRows columns read as one JSON value, [rows, rows, ...], the
same rows as each column alone, on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import false, select

from service.extensions import db
from service.json_rows import JSONColumns, JSONRows
from service.rounds.models import Theme
from tests.factories_subscriptions import create_themes


def test_columns_in_one_value_hold_each_columns_rows(ctx):
    create_themes()
    db.session.commit()
    columns = (
        JSONRows(select(Theme.slug, Theme.position).order_by(Theme.position.desc())),
        JSONRows(select(Theme.name).where(false())),
        JSONRows(select(Theme.slug.is_not(None)).order_by(Theme.position)),
    )
    alone = [db.session.scalar(select(column)) for column in columns]
    together = db.session.scalar(select(JSONColumns(*columns)))
    assert together == alone
    assert [position for _slug, position in alone[0]] == list(range(len(alone[0])))[::-1]
    assert alone[1] == [] and all(v for (v,) in alone[2]) and len(alone[2]) == len(alone[0])
