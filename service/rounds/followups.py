"""Later messages in each side's thread: one nudge per tip-giver still without a tip
`nudge_after_hours` after their challenge went out, and the recap on `recap_day`.

Both queries skip what was already queued in SQL (NOT EXISTS), and recaps look only at
timezones whose recap moment is now, so an hourly run after the work is done costs one
cheap query per open round."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import String, and_, cast, exists, literal, select
from sqlalchemy.engine import Row

from service.confidence.ratings import checkin_due
from service.extensions import db
from service.mail.bulk import Draft
from service.mail.compose import reply_address, subscriber_languages
from service.mail.models import EmailState, OutgoingEmail
from service.mail.subjects import subject_of_id
from service.rounds import answer_links, emails
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
    drafts, seen = [], set()
    rows = _waiting_for_a_tip(round_, cutoff)
    languages = subscriber_languages(row.giver_id for row in rows)
    words = words_by_language(round_.challenge)  # the challenge's title in each reader's
    for row in rows:
        if row.giver_id in seen or not row.giver_email:
            continue
        if now >= recap_moment(round_.week, row.giver_timezone, settings):
            continue  # the recap is the reminder now
        seen.add(row.giver_id)
        drafts.append(_nudge_draft(round_, row, words(languages.get(row.giver_id))[0]))
    return drafts


def _waiting_for_a_tip(round_: Round, cutoff: datetime) -> list[Row]:
    """Active pairings whose tip-giver's challenge went out before `cutoff`, with no tip
    yet and no nudge queued, with the opener's id and stored subject."""
    opener, giver, learner = OPENER, GIVER, LEARNER
    return db.session.execute(
        select(
            Pairing.id,
            Pairing.giver_id,
            Pairing.giver_key,
            Pairing.giver_thread_id,
            opener.id.label("opener_id"),
            opener.subject.label("opener_subject"),
            giver.email.label("giver_email"),
            giver.name.label("giver_name"),
            giver.status.label("giver_status"),
            giver.timezone.label("giver_timezone"),
            learner.name.label("learner_name"),
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


def _nudge_draft(round_: Round, row: Row, title: str) -> Draft:
    return Draft(
        kind=emails.nudge_email.kind,
        key=f"round:{round_.id}:giver:{row.giver_id}:nudge",
        subscriber_id=row.giver_id,
        subscriber_status=row.giver_status,
        to=row.giver_email,
        to_name=first_name(row.giver_name),
        context=emails.nudge_email.build_context(
            subject_of_id(row.opener_id, row.opener_subject) or title,
            first_name(row.learner_name),
            title,
            answer_links.answer_url(row.id, row.giver_id, "outcome", "cant"),
        ),
        pairing_id=row.id,
        reply_to=reply_address(row.giver_key),
        thread_root=row.giver_thread_id,
    )


def recap_drafts(round_: Round, now: datetime, settings: dict, zones: set[str]) -> list[Draft]:
    """On recap day, at the send hour, everyone whose challenge went out gets the recap
    in their thread (learners who skipped do not). `zones`: the timezones whose recap
    moment is now (due.recap_timezones)."""
    if not zones:
        return []
    due = [
        row
        for row in _openers_without_recap(round_, zones)
        if row.person_email
        and row.subscriber_id in (row.learner_id, row.giver_id)
        # only what went out before recap time
        and row.opener_sent_at < recap_moment(round_.week, row.person_timezone, settings)
    ]
    if not due:
        return []
    facts = RecapFacts.gather(round_, due, settings)
    return [_recap_draft(row, facts) for row in due]


def _openers_without_recap(round_: Round, zones: set[str]) -> list[Row]:
    """Each challenge email sent in the round to someone in `zones` whose recap is not
    queued yet, with its pairing and its recipient."""
    opener, person = OPENER, PERSON
    return db.session.execute(
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
            opener.id.label("opener_id"),
            opener.subject.label("opener_subject"),
            opener.sent_at.label("opener_sent_at"),
            person.email.label("person_email"),
            person.name.label("person_name"),
            person.status.label("person_status"),
            person.timezone.label("person_timezone"),
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


@dataclass(frozen=True)
class RecapFacts:
    """What the recaps of one batch say besides each row: partners' names, learners'
    outcomes, which pairings saw a tip, who is asked the confidence check-in."""

    words: Callable[[str | None], tuple[str, str]]  # language -> (title, theme name)
    keep_limit: int
    names: dict[int, str]
    languages: dict[int, str]  # each recap's reader's language
    outcomes: dict[int, str]
    tipped: set[int]
    asked: set[int]

    @classmethod
    def gather(cls, round_: Round, due: list[Row], settings: dict) -> RecapFacts:
        pairing_ids = {row.id for row in due}
        people = {row.learner_id for row in due} | {row.giver_id for row in due if row.giver_id}
        learners = {row.learner_id for row in due}
        return cls(
            words=words_by_language(round_.challenge),  # in each reader's language
            keep_limit=settings["keep_partner_weeks"],
            names=dict(
                db.session.execute(
                    select(Subscriber.id, Subscriber.name).where(Subscriber.id.in_(people))
                ).all()
            ),
            languages=subscriber_languages(row.subscriber_id for row in due),
            outcomes=_learner_outcomes(pairing_ids),
            tipped=set(
                db.session.scalars(
                    select(ThreadMessage.pairing_id).where(
                        ThreadMessage.pairing_id.in_(pairing_ids),
                        ThreadMessage.direction == "giver_to_learner",
                    )
                )
            ),
            asked=checkin_due(round_, learners, settings["checkin_every_weeks"]),
        )

    def keep_urls(self, row: Row) -> dict:
        """ "Keep this partner next week?": only with a partner, and only when the
        programme keeps partners at all."""
        if self.keep_limit and row.giver_id:
            return answer_links.keep_urls(row.id, row.subscriber_id)
        return {}


def _learner_outcomes(pairing_ids: set[int]) -> dict[int, str]:
    """The learner's "outcome" answer (tried, help, skip, ...) per pairing."""
    return dict(
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


def _recap_draft(row: Row, facts: RecapFacts) -> Draft:
    if row.subscriber_id == row.learner_id:
        declared, side = emails.recap_learner_email, "learner"
        reply_key, root = row.learner_key, row.learner_thread_id
        context = _learner_recap_context(row, facts)
    else:
        declared, side = emails.recap_giver_email, "giver"
        reply_key, root = row.giver_key, row.giver_thread_id
        context = _giver_recap_context(row, facts)
    return Draft(
        kind=declared.kind,
        key=f"pairing:{row.id}:{side}:{row.subscriber_id}:recap",
        subscriber_id=row.subscriber_id,
        subscriber_status=row.person_status,
        to=row.person_email,
        to_name=first_name(row.person_name),
        context=context,
        pairing_id=row.id,
        reply_to=reply_address(reply_key),
        thread_root=root,
    )


def _learner_recap_context(row: Row, facts: RecapFacts) -> dict:
    pid, sid = row.id, row.subscriber_id
    language = facts.languages.get(sid)
    title, theme = facts.words(language)
    return emails.recap_learner_email.build_context(
        subject_of_id(row.opener_id, row.opener_subject) or title,
        first_name(facts.names.get(row.giver_id)) if row.giver_id else None,
        title,
        answer_links.rating_urls(pid, sid),
        answer_links.tried_urls(pid, sid),
        facts.keep_urls(row),
        facts.keep_limit,
        answer_links.checkin(pid, sid, theme) if sid in facts.asked else None,
    )


def _giver_recap_context(row: Row, facts: RecapFacts) -> dict:
    pid, sid = row.id, row.subscriber_id
    tip_sent = row.tip_received_at is not None or pid in facts.tipped
    title = facts.words(facts.languages.get(sid))[0]
    return emails.recap_giver_email.build_context(
        subject_of_id(row.opener_id, row.opener_subject) or title,
        first_name(facts.names.get(row.learner_id)),
        title,
        tip_sent,
        facts.outcomes.get(pid),
        answer_links.rating_urls(pid, sid),
        facts.keep_urls(row),
        facts.keep_limit,
        answer_links.quality_urls(pid, sid),
        answer_links.answer_url(pid, sid, "share", "share") if tip_sent else None,
    )
