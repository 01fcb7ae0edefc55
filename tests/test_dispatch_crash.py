"""Exactly once across a crash: a real worker process is killed with SIGKILL in the
middle of a round of 300 emails, another worker finishes, and every email is sent once.

Three counts, independent of each other: the outbox transport's files (one per
Message-ID, so a re-send overwrites rather than duplicates), an SMTP peer and a SendGrid
stand-in that record every delivery they receive, duplicates included.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import timedelta
from email import message_from_bytes
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from service.config import PROJECT_ROOT
from service.extensions import db
from service.mail import bulk
from service.mail.delivery import LEASE, sweep_stalled
from service.mail.models import EmailState, OutgoingEmail
from service.rounds.dispatch import send_round
from tests.factories_rounds import create_subscriber, seed

pytestmark = pytest.mark.slow
PEOPLE = 150  # learners, and as many tip-givers: 300 challenge emails
WEEK = "2026-W49"


class SlowPeer:
    """An SMTP server that takes 15 ms per message and remembers every Message-ID."""

    def __init__(self):
        self.received: list[str] = []

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(0.015)
        self.received.append(message_from_bytes(envelope.content)["Message-ID"])
        return "250 Message accepted"


class SlowSendGrid(BaseHTTPRequestHandler):
    """POST /v3/mail/send: takes 250 ms per request, remembers each request's Message-IDs,
    and counts the requests it is holding, so the test can kill the worker mid-request."""

    requests: list[list[str]] = []
    holding = 0

    def do_POST(self):  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        SlowSendGrid.holding += 1
        time.sleep(0.25)
        SlowSendGrid.requests.append([p["headers"]["Message-ID"] for p in body["personalizations"]])
        SlowSendGrid.holding -= 1
        self.send_response(202)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


class SendGridRecord:
    """What the stand-in received, in the SMTP peer's terms."""

    @property
    def holding(self) -> int:
        return SlowSendGrid.holding

    @property
    def received(self) -> list[str]:
        return [mid for request in SlowSendGrid.requests for mid in request]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def worker_env(app, **extra) -> dict:
    c = app.config
    env = {
        **os.environ,
        "DATABASE_URL": c["DATABASE_URL"],
        "REDIS_URL": c["REDIS_URL"],
        "OUTBOX_DIR": c["OUTBOX_DIR"],
        "TURNABOUT_INSTANCE": app.instance_path,
        "SECRET_KEY": c["SECRET_KEY"],
        "BASE_URL": c["BASE_URL"],
        "MAIL_FROM": c["MAIL_FROM"],
        "INBOUND_DOMAIN": c["INBOUND_DOMAIN"],
        "MAIL_BACKEND": c["MAIL_BACKEND"],
        "SMTP_URL": c.get("SMTP_URL", ""),
        "SENDGRID_API_KEY": c.get("SENDGRID_API_KEY") or "",
        "SENDGRID_API_HOST": c.get("SENDGRID_API_HOST") or "",
        "PYTHONPATH": str(PROJECT_ROOT),
    }
    env.update(extra)
    return env


STARTED: list[subprocess.Popen] = []


@pytest.fixture(autouse=True)
def no_stray_workers():
    """A worker left running would take the next test's jobs: kill every one we started."""
    yield
    while STARTED:
        process = STARTED.pop()
        if process.poll() is None:
            kill_worker(process)


