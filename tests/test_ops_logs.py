"""Logs: one JSON line per request and per job, the request id carried into the jobs a
request enqueues, and never an address or a message body, after a realistic flow."""

from __future__ import annotations

import io
import json
import logging
import re
from datetime import UTC, datetime

import pytest
import time_machine
from rq import Queue

from service.cli import main
from service.extensions import db
from service.logs import JsonLogFormatter, address_hash
from service.queues import INBOUND, MAIL
from tests.factories_inbound import post_raw, reply_mime
from tests.factories_rounds import seed
from tests.helpers import csrf_token, links_in

ADDRESS = re.compile(r"[\w.+'-]+@[\w-]+(\.[\w-]+)+")


class CapturedLogs:
    """What this process writes to its log stream (the real JSON formatter), and the
    records as the code made them, before the formatter's redaction."""

    def __init__(self):
        self.stream = io.StringIO()
        self.records: list[logging.LogRecord] = []

    def lines(self) -> list[dict]:
        return [json.loads(line) for line in self.stream.getvalue().splitlines()]

    def of(self, event: str) -> list[dict]:
        return [line for line in self.lines() if line.get("event") == event]

    def raw_text(self) -> str:
        parts = []
        for record in self.records:
            parts.append(record.getMessage())
            parts.append(json.dumps({k: str(v) for k, v in vars(record).items()}))
        return "\n".join(parts)


@pytest.fixture
def logs():
    captured = CapturedLogs()
    handler = logging.StreamHandler(captured.stream)
    handler.setFormatter(JsonLogFormatter())
    keeper = logging.Handler()
    keeper.emit = captured.records.append
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.addHandler(keeper)
    root.setLevel(logging.INFO)
    yield captured
    root.removeHandler(handler)
    root.removeHandler(keeper)
    root.setLevel(level)


def sign_up(client, email: str, role: str):
    form = {
        "email": email,
        "name": email.split("@")[0].split(".")[0].title(),
        "role": role,
        "themes": ["tech-savvy"],
        "timezone": "Europe/Berlin",
        "team": {"learner": "Finance", "giver": "Design"}[role],
        "csrf_token": csrf_token(client, "/"),
    }
    return client.post("/subscribe", data=form)


def confirm(client, outbox, email: str):
    [message] = [m for m in outbox.to(email) if "/c/" in " ".join(links_in(m))]
    url = next(link for link in links_in(message) if "/c/" in link)
    url = url.replace("http://turnabout.test", "")
    response = client.post(url, data={"csrf_token": csrf_token(client, url)})
    assert response.status_code == 302


def test_each_request_is_one_json_line_with_its_id(client, logs):
    response = client.get("/healthz", headers={"X-Request-ID": "lb-4f1c2a9e"})
    assert response.headers["X-Request-ID"] == "lb-4f1c2a9e"
    mine = client.get("/healthz", headers={"X-Request-ID": 'bad "id" {"level": "x"}'})
    assert re.fullmatch(r"[0-9a-f]{16}", mine.headers["X-Request-ID"])  # junk is replaced
    client.get("/a/not-a-real-token")
    first, second, third = logs.of("request")
    assert first["request_id"] == "lb-4f1c2a9e"
    assert (first["method"], first["endpoint"], first["status"]) == ("GET", "health.healthz", 200)
    assert first["level"] == "INFO" and first["duration_ms"] >= 0 and first["time"]
    assert second["request_id"] == mine.headers["X-Request-ID"]
    # The path carries tokens and secrets: the line names the endpoint, never the path.
    assert "not-a-real-token" not in json.dumps(third)
    assert third["endpoint"] != "unmatched"


def test_the_request_id_reaches_the_job_it_enqueued(client, logs, run_jobs, redis):
    from tests.factories_subscriptions import create_themes

    with client.application.app_context():
        create_themes()
        db.session.commit()
    response = sign_up(client, "ana.lopez@example.org", "learner")
    request_id = response.headers["X-Request-ID"]
    [job] = Queue(MAIL, connection=redis).get_jobs()
    assert job.meta["request_id"] == request_id
    run_jobs()
    [job_line] = [line for line in logs.of("job") if line["job_id"] == job.id]
    assert job_line["request_id"] == request_id
    assert job_line["outcome"] == "ok" and job_line["status"] == "finished"
    # On PostgreSQL a new address's confirmation is handed on by a drain job (mail/ready.py).
    delivers = job_line["function"].endswith(("deliver_emails", "drain_ready"))
    assert job_line["queue"] == MAIL and delivers


