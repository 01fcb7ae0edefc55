"""The Inbound Parse webhook: who may call it, storing first, size limits, duplicates,
and garbage that must never produce a 5xx."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event, func, select
from sqlalchemy.exc import OperationalError

from service.extensions import db
from service.inbound.models import InboundMessage, InboundState
from service.rounds.models import ThreadMessage
from tests.factories_inbound import (
    INBOUND_URL,
    create_pair,
    multipart_body,
    post_form,
    post_raw,
    reply_mime,
)


def stored() -> list[InboundMessage]:
    return list(db.session.scalars(select(InboundMessage).order_by(InboundMessage.id)))


def test_wrong_secret_is_404_and_stores_nothing(ctx, client):
    raw = reply_mime(sender="a@example.org", to="join@reply.turnabout.test", text="hi")
    body, content_type = multipart_body({"email": raw, "to": "join@reply.turnabout.test"})
    for url in ("/webhooks/inbound/wrong", "/webhooks/inbound/inbound-test-secreT"):
        assert client.post(url, data=body, content_type=content_type).status_code == 404
    assert stored() == []


def test_raw_message_is_stored_then_processed_by_a_job(ctx, client, run_jobs):
    pair = create_pair()
    raw = reply_mime(sender=pair.giver.email, to=pair.giver_address, text="Try the summary prompt.")
    response = post_raw(client, raw, to=pair.giver_address, sender=pair.giver.email)
    assert response.status_code == 200
    (row,) = stored()
    assert row.state == InboundState.STORED and row.mode == "raw"
    assert row.raw == raw and row.size == len(raw)
    assert row.fields["SPF"] == "pass" and "pass" in row.fields["dkim"]
    assert row.fields["envelope"] == {"to": [pair.giver_address], "from": pair.giver.email}
    run_jobs()
    db.session.expire_all()
    assert row.state == InboundState.PROCESSED, row.outcome
    assert row.outcome == "relayed giver_to_learner"
    assert row.sender_id == pair.giver.id and row.pairing_id == pair.pairing.id


def test_eight_bit_bytes_survive_the_form_exactly(ctx, client):
    raw = (
        b"From: Jo\xe3o <joao@example.org>\r\nTo: join@reply.turnabout.test\r\n"
        b"Message-ID: <8bit@example.org>\r\nContent-Type: text/plain; charset=iso-8859-1\r\n"
        b"Content-Transfer-Encoding: 8bit\r\n\r\nOl\xe1, reuni\xe3o amanh\xe3\r\n"
    )
    assert (
        post_raw(client, raw, to="join@reply.turnabout.test", sender="joao@example.org").status_code
        == 200
    )
    assert stored()[0].raw == raw


def test_oversized_message_is_413_and_not_stored(make_app):
    app = make_app(MAX_INBOUND_BYTES=50_000)
    client = app.test_client()
    raw = reply_mime(sender="a@example.org", to="join@reply.turnabout.test", text="x" * 60_000)
    response = post_raw(client, raw, to="join@reply.turnabout.test", sender="a@example.org")
    assert response.status_code == 413
    small = reply_mime(sender="a@example.org", to="join@reply.turnabout.test", text="x" * 40_000)
    assert (
        post_raw(client, small, to="join@reply.turnabout.test", sender="a@example.org").status_code
        == 200
    )
    with app.app_context():
        assert db.session.scalar(select(func.count(InboundMessage.id))) == 1


def test_a_message_above_werkzeugs_form_memory_limit_is_accepted(ctx, client):
    """Werkzeug refuses form fields over 500 kB by default; a reply with a big quoted
    history is larger than that and must still be stored."""
    raw = reply_mime(sender="a@example.org", to="join@reply.turnabout.test", text="y" * 900_000)
    assert (
        post_raw(client, raw, to="join@reply.turnabout.test", sender="a@example.org").status_code
        == 200
    )
    assert stored()[0].size == len(raw)


def test_same_message_id_twice_is_processed_once(ctx, client, run_jobs, outbox):
    pair = create_pair()
    run_jobs()
    outbox.clear()
    raw = reply_mime(sender=pair.giver.email, to=pair.giver_address, text="One tip, once.")
    for _ in range(3):  # SendGrid retried, or the message reached two of our addresses
        assert (
            post_raw(client, raw, to=pair.giver_address, sender=pair.giver.email).status_code == 200
        )
    run_jobs()
    assert len(stored()) == 1
    assert db.session.scalar(select(func.count(ThreadMessage.id))) == 1
    assert len(outbox.to(pair.learner.email)) == 1


def test_a_job_run_twice_relays_once(ctx, client, run_jobs, outbox):
    from service.inbound.groups import process_inbound

    pair = create_pair()
    raw = reply_mime(sender=pair.giver.email, to=pair.giver_address, text="Once only.")
    post_raw(client, raw, to=pair.giver_address, sender=pair.giver.email)
    row_id = stored()[0].id
    run_jobs()
    assert process_inbound(row_id) == "already done"
    run_jobs()
    assert db.session.scalar(select(func.count(ThreadMessage.id))) == 1


def test_storage_failure_is_503_so_sendgrid_retries(ctx, client):
    def refuse_the_insert(_conn, _cursor, statement, *_args):
        if statement.startswith("INSERT INTO inbound_messages"):
            raise OperationalError(statement, {}, Exception("database is locked"))

    event.listen(db.engine, "before_cursor_execute", refuse_the_insert)
    try:
        raw = reply_mime(sender="a@example.org", to="join@reply.turnabout.test", text="hello")
        response = post_raw(client, raw, to="join@reply.turnabout.test", sender="a@example.org")
    finally:
        event.remove(db.engine, "before_cursor_execute", refuse_the_insert)
    assert response.status_code == 503
    db.session.rollback()
    assert stored() == []


def test_redis_down_still_answers_200_and_the_sweep_catches_up(ctx, client, monkeypatch, run_jobs):
    import service.inbound.storage as storage
    from service.inbound.batch import sweep_stored

    def no_redis(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(storage, "kick", no_redis)
    pair = create_pair()
    raw = reply_mime(sender=pair.giver.email, to=pair.giver_address, text="Stored anyway.")
    assert post_raw(client, raw, to=pair.giver_address, sender=pair.giver.email).status_code == 200
    monkeypatch.undo()
    run_jobs()
    (row,) = stored()
    assert row.state == InboundState.STORED
    assert sweep_stored(older_than_minutes=0) == 1
    run_jobs()
    db.session.expire_all()
    assert row.state == InboundState.PROCESSED


def test_parsed_mode_payload_is_stored_and_relayed(ctx, client, run_jobs, outbox):
    """SendGrid's default mode: text, html, headers, attachments as separate fields."""
    from tests.factories_inbound import DATA, fill

    pair = create_pair()
    run_jobs()
    outbox.clear()
    payload = json.loads(
        fill(
            (DATA / "sendgrid_parsed.json").read_text(),
            FROM=pair.learner.email,
            TO=pair.learner_address,
            ROOT=pair.pairing.learner_thread_id,
        )
    )
    fields = {k: v for k, v in payload.items() if k != "_files"}
    for name, filename in payload["_files"].items():
        fields[name] = (b"%PDF-1.4 fake", filename)
    assert post_form(client, fields).status_code == 200
    (row,) = stored()
    assert row.mode == "parsed" and row.message_id == "<CAJ8x2parsed@mail.gmail.com>"
    run_jobs()
    db.session.expire_all()
    assert row.state == InboundState.PROCESSED, row.outcome
    (received,) = outbox.to(pair.giver.email)
    from tests.helpers import text_of

    text = text_of(received)
    assert "I tried it this morning" in text
    assert "notes.pdf" in text and "not passed on" in text
    assert "wrote:" not in text  # the quoted challenge was trimmed


