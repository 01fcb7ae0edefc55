"""From the week's participants to stored pairs: gather, pair (pure engine), store once.

The preview of the same (plan_round, a pure read) is plan_preview.py. ensure_paired()
stores the pairs exactly once, even with two dispatchers racing: the round row is
claimed with a conditional UPDATE (planned -> paired) in the same transaction that
inserts the pairs, and the unique constraints on pairings are the last guard.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from datetime import timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError

from service.database import insert_many, utcnow
from service.extensions import db
from service.mail.compose import new_message_id
from service.rounds.continuations import (
    ContinuationPlan,
    explain,
    plan_continuations,
    requests_for,
)
from service.rounds.models import (
    Challenge,
    Pairing,
    PairingStatus,
    Round,
    RoundStatus,
    Standby,
    Theme,
)
from service.rounds.pairing import PairingSettings, PastPair, Person, pair_round
from service.rounds.schedule import (
    RoundLocked,
    challenge_for_week,
    clear_pairs,
    round_for_week,
    round_started,
)
from service.settings import all_settings
from service.subscriptions.models import Role, Status, Subscriber, subscriber_themes
from service.weeks import (
    local_moment,
    parse_week,
    shift_week,
    utc_offset_hours,
    week_start,
    weeks_between,
)


@dataclass
class Participants:
    learners: list[Person]
    givers: list[Person]
    names: dict[int, str]


def week_seed(week: str) -> int:
    year, number = parse_week(week)
    return year * 100 + number


def gather_participants(week: str, settings: dict) -> Participants:
    """Active, confirmed, not paused, not away learners and tip-givers: two queries."""
    send_day = week_start(week) + timedelta(days=settings["send_weekday"])
    rows = db.session.execute(
        select(
            Subscriber.id,
            Subscriber.name,
            Subscriber.role,
            Subscriber.team,
            Subscriber.timezone,
            Subscriber.language,
        )
        .where(
            Subscriber.status == Status.ACTIVE,
            Subscriber.email.is_not(None),
            Subscriber.role.in_(Role.ALL),
            or_(Subscriber.paused_until.is_(None), Subscriber.paused_until <= send_day),
            or_(Subscriber.away_until.is_(None), Subscriber.away_until < send_day),
        )
        # The engine's seed decides only among inputs in a fixed order: without this,
        # PostgreSQL returns rows as they lie on disk, which an UPDATE can change.
        .order_by(Subscriber.id)
    ).all()
    themes: dict[int, set[str]] = {}
    theme_rows = db.session.execute(
        select(subscriber_themes.c.subscriber_id, Theme.slug)
        .join(Theme, Theme.id == subscriber_themes.c.theme_id)
        .join(Subscriber, Subscriber.id == subscriber_themes.c.subscriber_id)
        .where(Subscriber.status == Status.ACTIVE)
    )
    for subscriber_id, slug in theme_rows:
        themes.setdefault(subscriber_id, set()).add(slug)
    moment = local_moment(week, "UTC", settings["send_weekday"], settings["send_hour"])
    offsets: dict[str, float] = {}
    learners, givers, names = [], [], {}
    for sid, name, role, team, tz, language in rows:
        if tz not in offsets:
            offsets[tz] = utc_offset_hours(tz, moment)
        person = Person(
            id=sid,
            name=(name or "").split(" ")[0] or "someone",
            themes=frozenset(themes.get(sid, ())),
            team=(team or "").strip().casefold() or None,
            utc_offset_hours=offsets[tz],
            language=language or "",
        )
        names[sid] = name or f"subscriber {sid}"
        (learners if role == Role.LEARNER else givers).append(person)
    return Participants(learners, givers, names)


def pairing_history(week: str, window: int) -> list[PastPair]:
    if window <= 0:
        return []
    rows = db.session.execute(
        select(Pairing.learner_id, Pairing.giver_id, Round.week)
        .join(Round, Round.id == Pairing.round_id)
        .where(
            Round.week < week,
            Round.week >= shift_week(week, -window),
            Pairing.giver_id.is_not(None),
        )
    )
    return [PastPair(lid, gid, weeks_between(w, week)) for lid, gid, w in rows]


def continuations(week: str, settings: dict, people: Participants, theme: str):
    """What this round does with last week's "keep this partner" requests."""
    limit = settings["keep_partner_weeks"]
    return plan_continuations(
        requests_for(week, limit),
        people.learners,
        people.givers,
        theme,
        limit,
        settings["giver_capacity"],
        week_start(week) + timedelta(days=settings["send_weekday"]),
    )


