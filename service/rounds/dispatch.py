"""The hourly dispatcher: pairs the week's round before its first send, then queues every
email that is due and not yet queued: challenges at each person's local send hour,
one nudge per tip-giver without a tip after `nudge_after_hours`, the recap on
`recap_day`; finally closes finished rounds.

Everything is decided from the database, so an hour the scheduler missed is caught up
at the next run, and a second dispatcher running at the same time inserts nothing twice
(each email's unique key; the conditional claim in ensure_paired).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, exists, func, select, update
from sqlalchemy.orm import aliased

from service.database import utcnow
from service.extensions import db
from service.inbound.models import ThreadMessage
from service.mail.compose import reply_address
from service.mail.models import EmailState, OutgoingEmail
from service.queues import ROUNDS, enqueue
from service.rounds import emails
from service.rounds.bulk import Draft, QueueReport, queue_many
from service.rounds.content import rendered_challenge
from service.rounds.models import Answer, Pairing, PairingStatus, Round, RoundStatus
from service.rounds.notices import (
    CHALLENGE_KINDS,
    giver_challenge_key,
    learner_challenge_key,
    shared_tips,
)
from service.rounds.planning import ensure_paired
from service.rounds.weeks import (
    local_moment,
    send_moment,
    shift_week,
    week_start,
    weeks_in_play,
)
from service.settings import all_settings
from service.subscriptions.models import Status, Subscriber

SLICE = 5000  # pairings per queue_challenge_slice job
SLICE_TIMEOUT = 600  # seconds; a slice takes a few seconds
# A challenge that could not go out within this long after its local send moment (the
# service was down for days) is not sent late: the week would be nearly over.
LATE_LIMIT = timedelta(days=3)
# Answers (and recap ratings) can change until this long after the week's Monday.
CLOSE_AFTER = timedelta(days=14)

# Aliases built once: a fresh alias per call would defeat SQLAlchemy's statement cache.
LEARNER = aliased(Subscriber, name="learner")
GIVER = aliased(Subscriber, name="giver")
PERSON = aliased(Subscriber, name="person")
OPENER = aliased(OutgoingEmail, name="opener")


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


def first_name(name: str | None) -> str:
    return (name or "").split(" ")[0] or "there"


def _progress(enabled: bool, total: int, desc: str):
    if not enabled or not total:
        return None, None
    from tqdm import tqdm

    bar = tqdm(total=total, desc=desc, unit="email")
    return bar, bar.update


# ------------------------------------------------------------------ who is due


def active_timezones() -> set[str]:
    return set(
        db.session.scalars(
            select(Subscriber.timezone).where(Subscriber.status == Status.ACTIVE).distinct()
        )
    )


def due_timezones(week: str, now: datetime, settings: dict, zones: set[str]) -> set[str]:
    """Timezones whose send moment of `week` has passed, but not by more than LATE_LIMIT."""
    due = set()
    for tz in zones:
        moment = local_moment(week, tz, settings["send_weekday"], settings["send_hour"])
        if moment <= now < moment + LATE_LIMIT:
            due.add(tz)
    return due


def recap_moment(week: str, tz: str, settings: dict) -> datetime:
    day = settings["send_weekday"] + settings["recap_day"] - 1
    return local_moment(week, tz, day, settings["send_hour"])


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
    content = rendered_challenge(round_.challenge)
    tips = None
    drafts = []
    already = 0
    for (pid, status, lid, gid, why, lkey, gkey, lthread, gthread,
         l_email, l_name, l_about, l_status, l_tz,
         g_email, g_name, g_about, g_status, g_tz) in rows:  # fmt: skip
        learner_due = zones is None or l_tz in zones
        if learner_due and (pid, lid) in done:
            already += 1
        elif learner_due and l_email and status != PairingStatus.SKIPPED:
            answers = emails.outcome_urls(pid, lid)
            if gid is not None:
                kind = emails.challenge_learner_email
                context = kind.build_context(
                    content, emails.partner(first_name(g_name), g_about, why), answers
                )
            else:
                if tips is None:
                    tips = shared_tips(round_.challenge)
                kind = emails.challenge_unmatched_email
                context = kind.build_context(content, why, tips, answers)
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
                content,
                emails.partner(first_name(l_name), l_about, why),
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


def _existing(round_id: int, kinds: tuple[str, ...]) -> set[tuple[int, int]]:
    return set(
        db.session.execute(
            select(OutgoingEmail.pairing_id, OutgoingEmail.subscriber_id)
            .join(Pairing, Pairing.id == OutgoingEmail.pairing_id)
            .where(Pairing.round_id == round_id, OutgoingEmail.kind.in_(kinds))
        ).all()
    )


def nudge_drafts(round_: Round, now: datetime, settings: dict) -> list[Draft]:
    """One gentle nudge per tip-giver and round, in the thread of their first pairing still
    waiting for a tip `nudge_after_hours` after their challenge email went out."""
    cutoff = now - timedelta(hours=settings["nudge_after_hours"])
    opener, giver, learner = OPENER, GIVER, LEARNER
    rows = db.session.execute(
        select(
            Pairing.id,
            Pairing.giver_id,
            Pairing.giver_key,
            Pairing.giver_thread_id,
            opener.kind,
            opener.context,
            giver.email,
            giver.name,
            giver.status,
            giver.timezone,
            learner.name,
        )
        .join(
            opener,
            and_(
                opener.pairing_id == Pairing.id,
                opener.subscriber_id == Pairing.giver_id,
                opener.kind == "challenge_giver",
            ),
        )
        .join(giver, giver.id == Pairing.giver_id)
        .join(learner, learner.id == Pairing.learner_id)
        .where(
            Pairing.round_id == round_.id,
            Pairing.status == PairingStatus.ACTIVE,
            Pairing.tip_received_at.is_(None),
            opener.state == EmailState.SENT,
            opener.sent_at <= cutoff,
            ~exists().where(
                ThreadMessage.pairing_id == Pairing.id,
                ThreadMessage.direction == "giver_to_learner",
            ),
        )
        .order_by(Pairing.id)
    ).all()
    nudged = {gid for _, gid in _existing(round_.id, ("nudge",))}
    drafts, seen = [], set()
    for pid, gid, gkey, gthread, kind, context, g_email, g_name, g_status, g_tz, l_name in rows:
        if gid in nudged or gid in seen or not g_email:
            continue
        if now >= recap_moment(round_.week, g_tz, settings):
            continue  # the recap is the reminder now
        seen.add(gid)
        drafts.append(
            Draft(
                kind=emails.nudge_email.kind,
                key=f"round:{round_.id}:giver:{gid}:nudge",
                subscriber_id=gid,
                subscriber_status=g_status,
                to=g_email,
                to_name=first_name(g_name),
                context=emails.nudge_email.build_context(
                    emails.thread_subject(kind, context),
                    first_name(l_name),
                    round_.challenge.title,
                    emails.answer_url(pid, gid, "outcome", "cant"),
                ),
                pairing_id=pid,
                reply_to=reply_address(gkey),
                thread_root=gthread,
            )
        )
    return drafts


def recap_drafts(round_: Round, now: datetime, settings: dict) -> list[Draft]:
    """On recap day, at the send hour, everyone whose challenge went out gets the recap
    in their thread (learners who skipped do not)."""
    opener, person = OPENER, PERSON
    rows = db.session.execute(
        select(
            Pairing.id,
            Pairing.learner_id,
            Pairing.giver_id,
            Pairing.learner_key,
            Pairing.giver_key,
            Pairing.learner_thread_id,
            Pairing.giver_thread_id,
            Pairing.tip_received_at,
            opener.subscriber_id,
            opener.kind,
            opener.context,
            opener.sent_at,
            person.email,
            person.name,
            person.status,
            person.timezone,
        )
        .join(opener, opener.pairing_id == Pairing.id)
        .join(person, person.id == opener.subscriber_id)
        .where(
            Pairing.round_id == round_.id,
            Pairing.status != PairingStatus.SKIPPED,
            opener.kind.in_(CHALLENGE_KINDS),
            opener.state == EmailState.SENT,
        )
        .order_by(Pairing.id, opener.id)
    ).all()
    done = _existing(round_.id, ("recap_learner", "recap_giver"))
    due = [
        r
        for r in rows
        if (r[0], r[8]) not in done
        and r[12]
        and r[8] in (r[1], r[2])
        and recap_moment(round_.week, r[15], settings) <= now
        and now < recap_moment(round_.week, r[15], settings) + LATE_LIMIT
        and r[11] < recap_moment(round_.week, r[15], settings)
    ]
    if not due:
        return []
    pairing_ids = {r[0] for r in due}
    people = {r[1] for r in due} | {r[2] for r in due if r[2]}
    names = dict(
        db.session.execute(
            select(Subscriber.id, Subscriber.name).where(Subscriber.id.in_(people))
        ).all()
    )
    outcomes = dict(
        db.session.execute(
            select(Answer.pairing_id, Answer.value)
            .join(Pairing, Pairing.id == Answer.pairing_id)
            .where(
                Answer.pairing_id.in_(pairing_ids),
                Answer.question == "outcome",
                Answer.subscriber_id == Pairing.learner_id,
            )
        ).all()
    )
    tipped = set(
        db.session.scalars(
            select(ThreadMessage.pairing_id).where(
                ThreadMessage.pairing_id.in_(pairing_ids),
                ThreadMessage.direction == "giver_to_learner",
            )
        )
    )
    title = round_.challenge.title
    drafts = []
    for (pid, lid, gid, lkey, gkey, lthread, gthread, tip_at, sid, kind, context, _sent,
         p_email, p_name, p_status, _tz) in due:  # fmt: skip
        subject = emails.thread_subject(kind, context)
        if sid == lid:
            declared, key, reply, root = emails.recap_learner_email, "learner", lkey, lthread
            ctx = declared.build_context(
                subject,
                first_name(names.get(gid)) if gid else None,
                title,
                emails.rating_urls(pid, sid),
                emails.tried_urls(pid, sid),
            )
        else:
            declared, key, reply, root = emails.recap_giver_email, "giver", gkey, gthread
            ctx = declared.build_context(
                subject,
                first_name(names.get(lid)),
                title,
                tip_at is not None or pid in tipped,
                outcomes.get(pid),
                emails.rating_urls(pid, sid),
            )
        drafts.append(
            Draft(
                kind=declared.kind,
                key=f"pairing:{pid}:{key}:{sid}:recap",
                subscriber_id=sid,
                subscriber_status=p_status,
                to=p_email,
                to_name=first_name(p_name),
                context=ctx,
                pairing_id=pid,
                reply_to=reply_address(reply),
                thread_root=root,
            )
        )
    return drafts


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
        if now >= min((recap_moment(round_.week, tz, settings) for tz in zones), default=now):
            report.recaps.add(queue_many(recap_drafts(round_, now, settings)))
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
