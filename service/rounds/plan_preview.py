"""Who would be paired this week and why: the `turnabout round plan` preview and the
admin console's round page. A pure read: a round not paired yet is computed
(planning.compute_pairs) and stored nowhere; a paired round shows its stored pairs."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from service.extensions import db
from service.rounds.models import Pairing, Round, RoundStatus, Standby, people_of_round
from service.rounds.planning import compute_pairs
from service.rounds.schedule import challenge_for_week, round_for_week
from service.subscriptions.models import Role, Subscriber


@dataclass(frozen=True)
class PlannedPair:
    learner_id: int
    learner_name: str
    giver_id: int | None
    giver_name: str
    explanation: str
    score: float


@dataclass(frozen=True)
class PlannedUnmatched:
    person_id: int
    name: str
    role: str
    reason: str


@dataclass
class PlanPreview:
    week: str
    challenge_id: int
    challenge_title: str
    theme_name: str
    stored: bool  # True: these are the round's stored pairs, not a projection
    pairs: list[PlannedPair] = field(default_factory=list)
    unmatched: list[PlannedUnmatched] = field(default_factory=list)
    summary: dict = field(default_factory=dict)


def _summary(pairs, unmatched, learners: int, givers: int) -> dict:
    return {
        "learners": learners,
        "givers": givers,
        "pairs": sum(1 for p in pairs if p.giver_id is not None),
        "unmatched_learners": sum(1 for u in unmatched if u.role == Role.LEARNER),
        "standby_givers": sum(1 for u in unmatched if u.role == Role.GIVER),
        "repeats": sum(1 for p in pairs if "paired again" in p.explanation),
        "continuing": sum(
            1 for p in pairs if p.explanation.startswith("you both asked to continue (")
        ),
        "shared_theme": sum(1 for p in pairs if p.explanation.startswith("you both chose")),
    }


def plan_round(week: str) -> PlanPreview:
    """Who would be paired this week and why. A pure read: stores nothing."""
    round_ = round_for_week(week)
    challenge = round_.challenge if round_ is not None else challenge_for_week(week)
    preview = PlanPreview(
        week=week,
        challenge_id=challenge.id,
        challenge_title=challenge.title,
        theme_name=challenge.theme.name,
        stored=round_ is not None and round_.status != RoundStatus.PLANNED,
    )
    if preview.stored:
        return _stored_preview(round_, preview)
    result, people = compute_pairs(week, challenge)
    name = people.names.get
    preview.pairs = [
        PlannedPair(
            p.learner_id, name(p.learner_id), p.giver_id, name(p.giver_id), p.explanation, p.score
        )
        for p in result.pairs
    ]
    preview.unmatched = [
        PlannedUnmatched(u.person_id, name(u.person_id), u.role, u.reason) for u in result.unmatched
    ]
    preview.summary = _summary(
        preview.pairs, preview.unmatched, len(people.learners), len(people.givers)
    )
    return preview


def _stored_preview(round_: Round, preview: PlanPreview) -> PlanPreview:
    names = dict(
        db.session.execute(
            select(Subscriber.id, Subscriber.name).where(
                Subscriber.id.in_(people_of_round(round_.id, standby=True))
            )
        ).all()
    )
    pairings = db.session.scalars(
        select(Pairing).where(Pairing.round_id == round_.id).order_by(Pairing.learner_id)
    ).all()
    for p in pairings:
        if p.giver_id is not None:
            preview.pairs.append(
                PlannedPair(
                    p.learner_id,
                    names.get(p.learner_id, ""),
                    p.giver_id,
                    names.get(p.giver_id, ""),
                    p.explanation,
                    p.score,
                )
            )
        else:
            preview.unmatched.append(
                PlannedUnmatched(
                    p.learner_id, names.get(p.learner_id, ""), Role.LEARNER, p.explanation
                )
            )
    for s in db.session.scalars(select(Standby).where(Standby.round_id == round_.id)):
        preview.unmatched.append(
            PlannedUnmatched(s.subscriber_id, names.get(s.subscriber_id, ""), Role.GIVER, s.reason)
        )
    learners = len(pairings)
    givers = len(
        {p.giver_id for p in pairings if p.giver_id}
        | {u.person_id for u in preview.unmatched if u.role == Role.GIVER}
    )
    preview.summary = _summary(preview.pairs, preview.unmatched, learners, givers)
    return preview
