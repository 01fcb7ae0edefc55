"""The inbound job: a burst of replies is processed by a few jobs that send the relays
themselves; transient database errors are retried and never described with process
ids; the worker can be given its own queues; an inbound work horse has a memory ceiling."""

from __future__ import annotations

import subprocess
import sys

import psycopg.errors
from rq import Queue
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from service.config import PROJECT_ROOT
from service.extensions import db
from service.inbound.models import InboundMessage, InboundState
from service.queues import INBOUND, MAIL
from service.redis_conn import get_redis
from service.rounds.models import ThreadMessage
from service.transient import describe_error, is_transient
from tests.factories_inbound import create_pair, post_raw, reply_mime

DEADLOCK_TEXT = (
    "deadlock detected\nDETAIL:  Process 48213 waits for ShareLock on transaction 90817; "
    "blocked by process 48190."
)


def deadlock() -> OperationalError:
    return OperationalError("SELECT 1", {}, psycopg.errors.DeadlockDetected(DEADLOCK_TEXT))


def reply(client, pair, text: str = "Tried it.") -> None:
    raw = reply_mime(sender=pair.giver.email, to=pair.giver_address, text=text)
    assert post_raw(client, raw, to=pair.giver_address, sender=pair.giver.email).status_code == 200


def queued(name: str) -> int:
    return Queue(name, connection=get_redis()).count


def test_a_burst_of_replies_waits_as_one_job_that_also_sends_the_relays(
    ctx, client, run_jobs, outbox
):
    pairs = [create_pair() for _ in range(6)]
    run_jobs()  # the thread roots
    outbox.clear()
    for pair in pairs:
        reply(client, pair)
    assert queued(INBOUND) == 1  # not one job per reply
    run_jobs(max_jobs=1)
    assert queued(MAIL) == 0  # no delivery job: the relays went out from the inbound job
    assert {m["To"].addresses[0].addr_spec for m in outbox.messages()} == {
        p.learner.email for p in pairs
    }
    outcomes = db.session.scalars(select(InboundMessage.outcome)).all()
    assert outcomes == ["relayed giver_to_learner"] * 6


def test_a_deadlock_is_retried_and_the_reply_relayed(ctx, client, run_jobs, outbox, monkeypatch):
    import service.inbound.actions as actions
    import service.transient as transient

    monkeypatch.setattr(transient, "PAUSES", (0, 0))
    real_relay, calls = actions.relay, []

    def relay_after_a_deadlock(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise deadlock()
        return real_relay(*args, **kwargs)

    monkeypatch.setattr(actions, "relay", relay_after_a_deadlock)
    pair = create_pair()
    run_jobs()  # the thread roots
    outbox.clear()
    reply(client, pair)
    run_jobs()
    (row,) = db.session.scalars(select(InboundMessage)).all()
    assert (row.state, row.outcome) == (InboundState.PROCESSED, "relayed giver_to_learner")
    assert len(calls) == 2
    assert db.session.scalar(select(func.count(ThreadMessage.id))) == 1
    assert len(outbox.to(pair.learner.email)) == 1


def test_a_lasting_outage_leaves_the_reply_stored_for_later(ctx, client, run_jobs, monkeypatch):
    import service.inbound.actions as actions
    import service.transient as transient
    from service.inbound.batch import sweep_stored

    monkeypatch.setattr(transient, "PAUSES", (0, 0))

    def always_deadlocked(*args, **kwargs):
        raise deadlock()

    monkeypatch.setattr(actions, "relay", always_deadlocked)
    pair = create_pair()
    run_jobs()
    reply(client, pair)
    run_jobs()
    (row,) = db.session.scalars(select(InboundMessage)).all()
    assert row.state == InboundState.STORED  # not failed: nobody has to retry it by hand
    monkeypatch.undo()
    assert sweep_stored(older_than_minutes=0) == 1
    run_jobs()
    db.session.expire_all()
    assert row.outcome == "relayed giver_to_learner"


def test_error_texts_group_without_process_ids():
    assert is_transient(deadlock())
    assert describe_error(deadlock()) == "error: database: DeadlockDetected (40P01)"
    text = describe_error(RuntimeError("blocked by process 4821 in transaction 77"))
    assert text == "error: RuntimeError: blocked by process N in transaction N"
    assert not is_transient(RuntimeError("deadlock"))


def test_worker_queues_option(runner):
    result = runner.invoke(args=["worker", "--queues", "inbound,nowhere"])
    assert result.exit_code == 2
    assert "unknown queue nowhere; choose from mail, rounds, inbound, default" in result.output
    result = runner.invoke(args=["worker", "--burst", "--simple", "--queues", "inbound"])
    assert result.exit_code == 0, result.output


def test_an_inbound_work_horse_cannot_grow_past_its_memory_ceiling():
    script = (
        "from service.jobs import limit_memory\n"
        "limit_memory(64)\n"
        "small = bytearray(16 * 2**20)\n"
        "try:\n"
        "    big = bytearray(256 * 2**20)\n"
        "except MemoryError:\n"
        "    print('refused')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=PROJECT_ROOT, capture_output=True, text=True
    )
    assert result.stdout.strip() == "refused", result.stderr


def test_the_job_reads_the_settings_once_and_no_themes_however_many_replies(
    app, ctx, client, run_jobs, outbox
):
    from tests.helpers import each_statement_during

    pairs = [create_pair() for _ in range(6)]
    run_jobs()  # the thread roots
    for pair in pairs:
        reply(client, pair)
    seen = each_statement_during(app, lambda: run_jobs(max_jobs=1), lambda _c, s: s)
    assert db.session.scalar(select(func.count(ThreadMessage.id))) == 6
    # Once for the job (settings.read_once): the relay limit, the programme's name in
    # each thread's subject and the delivery's sender read the same copy (they were
    # read twice a reply, then once a reply). No reply needs anyone's themes.
    assert sum("FROM settings" in s for s in seen) == 1
    assert not any("subscriber_themes" in s for s in seen)


def test_a_setting_saved_in_the_job_is_read_back_at_once(app, ctx):
    from service.settings import get_setting, read_once, set_setting

    with read_once():
        assert get_setting("relay_limit_per_day") == 20
        set_setting("relay_limit_per_day", 3)  # the copy would still say 20
        assert get_setting("relay_limit_per_day") == 3
        with read_once():  # an inner block keeps the outer one's copy
            pass
        assert get_setting("relay_limit_per_day") == 3
    db.session.rollback()
    assert get_setting("relay_limit_per_day") == 20
