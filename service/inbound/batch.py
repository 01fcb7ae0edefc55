"""The inbound job: process stored messages a group at a time in one job, and send the
mail they cause (relays, confirmations) from the same job after each group.

Why a batch: a job per message cost ~140 ms in the worker for ~30 ms of work, because
every rq job forks a work horse that opens its own database connection, and every relay
then enqueued a second job to send it. Here the webhook only makes sure one
`process_stored` job is waiting (`kick`: a Redis flag set with NX, cleared when the job
starts), so a burst of replies enqueues a few jobs, not one per reply.

Exactly once, without a claim column: a group takes the oldest stored messages no other
worker holds, with row locks (FOR UPDATE SKIP LOCKED) kept until their outcomes are
committed, one transaction per group (service.inbound.groups). A crashed worker's locks
end with its connection and its messages are simply still stored. A job that finds a
backlog keeps one more job waiting, so every idle worker joins in; it stops after BUDGET
seconds and leaves the rest to the next job, so a worker that also serves other queues
gets back to them (see `service.queues`)."""

from __future__ import annotations

import logging
import time
from collections import Counter
from datetime import timedelta

from rq import Retry
from sqlalchemy import func, select

from service.database import utcnow
from service.extensions import db
from service.inbound.groups import Group, MessageError, process_group
from service.inbound.models import InboundMessage, InboundState
from service.mail.delivery import collected_ids, deliver_now, delivered_here
from service.queues import INBOUND, enqueue
from service.redis_conn import get_redis
from service.settings import read_once
from service.transient import is_transient

log = logging.getLogger(__name__)

KICK_KEY = "turnabout:inbound:kick"
KICK_TTL = 30  # seconds: a lost job is replaced by the next kick after this at the latest
CHUNK = 25  # messages in a group: one transaction, then their mail is handed over
PAUSE = 0.05  # seconds to wait when every message claimed waits for another's group
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
    """RQ job: process stored messages, oldest first, a group at a time (groups.py), for
    up to BUDGET seconds, and hand the mail each group queued to the transport."""
    get_redis().delete(KICK_KEY)  # from now on, a new message enqueues a new job
    counts: Counter = Counter()
    errors: list[MessageError] = []
    deadline = time.monotonic() + BUDGET
    after, first = 0, True
    with read_once(), delivered_here() as queued:
        while True:
            group = process_group(after, CHUNK, deadline)
            _hand_over(queued)
            _count(group, counts, errors)
            if first and len(group.claimed) > 1:
                kick()  # more than one waiting: a backlog, let an idle worker join in
            first = False
            # Past what this group took, except a message it left for later (its pair
            # was busy in another group): the next group tries that one again.
            after = min(group.left) - 1 if group.left else max(group.claimed, default=after)
            if time.monotonic() > deadline or (len(group.claimed) < CHUNK and not group.left):
                break
            if group.left and not group.outcomes:
                time.sleep(PAUSE)  # only busy pairs left: give their group time to commit
    if time.monotonic() > deadline:
        kick()  # a backlog may be left: the next job continues from the oldest
    if errors:
        raise MessagesLeft(f"{len(errors)} messages: " + "; ".join(map(str, errors[:5])))
    return dict(counts)


def _count(group: Group, counts: Counter, errors: list[MessageError]) -> None:
    for _, outcome in group.outcomes:
        counts[(outcome or "-").split(":")[0]] += 1
    for failed in group.errors:
        log.error("%s", failed, exc_info=failed.error)
        counts["left stored" if is_transient(failed.error) else "error"] += 1
    errors += group.errors


def _hand_over(queued: list) -> None:
    """Send the mail the last group queued, rendered together. A failure here leaves the
    rows queued; `sweep_stalled` sends them later."""
    ids, queued[:] = collected_ids(queued), []
    if not ids:
        return
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
