"""What people do with their subscription, as plain functions of ids and values.

The contract other features call (joining lives in joining.py, data rights in privacy.py,
both re-exported here; mail to join@/unsubscribe@ is inbound_mail.py, which calls this
module, so it is not re-exported). Functions do not
commit (the caller commits once), except `delete_personal_data`, which is a complete
operation of its own. Emails are queued through the mail core and leave only after the
caller's commit.
"""

from __future__ import annotations

from datetime import date, timedelta

from service.confidence.models import Source
from service.confidence.ratings import save_self_ratings
from service.database import utcnow
from service.extensions import db
from service.links import external_url
from service.rounds.dropout import partner_gone
from service.subscriptions import emails
from service.subscriptions.addresses import (
    HARD_REASONS,
    InvalidAddress,
    normalise_email,
    suppression_of,
)
from service.subscriptions.export import export_data
from service.subscriptions.forms import check_pause_date
from service.subscriptions.joining import (
    confirm,
    invite,
    request_subscription,
    resend_confirmation,
)
from service.subscriptions.models import Status, Suppression, SuppressionReason, address_hash
from service.subscriptions.privacy import delete_personal_data
from service.subscriptions.records import (
    apply_profile,
    by_address,
    get_subscriber,
    needs_choices,
)

__all__ = [
    "InvalidAddress",
    "normalise_email",
    "request_subscription",
    "confirm",
    "needs_choices",
    "update_profile",
    "pause",
    "resume",
    "unsubscribe",
    "leave",
    "suppress_address",
    "invite",
    "resend_confirmation",
    "export_data",
    "delete_personal_data",
    "by_address",
]


# ------------------------------------------------------------------ preferences


def update_profile(subscriber_id: int, values: dict) -> None:
    subscriber = get_subscriber(subscriber_id)
    if subscriber.status == Status.DELETED:
        raise LookupError("this subscription was deleted")
    apply_profile(subscriber, values)
    save_self_ratings(subscriber_id, values, Source.PREFERENCES)


def pause(subscriber_id: int, *, weeks: int | None = None, until: date | None = None) -> date:
    """Pause for 1, 2 or 4 weeks, or until a date (future, at most six months away).

    `paused_until` is the first day they take part again. Returns it.
    """
    subscriber = get_subscriber(subscriber_id)
    today = utcnow().date()
    if (weeks is None) == (until is None):
        raise ValueError("give either weeks or until")
    if weeks is not None:
        if weeks not in (1, 2, 4):
            raise ValueError("pause for 1, 2 or 4 weeks")
        until = today + timedelta(weeks=weeks)
    else:
        _, error = check_pause_date(until, today)
        if error:
            raise ValueError(error)
    subscriber.paused_until = until
    return until


def resume(subscriber_id: int) -> None:
    get_subscriber(subscriber_id).paused_until = None


# ------------------------------------------------------------------ leaving


def _suppress(address: str, reason: str, detail: str | None) -> None:
    entry = suppression_of(address)
    if entry is None:
        with db.session.begin_nested():
            db.session.add(
                Suppression(address_hash=address_hash(address), reason=reason, detail=detail)
            )
    elif reason in HARD_REASONS and entry.reason not in HARD_REASONS:
        entry.reason, entry.detail = reason, detail  # a bounce outranks an unsubscribe


def unsubscribe(subscriber_id: int, *, source: str) -> bool:
    """Stop all mail to this subscriber at once. Idempotent: True only when it changed
    something; the first time it queues the one confirmation that they left."""
    subscriber = get_subscriber(subscriber_id)
    if subscriber.status in (Status.UNSUBSCRIBED, Status.DELETED) or not subscriber.email:
        return False
    now = utcnow()
    subscriber.status = Status.UNSUBSCRIBED
    subscriber.unsubscribed_at = now
    subscriber.unsubscribe_source = source[:20]
    _suppress(subscriber.email, SuppressionReason.UNSUBSCRIBED, f"source: {source}")
    db.session.flush()
    emails.unsubscribed_email(
        subscriber.first_name,
        external_url("subscriptions.landing"),
        key=f"unsubscribed:{subscriber.id}:{now:%Y%m%d%H%M%S%f}",
        subscriber_id=subscriber.id,
    )
    return True


def leave(subscriber_id: int, *, source: str) -> bool:
    """Unsubscribe, and tell the partners of this week's open rounds (the rounds feature's
    partner_gone: a learner gets a standby tip-giver, a tip-giver a short note). For the
    subscriber's own actions: pages, one-click, the unsubscribe mailto."""
    changed = unsubscribe(subscriber_id, source=source)
    if changed:
        tell_partners(subscriber_id, "left the programme")
    return changed


def tell_partners(subscriber_id: int, reason: str) -> None:
    partner_gone(subscriber_id, reason)


def suppress_address(address: str, reason: str, detail: str | None = None) -> None:
    """Hard bounce, complaint, admin block: never send to this address again. Idempotent.

    A subscriber with this address is set to unsubscribed (no confirmation email: the
    mailbox does not want or cannot take our mail).
    """
    try:
        address = normalise_email(address)
    except InvalidAddress:
        address = (address or "").strip().lower()
    _suppress(address, reason, detail)
    subscriber = by_address(address)
    if subscriber is not None and subscriber.status in (Status.ACTIVE, Status.PENDING):
        subscriber.status = Status.UNSUBSCRIBED
        subscriber.unsubscribed_at = utcnow()
        subscriber.unsubscribe_source = reason[:20]
