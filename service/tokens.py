"""Signed, expiring tokens for links in emails. Each token is bound to one purpose:
a token made for one purpose is refused for any other (the purpose is the signing salt).

The tokens are itsdangerous' URLSafeTimedSerializer tokens (payload.timestamp.signature,
an HMAC-SHA1 under a key derived from the secret and the purpose), made and read here
without its layers: every page behind a signed link reads one and most make one more
for a link on the page, and itsdangerous built a signer and derived its key on every
call, and tried to compress every payload (~12 µs each way; ~5 µs here). Links already in
people's inboxes keep working: tests/test_tokens.py checks that each side reads the
other's tokens, compressed payloads included.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import zlib
from functools import lru_cache

from flask import current_app

from service.signed_values import urlsafe_b64, urlsafe_unb64

DAY = 24 * 3600

# purpose -> how long a link stays valid, in seconds
PURPOSES = {
    "confirm": 7 * DAY,
    "preferences": 365 * DAY,
    "unsubscribe": 365 * DAY,
    "answer": 60 * DAY,
    "invite": 30 * DAY,
}


class TokenError(Exception):
    """`reason` is "expired" or "invalid"; pages turn it into advice for the person."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def make_token(purpose: str, payload) -> str:
    return _signer(purpose).dumps(payload)


def read_token(purpose: str, token: str, max_age: int | None = None):
    return _signer(purpose).loads(token, max_age or PURPOSES[purpose])


def short_signature(value: str, purpose: str) -> str:
    """A 16-hex-digit HMAC, short enough for the local part of an email address."""
    key = f"turnabout.{purpose}:{current_app.config['SECRET_KEY']}".encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()[:16]


def check_short_signature(value: str, signature: str, purpose: str) -> bool:
    return hmac.compare_digest(short_signature(value, purpose), signature or "")


def _signer(purpose: str) -> LinkSigner:
    if purpose not in PURPOSES:
        raise ValueError(f"unknown token purpose {purpose!r}; add it to service.tokens.PURPOSES")
    return _cached_signer(current_app._get_current_object().config["SECRET_KEY"], purpose)


@lru_cache(maxsize=64)
def _cached_signer(secret_key: str, purpose: str) -> LinkSigner:
    return LinkSigner(secret_key, f"turnabout.{purpose}")


class LinkSigner:
    """URLSafeTimedSerializer(secret_key, salt)'s dumps and loads, with its defaults:
    compact JSON, URL-safe base64 without padding, "." between the parts, the key derived
    as SHA1(salt + "signer" + secret), HMAC-SHA1."""

    def __init__(self, secret_key: str | bytes, salt: str):
        secret = secret_key.encode() if isinstance(secret_key, str) else secret_key
        key = hashlib.sha1(salt.encode() + b"signer" + secret).digest()
        self._mac = hmac.new(key, digestmod=hashlib.sha1)  # copied for each message

    def dumps(self, payload) -> str:
        # Never compressed: our payloads are a few ids, which zlib only makes longer.
        body = urlsafe_b64(json.dumps(payload, separators=(",", ":")).encode())
        now = signing_time()
        value = body + b"." + urlsafe_b64(now.to_bytes((now.bit_length() + 7) // 8, "big"))
        return (value + b"." + urlsafe_b64(self._digest(value))).decode("ascii")

    def loads(self, token: str, max_age: int):
        """The payload, or TokenError: "invalid" unless the signature is ours, then
        "expired" if older than max_age seconds (or dated in the future)."""
        value, _, signature = token.encode("utf-8", "replace").rpartition(b".")
        body, _, stamp = value.rpartition(b".")
        if not body or not hmac.compare_digest(self._digest(value), _decode(signature)):
            raise TokenError("invalid")
        age = time.time() - int.from_bytes(_decode(stamp), "big")
        if age > max_age or age < 0:
            raise TokenError("expired")
        try:
            data = zlib.decompress(_decode(body[1:])) if body[:1] == b"." else _decode(body)
            return json.loads(data)
        except (zlib.error, ValueError):  # signed by us, so never expected: still no 500
            raise TokenError("invalid") from None

    def _digest(self, value: bytes) -> bytes:
        mac = self._mac.copy()
        mac.update(value)
        return mac.digest()


def signing_time() -> int:
    """The second a new token carries (a test may hold it still)."""
    return int(time.time())


def _decode(data: bytes) -> bytes:
    try:
        return urlsafe_unb64(data)
    except ValueError:  # binascii.Error is one
        return b""  # never equal to a digest, never a timestamp we made
