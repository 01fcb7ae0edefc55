"""Queue names live here and only here; the worker listens to ALL_QUEUES."""

from __future__ import annotations

from flask import current_app
from rq import Queue, Retry

from service.extensions import db
from service.logs import job_meta
from service.redis_conn import get_redis

# Ordered by priority: a worker takes from the first non-empty queue, so outgoing mail
# (one-off and the round's) goes before inbound work; a worker busy with an inbound batch
# returns to the queue within one batch (service.inbound.batch.BUDGET). A dedicated
# inbound pool (`turnabout worker --queues inbound`) keeps the two apart entirely.
MAIL = "mail"  # one-off transactional mail: confirmations, answers
ROUNDS = "rounds"  # pairing, dispatching and bulk sending of the weekly round
INBOUND = "inbound"  # stored inbound messages (and the relays they cause), provider events
DEFAULT = "default"

ALL_QUEUES = (MAIL, ROUNDS, INBOUND, DEFAULT)

# Transient failures (provider 429/5xx, timeouts) are retried with growing pauses.
TRANSIENT_RETRY = Retry(max=5, interval=[10, 30, 120, 600, 1800])


def get_queue(name: str) -> Queue:
    if name not in ALL_QUEUES:
        raise ValueError(f"unknown queue {name!r}; add it to service.queues.ALL_QUEUES")
    return Queue(name, connection=get_redis(current_app._get_current_object()))


def enqueue(queue_name: str, func, *args, **options):
    """Enqueue `func(*args)` now. Pass plain values only (ids, strings), never ORM objects;
    rq's own options (job_id, retry, at_front, ...) go in `options`."""
    options.setdefault("meta", job_meta())  # the request id, into the job's log lines
    return get_queue(queue_name).enqueue(func, *args, **options)


def enqueue_after_commit(queue_name: str, func, *args, **options) -> None:
    """Enqueue once the current transaction commits, so the job never runs before the
    rows it reads are visible; nothing is enqueued if the transaction rolls back."""

    db.session.info.setdefault("after_commit_jobs", []).append((queue_name, func, args, options))


def install_session_hooks(session_class) -> None:
    from sqlalchemy import event

    @event.listens_for(session_class, "after_commit")
    def _enqueue_pending(session):
        jobs = session.info.pop("after_commit_jobs", [])
        if not jobs:
            return
        # All of them in one round trip to Redis: rq writes a job and its queue into the
        # pipeline it is given (on its own it makes two round trips per job).
        pipeline = get_redis(current_app._get_current_object()).pipeline()
        for queue_name, func, args, options in jobs:
            enqueue(queue_name, func, *args, pipeline=pipeline, **options)
        pipeline.execute()

    @event.listens_for(session_class, "after_rollback")
    def _drop_pending(session):
        session.info.pop("after_commit_jobs", None)
