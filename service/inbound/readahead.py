"""Read what a group of stored messages will look up, in a few set-based queries, before
the first of them is processed (groups.py processes a group in one transaction).

One message at a time, a relay cost about 20 statements, most of them fetching the same
kinds of rows for every message. From the recipients SendGrid posted beside each message
(its `to`, `cc` and envelope: no parsing needed), the group reads at once:

- the pairings the reply keys name, locked FOR NO KEY UPDATE in id order with SKIP
  LOCKED: a message whose pairing another worker's group holds is left for a later
  group (a second or so), so two workers never wait for each other's group, nor
  deadlock on it;
- their learners and tip-givers, into the session (`session.get` then needs no query);
- each pairing's messages of the last day (the relay limit), counted on as it relays;
- which of the messages were relayed already (a re-run relays nothing twice);
- the first email of each thread a relay continues (its subject), with its reader's
  language, and the suppression list's answer for each person's address.

What they are read into, and who asks, is known.py.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import lazyload

from service.database import utcnow
from service.extensions import db
from service.inbound.known import Known
from service.inbound.models import InboundMessage
from service.inbound.parse import posted_recipients
from service.inbound.relay import relays_since
from service.inbound.route import key_candidates, local_parts
from service.mail.rules import suppressions_for
from service.rounds.conversation import read_thread_roots
from service.rounds.models import Pairing, ThreadMessage
from service.rounds.threads import side, side_for_key
from service.subscriptions.models import Subscriber


def read_ahead(rows: list[InboundMessage]) -> tuple[Known, set[int]]:
    """The group's Known, and the ids of the messages to leave for a later group (their
    pairing is locked by another worker)."""
    known = Known(group={row.id for row in rows})
    keys_of = {row.id: _keys(row) for row in rows}
    known.pairing_by_key = _pairing_ids(sorted({k for keys in keys_of.values() for k in keys}))
    pairings = _lock(sorted({i for i in known.pairing_by_key.values() if i}))
    known.locked = {p.id for p in pairings}
    busy = {
        row_id
        for row_id, keys in keys_of.items()
        if any(known.pairing_by_key.get(k) not in (None, *known.locked) for k in keys)
    }
    known.relayed = set(
        db.session.scalars(
            select(ThreadMessage.inbound_id).where(
                ThreadMessage.inbound_id.in_(sorted(known.group)), ThreadMessage.kind == "reply"
            )
        )
    )
    if not pairings:
        return known, busy
    people = _people(pairings)
    known.loaded = [*pairings, *people]
    since = utcnow() - timedelta(days=1)
    counts = relays_since(sorted(known.locked), since)
    known.relays_today = {pairing_id: counts.get(pairing_id, 0) for pairing_id in known.locked}
    known.roots = read_thread_roots(_partner_roots(pairings, known.pairing_by_key))
    addresses = [person.email for person in people if person.email]
    found = suppressions_for(addresses)
    known.suppressed = {address: found.get(address) for address in addresses}
    return known, busy


def _keys(row: InboundMessage) -> list[str]:
    return key_candidates(local_parts(posted_recipients(row.fields or {})))


def _pairing_ids(keys: list[str]) -> dict[str, int | None]:
    """Reply key -> the id of its pairing, or None, without loading or locking any."""
    found: dict[str, int | None] = dict.fromkeys(keys)
    if keys:
        rows = db.session.execute(
            select(Pairing.id, Pairing.learner_key, Pairing.giver_key).where(
                or_(Pairing.learner_key.in_(keys), Pairing.giver_key.in_(keys))
            )
        )
        for pairing_id, learner_key, giver_key in rows:
            for key in (learner_key, giver_key):
                if key in found:
                    found[key] = pairing_id
    return found


def _lock(pairing_ids: list[int]) -> list[Pairing]:
    """Those of the pairings no other transaction holds, locked and (re)loaded: what this
    group reads of them is what it may change (lock_pairing in relay.py explains NO KEY
    UPDATE). In id order, so two groups never wait for each other in a cycle."""
    if not pairing_ids:
        return []
    query = (
        select(Pairing)
        .where(Pairing.id.in_(pairing_ids))
        .order_by(Pairing.id)
        .with_for_update(of=Pairing, key_share=True, skip_locked=True)
        .execution_options(populate_existing=True)
    )
    return list(db.session.scalars(query).unique())


def _people(pairings: list[Pairing]) -> list[Subscriber]:
    ids = sorted({i for p in pairings for i in (p.learner_id, p.giver_id) if i})
    query = (
        select(Subscriber)
        .where(Subscriber.id.in_(ids))
        .options(lazyload(Subscriber.themes))  # no reply needs anyone's themes
        .execution_options(populate_existing=True)
    )
    return list(db.session.scalars(query))


def _partner_roots(pairings: list[Pairing], pairing_by_key: dict[str, int | None]) -> list[str]:
    """The thread roots of the partners of those who wrote (a relay continues those)."""
    by_id = {p.id: p for p in pairings}
    roots = []
    for key, pairing_id in pairing_by_key.items():
        pairing = by_id.get(pairing_id)
        author = side_for_key(pairing, key) if pairing else None
        if author is not None:
            roots.append(side(pairing, author.partner_role).thread_root)
    return roots
