"""The job that turns a stored inbound message into an action, and the sweep behind it.

Order matters: automated mail is dropped before routing (nothing ever answers it),
the sender is checked before any command runs, and commands run instead of a relay.
Every outcome is written on the row, so an admin can see why a message went nowhere.
"""

from __future__ import annotations

import logging
from datetime import date

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import lazyload

from service.database import utcnow
from service.extensions import db
from service.inbound import autoreply
from service.inbound.models import UNAUTHENTICATED, InboundMessage, InboundState
from service.inbound.parse import ParsedMail, parse_inbound
from service.inbound.route import JOIN, REPLY, UNSUBSCRIBE, Route, route
from service.rounds.models import PairingStatus, RoundStatus
from service.subscriptions.models import Status, Subscriber
from service.transient import describe_error, is_transient, retrying

log = logging.getLogger(__name__)

DONE = (InboundState.PROCESSED, InboundState.IGNORED, InboundState.FAILED)
SPAM_SCORE = 5.0  # SpamAssassin's usual threshold (SendGrid's "spam_score" field)


class Outcome(Exception):
    """Stops processing with a state and a reason for the row."""

    def __init__(self, state: str, outcome: str):
        super().__init__(outcome)
        self.state, self.outcome = state, outcome


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
        return _finish(row, InboundState.FAILED, f"unparseable: {type(exc).__name__}")
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
    from service.inbound.actions import act_on_reply

    if not mail.from_address:
        raise Outcome(InboundState.IGNORED, "no sender address")
    if is_our_own(mail.from_address):
        # One of our emails came back (an auto-forward, a misconfigured alias): acting
        # on it, or answering it, is how mail loops start.
        raise Outcome(InboundState.IGNORED, "from our own domain (loop)")
    automated = autoreply.classify(mail)
    where = route(mail)
    if where.kind == REPLY:
        row.pairing_id = where.pairing.id
    if automated:
        if automated == autoreply.OUT_OF_OFFICE and where.kind == REPLY and mail.authenticated:
            mark_away(where, mail)
        raise Outcome(InboundState.IGNORED, f"automated: {automated}")
    if where.kind == UNSUBSCRIBE:
        # Before the authentication check: the signed address needs none, and a plain
        # one from an unauthenticated sender gets a link to the address on file.
        from service.subscriptions.inbound_mail import handle_unsubscribe_message

        result = handle_unsubscribe_message(
            mail.from_address, where.local_part, authenticated=mail.authenticated
        )
        return f"unsubscribe address: {result}"
    if where.kind in (JOIN, REPLY) and not mail.authenticated:
        # Stored, not acted on, nothing sent to the From address (it may be forged).
        raise Outcome(InboundState.IGNORED, f"{UNAUTHENTICATED}: {mail.verdict.reason}")
    if where.kind == JOIN:
        from service.subscriptions.inbound_mail import handle_join_message

        language = mail.message.get("Content-Language") or mail.message.get("Accept-Language")
        return f"join: {handle_join_message(mail.from_address, language)}"
    if where.kind != REPLY:
        not_relayed(mail, "unknown")
        raise Outcome(InboundState.IGNORED, "unknown recipient")
    owner = check_sender(where, mail)
    row.sender_id = owner.id
    return act_on_reply(row, mail, where, owner)


def is_our_own(address: str) -> bool:
    """Our sending address, or anything on the inbound domain. Not the whole sending
    domain: an organisation running the programme sends from its own domain, where
    its people write from too."""
    from email.utils import parseaddr

    ours = parseaddr(current_app.config["MAIL_FROM"])[1].lower()
    domain = address.rsplit("@", 1)[-1].lower()
    return address.lower() == ours or domain == current_app.config["INBOUND_DOMAIN"].lower()


def check_sender(where: Route, mail: ParsedMail) -> Subscriber:
    """The key's owner, if they sent it; otherwise stop (with one note to a person)."""
    owner = _owner(where)
    if owner is None or not owner.email or owner.email.lower() != mail.from_address:
        not_relayed(mail, "not_owner")
        raise Outcome(InboundState.IGNORED, "sender is not the owner of this reply address")
    if owner.status in (Status.UNSUBSCRIBED, Status.DELETED):
        raise Outcome(InboundState.IGNORED, f"sender is {owner.status}")
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


def thread_is_open(where: Route) -> bool:
    pairing = where.pairing
    return pairing.round.status != RoundStatus.CLOSED and pairing.status in (
        PairingStatus.ACTIVE,
        PairingStatus.UNMATCHED,
    )


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


def not_relayed(mail: ParsedMail, problem: str) -> None:
    """One short note a day to a person whose message went nowhere. Never to automated
    senders (autoreply.classify ran first), and never to an unauthenticated From: a
    forged address would otherwise receive our note (backscatter), carrying whatever
    subject the forger chose. Only the authenticated sender sees their own subject."""
    if not mail.authenticated or not mail.from_address or mail.spam_score >= SPAM_SCORE:
        return
    from service.inbound.emails import not_relayed_email
    from service.subscriptions.models import address_hash

    today = utcnow().date().isoformat()
    not_relayed_email(
        problem,
        (mail.subject or "")[:120],
        key=f"not-relayed:{address_hash(mail.from_address)}:{today}",
        to=mail.from_address,
    )
