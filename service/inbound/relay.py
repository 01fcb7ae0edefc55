"""Pass a person's words to their partner, in the partner's own thread.

The relayed email comes From "<first name> via Turnabout" on our domain (DMARC-safe),
Reply-To the partner's own key, and In-Reply-To/References the partner's thread root,
so it joins the round's conversation in any mail client and a reply comes back to us.
"""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import lazyload

from service.database import utcnow
from service.extensions import db
from service.inbound.emails import relay_email
from service.inbound.known import current
from service.mail.queueing import add_email
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
    does not conflict with KEY SHARE, so the second relay simply waits for the first.
    The inbound job locks its group's pairings in advance (readahead.py): no query then."""
    known = current()
    if known is not None and pairing_id in known.locked:
        return db.session.get(Pairing, pairing_id)
    return db.session.scalar(
        select(Pairing).where(Pairing.id == pairing_id).with_for_update(of=Pairing, key_share=True)
    )


def relays_since(pairing_ids, since) -> dict[int, int]:
    """Messages in each pair's conversation since `since`, by pairing id (none: absent)."""
    rows = db.session.execute(
        select(ThreadMessage.pairing_id, func.count(ThreadMessage.id))
        .where(ThreadMessage.pairing_id.in_(pairing_ids), ThreadMessage.created_at > since)
        .group_by(ThreadMessage.pairing_id)
    )
    return dict(rows.all())


def relays_in_last_day(pairing_id: int) -> int:
    known = current()
    if known is not None and pairing_id in known.relays_today:
        return known.relays_today[pairing_id]
    return relays_since([pairing_id], utcnow() - timedelta(days=1)).get(pairing_id, 0)


def over_limit(pairing_id: int) -> bool:
    return relays_in_last_day(pairing_id) >= get_setting("relay_limit_per_day")


def relay(
    pairing: Pairing,
    author: Side,
    text: str,
    *,
    attachments: list[str],
    inbound_id: int,
) -> ThreadMessage:
    """Store the message and queue the email to the partner. The caller commits.

    Nothing is written yet: the message and its email are added to the session, and the
    caller's next flush writes them (the inbound job's, a group's relays together)."""
    known = current()
    if known is None or inbound_id not in known.group or inbound_id in known.relayed:
        existing = db.session.scalar(
            select(ThreadMessage).where(
                ThreadMessage.inbound_id == inbound_id, ThreadMessage.kind == "reply"
            )
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
        outgoing_email=_relay_email(
            pairing,
            partner,
            partner_row,
            display_name(author_row, author.role),
            body,
            attachments,
            inbound_id,
        ),
    )
    db.session.add(message)
    if author.role == GIVER and pairing.tip_received_at is None:
        pairing.tip_received_at = utcnow()  # the rounds' nudge logic reads this
    if known is not None:
        known.relayed.add(inbound_id)
        if pairing.id in known.relays_today:
            known.relays_today[pairing.id] += 1
    return message


def _relay_email(
    pairing, partner: Side, partner_row, name: str, body: str, attachments, inbound_id
):
    """The relay's email row, added, not yet written (see add_email)."""
    known = current()
    return add_email(
        relay_email.kind,
        key=f"relay:inbound:{inbound_id}",  # one relay per message: see relay()
        context=relay_email.build_context(
            name,
            thread_subject(pairing, partner, known.roots if known else None),
            body,
            attachments[:10],
        ),
        subscriber=partner_row,
        from_name=name,
        reply_to=partner.reply_to,
        thread_root=partner.thread_root,
        pairing_id=pairing.id,
        suppressed=known.suppressed if known else None,
    )