def start_worker(app, *args) -> subprocess.Popen:
    with (Path(app.instance_path) / "worker.log").open("ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "service", "worker", *args],
            env=worker_env(app),
            cwd=PROJECT_ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    STARTED.append(process)
    return process


def children(pid: int) -> list[int]:
    """Direct children of `pid` (rq's work horse puts itself in its own process group,
    so killing the worker's group would leave it running)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def kill_worker(process: subprocess.Popen) -> None:
    """SIGKILL the worker and its work horse at once, as a machine failure would."""
    for pid in children(process.pid):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:  # the horse finished its job in the meantime
            pass
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait(timeout=10)


def wait_for(condition, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


@pytest.fixture
def crash_app(make_app, request):
    backend = request.param
    if backend == "smtp":
        peer = SlowPeer()
        port = free_port()
        controller = Controller(peer, hostname="127.0.0.1", port=port)
        controller.start()
        app = make_app(MAIL_BACKEND="smtp", SMTP_URL=f"smtp://127.0.0.1:{port}")
        yield app, peer
        controller.stop()
    elif backend == "sendgrid":
        SlowSendGrid.requests, SlowSendGrid.holding = [], 0
        server = ThreadingHTTPServer(("127.0.0.1", 0), SlowSendGrid)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        app = make_app(
            MAIL_BACKEND="sendgrid",
            SENDGRID_API_KEY="SG.crash-test",
            SENDGRID_API_HOST=f"http://127.0.0.1:{server.server_port}",
        )
        yield app, SendGridRecord()
        server.shutdown()
        server.server_close()
    else:
        yield make_app(), None


@pytest.mark.parametrize("crash_app", ["outbox", "smtp", "sendgrid"], indirect=True)
def test_sigkill_mid_round_sends_every_email_once(crash_app, monkeypatch, capsys):
    app, peer = crash_app
    outbox = Path(app.config["OUTBOX_DIR"])
    monkeypatch.setattr(bulk, "BATCH", 20)  # many small jobs: the kill lands mid-round
    with app.app_context():
        seed()
        for i in range(PEOPLE):
            create_subscriber(role="learner", team=f"l{i % 5}", name=f"L{i}")
            create_subscriber(role="giver", team=f"g{i % 5}", name=f"G{i}")
        db.session.commit()
        report = send_round(WEEK)
        assert report.challenges.queued == 2 * PEOPLE
        expected = set(db.session.scalars(select(OutgoingEmail.message_id)))

    def delivered() -> int:
        if peer is not None:
            return len(peer.received)
        return len(list(outbox.glob("*.eml"))) if outbox.exists() else 0

    first = start_worker(app)
    try:
        # Against SendGrid, kill while a request is being answered: its whole batch is then
        # in the provider's hands but not recorded, the worst case a crash can leave.
        assert wait_for(lambda: delivered() >= PEOPLE // 2 and getattr(peer, "holding", 1) > 0), (
            "the first worker sent nothing"
        )
    finally:
        kill_worker(first)
    at_kill = delivered()
    assert at_kill < 2 * PEOPLE, "the worker finished before it was killed"

    with app.app_context():
        in_flight = set(
            db.session.scalars(
                select(OutgoingEmail.message_id).where(OutgoingEmail.state == EmailState.SENDING)
            )
        )
        # Pretend LEASE has passed: the dead worker's claims expire, and rows whose job
        # died with it count as stalled. The sweep re-enqueues every unsent row, so rows
        # whose jobs are still queued get a second job: the atomic claim makes it harmless.
        unsent = list(
            db.session.scalars(select(OutgoingEmail).where(OutgoingEmail.state != EmailState.SENT))
        )
        for row in unsent:
            row.created_at -= LEASE + timedelta(seconds=1)
            if row.claimed_at is not None:
                row.claimed_at -= LEASE + timedelta(seconds=1)
        db.session.commit()
        assert sweep_stalled() == len(unsent) > 0

    second = start_worker(app, "--burst")
    assert second.wait(timeout=120) == 0

    with app.app_context():
        db.session.expire_all()
        states = Counter(db.session.scalars(select(OutgoingEmail.state)))
        assert states == {EmailState.SENT: 2 * PEOPLE}, states
    if peer is None:
        files = {p.name for p in outbox.glob("*.eml")}
        assert len(files) == 2 * PEOPLE
    else:
        counts = Counter(peer.received)
        assert set(counts) == expected  # every email arrived
        duplicates = {mid for mid, n in counts.items() if n > 1}
        # The mail core records each hand-over at once, so only what the dead worker was
        # handing over when it died can arrive twice: one message over SMTP, one request
        # over SendGrid (neither has an idempotency key; the receiving side can drop a
        # repeat by Message-ID).
        assert duplicates <= in_flight
        if app.config["MAIL_BACKEND"] == "smtp":
            assert len(duplicates) <= 1
        else:
            assert any(duplicates <= set(request) for request in SlowSendGrid.requests)
    with capsys.disabled():
        print(
            f"\n[{app.config['MAIL_BACKEND']}] killed after {at_kill} deliveries; "
            f"{len(in_flight)} rows were claimed by the dead worker"
            + (f"; {len(duplicates)} reached the peer twice" if peer else "")
        )
