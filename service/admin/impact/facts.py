"""Everything the impact report counts, loaded once as plain rows (no names, no text).

A handful of queries that select by the period's rounds; the arithmetic happens in
report.py over these rows, so a test can count the same rows by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select

from service.confidence.models import ConfidenceRating
from service.extensions import db
from service.mail.models import OutgoingEmail
from service.rounds.models import Answer, Challenge, Pairing, Round, Theme, ThreadMessage
from service.subscriptions.models import Subscriber
from service.weeks import week_range


@dataclass(frozen=True)
class Filters:
    first_week: str
    last_week: str
    team: str | None = None  # casefolded
    theme: str | None = None  # a theme slug


@dataclass(frozen=True)
class PairRow:
    id: int
    week: str
    challenge_id: int
    learner_id: int
    giver_id: int | None
    status: str
    tip_received_at: datetime | None


@dataclass
class Facts:
    filters: Filters
    pairs: list[PairRow] = field(default_factory=list)
    challenges: dict[int, tuple[str, str]] = field(default_factory=dict)  # id -> (title, theme)
    teams: dict[int, str | None] = field(default_factory=dict)  # subscriber -> team
    answers: dict[tuple[int, int, str], tuple[str, datetime]] = field(default_factory=dict)
    messages: dict[int, int] = field(default_factory=dict)  # pairing -> messages relayed
    tips_at: dict[int, list[datetime]] = field(default_factory=dict)  # giver -> learner msgs
    first_sent: dict[int, datetime] = field(default_factory=dict)  # pairing -> first email
    weeks_of: dict[int, set[str]] = field(default_factory=dict)  # person -> weeks in a round
    ratings: list[tuple[int, str, int, datetime, int]] = field(default_factory=list)
    theme_names: dict[str, str] = field(default_factory=dict)

    def in_team(self, subscriber_id: int | None) -> bool:
        if subscriber_id is None:
            return False
        team = self.filters.team
        return team is None or (self.teams.get(subscriber_id) or "") == team


def team_of(team: str | None) -> str:
    return (team or "").strip().casefold()


def load(filters: Filters) -> Facts:
    f = Facts(filters)
    f.theme_names = dict(db.session.execute(select(Theme.slug, Theme.name)).all())
    rounds = (
        select(Round.id)
        .join(Challenge, Challenge.id == Round.challenge_id)
        .join(Theme, Theme.id == Challenge.theme_id)
        .where(Round.week >= filters.first_week, Round.week <= filters.last_week)
    )
    if filters.theme:
        rounds = rounds.where(Theme.slug == filters.theme)
    _load_pairs_and_challenges(f, rounds)
    f.teams = {
        sid: team_of(team) or None
        for sid, team in db.session.execute(select(Subscriber.id, Subscriber.team))
    }
    in_rounds = select(Pairing.id).where(Pairing.round_id.in_(rounds))
    _load_answers_and_messages(f, in_rounds)
    f.first_sent = dict(
        db.session.execute(
            select(OutgoingEmail.pairing_id, func.min(OutgoingEmail.sent_at))
            .where(OutgoingEmail.pairing_id.in_(in_rounds), OutgoingEmail.sent_at.is_not(None))
            .group_by(OutgoingEmail.pairing_id)
        ).all()
    )
    # Every round anyone took part in (retention looks past the period's theme filter).
    for learner_id, giver_id, week in db.session.execute(
        select(Pairing.learner_id, Pairing.giver_id, Round.week).join(
            Round, Round.id == Pairing.round_id
        )
    ):
        f.weeks_of.setdefault(learner_id, set()).add(week)
        if giver_id is not None:
            f.weeks_of.setdefault(giver_id, set()).add(week)
    _load_ratings(f, filters)
    return f


def _load_pairs_and_challenges(f: Facts, rounds) -> None:
    for row in db.session.execute(
        select(
            Pairing.id,
            Round.week,
            Round.challenge_id,
            Pairing.learner_id,
            Pairing.giver_id,
            Pairing.status,
            Pairing.tip_received_at,
        )
        .join(Round, Round.id == Pairing.round_id)
        .where(Pairing.round_id.in_(rounds))
    ):
        f.pairs.append(PairRow(*row))
    for cid, title, slug in db.session.execute(
        select(Challenge.id, Challenge.title, Theme.slug)
        .join(Theme, Theme.id == Challenge.theme_id)
        .where(Challenge.id.in_(select(Round.challenge_id).where(Round.id.in_(rounds))))
    ):
        f.challenges[cid] = (title, slug)


def _load_answers_and_messages(f: Facts, in_rounds) -> None:
    for pid, sid, question, value, at in db.session.execute(
        select(
            Answer.pairing_id,
            Answer.subscriber_id,
            Answer.question,
            Answer.value,
            Answer.updated_at,
        ).where(Answer.pairing_id.in_(in_rounds))
    ):
        f.answers[(pid, sid, question)] = (value, at)
    for pid, direction, at in db.session.execute(
        select(ThreadMessage.pairing_id, ThreadMessage.direction, ThreadMessage.created_at).where(
            ThreadMessage.pairing_id.in_(in_rounds)
        )
    ):
        f.messages[pid] = f.messages.get(pid, 0) + 1
        if direction == "giver_to_learner":
            f.tips_at.setdefault(pid, []).append(at)


def _load_ratings(f: Facts, filters: Filters) -> None:
    start, end = week_range(filters.first_week, filters.last_week)
    ratings = (
        select(
            ConfidenceRating.subscriber_id,
            Theme.slug,
            ConfidenceRating.value,
            ConfidenceRating.created_at,
            ConfidenceRating.id,
        )
        .join(Theme, Theme.id == ConfidenceRating.theme_id)
        .where(ConfidenceRating.created_at >= start, ConfidenceRating.created_at < end)
    )
    if filters.theme:
        ratings = ratings.where(Theme.slug == filters.theme)
    f.ratings = [tuple(r) for r in db.session.execute(ratings)]
