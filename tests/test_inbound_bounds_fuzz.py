"""Seeded fuzz of the inbound path (issue 10, sections 2 and 5): 2,000 hostile posts to
both webhooks, then a real worker process (`turnabout worker --burst --simple`) processes
every stored message and every email it queued.

No answer is a 5xx, no job fails, no message costs the worker over a second (the inbound
job takes messages one after another: a message's cost is the time from the previous
outcome, or from the last hand-over of mail, to its own), and the worker's resident
memory stays under 300 MB. These are bounds on pathological behaviour
(the main of issue 10 took minutes and gigabytes), not speed measurements.
About half a minute on an idle 2-core machine (one database: PostgreSQL when
TEST_DATABASE_URL is set); several times that on a machine busy with other work.
"""

from __future__ import annotations

import bisect
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import UTC, datetime

import pytest
from conftest import DATABASES
from hostile_inbound import EVENTS, FAMILIES, Addresses, hostile_posts
from rq.job import Job
from rq.registry import FailedJobRegistry, FinishedJobRegistry
from sqlalchemy import select

from service.extensions import db
from service.inbound.models import InboundMessage, InboundState
from service.mail.models import OutgoingEmail
from service.queues import ALL_QUEUES, get_queue
from service.redis_conn import get_redis
from tests.factories_inbound import EventSigner, create_pair

SEED = 20261206
POSTS = 2_000
MAX_MESSAGE_SECONDS = 1.0
MAX_WORKER_RSS_MB = 300
WORKER_DEADLINE = 300  # seconds; the worker is killed (and the test fails) after this


def run_worker_process(app) -> tuple[int, float]:
    """`turnabout worker --burst --simple` in its own process, configured like `app`;
    returns (exit status, peak resident memory in MB) of that process alone."""
    config = app.config
    env = dict(
        os.environ,
        TURNABOUT_ENV="development",
        SECRET_KEY=config["SECRET_KEY"],
        DATABASE_URL=config["DATABASE_URL"],
        REDIS_URL=config["REDIS_URL"],
        MAIL_BACKEND="outbox",
        OUTBOX_DIR=config["OUTBOX_DIR"],
        BASE_URL=config["BASE_URL"],
        MAIL_FROM=config["MAIL_FROM"],
        INBOUND_DOMAIN=config["INBOUND_DOMAIN"],
        INBOUND_SECRET=config["INBOUND_SECRET"],
        TURNABOUT_INSTANCE=app.instance_path,
    )
    command = [sys.executable, "-m", "service", "worker", "--burst", "--simple"]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    timer = threading.Timer(WORKER_DEADLINE, process.kill)
    timer.start()
    peak_kb = 0
    try:
        while process.poll() is None:
            peak_kb = max(peak_kb, high_water_kb(process.pid))
            time.sleep(0.02)
    finally:
        timer.cancel()
    return process.returncode, peak_kb / 1024


def high_water_kb(pid: int) -> int:
    """The process's own peak resident memory so far (VmHWM, which only grows).

    Not wait4()'s ru_maxrss: Linux carries the high-water mark of the memory a child had
    before exec() into it, and subprocess starts children from this pytest process (with
    vfork), so ru_maxrss reported pytest's own size (480 MB late in a full run)."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):  # it has just exited
        pass
    return 0


@pytest.mark.slow
@pytest.mark.parametrize("database_url", DATABASES[-1:], indirect=True)  # PostgreSQL if set
def test_hostile_inbound_posts_never_stall_bloat_or_break_the_service(make_app):
    signer = EventSigner()
    app = make_app(SENDGRID_EVENT_PUBLIC_KEY=signer.public_key_b64)
    client = app.test_client()
    with app.app_context():
        pairs = [create_pair() for _ in range(4)]
        addresses = Addresses(
            replies=[p.learner_address for p in pairs] + [p.giver_address for p in pairs],
            senders=[p.learner.email for p in pairs] + [p.giver.email for p in pairs],
            domain=app.config["INBOUND_DOMAIN"],
        )
    url = f"/webhooks/inbound/{app.config['INBOUND_SECRET']}"
    statuses, stored_families = Counter(), []
    for post in hostile_posts(SEED, POSTS, addresses, sign=signer.headers):
        target = "/webhooks/sendgrid/events" if post.target == EVENTS else url
        response = client.post(
            target, data=post.body, content_type=post.content_type, headers=post.headers
        )
        statuses[(post.family, response.status_code)] += 1
        if response.status_code == 200 and response.get_data() == b"stored\n":
            stored_families.append(post.family)
    assert sum(statuses.values()) >= 2_000
    server_errors = {key: n for key, n in statuses.items() if key[1] >= 500}
    assert not server_errors, server_errors
    assert len({family for family, _ in statuses}) == len(FAMILIES) + 1  # and the events

    status, peak_mb = run_worker_process(app)
    assert status == 0, f"the worker exited with {status} (killed after {WORKER_DEADLINE} s?)"

    with app.app_context():
        failed = {q: FailedJobRegistry(queue=get_queue(q)).count for q in ALL_QUEUES}
        assert sum(failed.values()) == 0, failed
        assert all(get_queue(q).count == 0 for q in ALL_QUEUES)  # everything was processed
        rows = db.session.scalars(select(InboundMessage).order_by(InboundMessage.id)).all()
        assert len(rows) == len(stored_families) > 800
        states = Counter(row.state for row in rows)
        assert states[InboundState.STORED] == states[InboundState.FAILED] == 0, states
        family_of = dict(zip((row.id for row in rows), stored_families, strict=True))
        done = sorted((aware(row.processed_at), row.id) for row in rows)
        sent = [aware(t) for t in db.session.scalars(select(OutgoingEmail.sent_at)) if t]
        boundaries = sorted(sent + job_starts(get_redis()))
    slowest, inbound_id = max(message_costs(done, boundaries))
    assert slowest < MAX_MESSAGE_SECONDS, (
        f"message {inbound_id} ({family_of[inbound_id]}) took {slowest:.2f} s"
    )
    assert peak_mb < MAX_WORKER_RSS_MB, f"worker peak RSS {peak_mb:.0f} MB"


def job_starts(connection) -> list:
    """When each job that ran started."""
    ids = []
    for name in ALL_QUEUES:
        ids += FinishedJobRegistry(queue=get_queue(name)).get_job_ids()
    jobs = Job.fetch_many(ids, connection=connection)
    return [aware(j.started_at) for j in jobs if j is not None and j.started_at]


def aware(moment: datetime) -> datetime:
    """rq, SQLite and PostgreSQL disagree on naive or aware UTC: make them comparable."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def message_costs(done: list, boundaries: list) -> list[tuple[float, int]]:
    """(seconds, id) per message, from the one worker's outcomes in time order: the time
    since the previous outcome, or since the last boundary after it: a job starting, or
    the mail of the previous chunk handed over (service.inbound.batch sends the mail of
    25 messages together, between two of them)."""
    costs = []
    for (earlier, _), (later, inbound_id) in zip(done, done[1:], strict=False):
        last = bisect.bisect_left(boundaries, later)
        start = earlier
        if last and boundaries[last - 1] > earlier:
            start = boundaries[last - 1]
        costs.append(((later - start).total_seconds(), inbound_id))
    return costs
