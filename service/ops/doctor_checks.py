"""The checks `turnabout doctor` runs, in order. Each yields Findings: what it saw and, when
something is wrong, how to fix it. They run inside an app context of the real config."""

from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass

from flask import Flask
from rq import Worker
from rq.cron import CronScheduler

from service.mail.transports import get_transport
from service.mail.transports.base import NotReady
from service.ops.health import database_state, migrations_state, redis_state
from service.redis_conn import get_redis

HTTP_TIMEOUT = 10


@dataclass(frozen=True)
class Finding:
    check: str
    state: str  # ok | warn | fail
    summary: str
    fix: str = ""


def check_configuration(app: Flask):
    config = app.config
    if config["PRODUCTION"] and config["MAIL_BACKEND"] == "outbox":
        yield Finding(
            "configuration",
            "fail",
            "MAIL_BACKEND=outbox writes mail to local files; nobody receives it",
            "set MAIL_BACKEND=sendgrid (with SENDGRID_API_KEY) or MAIL_BACKEND=smtp (SMTP_URL)",
        )
    if config["PRODUCTION"] and not config["METRICS_TOKEN"]:
        yield Finding(
            "configuration",
            "warn",
            "METRICS_TOKEN is not set, so /metrics is switched off",
            "set METRICS_TOKEN to a long random value and give it to Prometheus",
        )
    mode = "production" if config["PRODUCTION"] else "development (TURNABOUT_ENV)"
    yield Finding("configuration", "ok", f"settings accepted, {mode} mode")


def check_database(app: Flask):
    state = database_state()
    if state != "ok":
        yield Finding("database", "fail", state, "check DATABASE_URL and that the server runs")
        return
    migrations = migrations_state()
    if migrations != "ok":
        yield Finding(
            "database",
            "fail",
            "schema is not at the latest migration",
            "run `turnabout db upgrade`",
        )
        return
    yield Finding("database", "ok", "answers; schema at the latest migration")


def check_redis(app: Flask):
    state = redis_state()
    if state != "ok":
        yield Finding("redis", "fail", state, "check REDIS_URL and that Redis runs")
        return
    yield Finding("redis", "ok", "answers")


def check_transport(app: Flask):
    """Whatever MAIL_BACKEND names checks itself (each transport knows its provider)."""
    try:
        summary = get_transport(app.config).check()
    except NotReady as exc:
        yield Finding("mail transport", "fail", exc.problem, exc.fix)
        return
    yield Finding("mail transport", "ok", summary)


def check_processes(app: Flask):
    redis = get_redis()
    schedulers = len(CronScheduler.all(redis))
    if schedulers != 1:
        fix = (
            "start exactly one `turnabout cron` (deploy/turnabout-cron.service)"
            if not schedulers
            else "stop all but one `turnabout cron`"
        )
        yield Finding("scheduler", "fail", f"{schedulers} schedulers running, need exactly 1", fix)
    else:
        yield Finding("scheduler", "ok", "exactly one `turnabout cron` is running")
    workers = Worker.count(connection=redis)
    if not workers:
        yield Finding(
            "workers",
            "fail",
            "no worker is running; nothing gets sent",
            "start `turnabout worker` (deploy/turnabout-worker@.service)",
        )
    else:
        yield Finding("workers", "ok", f"{workers} worker(s) running")


def check_inbound_webhook(app: Flask):
    """POST an empty form to the public webhook URL: the right URL and secret answer 400
    "no message in this request", storing nothing; a wrong secret answers 404."""
    url = f"{app.config['BASE_URL']}/webhooks/inbound/{app.config['INBOUND_SECRET']}"
    shown = url.replace(app.config["INBOUND_SECRET"], "INBOUND_SECRET")
    status, body = _http(url, b"", "application/x-www-form-urlencoded")
    if status == 400 and "no message" in body:
        yield Finding("inbound webhook", "ok", f"{shown} answers")
    elif status is None:
        yield Finding(
            "inbound webhook",
            "fail",
            f"{shown} is unreachable ({body})",
            "check BASE_URL, DNS, TLS and that the web process runs",
        )
    else:
        yield Finding(
            "inbound webhook",
            "fail",
            f"{shown} answered {status}",
            "INBOUND_SECRET or BASE_URL differs from what this server runs with",
        )


def _http(url, data: bytes, content_type: str):
    """POST `data`: (status or None, body text); never raises for HTTP or network errors."""
    request = urllib.request.Request(url, data=data, method="POST")
    request.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT) as response:
            return response.status, response.read().decode(errors="replace")[:300]
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(errors="replace")[:300]
    except (OSError, ValueError) as exc:
        return None, str(exc) or exc.__class__.__name__


CHECKS = (
    check_configuration,
    check_database,
    check_redis,
    check_transport,
    check_processes,
    check_inbound_webhook,
)
