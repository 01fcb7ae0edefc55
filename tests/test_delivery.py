"""The sending core: a row per email, skip rules, exactly-once delivery, retries."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select
from werkzeug import Response

from service.extensions import db
from service.mail.delivery import deliver_emails, sweep_stalled
from service.mail.emails import mail_check
from service.mail.models import EmailState, OutgoingEmail
from service.subscriptions.models import Status, Subscriber, Suppression, address_hash


def subscriber(email="ana@example.org", **values) -> Subscriber:
    person = Subscriber(email=email, name="Ana", role="learner", status=Status.ACTIVE, **values)
    db.session.add(person)
    db.session.flush()
    return person


@pytest.fixture
def list_kind():
    """The mail_check templates declared as ordinary subscriber mail (list headers,
    suppression applies), restoring the real declaration afterwards."""
    from service.mail import emails
    from service.mail.catalog import EmailKind, register_kind

    yield register_kind(
        EmailKind("mail_check", category="operations", reason="Because you subscribed.")
    )
    register_kind(emails.mail_check.kind)


def test_queue_then_deliver_once(ctx, run_jobs, outbox):
    row = mail_check(key="t:1", to="ops@example.org")
    again = mail_check(key="t:1", to="ops@example.org")
    assert again.id == row.id  # the key makes queueing idempotent
    db.session.commit()
    run_jobs()
    db.session.refresh(row)
    assert row.state == EmailState.SENT and row.sent_at is not None
    (message,) = outbox.messages()
    assert message["Message-ID"] == row.message_id
    assert message["Auto-Submitted"] == "auto-generated"
    assert "List-Unsubscribe" not in message  # operational mail, not a list
    # Running the job again sends nothing more.
    assert deliver_emails([row.id])["sent"] == 0
    assert len(outbox) == 1


def test_a_new_key_is_one_insert_and_a_known_key_enqueues_nothing_more(app, ctx):
    """INSERT ... ON CONFLICT (key) DO NOTHING, not a look-up first; a key stored before,
    even for a subscriber whose address has gone since, hands back its row."""
    from tests.helpers import each_statement_during

    person = subscriber()
    statements = each_statement_during(
        app, lambda: mail_check(key="t:one", subscriber_id=person.id), lambda c, s: s
    )
    assert [s.split()[0] for s in statements] == ["INSERT"]
    db.session.commit()
    person.email = None  # erased since: the stored row still answers for the key
    db.session.commit()
    again = mail_check(key="t:one", subscriber_id=person.id)
    assert db.session.info.get("after_commit_jobs", []) == []
    assert again.to_address == "ana@example.org"
    with pytest.raises(ValueError, match="neither an address"):
        mail_check(key="t:two", subscriber_id=person.id)


def test_a_declared_email_takes_its_builders_arguments_and_the_sending_options(ctx):
    """The decorator names no sending option itself: its signature is the builder's plus
    queue_email's keywords, so a wrong keyword fails at the call, and a builder cannot
    take a sending option's name."""
    import inspect

    from service.inbound.emails import not_relayed_email
    from service.mail.kinds import email

    shown = inspect.signature(not_relayed_email)
    assert list(shown.parameters)[:2] == ["problem", "subject"]
    assert {"key", "to", "subscriber_id", "thread_root", "queue"} <= set(shown.parameters)
    with pytest.raises(TypeError):
        not_relayed_email("not_owner", "Hello", to="ops@example.org")  # no key=
    with pytest.raises(TypeError):
        not_relayed_email("not_owner", "Hello", key="k", to="a@example.org", thread="x")
    with pytest.raises(TypeError):  # all by keyword, still checked: no key=, no subject
        not_relayed_email(problem="not_owner", subject="Hello", to="a@example.org")
    with pytest.raises(TypeError):
        not_relayed_email(problem="not_owner", key="k0", to="a@example.org")
    row = not_relayed_email(problem="not_owner", subject="Hello", key="k", to="a@example.org")
    assert row.context == {"problem": "not_owner", "subject": "Hello"}
    from service.mail.catalog import KINDS, SAMPLES

    try:
        with pytest.raises(TypeError, match="sending options"):
            email("clash", category="operations", reason="test")(lambda to: {"to": to})
    finally:  # the catalogue is the process's: no kind without templates is left in it
        KINDS.pop("clash", None)
        SAMPLES.pop("clash", None)


def test_a_queued_row_is_the_sessions_own_object(ctx):
    row = mail_check(key="t:attached", to="ops@example.org")
    assert db.session.get(OutgoingEmail, row.id) is row
    assert (row.sent_at, row.provider_id, row.state) == (None, None, EmailState.QUEUED)
    row.error = "noted"  # a change to it reaches the row, as to any loaded object
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(OutgoingEmail, row.id).error == "noted"


def test_nothing_is_enqueued_when_the_transaction_rolls_back(ctx, redis, run_jobs, outbox):
    mail_check(key="t:rollback", to="ops@example.org")
    db.session.rollback()
    run_jobs()
    assert len(outbox) == 0
    assert db.session.scalar(select(OutgoingEmail)) is None


def test_subscriber_mail_carries_list_headers(ctx, run_jobs, outbox, list_kind):
    from service.mail.queueing import queue_email

    person = subscriber()
    queue_email(list_kind, key="t:list", context={"backend": "outbox"}, subscriber_id=person.id)
    db.session.commit()
    run_jobs()
    (message,) = outbox.messages()
    unsubscribe = str(message["List-Unsubscribe"]).strip()
    assert unsubscribe.startswith("<http://turnabout.test/u/")
    assert "mailto:unsubscribe+" in unsubscribe
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["List-ID"].endswith("<weekly.turnabout.test>")
    assert str(message["To"]) == "Ana <ana@example.org>"


