"""One-click answers: recorded once per (pairing, person, question), changeable until
the round closes, with each side effect happening exactly once.

outcome  learner: tried | help | skip      tip-giver: cant
rating   1..5, both sides (from the recap)
tried    yes | no, learner (from the recap)
keep     yes | no, both sides (from the recap): "Keep this partner next week?"; when both
         say yes, the next round keeps them together (see rounds.continuations)
confidence 1..5, learner (every few weeks, from the recap): also kept in the learner's
         dated confidence history (confidence.ratings)
clear, again  yes | no, tip-giver (from the recap): was the learner's need clear, would they
         give a tip on this theme again (challenge quality)
share    share | private, tip-giver (from the recap): may other learners read my tip?

Side effects, on a change of value only: "help" tells the tip-giver in the thread;
"cant" moves the learner to a standby tip-giver (or gives them the shared tips);
"skip" quietly takes the learner out of the round (no nudge, no recap), and their
tip-giver goes on standby for someone whose partner drops out.
"share" copies the tip-giver's tips for future learners, "private" erases those copies
(service.rounds.tips); it runs on every press, so a tip sent after an earlier press is
included by pressing again.
"""

from __future__ import annotations

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from service.confidence.ratings import record_checkin
from service.extensions import db
from service.rounds import tips
from service.rounds.models import (
    Answer,
    Pairing,
    PairingStatus,
    RoundStatus,
    Standby,
)
from service.rounds.notices import tell_giver_help
from service.rounds.standby import reassign_learner
from service.rounds.threads import GIVER, LEARNER

QUESTIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "outcome": {LEARNER: ("tried", "help", "skip"), GIVER: ("cant",)},
    "rating": {LEARNER: ("1", "2", "3", "4", "5"), GIVER: ("1", "2", "3", "4", "5")},
    "tried": {LEARNER: ("yes", "no")},
    "keep": {LEARNER: ("yes", "no"), GIVER: ("yes", "no")},
    "confidence": {LEARNER: ("1", "2", "3", "4", "5")},
    "clear": {GIVER: ("yes", "no")},
    "again": {GIVER: ("yes", "no")},
    "share": {GIVER: (tips.SHARE, tips.PRIVATE)},
}
MAX_COMMENT = 2000
# Questions whose answer does more than store a row (record_answer below); the others
# the one-click page stores in one statement (answer_page.store_answer).
SIDE_EFFECTS = frozenset({"outcome", "confidence", "share"})


class RoundClosed(Exception):
    """The round is closed: its answers can no longer change."""


class AnswerRefused(ValueError):
    """This person cannot give this answer here (wrong question, value or pairing)."""


def role_in(pairing: Pairing, subscriber_id: int) -> str | None:
    if subscriber_id == pairing.learner_id:
        return LEARNER
    if pairing.giver_id is not None and subscriber_id == pairing.giver_id:
        return GIVER
    return None


def choices_for(question: str, role: str) -> tuple[str, ...]:
    return QUESTIONS.get(question, {}).get(role, ())


def find_answer(pairing_id: int, subscriber_id: int, question: str) -> Answer | None:
    return db.session.scalar(
        select(Answer).where(
            Answer.pairing_id == pairing_id,
            Answer.subscriber_id == subscriber_id,
            Answer.question == question,
        )
    )


def record_answer(
    pairing_id: int, subscriber_id: int, question: str, value: str, comment: str | None = None
) -> Answer:
    """A press of an answer button, as one transaction: apply_answer, then commit."""
    answer = apply_answer(pairing_id, subscriber_id, question, value, comment)
    db.session.commit()
    return answer


def apply_answer(
    pairing_id: int, subscriber_id: int, question: str, value: str, comment: str | None = None
) -> Answer:
    """Store (or change) an answer and run its side effect once. The caller commits (a
    job that answers for an emailed command commits with the rest of its work).

    Raises RoundClosed after the round closed, AnswerRefused for an answer this person
    cannot give, LookupError for an unknown pairing."""
    pairing = db.session.get(Pairing, pairing_id)
    if pairing is None:
        raise LookupError(f"pairing {pairing_id} does not exist")
    if pairing.round.status == RoundStatus.CLOSED:
        raise RoundClosed(f"The {pairing.round.week} round is closed.")
    comment = (comment or "").strip()[:MAX_COMMENT] or None
    existing = find_answer(pairing_id, subscriber_id, question)
    role = role_in(pairing, subscriber_id)
    if role is None:
        if existing is not None and existing.value == value:
            return existing  # e.g. a tip-giver who handed over clicks "can't" again
        raise AnswerRefused(gettext("You are no longer part of this pair this week."))
    if value not in choices_for(question, role):
        raise AnswerRefused(gettext("This is not one of the answers to this question."))

    previous = existing.value if existing is not None else None
    if existing is None:
        existing = Answer(
            pairing_id=pairing_id,
            subscriber_id=subscriber_id,
            question=question,
            value=value,
            comment=comment,
        )
        try:
            with db.session.begin_nested():  # a savepoint: the caller's work stays
                db.session.add(existing)
        except IntegrityError:  # the same click arrived twice at once
            return apply_answer(pairing_id, subscriber_id, question, value, comment)
    else:
        existing.value = value
        if comment is not None:
            existing.comment = comment

    if question == "outcome" and value != previous:
        _on_outcome(pairing, role, previous, value, comment)
    if question == "confidence":
        record_checkin(pairing, subscriber_id, int(value))
    if question == "share":
        tips.record_choice(pairing, subscriber_id, value)
    return existing


def _on_outcome(pairing: Pairing, role: str, previous: str | None, value: str, comment):
    if role == GIVER and value == "cant":
        db.session.flush()
        reassign_learner(pairing.id, "the tip-giver can't this week")
        return
    if value == "help":
        tell_giver_help(pairing, comment)
    if value == "skip":
        pairing.status = PairingStatus.SKIPPED
        _free_giver(pairing)
    elif previous == "skip" and pairing.status == PairingStatus.SKIPPED:
        pairing.status = PairingStatus.ACTIVE if pairing.giver_id else PairingStatus.UNMATCHED


def _free_giver(pairing: Pairing) -> None:
    """A tip-giver whose learner skipped is first in line for a learner whose partner
    drops out (unless they already sent a tip)."""
    if pairing.giver_id is None or pairing.tip_received_at is not None:
        return
    exists_ = db.session.scalar(
        select(Standby.id).where(
            Standby.round_id == pairing.round_id, Standby.subscriber_id == pairing.giver_id
        )
    )
    if exists_ is None:
        db.session.add(
            Standby(
                round_id=pairing.round_id,
                subscriber_id=pairing.giver_id,
                reason="on standby: their learner skipped this week",
            )
        )
