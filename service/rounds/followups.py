"""Later messages in each side's thread: one nudge per tip-giver still without a tip
`nudge_after_hours` after their challenge went out, and the recap on `recap_day`.

Both queries skip what was already queued in SQL (NOT EXISTS), and recaps look only at
timezones whose recap moment is now, so an hourly run after the work is done costs one
cheap query per open round."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import String, and_, cast, exists, literal, select

from service.confidence.ratings import checkin_due
from service.extensions import db
from service.mail.compose import reply_address, subscriber_languages
from service.mail.models import EmailState, OutgoingEmail
from service.rounds import emails
from service.rounds.bulk import Draft
from service.rounds.content import words_by_language
from service.rounds.due import GIVER, LEARNER, OPENER, PERSON, first_name, recap_moment
from service.rounds.models import Answer, Pairing, PairingStatus, Round, ThreadMessage
from service.rounds.notices import CHALLENGE_KINDS
from service.subscriptions.models import Subscriber

RECAP_KINDS = ("recap_learner", "recap_giver")


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
            ~exists().where(
                OutgoingEmail.key
                == literal(f"round:{round_.id}:giver:")
                + cast(Pairing.giver_id, String)
                + literal(":nudge")
            ),
        )
        .order_by(Pairing.id)
    ).all()
    drafts, seen = [], set()
    languages = subscriber_languages(row[1] for row in rows)  # each subject in its reader's
    words = words_by_language(round_.challenge)  # and the challenge's title
    for pid, gid, gkey, gthread, kind, context, g_email, g_name, g_status, g_tz, l_name in rows:
        if gid in seen or not g_email:
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
                    emails.thread_subject(kind, context, languages.get(gid)),
                    first_name(l_name),
                    words(languages.get(gid))[0],
                    emails.answer_url(pid, gid, "outcome", "cant"),
                ),
                pairing_id=pid,
                reply_to=reply_address(gkey),
                thread_root=gthread,
            )
        )
    return drafts


def recap_drafts(round_: Round, now: datetime, settings: dict, zones: set[str]) -> list[Draft]:
    """On recap day, at the send hour, everyone whose challenge went out gets the recap
    in their thread (learners who skipped do not). `zones`: the timezones whose recap
    moment is now (due.recap_timezones)."""
    if not zones:
        return []
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
            person.timezone.in_(sorted(zones)),
            ~exists().where(
                OutgoingEmail.pairing_id == Pairing.id,
                OutgoingEmail.subscriber_id == opener.subscriber_id,
                OutgoingEmail.kind.in_(RECAP_KINDS),
            ),
        )
        .order_by(Pairing.id, opener.id)
    ).all()
    due = [
        r
        for r in rows
        if r[12]
        and r[8] in (r[1], r[2])
        and r[11] < recap_moment(round_.week, r[15], settings)  # went out before recap time
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
    words = words_by_language(round_.challenge)  # title and theme in each reader's language
    limit = settings["keep_partner_weeks"]

    def keep(pid: int, sid: int, gid: int | None) -> dict:
        return emails.keep_urls(pid, sid) if limit and gid else {}

    asked = checkin_due(round_, {r[1] for r in due}, settings["checkin_every_weeks"])

    drafts = []
    languages = subscriber_languages(row[8] for row in due)
    for (pid, lid, gid, lkey, gkey, lthread, gthread, tip_at, sid, kind, context, _sent,
         p_email, p_name, p_status, _tz) in due:  # fmt: skip
        subject = emails.thread_subject(kind, context, languages.get(sid))
        title, theme = words(languages.get(sid))
        if sid == lid:
            declared, key, reply, root = emails.recap_learner_email, "learner", lkey, lthread
            ctx = declared.build_context(
                subject,
                first_name(names.get(gid)) if gid else None,
                title,
                emails.rating_urls(pid, sid),
                emails.tried_urls(pid, sid),
                keep(pid, sid, gid),
                limit,
                emails.checkin(pid, sid, theme) if sid in asked else None,
            )
        else:
            declared, key, reply, root = emails.recap_giver_email, "giver", gkey, gthread
            tip_sent = tip_at is not None or pid in tipped
            ctx = declared.build_context(
                subject,
                first_name(names.get(lid)),
                title,
                tip_sent,
                outcomes.get(pid),
                emails.rating_urls(pid, sid),
                keep(pid, sid, gid),
                limit,
                emails.quality_urls(pid, sid),
                emails.answer_url(pid, sid, "share", "share") if tip_sent else None,
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
