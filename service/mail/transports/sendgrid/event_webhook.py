"""SendGrid's signed Event Webhook: check the signature, read each event into our terms.

SendGrid signs `timestamp + raw body` with ECDSA P-256 (SHA-256) and sends the base64
DER signature and the timestamp in headers; the account's verification key (base64 DER,
"Signed Event Webhook" in the SendGrid settings) is SENDGRID_EVENT_PUBLIC_KEY.
A request older (or newer) than five minutes is refused, so a captured request cannot
be replayed later. Storing and acting on the events is service.inbound.events' work.
"""

from __future__ import annotations

import binascii
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

from sendgrid.helpers.eventwebhook import EventWebhook
from sendgrid.helpers.eventwebhook.eventwebhook_header import EventWebhookHeader

from service.mail.models import EmailEvent

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


@dataclass(frozen=True)
class ProviderEvent:
    """One event of a batch, in our terms; `payload` is SendGrid's item as it came."""

    event: str  # an EmailEvent, or SendGrid's own word (cut to 20) for one we do not know
    email_id: int | None  # our outgoing_emails id, echoed from the transport's custom_args
    address: str
    occurred_at: datetime
    detail: str | None
    payload: dict


@lru_cache(maxsize=4)
def _verifier(public_key: str) -> EventWebhook:
    return EventWebhook(public_key)


def verify(body: bytes, headers, public_key: str | None) -> None:
    """Raise EventRejected unless `body` is signed by the account's key, and recent."""
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


def read_events(items) -> dict[str, ProviderEvent]:
    """The events of a verified batch by their sg_event_id (cut to 100 characters); an
    item without one, or a body that is not a batch, is passed over (nothing to do)."""
    if isinstance(items, dict):
        items = [items]
    if not isinstance(items, list):
        return {}
    items = [i for i in items if isinstance(i, dict) and _text(i.get("sg_event_id"))]
    by_id = {_text(i["sg_event_id"])[:100]: i for i in items}
    return {event_id: _event(item) for event_id, item in by_id.items()}


def _event(item: dict) -> ProviderEvent:
    name = _text(item.get("event"))
    return ProviderEvent(
        event=EVENT_NAMES.get(name, name[:20]),
        email_id=_email_id(item),
        address=_text(item.get("email")),
        occurred_at=_occurred(item),
        detail=_detail(item),
        payload=item,
    )


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
