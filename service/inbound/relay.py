"""Pass a person's words to their partner, in the partner's own thread.

The relayed email comes From "<first name> via Turnabout" on our domain (DMARC-safe),
Reply-To the partner's own key, and In-Reply-To/References the partner's thread root,
so it joins the round's conversation in any mail client and a reply comes back to us.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from flask import g, has_app_context
from sqlalchemy import func, select
from sqlalchemy.orm import lazyload

from service.database import utcnow
from service.extensions import db
from service.inbound.emails import relay_email
from service.rounds.conversation import direction, display_name, thread_subject
from service.rounds.models import Pairing, ThreadMessage
from service.rounds.threads import GIVER, Side, side
from service.settings import get_setting
from service.subscriptions.models import Subscriber

HIDDEN = "[address hidden]"


def scrub_addresses(text: str, addresses: list[str | None]) -> str:
    """Remove the pair's real addresses from the relayed text (a quoted header the
    trimmer kept, a signature): the service promises neither sees the other's."""
    lowered = text.lower()
    for address in filter(None, addresses):
        if address.lower() in lowered:  # compiling a pattern per address costs more
            text = re.sub(re.escape(address), HIDDEN, text, flags=re.I)
    return text


def lock_pairing(pairing_id: int) -> Pairing:
    """Serialise relays of one pair across workers (PostgreSQL; SQLite locks anyway).

    FOR NO KEY UPDATE, not FOR UPDATE: by now this transaction (and the one processing
    the partner's reply) has set inbound_messages.pairing_id, and that foreign key holds
    a KEY SHARE lock on the pairing. FOR UPDATE waits for the other's KEY SHARE while the
    other waits for ours: a deadlock whenever both sides reply at once. NO KEY UPDATE
    does not conflict with KEY SHARE, so the second relay simply waits for the first."""
    return db.session.scalar(
        select(Pairing).where(Pairing.id == pairing_id).with_for_update(of=Pairing, key_share=True)
    )


def relays_in_last_day(pairing_id: int) -> int:
    return db.session.scalar(
        select(func.count(ThreadMessage.id)).where(
            ThreadMessage.pairing_id == pairing_id,
            ThreadMessage.created_at > utcnow() - timedelta(days=1),
        )
    )


def over_limit(pairing_id: int) -> bool:
    return relays_in_last_day(pairing_id) >= relay_limit()


def relay_limit() -> int:
    """The programme's relay limit; inside `relay_limit_read_once()`, read once."""
    limit = g.get("inbound_relay_limit") if has_app_context() else None
    return get_setting("relay_limit_per_day") if limit is None else limit


@contextmanager
def relay_limit_read_once() -> Iterator[None]:
    """For one inbound job: the limit is read when it starts, not twice a reply (jobs
    have no settings cache: content_cache serves web requests). A change an admin saves
    applies from the next job, seconds later."""
    g.inbound_relay_limit = get_setting("relay_limit_per_day")
    try:
        yield
    finally:
        g.pop("inbound_relay_limit", None)


def relay(
    pairing: Pairing,
    author: Side,
    text: str,
    *,
    attachments: list[str],
    inbound_id: int | None,
) -> ThreadMessage:
    """Store the message and queue the email to the partner. The caller commits."""
    existing = (
        db.session.scalar(
            select(ThreadMessage).where(
                ThreadMessage.inbound_id == inbound_id, ThreadMessage.kind == "reply"
            )
        )
        if inbound_id
        else None
    )
    if existing is not None:  # a re-run of the same inbound message
        return existing
    partner = side(pairing, author.partner_role)
    author_row = db.session.get(Subscriber, author.subscriber_id) if author.subscriber_id else None
    # Not their themes (loaded with every subscriber otherwise): one query less per reply.
    partner_row = db.session.get(
        Subscriber, partner.subscriber_id, options=[lazyload(Subscriber.themes)]
    )
    body = scrub_addresses(
        text, [author_row.email if author_row else None, partner_row.email if partner_row else None]
    )
    message = ThreadMessage(
        pairing_id=pairing.id,
        author_id=author.subscriber_id,
        direction=direction(author.role),
        kind="reply",
        body=body,
        had_attachments=bool(attachments),
        inbound_id=inbound_id,
    )
    db.session.add(message)
    db.session.flush()
    name = display_name(author_row, author.role)
    email_row = relay_email(
        name,
        thread_subject(pairing, partner),
        body,
        attachments[:10],
        key=f"relay:{message.id}",
        subscriber_id=partner.subscriber_id,
        from_name=name,
        reply_to=partner.reply_to,
        thread_root=partner.thread_root,
        pairing_id=pairing.id,
    )
    message.outgoing_email_id = email_row.id
    if author.role == GIVER and pairing.tip_received_at is None:
        pairing.tip_received_at = utcnow()  # the rounds' nudge logic reads this
    return message
