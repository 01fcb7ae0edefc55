"""service.csrf checks the session's CSRF token as Flask-WTF's validate_csrf does, with a
signer kept per key: the same tokens pass, the same fail, with the same message."""

from __future__ import annotations

import time

import pytest
from flask import Flask, g, session
from flask_wtf.csrf import generate_csrf, validate_csrf
from wtforms import ValidationError

from service.csrf import session_form_token, validate_session_token

RAW = "5e" * 20


def _outcome(check, data) -> str:
    try:
        check(data)
    except ValidationError as exc:
        return exc.args[0]
    return "valid"


@pytest.fixture
def flask_app():
    app = Flask(__name__)
    app.secret_key = "csrf-test-secret-" + "s" * 32
    app.config["WTF_CSRF_FIELD_NAME"] = "csrf_token"
    return app


def _variants(token: str) -> list:
    body, stamp, signature = token.rsplit(".", 2)
    return [
        token,
        None,
        "",
        "garbage",
        token + "x",
        f"{body}.{stamp}.{signature[:-2]}",
        f"{body}x.{stamp}.{signature}",
        f"{body}.{signature}",
        f"{body}.{stamp}.{signature[:4]}~{signature[4:]}",
        f"ü{token}",
    ]


@pytest.mark.parametrize("time_limit", [None, 3600, 5])
def test_the_same_tokens_pass_and_fail_with_the_same_messages(flask_app, monkeypatch, time_limit):
    flask_app.config["WTF_CSRF_TIME_LIMIT"] = time_limit
    now = 1_800_000_000
    monkeypatch.setattr(time, "time", lambda: now + 0.5)
    with flask_app.test_request_context():
        assert _outcome(validate_session_token, "anything") == "The CSRF session token is missing."
        session["csrf_token"] = RAW
        ours = session_form_token()
        g.pop("csrf_token")  # both keep the request's token in g
        theirs = generate_csrf()
        assert ours == theirs  # same raw token, same second: the same signed value
        session["csrf_token"] = "77" * 20
        mismatch = _outcome(validate_csrf, theirs)
        assert mismatch == "The CSRF tokens do not match."
        assert _outcome(validate_session_token, theirs) == mismatch
        session["csrf_token"] = RAW
        for later in (0, 5, 6, 4000, -1):
            monkeypatch.setattr(time, "time", lambda later=later: now + later + 0.9)
            for data in _variants(theirs):
                expected = _outcome(validate_csrf, data)
                assert _outcome(validate_session_token, data) == expected, (later, data)
        monkeypatch.setattr(time, "time", lambda: now + 6.0)
        expected = "The CSRF token has expired." if time_limit == 5 else "valid"
        assert _outcome(validate_session_token, ours) == expected


def test_a_token_under_another_secret_is_invalid(flask_app):
    with flask_app.test_request_context():
        session["csrf_token"] = RAW
        token = generate_csrf()
    flask_app.secret_key = "another-secret-" + "a" * 32
    with flask_app.test_request_context():
        session["csrf_token"] = RAW
        assert _outcome(validate_session_token, token) == "The CSRF token is invalid."
        assert _outcome(validate_csrf, token) == "The CSRF token is invalid."


@pytest.mark.parametrize(
    "referrer",
    [
        "https://turnabout.example/",
        "https://turnabout.example/p/x?y=1",
        "https://turnabout.example:443/",
        "https://TURNABOUT.example/",
        "http://turnabout.example/",
        "https://turnabout.example.evil/",
        "https://evil.example/?https://turnabout.example/",
        "https://turnabout.example:8443/",
        "//turnabout.example/",
        "",
    ],
)
def test_the_referrer_check_answers_as_flask_wtf(referrer):
    from flask_wtf.csrf import same_origin

    from service.csrf import _same_origin

    for host in ("turnabout.example", "turnabout.example:443", "turnabout.example:8443"):
        expected = same_origin(referrer, f"https://{host}/")
        assert _same_origin(referrer, host) == expected
        assert _same_origin(referrer, host) == expected  # remembered
    with pytest.raises(ValueError):  # a malformed port: raised each time, as before
        _same_origin("https://turnabout.example:x/", "turnabout.example")
    with pytest.raises(ValueError):
        _same_origin("https://turnabout.example:x/", "turnabout.example")