def compute_pairs(week: str, challenge: Challenge):
    """The week's pairs as the engine would make them now (continuations noted); stores
    nothing."""
    settings = all_settings()
    people = gather_participants(week, settings)
    theme_names = dict(db.session.execute(select(Theme.slug, Theme.name)).all())
    keep = continuations(week, settings, people, challenge.theme.slug)
    history = pairing_history(week, settings["no_repeat_window"])
    exempt = keep.exempt | set(keep.fixed)  # a continuation is not a repeat
    result = pair_round(
        people.learners,
        people.givers,
        [h for h in history if (h.learner_id, h.giver_id) not in exempt],
        PairingSettings(
            theme=challenge.theme.slug,
            giver_capacity=settings["giver_capacity"],
            no_repeat_window=settings["no_repeat_window"],
            seed=week_seed(week),
            prefer_same_language=bool(settings["prefer_same_language"]),
        ),
        theme_names=theme_names,
        fixed=keep.fixed,
    )
    return _with_notes(result, keep), people


def _with_notes(result, keep: ContinuationPlan):
    """Each pair's explanation says what became of a continuation request."""
    pairs = [
        replace(p, explanation=explain(keep, p.learner_id, p.giver_id, p.explanation))
        for p in result.pairs
    ]
    unmatched = [
        replace(u, reason=explain(keep, u.person_id, None, u.reason)) for u in result.unmatched
    ]
    return replace(result, pairs=pairs, unmatched=unmatched)


def get_or_create_round(week: str) -> Round:
    """The week's round row, created (planned, with the rotation's challenge) if missing."""
    existing = round_for_week(week)
    if existing is not None:
        return existing
    challenge = challenge_for_week(week)
    try:
        db.session.add(Round(week=week, challenge_id=challenge.id, seed=week_seed(week)))
        db.session.commit()
    except IntegrityError:  # another process created it first
        db.session.rollback()
    return round_for_week(week)


def new_key() -> str:
    """An unguessable reply key: 96 bits, lowercase hex (safe in an address local part)."""
    return secrets.token_hex(12)


def ensure_paired(week: str) -> Round:
    """Pair the week's round once and store it; later calls return the stored round."""
    round_ = get_or_create_round(week)
    if round_.status != RoundStatus.PLANNED:
        return round_
    round_id = round_.id
    result, _people = compute_pairs(week, round_.challenge)
    now = utcnow()
    try:
        claimed = db.session.execute(
            update(Round)
            .where(Round.id == round_id, Round.status == RoundStatus.PLANNED)
            .values(status=RoundStatus.PAIRED, paired_at=now)
        )
        if claimed.rowcount != 1:  # another dispatcher paired it while we computed
            db.session.rollback()
            return db.session.get(Round, round_id, populate_existing=True)
        rows, standbys = _stored_rows(round_id, result, now)
        for start in range(0, len(rows), 5000):
            insert_many(db.session, Pairing.__table__, rows[start : start + 5000])
        for start in range(0, len(standbys), 5000):
            insert_many(db.session, Standby.__table__, standbys[start : start + 5000])
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
    return db.session.get(Round, round_id, populate_existing=True)


def _stored_rows(round_id: int, result, now) -> tuple[list[dict], list[dict]]:
    """The pairings rows (pairs, then learners left unmatched, each with fresh reply keys
    and thread ids) and the standby rows (tip-givers left over) of a pairing result."""
    rows = [
        {
            "round_id": round_id,
            "learner_id": p.learner_id,
            "giver_id": p.giver_id,
            "status": PairingStatus.ACTIVE,
            "score": float(p.score),
            "explanation": p.explanation[:300],
            "learner_key": new_key(),
            "giver_key": new_key(),
            "learner_thread_id": new_message_id(),
            "giver_thread_id": new_message_id(),
            "created_at": now,
        }
        for p in result.pairs
    ]
    rows += [
        {
            "round_id": round_id,
            "learner_id": u.person_id,
            "giver_id": None,
            "status": PairingStatus.UNMATCHED,
            "score": 0.0,
            "explanation": u.reason[:300],
            "learner_key": new_key(),
            "giver_key": None,
            "learner_thread_id": new_message_id(),
            "giver_thread_id": None,
            "created_at": now,
        }
        for u in result.unmatched
        if u.role == Role.LEARNER
    ]
    standbys = [
        {"round_id": round_id, "subscriber_id": u.person_id, "reason": u.reason[:200]}
        for u in result.unmatched
        if u.role == Role.GIVER
    ]
    return rows, standbys


def rerun_pairing(round_id: int) -> Round:
    """Pair a round again from scratch; refused once any of its emails was queued."""
    round_ = db.session.get(Round, round_id)
    if round_ is None:
        raise LookupError(f"round {round_id} does not exist")
    if round_.status == RoundStatus.CLOSED or round_started(round_id):
        raise RoundLocked(f"The {round_.week} round has started sending; its pairs are final.")
    week = round_.week
    clear_pairs(round_)
    db.session.commit()
    return ensure_paired(week)
