"""When one person of a pair drops out mid-round, tell the other in their thread.

A tip-giver who leaves (address bounced, complained, unsubscribed) leaves a learner
waiting for a tip: standby.py gives them a standby tip-giver (or the shared tips) and
tells them. A learner who leaves: the tip-giver gets a short note here. Called by
subscriptions (leaving, deleting data) and by the delivery events that stop mail to an
address; the caller commits.
"""

from __future__ import annotations

from sqlalchemy import or_, select

from service.extensions import db
from service.rounds.conversation import display_name, thread_subject
from service.rounds.emails import partner_left_email
from service.rounds.models import Pairing, PairingStatus, Round, RoundStatus
from service.rounds.standby import reassign_learner
from service.rounds.threads import LEARNER, side, side_of
from service.subscriptions.models import Subscriber


def open_pairings(subscriber_id: int) -> list[Pairing]:
    return list(
        db.session.scalars(
            select(Pairing)
            .join(Round, Round.id == Pairing.round_id)
            .where(
                Round.status != RoundStatus.CLOSED,
                Pairing.status == PairingStatus.ACTIVE,
                or_(Pairing.learner_id == subscriber_id, Pairing.giver_id == subscriber_id),
            )
            .order_by(Pairing.id)
        )
    )


def partner_gone(subscriber_id: int, reason: str) -> int:
    """Notify the partners of `subscriber_id` in every open round; returns how many.
    Idempotent: one notice per pairing and side. The caller commits."""
    gone_person = db.session.get(Subscriber, subscriber_id)
    notified = 0
    for pairing in open_pairings(subscriber_id):
        gone = side_of(pairing, subscriber_id)
        other = side(pairing, gone.partner_role)
        if other.subscriber_id is None:
            continue
        if other.role == LEARNER:
            # The learner gets a standby tip-giver (or the shared tips), and is told.
            reassign_learner(pairing.id, reason)
        else:
            partner_left_email(
                display_name(gone_person, gone.role),
                thread_subject(pairing, other),
                key=f"partner-left:{pairing.id}:{gone.role}",
                subscriber_id=other.subscriber_id,
                reply_to=other.reply_to,
                thread_root=other.thread_root,
                pairing_id=pairing.id,
            )
        notified += 1
    return notified
