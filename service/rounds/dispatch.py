"""The hourly dispatcher: pairs the week's round before its first send, then queues every
email that is due and not yet queued: challenges at each person's local send hour
(challenge_drafts.py), nudges and recaps (followups.py); finally closes finished rounds.

Everything is decided from the database, so an hour the scheduler missed is caught up
at the next run, and a second dispatcher running at the same time inserts nothing twice
(each email's unique key; the conditional claim in ensure_paired).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select, update

from service.database import utcnow
from service.extensions import db
from service.mail.bulk import QueueReport, queue_many
from service.queues import ROUNDS, enqueue
from service.rounds.challenge_drafts import challenge_drafts
from service.rounds.due import (
    CLOSE_AFTER,
    active_timezones,
    due_timezones,
    recap_timezones,
)
from service.rounds.followups import nudge_drafts, recap_drafts
from service.rounds.models import Pairing, Round, RoundStatus
from service.rounds.planning import ensure_paired
from service.settings import all_settings
from service.weeks import send_moment, shift_week, week_start, weeks_in_play

SLICE = 2000  # pairings per queue_challenge_slice job (about 4,000 emails, a few seconds)
SLICE_TIMEOUT = 600  # seconds; a slice takes a few seconds


@dataclass
class DispatchReport:
    paired: list[str] = field(default_factory=list)
    challenges: QueueReport = field(default_factory=QueueReport)
    nudges: QueueReport = field(default_factory=QueueReport)
    recaps: QueueReport = field(default_factory=QueueReport)
    closed: list[str] = field(default_factory=list)

    def describe(self) -> str:
        lines = []
        if self.paired:
            lines.append(f"Rounds paired: {', '.join(self.paired)}.")
        for label, r in (
            ("Challenge emails", self.challenges),
            ("Nudges", self.nudges),
            ("Recaps", self.recaps),
        ):
            line = (
                f"{label}: {r.queued} queued, {r.skipped} skipped (unsubscribed or "
                f"suppressed), {r.already} already queued before."
            )
            if r.slices:
                line = f"{label}: handed to {r.slices} queueing jobs (large round)."
            lines.append(line)
        if self.closed:
            lines.append(f"Rounds closed: {', '.join(self.closed)}.")
        return "\n".join(lines)


def _progress(enabled: bool, total: int, desc: str):
    if not enabled or not total:
        return None, None
    from tqdm import tqdm

    bar = tqdm(total=total, desc=desc, unit="email")
    return bar, bar.update


# ------------------------------------------------------------------ challenges


def send_challenges(
    round_: Round, zones: set[str] | None, progress: bool = False, fan_out: bool | None = None
) -> QueueReport:
    """Queue the round's due challenge emails. A large round (more than SLICE pairings;
    `fan_out=None` decides by size) is split into queue_challenge_slice jobs, so every
    worker builds drafts in parallel with delivery and no single job runs for minutes."""
    if fan_out is None:
        fan_out = (
            db.session.scalar(select(func.count(Pairing.id)).where(Pairing.round_id == round_.id))
            > SLICE
        )
    if fan_out:
        ids = list(
            db.session.scalars(
                select(Pairing.id).where(Pairing.round_id == round_.id).order_by(Pairing.id)
            )
        )
        for start in range(0, len(ids), SLICE):
            chunk = ids[start : start + SLICE]
            enqueue(
                ROUNDS,
                queue_challenge_slice,
                round_.id,
                sorted(zones) if zones is not None else None,
                chunk[0],
                chunk[-1],
                job_timeout=SLICE_TIMEOUT,
            )
        return QueueReport(slices=-(-len(ids) // SLICE))
    drafts, already = challenge_drafts(round_, zones)
    bar, update_bar = _progress(progress, len(drafts), f"Queue {round_.week} challenges")
    try:
        report = queue_many(drafts, progress=update_bar)
        report.already += already
        return report
    finally:
        if bar is not None:
            bar.close()


def queue_challenge_slice(
    round_id: int, zones: list[str] | None, first_id: int, last_id: int
) -> dict:
    """RQ job: queue the challenge emails of one slice of a round's pairings. Idempotent:
    a re-run (or a second dispatcher's slice) finds the keys and inserts nothing."""
    round_ = db.session.get(Round, round_id)
    if round_ is None or round_.status != RoundStatus.PAIRED:
        return {"queued": 0}
    drafts, already = challenge_drafts(
        round_, set(zones) if zones is not None else None, (first_id, last_id)
    )
    report = queue_many(drafts)
    report.already += already
    return {"queued": report.queued, "skipped": report.skipped, "already": report.already}


# ------------------------------------------------------------------ entry points


def close_finished(now: datetime) -> list[str]:
    closed = []
    for round_ in db.session.scalars(select(Round).where(Round.status == RoundStatus.PAIRED)):
        start = datetime.combine(week_start(round_.week), datetime.min.time(), now.tzinfo)
        if now >= start + CLOSE_AFTER:
            closed.append(round_.week)
    if closed:
        db.session.execute(
            update(Round)
            .where(Round.week.in_(closed), Round.status == RoundStatus.PAIRED)
            .values(status=RoundStatus.CLOSED)
        )
        db.session.commit()
    return closed


def dispatch_due(now: datetime | None = None, progress: bool = False) -> DispatchReport:
    """The hourly job (service.scheduler.SCHEDULE): queue everything due at `now`."""
    now = now or utcnow()
    settings = all_settings()
    report = DispatchReport()
    zones = active_timezones()
    weeks = sorted(set(weeks_in_play(now)) | {shift_week(weeks_in_play(now)[0], -1)})
    for week in weeks:
        due = due_timezones(week, now, settings, zones)
        if not due:
            continue
        existing = db.session.scalar(select(Round).where(Round.week == week))
        if existing is not None and existing.status == RoundStatus.CLOSED:
            continue
        was_planned = existing is None or existing.status == RoundStatus.PLANNED
        round_ = ensure_paired(week)
        if was_planned and round_.status == RoundStatus.PAIRED:
            report.paired.append(week)
        report.challenges.add(send_challenges(round_, due, progress))
    open_rounds = db.session.scalars(
        select(Round).where(Round.status == RoundStatus.PAIRED).order_by(Round.week)
    ).all()
    for round_ in open_rounds:
        # Cheap guards first: most hours of a week nothing can be due.
        first_send = min(
            (
                send_moment(round_.week, tz, settings["send_weekday"], settings["send_hour"])
                for tz in zones
            ),
            default=now,
        )
        if now >= first_send + timedelta(hours=settings["nudge_after_hours"]):
            report.nudges.add(queue_many(nudge_drafts(round_, now, settings)))
        recap_zones = recap_timezones(round_.week, now, settings, zones)
        if recap_zones:
            report.recaps.add(queue_many(recap_drafts(round_, now, settings, recap_zones)))
    report.closed = close_finished(now)
    return report


def send_round(week: str, progress: bool = False, fan_out: bool | None = False) -> DispatchReport:
    """An operator's "send now": pair the round if needed and queue its challenge emails
    for everyone not yet sent, whatever their local hour."""
    report = DispatchReport()
    existing = db.session.scalar(select(Round).where(Round.week == week))
    if existing is not None and existing.status == RoundStatus.CLOSED:
        raise ValueError(f"The {week} round is closed; nothing more is sent for it.")
    round_ = ensure_paired(week)
    if existing is None or existing.status == RoundStatus.PLANNED:
        report.paired.append(week)
    report.challenges = send_challenges(round_, None, progress, fan_out)
    return report
