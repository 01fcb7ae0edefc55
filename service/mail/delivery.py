"""The one path every email takes: queue a row (skip rules applied), then deliver it once.

queue_email() (queueing.py) runs in the web request or a job and only writes a row and
enqueues a job after commit. deliver_emails() runs in the worker: it claims rows
atomically, renders, hands them to the transport, and records the outcome. A re-run after
a crash skips rows already sent, so nothing goes out twice; rows a dead worker had claimed
are reclaimed after LEASE.
"""

from __future__ import annotations

import logging
import secrets
from contextlib import contextmanager
from datetime import timedelta

from flask import current_app
from rq import get_current_job
from sqlalchemy import and_, or_, select, text, update
from sqlalchemy import inspect as sa_inspect

from service.database import inline_ids, utcnow
from service.extensions import db
from service.mail.catalog import KINDS
from service.mail.compose import compose_many
from service.mail.models import EmailState, OutgoingEmail
from service.mail.rules import skip_reason, statuses_and_languages, suppressions_for
from service.mail.subjects import store_subjects
from service.mail.transports import get_transport
from service.mail.words import erase_words
from service.queues import MAIL, TRANSIENT_RETRY, enqueue
from service.settings import all_settings

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=10)


class TransientDeliveryError(Exception):
    """Raised at the end of a delivery job so rq retries it with backoff."""


_DELIVERED_HERE = "delivered_here"


@contextmanager
def delivered_here():
    """Within: queue_email collects the new rows' ids (and add_email the rows it has not
    written yet) instead of enqueueing a delivery job each, so a job that queues mail (the
    inbound batch) delivers it itself with deliver_now(collected_ids(...)), rendered
    together, without a second job. An id whose row was rolled back is harmless: claim()
    takes only queued rows; a row left queued by a crash is re-enqueued by sweep_stalled."""
    collected: list[int | OutgoingEmail] = []
    db.session.info[_DELIVERED_HERE] = collected
    try:
        yield collected
    finally:
        db.session.info.pop(_DELIVERED_HERE, None)


def collected_here() -> list[int | OutgoingEmail] | None:
    """The list of the enclosing delivered_here() block, or None outside one."""
    return db.session.info.get(_DELIVERED_HERE)


def collected_ids(collected: list[int | OutgoingEmail]) -> list[int]:
    """The ids of what was collected: ids as they are, rows by the identity the session
    gave them when written (read without loading them again, before or after a commit);
    a row never written, or rolled back, has none and is left out."""
    ids = []
    for item in collected:
        identity = (item,) if isinstance(item, int) else sa_inspect(item).identity
        if identity is not None:
            ids.append(identity[0])
    return ids


def claim(email_ids: list[int]) -> list[OutgoingEmail]:
    """Atomically take the rows that still need sending; others (sent, or held by a live
    worker) are left alone. Committed at once so a parallel job sees the claim."""
    token = secrets.token_hex(8)
    now = utcnow()
    db.session.execute(
        update(OutgoingEmail)
        .where(
            OutgoingEmail.id.in_(inline_ids(email_ids)),
            or_(
                OutgoingEmail.state == EmailState.QUEUED,
                and_(
                    OutgoingEmail.state == EmailState.SENDING,
                    OutgoingEmail.claimed_at < now - LEASE,
                ),
            ),
        )
        .values(
            state=EmailState.SENDING,
            claim=token,
            claimed_at=now,
            attempts=OutgoingEmail.attempts + 1,
        )
    )
    db.session.commit()
    return list(
        db.session.scalars(
            select(OutgoingEmail).where(OutgoingEmail.claim == token).order_by(OutgoingEmail.id)
        )
    )


def deliver_emails(email_ids: list[int]) -> dict:
    """RQ job: send the given rows once each. Returns counts by outcome."""
    job = get_current_job()
    counts = send_emails(email_ids, last_try=job is None or not job.retries_left)
    if counts["retry"]:
        raise TransientDeliveryError(f"{counts['retry']} emails hit a transient error; retrying")
    return counts


def deliver_now(email_ids: list[int]) -> dict:
    """Send rows the running job queued (see delivered_here); those that meet a transient
    error go to a delivery job of their own, which retries with backoff."""
    counts = send_emails(email_ids, last_try=False)
    if counts["retry"]:
        enqueue(MAIL, deliver_emails, email_ids, retry=TRANSIENT_RETRY)
    return counts


