"""Stored inbound messages processed a group at a time, in one transaction each.

The inbound job claims up to a group of the oldest stored messages no other worker holds
(FOR UPDATE SKIP LOCKED), reads what they will look up in a few set-based queries
(readahead.py), processes them one after another (process.py) and commits once: a
relay costs about one statement of its own instead of twenty, and the relays and their
emails of a whole group are written in two. Exactly once as before: a message's row lock
is held until its outcome is committed, so no other worker can take it, and a crashed
worker's group is simply still stored.

A message that meets an error it cannot explain (a bug, an outage) would otherwise be
recorded as failed with the whole group's work undone: the group is rolled back and its
messages are processed again one per transaction, so only that one is marked failed.
Transient database errors (deadlock, refused serialisation, lost connection) are retried
with the whole group first (service.transient).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

from rq.timeouts import BaseTimeoutException
from sqlalchemy import select

from service.extensions import db
from service.inbound import known as known_module
from service.inbound.actions import write_replied
from service.inbound.models import InboundMessage, InboundState
from service.inbound.process import finish, process_row
from service.inbound.readahead import read_ahead
from service.transient import describe_error, is_transient, retrying

log = logging.getLogger(__name__)

DONE = (InboundState.PROCESSED, InboundState.IGNORED, InboundState.FAILED)


class MessageError(Exception):
    """Processing message `inbound_id` raised `error` (recorded on the row, unless it
    was transient: then the row is still stored, for a later attempt)."""

    def __init__(self, inbound_id: int, error: Exception):
        super().__init__(f"inbound {inbound_id}: {describe_error(error)}")
        self.inbound_id, self.error = inbound_id, error


@dataclass
class Group:
    claimed: list[int] = field(default_factory=list)  # ids, oldest first
    outcomes: list[tuple[int, str]] = field(default_factory=list)  # (id, outcome)
    left: list[int] = field(default_factory=list)  # claimed, left stored for a later group
    errors: list[MessageError] = field(default_factory=list)


def process_group(after_id: int, limit: int, deadline: float | None = None) -> Group:
    """Process up to `limit` of the oldest stored messages after `after_id` that no other
    worker holds, in one transaction. A message whose pairing another worker's group
    holds is left stored (`left`), and so is the rest once `deadline` (monotonic) passed."""
    claim = (
        select(InboundMessage)
        .where(InboundMessage.state == InboundState.STORED, InboundMessage.id > after_id)
        .order_by(InboundMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    group = Group()

    def step() -> Group:
        rows = list(db.session.scalars(claim))
        group.claimed[:] = [row.id for row in rows]
        if not rows:
            db.session.rollback()
            return group
        group.outcomes[:], group.left[:] = _run(rows, deadline)
        return group

    try:
        return retrying(step)
    except BaseTimeoutException:
        raise  # the job ran out of time: rq records it; the group is still stored
    except Exception as exc:
        if not group.claimed:
            raise
        log.warning("inbound group %s failed (%s); one at a time", group.claimed, exc)
    return _one_at_a_time(group.claimed)


def process_inbound(inbound_id: int) -> str:
    """Process one stored message, by id, once, in a transaction of its own. Returns the
    outcome; an error is recorded on the row and raised (transient ones after retries,
    and without recording: the row stays stored)."""

    def step() -> str:
        row = db.session.scalar(
            select(InboundMessage).where(InboundMessage.id == inbound_id).with_for_update()
        )
        if row is None or row.state in DONE:
            db.session.rollback()
            return "already done" if row else "missing"
        (outcome,), _ = _run([row], None)
        return outcome[1]

    try:
        return retrying(step)
    except Exception as exc:
        if not is_transient(exc) and not isinstance(exc, BaseTimeoutException):
            # A bug or an outage: record it (visible to admins, retried by `turnabout
            # inbound retry`), then let rq record the traceback too.
            row = db.session.get(InboundMessage, inbound_id)
            finish(row, InboundState.FAILED, describe_error(exc))
            db.session.commit()
        raise


def _run(rows: list[InboundMessage], deadline: float | None):
    """Process the claimed rows and commit: ([(id, outcome)], [ids left stored])."""
    known, busy = read_ahead(rows)
    known_module.install(known)
    outcomes, left = [], []
    try:
        for row in rows:
            late = deadline is not None and outcomes and time.monotonic() > deadline
            if row.id in busy or late:
                left.append(row.id)
                continue
            outcomes.append((row.id, process_row(row)))
            if known.stale:  # it did more than relay: read afresh from here on
                db.session.flush()
                db.session.expire_all()
                known.forget()
        write_replied(known.replied)
        db.session.commit()
    finally:
        known_module.install(None)
    return outcomes, left


def _one_at_a_time(ids: list[int]) -> Group:
    group = Group(claimed=list(ids))
    for inbound_id in ids:
        try:
            group.outcomes.append((inbound_id, process_inbound(inbound_id)))
        except BaseTimeoutException:
            raise
        except Exception as exc:
            group.errors.append(MessageError(inbound_id, exc))
    return group
