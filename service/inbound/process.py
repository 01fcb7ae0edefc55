"""What one stored inbound message does: parse it, check it, act on it, write the outcome.

The inbound job runs this for each message of a group, in one transaction (groups.py).
Order matters: automated mail is dropped before routing (nothing ever answers it),
the sender is checked before any command runs, and commands run instead of a relay.
Every outcome is written on the row, so an admin can see why a message went nowhere.
"""

from __future__ import annotations

import logging
from datetime import date
from email.utils import parseaddr

from flask import current_app
from sqlalchemy.orm import lazyload

from service.database import utcnow
from service.extensions import db
from service.inbound import autoreply
from service.inbound.actions import act_on_reply
from service.inbound.known import acting
from service.inbound.models import InboundMessage, InboundState
from service.inbound.outcomes import Outcome, Reason, describe, ignored, not_relayed
from service.inbound.parse import ParsedMail, parse_inbound
from service.inbound.route import JOIN, REPLY, UNSUBSCRIBE, Route, route
from service.subscriptions.inbound_mail import handle_join_message, handle_unsubscribe_message
from service.subscriptions.models import Status, Subscriber

log = logging.getLogger(__name__)


def process_row(row: InboundMessage) -> str:
    """Parse, check and act on one locked row and write its outcome on it; the caller
    commits (groups.py: once for a group of messages). An error the message itself
    cannot explain (a bug, an outage) is raised untouched: the caller rolls back."""
    try:
        mail = parse_inbound(row, current_app.config["INBOUND_AUTHSERV_IDS"])
    except Exception as exc:  # so broken the parser gave up: keep it for a person to look at
        log.warning("inbound %s cannot be parsed", row.id, exc_info=True)
        return finish(row, InboundState.FAILED, describe(Reason.UNPARSEABLE, type(exc).__name__))
    if mail.cuts:  # read within bounds.py's limits; the stored original is whole
        row.fields = {**(row.fields or {}), "cuts": mail.cuts[:10]}
    try:
        state, outcome = InboundState.PROCESSED, handle(row, mail)
    except Outcome as stop:
        state, outcome = stop.state, stop.outcome
    return finish(row, state, outcome)


def finish(row: InboundMessage, state: str, outcome: str) -> str:
    """Write the outcome on the row (the caller commits)."""
    row.state, row.outcome, row.processed_at = state, outcome.replace("\x00", "")[:200], utcnow()
    return outcome


def handle(row: InboundMessage, mail: ParsedMail) -> str:
    """Act on a parsed message and return its outcome, or raise Outcome to stop."""
    if not mail.from_address:
        raise ignored(Reason.NO_SENDER)
    if is_our_own(mail.from_address):
        # One of our emails came back (an auto-forward, a misconfigured alias): acting
        # on it, or answering it, is how mail loops start.
        raise ignored(Reason.OWN_DOMAIN)
    automated = autoreply.classify(mail)  # the one verdict; nothing after this re-checks
    where = route(mail)
    if where.kind == REPLY:
        row.pairing_id = where.pairing.id
    if automated:
        if automated == autoreply.OUT_OF_OFFICE and where.kind == REPLY and mail.authenticated:
            mark_away(where, mail)
        raise ignored(Reason.AUTOMATED, automated)
    if where.kind == UNSUBSCRIBE:
        # Before the authentication check: the signed address needs none, and a plain
        # one from an unauthenticated sender gets a link to the address on file.
        acting()
        result = handle_unsubscribe_message(
            mail.from_address, where.local_part, authenticated=mail.authenticated
        )
        return describe(Reason.UNSUBSCRIBE_ADDRESS, result)
    if where.kind in (JOIN, REPLY) and not mail.authenticated:
        # Stored, not acted on, nothing sent to the From address (it may be forged).
        raise ignored(Reason.UNAUTHENTICATED, mail.verdict.reason)
    if where.kind == JOIN:
        language = mail.message.get("Content-Language") or mail.message.get("Accept-Language")
        acting()
        return describe(Reason.JOIN, handle_join_message(mail.from_address, language))
    if where.kind != REPLY:
        not_relayed(mail, "unknown")
        raise ignored(Reason.UNKNOWN_RECIPIENT)
    owner = check_sender(where, mail)
    row.sender_id = owner.id
    return act_on_reply(row, mail, where, owner)


def is_our_own(address: str) -> bool:
    """Our sending address, or anything on the inbound domain. Not the whole sending
    domain: an organisation running the programme sends from its own domain, where
    its people write from too."""
    ours = parseaddr(current_app.config["MAIL_FROM"])[1].lower()
    domain = address.rsplit("@", 1)[-1].lower()
    return address.lower() == ours or domain == current_app.config["INBOUND_DOMAIN"].lower()


def check_sender(where: Route, mail: ParsedMail) -> Subscriber:
    """The key's owner, if they sent it; otherwise stop (with one note to a person)."""
    owner = _owner(where)
    if owner is None or not owner.email or owner.email.lower() != mail.from_address:
        not_relayed(mail, "not_owner")
        raise ignored(Reason.NOT_OWNER)
    if owner.status in (Status.UNSUBSCRIBED, Status.DELETED):
        raise ignored(Reason.SENDER_LEFT, owner.status)
    return owner


def _owner(where: Route) -> Subscriber | None:
    """The owner of the reply address, without their themes (a query no reply needs).
    Without autoflush: the row's pairing_id is then written together with its sender_id,
    one UPDATE instead of two."""
    owner_id = where.side.subscriber_id
    if not owner_id:
        return None
    with db.session.no_autoflush:
        return db.session.get(Subscriber, owner_id, options=[lazyload(Subscriber.themes)])


def mark_away(where: Route, mail: ParsedMail) -> None:
    """An out-of-office from the key's owner: away until the end of the round's week."""
    owner = _owner(where)
    if owner is None or not owner.email or owner.email.lower() != mail.from_address:
        return
    end = week_end(where.pairing.round.week)
    if end and (owner.away_until is None or owner.away_until < end):
        owner.away_until = end


def week_end(week: str) -> date | None:
    """Sunday of an ISO week "2026-W49"."""
    try:
        year, number = week.split("-W")
        return date.fromisocalendar(int(year), int(number), 7)
    except (ValueError, AttributeError):
        return None
