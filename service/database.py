"""The declarative base every model uses, and the column types shared across features."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import JSON, BindParameter, DateTime, MetaData, TypeDecorator, bindparam, text
from sqlalchemy.orm import DeclarativeBase

# Stable constraint names make Alembic migrations (and SQLite batch mode) predictable.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """Stores naive UTC, returns aware UTC, on SQLite and PostgreSQL alike.

    SQLite drops time zones, so without this a value would come back naive on one
    database and aware on the other, and comparisons would fail in only one of them.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column; use utcnow()")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        return None if value is None else value.replace(tzinfo=UTC)


class Model(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), dict: JSON, list: JSON}


def utcnow() -> datetime:
    return datetime.now(UTC)


def tune_sqlite(engine) -> None:
    """SQLite is the development database, shared by the web, worker and scheduler
    processes: WAL lets readers and one writer work at once, a busy timeout makes a writer
    wait instead of failing, and synchronous=NORMAL (safe with WAL) avoids an fsync per
    commit."""
    if engine.dialect.name != "sqlite":
        return
    from sqlalchemy import event

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def skip_async_session_teardown(app) -> None:
    """flask-sqlalchemy-lite closes async sessions in an `async def` teardown, and Flask runs
    an async teardown through asgiref on every request: a new thread and event loop each
    time, about 1 ms of CPU per page (found by profiling the subscriber pages). This app
    configures no async engine, so that teardown never has a session to close."""
    if app.config.get("SQLALCHEMY_ASYNC_ENGINES"):
        return
    app.teardown_appcontext_funcs[:] = [
        func
        for func in app.teardown_appcontext_funcs
        if getattr(func, "__name__", "") != "_close_async_sessions"
    ]


def inline_ids(ids) -> BindParameter:
    """For `column.in_()`: integer ids written into the statement. Bound one by one, the
    thousand ids of a delivery job made the driver parse a thousand placeholders."""
    return bindparam("ids", [int(i) for i in ids], expanding=True, literal_execute=True)


def conflict_insert(dialect_name: str, target):
    """An INSERT that takes ON CONFLICT clauses: PostgreSQL's, or SQLite's elsewhere."""
    from sqlalchemy.dialects import postgresql, sqlite

    return (postgresql if dialect_name == "postgresql" else sqlite).insert(target)


def insert_many(
    session, table, rows: list[dict], *, returning: tuple[str, ...] = (), skip_conflicts=False
) -> list:
    """Insert `rows` (dicts with the same keys) in one statement; returns the `returning`
    columns of the rows inserted. `skip_conflicts` leaves rows that hit a unique key out.

    On PostgreSQL the rows travel as one JSON document (INSERT ... SELECT FROM
    json_to_recordset): a multi-row VALUES list of thousands of rows has tens of thousands
    of placeholders, and the driver spent longer parsing that statement than the server
    spent inserting the rows. Elsewhere it is an executemany."""
    if not rows:
        return []
    dialect = session.get_bind().dialect
    if dialect.name == "postgresql":
        rows = _with_python_defaults(table, rows)
        columns = list(rows[0])
        names = ", ".join(f'"{name}"' for name in columns)
        types = ", ".join(f'"{name}" {table.c[name].type.compile(dialect)}' for name in columns)
        sql = (
            f'INSERT INTO "{table.name}" ({names}) SELECT {names} '
            f"FROM json_to_recordset(CAST(:rows AS json)) AS t({types})"
        )
        if skip_conflicts:
            sql += " ON CONFLICT DO NOTHING"
        if returning:
            sql += " RETURNING " + ", ".join(f'"{name}"' for name in returning)
        result = session.execute(text(sql), {"rows": json.dumps(rows, default=_json_value)})
        return result.all() if returning else []
    from sqlalchemy.dialects.sqlite import insert

    statement = insert(table)
    if skip_conflicts:
        statement = statement.on_conflict_do_nothing()
    if returning:
        statement = statement.returning(*(table.c[name] for name in returning))
    result = session.execute(statement, rows)
    return result.all() if returning else []


def with_python_defaults(table, row: dict) -> dict:
    """One row's values with the Python-side column defaults it leaves out filled in."""
    return _with_python_defaults(table, [row])[0]


def _with_python_defaults(table, rows: list[dict]) -> list[dict]:
    """Fill in the columns the rows leave out that have a Python-side default, as the ORM
    would (a plain SQL statement does not know about them)."""
    missing = [
        column
        for column in table.columns
        if column.name not in rows[0] and column.default is not None
    ]
    if not missing:
        return rows
    filled = []
    for row in rows:
        row = dict(row)
        for column in missing:
            default = column.default
            row[column.name] = default.arg(None) if default.is_callable else default.arg
        filled.append(row)
    return filled


def _json_value(value):
    if isinstance(value, datetime):  # stored as naive UTC, as UTCDateTime does
        return value.astimezone(UTC).replace(tzinfo=None).isoformat()
    raise TypeError(f"cannot store {type(value).__name__} through insert_many")
