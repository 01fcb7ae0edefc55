"""The subscriber pages under load, side by side with a one-line Flask view.

    .venv/bin/python bench/bench_web.py [--duration 12] [--connections 32]
        [--database-url postgresql://postgres@127.0.0.1:5432/test]
        [--redis-url redis://127.0.0.1:6379/5] [--only landing,subscribe] [--keep]

Creates a database of its own next to --database-url (migrated, seeded with the starter
content, 300 active subscribers paired for this week's round, one pending signup),
flushes the Redis database, then starts two gunicorn servers with the same settings
(`-w 4`, sync workers): the app (PostgreSQL, Redis, production mode, rate limits off, as
real traffic comes from many addresses) and bench/bare_flask.py. Each endpoint gets a
short warm-up, then `wrk -tT -cC -dDs --latency`; bare Flask is measured before the first
row and after each, and each row's ratio is to the mean of the bare runs either side of
it. The POSTs do the real work: every POST /subscribe carries a valid CSRF token and
session cookie and a new address, so it stores a pending signup and queues a
confirmation email; every POST /a/<token> changes a learner's rating. After the run the
bench counts those rows; a row with any answer other than 2xx/3xx does not meet its goal.

Prints: endpoint, req/s, p50, p99, CPU/req (the gunicorn workers' CPU time per request,
read from /proc: the steadier figure when others load the machine), DB CPU (PostgreSQL's
CPU time per request: each statement also costs the database's share of the same cores;
every PostgreSQL process on the machine counts, so read it on an otherwise idle one), x
bare, goal, met; and the landing page's size. Four rows have no goal: the floor (bare
Flask and one SELECT), the two yardsticks (the one-click page and the signup as a plain
Flask app writes them, bare_flask.py says how) and GET /healthz, the app's cheapest view,
which shows what every page costs before it does anything. Servers and wrk:
bench/web_load.py; the table: bench/web_report.py.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bare_flask import create_signup_table, page_token, stored_signups  # noqa: E402
from bench_round import fresh_database, insert_subscribers, stop_processes  # noqa: E402
from web_load import (  # noqa: E402
    Endpoint,
    answer_lua,
    run_wrk,
    session_and_csrf,
    start_gunicorn,
    subscribe_lua,
    wait_until_up,
)
from web_report import ANSWER_PRESS, BARE_SIGNUP, report  # noqa: E402

from service.rounds.starter_content import THEMES  # noqa: E402

SUBSCRIBERS = 300
THEME_SLUGS = [t["slug"] for t in THEMES]  # what the signups post (and bare_flask offers)


# ------------------------------------------------------------------ the database


def prepare_database(app) -> dict:
    """Migrate, seed, add subscribers and pair this week's round. Returns the signed
    paths the bench requests."""
    from service.csrf import link_form_token
    from service.extensions import alembic, db
    from service.rounds.content import seed_content
    from service.rounds.models import Pairing
    from service.rounds.planning import ensure_paired
    from service.subscriptions.models import Status, Subscriber
    from service.tokens import make_token
    from service.weeks import current_week

    with app.app_context():
        alembic.upgrade()
        seed_content()
        insert_subscribers(SUBSCRIBERS)
        round_ = ensure_paired(current_week())
        pairings = db.session.scalars(
            sa.select(Pairing)
            .where(Pairing.round_id == round_.id, Pairing.giver_id.is_not(None))
            .order_by(Pairing.id)
        ).all()
        pending = db.session.scalar(sa.select(Subscriber).where(Subscriber.role == "learner"))
        pending.status = Status.PENDING
        pending.confirmed_at = None
        db.session.commit()
        active = pairings[0].learner_id
        answer_tokens = [make_token("answer", [p.id, p.learner_id, "rating"]) for p in pairings]
        with app.test_request_context():
            # The form token each rating page carries (service/csrf.py: derived from the link).
            answer_forms = {token: link_form_token(token) for token in answer_tokens}
        return {
            "answer_tokens": answer_tokens,
            "answer_forms": answer_forms,
            "outcome": f"/a/{make_token('answer', [pairings[0].id, active, 'outcome'])}?v=tried",
            "confirm": f"/c/{make_token('confirm', pending.id)}",
            "preferences": f"/p/{make_token('preferences', active)}",
            "unsubscribe": f"/u/{make_token('unsubscribe', active)}",
            # The same page in bare_flask.py, for the yardstick row.
            "bare_page": "/page/"
            + page_token(app.config["SECRET_KEY"], pairings[0].id, active, "outcome"),
        }


def count_work(app) -> dict:
    """Rows the POSTs wrote: pending signups, queued confirmations, changed ratings."""
    from service.extensions import db
    from service.mail.models import OutgoingEmail
    from service.rounds.models import Answer
    from service.subscriptions.models import Subscriber

    with app.app_context():
        counts = {
            "signups": db.session.scalar(
                sa.select(sa.func.count()).where(Subscriber.email.like("wrk-%"))
            ),
            "confirmations": db.session.scalar(
                sa.select(sa.func.count()).where(OutgoingEmail.kind == "confirm")
            ),
            "ratings": db.session.scalar(
                sa.select(sa.func.count()).where(Answer.question == "rating")
            ),
        }
        db.session.rollback()
        return counts


# ------------------------------------------------------------------ the run


def yardsticks(paths: dict, bare_base: str) -> list[Endpoint]:
    """Two pages as a plain Flask app writes them (bare_flask.py): what the stack allows."""
    cookie, csrf = session_and_csrf(bare_base, "/join")
    return [
        Endpoint("bare Flask one-click page (yardstick)", "GET", paths["bare_page"], 0.0),
        Endpoint(BARE_SIGNUP, "POST", "/subscribe", 0.0, subscribe_lua(cookie, csrf, THEME_SLUGS)),
    ]


def endpoints(paths: dict, app_base: str) -> list[Endpoint]:
    cookie, csrf = session_and_csrf(app_base, "/")
    return [
        # No goal: the app's cheapest view, what every page costs before it does anything.
        Endpoint("GET /healthz (no goal)", "GET", "/healthz", 0.0),
        Endpoint("GET / landing page", "GET", "/", 0.4),
        Endpoint("GET /a/<token> one-click page", "GET", paths["outcome"], 0.4),
        Endpoint(
            ANSWER_PRESS,
            "POST",
            "/a/",
            0.2,
            answer_lua(paths["answer_forms"]),
        ),
        Endpoint(
            "POST /subscribe", "POST", "/subscribe", 0.2, subscribe_lua(cookie, csrf, THEME_SLUGS)
        ),
        Endpoint("GET /c/<token> confirm page", "GET", paths["confirm"], 0.4),
        Endpoint("GET /p/<token> preference centre", "GET", paths["preferences"], 0.4),
        Endpoint("GET /u/<token> unsubscribe page", "GET", paths["unsubscribe"], 0.4),
    ]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=12)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/5")
    parser.add_argument("--only", default="", help="comma-separated words of endpoint names")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    from redis import Redis

    from service import create_app
    from service.extensions import db

    database_url, admin, db_name = fresh_database(args.database_url)
    redis = Redis.from_url(args.redis_url)
    redis.flushdb()
    workdir = Path(tempfile.mkdtemp(prefix="turnabout-bench-web-"))
    config = {
        "TURNABOUT_ENV": "production",
        "DATABASE_URL": database_url,
        "REDIS_URL": args.redis_url,
        "MAIL_BACKEND": "sendgrid",  # no worker runs: confirmations stay queued
        "SENDGRID_API_KEY": "bench-key",
        "SECRET_KEY": "bench-secret-" + "x" * 32,
        "BASE_URL": "https://turnabout.example",
        "TURNABOUT_INSTANCE": str(workdir),
    }
    app = create_app({**config, "INSTANCE_PATH": str(workdir)})
    servers: list[subprocess.Popen] = []
    try:
        paths = prepare_database(app)
        measured = serve_and_measure(args, app, paths, config, workdir, servers)
        report(args, *measured)
    finally:
        stop_processes(servers, timeout=15)
        with app.app_context():
            for engine in db.engines.values():
                engine.dispose()
        redis.flushdb()
        if not args.keep:
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)'))
        admin.dispose()


def serve_and_measure(args, app, paths: dict, config: dict, workdir: Path, servers: list):
    """Start both servers (added to `servers` for the caller to stop), run wrk against
    bare Flask, each chosen endpoint, bare Flask again. Returns what report() prints."""
    env = {**os.environ, **config, "PYTHONPATH": str(ROOT), "BARE_THEMES": ",".join(THEME_SLUGS)}
    app_port, bare_port = 18713, 18714
    app_target = "service:create_app({'RATELIMIT_ENABLED': False})"
    create_signup_table(config["DATABASE_URL"])  # the yardstick signup's own table
    servers.append(start_gunicorn(app_target, app_port, env, workdir / "app.log"))
    servers.append(start_gunicorn("bare_flask:app", bare_port, env, workdir / "bare.log"))
    app_base, bare_base = f"http://127.0.0.1:{app_port}", f"http://127.0.0.1:{bare_port}"
    wait_until_up(app_base + "/", servers[0], workdir / "app.log")
    wait_until_up(bare_base + "/", servers[1], workdir / "bare.log")
    landing_bytes = len(urllib.request.urlopen(app_base + "/").read())

    # The floor (bare Flask and one SELECT) first, then the app's endpoints; bare Flask runs
    # before the first and after each (print_table says why).
    floor = Endpoint("bare Flask + one SELECT (floor)", "GET", "/select", 0.0)
    chosen = (
        [(floor, bare_base, servers[1])]
        + [(e, bare_base, servers[1]) for e in yardsticks(paths, bare_base) if _wanted(e, args)]
        + [(e, app_base, servers[0]) for e in endpoints(paths, app_base) if _wanted(e, args)]
    )
    bare = Endpoint("bare GET /", "GET", "/", 1.0)
    run_wrk(bare_base, bare, args, workdir, args.warmup)
    bares = [run_wrk(bare_base, bare, args, workdir, args.duration, servers[1])]
    before = {**count_work(app), "bare signups": stored_signups(config["DATABASE_URL"])}
    rows = []
    for endpoint, base, server in chosen:
        if endpoint.method == "GET":  # POSTs warm up on the GETs of the same views
            run_wrk(base, endpoint, args, workdir, args.warmup)
        rows.append((endpoint, run_wrk(base, endpoint, args, workdir, args.duration, server)))
        bares.append(run_wrk(bare_base, bare, args, workdir, args.duration, servers[1]))
    after = {**count_work(app), "bare signups": stored_signups(config["DATABASE_URL"])}
    return bares, rows, landing_bytes, before, after


def _wanted(endpoint: Endpoint, args) -> bool:
    return not args.only or any(word in endpoint.name for word in args.only.split(","))


if __name__ == "__main__":
    main()
