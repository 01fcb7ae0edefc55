"""SendGrid Event Webhook: verify the signature, store each event once, act in a job.

SendGrid signs `timestamp + raw body` with ECDSA P-256 (SHA-256) and sends the base64
DER signature and the timestamp in headers; the account's verification key (base64 DER,
"Signed Event Webhook" in the SendGrid settings) is SENDGRID_EVENT_PUBLIC_KEY.
A request older (or newer) than five minutes is refused, so a captured request cannot
be replayed later; each sg_event_id is stored once, so a retried batch changes nothing.
"""

from __future__ import annotations

import binascii
import logging
import time
from datetime import UTC, datetime
from functools import lru_cache

from flask import current_app
from sendgrid.helpers.eventwebhook import EventWebhook
from sendgrid.helpers.eventwebhook.eventwebhook_header import EventWebhookHeader
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from service.extensions import db
from service.inbound.event_actions import apply_events
from service.inbound.models import DeliveryEvent
from service.inbound.storage import loads
from service.mail.models import EmailEvent, OutgoingEmail
from service.queues import INBOUND, enqueue
from service.subscriptions.models import address_hash

log = logging.getLogger(__name__)

MAX_SKEW_SECONDS = 300
MAX_SIGNATURE = 200  # base64 of a DER ECDSA P-256 signature is under 100 characters

# SendGrid's event names in our vocabulary (service.mail.models.EmailEvent).
EVENT_NAMES = {
    "processed": EmailEvent.QUEUED,
    "delivered": EmailEvent.DELIVERED,
    "open": EmailEvent.OPENED,
    "click": EmailEvent.CLICKED,
    "deferred": EmailEvent.DEFERRED,
    "bounce": EmailEvent.BOUNCED,
    "dropped": EmailEvent.DROPPED,
    "spamreport": EmailEvent.COMPLAINED,
    "unsubscribe": EmailEvent.UNSUBSCRIBED,
    "group_unsubscribe": EmailEvent.UNSUBSCRIBED,
}


class EventRejected(Exception):
    """The request is not from SendGrid (or too old): answered 403, nothing stored."""


class EventMalformed(Exception):
    """Signed by SendGrid but not an event batch we can read: answered 400, nothing stored."""


@lru_cache(maxsize=4)
def _verifier(public_key: str) -> EventWebhook:
    return EventWebhook(public_key)


def verify(body: bytes, headers) -> None:
    public_key = current_app.config.get("SENDGRID_EVENT_PUBLIC_KEY")
    if not public_key:
        raise EventRejected(
            "event webhook disabled: set SENDGRID_EVENT_PUBLIC_KEY to the verification key "
            "of SendGrid's Signed Event Webhook"
        )
    signature = headers.get(EventWebhookHeader.SIGNATURE, "")
    timestamp = headers.get(EventWebhookHeader.TIMESTAMP, "")
    # ASCII digits only, and short: str.isdigit() accepts "²" (int() then raises) and
    # 400 digits (the clock arithmetic then overflows).
    if not signature or len(signature) > MAX_SIGNATURE or not signature.isascii():
        raise EventRejected("missing or malformed signature")
    if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 12):
        raise EventRejected("missing or malformed timestamp: expected Unix seconds")
    if abs(time.time() - int(timestamp)) > MAX_SKEW_SECONDS:
        raise EventRejected("timestamp too far from now")
    try:
        valid = _verifier(public_key).verify_signature(body.decode("utf-8"), signature, timestamp)
    except (UnicodeDecodeError, binascii.Error, ValueError, TypeError):
        valid = False
    if not valid:
        raise EventRejected("bad signature")


def _email_id(item: dict) -> int | None:
    value = item.get("email_id")
    if value is None and isinstance(item.get("custom_args"), dict):
        value = item["custom_args"].get("email_id")
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if 0 < number < 2**31 else None  # our ids are INTEGER columns


def _occurred(item: dict) -> datetime:
    try:
        return datetime.fromtimestamp(int(item.get("timestamp")), UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return datetime.now(UTC)


def _text(value) -> str:
    """A provider value as text PostgreSQL accepts (no NUL)."""
    return str(value or "").replace("\x00", "")


def _detail(item: dict) -> str | None:
    parts = [
        f"{key}: {_text(item[key])}"
        for key in ("type", "reason", "status", "response", "bounce_classification", "url")
        if item.get(key)
    ]
    return "; ".join(str(p) for p in parts)[:1000] or None


def receive_events(body: bytes, headers) -> int:
    """Verify and store a batch; returns how many events were new. Commits."""
    verify(body, headers)
    try:
        items = loads(body)  # NUL removed: PostgreSQL cannot store it
    except ValueError as exc:
        raise EventMalformed(f"body is not an event batch: {exc}") from exc
    if isinstance(items, dict):
        items = [items]
    if not isinstance(items, list):  # authentic but not an event batch: nothing to do
        return 0
    items = [i for i in items if isinstance(i, dict) and _text(i.get("sg_event_id"))]
    by_id = {_text(i["sg_event_id"])[:100]: i for i in items}
    if not by_id:
        return 0
    known = set(
        db.session.scalars(
            select(DeliveryEvent.provider_event_id).where(
                DeliveryEvent.provider_event_id.in_(list(by_id))
            )
        )
    )
    email_ids = {_email_id(i) for i in by_id.values()} - {None}
    existing_emails = set(
        db.session.scalars(select(OutgoingEmail.id).where(OutgoingEmail.id.in_(email_ids)))
    )
    new_ids = []
    for event_id, item in by_id.items():
        if event_id in known:
            continue
        email_id = _email_id(item)
        address = _text(item.get("email"))
        row = DeliveryEvent(
            provider_event_id=event_id,
            event=EVENT_NAMES.get(_text(item.get("event")), _text(item.get("event"))[:20]),
            outgoing_email_id=email_id if email_id in existing_emails else None,
            address_hash=address_hash(address) if address else None,
            occurred_at=_occurred(item),
            detail=_detail(item),
            payload=item,
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
