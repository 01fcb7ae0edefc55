"""Joining and leaving by email. The inbound webhook routes `join@` and `unsubscribe@`
(and the signed List-Unsubscribe mailto `unsubscribe+<id>.<sig>@`) here."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import getaddresses

from service.tokens import check_short_signature

MAILTO_PURPOSE = "unsubscribe-mailto"


def sender_of(message: EmailMessage) -> tuple[str, str] | None:
    """(display name, normalised address) of the From header, or None if unusable."""
    from service.subscriptions.addresses import InvalidAddress, normalise_email

    pairs = getaddresses([str(message.get("From", ""))])
    if len(pairs) != 1:
        return None
    name, address = pairs[0]
    try:
        address = normalise_email(address)
    except InvalidAddress:
        return None
    name = " ".join(name.split())[:60]
    return name, address


def is_automatic(message: EmailMessage) -> bool:
    """Auto-replies and list mail must never start a subscription (mail loops)."""
    auto = str(message.get("Auto-Submitted", "no")).strip().lower()
    precedence = str(message.get("Precedence", "")).strip().lower()
    return auto != "no" or precedence in ("bulk", "junk", "list", "auto_reply")


def handle_join_message(message: EmailMessage) -> str:
    """Mail to join@: a pending subscriber for the sender, and the confirmation email
    whose page asks for role and themes. The caller commits. Returns the outcome."""
    from service.subscriptions.actions import request_subscription

    if is_automatic(message):
        return "ignored: automatic message"
    sender = sender_of(message)
    if sender is None:
        return "ignored: no usable From address"
    name, address = sender
    return request_subscription({"email": address, "name": name}, source="email")


def handle_unsubscribe_message(message: EmailMessage, local_part: str) -> str:
    """Mail to the List-Unsubscribe mailto, or to unsubscribe@ from a subscriber.

    The signed form `unsubscribe+<id>.<sig>` names the subscriber whatever the From says
    (forwarding and aliases change it). Plain `unsubscribe@` trusts the From address, as
    every mailing list does; the worst a forger can do is trigger the one goodbye email.
    """
    from service.subscriptions.actions import by_address, leave

    local = (local_part or "").strip().lower()
    if "+" in local:
        tag = local.split("+", 1)[1]
        sid, _, signature = tag.partition(".")
        if not sid.isdigit() or not check_short_signature(sid, signature, MAILTO_PURPOSE):
            return "ignored: bad signature"
        from service.extensions import db
        from service.subscriptions.models import Subscriber

        if db.session.get(Subscriber, int(sid)) is None:
            return "ignored: unknown subscriber"
        changed = leave(int(sid), source="mailto")
        return "unsubscribed" if changed else "already unsubscribed"
    if is_automatic(message):
        return "ignored: automatic message"
    sender = sender_of(message)
    subscriber = by_address(sender[1]) if sender else None
    if subscriber is None:
        return "ignored: sender is not a subscriber"
    changed = leave(subscriber.id, source="mailto")
    return "unsubscribed" if changed else "already unsubscribed"
