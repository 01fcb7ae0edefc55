"""Two costs Flask pays on every request that this app can pay once per process.

Found by profiling GET /healthz (bench/profile_pages.py): Flask asks
inspect.iscoroutinefunction about every before/after hook and the view on every request
(ensure_sync), and builds a new signing serializer for the session cookie each time it
opens or saves a session. Neither answer changes while the process runs (the hooks are
the same functions; the serializer depends only on the keys and settings, which are
part of the cache key here).
"""

from __future__ import annotations

from flask import Flask
from flask.sessions import SecureCookieSessionInterface

# Hooks and views are module-level functions and a few wrappers made at start-up; the
# cap only guards against a caller that makes a new function per request.
_MAX_REMEMBERED = 1024


def init_app(app: Flask) -> None:
    _remember_sync_checks(app)
    app.session_interface = SessionWithOneSerializer()


def _remember_sync_checks(app: Flask) -> None:
    check = app.ensure_sync
    known: dict = {}

    def ensure_sync(func):
        try:
            return known[func]
        except KeyError:
            result = check(func)
            if len(known) < _MAX_REMEMBERED:
                known[func] = result
            return result
        except TypeError:  # an unhashable callable: ask Flask every time
            return check(func)

    app.ensure_sync = ensure_sync


class SessionWithOneSerializer(SecureCookieSessionInterface):
    """Flask's signed-cookie session, with the serializer kept while the keys stay."""

    _kept: tuple | None = None

    def get_signing_serializer(self, app: Flask):
        keys = (app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        if self._kept is None or self._kept[0] != keys:
            self._kept = (keys, super().get_signing_serializer(app))
        return self._kept[1]
