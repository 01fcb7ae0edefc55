"""The hostile-input pass of bench/bench_inbound.py (issue 10, section 2).

Posts the seeded hostile inputs of tests/hostile_inbound.py (the families of the issue's
table, random bytes, truncated multipart, odd charsets, ...) to the running gunicorn,
waits until the workers have processed every stored one, and prints the answers, the
failures, the rate and the slowest job (read from rq's registries). bench_inbound.py adds
the peak worker memory to the table, as for every pass. The one-second bound per message
is asserted by tests/test_inbound_bounds_fuzz.py (one worker, so it can be measured).

    .venv/bin/python bench/bench_inbound.py --only "hostile inputs" [--hostile 600]
"""

from __future__ import annotations

import http.client
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from hostile_inbound import INBOUND, Addresses, hostile_posts, job_durations  # noqa: E402

SEED = 20261206


def reply_addresses(app, limit: int = 40) -> Addresses:
    """Reply addresses of the round the bench sent, and their owners."""
    from service.extensions import db
    from service.rounds.models import Pairing
    from service.subscriptions.models import Subscriber

    domain = app.config["INBOUND_DOMAIN"]
    rows = db.session.execute(
        sa.select(Pairing.learner_key, Subscriber.email)
        .join(Subscriber, Subscriber.id == Pairing.learner_id)
        .limit(limit)
    ).all()
    return Addresses(
        replies=[f"reply+{key}@{domain}" for key, _ in rows],
        senders=[email for _, email in rows],
        domain=domain,
    )


def post_each(url: tuple[str, int], path: str, posts, concurrency: int) -> Counter:
    """POST every hostile input; returns (family, status) counts (0: no answer)."""

    def one(post):
        conn = http.client.HTTPConnection(*url, timeout=120)
        try:
            conn.request("POST", path, post.body, {"Content-Type": post.content_type})
            response = conn.getresponse()
            response.read()
            return post.family, response.status
        except (OSError, http.client.HTTPException):
            return post.family, 0
        finally:
            conn.close()

    with ThreadPoolExecutor(concurrency) as pool:
        return Counter(pool.map(one, posts))


def hostile_pass(bench, row, wait_processed, secret: str) -> list:
    """Rows for bench_inbound's table: `row` is its Row class, `wait_processed` its wait
    for the workers, `secret` the webhook's secret (passed in: that file runs as
    __main__, so importing it from here would load it a second time)."""
    from service.extensions import db
    from service.inbound.models import InboundMessage
    from service.queues import ALL_QUEUES, get_queue
    from service.redis_conn import get_redis

    count = getattr(bench.args, "hostile", 600)
    with bench.app.app_context():
        where = reply_addresses(bench.app)
        before = db.session.scalar(sa.select(sa.func.count(InboundMessage.id)))
        db.session.rollback()
    posts = [post for post in hostile_posts(SEED, count, where) if post.target == INBOUND]
    start = time.time()
    statuses = post_each(bench.web_url, f"/webhooks/inbound/{secret}", posts, 4)
    with bench.app.app_context():
        stored = db.session.scalar(sa.select(sa.func.count(InboundMessage.id))) - before
        outcome = wait_processed(bench, before + stored)
        times = job_durations([get_queue(q) for q in ALL_QUEUES], get_redis(), start)
    seconds = time.time() - start
    slowest = times[0] if times else (0.0, "-", ())
    errors = sum(n for (_, status), n in statuses.items() if status >= 500 or status == 0)
    return [
        row("hostile inputs posted / stored", f"{sum(statuses.values()):,} / {stored:,}"),
        row("answers 5xx or none", f"{errors:,}", "0", errors == 0),
        row("inbound messages failed", f"{outcome.failed:,}", "0", outcome.failed == 0),
        row("posted and processed per second", f"{stored / seconds:,.1f}"),
        # A job takes messages for up to 10 s (service.inbound.batch); the per-message
        # bound of one second is asserted by tests/test_inbound_bounds_fuzz.py.
        row("slowest job", f"{slowest[0]:.2f} s {slowest[1]}", "< 60 s", slowest[0] < 60),
    ]
