"""The inbound job: process stored messages one after another in one job, and send the
mail they cause (relays, confirmations) from the same job, a group at a time.

Why a batch: a job per message cost ~140 ms in the worker for ~30 ms of work, because
every rq job forks a work horse that opens its own database connection, and every relay
then enqueued a second job to send it. Here the webhook only makes sure one
`process_stored` job is waiting (`kick`: a Redis flag set with NX, cleared when the job
starts), so a burst of replies enqueues a few jobs, not one per reply.

Exactly once, without a claim column: a job takes the oldest stored message no other
worker holds, with a row lock (FOR UPDATE SKIP LOCKED) kept until that message's outcome
is committed, one transaction per message. A crashed worker's lock ends with its
connection and the message is simply still stored. A job that finds a backlog keeps one
more job waiting, so every idle worker joins in; it stops after BUDGET seconds and leaves
the rest to the next job, so a worker that also serves other queues gets back to them
(see `service.queues`)."""

from __future__ import annotations

import logging
import time
from collections import Counter
from datetime import timedelta

from rq import Retry
from rq.timeouts import BaseTimeoutException
from sqlalchemy import func, select

from service.database import utcnow
from service.extensions import db
from service.inbound.models import InboundMessage, InboundState
from service.inbound.process import MessageError, process_next
from service.inbound.relay import relay_limit_read_once
from service.mail.delivery import deliver_now, delivered_here
from service.queues import INBOUND, enqueue
from service.redis_conn import get_redis
from service.transient import is_transient

log = logging.getLogger(__name__)

KICK_KEY = "turnabout:inbound:kick"
KICK_TTL = 30  # seconds: a lost job is replaced by the next kick after this at the latest
CHUNK = 25  # messages processed between two hand-overs of the mail they caused
BUDGET = 10.0  # seconds a job keeps taking messages
JOB_TIMEOUT = 60  # seconds; every message is capped well below (parse limits)
# A job that left messages stored after transient errors runs again later.
LATER = Retry(max=3, interval=[10, 60, 300])


class MessagesLeft(Exception):
    """Some messages met errors; each is recorded on its row (or still stored, if the
    error was transient) and this job is marked failed so the errors are seen."""


def kick() -> None:
    """Make sure a process_stored job is waiting. Raises if Redis cannot be reached."""
    redis = get_redis()
    if not redis.set(KICK_KEY, 1, nx=True, ex=KICK_TTL):
        return  # one is waiting already
    try:
        enqueue(INBOUND, process_stored, job_timeout=JOB_TIMEOUT, retry=LATER)
    except Exception:
        redis.delete(KICK_KEY)
        raise


def process_stored() -> dict:
    """RQ job: process stored messages, oldest first, for up to BUDGET seconds."""
    get_redis().delete(KICK_KEY)  # from now on, a new message enqueues a new job
    counts: Counter = Counter()
    errors: list[MessageError] = []
    deadline = time.monotonic() + BUDGET
    after = 0
    with relay_limit_read_once(), delivered_here() as queued:
        while True:
            done, after = _chunk(after, counts, errors, deadline)
            _hand_over(queued)
            if done < CHUNK or time.monotonic() > deadline:
                break
    if time.monotonic() > deadline:
        kick()  # a backlog may be left: the next job continues from the oldest
    if errors:
        raise MessagesLeft(f"{len(errors)} messages: " + "; ".join(map(str, errors[:5])))
    return dict(counts)


def _chunk(after: int, counts: Counter, errors: list, deadline: float) -> tuple[int, int]:
    """Process up to CHUNK messages after id `after`; returns (how many, last id)."""
    done = 0
    while done < CHUNK and time.monotonic() <= deadline:
        try:
            inbound_id, outcome = process_next(after)
        except MessageError as failed:
            if isinstance(failed.error, BaseTimeoutException):
                raise  # the job ran out of time: stop here, rq records it
            log.error("%s", failed, exc_info=failed.error)
            errors.append(failed)
            inbound_id = failed.inbound_id
            outcome = "left stored" if is_transient(failed.error) else "error"
        if inbound_id is None:
            break
        after, done = inbound_id, done + 1
        if done == 2:
            kick()  # more than one waiting: a backlog, let an idle worker join in
        counts[(outcome or "-").split(":")[0]] += 1
    return done, after


def _hand_over(queued: list[int]) -> None:
    """Send the mail the last chunk queued, rendered together. A failure here leaves the
    rows queued; `sweep_stalled` sends them later."""
    if not queued:
        return
    ids, queued[:] = list(queued), []
    try:
        deliver_now(ids)
    except Exception:
        log.exception("delivery of %s emails queued by inbound messages failed", len(ids))


def sweep_stored(older_than_minutes: int = 5) -> int:
    """Scheduled job: kick the inbound job if messages wait that no job took (Redis was
    down when they arrived, or a worker died mid-job). Returns how many wait."""
    cutoff = utcnow() - timedelta(minutes=older_than_minutes)
    waiting = db.session.scalar(
        select(func.count(InboundMessage.id)).where(
            InboundMessage.state == InboundState.STORED, InboundMessage.received_at < cutoff
        )
    )
    if waiting:
        kick()
    return waiting
