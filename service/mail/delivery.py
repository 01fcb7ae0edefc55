"""The one path every email takes: queue a row (skip rules applied), then deliver it once.

queue_email() runs in the web request or a job and only writes a row and enqueues a job
after commit. deliver_emails() runs in the worker: it claims rows atomically, renders,
hands them to the transport, and records the outcome. A re-run after a crash skips rows
already sent, so nothing goes out twice; rows a dead worker had claimed are reclaimed
after LEASE.
"""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta

from flask import current_app
from rq import get_current_job
from sqlalchemy import and_, or_, select, update

from service.database import utcnow
from service.extensions import db
from service.mail.compose import compose, new_message_id
from service.mail.kinds import KINDS, EmailKind
from service.mail.models import EmailState, OutgoingEmail
from service.mail.transports import get_transport
from service.queues import MAIL, TRANSIENT_RETRY, enqueue_after_commit
from service.settings import all_settings
from service.subscriptions.models import Status, Subscriber, Suppression, address_hash

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=10)
QUEUE_OPTIONS = {
    "to",
    "to_name",
    "subscriber_id",
    "from_name",
    "reply_to",
    "message_id",
    "thread_root",
    "pairing_id",
    "queue",
}


class TransientDeliveryError(Exception):
    """Raised at the end of a delivery job so rq retries it with backoff."""


def skip_reason(kind: EmailKind, to: str, subscriber: Subscriber | None) -> str | None:
    """Why this email must not be sent, or None. Consulted for every email."""
    if kind.suppression_exempt:
        return None
    if subscriber is not None and subscriber.status in (Status.UNSUBSCRIBED, Status.DELETED):
        return f"subscriber is {subscriber.status}"
    suppressed = db.session.scalar(
        select(Suppression.reason).where(Suppression.address_hash == address_hash(to))
    )
    return f"address suppressed ({suppressed})" if suppressed else None


def queue_email(
    kind: EmailKind,
    *,
    key: str,
    context: dict,
    to: str | None = None,
    to_name: str | None = None,
    subscriber_id: int | None = None,
    from_name: str | None = None,
    reply_to: str | None = None,
    message_id: str | None = None,
    thread_root: str | None = None,
    pairing_id: int | None = None,
    queue: str = MAIL,
) -> OutgoingEmail:
    """Write the email's row (or return the existing one for `key`) and enqueue delivery
    after commit. The caller commits. `thread_root` is the Message-ID of the first message
    of the conversation this one continues."""
    existing = db.session.scalar(select(OutgoingEmail).where(OutgoingEmail.key == key))
    if existing is not None:
        return existing
    subscriber = db.session.get(Subscriber, subscriber_id) if subscriber_id else None
    if to is None:
        if subscriber is None or not subscriber.email:
            raise ValueError(f"email {key!r} has neither an address nor a subscriber with one")
        to, to_name = subscriber.email, to_name or subscriber.first_name
    row = OutgoingEmail(
        key=key,
        kind=kind.name,
        subscriber_id=subscriber_id,
        to_address=to,
        to_name=to_name,
        from_name=from_name,
        reply_to=reply_to,
        message_id=message_id or new_message_id(),
        in_reply_to=thread_root,
        references=thread_root,
        category=kind.category,
        list_mail=kind.list_mail,
        context=context,
        pairing_id=pairing_id,
    )
    reason = skip_reason(kind, to, subscriber)
    if reason:
        row.state, row.error = EmailState.SKIPPED, reason
    db.session.add(row)
    db.session.flush()
    if not reason:
        enqueue_after_commit(queue, deliver_emails, [row.id], retry=TRANSIENT_RETRY)
    return row


def claim(email_ids: list[int]) -> list[OutgoingEmail]:
    """Atomically take the rows that still need sending; others (sent, or held by a live
    worker) are left alone. Committed at once so a parallel job sees the claim."""
    token = secrets.token_hex(8)
    now = utcnow()
    db.session.execute(
        update(OutgoingEmail)
        .where(
            OutgoingEmail.id.in_(email_ids),
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
    rows = claim(email_ids)
    counts = {"sent": 0, "failed": 0, "retry": 0, "skipped": 0}
    if not rows:
        return counts
    settings = all_settings()
    messages, by_id = [], {row.id: row for row in rows}
    for row in rows:
        subscriber = db.session.get(Subscriber, row.subscriber_id) if row.subscriber_id else None
        reason = skip_reason(KINDS[row.kind], row.to_address or "", subscriber)
        if reason or not row.to_address:  # unsubscribed between queueing and sending
            row.state, row.error = EmailState.SKIPPED, reason or "address erased"
            counts["skipped"] += 1
            continue
        try:
            messages.append(compose(row, settings))
        except Exception as exc:  # a template or data problem: permanent for this row
            log.exception("cannot render email %s", row.id)
            row.state, row.error = EmailState.FAILED, f"render failed: {exc}"
            counts["failed"] += 1
    db.session.commit()

    job = get_current_job()
    last_try = job is None or not job.retries_left
    for unit in get_transport(current_app.config).iter_send(messages):
        for result in unit:
            counts[record_result(by_id[result.ref], result, last_try)] += 1
        db.session.commit()  # at once: see the note on iter_send
    if counts["retry"]:
        raise TransientDeliveryError(f"{counts['retry']} emails hit a transient error; retrying")
    return counts


def record_result(row: OutgoingEmail, result, last_try: bool) -> str:
    if result.ok:
        row.state, row.sent_at, row.provider_id, row.error = (
            EmailState.SENT,
            utcnow(),
            result.provider_id,
            None,
        )
        return "sent"
    if result.transient and not last_try:
        row.state, row.error, row.claim = EmailState.QUEUED, result.error, None
        return "retry"
    row.state, row.error = EmailState.FAILED, result.error
    return "failed"


def sweep_stalled(limit: int = 5000) -> int:
    """Scheduled job: re-enqueue rows whose delivery job was lost (worker killed, Redis
    flushed): queued rows older than a few minutes and claims older than LEASE."""
    from service.queues import enqueue

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
