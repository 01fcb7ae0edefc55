"""The numbers behind the dashboard: "is it working?".

Queries stay portable (SQLite and PostgreSQL) and bounded (the last 12 weeks); the
per-week arithmetic happens in Python over a few rows per pairing, which is plenty for
programmes of thousands of people. Only metadata is read, never message text.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, func, or_, select

from service.database import utcnow
from service.extensions import db
from service.mail.models import OutgoingEmail
from service.rounds.models import Answer, AnswerKind, Challenge, Pairing, Round, Theme
from service.subscriptions.models import Role, Status, Subscriber
from service.weeks import last_weeks, week_of, week_range

TIP_WINDOW = timedelta(hours=48)


@dataclass
class WeekStats:
    week: str
    pairs: int = 0  # learners with a tip-giver
    unmatched: int = 0
    learners: int = 0  # every learner in the round
    tips_in_48h: int = 0
    tips: int = 0
    tried: int = 0
    needs_help: int = 0
    unsubscribes: int = 0
    confirmations: int = 0

    @property
    def tip_rate(self) -> float | None:
        return 100 * self.tips_in_48h / self.pairs if self.pairs else None

    @property
    def tried_rate(self) -> float | None:
        return 100 * self.tried / self.learners if self.learners else None


@dataclass
class Dashboard:
    active_learners: int
    active_givers: int
    pending: int
    this_week: WeekStats
    weeks: list[WeekStats]
    theme_ratings: list[tuple[str, float, int]] = field(default_factory=list)


def _aware(value: datetime) -> datetime:
    """min() over a UTCDateTime column comes back as the raw (naive UTC) value on SQLite."""
    if isinstance(value, str):  # SQLite returns aggregates of datetimes as text
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def rating_value(raw: str) -> int | None:
    try:
        value = int(raw)
    except (TypeError, ValueError):
        return None
    return value if 1 <= value <= 5 else None


def active_counts() -> dict[str, int]:
    rows = db.session.execute(
        select(Subscriber.role, func.count())
        .where(Subscriber.status == Status.ACTIVE)
        .group_by(Subscriber.role)
    ).all()
    return {role: n for role, n in rows}


def _tried_condition():
    return or_(
        and_(Answer.question == "outcome", Answer.value == AnswerKind.TRIED),
        and_(Answer.question == "tried", Answer.value.in_(("yes", "tried", "true", "1"))),
    )


def weekly(weeks: list[str]) -> dict[str, WeekStats]:
    """Per-week counts, aggregated by the database. Every query filters on the 12 week
    labels through a join, never on long id lists (PostgreSQL caps bind parameters)."""
    stats = {week: WeekStats(week) for week in weeks}
    in_weeks = Round.week.in_(weeks)
    _count_pairs(stats, in_weeks)
    _count_learner_answers(stats, in_weeks)
    _count_quick_tips(stats, in_weeks)
    _count_joins_and_leaves(stats, weeks)
    return stats


def _count_pairs(stats: dict[str, WeekStats], in_weeks) -> None:
    for week, has_giver, has_tip, n in db.session.execute(
        select(
            Round.week,
            Pairing.giver_id.is_not(None),
            Pairing.tip_received_at.is_not(None),
            func.count(),
        )
        .join(Round, Round.id == Pairing.round_id)
        .where(in_weeks)
        .group_by(Round.week, Pairing.giver_id.is_not(None), Pairing.tip_received_at.is_not(None))
    ):
        w = stats[week]
        w.learners += n
        if not has_giver:
            w.unmatched += n
            continue
        w.pairs += n
        if has_tip:
            w.tips += n


def _count_learner_answers(stats: dict[str, WeekStats], in_weeks) -> None:
    learner_answer = (Answer.pairing_id == Pairing.id) & (
        Answer.subscriber_id == Pairing.learner_id
    )
    for attr, condition in (
        ("tried", _tried_condition()),
        ("needs_help", and_(Answer.question == "outcome", Answer.value == AnswerKind.HELP)),
    ):
        for week, n in db.session.execute(
            select(Round.week, func.count(func.distinct(Pairing.id)))
            .join(Round, Round.id == Pairing.round_id)
            .join(Answer, learner_answer)
            .where(in_weeks, condition)
            .group_by(Round.week)
        ):
            setattr(stats[week], attr, n)


def _count_quick_tips(stats: dict[str, WeekStats], in_weeks) -> None:
    # Tips within 48 hours of the pair's first email: one row per tip, compared in Python
    # (date arithmetic differs between SQLite and PostgreSQL).
    for week, tip_at, first_sent in db.session.execute(
        select(Round.week, Pairing.tip_received_at, func.min(OutgoingEmail.sent_at))
        .join(Round, Round.id == Pairing.round_id)
        .join(OutgoingEmail, OutgoingEmail.pairing_id == Pairing.id)
        .where(
            in_weeks,
            Pairing.giver_id.is_not(None),
            Pairing.tip_received_at.is_not(None),
            OutgoingEmail.sent_at.is_not(None),
        )
        .group_by(Pairing.id, Round.week, Pairing.tip_received_at)
    ):
        if first_sent is not None and _aware(tip_at) - _aware(first_sent) <= TIP_WINDOW:
            stats[week].tips_in_48h += 1


def _count_joins_and_leaves(stats: dict[str, WeekStats], weeks: list[str]) -> None:
    start, end = week_range(weeks[0], weeks[-1])
    for column, attr in (
        (Subscriber.unsubscribed_at, "unsubscribes"),
        (Subscriber.confirmed_at, "confirmations"),
    ):
        for (when,) in db.session.execute(
            select(column).where(column >= start, column < end)
        ).all():
            week = stats.get(week_of(when))
            if week is not None:
                setattr(week, attr, getattr(week, attr) + 1)


def theme_ratings(weeks: list[str]) -> list[tuple[str, float, int]]:
    """(theme name, average rating 1-5, number of ratings), best first."""
    rows = db.session.execute(
        select(Theme.name, Answer.value)
        .join(Pairing, Pairing.id == Answer.pairing_id)
        .join(Round, Round.id == Pairing.round_id)
        .join(Challenge, Challenge.id == Round.challenge_id)
        .join(Theme, Theme.id == Challenge.theme_id)
        .where(Answer.question == "rating", Round.week.in_(weeks))
    ).all()
    by_theme = defaultdict(list)
    for name, raw in rows:
        value = rating_value(raw)
        if value is not None:
            by_theme[name].append(value)
    result = [(name, sum(vs) / len(vs), len(vs)) for name, vs in by_theme.items()]
    return sorted(result, key=lambda r: (-r[1], r[0]))


def dashboard(n_weeks: int = 12) -> Dashboard:
    weeks = last_weeks(n_weeks, utcnow().date())
    per_week = weekly(weeks)
    counts = active_counts()
    pending = db.session.scalar(
        select(func.count()).select_from(Subscriber).where(Subscriber.status == Status.PENDING)
    )
    return Dashboard(
        active_learners=counts.get(Role.LEARNER, 0),
        active_givers=counts.get(Role.GIVER, 0),
        pending=pending or 0,
        this_week=per_week[weeks[-1]],
        weeks=[per_week[w] for w in weeks],
        theme_ratings=theme_ratings(weeks),
    )
