"""Costs Flask pays on every request that this app can pay once per process, or skip.

Found by profiling GET /healthz (bench/profile_pages.py): Flask asks
inspect.iscoroutinefunction about every before/after hook and the view on every request
(ensure_sync), and builds a new signing serializer for the session cookie each time it
opens or saves a session. Neither answer changes while the process runs (the hooks are
the same functions; the serializer depends only on the keys and settings, which are
part of the cache key here).

Most requests come without a session cookie and leave the session empty (the pages
behind signed links, the probes): opening one then looked the cookie up through a
werkzeug MultiDict (a missing key raises and catches an HTTP exception) and saving it
read seven cookie settings before finding nothing to write. Both return at once now,
with the same result.
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
    """Flask's signed-cookie session, with the serializer kept while the keys stay, and
    nothing to do for a request without a session cookie that leaves it empty."""

    def open_session(self, app: Flask, request):
        if app.secret_key and self.get_cookie_name(app) not in request.cookies:
            return self.session_class()
        return super().open_session(app, request)

    def save_session(self, app: Flask, session, response) -> None:
        if not session and not session.modified:  # nothing to write, nothing to delete
            if session.accessed:
                response.vary.add("Cookie")
            return
        super().save_session(app, session, response)

    _kept: tuple | None = None

    def get_signing_serializer(self, app: Flask):
        keys = (app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        if self._kept is None or self._kept[0] != keys:
            self._kept = (keys, super().get_signing_serializer(app))
        return self._kept[1]
