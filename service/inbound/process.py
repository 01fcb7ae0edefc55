"""The job that turns a stored inbound message into an action, and the sweep behind it.

Order matters: automated mail is dropped before routing (nothing ever answers it),
the sender is checked before any command runs, and commands run instead of a relay.
Every outcome is written on the row, so an admin can see why a message went nowhere.
"""

from __future__ import annotations

import logging
from datetime import date
from email.utils import parseaddr

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import lazyload

from service.database import utcnow
from service.extensions import db
from service.inbound import autoreply
from service.inbound.actions import act_on_reply
from service.inbound.models import InboundMessage, InboundState
from service.inbound.outcomes import Outcome, Reason, describe, ignored, not_relayed
from service.inbound.parse import ParsedMail, parse_inbound
from service.inbound.route import JOIN, REPLY, UNSUBSCRIBE, Route, route
from service.subscriptions.inbound_mail import handle_join_message, handle_unsubscribe_message
from service.subscriptions.models import Status, Subscriber
from service.transient import describe_error, is_transient, retrying

log = logging.getLogger(__name__)

DONE = (InboundState.PROCESSED, InboundState.IGNORED, InboundState.FAILED)


def process_inbound(inbound_id: int) -> str:
    """Process one stored message, by id, once (the job takes them in order: process_next).
    Returns the outcome; transient database errors are retried with backoff."""

    def step() -> str:
        row = db.session.scalar(
            select(InboundMessage).where(InboundMessage.id == inbound_id).with_for_update()
        )
        if row is None or row.state in DONE:
            db.session.rollback()
            return "already done" if row else "missing"
        return process_row(row)

    return retrying(step)


def process_next(after_id: int) -> tuple[int | None, str]:
    """Lock the oldest stored message after `after_id` that no other worker holds and
    process it: (its id, outcome), or (None, "") when none is left. The row lock, held
    until the message's outcome is committed, is what makes each message processed
    once by one worker; a crashed worker's lock ends with its connection."""
    found: list[int] = []

    def step() -> str:
        row = db.session.scalar(
            select(InboundMessage)
            .where(InboundMessage.state == InboundState.STORED, InboundMessage.id > after_id)
            .order_by(InboundMessage.id)
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        if row is None:
            db.session.rollback()
            return ""
        found[:] = [row.id]
        return process_row(row)

    try:
        outcome = retrying(step)
    except Exception as exc:
        if not found:
            raise
        raise MessageError(found[0], exc) from exc
    return (found[0] if found else None), outcome


class MessageError(Exception):
    """Processing message `inbound_id` raised `error` (recorded on the row, unless it
    was transient: then the row is still stored, for a later attempt)."""

    def __init__(self, inbound_id: int, error: Exception):
        super().__init__(f"inbound {inbound_id}: {describe_error(error)}")
        self.inbound_id, self.error = inbound_id, error


def process_row(row: InboundMessage) -> str:
    """Parse, check and act on one locked row; write its outcome and commit. A transient
    database error is raised untouched (the caller retries); any other error is
    recorded on the row and raised for rq to record the traceback."""
    inbound_id = row.id
    try:
        mail = parse_inbound(row, current_app.config["INBOUND_AUTHSERV_IDS"])
    except Exception as exc:  # so broken the parser gave up: keep it for a person to look at
        log.warning("inbound %s cannot be parsed", inbound_id, exc_info=True)
        return _finish(row, InboundState.FAILED, describe(Reason.UNPARSEABLE, type(exc).__name__))
    if mail.cuts:  # read within bounds.py's limits; the stored original is whole
        row.fields = {**(row.fields or {}), "cuts": mail.cuts[:10]}
    try:
        state, outcome = InboundState.PROCESSED, handle(row, mail)
    except Outcome as stop:
        state, outcome = stop.state, stop.outcome
    except Exception as exc:
        db.session.rollback()
        if is_transient(exc):
            raise
        # A bug or an outage: record it (visible to admins, retried by
        # `turnabout inbound retry`), then let rq record the traceback too.
        row = db.session.get(InboundMessage, inbound_id)
        _finish(row, InboundState.FAILED, describe_error(exc))
        raise
    return _finish(row, state, outcome)


def _finish(row: InboundMessage, state: str, outcome: str) -> str:
    row.state, row.outcome, row.processed_at = state, outcome.replace("\x00", "")[:200], utcnow()
    db.session.commit()
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
        result = handle_unsubscribe_message(
            mail.from_address, where.local_part, authenticated=mail.authenticated
        )
        return describe(Reason.UNSUBSCRIBE_ADDRESS, result)
    if where.kind in (JOIN, REPLY) and not mail.authenticated:
        # Stored, not acted on, nothing sent to the From address (it may be forged).
        raise ignored(Reason.UNAUTHENTICATED, mail.verdict.reason)
    if where.kind == JOIN:
        language = mail.message.get("Content-Language") or mail.message.get("Accept-Language")
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
