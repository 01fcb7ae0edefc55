"""A pair's conversation in one round, seen from either side.

Each person has their own thread: its first message is the challenge email they got,
whose Message-ID is stored on the pairing; every later message to them (relayed replies,
nudges, recap, notices) refers to it with In-Reply-To/References. Their Reply-To address
carries their own unguessable key, so a reply identifies pair, round and sender.
"""

from __future__ import annotations

from dataclasses import dataclass

from service.mail.compose import reply_address
from service.rounds.models import Pairing

LEARNER, GIVER = "learner", "giver"


@dataclass(frozen=True)
class Side:
    pairing_id: int
    role: str  # LEARNER | GIVER
    subscriber_id: int | None
    partner_id: int | None
    key: str | None
    thread_root: str | None  # Message-ID of the first email this person got in the round

    @property
    def reply_to(self) -> str | None:
        return reply_address(self.key) if self.key else None

    @property
    def partner_role(self) -> str:
        return GIVER if self.role == LEARNER else LEARNER


def side(pairing: Pairing, role: str) -> Side:
    if role == LEARNER:
        return Side(
            pairing.id,
            LEARNER,
            pairing.learner_id,
            pairing.giver_id,
            pairing.learner_key,
            pairing.learner_thread_id,
        )
    return Side(
        pairing.id,
        GIVER,
        pairing.giver_id,
        pairing.learner_id,
        pairing.giver_key,
        pairing.giver_thread_id,
    )


def side_of(pairing: Pairing, subscriber_id: int) -> Side | None:
    if subscriber_id == pairing.learner_id:
        return side(pairing, LEARNER)
    if subscriber_id == pairing.giver_id:
        return side(pairing, GIVER)
    return None


def side_for_key(pairing: Pairing, key: str) -> Side | None:
    if key == pairing.learner_key:
        return side(pairing, LEARNER)
    if key and key == pairing.giver_key:
        return side(pairing, GIVER)
    return None
