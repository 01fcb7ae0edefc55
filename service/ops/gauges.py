"""The service's own numbers, read when Prometheus scrapes: queues, emails, inbound mail,
the current round, and the scheduler and workers alive.

Read from the database and Redis at scrape time rather than counted in each process: the
numbers stay right whatever process changed them, across restarts, and cost nothing on the
request or job path. Each scrape runs a few GROUP BY queries; scrape every 30-60 seconds.
"""

from __future__ import annotations

from prometheus_client.core import GaugeMetricFamily
from rq import Queue, Worker
from rq.cron import CronScheduler
from sqlalchemy import func, select

from service.extensions import db
from service.inbound.models import InboundMessage
from service.mail.models import OutgoingEmail
from service.queues import ALL_QUEUES
from service.redis_conn import get_redis
from service.rounds.models import Pairing, Round, RoundStatus


class ServiceCollector:
    """A prometheus-client collector; call collect() inside an app context."""

    def collect(self):
        yield from queue_metrics()
        yield from email_metrics()
        yield from inbound_metrics()
        yield from round_metrics()


def queue_metrics():
    redis = get_redis()
    depth = GaugeMetricFamily(
        "turnabout_queue_jobs", "Jobs waiting in each queue.", labels=["queue"]
    )
    failed = GaugeMetricFamily(
        "turnabout_queue_failed_jobs",
        "Jobs in each queue's failed registry (retry them from the admin console).",
        labels=["queue"],
    )
    for name in ALL_QUEUES:
        queue = Queue(name, connection=redis)
        depth.add_metric([name], queue.count)
        failed.add_metric([name], queue.failed_job_registry.count)
    yield depth
    yield failed
    yield GaugeMetricFamily(
        "turnabout_workers", "rq workers alive.", value=Worker.count(connection=redis)
    )
    yield GaugeMetricFamily(
        "turnabout_schedulers",
        "`turnabout cron` schedulers alive; anything but 1 needs attention.",
        value=len(CronScheduler.all(redis)),
    )


def email_metrics():
    family = GaugeMetricFamily(
        "turnabout_emails", "Outgoing emails by kind and state.", labels=["kind", "state"]
    )
    query = select(OutgoingEmail.kind, OutgoingEmail.state, func.count()).group_by(
        OutgoingEmail.kind, OutgoingEmail.state
    )
    for kind, state, count in db.session.execute(query):
        family.add_metric([kind, state], count)
    yield family


def inbound_metrics():
    family = GaugeMetricFamily(
        "turnabout_inbound_messages", "Stored inbound messages by state.", labels=["state"]
    )
    query = select(InboundMessage.state, func.count()).group_by(InboundMessage.state)
    for state, count in db.session.execute(query):
        family.add_metric([state], count)
    yield family


def round_metrics():
    """The most recent paired round: its pairs by status and its emails by state."""
    current = db.session.scalar(
        select(Round).where(Round.status == RoundStatus.PAIRED).order_by(Round.week.desc()).limit(1)
    )
    pairs = GaugeMetricFamily(
        "turnabout_round_pairings",
        "Pairings of the current round by status.",
        labels=["week", "status"],
    )
    emails = GaugeMetricFamily(
        "turnabout_round_emails",
        "Emails of the current round's pairings by state (sent / all is the progress).",
        labels=["week", "state"],
    )
    if current is not None:
        by_status = select(Pairing.status, func.count()).where(Pairing.round_id == current.id)
        for status, count in db.session.execute(by_status.group_by(Pairing.status)):
            pairs.add_metric([current.week, status], count)
        by_state = (
            select(OutgoingEmail.state, func.count())
            .join(Pairing, OutgoingEmail.pairing_id == Pairing.id)
            .where(Pairing.round_id == current.id)
            .group_by(OutgoingEmail.state)
        )
        for state, count in db.session.execute(by_state):
            emails.add_metric([current.week, state], count)
    yield pairs
    yield emails
