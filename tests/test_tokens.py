"""Link tokens (service/tokens.py) are itsdangerous' URLSafeTimedSerializer tokens, made
and read without its layers: links already in people's inboxes, made by itsdangerous,
must keep working, and the tokens made now must read as before (a rollback)."""

from __future__ import annotations

import time

import pytest
from flask import Flask
from itsdangerous import URLSafeTimedSerializer

from service import tokens
from service.tokens import PURPOSES, TokenError, make_token, read_token

SECRET = "token-test-secret-" + "x" * 32


@pytest.fixture
def keyed():
    """Tokens need only the secret key: no database, so a bare Flask app."""
    app = Flask(__name__)
    app.config["SECRET_KEY"] = SECRET
    with app.app_context():
        yield app


def itsdangerous(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(SECRET, salt=f"turnabout.{purpose}")


@pytest.mark.parametrize(
    "payload", [7, [12, 34, "outcome"], [1, 2, "rating", "ünïcode ✓"], {"a": [1, 2]}, None]
)
def test_each_reads_the_others_tokens(keyed, payload):
    assert itsdangerous("answer").loads(make_token("answer", payload)) == payload
    assert read_token("answer", itsdangerous("answer").dumps(payload)) == payload


def test_a_compressed_token_from_itsdangerous_is_read(keyed):
    payload = ["a long payload that zlib makes shorter"] * 20
    old = itsdangerous("preferences").dumps(payload)
    assert old.startswith(".")  # itsdangerous compressed it
    assert read_token("preferences", old) == payload


def test_a_token_of_another_purpose_or_key_is_invalid(keyed):
    token = make_token("unsubscribe", 5)
    for purpose in set(PURPOSES) - {"unsubscribe"}:
        with pytest.raises(TokenError, match="invalid"):
            read_token(purpose, token)
    other_key = URLSafeTimedSerializer("another-" + SECRET, salt="turnabout.unsubscribe")
    with pytest.raises(TokenError, match="invalid"):
        read_token("unsubscribe", other_key.dumps(5))


def test_every_change_to_a_token_makes_it_invalid(keyed):
    token = make_token("answer", [12, 34, "outcome"])
    body, stamp, signature = token.split(".")
    other_stamp = ("B" if stamp[0] != "B" else "C") + stamp[1:]  # first characters carry
    other_signature = ("B" if signature[0] != "B" else "C") + signature[1:]  # whole bits
    changed = [
        make_token("answer", [12, 35, "outcome"]).split(".")[0] + f".{stamp}.{signature}",
        f"{body}.{other_stamp}.{signature}",
        f"{body}.{stamp}.{other_signature}",
        f"{body}.{stamp}",
        f"{body}{stamp}{signature}",
        f"{body}.{stamp}.{signature}.",
        "",
        ".",
        "..",
        "ä.ö.ü",
        "%%%.***.!!!",
        token[:-1],
    ]
    for bad in changed:
        with pytest.raises(TokenError, match="invalid"):
            read_token("answer", bad)
    assert read_token("answer", token) == [12, 34, "outcome"]


def test_a_token_expires_after_its_purposes_age_and_is_never_from_the_future(keyed, monkeypatch):
    now = int(time.time())
    monkeypatch.setattr(tokens, "signing_time", lambda: now - PURPOSES["confirm"] - 5)
    old = make_token("confirm", 3)
    assert itsdangerous("confirm").loads(old) == 3  # itsdangerous dates it the same way
    with pytest.raises(TokenError, match="expired"):
        read_token("confirm", old)
    assert read_token("confirm", old, max_age=PURPOSES["confirm"] + 60) == 3
    monkeypatch.setattr(tokens, "signing_time", lambda: now + 3600)
    with pytest.raises(TokenError, match="expired"):
        read_token("confirm", make_token("confirm", 3))


def test_an_unknown_purpose_is_a_programming_error(keyed):
    with pytest.raises(ValueError, match="unknown token purpose"):
        make_token("nonsense", 1)
