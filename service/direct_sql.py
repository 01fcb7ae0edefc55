"""The hot paths' fixed statements, run straight on psycopg's cursor.

Profiling the pages behind signed links: the same SELECT of one row cost about 175 us of
CPU through the ORM session, 100 us through a Core connection and 45 us on the driver's
cursor, and these pages run one to three such statements each on every request. A
DirectStatement compiles its statement once per database dialect (SQLAlchemy writes the
SQL) and runs it on the cursor of the session's own connection (the same transaction), or
of the one a request runs on in autocommit (service.autocommit: the pages behind signed
links, the inbound webhook).

What SQLAlchemy would still do is done here too: the session's autoflush of pending ORM
changes, its conversions of parameters and result values (UTCDateTime's time zone, for
one), rows whose columns read by name, the before/after_cursor_execute events (tests and
bench/profile_pages.py count statements with them), and a driver error raised as
SQLAlchemy's (a connection it broke is discarded, not returned to the pool).

Only PostgreSQL with psycopg (production, and the test suite's second database); any
other database, a statement with a parameter list expanded at run time, or an INSERT
that leaves a column to a Python-side default (SQLAlchemy computes those as it
executes) goes through Core as before.
"""

from __future__ import annotations

from collections import namedtuple
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql import visitors

from service.autocommit import replace_request_connection, request_connection
from service.extensions import db


class DirectStatement:
    def __init__(self, statement):
        self.statement = statement
        # A SELECT may write too, in a WITH clause (rounds.answer_press): not a read.
        self._reads_only = statement.is_select and not any(
            getattr(element, "is_dml", False) for element in visitors.iterate(statement)
        )
        self._plans: dict[tuple[str, str], _Plan | None] = {}

    def all(self, params: dict) -> list:
        return self._execute(params, fetch=True)

    def first(self, params: dict):
        rows = self._execute(params, fetch=True)
        return rows[0] if rows else None

    def run(self, params: dict) -> None:
        """For a statement that returns no rows (an INSERT or UPDATE without RETURNING)."""
        self._execute(params, fetch=False)

    def _execute(self, params: dict, *, fetch: bool):
        connection = request_connection()  # a request in autocommit (service.autocommit)
        if connection is None:
            session = db.session
            if session.autoflush:  # as session.execute does: pending ORM changes go first
                session.flush()
            return self._execute_on(session.connection(), params, fetch)
        try:
            return self._execute_on(connection, params, fetch)
        except DBAPIError as exc:
            if not (exc.connection_invalidated and self._reads_only):
                raise  # a write may have committed before the connection broke: never twice
            # The kept connection was lost (a database restart, an idle timeout): this
            # read, outside any transaction, runs once more on a new one.
            return self._execute_on(replace_request_connection(), params, fetch)

    def _execute_on(self, connection, params: dict, fetch: bool):
        plan = self._plan(connection.dialect)
        if plan is None:
            return _through_core(connection, self.statement, params, fetch)
        sql, values = plan.sql, plan.values(params)
        cursor = connection.connection.cursor()
        try:
            for listener in connection.dispatch.before_cursor_execute:
                sql, values = listener(connection, cursor, sql, values, None, False)
            cursor.execute(sql, values)
            rows = cursor.fetchall() if fetch else None
            for listener in connection.dispatch.after_cursor_execute:
                listener(connection, cursor, sql, values, None, False)
        except connection.dialect.loaded_dbapi.Error as exc:
            raise _as_sqlalchemy_error(connection, cursor, sql, values, exc) from exc
        finally:
            cursor.close()
        return [plan.row(raw) for raw in rows] if fetch else None

    def _plan(self, dialect):
        key = (dialect.name, dialect.driver)
        if key not in self._plans:
            supported = key == ("postgresql", "psycopg")
            self._plans[key] = _Plan.make(self.statement, dialect) if supported else None
        return self._plans[key]


def _as_sqlalchemy_error(connection, cursor, sql: str, values: dict, exc: Exception):
    """The error SQLAlchemy would raise; a connection the error broke leaves the pool."""
    dialect = connection.dialect
    broken = dialect.is_disconnect(exc, connection.connection.dbapi_connection, cursor)
    if broken:
        connection.invalidate(exc)
    return DBAPIError.instance(
        sql,
        values,
        exc,
        dialect.loaded_dbapi.Error,
        hide_parameters=connection.engine.hide_parameters,
        connection_invalidated=broken,
        dialect=dialect,
    )


def _through_core(connection, statement, params: dict, fetch: bool):
    result = connection.execute(statement, params)
    return result.all() if fetch else None


@dataclass(frozen=True)
class _Plan:
    sql: str
    defaults: dict[str, Any]  # values written into the statement (literals)
    converters: dict[str, Any]  # parameter name -> SQLAlchemy's conversion
    row_type: type | None
    readers: tuple  # per result column: SQLAlchemy's conversion, or None
    reads: bool  # any conversion at all

    @classmethod
    def make(cls, statement, dialect) -> _Plan | None:
        compiled = statement.compile(dialect=dialect)
        if compiled.positional or compiled.escaped_bind_names:
            return None
        if getattr(compiled, "insert_prefetch", None) or getattr(compiled, "update_prefetch", None):
            return None  # column defaults computed by SQLAlchemy when it executes
        defaults, converters = {}, {}
        for bind, name in compiled.bind_names.items():
            if bind.expanding or bind.literal_execute or bind.callable is not None:
                return None
            if not bind.required:
                defaults[name] = bind.effective_value
            converter = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if converter is not None:
                converters[name] = converter
        columns = statement.exported_columns  # a SELECT's columns, or what DML returns
        readers = tuple(
            column.type.dialect_impl(dialect).result_processor(dialect, None) for column in columns
        )
        row_type = namedtuple("Row", list(columns.keys()), rename=True) if columns else None
        return cls(compiled.string, defaults, converters, row_type, readers, any(readers))

    def values(self, params: dict) -> dict:
        values = {**self.defaults, **params}
        for name, converter in self.converters.items():
            if name in values:
                values[name] = converter(values[name])
        return values

    def row(self, raw: tuple):
        if self.reads:
            raw = tuple(
                value if reader is None else reader(value)
                for reader, value in zip(self.readers, raw, strict=True)
            )
        return self.row_type._make(raw)
