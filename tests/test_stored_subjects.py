"""A subject is rendered once (service.mail.subjects): each email stores the subject it
went out with, in its reader's language, and a thread's later emails (relays, notices,
nudges, recaps) quote the stored subject of the thread's first email, never a new
rendering of it. Runs on SQLite and PostgreSQL (the `database_url` fixture)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from service.database import utcnow
from service.extensions import db
from service.mail.delivery import send_emails
from service.mail.models import EmailState, OutgoingEmail
from service.mail.words import erase_sent_words
from service.rounds.followups import nudge_drafts
from service.rounds.notices import tell_giver_help
from service.settings import all_settings
from tests.factories_inbound import create_pair, create_subscriber, post_raw, reply_mime

# Not what any template renders: a relay quoting it read the stored subject.
STORED = "This week: a subject stored once (with Sam)"


def subject(message) -> str:
    return " ".join(str(message["Subject"]).split())


def row_of(message_id: str) -> OutgoingEmail:
    db.session.expire_all()
    return db.session.scalar(select(OutgoingEmail).where(OutgoingEmail.message_id == message_id))


def store(message_id: str, value: str | None) -> None:
    db.session.execute(
        update(OutgoingEmail).where(OutgoingEmail.message_id == message_id).values(subject=value)
    )
    db.session.commit()


def relay_from_giver(client, run_jobs, pair, text="Try asking it for owners and deadlines."):
    reply = reply_mime(sender=pair.giver.email, to=pair.giver_address, text=text)
    assert (
        post_raw(client, reply, to=pair.giver_address, sender=pair.giver.email).status_code == 200
    )
    run_jobs()


def test_each_email_stores_the_subject_it_went_out_with_in_its_readers_language(
    ctx, run_jobs, outbox
):
    giver = create_subscriber(name="Sam Okafor", role="giver")
    giver.language = "de"
    pair = create_pair(giver=giver, challenges=True)
    run_jobs()
    (learner_mail,) = outbox.to(pair.learner.email)
    (giver_mail,) = outbox.to(giver.email)
    learner_root = row_of(pair.pairing.learner_thread_id)
    giver_root = row_of(pair.pairing.giver_thread_id)
    assert learner_root.subject == subject(learner_mail)
    assert learner_root.subject == (
        "This week: Let an AI assistant summarise your meeting notes (with Sam)"
    )
    assert giver_root.subject == subject(giver_mail)
    assert giver_root.subject.startswith("Margaret freut sich über Ihren Tipp: ")


def test_a_relay_and_a_help_notice_quote_the_stored_subject(ctx, client, run_jobs, outbox):
    pair = create_pair(challenges=True)
    run_jobs()
    store(pair.pairing.learner_thread_id, STORED)
    store(pair.pairing.giver_thread_id, "Margaret could use your tip: as stored")
    outbox.clear()

    relay_from_giver(client, run_jobs, pair)
    (relayed,) = outbox.to(pair.learner.email)
    assert subject(relayed) == f"Re: {STORED}"
    assert row_of(relayed["Message-ID"]).subject == f"Re: {STORED}"  # stored as sent, too

    assert tell_giver_help(pair.pairing, "Where do I paste the notes?")
    db.session.commit()
    run_jobs()
    (notice,) = outbox.to(pair.giver.email)
    assert subject(notice) == "Re: Margaret could use your tip: as stored"


def test_a_thread_whose_first_email_waits_for_its_send_hour_is_rendered_once(
    ctx, client, run_jobs, outbox
):
    """The tip-giver replies before the learner's challenge went out (another time zone):
    the relay renders the learner's first email's subject, stores it, and that email then
    goes out with the very subject the relay quoted."""
    pair = create_pair(challenges=True)
    learner_root = row_of(pair.pairing.learner_thread_id)
    assert learner_root.state == EmailState.QUEUED and learner_root.subject is None
    held = learner_root.id
    db.session.execute(
        update(OutgoingEmail).where(OutgoingEmail.id == held).values(state=EmailState.SENDING)
    )
    db.session.commit()
    run_jobs()  # the tip-giver's challenge goes out; the learner's is held back
    relay_from_giver(client, run_jobs, pair)
    (relayed,) = outbox.to(pair.learner.email)
    stored = row_of(pair.pairing.learner_thread_id).subject
    assert stored == "This week: Let an AI assistant summarise your meeting notes (with Sam)"
    assert subject(relayed) == f"Re: {stored}"

    # Its send hour comes (stored with a new template wording, it would still keep it).
    store(pair.pairing.learner_thread_id, STORED)
    db.session.execute(
        update(OutgoingEmail)
        .where(OutgoingEmail.id == held)
        .values(state=EmailState.SENDING, claimed_at=utcnow() - timedelta(hours=1))
    )
    db.session.commit()
    send_emails([held], last_try=True)
    (challenge,) = [
        m
        for m in outbox.to(pair.learner.email)
        if m is not relayed and m["Message-ID"] == pair.pairing.learner_thread_id
    ]
    assert subject(challenge) == STORED


def test_a_first_email_sent_before_subjects_were_stored_is_rendered_once(ctx, run_jobs, outbox):
    """Rows from before migration 1795790000 have no subject: the first nudge renders it
    (in the reader's language) and stores it; nothing renders it again."""
    giver = create_subscriber(name="Sam Okafor", role="giver")
    giver.language = "de"
    pair = create_pair(giver=giver, challenges=True)
    run_jobs()
    (giver_mail,) = outbox.to(giver.email)
    root = pair.pairing.giver_thread_id
    store(root, None)
    db.session.execute(
        update(OutgoingEmail)
        .where(OutgoingEmail.message_id == root)
        .values(sent_at=utcnow() - timedelta(days=3))
    )
    db.session.commit()
    settings = all_settings()
    (nudge,) = nudge_drafts(pair.pairing.round, utcnow(), {**settings, "nudge_after_hours": 1})
    assert nudge.context["thread_subject"] == subject(giver_mail)
    assert row_of(root).subject == subject(giver_mail)
    store(root, STORED)  # from now on the stored subject is what the thread quotes
    (again,) = nudge_drafts(pair.pairing.round, utcnow(), {**settings, "nudge_after_hours": 1})
    assert again.context["thread_subject"] == STORED


def test_a_subject_quoting_what_someone_wrote_leaves_with_their_words(ctx, run_jobs, outbox):
    """A "not passed on" notice's subject quotes the subject the person wrote: erased with
    the words; a challenge's subject stays for its thread."""
    from service.inbound.emails import not_relayed_email

    pair = create_pair(challenges=True)
    person = pair.learner
    not_relayed_email(
        "not_owner",
        "Re: my private plans for Friday",
        key="not-relayed:1",
        subscriber_id=person.id,
    )
    db.session.commit()
    run_jobs()
    notice = db.session.scalar(select(OutgoingEmail).where(OutgoingEmail.key == "not-relayed:1"))
    assert notice.state == EmailState.SENT
    erase_sent_words()
    assert "private plans" not in (row_of(notice.message_id).subject or "")
    assert row_of(pair.pairing.learner_thread_id).subject.startswith("This week: ")


def test_deleting_a_persons_data_takes_them_out_of_every_stored_subject(ctx, run_jobs, outbox):
    from service.subscriptions.privacy import delete_personal_data

    pair = create_pair(challenges=True)
    run_jobs()
    assert "(with Sam)" in row_of(pair.pairing.learner_thread_id).subject
    delete_personal_data(pair.giver.id)
    learner_root = row_of(pair.pairing.learner_thread_id)
    assert "Sam" not in learner_root.subject and learner_root.subject.startswith("This week: ")
    assert row_of(pair.pairing.giver_thread_id).subject is None  # their own emails
