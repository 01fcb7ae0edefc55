"""A per-process copy of what admins change rarely and every public page reads: the
programme settings and the themes on offer.

Profiling showed the landing page spending most of its time on five queries (four
settings read one by one, and the themes) on every view. Each web process now keeps them,
tagged with a version stamp that lives in Redis. A process reads the stamp at most once
every CONTENT_CHECK_SECONDS (one Redis GET; default 1 s) and reloads what a page uses
when the stamp differs, so an admin's save on one machine reaches every process on every
machine within that second, and at once in the process that saved it. (Reading the stamp
on every request cost a Redis round trip per page, the landing page's only one: on a
busy machine each round trip waits for the scheduler.)

Any transaction that adds, changes or deletes a watched model (Setting, Theme) writes a
new stamp just before it commits (a Redis failure then stops the commit, so nothing is
saved that other processes would not see) and again after it, for a process that reloaded
in between.

Only web requests use the copy. Jobs and commands read the database as before: they run
seldom, and a long-lived scheduler would otherwise need a refresh rule of its own.
"""

from __future__ import annotations

import uuid
from time import monotonic

from flask import current_app, g, has_app_context, has_request_context
from redis.exceptions import RedisError
from sqlalchemy import event

from service.redis_conn import get_redis

VERSION_KEY = "turnabout:content-version"
_WATCHED: list[type] = []


def watch(*models: type) -> None:
    """Changes to these models give the cache a new version."""
    _WATCHED.extend(models)


def cached(name: str, load):
    """`load()`, or the copy this process made of it under the current version.

    Reads the database when there is no request, when Redis does not answer, or while
    the request's database session holds an unsaved change to a watched model (an
    admin's page shows what it is about to save)."""
    if not has_request_context():
        return load()
    # Each look-up through Flask's proxies costs ~2 us; a signup asks three times.
    app = current_app._get_current_object()
    session = _open_session(g._get_current_object())
    if session is not None and _touches_content(session):
        return load()
    version = _version(app)
    if version is None:
        return load()
    store = app.extensions.setdefault("content_cache", {})
    hit = store.get(name)
    if hit is not None and hit[0] == version:
        return hit[1]
    value = load()
    store[name] = (version, value)
    return value


def _open_session(request_globals):
    """The request's database session, if something opened one (flask-sqlalchemy-lite
    keeps them in g). A request that opened none has nothing unsaved; asking db.session
    would open one just to look, which cost the landing page a tenth of its time."""
    return request_globals.get("_sqlalchemy_sessions", {}).get("default")


def _version(app) -> bytes | None:
    """The stamp, read from Redis at most once per CONTENT_CHECK_SECONDS in this process.
    A missing key (a new or restarted Redis) gets a new random stamp, so no process can
    keep a copy tagged with an older one."""
    stamp, checked_at = app.extensions.get("content_version", (None, None))
    if checked_at is not None and monotonic() - checked_at < _interval(app):
        return stamp
    try:
        redis = get_redis(app)
        stamp = redis.get(VERSION_KEY)
        if stamp is None:
            redis.set(VERSION_KEY, uuid.uuid4().hex, nx=True)
            stamp = redis.get(VERSION_KEY)
    except RedisError as exc:
        app.logger.warning("content cache off until Redis answers: %s", exc)
        stamp = None
    app.extensions["content_version"] = (stamp, monotonic())
    return stamp


def _interval(app) -> float:
    return float(app.config.get("CONTENT_CHECK_SECONDS", 1.0))


def _touches_content(session) -> bool:
    if session.info.get("content_changed"):
        return True
    pending = (*session.new, *session.dirty, *session.deleted)
    return any(isinstance(obj, model) for obj in pending for model in _WATCHED)


def _new_version() -> None:
    get_redis().set(VERSION_KEY, uuid.uuid4().hex)
    current_app.extensions.pop("content_cache", None)
    current_app.extensions.pop("content_version", None)


def install_session_hooks(session_class) -> None:
    @event.listens_for(session_class, "before_flush")
    def _note_change(session, _context, _instances):
        if _touches_content(session):
            session.info["content_changed"] = True

    @event.listens_for(session_class, "before_commit")
    def _stamp_before(session):
        # Runs before the commit's own final flush, hence the check of pending objects.
        if _touches_content(session) and has_app_context():
            session.info["content_changed"] = True
            _new_version()

    @event.listens_for(session_class, "after_commit")
    def _stamp_after(session):
        if session.info.pop("content_changed", False) and has_app_context():
            try:
                _new_version()
            except RedisError as exc:  # the stamp before the commit already went out
                current_app.logger.warning("second content stamp failed: %s", exc)

    @event.listens_for(session_class, "after_rollback")
    def _forget(session):
        session.info.pop("content_changed", None)
