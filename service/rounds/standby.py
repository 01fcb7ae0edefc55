"""When a learner's tip-giver drops out mid-round: a standby tip-giver steps in, or the
learner gets the shared tips. Used by "Can't this week", the admin's "move to standby"
button and delivery events that suppress a tip-giver's address."""

from __future__ import annotations

from sqlalchemy import and_, select, update

from service.extensions import db
from service.mail.compose import new_message_id
from service.rounds.models import Pairing, PairingStatus, RoundStatus, Standby
from service.rounds.notices import announce_new_partner, announce_no_partner
from service.rounds.planning import new_key
from service.subscriptions.models import Status, Subscriber


def free_standby(round_id: int, learner: Subscriber) -> Subscriber | None:
    """Take a standby tip-giver (still active, not on the learner's team) for the round.
    The claim is a conditional UPDATE, so two reassignments never take the same one."""
    team = (learner.team or "").strip().casefold()
    candidates = db.session.execute(
        select(Standby.id, Subscriber)
        .join(Subscriber, Subscriber.id == Standby.subscriber_id)
        .where(
            Standby.round_id == round_id,
            Standby.used.is_(False),
            Subscriber.status == Status.ACTIVE,
            Subscriber.email.is_not(None),
            Subscriber.id != learner.id,
        )
        .order_by(Standby.id)
    ).all()
    for standby_id, giver in candidates:
        if team and (giver.team or "").strip().casefold() == team:
            continue
        taken = db.session.execute(
            update(Standby)
            .where(and_(Standby.id == standby_id, Standby.used.is_(False)))
            .values(used=True)
        )
        if taken.rowcount == 1:
            return giver
    return None


def reassign_learner(pairing_id: int, reason: str) -> bool:
    """The learner's tip-giver dropped out: give them a free standby tip-giver (both get
    their thread-opening emails) and return True; otherwise send the learner the shared
    tips and return False. The caller commits (the job or view that asked)."""
    pairing = db.session.get(Pairing, pairing_id)
    if pairing is None:
        raise LookupError(f"pairing {pairing_id} does not exist")
    if pairing.round.status == RoundStatus.CLOSED or pairing.status == PairingStatus.SKIPPED:
        return False
    learner = db.session.get(Subscriber, pairing.learner_id)
    previous = pairing.giver_id
    giver = free_standby(pairing.round_id, learner)
    if giver is not None:
        pairing.giver_id = giver.id
        pairing.giver_key = new_key()
        pairing.giver_thread_id = new_message_id()
        pairing.status = PairingStatus.ACTIVE
        pairing.tip_received_at = None
        pairing.explanation = f"stepped in this week ({reason})"[:300]
        db.session.flush()
        announce_new_partner(pairing, previous)
    else:
        pairing.giver_id = None
        pairing.giver_key = None
        pairing.giver_thread_id = None
        pairing.status = PairingStatus.CANCELLED
        pairing.explanation = f"no tip-giver free after a drop-out ({reason})"[:300]
        db.session.flush()
        announce_no_partner(pairing)
    return giver is not None