# ------------------------------------------------------------------ garbage


def test_requests_without_a_message_are_400_not_5xx(ctx, client):
    assert client.post(INBOUND_URL, data=b"", content_type="text/plain").status_code == 400
    assert client.post(INBOUND_URL, data={"to": "x"}).status_code == 400
    broken = b'--zzz\r\nContent-Disposition: form-data; name="email"\r\n\r\nunterminated'
    response = client.post(
        INBOUND_URL, data=broken, content_type="multipart/form-data; boundary=zzz"
    )
    assert response.status_code < 500
    assert stored() == []


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(payload=st.binary(max_size=3000))
def test_random_bytes_as_the_email_never_5xx_and_never_relay(ctx, client, payload):
    from service.inbound.groups import process_inbound

    response = post_form(client, {"email": payload, "to": "reply+x@reply.turnabout.test"})
    assert response.status_code == 200
    row = db.session.scalars(select(InboundMessage).order_by(InboundMessage.id.desc())).first()
    if row is not None and row.state == InboundState.STORED:
        process_inbound(row.id)
        assert row.state in (InboundState.IGNORED, InboundState.FAILED)
    assert db.session.scalar(select(func.count(ThreadMessage.id))) == 0


_header_names = st.sampled_from(
    ["From", "To", "Subject", "Message-ID", "In-Reply-To", "References", "Content-Type",
     "Content-Transfer-Encoding", "Auto-Submitted", "Cc", "Delivered-To"]
)  # fmt: skip
_header_values = st.one_of(
    st.text(max_size=80),
    st.sampled_from(
        ["=?utf-8?b?////?=", "=?x-unknown?q?abc?=", "<>", "multipart/mixed; boundary=",
         "text/plain; charset=klingon", "base64", "quoted-printable", "a@", "@b", 'x"y\\z',
         "reply+zzzz@reply.turnabout.test", "<a@b> <c@d"]
    ),
)  # fmt: skip


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    headers=st.lists(st.tuples(_header_names, _header_values), max_size=12),
    body=st.binary(max_size=500),
)
def test_garbage_mime_never_5xx_and_never_relays(ctx, client, headers, body):
    from service.inbound.groups import process_inbound

    raw = (
        b"".join(
            f"{name}: {value}".encode("utf-8", "surrogateescape").replace(b"\n", b" ") + b"\r\n"
            for name, value in headers
        )
        + b"\r\n"
        + body
    )
    response = post_form(client, {"email": raw, "to": "reply+zzzz@reply.turnabout.test"})
    assert response.status_code == 200
    for row in db.session.scalars(
        select(InboundMessage).where(InboundMessage.state == InboundState.STORED)
    ):
        process_inbound(row.id)
        assert row.state in (InboundState.IGNORED, InboundState.FAILED), row.outcome
    assert db.session.scalar(select(func.count(ThreadMessage.id))) == 0


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"\x00\x01\x02",
        b"From: <>\r\n\r\n",
        b'Content-Type: multipart/mixed; boundary="b"\r\nFrom: a@example.org\r\n\r\n--b\r\n',
        b"Content-Type: text/html; charset=utf-7\r\nFrom: a@example.org\r\n\r\n<p>+AGEAYgBj-",
        b"Subject: =?utf-8?q?=E2=28=A1?=\r\nFrom: =?bogus?b?%%%?= <a@example.org>\r\n\r\nx",
    ],
)
def test_known_nasty_inputs_end_in_a_recorded_outcome(ctx, client, raw):
    from service.inbound.groups import process_inbound

    assert post_form(client, {"email": raw}).status_code == 200
    (row,) = stored()
    process_inbound(row.id)
    assert row.state in (InboundState.IGNORED, InboundState.FAILED)
    assert row.outcome


