"""CSRF protection: Flask-WTF's, paid for only where it protects something.

Every form carries a `csrf_token` field and a POST without a valid one is refused (400),
as Flask-WTF does. Three things differ, all found by profiling the subscriber pages:

- Forms on the pages behind a signed link (/a, /c, /join, /p, /u: a `token` in the URL,
  see service.links.private_pages) carry a token derived from that link, an HMAC of it
  under the secret key. The link is the capability there: whoever can read the page
  knows the link, and whoever knows the link can post to it from anywhere, so a token
  tied to a browser session protects nothing more; one tied to the link needs no
  session, so opening these pages sets no cookie (writing the session, with a token
  stored in it, cost each page about a tenth of its time). A POST to such a page is also
  accepted with the session's token (a form opened elsewhere in the same browser).
- The check looks at the method first: Flask-WTF 1.3 looked up the view's exemption on
  every GET.
- The session token's signer is made once per key, not on every call, and its HMAC
  copied per token (service/signed_values.py; Flask-WTF's validate_csrf derived the key
  and built the signer on every POST, 3% of a signup's CPU under gunicorn). Its tokens
  are Flask-WTF's own (flask_wtf.csrf.validate_csrf accepts them, and the reverse), its
  checks and messages the same.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
from functools import lru_cache

from flask import Flask, current_app, g, has_request_context, request, session
from flask_wtf import CSRFProtect
from flask_wtf.csrf import same_origin
from itsdangerous import BadData, SignatureExpired
from wtforms import ValidationError

from service.signed_values import CompactJSON, TimedSerializer, TimedSigner

log = logging.getLogger("flask_wtf.csrf")  # Flask-WTF's logger: same lines as before


class LinkAwareCSRFProtect(CSRFProtect):
    def init_app(self, app: Flask) -> None:
        super().init_app(app)
        app.jinja_env.globals["csrf_token"] = form_token
        # Flask-WTF also hands its own generator to every template through a context
        # processor (which would hide the global); the global alone reaches them all.
        processors = app.template_context_processors[None]
        processors[:] = [p for p in processors if p.__module__ != "flask_wtf.csrf"]

    def protect(self, apply_exemptions: bool = False) -> None:
        # The objects behind Flask's proxies, looked up once (~2 us a look-up here): this
        # runs before every request, GETs included.
        current, config = request._get_current_object(), current_app._get_current_object().config
        if current.method not in config["WTF_CSRF_METHODS"]:
            return
        if apply_exemptions and (not current.endpoint or self._is_exempt()):
            return
        sent = self._get_csrf_token()
        link = signed_link()
        if not (link and sent and hmac.compare_digest(sent, link_form_token(link))):
            try:
                validate_session_token(sent)
            except ValidationError as exc:
                log.info(exc.args[0])
                self._error_response(exc.args[0])
        if current.is_secure and config["WTF_CSRF_SSL_STRICT"]:
            if not current.referrer:
                self._error_response("The referrer header is missing.")
            if not _same_origin(current.referrer, current.host):
                self._error_response("The referrer does not match the host.")
        g.csrf_valid = True


@lru_cache(maxsize=256)
def _same_origin(referrer: str, host: str) -> bool:
    """Flask-WTF's same_origin(referrer, https://host/), remembered: it parsed both URLs
    on every POST over https, and a form posts from the same few pages. (An error, a
    malformed port, is raised again each time: lru_cache keeps only answers.)"""
    return same_origin(referrer, f"https://{host}/")


def signed_link() -> str | None:
    """The signed token in this request's URL, on the pages behind a signed link."""
    if not has_request_context():
        return None
    view_args = request._get_current_object().view_args
    return view_args.get("token") if view_args else None


def form_token() -> str:
    """The value of a form's csrf_token field (`csrf_token()` in templates)."""
    link = signed_link()
    return link_form_token(link) if link else session_form_token()


def link_form_token(link: str) -> str:
    key = _link_key(current_app._get_current_object().secret_key)
    return hmac.new(key, link.encode(), hashlib.sha256).hexdigest()


@lru_cache(maxsize=8)
def _link_key(secret_key: str | bytes) -> bytes:
    secret = secret_key.encode() if isinstance(secret_key, str) else secret_key
    return hmac.new(secret, b"turnabout.csrf-link", hashlib.sha256).digest()


def session_form_token() -> str:
    """Flask-WTF's generate_csrf: the raw token lives in the session, the form gets it
    signed; one value per request (kept in g, where Flask-WTF keeps it)."""
    app, state = current_app._get_current_object(), g._get_current_object()  # looked up once
    field = app.config["WTF_CSRF_FIELD_NAME"]
    if field not in state:
        stored = session._get_current_object()
        if field not in stored:
            stored[field] = hashlib.sha1(os.urandom(64)).hexdigest()
        secret = app.config.get("WTF_CSRF_SECRET_KEY") or app.secret_key
        setattr(state, field, _signer(secret).dumps(stored[field]))
    return state.get(field)


def validate_session_token(data) -> None:
    """flask_wtf.csrf.validate_csrf(data), its checks and messages, with the kept signer:
    ValidationError unless `data` is the session's raw token, signed (and not older than
    WTF_CSRF_TIME_LIMIT seconds, when that is set)."""
    config = current_app.config
    secret = config.get("WTF_CSRF_SECRET_KEY", current_app.secret_key)
    if secret is None:
        raise RuntimeError("A secret key is required to use CSRF.")
    field = config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    if field is None:
        raise RuntimeError("A field name is required to use CSRF.")
    if not data:
        raise ValidationError("The CSRF token is missing.")
    if field not in session:
        raise ValidationError("The CSRF session token is missing.")
    try:
        token = _signer(secret).loads(data, max_age=config.get("WTF_CSRF_TIME_LIMIT", 3600))
    except SignatureExpired as exc:
        raise ValidationError("The CSRF token has expired.") from exc
    except BadData as exc:
        raise ValidationError("The CSRF token is invalid.") from exc
    if not hmac.compare_digest(session[field], token):
        raise ValidationError("The CSRF tokens do not match.")


@lru_cache(maxsize=8)
def _signer(secret_key: str | bytes) -> TimedSerializer:
    """URLSafeTimedSerializer(secret_key, salt="wtf-csrf-token"): Flask-WTF's."""
    return TimedSerializer(TimedSigner([secret_key], "wtf-csrf-token"), CompactJSON)
