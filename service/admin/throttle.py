"""Login attempt counting in Redis, per IP and per account.

Every POST to the login form counts, before the CSRF token or the password is looked at,
so an attacker cannot get free guesses by sending requests that fail another check.
Counters are fixed windows that expire on their own; the account key is a hash, so the
counter does not store an address, and it counts for unknown addresses as well (the
answer must not reveal which accounts exist).
"""

from __future__ import annotations

import hashlib
import time

from flask import current_app

from service.redis_conn import get_redis

WINDOW_SECONDS = 15 * 60


def limits() -> dict[str, int]:
    config = current_app.config
    return {
        "ip": int(config.get("ADMIN_LOGIN_ATTEMPTS_PER_IP", 30)),
        "account": int(config.get("ADMIN_LOGIN_ATTEMPTS_PER_ACCOUNT", 10)),
    }


def _keys(ip: str, email: str) -> dict[str, str]:
    window = int(time.time() // WINDOW_SECONDS)
    account = hashlib.sha256((email or "").strip().lower().encode()).hexdigest()[:32]
    return {
        "ip": f"admin:login:ip:{ip}:{window}",
        "account": f"admin:login:account:{account}:{window}",
    }


def count_attempt(ip: str, email: str) -> int | None:
    """Count one attempt; return seconds to wait when a limit is passed, else None."""
    redis = get_redis()
    keys = _keys(ip, email)
    pipe = redis.pipeline()
    for key in keys.values():
        pipe.set(key, 0, ex=WINDOW_SECONDS, nx=True)  # start the window once
        pipe.incr(key)
    results = pipe.execute()
    counts = dict(zip(keys, results[1::2], strict=True))
    allowed = limits()
    if any(counts[name] > allowed[name] for name in counts):
        return WINDOW_SECONDS - int(time.time()) % WINDOW_SECONDS
    return None
