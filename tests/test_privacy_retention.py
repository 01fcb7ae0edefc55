"""Every copy of what people wrote is erased: emails keep none once sent, and past the
retention period no table holds a word of a reply, a help comment or a shared tip."""

from __future__ import annotations

import json
from datetime import timedelta

import time_machine
from sqlalchemy import select
from test_privacy_tips import tips_read_by_an_unmatched_learner

from service.database import Model, utcnow
from service.extensions import db
from service.inbound.retention import erase_expired
from service.mail.catalog import KINDS, SAMPLES
from service.mail.models import EmailState, OutgoingEmail
from service.mail.words import erase_sent_words
from service.rounds.answers import record_answer
from service.subscriptions.models import Status
from tests.factories_inbound import create_pair, create_subscriber, post_raw, reply_mime
from tests.helpers import text_of

REPLY = "zebracrossing-reply-7731"
HELP = "quokkalantern-help-4410"
TIP = "marmaladeorbit-tip-9052"
MARKERS = (REPLY, HELP, TIP)


def where_found(markers=MARKERS) -> dict[str, set[str]]:
    """marker -> the "table.column" names holding it, scanning every row of every table
    (text, binary and JSON columns alike)."""
    found: dict[str, set[str]] = {}
    for table in Model.metadata.sorted_tables:
        for row in db.session.execute(select(table)).mappings():
            for column, value in row.items():
                if value is None:
                    continue
                if isinstance(value, bytes):
                    text = value.decode("utf-8", "replace")
                elif isinstance(value, dict | list):
                    text = json.dumps(value, ensure_ascii=False)
                else:
                    text = str(value)
                for marker in markers:
                    if marker in text:
                        found.setdefault(marker, set()).add(f"{table.name}.{column}")
    return found


def approve_shared_tips() -> None:
    from service.admin.library.curation import approve
    from service.rounds.models import SharedTip

    for tip_id in db.session.scalars(select(SharedTip.id)).all():
        approve(tip_id)
    db.session.commit()


def reply(client, run_jobs, sender, to, text):
    mail = reply_mime(sender=sender, to=to, text=text)
    assert post_raw(client, mail, to=to, sender=sender).status_code == 200
    run_jobs()


def test_no_copy_of_a_reply_a_help_comment_or_a_tip_outlives_retention(
    ctx, client, run_jobs, outbox
):
    pair = create_pair(challenges=True)
    challenge = pair.pairing.round.challenge
    challenge.starter_tip = "A starter tip for this challenge."
    db.session.commit()
    run_jobs()
    tip = f"Ask for decisions and owners first; {TIP} works every time for me."
    reply(client, run_jobs, pair.giver.email, pair.giver_address, tip)
    reply(client, run_jobs, pair.learner.email, pair.learner_address, f"It worked! {REPLY}")
    record_answer(pair.pairing.id, pair.learner.id, "outcome", "help", f"Stuck: {HELP}")
    record_answer(pair.pairing.id, pair.giver.id, "share", "share")
    approve_shared_tips()  # only tips an editor approved reach other learners (issue 14)
    run_jobs()
    assert any(HELP in text_of(m) for m in outbox.to(pair.giver.email))
    assert TIP in tips_read_by_an_unmatched_learner(challenge.id, 7, run_jobs, outbox)

    # Each marker really was stored and relayed, so the scan below can find it...
    found = where_found()
    assert {"thread_messages.body"} <= found[REPLY] and {"answers.comment"} <= found[HELP]
    assert {"shared_tips.text", "thread_messages.body"} <= found[TIP]
    # ...but no email that went out keeps a copy in its stored context.
    assert not any("outgoing_emails.context" in tables for tables in found.values()), found

    with time_machine.travel(utcnow() + timedelta(days=400)):
        counts = erase_expired()
    assert counts["thread_messages"] >= 3 and counts["answer_comments"] == 1
    assert counts["shared_tips"] == 1
    db.session.expire_all()
    assert where_found() == {}


def test_emails_skipped_or_sent_keep_no_words_after_the_sweep(ctx, client, run_jobs, outbox):
    from service.inbound.emails import relay_email

    gone = create_subscriber(status=Status.UNSUBSCRIBED)
    row = relay_email("Sam", "Re: this week", f"Hello {REPLY}", [], key="r1", subscriber_id=gone.id)
    db.session.commit()
    assert row.state == EmailState.SKIPPED and row.holds_words
    assert erase_sent_words() == 1
    db.session.expire_all()
    row = db.session.get(OutgoingEmail, row.id)
    assert not row.holds_words and REPLY not in json.dumps(row.context)
    assert row.context["author_name"] == "Sam"  # only the words go; the rest stays
    assert erase_sent_words() == 0


def test_queued_words_stay_until_sent(ctx, client, run_jobs, outbox):
    """A queued email still needs its words: the sweep leaves it alone."""
    from service.inbound.emails import relay_email

    person = create_subscriber()
    relay_email("Sam", "Re: this week", f"Hello {REPLY}", [], key="r2", subscriber_id=person.id)
    db.session.commit()
    assert erase_sent_words() == 0
    run_jobs()
    (sent,) = outbox.to(person.email)
    assert REPLY in sent.get_body(("plain",)).get_content()
    assert where_found([REPLY]).get(REPLY, set()) == set()


def test_every_word_key_is_in_its_kinds_sample():
    for kind in KINDS.values():
        assert set(kind.words) <= set(SAMPLES[kind.name]), kind.name


def test_the_migration_marks_existing_rows_of_every_kind_with_words():
    import importlib.util
    from pathlib import Path

    import service

    path = Path(service.__file__).parent / "migrations" / "1795740000_words_leave_sent_emails.py"
    spec = importlib.util.spec_from_file_location("words_migration", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    with_words = {kind.name for kind in KINDS.values() if kind.words}
    assert set(migration.KINDS_WITH_WORDS) == with_words


def test_retention_leaves_recent_rows_alone(ctx, client, run_jobs, outbox):
    pair = create_pair(challenges=True)
    run_jobs()
    record_answer(pair.pairing.id, pair.learner.id, "outcome", "help", f"Stuck: {HELP}")
    run_jobs()  # the help request went out: its email keeps no copy
    counts = erase_expired()
    assert counts["answer_comments"] == 0 and counts["thread_messages"] == 0
    assert where_found([HELP]) == {HELP: {"answers.comment", "thread_messages.body"}}


def test_a_tip_leaves_emails_not_yet_sent_when_its_author_deletes_their_data(
    ctx, client, run_jobs, outbox
):
    from test_privacy_tips import later_pair

    from service.subscriptions.privacy import delete_personal_data

    pair = create_pair(challenges=True)
    run_jobs()
    tip = f"Ask for decisions and owners first; {TIP} works every time for me."
    reply(client, run_jobs, pair.giver.email, pair.giver_address, tip)
    record_answer(pair.pairing.id, pair.giver.id, "share", "share")
    approve_shared_tips()  # only tips an editor approved reach other learners (issue 14)
    later = later_pair(pair.pairing.round.challenge_id, 8)
    run_jobs()
    outbox.clear()
    record_answer(later.pairing.id, later.giver.id, "outcome", "cant")  # queued, not sent
    notice = db.session.scalar(
        select(OutgoingEmail).where(OutgoingEmail.kind == "partner_unavailable")
    )
    assert notice.state == EmailState.QUEUED and TIP in json.dumps(notice.context)
    delete_personal_data(pair.giver.id)
    assert where_found([TIP]) == {}
    run_jobs()
    (sent,) = outbox.to(later.learner.email)
    assert TIP not in text_of(sent)
