"""Single emails inside a pair's thread: a partner stepping in or dropping out, a help
request. Each continues the recipient's own thread (Side.thread_root, Side.reply_to)
and has a unique key, so a repeated call sends nothing twice."""

from __future__ import annotations

from sqlalchemy import select

from service.extensions import db
from service.i18n import programme_language
from service.mail.models import OutgoingEmail
from service.rounds import answer_links, emails
from service.rounds.content import (
    explanations_by_language,
    rendered_by_language,
    words_by_language,
)
from service.rounds.conversation import thread_subject
from service.rounds.models import Pairing, ThreadMessage
from service.rounds.threads import GIVER, LEARNER, side
from service.rounds.tips import note_delivered, shared_tips
from service.subscriptions.models import Subscriber

CHALLENGE_KINDS = ("challenge_learner", "challenge_giver", "challenge_unmatched")


def challenge_row(pairing: Pairing, subscriber_id: int) -> OutgoingEmail | None:
    """The challenge email that opened this person's thread in the pairing, if queued."""
    return db.session.scalar(
        select(OutgoingEmail).where(
            OutgoingEmail.pairing_id == pairing.id,
            OutgoingEmail.subscriber_id == subscriber_id,
            OutgoingEmail.kind.in_(CHALLENGE_KINDS),
        )
    )


def giver_challenge_key(pairing_id: int, giver_id: int) -> str:
    return f"pairing:{pairing_id}:giver:{giver_id}:challenge"


def learner_challenge_key(pairing_id: int, learner_id: int) -> str:
    return f"pairing:{pairing_id}:learner:{learner_id}:challenge"


def announce_new_partner(pairing: Pairing, previous_giver_id: int | None) -> None:
    """A standby tip-giver took over. If the learner's challenge already went out, the
    learner hears about it in their thread and the new tip-giver gets their thread's
    first email now; otherwise the dispatcher sends both at the usual local hour."""
    learner = db.session.get(Subscriber, pairing.learner_id)
    giver = db.session.get(Subscriber, pairing.giver_id)
    opened = challenge_row(pairing, learner.id)
    if opened is None:
        return
    content = rendered_by_language(pairing.round.challenge)(giver.language)
    explained = explanations_by_language()
    g = side(pairing, GIVER)
    emails.challenge_giver_email(
        content,
        emails.partner(
            learner.first_name, learner.about, explained(giver.language, pairing.explanation)
        ),
        answer_links.answer_url(pairing.id, giver.id, "outcome", "cant"),
        True,
        key=giver_challenge_key(pairing.id, giver.id),
        subscriber_id=giver.id,
        message_id=g.thread_root,
        reply_to=g.reply_to,
        pairing_id=pairing.id,
    )
    s = side(pairing, LEARNER)
    emails.partner_changed_email(
        thread_subject(pairing, s),
        emails.partner(
            giver.first_name, giver.about, explained(learner.language, pairing.explanation)
        ),
        words_by_language(pairing.round.challenge)(learner.language)[0],
        key=f"pairing:{pairing.id}:learner:partner:{giver.id}",
        subscriber_id=learner.id,
        thread_root=s.thread_root,
        reply_to=s.reply_to,
        pairing_id=pairing.id,
    )


def announce_no_partner(pairing: Pairing) -> None:
    """Nobody could step in: the learner gets the shared tips in their thread (if their
    challenge went out; otherwise their challenge email will carry the tips)."""
    opened = challenge_row(pairing, pairing.learner_id)
    if opened is None:
        return
    s = side(pairing, LEARNER)
    challenge = pairing.round.challenge
    language = db.session.get(Subscriber, pairing.learner_id).language
    tips = shared_tips(challenge, pairing.learner_id, language, programme_language())
    note_delivered(pairing.learner_id, tips)
    emails.partner_unavailable_email(
        thread_subject(pairing, s),
        words_by_language(challenge)(language)[0],
        tips,
        key=f"pairing:{pairing.id}:learner:no-partner",
        subscriber_id=pairing.learner_id,
        thread_root=s.thread_root,
        reply_to=s.reply_to,
        pairing_id=pairing.id,
    )


def tell_giver_help(pairing: Pairing, comment: str | None) -> bool:
    """The learner asked for help: tell the tip-giver in their thread, once per pairing
    and tip-giver. Returns True when the message was queued by this call."""
    if pairing.giver_id is None:
        return False
    key = f"pairing:{pairing.id}:giver:{pairing.giver_id}:help"
    if db.session.scalar(select(OutgoingEmail.id).where(OutgoingEmail.key == key)):
        return False
    opened = challenge_row(pairing, pairing.giver_id)
    if opened is None:  # the tip-giver has not had their email yet; it is enough
        return False
    learner = db.session.get(Subscriber, pairing.learner_id)
    s = side(pairing, GIVER)
    row = emails.help_request_email(
        thread_subject(pairing, s),
        learner.first_name,
        words_by_language(pairing.round.challenge)(
            db.session.get(Subscriber, pairing.giver_id).language
        )[0],
        comment,
        key=key,
        subscriber_id=pairing.giver_id,
        thread_root=s.thread_root,
        reply_to=s.reply_to,
        pairing_id=pairing.id,
    )
    db.session.add(
        ThreadMessage(
            pairing_id=pairing.id,
            author_id=pairing.learner_id,
            direction="learner_to_giver",
            kind="help",
            body=comment,
            outgoing_email_id=row.id,
        )
    )
    return True
