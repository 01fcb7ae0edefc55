"""Pairs that stay together: a learner and a tip-giver who both answered "Keep this
partner next week?" with yes are kept together the next week, up to `keep_partner_weeks`
weeks in a row (a programme setting; 0 turns it off), then gently rotated.

Read side only: which pairs asked (`continuing_pairing_ids`), and what the next round
does with each request (`plan_continuations`). The pairing engine takes the result as
fixed pairs (a constraint); the planner writes the notes into the pair explanations.

A request is honoured when both are taking part that week and both chose the week's
theme. When the theme is not one they share, they are paired as usual but without the
repeat penalty, so they stay together when nobody suits them better.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, select
from sqlalchemy.orm import aliased

from service.extensions import db
from service.i18n import stand_ins
from service.rounds.models import Answer, ContinuationBreak, Pairing, PairingStatus, Round
from service.rounds.pairing import Person
from service.subscriptions.models import Subscriber
from service.weeks import shift_week

KEEP = "keep"  # the one-click question: "Keep this partner next week?"
NUMBERS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def in_words(n: int) -> str:
    return NUMBERS[n] if 0 <= n < len(NUMBERS) else str(n)


@dataclass(frozen=True)
class Request:
    pairing_id: int
    learner_id: int
    giver_id: int
    weeks_together: int  # weeks in a row up to and including the asking week


@dataclass
class ContinuationPlan:
    fixed: list[tuple[int, int]] = field(default_factory=list)  # kept together: a constraint
    exempt: set[tuple[int, int]] = field(default_factory=set)  # no repeat penalty this week
    pair_notes: dict[tuple[int, int], str] = field(default_factory=dict)  # if paired together
    person_notes: dict[int, str] = field(default_factory=dict)  # if not


def continuing_pairing_ids(round_id: int) -> set[int]:
    """Pairings of a round whose learner and tip-giver both said yes to keeping the other,
    not broken by an admin. A pure read."""
    learner_yes, giver_yes = aliased(Answer), aliased(Answer)
    return set(
        db.session.scalars(
            select(Pairing.id)
            .join(learner_yes, _said_yes(learner_yes, Pairing.learner_id))
            .join(giver_yes, _said_yes(giver_yes, Pairing.giver_id))
            .where(
                Pairing.round_id == round_id,
                Pairing.status == PairingStatus.ACTIVE,
                ~Pairing.id.in_(select(ContinuationBreak.pairing_id)),
            )
        )
    )


def _said_yes(answer, person):
    """Join condition: `person` of the pairing answered yes to "keep"."""
    return and_(
        answer.pairing_id == Pairing.id,
        answer.subscriber_id == person,
        answer.question == KEEP,
        answer.value == "yes",
    )


def requests_for(week: str, limit: int) -> list[Request]:
    """The continuation requests the round of `week` has to answer: last week's pairs that
    both asked to stay together, with how many weeks in a row they have had."""
    if limit <= 0:
        return []
    last = db.session.scalar(select(Round.id).where(Round.week == shift_week(week, -1)))
    if last is None:
        return []
    ids = continuing_pairing_ids(last)
    if not ids:
        return []
    asked = db.session.execute(
        select(Pairing.id, Pairing.learner_id, Pairing.giver_id).where(Pairing.id.in_(ids))
    ).all()
    together: dict[tuple[int, int], set[str]] = {}
    for learner_id, giver_id, pair_week in db.session.execute(
        select(Pairing.learner_id, Pairing.giver_id, Round.week)
        .join(Round, Round.id == Pairing.round_id)
        .where(
            Pairing.learner_id.in_([row.learner_id for row in asked]),
            Round.week < week,
            Round.week >= shift_week(week, -limit - 1),
        )
    ):
        together.setdefault((learner_id, giver_id), set()).add(pair_week)
    requests = []
    for pid, lid, gid in asked:
        weeks, streak = together.get((lid, gid), set()), 0
        while shift_week(week, -(streak + 1)) in weeks:
            streak += 1
        requests.append(Request(pid, lid, gid, streak))
    return requests


def absence(subscriber_id: int, send_day: date) -> str:
    """Why someone is not in this week's round, in a few words."""
    person = db.session.get(Subscriber, subscriber_id)
    if person is not None and person.paused_until and person.paused_until > send_day:
        return "is paused this week"
    if person is not None and person.away_until and person.away_until >= send_day:
        return "is away this week"
    return "is not taking part this week"


def plan_continuations(
    requests: list[Request],
    learners: list[Person],
    givers: list[Person],
    theme: str,
    limit: int,
    capacity: int,
    send_day: date,
) -> ContinuationPlan:
    """What this week's round does with each request (see the module docstring)."""
    plan = ContinuationPlan()
    people = {p.id: p for p in learners} | {p.id: p for p in givers}
    taken: dict[int, int] = {}
    for r in sorted(requests, key=lambda r: r.learner_id):
        pair = (r.learner_id, r.giver_id)
        learner, giver = people.get(r.learner_id), people.get(r.giver_id)
        if r.weeks_together >= limit:
            note = (
                f"you have had {in_words(r.weeks_together)} weeks together; this week you "
                "meet someone new \N{EM DASH} you can pair again later"
            )
            plan.person_notes[r.learner_id] = plan.person_notes[r.giver_id] = note
            continue
        if learner is None or giver is None:
            missing = r.giver_id if learner is not None else r.learner_id
            present = r.learner_id if learner is not None else r.giver_id
            # A first name, or words that stand in for it (translated when shown).
            name = (db.session.get(Subscriber, missing).name or "").split(" ")[0]
            name = name or stand_ins.PARTNER
            plan.person_notes[present] = (
                f"you both asked to continue; {name} {absence(missing, send_day)}"
            )
            continue
        week_n = r.weeks_together + 1
        plan.pair_notes[pair] = f"you both asked to continue (week {week_n} together)"
        shared = theme in learner.themes and theme in giver.themes
        same_team = bool(learner.team) and learner.team == giver.team
        if shared and not same_team and taken.get(r.giver_id, 0) < capacity:
            taken[r.giver_id] = taken.get(r.giver_id, 0) + 1
            plan.fixed.append(pair)
        else:  # together again only if nobody suits this week's theme better
            plan.exempt.add(pair)
            note = "you both asked to continue; this week's theme suited another partner better"
            plan.person_notes.setdefault(r.learner_id, note)
            plan.person_notes.setdefault(r.giver_id, note)
    return plan


def explain(plan: ContinuationPlan, learner_id: int, giver_id: int | None, usual: str) -> str:
    """The pair explanation with the continuation's note in front, when there is one."""
    note = plan.pair_notes.get((learner_id, giver_id)) if giver_id else None
    if note is None:
        notes = [plan.person_notes.get(learner_id), plan.person_notes.get(giver_id or -1)]
        note = "; ".join(dict.fromkeys(n for n in notes if n)) or None
    return f"{note}; {usual}" if note else usual