# ------------------------------------------------------------------ commands


def test_status_and_retry_commands(ctx, client, runner, run_jobs, monkeypatch):
    import service.inbound.actions as actions

    pair = create_pair()
    run_jobs()
    raw = reply_mime(sender=pair.giver.email, to=pair.giver_address, text="Retry me.")
    post_raw(client, raw, to=pair.giver_address, sender=pair.giver.email)

    def broken(*args, **kwargs):
        raise RuntimeError("relay is broken today")

    monkeypatch.setattr(actions, "relay", broken)
    run_jobs()
    (row,) = stored()
    assert row.state == InboundState.FAILED
    assert row.outcome == "error: RuntimeError: relay is broken today"
    result = runner.invoke(args=["inbound", "status"])
    assert result.exit_code == 0, result.output
    assert "failed     1" in result.output and "relay is broken today" in result.output
    assert "Retry me" not in result.output  # no content in operator output

    monkeypatch.undo()
    result = runner.invoke(args=["inbound", "retry"])
    assert "Queued 0 inbound messages" in result.output  # failed ones need --failed
    result = runner.invoke(args=["inbound", "retry", "--failed"])
    assert "Queued 1 inbound messages" in result.output
    run_jobs()
    db.session.expire_all()
    assert row.state == InboundState.PROCESSED
    assert db.session.scalar(select(func.count(ThreadMessage.id))) == 1


def test_erase_expired_command(ctx, runner):
    result = runner.invoke(args=["inbound", "erase-expired"])
    assert result.exit_code == 0
    assert result.output == (
        "Erased 0 message bodies, 0 stored originals, 0 answer comments, 0 shared tips "
        "and the words of 0 emails.\n"
    )


