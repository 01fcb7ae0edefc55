"""Delivery events from the provider's webhook: store each event once, act in a job.

The provider's part (SendGrid's signature, its event names and fields) is in
service.mail.transports.sendgrid.event_webhook; this module keeps the events it reads.
Each provider event id is stored once, so a retried batch changes nothing.
"""

from __future__ import annotations

import logging

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from service.extensions import db
from service.inbound.event_actions import apply_events
from service.inbound.models import DeliveryEvent
from service.mail.models import OutgoingEmail
from service.mail.transports.sendgrid.event_webhook import read_events, verify
from service.mail.transports.sendgrid.posted_json import loads
from service.queues import INBOUND, enqueue
from service.subscriptions.models import address_hash

log = logging.getLogger(__name__)


class EventMalformed(Exception):
    """Signed by SendGrid but not an event batch we can read: answered 400, nothing stored."""


def receive_events(body: bytes, headers) -> int:
    """Verify and store a batch; returns how many events were new. Commits. Raises
    EventRejected (not from SendGrid, or too old) or EventMalformed."""
    verify(body, headers, current_app.config.get("SENDGRID_EVENT_PUBLIC_KEY"))
    try:
        items = loads(body)  # NUL removed: PostgreSQL cannot store it
    except ValueError as exc:
        raise EventMalformed(f"body is not an event batch: {exc}") from exc
    events = read_events(items)  # authentic but not an event batch: nothing to do
    if not events:
        return 0
    known = set(
        db.session.scalars(
            select(DeliveryEvent.provider_event_id).where(
                DeliveryEvent.provider_event_id.in_(list(events))
            )
        )
    )
    email_ids = {e.email_id for e in events.values()} - {None}
    existing_emails = set(
        db.session.scalars(select(OutgoingEmail.id).where(OutgoingEmail.id.in_(email_ids)))
    )
    new_ids = []
    for event_id, event in events.items():
        if event_id in known:
            continue
        row = DeliveryEvent(
            provider_event_id=event_id,
            event=event.event,
            outgoing_email_id=event.email_id if event.email_id in existing_emails else None,
            address_hash=address_hash(event.address) if event.address else None,
            occurred_at=event.occurred_at,
            detail=event.detail,
            payload=event.payload,
        )
        try:
            with db.session.begin_nested():
                db.session.add(row)
        except IntegrityError:  # stored by a parallel delivery of the same batch
            continue
        new_ids.append(row.id)
    db.session.commit()
    if new_ids:
        try:
            enqueue(INBOUND, apply_events, new_ids)
        except Exception:
            log.exception("events stored but not enqueued; sweep_events will apply them")
    return len(new_ids)
