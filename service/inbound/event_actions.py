"""What each stored SendGrid event changes: email stats, suppressions, the partner.

Hard bounces and drops suppress the address at once; temporary failures (a "blocked"
bounce, a deferral) are counted per address and suppress after SOFT_BOUNCE_LIMIT in a
row, a delivery resetting the count. Complaints and unsubscribes stop all mail. When
someone stops receiving mail mid-round, their partner hears it in the thread.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from service.database import utcnow
from service.extensions import db
from service.inbound.models import DeliveryEvent
from service.mail.models import EmailEvent, EmailState, OutgoingEmail
from service.queues import INBOUND, enqueue
from service.rounds.dropout import partner_gone
from service.subscriptions.actions import by_address, leave, suppress_address
from service.subscriptions.models import (
    SoftBounce,
    Status,
    Subscriber,
    SuppressionReason,
    address_hash,
    address_hashes,
)

log = logging.getLogger(__name__)

SOFT_BOUNCE_LIMIT = 3


def apply_events(event_ids: list[int]) -> int:
    """RQ job: act on stored events not yet applied; returns how many it applied."""
    rows = list(
        db.session.scalars(
            select(DeliveryEvent)
            .where(DeliveryEvent.id.in_(event_ids), DeliveryEvent.processed_at.is_(None))
            .order_by(DeliveryEvent.occurred_at, DeliveryEvent.id)
            .with_for_update(skip_locked=True)
        )
    )
    for row in rows:
        apply_event(row)
        row.processed_at, row.payload = utcnow(), None  # the address is not kept
        db.session.commit()
    return len(rows)


def apply_event(row: DeliveryEvent) -> None:
    item = row.payload or {}
    address = str(item.get("email") or "").strip()
    email = db.session.get(OutgoingEmail, row.outgoing_email_id) if row.outgoing_email_id else None
    if email is not None:
        _update_stats(email, row)
    if not address:
        return
    if row.event == EmailEvent.DELIVERED:
        _reset_soft_bounces(address)
    elif row.event == EmailEvent.BOUNCED and str(item.get("type", "bounce")) != "blocked":
        stop_mail_to(address, SuppressionReason.BOUNCED, row.detail, email)
    elif row.event == EmailEvent.BOUNCED or (
        row.event == EmailEvent.DEFERRED and not _already_deferred(row)
    ):
        _soft_bounce(address, row, email)
    elif row.event == EmailEvent.DROPPED:
        stop_mail_to(address, SuppressionReason.DROPPED, row.detail, email)
    elif row.event == EmailEvent.COMPLAINED:
        stop_mail_to(address, SuppressionReason.COMPLAINED, row.detail, email)
    elif row.event == EmailEvent.UNSUBSCRIBED:
        subscriber = _subscriber(address, email)
        if subscriber is not None:
            leave(subscriber.id, source="sendgrid")  # also tells this week's partner
        else:
            stop_mail_to(address, SuppressionReason.UNSUBSCRIBED, row.detail, None)


def _update_stats(email: OutgoingEmail, row: DeliveryEvent) -> None:
    at = row.occurred_at
    if row.event == EmailEvent.DELIVERED and email.delivered_at is None:
        email.delivered_at = at
    elif row.event == EmailEvent.OPENED and email.opened_at is None:
        email.opened_at = at
    elif row.event == EmailEvent.CLICKED and email.clicked_at is None:
        email.clicked_at = at
    if row.event != EmailEvent.QUEUED:
        email.last_event = row.event
    hard_bounce = row.event == EmailEvent.BOUNCED and (row.payload or {}).get("type") != "blocked"
    if hard_bounce or row.event == EmailEvent.DROPPED:
        # The provider's permanent failure: the admin console lists it with the reason.
        email.state = EmailState.FAILED
        email.error = f"{row.event}: {row.detail or 'no reason given'}"[:1000]


def _already_deferred(row: DeliveryEvent) -> bool:
    """SendGrid retries a deferred email for up to 72 hours and reports every attempt;
    only the first deferral of an email counts as a soft bounce."""
    if row.outgoing_email_id is None:
        return False
    earlier = db.session.scalar(
        select(DeliveryEvent.id)
        .where(
            DeliveryEvent.outgoing_email_id == row.outgoing_email_id,
            DeliveryEvent.event == EmailEvent.DEFERRED,
            DeliveryEvent.id != row.id,
            DeliveryEvent.processed_at.is_not(None),
        )
        .limit(1)
    )
    return earlier is not None


def _soft_bounce(address: str, row: DeliveryEvent, email: OutgoingEmail | None) -> None:
    digest = address_hash(address)
    entry = _soft_bounce_entry(address)
    if entry is None:
        try:
            with db.session.begin_nested():
                entry = SoftBounce(address_hash=digest, count=0, last_at=row.occurred_at)
                db.session.add(entry)
        except IntegrityError:
            entry = db.session.scalar(select(SoftBounce).where(SoftBounce.address_hash == digest))
    entry.count += 1
    entry.last_at = max(entry.last_at, row.occurred_at)
    if entry.count >= SOFT_BOUNCE_LIMIT:
        detail = f"{entry.count} temporary failures in a row; last: {row.detail or row.event}"
        stop_mail_to(address, SuppressionReason.BOUNCED, detail[:1000], email)


def _soft_bounce_entry(address: str) -> SoftBounce | None:
    """Under the current hash key or an older one (see address_hashes)."""
    return db.session.scalar(
        select(SoftBounce).where(SoftBounce.address_hash.in_(address_hashes(address))).limit(1)
    )


def _reset_soft_bounces(address: str) -> None:
    entry = _soft_bounce_entry(address)
    if entry is not None and entry.count:
        entry.count = 0


def _subscriber(address: str, email: OutgoingEmail | None) -> Subscriber | None:
    if email is not None and email.subscriber_id is not None:
        found = db.session.get(Subscriber, email.subscriber_id)
        if found is not None and found.email and found.email.lower() == address.lower():
            return found
    return by_address(address.lower())


def stop_mail_to(
    address: str, reason: str, detail: str | None, email: OutgoingEmail | None
) -> None:
    """Suppress the address (its subscriber, if any, is unsubscribed by that) and tell
    a partner mid-round."""
    subscriber = _subscriber(address, email)
    was_receiving = subscriber is not None and subscriber.status == Status.ACTIVE
    suppress_address(address, reason, detail)
    if was_receiving:
        _tell_partner(subscriber.id, reason)


def _tell_partner(subscriber_id: int, reason: str) -> None:
    partner_gone(subscriber_id, f"partner's address {reason}")


def sweep_events(older_than_minutes: int = 5, limit: int = 5000) -> int:
    """Scheduled job: apply events stored while Redis was unreachable."""
    cutoff = utcnow() - timedelta(minutes=older_than_minutes)
    ids = list(
        db.session.scalars(
            select(DeliveryEvent.id)
            .where(DeliveryEvent.processed_at.is_(None), DeliveryEvent.received_at < cutoff)
            .order_by(DeliveryEvent.id)
            .limit(limit)
        )
    )
    for start in range(0, len(ids), 500):
        enqueue(INBOUND, apply_events, ids[start : start + 500])
    return len(ids)
