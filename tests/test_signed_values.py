"""service/signed_values.py writes and reads itsdangerous' values byte for byte: the
session cookie as Flask's SecureCookieSessionInterface makes it, CSRF tokens as
Flask-WTF makes them; rotated keys, tampering and expiry decided the same way."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from flask import Flask, session
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadData, BadPayload, BadSignature, SignatureExpired
from itsdangerous import URLSafeTimedSerializer as Reference
from markupsafe import Markup

from service.ops.flask_costs import SessionWithOneSerializer
from service.signed_values import CompactJSON, TimedSerializer, TimedSigner

KEY, OLD_KEY = "a-session-secret-" + "k" * 32, "an-older-secret-" + "o" * 32


def _flask_app(*, fallbacks=(), lifetime=timedelta(days=31)) -> Flask:
    app = Flask(__name__)
    app.secret_key = KEY
    app.config["SECRET_KEY_FALLBACKS"] = list(fallbacks)
    app.config["PERMANENT_SESSION_LIFETIME"] = lifetime
    return app


def _both(app: Flask):
    return (
        SecureCookieSessionInterface().get_signing_serializer(app),
        SessionWithOneSerializer().get_signing_serializer(app),
    )


SESSIONS = [
    {},
    {"csrf_token": "0f" * 20},
    {"csrf_token": "ab" * 20, "_flashes": [("message", "Saved.")], "_fresh": True},
    {"bytes": b"\x00\xff", "tuple": (1, "two"), "markup": Markup("<b>x</b>")},
    {"words": "ünïcödé " * 40},  # compressed: the payload starts with "."
    {" t": "looks like a tag", "nested": [{" m": "<i>"}, {"n": None}]},
]


@pytest.mark.parametrize("data", SESSIONS)
def test_session_cookies_are_flasks_byte_for_byte(monkeypatch, data):
    monkeypatch.setattr(time, "time", lambda: 1_800_000_000.7)
    flask_side, ours = _both(_flask_app())
    assert ours.dumps(data) == flask_side.dumps(data)
    assert ours.loads(flask_side.dumps(data), max_age=60) == data
    assert flask_side.loads(ours.dumps(data), max_age=60) == data


def test_a_cookie_signed_with_a_fallback_key_is_read_and_new_ones_use_the_current():
    old_cookie = _both(_flask_app())[0].dumps({"seen": "yes"})  # under KEY
    rotated = _flask_app(fallbacks=[OLD_KEY, KEY])
    rotated.secret_key = "the-newest-secret-" + "n" * 32
    flask_side, ours = _both(rotated)
    assert ours.loads(old_cookie, max_age=60) == {"seen": "yes"}
    assert ours.dumps({"a": 1}) == flask_side.dumps({"a": 1})
    assert ours.secret_keys == flask_side.secret_keys
    with pytest.raises(BadSignature):
        _both(_flask_app())[1].loads(ours.dumps({"a": 1}), max_age=60)  # not a known key


def _tampered(token: str) -> list[str]:
    body, stamp, signature = token.split(".")[-3:]
    head = token[: -len(f"{body}.{stamp}.{signature}")]
    flip = {"A": "B"}.get(signature[0], "A")
    return [
        "",
        "no-dots-at-all",
        token + "x",
        token[:-1],
        f"{head}{body}.{stamp}.{flip}{signature[1:]}",
        f"{head}{body}x.{stamp}.{signature}",
        f"{head}{body}.{stamp}x.{signature}",
        f"{head}{body}.{signature}",
        f"{head}{body}.{stamp}.{signature[:3]}!{signature[3:]}",  # base64 skips the "!"
        f"{head}{body}.{stamp}.{signature}==",
        f"{head}{body}.{stamp}.ü{signature}",
        token.replace(".", "..", 1),
        "." + token,
    ]


def _outcome(loads, value: str, max_age):
    try:
        return ("ok", loads(value, max_age=max_age))
    except SignatureExpired:
        return ("expired", None)
    except BadPayload:
        return ("payload", None)
    except BadSignature:
        return ("bad", None)


@pytest.mark.parametrize("data", [{"csrf_token": "0f" * 20}, {"words": "long " * 50}])
def test_tampered_and_malformed_cookies_are_refused_as_flask_refuses_them(data):
    flask_side, ours = _both(_flask_app())
    for value in _tampered(flask_side.dumps(data)):
        assert _outcome(ours.loads, value, 60) == _outcome(flask_side.loads, value, 60), value


def test_expiry_is_decided_on_the_same_second(monkeypatch):
    flask_side, ours = _both(_flask_app())
    now = 1_800_000_000
    monkeypatch.setattr(time, "time", lambda: now + 0.9)
    cookie = flask_side.dumps({"seen": "yes"})
    for later, expected in [(0, "ok"), (60, "ok"), (61, "expired"), (-1, "expired")]:
        monkeypatch.setattr(time, "time", lambda later=later: now + later + 0.2)
        assert _outcome(ours.loads, cookie, 60)[0] == expected
        assert _outcome(flask_side.loads, cookie, 60)[0] == expected
    assert _outcome(ours.loads, cookie, None)[0] == "ok"


def test_the_app_reads_flasks_cookie_and_flask_reads_the_apps(app):
    @app.get("/_signed/set")
    def set_value():
        session["seen"] = "yes"
        return "set"

    @app.get("/_signed/get")
    def get_value():
        return session.get("seen", "no")

    reference = SecureCookieSessionInterface().get_signing_serializer(app)
    client = app.test_client()
    client.set_cookie("session", reference.dumps({"seen": "from flask"}))
    assert client.get("/_signed/get").get_data(as_text=True) == "from flask"
    client.get("/_signed/set")
    written = client.get_cookie("session").value
    assert reference.loads(written) == {"seen": "yes"}
    client.set_cookie("session", written[:-2] + "xx")  # tampered: an empty session
    assert client.get("/_signed/get").get_data(as_text=True) == "no"


def test_an_app_without_a_secret_key_gets_no_serializer():
    app = _flask_app()
    app.secret_key = None
    assert SessionWithOneSerializer().get_signing_serializer(app) is None


@pytest.mark.parametrize("derivation", ["django-concat", "hmac"])
def test_plain_json_values_match_itsdangerous_defaults(monkeypatch, derivation):
    monkeypatch.setattr(time, "time", lambda: 1_800_000_123.0)
    kwargs = {"key_derivation": derivation}
    reference = Reference([OLD_KEY, KEY], salt="wtf-csrf-token", signer_kwargs=kwargs)
    ours = TimedSerializer(TimedSigner([OLD_KEY, KEY], "wtf-csrf-token", **kwargs), CompactJSON)
    for value in ["ab" * 20, ["list", 1, None], {"k": "ü"}, "x" * 300]:
        assert ours.dumps(value) == reference.dumps(value)
        assert ours.loads(reference.dumps(value), max_age=5) == value
    for value in _tampered(reference.dumps("ab" * 20)):
        expected = _outcome(reference.loads, value, 5)
        assert _outcome(ours.loads, value, 5) == expected, value
    with pytest.raises(BadData):
        ours.loads(TimedSerializer(TimedSigner([KEY], "other"), CompactJSON).dumps("x"))
