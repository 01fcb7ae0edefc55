"""The hourly dispatcher: pairs the week's round before its first send, then queues every
email that is due and not yet queued: challenges at each person's local send hour (here),
nudges and recaps (followups.py); finally closes finished rounds.

Everything is decided from the database, so an hour the scheduler missed is caught up
at the next run, and a second dispatcher running at the same time inserts nothing twice
(each email's unique key; the conditional claim in ensure_paired).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, func, select, update

from service.database import utcnow
from service.extensions import db
from service.i18n import programme_language
from service.mail.compose import reply_address
from service.mail.models import OutgoingEmail
from service.queues import ROUNDS, enqueue
from service.rounds import emails
from service.rounds.bulk import Draft, QueueReport, queue_many
from service.rounds.content import explanations_by_language, rendered_by_language
from service.rounds.due import (
    CLOSE_AFTER,
    GIVER,
    LEARNER,
    active_timezones,
    due_timezones,
    first_name,
    recap_timezones,
)
from service.rounds.followups import nudge_drafts, recap_drafts
from service.rounds.models import Pairing, PairingStatus, Round, RoundStatus
from service.rounds.notices import (
    CHALLENGE_KINDS,
    giver_challenge_key,
    learner_challenge_key,
)
from service.rounds.planning import ensure_paired
from service.rounds.tips import note_delivered, shared_tips
from service.rounds.weeks import send_moment, shift_week, week_start, weeks_in_play
from service.settings import all_settings

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


def challenge_drafts(
    round_: Round, zones: set[str] | None, id_range: tuple[int, int] | None = None
) -> list[Draft]:
    """Drafts of the round's challenge emails not yet queued, for people in `zones`
    (None: everyone), optionally only for pairings with ids in `id_range` (inclusive).
    Two queries, whatever the size of the round."""
    in_range = Pairing.round_id == round_.id
    if id_range is not None:
        in_range = and_(in_range, Pairing.id.between(*id_range))
    learner, giver = LEARNER, GIVER
    rows = db.session.execute(
        select(
            Pairing.id,
            Pairing.status,
            Pairing.learner_id,
            Pairing.giver_id,
            Pairing.explanation,
            Pairing.learner_key,
            Pairing.giver_key,
            Pairing.learner_thread_id,
            Pairing.giver_thread_id,
            learner.email,
            learner.name,
            learner.about,
            learner.status,
            learner.timezone,
            giver.email,
            giver.name,
            giver.about,
            giver.status,
            giver.timezone,
            learner.language,
            giver.language,
        )
        .join(learner, learner.id == Pairing.learner_id)
        .outerjoin(giver, giver.id == Pairing.giver_id)
        .where(in_range)
        .order_by(Pairing.id)
    ).all()
    done = set(
        db.session.execute(
            select(OutgoingEmail.pairing_id, OutgoingEmail.subscriber_id)
            .join(Pairing, Pairing.id == OutgoingEmail.pairing_id)
            .where(in_range, OutgoingEmail.kind.in_(CHALLENGE_KINDS))
        ).all()
    )
    content = rendered_by_language(round_.challenge)  # once per language, only if due
    explained = explanations_by_language()  # theme names in each reader's language
    default_language = programme_language()
    drafts = []
    already = 0
    for (pid, status, lid, gid, why, lkey, gkey, lthread, gthread,
         l_email, l_name, l_about, l_status, l_tz,
         g_email, g_name, g_about, g_status, g_tz, l_lang, g_lang) in rows:  # fmt: skip
        learner_due = zones is None or l_tz in zones
        if learner_due and (pid, lid) in done:
            already += 1
        elif learner_due and l_email and status != PairingStatus.SKIPPED:
            answers = emails.outcome_urls(pid, lid)
            if gid is not None:
                kind = emails.challenge_learner_email
                context = kind.build_context(
                    content(l_lang),
                    emails.partner(first_name(g_name), g_about, explained(l_lang, why)),
                    answers,
                )
            else:  # never the same tip twice
                tips = shared_tips(round_.challenge, lid, l_lang, default_language)
                note_delivered(lid, tips)
                kind = emails.challenge_unmatched_email
                context = kind.build_context(content(l_lang), why, tips, answers)
            drafts.append(
                Draft(
                    kind=kind.kind,
                    key=learner_challenge_key(pid, lid),
                    subscriber_id=lid,
                    subscriber_status=l_status,
                    to=l_email,
                    to_name=first_name(l_name),
                    context=context,
                    pairing_id=pid,
                    reply_to=reply_address(lkey),
                    message_id=lthread,
                )
            )
        giver_due = gid is not None and (zones is None or g_tz in zones)
        if giver_due and (pid, gid) in done:
            already += 1
        elif giver_due and g_email and status == PairingStatus.ACTIVE:
            kind = emails.challenge_giver_email
            context = kind.build_context(
                content(g_lang),
                emails.partner(first_name(l_name), l_about, explained(g_lang, why)),
                emails.answer_url(pid, gid, "outcome", "cant"),
            )
            drafts.append(
                Draft(
                    kind=kind.kind,
                    key=giver_challenge_key(pid, gid),
                    subscriber_id=gid,
                    subscriber_status=g_status,
                    to=g_email,
                    to_name=first_name(g_name),
                    context=context,
                    pairing_id=pid,
                    reply_to=reply_address(gkey),
                    message_id=gthread,
                )
            )
    return drafts, already


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


# ------------------------------------------------------------------ nudges and recaps


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
