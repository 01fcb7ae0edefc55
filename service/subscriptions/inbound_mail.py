"""Joining and leaving by email. The inbound webhook routes `join@` and `unsubscribe@`
(and the signed List-Unsubscribe mailto `unsubscribe+<id>.<sig>@`) here, with the
sender's address as the inbound feature read it (the From mailbox as mail servers read
it) and whether the receiving server authenticated it. Automated mail never gets here:
the inbound job's one auto-reply verdict (service.inbound.autoreply) drops it first.
"""

from __future__ import annotations

import time

from flask import current_app

from service.database import utcnow
from service.extensions import db
from service.i18n import best_language, programme_language
from service.links import external_url
from service.redis_conn import get_redis
from service.subscriptions import emails
from service.subscriptions.actions import leave
from service.subscriptions.addresses import InvalidAddress, normalise_email
from service.subscriptions.joining import request_subscription
from service.subscriptions.models import Status, Subscriber
from service.subscriptions.records import by_address
from service.tokens import check_short_signature, make_token

MAILTO_PURPOSE = "unsubscribe-mailto"


def _usable(address: str) -> str | None:
    try:
        return normalise_email(address or "")
    except InvalidAddress:
        return None


def join_allowed(address: str) -> bool:
    """Count a join@ request against the hourly limits per sender domain and overall
    (Redis, shared by every worker). The per-address daily limit on confirmation
    emails still applies on top."""
    hour = int(time.time() // 3600)
    domain = address.rsplit("@", 1)[-1]
    limits = (
        (f"join-by-email:{hour}:domain:{domain}", "JOIN_BY_EMAIL_PER_DOMAIN_PER_HOUR"),
        (f"join-by-email:{hour}:all", "JOIN_BY_EMAIL_PER_HOUR"),
    )
    pipe = get_redis().pipeline()
    for key, _ in limits:
        pipe.incr(key)
        pipe.expire(key, 3700)
    counts = pipe.execute()[::2]
    return all(n <= current_app.config[name] for n, (_, name) in zip(counts, limits, strict=True))


def handle_join_message(sender: str, language_header: str | None = None) -> str:
    """Mail to join@ from an authenticated sender: a pending subscriber for the address,
    and the confirmation email whose page asks for name, role and themes. The display
    name of the From header is not used: nobody has confirmed it, and the confirmation
    email must not repeat a stranger's text. The caller commits. Returns the outcome.

    `language_header` is the mail's Content-Language (or Accept-Language, which Outlook
    adds): the person's language if we offer it, else the programme's default."""
    address = _usable(sender)
    if address is None:
        return "ignored: no usable From address"
    if not join_allowed(address):
        return "rate limited: too many join requests this hour"
    language = best_language(language_header) or programme_language()
    return request_subscription({"email": address, "language": language}, source="email")


def handle_unsubscribe_message(sender: str, local_part: str, *, authenticated: bool) -> str:
    """Mail to the List-Unsubscribe mailto, or to unsubscribe@ from a subscriber.

    The signed form `unsubscribe+<id>.<sig>` names the subscriber whatever the From says
    (forwarding and aliases change it). Plain `unsubscribe@` acts on the From address
    only when the receiving server authenticated it; otherwise the subscriber with that
    address gets, at the address on file, a link to the one-button unsubscribe page (a
    forger cannot unsubscribe anyone, and learns nothing).
    """
    local = (local_part or "").strip().lower()
    if "+" in local:
        return _signed_unsubscribe(local.split("+", 1)[1])
    address = _usable(sender)
    subscriber = by_address(address) if address else None
    if subscriber is None or not subscriber.email:
        return "ignored: sender is not a subscriber"
    if not authenticated:
        return _send_unsubscribe_link(subscriber)
    changed = leave(subscriber.id, source="mailto")
    return "unsubscribed" if changed else "already unsubscribed"


def _signed_unsubscribe(tag: str) -> str:
    sid, _, signature = tag.partition(".")
    if not sid.isascii() or not sid.isdigit() or len(sid) > 12:
        return "ignored: bad signature"
    if not check_short_signature(sid, signature, MAILTO_PURPOSE):
        return "ignored: bad signature"
    if db.session.get(Subscriber, int(sid)) is None:
        return "ignored: unknown subscriber"
    changed = leave(int(sid), source="mailto")
    return "unsubscribed" if changed else "already unsubscribed"


def _send_unsubscribe_link(subscriber: Subscriber) -> str:
    if subscriber.status in (Status.UNSUBSCRIBED, Status.DELETED):
        return "ignored: sender is not subscribed"
    emails.unsubscribe_link_email(
        external_url("subscriptions.unsubscribe", token=make_token("unsubscribe", subscriber.id)),
        key=f"unsubscribe-link:{subscriber.id}:{utcnow():%Y-%m-%d}",  # at most one a day
        subscriber_id=subscriber.id,
    )
    # The same words as service.inbound.models.UNAUTHENTICATED, which admins see counted.
    return "unauthenticated sender: sent an unsubscribe link to the address on file"
