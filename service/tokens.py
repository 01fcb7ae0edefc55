"""Signed, expiring tokens for links in emails. Each token is bound to one purpose:
a token made for one purpose is refused for any other (the purpose is the signing salt)."""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

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


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    if purpose not in PURPOSES:
        raise ValueError(f"unknown token purpose {purpose!r}; add it to service.tokens.PURPOSES")
    return _cached_serializer(current_app.config["SECRET_KEY"], purpose)


@lru_cache(maxsize=64)
def _cached_serializer(secret_key: str, purpose: str) -> URLSafeTimedSerializer:
    """One serializer per key and purpose: a bulk send signs several links per email."""
    return URLSafeTimedSerializer(secret_key, salt=f"turnabout.{purpose}")


def make_token(purpose: str, payload) -> str:
    return _serializer(purpose).dumps(payload)


def read_token(purpose: str, token: str, max_age: int | None = None):
    try:
        return _serializer(purpose).loads(token, max_age=max_age or PURPOSES[purpose])
    except SignatureExpired as exc:
        raise TokenError("expired") from exc
    except BadSignature as exc:  # covers tampering and a token of another purpose
        raise TokenError("invalid") from exc


def short_signature(value: str, purpose: str) -> str:
    """A 16-hex-digit HMAC, short enough for the local part of an email address."""
    key = f"turnabout.{purpose}:{current_app.config['SECRET_KEY']}".encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()[:16]


def check_short_signature(value: str, signature: str, purpose: str) -> bool:
    return hmac.compare_digest(short_signature(value, purpose), signature or "")
