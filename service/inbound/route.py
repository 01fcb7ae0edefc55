"""Where an inbound message belongs: a pair's thread, the join address, or unsubscribe.

The reply address `reply+<key>@INBOUND_DOMAIN` names the pair, the round and the
recipient. Some clients drop the sub-address or reply to a forwarded copy, so the
Message-IDs in In-Reply-To/References are checked against our own sent mail too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import or_, select

from service.extensions import db
from service.inbound.known import current
from service.inbound.parse import ParsedMail
from service.mail.models import OutgoingEmail
from service.rounds.models import Pairing
from service.rounds.threads import Side, side_for_key, side_of

REPLY, JOIN, UNSUBSCRIBE, UNKNOWN = "reply", "join", "unsubscribe", "unknown"


@dataclass(frozen=True)
class Route:
    kind: str
    pairing: Pairing | None = None
    side: Side | None = None  # the side whose address (or thread) the message came to
    local_part: str | None = None  # for unsubscribe+...@
    via: str = ""  # "address" | "references": how a reply was matched


def local_parts(addresses: list[str]) -> list[str]:
    """The local parts of those (lower-cased) addresses that are on the inbound domain."""
    domain = current_app.config["INBOUND_DOMAIN"].lower()
    return [a.rsplit("@", 1)[0] for a in addresses if a.rsplit("@", 1)[-1] == domain]


_KEY = re.compile(r"^reply\+([A-Za-z0-9_\-]{6,40})$", re.I)


def key_candidates(local_parts: list[str]) -> list[str]:
    """The reply keys these local parts could name, in the order they are tried."""
    keys = []
    for local in local_parts:
        match = _KEY.match(local)
        if match:  # Keys are lower-case hex; some servers upper-case the address on the way.
            keys += [match.group(1), match.group(1).lower()]
    return list(dict.fromkeys(keys))


def pairing_for_key(key: str) -> tuple[Pairing, Side] | None:
    known = current()
    for candidate in dict.fromkeys((key, key.lower())):
        if known is not None and candidate in known.pairing_by_key:
            pairing_id = known.pairing_by_key[candidate]  # read ahead (and locked)
            pairing = db.session.get(Pairing, pairing_id) if pairing_id else None
        else:
            pairing = db.session.scalar(
                select(Pairing).where(
                    or_(Pairing.learner_key == candidate, Pairing.giver_key == candidate)
                )
            )
        if pairing is not None:
            return pairing, side_for_key(pairing, candidate)
    return None


def _by_key(local_parts: list[str]) -> Route | None:
    for local in local_parts:
        match = _KEY.match(local)
        found = pairing_for_key(match.group(1)) if match else None
        if found is not None:
            return Route(REPLY, found[0], found[1], via="address")
    return None


def _by_references(mail: ParsedMail) -> Route | None:
    ids = list(dict.fromkeys(mail.in_reply_to + list(reversed(mail.references))))[:50]
    if not ids:
        return None
    columns = (OutgoingEmail.message_id, OutgoingEmail.pairing_id, OutgoingEmail.subscriber_id)
    rows = db.session.execute(
        select(*columns).where(
            OutgoingEmail.message_id.in_(ids), OutgoingEmail.pairing_id.is_not(None)
        )
    ).all()
    by_id = {row.message_id: row for row in rows}
    for message_id in ids:
        row = by_id.get(message_id)
        if row is None or row.subscriber_id is None:
            continue
        pairing = db.session.get(Pairing, row.pairing_id)
        found = side_of(pairing, row.subscriber_id) if pairing else None
        if found is not None:
            return Route(REPLY, pairing, found, via="references")
    return None


def route(mail: ParsedMail) -> Route:
    locals_ = local_parts(mail.recipients)
    found = _by_key(locals_)
    if found:
        return found
    for local in locals_:
        lowered = local.lower()
        if lowered == "join":
            return Route(JOIN)
        if lowered == "unsubscribe" or lowered.startswith("unsubscribe+"):
            return Route(UNSUBSCRIBE, local_part=local)
    return _by_references(mail) or Route(UNKNOWN)