def test_a_failed_job_is_logged_as_failed(app, logs, run_jobs, redis):
    job = Queue(MAIL, connection=redis).enqueue("builtins.int", "not a number")
    run_jobs()
    [line] = logs.of("job")
    assert (line["job_id"], line["outcome"], line["level"]) == (job.id, "failed", "WARNING")


def test_no_address_or_message_body_in_the_logs_of_a_whole_exchange(
    app, client, runner, run_jobs, outbox, logs
):
    """Signup and confirmation on the web, a round sent, a tip relayed by email: then
    nothing the service logged holds an address or what the tip-giver wrote."""
    learner, giver = "margaret.hale@example.org", "sam.okafor@example.org"
    tip = "Ask it for decisions, owners and deadlines, one page max. Zebra-unique-tip-7731."
    with time_machine.travel(datetime(2026, 11, 30, 10, tzinfo=UTC), tick=False):
        with app.app_context():
            seed()
        for email, role in ((learner, "learner"), (giver, "giver")):
            assert sign_up(client, email, role).status_code == 200
        run_jobs()
        for email in (learner, giver):
            confirm(client, outbox, email)
        run_jobs()
        outbox.clear()
        with app.app_context():
            sent = runner.invoke(main, args=["round", "send", "--week", "2026-W49", "--yes"])
            assert sent.exit_code == 0, sent.output
        run_jobs()
        [challenge] = outbox.to(giver)
        reply_to = str(challenge["Reply-To"])
        reply = reply_mime(sender=giver, to=reply_to, text=tip, sender_name="Sam Okafor",
                           in_reply_to=str(challenge["Message-ID"]))  # fmt: skip
        assert post_raw(client, reply, to=reply_to, sender=giver).status_code == 200
        run_jobs()
    [relayed] = [m for m in outbox.to(learner) if "via Turnabout" in str(m["From"])]
    assert "Zebra-unique-tip-7731" in relayed.get_body(("plain",)).get_content()

    # The flow really was logged: requests of each step and the jobs they caused.
    endpoints = {line["endpoint"] for line in logs.of("request")}
    assert {"subscriptions.subscribe", "inbound.inbound_webhook"} <= endpoints
    functions = {line["function"].rsplit(".", 1)[-1] for line in logs.of("job")}
    assert "deliver_emails" in functions
    assert INBOUND in {line["queue"] for line in logs.of("job")}  # the reply was processed

    written = logs.stream.getvalue()
    for secret in (learner, giver, reply_to, "Zebra-unique-tip-7731", "decisions, owners"):
        assert secret.lower() not in written.lower(), f"{secret!r} reached the log stream"
        # Not even before the formatter's safety net: the code logs ids, not addresses.
        assert secret.lower() not in logs.raw_text().lower(), f"{secret!r} was logged"
    assert not ADDRESS.search(written), ADDRESS.search(written)


def test_the_formatter_replaces_an_address_a_message_let_slip(logs):
    logging.getLogger("turnabout.test").warning("could not reach %s", "Ana@Example.org")
    [line] = logs.lines()
    assert "Example.org" not in line["message"]
    assert line["message"] == f"could not reach {address_hash('ana@example.org')}"


def test_addresses_in_logs_are_hashed_with_the_apps_key(make_app):
    """A plain hash of an address can be matched against a list of likely addresses; the
    log hash is keyed with ADDRESS_HASH_KEYS, as the stored hashes are (same key, same
    hash in every process)."""
    import hashlib

    plain = "addr-" + hashlib.sha256(b"ana@example.org").hexdigest()[:12]
    make_app(ADDRESS_HASH_KEYS="first-key,older-key")
    keyed = address_hash("Ana@Example.org ")
    assert keyed.startswith("addr-") and keyed != plain
    make_app(ADDRESS_HASH_KEYS="another-key")
    assert address_hash("ana@example.org") not in (keyed, plain)
    make_app(ADDRESS_HASH_KEYS="first-key")
    assert address_hash("ana@example.org") == keyed
