"""Each transport against a real peer: files on disk, an aiosmtpd server, a local HTTP
server standing in for the SendGrid API."""

from __future__ import annotations

import json
import socket
import ssl
import subprocess
from email import policy
from email.parser import BytesParser

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from werkzeug import Response

from service.mail.message import HeaderInjectionError, OutgoingMessage
from service.mail.transports import PermanentError, TransientError, get_transport
from service.mail.transports.sendgrid.transport import MAX_PERSONALIZATIONS


def message(n: int = 0, **overrides) -> OutgoingMessage:
    values = {
        "to": f"Ana {n} <ana{n}@example.org>",
        "from_": "Turnabout <hello@turnabout.test>",
        "subject": "This week: ask your tip-giver",
        "text": "Hello\n",
        "html": "<p>Hello</p>",
        "message_id": f"<20261126101500000000.{n:06d}@turnabout.test>",
        "reply_to": "reply+abc@reply.turnabout.test",
        "headers": {
            "List-Unsubscribe": "<https://turnabout.test/u/t>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
        "category": "round",
        "ref": n,
    }
    values.update(overrides)
    return OutgoingMessage(**values)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# ------------------------------------------------------------------ outbox


def test_outbox_writes_a_parseable_eml_named_by_time(tmp_path):
    transport = get_transport({"MAIL_BACKEND": "outbox", "OUTBOX_DIR": str(tmp_path)})
    transport.send(
        message(1, in_reply_to="<root@turnabout.test>", references=("<root@turnabout.test>",))
    )
    transport.send(message(1))  # the same message again: same file, not a second copy
    files = list(tmp_path.glob("*.eml"))
    assert [f.name for f in files] == ["20261126101500000000.000001.eml"]
    parsed = BytesParser(policy=policy.default).parsebytes(files[0].read_bytes())
    assert parsed.defects == []
    assert parsed["Message-ID"] == "<20261126101500000000.000001@turnabout.test>"
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert not list(tmp_path.glob(".*.tmp"))


# ------------------------------------------------------------------ SMTP


class Collect:
    def __init__(self, reject: dict | None = None):
        self.messages = []
        self.reject = reject or {}

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.reject:
            return self.reject[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 Message accepted"


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.password == b"s3cret"
    return AuthResult(success=ok, handled=False)


@pytest.fixture
def smtp_server():
    servers = []

    def start(handler, **kwargs):
        port = free_port()
        controller = Controller(handler, hostname="127.0.0.1", port=port, **kwargs)
        controller.start()
        servers.append(controller)
        return port

    yield start
    for controller in servers:
        controller.stop()


def smtp_config(url, **extra):
    return {"MAIL_BACKEND": "smtp", "SMTP_URL": url, "SMTP_TIMEOUT": 5, **extra}


def test_smtp_delivers_to_a_real_peer(smtp_server):
    handler = Collect()
    port = smtp_server(handler)
    results = get_transport(smtp_config(f"smtp://127.0.0.1:{port}")).send_many(
        [message(1), message(2)]
    )
    assert [r.ok for r in results] == [True, True]
    assert [e.rcpt_tos for e in handler.messages] == [["ana1@example.org"], ["ana2@example.org"]]
    parsed = BytesParser(policy=policy.default).parsebytes(handler.messages[0].content)
    assert parsed["Reply-To"] == "reply+abc@reply.turnabout.test"


def test_smtp_starttls_with_login(smtp_server, tmp_path):
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(cert, key)
    handler = Collect()
    port = smtp_server(
        handler,
        tls_context=tls,
        require_starttls=True,
        authenticator=authenticator,
        auth_require_tls=True,
    )
    config = smtp_config(
        f"smtp://mailer:s3cret@127.0.0.1:{port}?starttls=1", SMTP_CA_FILE=str(cert)
    )
    get_transport(config).send(message(3))
    assert handler.messages[0].rcpt_tos == ["ana3@example.org"]

    bad = smtp_config(f"smtp://mailer:wrong@127.0.0.1:{port}?starttls=1", SMTP_CA_FILE=str(cert))
    with pytest.raises(PermanentError, match="login refused"):
        get_transport(bad).send(message(4))


def test_smtp_classifies_refusals(smtp_server):
    handler = Collect(
        reject={
            "ana1@example.org": "550 5.1.1 No such user",
            "ana2@example.org": "451 4.7.1 Greylisted, try later",
        }
    )
    port = smtp_server(handler)
    results = get_transport(smtp_config(f"smtp://127.0.0.1:{port}")).send_many(
        [message(1), message(2), message(3)]
    )
    assert (results[0].ok, results[0].transient) == (False, False)
    assert "550" in results[0].error
    assert (results[1].ok, results[1].transient) == (False, True)
    assert results[2].ok


def test_smtp_unreachable_is_transient():
    port = free_port()  # nothing listens there
    with pytest.raises(TransientError, match="cannot connect"):
        get_transport(smtp_config(f"smtp://127.0.0.1:{port}")).send(message(1))


# ------------------------------------------------------------------ SendGrid


def sendgrid_config(httpserver):
    return {
        "MAIL_BACKEND": "sendgrid",
        "SENDGRID_API_KEY": "SG.test-key",
        "SENDGRID_API_HOST": httpserver.url_for("").rstrip("/"),
        "SENDGRID_TIMEOUT": 5,
    }


def test_sendgrid_posts_the_expected_json(httpserver):
    httpserver.expect_oneshot_request("/v3/mail/send", method="POST").respond_with_response(
        Response(status=202, headers={"X-Message-Id": "sg-1"})
    )
    msg = message(7, in_reply_to="<root@turnabout.test>", references=("<root@turnabout.test>",))
    provider_id = get_transport(sendgrid_config(httpserver)).send(msg)
    assert provider_id == "sg-1"
    request, _ = httpserver.log[0]
    assert request.headers["Authorization"] == "Bearer SG.test-key"
    body = json.loads(request.data)
    assert body["from"] == {"email": "hello@turnabout.test", "name": "Turnabout"}
    assert body["reply_to"] == {"email": "reply+abc@reply.turnabout.test"}
    assert body["categories"] == ["round"]
    assert [c["type"] for c in body["content"]] == ["text/plain", "text/html"]
    (personalization,) = body["personalizations"]
    assert personalization["subject"] == "This week: ask your tip-giver"
    assert "substitutions" not in personalization
    assert personalization["to"] == [{"email": "ana7@example.org", "name": "Ana 7"}]
    assert personalization["custom_args"] == {"email_id": "7"}
    assert personalization["headers"]["Message-ID"] == msg.message_id
    assert personalization["headers"]["In-Reply-To"] == "<root@turnabout.test>"
    assert personalization["headers"]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_sendgrid_batches_shared_content_by_at_most_1000(httpserver):
    httpserver.expect_request("/v3/mail/send", method="POST").respond_with_response(
        Response(status=202)
    )
    messages = [message(n) for n in range(2500)]
    messages.append(message(9998, subject="Another subject travels in the same request"))
    messages.append(message(9999, text="Another body needs its own request\n"))
    results = get_transport(sendgrid_config(httpserver)).send_many(messages)
    assert all(r.ok for r in results) and len(results) == 2502
    sizes = [len(json.loads(req.data)["personalizations"]) for req, _ in httpserver.log]
    assert sorted(sizes) == [1, 501, MAX_PERSONALIZATIONS, MAX_PERSONALIZATIONS]


def tagged(n: int, **overrides) -> OutgoingMessage:
    """A message whose body and Reply-To hold tags, as service.mail.personalize makes them."""
    values = {
        "text": "Hello tbTAGx0r, your key is tbTAGx1r\n",
        "html": "<p>Hello tbTAGx0e</p>",
        "reply_to": "tbTAGx1r@reply.turnabout.test",
        "substitutions": {
            "tbTAGx0r": f"Ana & {n}",
            "tbTAGx0e": f"Ana &amp; {n}",
            "tbTAGx1r": f"reply+key{n}",
        },
    }
    return message(n, **{**values, **overrides})


def test_sendgrid_sends_tagged_messages_together_with_their_substitutions(httpserver):
    httpserver.expect_request("/v3/mail/send", method="POST").respond_with_response(
        Response(status=202)
    )
    oversized = tagged(99)
    oversized = tagged(99, substitutions={**oversized.substitutions, "tbTAGx0r": "x" * 10_001})
    results = get_transport(sendgrid_config(httpserver)).send_many(
        [tagged(1), tagged(2), oversized]
    )
    assert all(r.ok for r in results)
    shared, alone = sorted(
        (json.loads(req.data) for req, _ in httpserver.log),
        key=lambda body: -len(body["personalizations"]),
    )
    assert shared["reply_to"] == {"email": "tbTAGx1r@reply.turnabout.test"}
    assert shared["content"][0]["value"] == "Hello tbTAGx0r, your key is tbTAGx1r\n"
    assert [p["substitutions"]["tbTAGx1r"] for p in shared["personalizations"]] == [
        "reply+key1",
        "reply+key2",
    ]
    # Past SendGrid's 10,000 bytes of substitutions the message goes filled in, alone.
    (person,) = alone["personalizations"]
    assert "substitutions" not in person
    assert alone["reply_to"] == {"email": "reply+key99@reply.turnabout.test"}
    assert alone["content"][0]["value"].startswith("Hello xxxx")


def test_sendgrid_sends_messages_from_different_senders_together(httpserver):
    """Relays ("Ana via Turnabout", "Bo via Turnabout") differ only in their From: one
    request, each personalization naming its own sender where it is not the request's."""
    httpserver.expect_request("/v3/mail/send", method="POST").respond_with_response(
        Response(status=202, headers={"X-Message-Id": "sg-2"})
    )
    messages = [
        tagged(1, from_="Ana via Turnabout <hello@turnabout.test>"),
        tagged(2, from_="Bo via Turnabout <hello@turnabout.test>"),
        tagged(3, from_="Ana via Turnabout <hello@turnabout.test>"),
    ]
    results = get_transport(sendgrid_config(httpserver)).send_many(messages)
    assert [(r.ok, r.provider_id) for r in results] == [(True, "sg-2")] * 3
    ((request, _),) = httpserver.log
    body = json.loads(request.data)
    assert body["from"] == {"email": "hello@turnabout.test", "name": "Ana via Turnabout"}
    assert [p.get("from") for p in body["personalizations"]] == [
        None,
        {"email": "hello@turnabout.test", "name": "Bo via Turnabout"},
        None,
    ]


def test_sendgrid_never_names_an_address_twice_in_one_request(httpserver):
    """A tip-giver with three learners gets three emails of one kind: SendGrid would refuse
    a request naming the address three times, so each goes in its own request."""
    httpserver.expect_request("/v3/mail/send", method="POST").respond_with_response(
        Response(status=202)
    )
    giver = "Bo <bo@example.org>"
    messages = [tagged(1, to=giver), tagged(2), tagged(3, to=giver), tagged(4, to=giver)]
    results = get_transport(sendgrid_config(httpserver)).send_many(messages)
    assert all(r.ok for r in results)
    requests = [
        [p["to"][0]["email"] for p in json.loads(req.data)["personalizations"]]
        for req, _ in httpserver.log
    ]
    assert requests == [
        ["bo@example.org", "ana2@example.org"],
        ["bo@example.org"],
        ["bo@example.org"],
    ]


def test_a_request_refused_for_one_address_is_sent_again_one_by_one(httpserver):
    def refuse_bad_addresses(request):
        body = json.loads(request.data)
        if any(p["to"][0]["email"] == "bad@example.org" for p in body["personalizations"]):
            return Response('{"errors": [{"message": "Does not contain a valid address."}]}', 400)
        return Response(status=202, headers={"X-Message-Id": "sg-ok"})

    httpserver.expect_request("/v3/mail/send").respond_with_handler(refuse_bad_addresses)
    messages = [tagged(1), tagged(2, to="bad@example.org"), tagged(3)]
    results = get_transport(sendgrid_config(httpserver)).send_many(messages)
    assert [r.ok for r in results] == [True, False, True]
    assert not results[1].transient and "valid address" in results[1].error
    assert [len(json.loads(req.data)["personalizations"]) for req, _ in httpserver.log] == [
        3,
        1,
        1,
        1,
    ]


def test_other_transports_send_tagged_messages_filled_in(tmp_path):
    transport = get_transport({"MAIL_BACKEND": "outbox", "OUTBOX_DIR": str(tmp_path)})
    transport.send(tagged(3))
    (eml,) = tmp_path.glob("*.eml")
    parsed = BytesParser(policy=policy.default).parsebytes(eml.read_bytes())
    assert parsed["Reply-To"] == "reply+key3@reply.turnabout.test"
    assert parsed.get_body(("plain",)).get_content() == "Hello Ana & 3, your key is reply+key3\n"
    assert parsed.get_body(("html",)).get_content().strip() == "<p>Hello Ana &amp; 3</p>"


def test_a_tag_in_reply_to_only_takes_an_address_part():
    with pytest.raises(HeaderInjectionError):
        tagged(4, substitutions={"tbTAGx1r": "evil\r\nBcc: all@example.org"})


@pytest.mark.parametrize(
    "status,transient", [(429, True), (500, True), (503, True), (400, False), (401, False)]
)
def test_sendgrid_errors_are_classified(httpserver, status, transient):
    httpserver.expect_request("/v3/mail/send").respond_with_json(
        {"errors": [{"message": "nope"}]}, status=status
    )
    (result,) = get_transport(sendgrid_config(httpserver)).send_many([message(1)])
    assert not result.ok
    assert result.transient is transient
    assert f"SendGrid {status}" in result.error


def test_sendgrid_timeout_is_transient(httpserver):
    import time

    def slow(request):
        time.sleep(1.5)
        return Response(status=202)

    httpserver.expect_request("/v3/mail/send").respond_with_handler(slow)
    config = {**sendgrid_config(httpserver), "SENDGRID_TIMEOUT": 0.5}
    (result,) = get_transport(config).send_many([message(1)])
    assert (result.ok, result.transient) == (False, True)