def test_latin1_labelled_text_is_read_as_windows_1252():
    from service.inbound.bodies import fix_c1

    assert fix_c1("\x93Quoted\x94 \x96 dash, caf\xe9") == "\u201cQuoted\u201d \u2013 dash, caf\xe9"


def test_parsed_mode_fields_are_decoded_with_their_charsets(ctx, client, run_jobs, outbox):
    """Parsed mode sends each field in the charset its `charsets` JSON names."""
    from tests.helpers import text_of

    pair = create_pair()
    run_jobs()
    outbox.clear()
    headers = (
        f"From: Sam <{pair.giver.email}>\nTo: {pair.giver_address}\n"
        "Subject: Re: tip\nMessage-ID: <latin1-parsed@example.org>\n"
    )
    fields = {
        "headers": headers,
        "text": "Schöne Grüße, probier's mit Vorlagen!".encode("iso-8859-1"),
        "html": "",
        "from": f"Sam <{pair.giver.email}>",
        "to": pair.giver_address,
        "envelope": json.dumps({"to": [pair.giver_address], "from": pair.giver.email}),
        "SPF": "pass",
        "charsets": json.dumps({"text": "iso-8859-1", "headers": "UTF-8", "to": "UTF-8"}),
        "attachments": "0",
    }
    assert post_form(client, fields).status_code == 200
    run_jobs()
    (received,) = outbox.to(pair.learner.email)
    assert "Schöne Grüße, probier's mit Vorlagen!" in text_of(received)


def test_nan_in_sendgrid_json_fields_still_stores(ctx, client):
    raw = reply_mime(sender="a@example.org", to="join@reply.turnabout.test", text="hi")
    fields = {
        "email": raw,
        "envelope": '{"to": ["join@reply.turnabout.test"], "from": NaN}',
        "charsets": '{"to": Infinity}',
    }
    assert post_form(client, fields).status_code == 200
    assert stored()[0].fields["envelope"]["from"] is None


_field_names = st.sampled_from(
    ["email", "headers", "text", "html", "to", "from", "cc", "subject", "envelope", "charsets",
     "SPF", "dkim", "spam_score", "attachment-info", "attachments", "sender_ip"]
)  # fmt: skip
_field_values = st.one_of(
    st.binary(max_size=300),
    st.text(max_size=200).map(str.encode),
    st.sampled_from(
        [b"{}", b"[]", b"null", b"NaN", b'{"to": NaN}', b'{"to": ["reply+x@reply.turnabout.test"]}',
         b'{"text": "klingon", "email": "utf-7"}', b'{"attachment1": {"content-id": 5}}', b"1e999"]
    ),
)  # fmt: skip


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(fields=st.dictionaries(_field_names, _field_values, max_size=8))
def test_any_combination_of_sendgrid_fields_never_5xx(ctx, client, fields):
    from service.inbound.groups import process_inbound

    response = post_form(client, fields)
    assert response.status_code in (200, 400)
    for row in db.session.scalars(
        select(InboundMessage).where(InboundMessage.state == InboundState.STORED)
    ):
        process_inbound(row.id)
        # Only join@/unsubscribe@ can act without a pairing; nothing is ever relayed.
        assert row.state in (InboundState.IGNORED, InboundState.FAILED) or (
            row.outcome.startswith(("join", "unsubscribe address"))
        ), row.outcome
    assert db.session.scalar(select(func.count(ThreadMessage.id))) == 0


def test_the_rate_limiter_is_not_consulted_for_the_webhooks(make_app, monkeypatch):
    """SendGrid posts bursts from a few addresses: the webhooks are @unlimited, and the
    limiter's before-request hook (which resolved every limit only to find them exempt)
    does not run for them; it still runs for every other route."""
    from flask import request
    from flask_limiter import Limiter

    consulted = []
    monkeypatch.setattr(
        Limiter, "_check_request_limit", lambda self, **_: consulted.append(request.endpoint)
    )
    client = make_app().test_client()
    client.post("/webhooks/inbound/inbound-test-secret", data={"x": "1"})
    client.post("/webhooks/sendgrid/events", data="[]")
    client.get("/")
    assert consulted == ["subscriptions.landing"]


def test_an_app_without_rate_limits_builds_and_serves_the_webhook(make_app):
    client = make_app(RATELIMIT_ENABLED=False).test_client()
    assert client.post("/webhooks/inbound/inbound-test-secret", data={}).status_code == 400
