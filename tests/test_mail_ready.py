"""deliver_soon: a committed row's id on a list, one drain job for all of them, delivery
jobs (with their retries) from the drain; a lost drain job holds ids up only until its
flag expires."""

from __future__ import annotations

from rq import Queue

from service.extensions import db
from service.mail import ready
from service.mail.delivery import delivered_here
from service.mail.emails import mail_check
from service.mail.models import EmailState, OutgoingEmail
from service.queues import MAIL


def committed_rows(count: int) -> list[int]:
    """Queued rows with no delivery job of their own."""
    with delivered_here():
        rows = [mail_check(key=f"t:ready:{n}", to=f"r{n}@example.org") for n in range(count)]
    db.session.commit()
    return [row.id for row in rows]


def jobs_waiting(redis) -> list[str]:
    return [job.func_name for job in Queue(MAIL, connection=redis).get_jobs()]


def test_ids_pushed_meanwhile_share_one_drain_job(ctx, redis, run_jobs, outbox):
    ids = committed_rows(3)
    for email_id in ids:
        ready.deliver_soon(email_id)
    assert jobs_waiting(redis) == ["service.mail.ready.drain_ready"]
    assert [int(i) for i in redis.lrange(ready.READY, 0, -1)] == ids
    run_jobs()
    assert len(outbox) == 3 and redis.llen(ready.READY) == 0
    db.session.expire_all()
    assert {db.session.get(OutgoingEmail, i).state for i in ids} == {EmailState.SENT}
    ready.deliver_soon(ids[0])  # after a drain, the next id brings a new drain job
    assert jobs_waiting(redis) == ["service.mail.ready.drain_ready"]
    run_jobs()
    assert len(outbox) == 3  # an id drained twice sends nothing more


def test_the_drain_hands_ids_on_in_batches(ctx, redis, monkeypatch):
    monkeypatch.setattr(ready, "BATCH", 2)
    for email_id in range(1, 6):
        redis.rpush(ready.READY, email_id)
    assert ready.drain_ready() == 5
    assert jobs_waiting(redis) == ["service.mail.delivery.deliver_emails"] * 3
    assert [job.args for job in Queue(MAIL, connection=redis).get_jobs()] == [
        ([1, 2],),
        ([3, 4],),
        ([5],),
    ]


def test_a_lost_drain_job_holds_ids_up_only_until_its_flag_expires(ctx, redis, run_jobs, outbox):
    first, second = committed_rows(2)
    redis.set(ready.DRAIN_PENDING, 1, ex=ready.PENDING_SECONDS)  # its job never arrived
    ready.deliver_soon(first)
    assert jobs_waiting(redis) == []
    assert 0 < redis.ttl(ready.DRAIN_PENDING) <= ready.PENDING_SECONDS
    redis.delete(ready.DRAIN_PENDING)  # as when it expires
    ready.deliver_soon(second)
    run_jobs()
    assert sorted(str(m["To"]) for m in outbox.messages()) == [
        "r0@example.org",
        "r1@example.org",
    ]


def test_a_server_that_does_not_know_the_script_still_gets_the_id_and_the_flag(
    ctx, redis, monkeypatch
):
    # (SCRIPT FLUSH would empty the shared server's scripts for everyone: a name it
    # cannot know stands in for a new server)
    sha = ready._PUSH_AND_FLAG_SHA
    monkeypatch.setattr(ready, "_PUSH_AND_FLAG_SHA", "0" * 40)
    ready.deliver_soon(7)
    assert jobs_waiting(redis) == ["service.mail.ready.drain_ready"]
    monkeypatch.setattr(ready, "_PUSH_AND_FLAG_SHA", sha)
    assert redis.script_load(ready._PUSH_AND_FLAG) == ready._PUSH_AND_FLAG_SHA
    ready.deliver_soon(8)  # by its name now; the flag is set: no second drain job
    assert jobs_waiting(redis) == ["service.mail.ready.drain_ready"]
    assert [int(i) for i in redis.lrange(ready.READY, 0, -1)] == [7, 8]
    assert 0 < redis.ttl(ready.DRAIN_PENDING) <= ready.PENDING_SECONDS