def send_emails(email_ids: list[int], *, last_try: bool) -> dict:
    """Claim, render and hand over the rows; a transient failure on the last try is final."""
    already_loaded = set(db.session.identity_map.keys())
    rows = claim(email_ids)
    counts = {"sent": 0, "failed": 0, "retry": 0, "skipped": 0}
    if not rows:
        return counts
    wordy = [row.id for row in rows if row.holds_words]
    messages = compose_claimed(rows, counts)
    db.session.commit()
    # Outcomes are written with set-based UPDATEs from here on; rows kept in the session
    # would be expired by every commit, which costs more than the sending itself.
    for row in rows:
        if sa_inspect(row).key not in already_loaded:
            db.session.expunge(row)

    with relaxed_commit_durability():
        for unit in get_transport(current_app.config).iter_send(messages):
            for outcome, ids_by_update in record_unit(unit, last_try).items():
                counts[outcome] += sum(len(ids) for ids in ids_by_update)
            db.session.commit()  # at once: see the note on Transport.iter_send
    if wordy:
        erase_words(OutgoingEmail.id.in_(wordy))  # those now done with keep no copy
        db.session.commit()
    return counts


def compose_claimed(rows: list[OutgoingEmail], counts: dict) -> list:
    """Render the claimed rows, applying the skip rules once more with fresh data: a person
    may have unsubscribed between queueing and sending. Skips and render failures are
    recorded on the rows, and each rendered subject is stored."""
    settings = all_settings()
    statuses, languages = statuses_and_languages(row.subscriber_id for row in rows)
    suppressed = suppressions_for(row.to_address for row in rows)
    sendable = []
    for row in rows:
        reason = skip_reason(
            KINDS[row.kind], statuses.get(row.subscriber_id), suppressed.get(row.to_address)
        )
        if reason or not row.to_address:
            row.state, row.error = EmailState.SKIPPED, reason or "address erased"
            counts["skipped"] += 1
        else:
            sendable.append(row)
    messages, subjects = [], {}
    for row, message in zip(sendable, compose_many(sendable, settings, languages), strict=True):
        if isinstance(message, Exception):  # a template or data problem: permanent
            log.error("cannot render email %s: %s", row.id, message)
            row.state, row.error = EmailState.FAILED, f"render failed: {message}"
            counts["failed"] += 1
        else:
            messages.append(message)
            if row.subject != message.subject:
                subjects[row.id] = message.subject
    store_subjects(subjects)  # what its thread's later emails quote
    return messages


@contextmanager
def relaxed_commit_durability():
    """On PostgreSQL, don't wait for the disk on the commits that record outcomes: after a
    database crash the last fraction of a second of "sent" marks could be lost and those
    emails sent again, the same trade as a killed worker; in exchange a commit per
    provider round trip costs next to nothing. Set for this connection, reset after."""
    connection = db.session.connection()
    postgres = connection.dialect.name == "postgresql"
    if postgres:
        connection.execute(text("SET synchronous_commit TO OFF"))
    try:
        yield
    finally:
        if postgres:
            db.session.rollback()
            db.session.execute(text("RESET synchronous_commit"))
            db.session.commit()


def record_unit(unit, last_try: bool) -> dict[str, list[list[int]]]:
    """Write the outcomes of one provider round trip with one UPDATE per distinct outcome."""
    now = utcnow()
    groups: dict[tuple, list[int]] = {}
    for result in unit:
        if result.ok:
            key = ("sent", result.provider_id, None)
        elif result.transient and not last_try:
            key = ("retry", None, result.error)
        else:
            key = ("failed", None, result.error)
        groups.setdefault(key, []).append(result.ref)
    recorded: dict[str, list[list[int]]] = {}
    for (outcome, provider_id, error), ids in groups.items():
        values = {
            "sent": {
                "state": EmailState.SENT,
                "sent_at": now,
                "provider_id": provider_id,
                "error": None,
            },
            "retry": {"state": EmailState.QUEUED, "claim": None, "error": error},
            "failed": {"state": EmailState.FAILED, "error": error},
        }[outcome]
        db.session.execute(
            update(OutgoingEmail).where(OutgoingEmail.id.in_(inline_ids(ids))).values(**values),
            execution_options={"synchronize_session": False},
        )
        recorded.setdefault(outcome, []).append(ids)
    return recorded


def sweep_stalled(limit: int = 5000) -> int:
    """Scheduled job: re-enqueue rows whose delivery job was lost (worker killed, Redis
    flushed): queued rows older than a few minutes and claims older than LEASE."""
    now = utcnow()
    ids = list(
        db.session.scalars(
            select(OutgoingEmail.id)
            .where(
                or_(
                    and_(
                        OutgoingEmail.state == EmailState.QUEUED,
                        OutgoingEmail.created_at < now - timedelta(minutes=5),
                    ),
                    and_(
                        OutgoingEmail.state == EmailState.SENDING,
                        OutgoingEmail.claimed_at < now - LEASE,
                    ),
                )
            )
            .order_by(OutgoingEmail.id)
            .limit(limit)
        )
    )
    for start in range(0, len(ids), 200):
        enqueue(MAIL, deliver_emails, ids[start : start + 200], retry=TRANSIENT_RETRY)
    return len(ids)
