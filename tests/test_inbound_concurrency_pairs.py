"""No reply is lost when replies arrive together: both sides of many pairs reply at the
same moment, several real worker processes process them on PostgreSQL, and every reply
is relayed exactly once, with no failed message and no failed job.

The two replies of a pair used to deadlock: each transaction set
inbound_messages.pairing_id (a foreign key: KEY SHARE lock on the pairing) and then
locked the pairing FOR UPDATE, which waits for the other's KEY SHARE.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rq import Worker
from rq.suspension import resume, suspend
from sqlalchemy import func, select

from service.config import PROJECT_ROOT
from service.extensions import db
from service.inbound.models import InboundMessage, InboundState
from service.mail.models import EmailState, OutgoingEmail
from service.redis_conn import get_redis
from service.rounds.models import ThreadMessage
from tests.factories_inbound import create_pair, post_raw, reply_mime
from tests.helpers import ON_POSTGRESQL

# PostgreSQL only: SQLite takes one writer at a time, so nothing there could race.
pytestmark = [pytest.mark.slow, ON_POSTGRESQL]
PAIRS = 30
WORKERS = 3


@pytest.fixture
def pg_app(make_app):
    return make_app()


def start_workers(app, count: int) -> list[subprocess.Popen]:
    c = app.config
    env = {
        **os.environ,
        "PYTHONPATH": str(PROJECT_ROOT),
        "TURNABOUT_INSTANCE": app.instance_path,
        **{
            key: c[key]
            for key in ("DATABASE_URL", "REDIS_URL", "OUTBOX_DIR", "SECRET_KEY", "BASE_URL")
        },
        **{key: c[key] for key in ("MAIL_FROM", "INBOUND_DOMAIN", "MAIL_BACKEND")},
    }
    with (Path(app.instance_path) / "workers.log").open("ab") as log:
        return [
            subprocess.Popen(
                [sys.executable, "-m", "service", "worker"],
                env=env,
                cwd=PROJECT_ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            for _ in range(count)
        ]


def stop_workers(workers: list[subprocess.Popen]) -> None:
    """SIGTERM lets each worker finish its job; one still running a minute later (a very
    busy machine) is killed, so no worker outlives the test and takes later tests' jobs."""
    for worker in workers:
        worker.terminate()
    for worker in workers:
        try:
            worker.wait(timeout=60)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def test_both_sides_of_many_pairs_reply_at_once_and_each_reply_is_relayed_once(pg_app, run_jobs):
    client = pg_app.test_client()
    with pg_app.app_context():
        pairs = [create_pair() for _ in range(PAIRS)]
        # Each side's thread-opening email went out before anyone replied, as in a real
        # round: sent here, so the workers meet the replies alone (as 60 forked mail jobs
        # first, they cost a third of the test's time).
        run_jobs()
        for pair in pairs:  # the two replies of a pair next to each other in the queue
            for person, address, root in (
                (pair.learner, pair.learner_address, pair.pairing.learner_thread_id),
                (pair.giver, pair.giver_address, pair.pairing.giver_thread_id),
            ):
                raw = reply_mime(
                    sender=person.email, to=address, text="Tried it today.", in_reply_to=root
                )
                assert post_raw(client, raw, to=address, sender=person.email).status_code == 200
        db.session.rollback()

    with pg_app.app_context():
        connection = get_redis()
    suspend(connection)  # the workers wait until all of them are up, then start together
    workers = start_workers(pg_app, WORKERS)
    try:
        assert wait_until_born(connection, WORKERS, workers), "the workers did not start"
        resume(connection)
        finished = wait_until_processed(pg_app, 2 * PAIRS, workers)
    finally:
        stop_workers(workers)
    print((Path(pg_app.instance_path) / "workers.log").read_text()[-3000:])  # shown on failure
    assert finished, "the workers did not process every reply within the time limit"
    with pg_app.app_context():
        states = dict(
            db.session.execute(
                select(InboundMessage.outcome, func.count()).group_by(InboundMessage.outcome)
            ).all()
        )
        assert states == {
            "relayed learner_to_giver": PAIRS,
            "relayed giver_to_learner": PAIRS,
        }
        assert not db.session.scalar(
            select(func.count()).where(InboundMessage.state != InboundState.PROCESSED)
        )
        per_message = db.session.execute(
            select(ThreadMessage.inbound_id, func.count()).group_by(ThreadMessage.inbound_id)
        ).all()
        assert len(per_message) == 2 * PAIRS and {n for _, n in per_message} == {1}
        relays = db.session.execute(
            select(OutgoingEmail.state, OutgoingEmail.attempts).where(OutgoingEmail.kind == "relay")
        ).all()
        assert len(relays) == 2 * PAIRS
        assert all(r.state == EmailState.SENT and r.attempts == 1 for r in relays), relays
    assert_no_failed_jobs(pg_app)
    assert len(inbound_workers(pg_app)) > 1  # the workers really did process side by side


def wait_until_born(connection, count: int, workers, timeout: float = 120) -> bool:
    """Until `count` workers have registered in Redis, or one died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and all(w.poll() is None for w in workers):
        if Worker.count(connection=connection) == count:
            return True
        time.sleep(0.1)
    return False


def wait_until_processed(app, count: int, workers, timeout: float = 300) -> bool:
    """Until no message is stored and no relay email waits, or a worker died."""
    deadline = time.monotonic() + timeout
    with app.app_context():
        while time.monotonic() < deadline and all(w.poll() is None for w in workers):
            done = db.session.scalar(
                select(func.count()).where(InboundMessage.state != InboundState.STORED)
            )
            waiting = db.session.scalar(
                select(func.count()).where(
                    OutgoingEmail.kind == "relay",
                    OutgoingEmail.state.in_((EmailState.QUEUED, EmailState.SENDING)),
                )
            )
            db.session.rollback()
            if done == count and not waiting:
                return True
            time.sleep(0.2)
    return False


def assert_no_failed_jobs(app) -> None:
    from rq.registry import FailedJobRegistry

    from service.queues import ALL_QUEUES, get_queue

    with app.app_context():
        failed = {name: FailedJobRegistry(queue=get_queue(name)).count for name in ALL_QUEUES}
    assert not any(failed.values()), failed


def inbound_workers(app) -> set[str]:
    """Names of the workers that ran inbound jobs: more than one means they overlapped."""
    from rq.job import Job
    from rq.registry import FinishedJobRegistry

    from service.queues import INBOUND, get_queue
    from service.redis_conn import get_redis

    with app.app_context():
        ids = FinishedJobRegistry(queue=get_queue(INBOUND)).get_job_ids()
        jobs = Job.fetch_many(ids, connection=get_redis())
    return {job.worker_name for job in jobs if job is not None}
