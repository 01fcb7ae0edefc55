"""Delivering an email whose row is already committed, without writing an rq job for it.

A signup's confirmation (subscriptions/joining.py) is committed by the statement that
stores it. Enqueueing its delivery job was a quarter of the signup's CPU, profiled in
the request: rq writes each job as a hash of some forty fields, and the Redis client packs
every one. deliver_soon() instead pushes the row's id onto a list, and enqueues a drain
job only when none is on its way; the drain job (in the worker) hands everything pushed
meanwhile to ordinary delivery jobs (delivery.deliver_emails, with their retries). One
quiet signup still costs one job; a busy minute costs a job per drain, not per signup.

The flag that says a drain job is on its way expires after PENDING_SECONDS, so a drain
job lost before it ran (an enqueue that failed, a Redis flush) holds ids up at most that
long once signups continue; a row whose id was lost entirely stays queued and
delivery.sweep_stalled sends it. Delivery claims each row once, so an id drained twice
costs nothing.
"""

from __future__ import annotations

import hashlib

from redis.exceptions import NoScriptError

from service.mail.delivery import deliver_emails
from service.queues import MAIL, TRANSIENT_RETRY, enqueue
from service.redis_conn import get_redis

READY = "turnabout:mail:ready"  # ids of committed rows waiting for a delivery job
DRAIN_PENDING = "turnabout:mail:drain-pending"  # set while a drain job is on its way
PENDING_SECONDS = 60
BATCH = 200  # ids per delivery job, as delivery.sweep_stalled


def deliver_soon(email_id: int) -> None:
    """Deliver the queued row `email_id`, committed already (never inside a transaction
    that may still roll back: use queueing.deliver_after_commit there)."""
    if _push_and_flag(get_redis(), email_id) is not None:  # no drain job on its way yet
        enqueue(MAIL, drain_ready)


# RPUSH READY id, then SET DRAIN_PENDING 1 NX EX PENDING_SECONDS: the SET's answer (nil
# when a drain job is on its way already). One command instead of a pipeline of two: the
# client packs and parses a third less, ~25 us of a signup's CPU.
_PUSH_AND_FLAG = (
    "redis.call('RPUSH', KEYS[1], ARGV[1]) "
    "return redis.call('SET', KEYS[2], 1, 'NX', 'EX', ARGV[2])"
)
_PUSH_AND_FLAG_SHA = hashlib.sha1(_PUSH_AND_FLAG.encode()).hexdigest()


def _push_and_flag(redis, email_id: int):
    args = (2, READY, DRAIN_PENDING, email_id, PENDING_SECONDS)
    try:
        return redis.execute_command("EVALSHA", _PUSH_AND_FLAG_SHA, *args)
    except NoScriptError:  # a new or flushed server: EVAL sends the script and keeps it
        return redis.execute_command("EVAL", _PUSH_AND_FLAG, *args)


def drain_ready() -> int:
    """Job: a delivery job for each BATCH of ids pushed since the last drain. Returns how
    many ids it handed on."""
    redis = get_redis()
    redis.delete(DRAIN_PENDING)  # first: an id pushed from now on brings another drain
    handed = 0
    while ids := redis.lpop(READY, BATCH):
        enqueue(MAIL, deliver_emails, [int(i) for i in ids], retry=TRANSIENT_RETRY)
        handed += len(ids)
    return handed
