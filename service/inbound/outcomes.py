"""What became of an inbound message: the closed set of reasons written on its row.

The reasons are an enum whose values are the words stored in `inbound_messages.outcome`
(admins read and count them; stored rows keep their meaning). A reason may carry a
detail ("automated: bounce"), never free text in place of a reason. `Outcome` stops the
job at any step with a state and a reason; `not_relayed` is the one note a person gets
when their message went nowhere.
"""

from __future__ import annotations

from enum import StrEnum

from service.database import utcnow
from service.inbound.emails import not_relayed_email
from service.inbound.models import UNAUTHENTICATED, InboundState
from service.inbound.parse import ParsedMail
from service.inbound.route import Route
from service.rounds.models import PairingStatus, RoundStatus
from service.subscriptions.models import address_hash

SPAM_SCORE = 5.0  # SpamAssassin's usual threshold (SendGrid's "spam_score" field)


class Reason(StrEnum):
    # Acted on (state processed)
    RELAYED = "relayed"  # + the direction
    COMMAND = "command"  # + the command
    JOIN = "join"  # + what joining said
    UNSUBSCRIBE_ADDRESS = "unsubscribe address"  # + what leaving said
    # Not acted on (state ignored)
    NO_SENDER = "no sender address"
    OWN_DOMAIN = "from our own domain (loop)"
    AUTOMATED = "automated"  # + autoreply's verdict
    UNAUTHENTICATED = UNAUTHENTICATED  # + the receiving server's verdict
    UNKNOWN_RECIPIENT = "unknown recipient"
    NOT_OWNER = "sender is not the owner of this reply address"
    SENDER_LEFT = "sender is"  # + their status (unsubscribed, deleted)
    THREAD_CLOSED = "thread closed"
    RELAY_LIMIT = "relay limit reached"
    EMPTY = "empty reply"
    NO_PARTNER = "no partner to relay to"
    PAUSE_REFUSED = "pause refused"  # + why
    ANSWER_REFUSED = "answer refused"  # + why
    THANKS_WITHOUT_GIVER = "thanks without a tip-giver"
    # Not understood (state failed)
    UNPARSEABLE = "unparseable"  # + the parser's error type


# Reasons that read as one phrase with their detail ("sender is deleted").
_JOINED_BY_SPACE = {Reason.RELAYED, Reason.SENDER_LEFT}


def describe(reason: Reason, detail: object = None) -> str:
    """The words stored on the row: the reason, then its detail if any."""
    if detail is None:
        return reason.value
    return f"{reason.value}{' ' if reason in _JOINED_BY_SPACE else ': '}{detail}"


class Outcome(Exception):
    """Stops processing with a state and a reason (and its detail) for the row."""

    def __init__(self, state: str, reason: Reason, detail: object = None):
        self.state, self.reason = state, reason
        self.outcome = describe(reason, detail)
        super().__init__(self.outcome)


def ignored(reason: Reason, detail: object = None) -> Outcome:
    return Outcome(InboundState.IGNORED, reason, detail)


def thread_is_open(where: Route) -> bool:
    pairing = where.pairing
    return pairing.round.status != RoundStatus.CLOSED and pairing.status in (
        PairingStatus.ACTIVE,
        PairingStatus.UNMATCHED,
    )


def not_relayed(mail: ParsedMail, problem: str) -> None:
    """One short note a day to a person whose message went nowhere. Never to automated
    senders (autoreply.classify ran first), and never to an unauthenticated From: a
    forged address would otherwise receive our note (backscatter), carrying whatever
    subject the forger chose. Only the authenticated sender sees their own subject."""
    if not mail.authenticated or not mail.from_address or mail.spam_score >= SPAM_SCORE:
        return
    today = utcnow().date().isoformat()
    not_relayed_email(
        problem,
        (mail.subject or "")[:120],
        key=f"not-relayed:{address_hash(mail.from_address)}:{today}",
        to=mail.from_address,
    )
