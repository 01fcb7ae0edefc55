"""What people do with their subscription, as plain functions of ids and values.

The contract other features call. Functions do not commit (the caller commits once),
except `delete_personal_data`, which is a complete operation of its own. Emails are
queued through the mail core and leave only after the caller's commit.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from service.database import utcnow
from service.extensions import db
from service.links import external_url
from service.mail.models import OutgoingEmail
from service.rounds.models import Theme
from service.subscriptions import emails
from service.subscriptions.addresses import (
    HARD_REASONS,
    InvalidAddress,
    hard_suppressed,
    normalise_email,
    suppression_of,
)
from service.subscriptions.forms import check_pause_date
from service.subscriptions.inbound_mail import handle_join_message, handle_unsubscribe_message
from service.subscriptions.models import (
    Role,
    Status,
    Subscriber,
    Suppression,
    SuppressionReason,
    address_hash,
)
from service.subscriptions.privacy import delete_personal_data, export_data
from service.subscriptions.schedule import first_send_text
from service.tokens import make_token

__all__ = [
    "InvalidAddress",
    "normalise_email",
    "request_subscription",
    "confirm",
    "update_profile",
    "pause",
    "resume",
    "unsubscribe",
    "leave",
    "suppress_address",
    "invite",
    "resend_confirmation",
    "handle_join_message",
    "handle_unsubscribe_message",
    "export_data",
    "delete_personal_data",
]

# Mails a person can trigger to an address they may not own (confirm, "already
# subscribed", invitation): at most this many per address per day, against list-bombing.
CONFIRMATIONS_PER_DAY = 3
ASKED_FOR_KINDS = ("confirm", "already_subscribed", "invite")
PROFILE_FIELDS = ("name", "role", "timezone", "team", "about")


def get_subscriber(subscriber_id: int) -> Subscriber:
    subscriber = db.session.get(Subscriber, subscriber_id)
    if subscriber is None:
        raise LookupError(f"no subscriber {subscriber_id}")
    return subscriber


def by_address(address: str) -> Subscriber | None:
    return db.session.scalar(select(Subscriber).where(Subscriber.email == address))


def themes_for(slugs) -> list[Theme]:
    slugs = list(dict.fromkeys(slugs or ()))
    if not slugs:
        return []
    found = {t.slug: t for t in db.session.scalars(select(Theme).where(Theme.slug.in_(slugs)))}
    missing = [s for s in slugs if s not in found or found[s].retired]
    if missing:
        raise ValueError(f"unknown or retired theme(s): {', '.join(missing)}")
    return [found[s] for s in slugs]


def _apply(subscriber: Subscriber, values: dict) -> None:
    for name in PROFILE_FIELDS:
        if name in values:
            value = values[name]
            if name in ("team", "about"):
                value = value or None
            setattr(subscriber, name, value)
    if "themes" in values:
        subscriber.themes = themes_for(values["themes"])


# ------------------------------------------------------------------ joining


def asked_for_today(subscriber_id: int) -> int:
    since = utcnow() - timedelta(hours=24)
    return db.session.scalar(
        select(func.count(OutgoingEmail.id)).where(
            OutgoingEmail.subscriber_id == subscriber_id,
            OutgoingEmail.kind.in_(ASKED_FOR_KINDS),
            OutgoingEmail.created_at >= since,
        )
    )


def _stamp() -> str:
    return utcnow().strftime("%Y%m%d%H%M%S%f")


def needs_choices(subscriber: Subscriber) -> bool:
    return subscriber.role not in Role.ALL or not subscriber.themes


def _queue_confirmation(subscriber: Subscriber) -> bool:
    if asked_for_today(subscriber.id) >= CONFIRMATIONS_PER_DAY:
        return False
    if subscriber.status == Status.ACTIVE:
        emails.already_subscribed_email(
            subscriber.first_name,
            external_url(
                "subscriptions.preferences", token=make_token("preferences", subscriber.id)
            ),
            key=f"already:{subscriber.id}:{_stamp()}",
            subscriber_id=subscriber.id,
        )
        return True
    emails.confirm_email(
        subscriber.first_name if subscriber.name else "",
        external_url("subscriptions.confirm", token=make_token("confirm", subscriber.id)),
        needs_choices(subscriber),
        key=f"confirm:{subscriber.id}:{_stamp()}",
        subscriber_id=subscriber.id,
    )
    return True


def _insert_pending(address: str, values: dict, source: str) -> Subscriber:
    """Insert a pending subscriber; if a parallel request inserted the same address first
    (unique email), use that row instead of failing."""
    subscriber = Subscriber(email=address, status=Status.PENDING, source=source)
    _apply(subscriber, values)
    try:
        with db.session.begin_nested():
            db.session.add(subscriber)
    except IntegrityError:  # the savepoint rolled back and dropped our pending object
        return db.session.scalar(select(Subscriber).where(Subscriber.email == address))
    return subscriber


def request_subscription(values: dict, *, source: str = "web") -> str:
    """Someone asked to join with `values["email"]` (already normalised and checked).

    Whatever the address's state, the caller shows the same page. Returns what happened,
    for logs and tests: "confirmation sent" | "reminder sent" | "rate limited" | "suppressed".
    """
    address = values["email"]
    if hard_suppressed(address):
        return "suppressed"  # bounced or complained: never write to it again
    subscriber = by_address(address)
    if subscriber is None:
        subscriber = _insert_pending(address, values, source)
    elif subscriber.status in (Status.PENDING, Status.UNSUBSCRIBED):
        # Their latest answers; nothing takes effect before they confirm.
        _apply(subscriber, {k: v for k, v in values.items() if k != "email" and v})
    if not _queue_confirmation(subscriber):
        return "rate limited"
    return "reminder sent" if subscriber.status == Status.ACTIVE else "confirmation sent"


def resend_confirmation(subscriber_id: int) -> bool:
    """Admin: send the confirmation again, within the same daily limit. False if not sent."""
    subscriber = get_subscriber(subscriber_id)
    if subscriber.status != Status.PENDING or not subscriber.email:
        return False
    if hard_suppressed(subscriber.email):
        return False
    return _queue_confirmation(subscriber)


def confirm(subscriber_id: int, values: dict | None = None) -> str:
    """The person pressed "Confirm" (double opt-in) or "Resubscribe": make them active.

    Returns "confirmed" or "already active". Raises ValueError when role or themes are
    still missing (the page asks for them first).
    """
    subscriber = get_subscriber(subscriber_id)
    if subscriber.status == Status.DELETED or not subscriber.email:
        raise LookupError("this subscription was deleted")
    if subscriber.status == Status.ACTIVE:
        return "already active"
    _apply(subscriber, values or {})
    if needs_choices(subscriber):
        raise ValueError("choose a role and at least one theme first")
    entry = suppression_of(subscriber.email)
    if entry is not None and entry.reason in HARD_REASONS:
        raise PermissionError("this address cannot receive our mail")
    if entry is not None:  # they unsubscribed before and now asked to come back
        db.session.delete(entry)
    now = utcnow()
    subscriber.status = Status.ACTIVE
    subscriber.confirmed_at = now
    subscriber.unsubscribed_at = None
    subscriber.unsubscribe_source = None
    db.session.flush()
    paused = subscriber.paused_until if subscriber.is_paused(now.date()) else None
    emails.welcome_email(
        subscriber.first_name,
        subscriber.role,
        [t.name for t in subscriber.themes],
        first_send_text(subscriber.timezone, paused),
        f"{paused:%A} {paused.day} {paused:%B %Y}" if paused else None,
        key=f"welcome:{subscriber.id}:{now:%Y%m%d%H%M%S%f}",
        subscriber_id=subscriber.id,
    )
    return "confirmed"


def invite(
    address: str,
    *,
    name: str = "",
    team: str | None = None,
    role: str | None = None,
    themes=(),
) -> str:
    """Admin import: invite one address. Returns "invited" | "exists" | "suppressed".

    Raises InvalidAddress for a malformed address and ValueError for an unknown role or
    theme. The invitation's link leads to the confirm page: nobody is subscribed before
    they press the button themselves.
    """
    address = normalise_email(address)
    if role is not None and role not in Role.ALL:
        raise ValueError(f"role must be one of {', '.join(Role.ALL)}, not {role!r}")
    theme_rows = themes_for(themes)
    if suppression_of(address) is not None:
        return "suppressed"  # includes people who unsubscribed: an admin may not undo that
    if by_address(address) is not None:
        return "exists"
    subscriber = Subscriber(
        email=address,
        name=" ".join((name or "").split())[:60],
        team=(team or "").strip()[:80] or None,
        role=role,
        status=Status.PENDING,
        source="import",
    )
    subscriber.themes = theme_rows
    db.session.add(subscriber)
    db.session.flush()
    emails.invite_email(
        subscriber.first_name if subscriber.name else "",
        external_url("subscriptions.join", token=make_token("invite", subscriber.id)),
        role,
        [t.name for t in theme_rows],
        key=f"invite:{subscriber.id}",
        subscriber_id=subscriber.id,
    )
    return "invited"


# ------------------------------------------------------------------ preferences


def update_profile(subscriber_id: int, values: dict) -> None:
    subscriber = get_subscriber(subscriber_id)
    if subscriber.status == Status.DELETED:
        raise LookupError("this subscription was deleted")
    _apply(subscriber, values)


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
    digest = address_hash(address)
    entry = db.session.scalar(select(Suppression).where(Suppression.address_hash == digest))
    if entry is None:
        with db.session.begin_nested():
            db.session.add(Suppression(address_hash=digest, reason=reason, detail=detail))
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
    """Unsubscribe, and tell the partners of this week's open rounds (the inbound feature's
    partner_gone: a learner gets a standby tip-giver, a tip-giver a short note). For the
    subscriber's own actions: pages, one-click, the unsubscribe mailto."""
    changed = unsubscribe(subscriber_id, source=source)
    if changed:
        tell_partners(subscriber_id, "left the programme")
    return changed


def tell_partners(subscriber_id: int, reason: str) -> None:
    from service.inbound.partner import partner_gone

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
