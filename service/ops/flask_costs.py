"""Costs Flask pays on every request that this app can pay once per process, or skip.

Found by profiling GET /healthz (bench/profile_pages.py): Flask asks
inspect.iscoroutinefunction about every before/after hook and the view on every request
(ensure_sync), and builds a new signing serializer for the session cookie each time it
opens or saves a session. Neither answer changes while the process runs (the hooks are
the same functions; the serializer depends only on the keys and settings, which are
part of the cache key here).

Templates build the same few fixed URLs on every page (static files, the landing page):
those are built once per process.

Most requests come without a session cookie and leave the session empty (the pages
behind signed links, the probes): opening one then looked the cookie up through a
werkzeug MultiDict (a missing key raises and catches an HTTP exception) and saving it
read seven cookie settings before finding nothing to write. Both return at once now,
with the same result.
"""

from __future__ import annotations

from flask import Flask, has_request_context, request
from flask.globals import request_ctx
from flask.sessions import SecureCookieSessionInterface
from flask.templating import _default_template_ctx_processor
from werkzeug.routing import BuildError

from service.links import TOKEN_PLACEHOLDER, URL_SAFE_TOKEN
from service.response_headers import add_vary
from service.signed_values import TimedSerializer, TimedSigner

# Hooks and views are module-level functions and a few wrappers made at start-up; the
# cap only guards against a caller that makes a new function per request.
_MAX_REMEMBERED = 1024


def init_app(app: Flask) -> None:
    _remember_sync_checks(app)
    app.session_interface = SessionWithOneSerializer()
    app.jinja_env.globals["url_for"] = _fixed_urls_remembered(app)
    app.jinja_env.globals["get_flashed_messages"] = get_flashed_messages


def get_flashed_messages(with_categories: bool = False, category_filter=()) -> list:
    """Flask's get_flashed_messages (every page's layout calls it), reading the request
    context once: Flask's reads it and the session through proxies three times, ~2 us
    each here. The same result, and the same session access (Vary: Cookie)."""
    context = request_ctx._get_current_object()
    flashes = context.flashes
    if flashes is None:
        session = context.session
        flashes = context.flashes = session.pop("_flashes") if "_flashes" in session else []
    if category_filter:
        flashes = [flash for flash in flashes if flash[0] in category_filter]
    return flashes if with_categories else [flash[1] for flash in flashes]


def drop_repeated_context_processors(app: Flask) -> None:
    """Flask gives every blueprint its own copy of the default context processor (g,
    request and session), so each page of a blueprint ran it twice per render. The app's
    copy runs for every render anyway; call this once the blueprints are registered."""
    for name, processors in app.template_context_processors.items():
        if name is not None:
            processors[:] = [p for p in processors if p is not _default_template_ctx_processor]


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


def _fixed_urls_remembered(app: Flask):
    """Templates' url_for, with the URLs that never change (a static file, a page without
    arguments) built once per process and script root: every page's layout builds four
    of them, about a tenth of a small page's template time. A signed link's page (only a
    `token`, of characters a URL carries as they are) is built once per endpoint with a
    placeholder, which the token replaces: werkzeug's build was 3% of the unsubscribe
    page's time in a gunicorn worker. Anything else, and any app with URL defaults, is
    built by Flask every time."""
    build = app.url_for
    known: dict = {}

    def url_for(endpoint: str, **values):
        if (
            endpoint[:1] == "."
            or not has_request_context()
            or any(app.url_default_functions.values())
        ):
            return build(endpoint, **values)
        script_root = request._get_current_object().script_root  # one proxy look-up
        if not values or (endpoint == "static" and values.keys() == {"filename"}):
            key, fill = (script_root, endpoint, values.get("filename")), None
        elif values.keys() == {"token"} and URL_SAFE_TOKEN.match(str(values["token"])):
            key, fill = (script_root, endpoint, TOKEN_PLACEHOLDER), str(values["token"])
        else:
            return build(endpoint, **values)
        url = known.get(key)
        if url is None:
            try:
                url = (
                    build(endpoint, **values)
                    if fill is None
                    else build(endpoint, token=TOKEN_PLACEHOLDER)
                )
            except BuildError:  # a rule the placeholder does not fit: no pattern for it
                return build(endpoint, **values)
            if len(known) < _MAX_REMEMBERED:
                known[key] = url
        return url if fill is None else url.replace(TOKEN_PLACEHOLDER, fill)

    return url_for


class SessionWithOneSerializer(SecureCookieSessionInterface):
    """Flask's signed-cookie session, with the serializer kept while the keys stay, and
    nothing to do for a request without a session cookie that leaves it empty, nor for
    one that leaves its session unchanged.

    The serializer writes and reads Flask's cookie byte for byte (itsdangerous'
    URLSafeTimedSerializer with this interface's salt, HMAC key derivation, SHA1 and
    tagged JSON; SECRET_KEY_FALLBACKS still read) with each key's HMAC made once
    (service/signed_values.py): itsdangerous made them again for every cookie, 5% of a
    signup's CPU under gunicorn."""

    def open_session(self, app: Flask, request):
        if app.secret_key and (
            "HTTP_COOKIE" not in request.environ  # not even parsed: no cookies at all
            or self.get_cookie_name(app) not in request.cookies
        ):
            return self.session_class()
        return super().open_session(app, request)

    def save_session(self, app: Flask, session, response) -> None:
        # Nothing to write or delete: an unchanged session (empty, or the signup form's
        # CSRF token) that is not refreshed on each request. Flask read seven cookie
        # settings and parsed Vary before finding that out.
        if not session.modified and not (session and self.should_set_cookie(app, session)):
            if session.accessed and not _varies_on_cookie(response):
                add_vary(response, "Cookie")
            return
        super().save_session(app, session, response)

    _kept: tuple | None = None

    def get_signing_serializer(self, app: Flask):
        if not app.secret_key:
            return None
        keys = (app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        if self._kept is None or self._kept[0] != keys:
            self._kept = (keys, self._serializer([*keys[1], keys[0]]))
        return self._kept[1]

    def _serializer(self, keys: list) -> TimedSerializer:
        if self.digest_method().name != "sha1" or self.key_derivation != "hmac":
            raise ValueError("the kept session serializer signs with HMAC-SHA1 keys only")
        signer = TimedSigner(keys, self.salt, key_derivation=self.key_derivation)
        encoded = [k.encode() if isinstance(k, str) else bytes(k) for k in keys]
        return TimedSerializer(signer, self.serializer, encoded)


def _varies_on_cookie(response) -> bool:
    """Vary names Cookie already (the language hook adds it to public pages before the
    session is saved): adding it again changes nothing, but werkzeug parsed and wrote
    back the header to find that out. Like werkzeug's response.vary, only the first
    Vary header counts; a quoted value is left to werkzeug's parser."""
    values = response.headers.getlist("Vary")
    if not values or '"' in values[0]:
        return False
    return "cookie" in (name.strip().lower() for name in values[0].split(","))
