"""Requests whose database work is one statement or a few reads run them in autocommit,
on a connection each process keeps, outside the ORM session: a GET of a page behind a
signed link (service.links) and the inbound webhook's INSERT (service.inbound.views).

A GET of such a page only reads (mail scanners open every link), one to four rows. Taking
a connection from the pool through the request's ORM session, switching it to autocommit
and handing it back cost more CPU than the page's query itself: in a gunicorn worker
under load (py-spy, GET /a/<token>) the session's connection and its closing at teardown
were 13% of the worker's time, the query 9%. Such a request now takes a Core connection
this process keeps for these reads (a sync worker keeps one; a threaded server one per
request running at once). The pages read only through service.direct_sql, so they make no
ORM session at all (making and closing one cost ~6% of a page); with `with_session` one
is made bound to the same connection, so every statement of the request reads the latest
committed data without a transaction. Without it, anything that asks for a session (a
settings reload, once per content version and process) gets a pooled connection in a
transaction of its own (service.links).

The webhook stores a message with one INSERT ... RETURNING: in autocommit that is one
round trip, durable when it returns (synchronous commit), where the session's transaction
took three (BEGIN, the INSERT, COMMIT) and its Python bookkeeping about 0.3 ms of CPU.

Kept connections are checked out of the engine's pool for good; one that broke is closed
when its request ends, and disposing of the engine (tests, shutdown) closes the others.
"""

from __future__ import annotations

import os

import sqlalchemy as sa
from flask import g, has_app_context, has_request_context

from service.extensions import db

# engine -> idle connections; with the process id, so a forked child starts afresh
# (the parent's connections are the parent's: forgotten, never closed, in the child).
_idle: dict[sa.Engine, list[sa.Connection]] = {}
_owner = {"pid": os.getpid()}


def autocommit_request(*, with_session: bool = True) -> bool:
    """Run this request's direct statements (service.direct_sql) in autocommit on a kept
    connection, and with `with_session` its ORM session too, bound to it, if the database
    is PostgreSQL and nothing opened a session yet (a test may share its own with the
    request). Returns whether it does; give_back() ends it."""
    if not has_request_context() or g._get_current_object().get("_sqlalchemy_sessions"):
        return False  # a command or job: give_back() runs at the end of a request only
    engine = db.engine
    if engine.dialect.name != "postgresql":  # SQLite, for development: not worth a second path
        return False
    _use(_take(engine), db.sessionmaker if with_session else None)
    return True


def replace_request_connection() -> sa.Connection:
    """A new connection for this request, in place of one that broke."""
    broken = g.pop("request_connection")
    session = g.get("_sqlalchemy_sessions", {}).pop("default", None)
    if session is not None:
        session.close()
    _close_quietly(broken)
    return _use(_take(broken.engine), g.pop("request_sessionmaker"))


def _use(connection: sa.Connection, sessionmaker) -> sa.Connection:
    state = g._get_current_object()  # each read through Flask's proxy is a look-up
    state.request_connection, state.request_sessionmaker = connection, sessionmaker
    if sessionmaker is not None:
        state.setdefault("_sqlalchemy_sessions", {})["default"] = sessionmaker(bind=connection)
    return connection


def request_connection() -> sa.Connection | None:
    """The kept connection this request runs on in autocommit, else None."""
    return g._get_current_object().get("request_connection") if has_app_context() else None


def give_back(_exc=None) -> None:
    """At the end of the request (teardown): close its session, keep its connection."""
    state = g._get_current_object()
    connection = state.pop("request_connection", None)
    if connection is None:
        return
    # The session bound to it goes too: a test's app context outlives the request.
    bound = state.pop("request_sessionmaker", None) is not None
    session = state.get("_sqlalchemy_sessions", {}).pop("default", None) if bound else None
    if session is not None:
        session.close()  # its reads end before the connection serves another request
    if connection.closed or connection.invalidated or connection.in_transaction():
        _close_quietly(connection)  # broken, or left in a state nobody should inherit
    elif _owner["pid"] == os.getpid():
        _idle.setdefault(connection.engine, []).append(connection)


def _take(engine: sa.Engine) -> sa.Connection:
    if _owner["pid"] != os.getpid():
        _idle.clear()
        _owner["pid"] = os.getpid()
    idle = _idle.get(engine)
    if idle:
        try:
            return idle.pop()
        except IndexError:  # another thread took the last one meanwhile
            pass
    if not sa.event.contains(engine, "engine_disposed", _close_idle):
        sa.event.listen(engine, "engine_disposed", _close_idle)
    return engine.connect().execution_options(isolation_level="AUTOCOMMIT")


def _close_idle(engine: sa.Engine) -> None:
    """After engine.dispose(): its pool is already replaced, so a connection given back to
    the old one would be left open; closed here instead (invalidate closes it)."""
    for connection in _idle.pop(engine, []):
        try:
            connection.invalidate()
        except sa.exc.SQLAlchemyError:
            pass
        _close_quietly(connection)


def _close_quietly(connection: sa.Connection) -> None:
    try:
        connection.close()
    except sa.exc.SQLAlchemyError:
        pass
