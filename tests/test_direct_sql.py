"""Statements run on the driver's cursor (service/direct_sql.py) give what SQLAlchemy Core
gives: the same rows and values, read by name, converted as Core converts them, seen by
the engine's events, and SQLAlchemy's errors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import bindparam, func, select, text
from sqlalchemy.exc import DBAPIError, OperationalError

from service.database import utcnow
from service.direct_sql import DirectStatement
from service.extensions import db
from service.subscriptions.models import Subscriber
from tests.factories_subscriptions import create_subscriber
from tests.helpers import each_statement_during

BY_ID = select(
    Subscriber.id, Subscriber.email, Subscriber.created_at, Subscriber.paused_until
).where(Subscriber.id == bindparam("id"))
CREATED_BEFORE = select(Subscriber.id, Subscriber.status).where(
    Subscriber.created_at < bindparam("before", type_=Subscriber.created_at.type),
    Subscriber.status == "active",  # a value written into the statement
)


@pytest.fixture
def people(ctx):
    people = [create_subscriber(email=f"p{n}@example.org") for n in range(3)]
    people[0].paused_until = utcnow().date() + timedelta(days=9)
    db.session.commit()
    return people


def test_rows_and_values_are_what_core_returns(people):
    direct = DirectStatement(BY_ID)
    for person in people:
        row = direct.first({"id": person.id})
        assert tuple(row) == tuple(db.session.execute(BY_ID, {"id": person.id}).one())
        assert row.email == person.email and row.created_at.tzinfo == UTC
    assert direct.first({"id": 10**6}) is None

    later = datetime.now(UTC) + timedelta(minutes=1)  # an aware time, converted for the column
    found = DirectStatement(CREATED_BEFORE).all({"before": later})
    assert sorted(found) == sorted(db.session.execute(CREATED_BEFORE, {"before": later}).all())
    assert {row.id for row in found} == {p.id for p in people}


def test_the_engine_sees_each_statement(app, people):
    direct, first = DirectStatement(BY_ID), people[0].id

    def read():
        with app.app_context():
            direct.first({"id": first})

    seen = each_statement_during(app, read, lambda _conn, statement: statement)
    assert len(seen) == 1 and "FROM subscribers" in seen[0]


def test_a_write_runs_in_the_session_transaction(people):
    rename = DirectStatement(
        Subscriber.__table__.update()
        .where(Subscriber.id == bindparam("who"))
        .values(name=bindparam("new_name"))
    )
    rename.run({"who": people[1].id, "new_name": "Renamed"})
    db.session.rollback()  # not committed: gone
    assert db.session.get(Subscriber, people[1].id).name != "Renamed"
    rename.run({"who": people[1].id, "new_name": "Renamed"})
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Subscriber, people[1].id).name == "Renamed"


def test_an_insert_returns_what_it_was_asked_to(people):
    table = Subscriber.__table__
    add = DirectStatement(
        table.insert()
        .values({name: bindparam(name) for name in ("email", "name", "created_at")})
        .returning(table.c.id, table.c.created_at)
    )
    now = utcnow()
    row = add.first({"email": "new@example.org", "name": "New", "created_at": now})
    assert row.id == db.session.scalar(select(Subscriber.id).where(Subscriber.name == "New"))
    assert row.created_at == now


def test_an_insert_leaving_a_python_default_goes_through_core(people):
    add = DirectStatement(Subscriber.__table__.insert().values(email=bindparam("email")))
    add.run({"email": "defaults@example.org"})  # created_at, name, status: the model's
    row = db.session.execute(
        select(Subscriber.created_at, Subscriber.status).where(
            Subscriber.email == "defaults@example.org"
        )
    ).one()
    assert row.created_at is not None and row.status == "pending"


def test_a_list_parameter_goes_through_core(people):
    listed = select(func.count()).where(Subscriber.id.in_(bindparam("ids", expanding=True)))
    assert DirectStatement(listed).first({"ids": [p.id for p in people[:2]]})[0] == 2


def test_errors_are_sqlalchemys(people):
    broken = DirectStatement(select(text("nothing")).select_from(text("no_such_table")))
    with pytest.raises(DBAPIError, match="no_such_table"):
        broken.all({})
    db.session.rollback()
    assert DirectStatement(BY_ID).first({"id": people[0].id}).id == people[0].id


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_connection_the_server_dropped_leaves_the_pool(app, people):
    direct, first = DirectStatement(BY_ID), people[0].id
    with app.app_context():
        session_pid = db.session.scalar(text("SELECT pg_backend_pid()"))
        with db.engine.connect() as other:
            other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": session_pid})
        with pytest.raises(OperationalError) as raised:
            direct.first({"id": first})
        assert raised.value.connection_invalidated
    with app.app_context():  # the next request gets a working connection
        assert direct.first({"id": first}).id == first
