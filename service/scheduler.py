"""The single scheduler process (`turnabout cron`): enqueues periodic jobs with rq's cron.

Every scheduled job decides from the database what is due, so a missed hour is caught up
and a second scheduler started by mistake cannot send anything twice.
"""

from __future__ import annotations

import importlib

from flask import Flask
from rq.cron import CronScheduler

from service.queues import DEFAULT, INBOUND, MAIL, ROUNDS
from service.redis_conn import get_redis

# (job function, queue, cron string in UTC, job timeout in seconds)
SCHEDULE = (
    # Pairing a 100k round takes ~20 s; big rounds fan out into queueing jobs of their own.
    ("service.rounds.dispatch.dispatch_due", ROUNDS, "0 * * * *", 900),
    ("service.mail.delivery.sweep_stalled", MAIL, "*/10 * * * *", 300),
    # What people wrote leaves the contexts of emails sent (or skipped) since the last run.
    ("service.mail.words.erase_sent_words", MAIL, "*/10 * * * *", 300),
    # Inbound mail and provider events stored while Redis was down are processed late.
    ("service.inbound.batch.sweep_stored", INBOUND, "*/10 * * * *", 300),
    ("service.inbound.event_actions.sweep_events", INBOUND, "*/10 * * * *", 300),
    ("service.inbound.retention.erase_expired", INBOUND, "30 3 * * *", 1800),
    ("service.subscriptions.maintenance.purge_expired_pending", DEFAULT, "45 3 * * *", 600),
)


def resolve(dotted: str):
    module_name, _, attr = dotted.rpartition(".")
    return getattr(importlib.import_module(module_name), attr)


def build_scheduler(app: Flask) -> CronScheduler:
    scheduler = CronScheduler(connection=get_redis(app), name=None)
    for dotted, queue, cron, timeout in SCHEDULE:
        scheduler.register(resolve(dotted), queue_name=queue, cron=cron, job_timeout=timeout)
    return scheduler


def run_scheduler(app: Flask) -> None:
    build_scheduler(app).start()