def test_suppressed_and_unsubscribed_addresses_are_skipped_with_a_reason(ctx, run_jobs, outbox):
    from service.mail.catalog import EmailKind
    from service.mail.queueing import queue_email

    kind = EmailKind("mail_check", category="ops", reason="r")
    db.session.add(Suppression(address_hash=address_hash("Gone@Example.org"), reason="bounced"))
    gone = queue_email(kind, key="t:s1", context={"backend": "x"}, to="gone@example.org")
    left = subscriber("left@example.org", unsubscribed_at=None)
    left.status = Status.UNSUBSCRIBED
    skipped = queue_email(kind, key="t:s2", context={"backend": "x"}, subscriber_id=left.id)
    db.session.commit()
    run_jobs()
    assert (gone.state, gone.error) == (EmailState.SKIPPED, "address suppressed (bounced)")
    assert (skipped.state, skipped.error) == (EmailState.SKIPPED, "subscriber is unsubscribed")
    assert len(outbox) == 0


def test_unsubscribe_between_queue_and_send_wins(ctx, run_jobs, outbox, list_kind):
    from service.mail.queueing import queue_email

    person = subscriber()
    row = queue_email(
        list_kind,
        key="t:race",
        context={"backend": "x"},
        subscriber_id=person.id,
    )
    db.session.commit()
    person.status = Status.UNSUBSCRIBED
    db.session.commit()
    run_jobs()
    db.session.refresh(row)
    assert row.state == EmailState.SKIPPED
    assert len(outbox) == 0


def test_header_injection_in_user_data_sends_nothing(ctx, run_jobs, outbox):
    row = mail_check(key="t:inject", to="ops@example.org", to_name="Eve\r\nBcc: x@example.org")
    db.session.commit()
    run_jobs()
    db.session.refresh(row)
    assert row.state == EmailState.FAILED
    assert "line break" in row.error
    assert len(outbox) == 0


def test_transient_errors_are_retried_then_sent(make_app, httpserver, run_jobs):
    app = make_app(
        MAIL_BACKEND="sendgrid",
        SENDGRID_API_KEY="SG.key",
        SENDGRID_API_HOST=httpserver.url_for("").rstrip("/"),
    )
    httpserver.expect_ordered_request("/v3/mail/send").respond_with_json({}, status=503)
    httpserver.expect_ordered_request("/v3/mail/send").respond_with_response(
        Response(status=202, headers={"X-Message-Id": "sg-ok"})
    )
    with app.app_context():
        row = mail_check(key="t:retry", to="ops@example.org")
        db.session.commit()
        first = deliver_emails([row.id])  # no rq job around it: treated as the last try
        assert first["failed"] == 1
        row.state = EmailState.QUEUED
        db.session.commit()
        assert deliver_emails([row.id])["sent"] == 1
        db.session.refresh(row)
        assert (row.state, row.provider_id, row.attempts) == (EmailState.SENT, "sg-ok", 2)
    body = json.loads(httpserver.log[-1][0].data)
    assert body["personalizations"][0]["custom_args"] == {"email_id": str(row.id)}


def test_rq_retries_a_transient_failure(make_app, httpserver, redis):
    """With a real rq job: the first attempt hits a 429, rq schedules a retry, the row is
    queued again (not failed), and the retry sends it."""
    from rq import Queue

    from service.jobs import build_worker

    app = make_app(
        MAIL_BACKEND="sendgrid",
        SENDGRID_API_KEY="SG.key",
        SENDGRID_API_HOST=httpserver.url_for("").rstrip("/"),
    )
    httpserver.expect_ordered_request("/v3/mail/send").respond_with_json({}, status=429)
    httpserver.expect_ordered_request("/v3/mail/send").respond_with_response(Response(status=202))
    with app.app_context():
        row = mail_check(key="t:rq-retry", to="ops@example.org")
        db.session.commit()
        worker = build_worker(app, simple=True)
        worker.work(burst=True, with_scheduler=False)
        db.session.refresh(row)
        assert row.state == EmailState.QUEUED and "429" in row.error
        # The retry waits in rq's scheduled registry; move it to the queue now.
        queue = Queue("mail", connection=redis)
        for job_id in queue.scheduled_job_registry.get_job_ids():
            queue.scheduled_job_registry.remove(job_id)
            queue.enqueue_job(queue.fetch_job(job_id))
        worker.work(burst=True, with_scheduler=False)
        db.session.refresh(row)
        assert row.state == EmailState.SENT


def test_sweep_requeues_rows_whose_job_was_lost(ctx, redis, run_jobs, outbox, time_machine):
    time_machine.move_to("2026-11-30 08:00:00+00:00")
    row = mail_check(key="t:lost", to="ops@example.org")
    db.session.commit()
    redis.flushdb()  # the delivery job is gone (Redis lost, worker crashed before enqueue...)
    time_machine.move_to("2026-11-30 08:06:00+00:00")
    assert sweep_stalled() == 1
    run_jobs()
    db.session.refresh(row)
    assert row.state == EmailState.SENT
    assert len(outbox) == 1


@pytest.mark.parametrize("state", [EmailState.SENT, EmailState.FAILED, EmailState.SKIPPED])
def test_finished_rows_are_never_claimed_again(ctx, state):
    row = mail_check(key=f"t:{state}", to="ops@example.org")
    row.state = state
    db.session.commit()
    assert deliver_emails([row.id]) == {"sent": 0, "failed": 0, "retry": 0, "skipped": 0}
