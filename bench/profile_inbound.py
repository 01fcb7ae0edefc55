"""Where a reply's time goes, in-process: the webhook view (through Flask's test client)
and the inbound job (process_stored, run in this process), each as CPU per reply, SQL
statements per reply and, with --profile, a pyinstrument call tree. The companion of
bench_inbound.py (which says how fast under gunicorn and rq; this says why).

    .venv/bin/python bench/profile_inbound.py [--replies 1000] [--rounds 3]
        [--profile web|job] [--sql] [--redis-url redis://127.0.0.1:6379/12]

Builds the same database as bench_inbound.py (a fresh PostgreSQL database next to
--database-url, this week's round paired and its challenge emails sent through a local
SendGrid stand-in), then in each round posts REPLIES realistic replies (both sides of
each pair, as bench_inbound.py writes them) and processes them. The least of the rounds is
reported, figure by figure: other engineers' work moves single rounds on a shared machine.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp(prefix="profile-metrics-"))

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_inbound import INBOUND_DOMAIN, SECRET, build_replies  # noqa: E402
from bench_round import fresh_database, insert_subscribers, start_stub  # noqa: E402


def statement_kinds(statements: list[str]) -> str:
    kinds = Counter(s.split(None, 1)[0].upper() for s in statements)
    return ", ".join(f"{n} {k}" for k, n in kinds.most_common())


def postgres_cpu(app) -> float:
    """CPU seconds used so far by the PostgreSQL backends serving this database (they
    run on the same cores: a statement saved in Python is saved there too)."""
    from bench_inbound import cpu_of

    from service.extensions import db

    with app.app_context():
        pids = db.session.scalars(
            sa.text("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
        ).all()
        db.session.rollback()
    return sum(cpu_of(pid) for pid in pids)


def run_round(app, replies: int, args) -> tuple[float, float, list, list]:
    """Post `replies` replies, then process them: (web CPU s, job CPU s, web SQL, job SQL,
    PostgreSQL CPU s for both)."""
    from sqlalchemy import event

    from service.extensions import db
    from service.inbound.batch import process_stored
    from service.inbound.models import InboundMessage, InboundState

    with app.app_context():
        posts = build_replies(replies)
        db.session.rollback()
        engine = db.engine
    client = app.test_client()
    seen: list[str] = []

    def listener(_conn, _cursor, statement, *_args):
        seen.append(statement)

    profiler = _profiler(args)
    pg_before = postgres_cpu(app)
    event.listen(engine, "before_cursor_execute", listener)
    try:
        start = time.process_time()
        with _profiling(profiler, args.profile == "web"):
            for _, body, content_type in posts:
                answer = client.post(
                    f"/webhooks/inbound/{SECRET}", data=body, content_type=content_type
                )
                assert answer.status_code == 200, answer.get_data(as_text=True)
        web_cpu, web_sql, seen[:] = time.process_time() - start, list(seen), []
        with app.app_context():
            start = time.process_time()
            with _profiling(profiler, args.profile == "job"):
                while db.session.scalar(
                    sa.select(sa.func.count()).where(InboundMessage.state == InboundState.STORED)
                ):
                    db.session.rollback()
                    process_stored()
            job_cpu = time.process_time() - start
            job_sql = list(seen)
            db.session.rollback()
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    if profiler is not None:
        print(profiler.output_text(unicode=True, color=False, show_all=args.all))
    return web_cpu, job_cpu, web_sql, job_sql, postgres_cpu(app) - pg_before


def _profiler(args):
    if not args.profile:
        return None
    if args.cprofile:
        return _CProfile(args.cprofile)
    from pyinstrument import Profiler

    return Profiler(interval=0.0005)


class _CProfile:
    """cProfile's flat view: the functions that cost the most in themselves."""

    def __init__(self, lines: int):
        import cProfile

        # CPU time, not wall time: waiting for PostgreSQL costs this process nothing.
        self.profile, self.lines = cProfile.Profile(time.process_time), lines

    def start(self):
        self.profile.enable()

    def stop(self):
        self.profile.disable()

    def output_text(self, **_options) -> str:
        import io
        import pstats

        out = io.StringIO()
        stats = pstats.Stats(self.profile, stream=out)
        stats.sort_stats("tottime").print_stats(self.lines)
        stats.sort_stats("cumulative").print_stats(self.lines)
        return out.getvalue()


class _profiling:
    def __init__(self, profiler, on: bool):
        self.profiler, self.on = profiler, on and profiler is not None

    def __enter__(self):
        if self.on:
            self.profiler.start()

    def __exit__(self, *exc):
        if self.on:
            self.profiler.stop()


def setup(args):
    from redis import Redis

    from service import create_app
    from service.database import Model
    from service.extensions import db
    from service.jobs import build_worker
    from service.logs import configure_logging
    from service.rounds.content import seed_content
    from service.rounds.dispatch import send_round
    from service.weeks import current_week

    configure_logging(stream=open(os.devnull, "w"))  # noqa: SIM115  (as long as the run)
    database_url, admin, db_name = fresh_database(args.database_url)
    Redis.from_url(args.redis_url).flushdb()
    stub = start_stub()
    app = create_app(
        {
            "INSTANCE_PATH": tempfile.mkdtemp(prefix="turnabout-profile-inbound-"),
            "TURNABOUT_ENV": "production",
            "DATABASE_URL": database_url,
            "REDIS_URL": args.redis_url,
            "RATELIMIT_STORAGE_URI": args.redis_url,
            "MAIL_BACKEND": "sendgrid",
            "SENDGRID_API_KEY": "profile-key",
            "SENDGRID_API_HOST": f"http://127.0.0.1:{stub.server_port}",
            "SECRET_KEY": "profile-secret-" + "x" * 32,
            "BASE_URL": "https://turnabout.example",
            "MAIL_FROM": "Turnabout <hello@turnabout.example>",
            "INBOUND_DOMAIN": INBOUND_DOMAIN,
            "INBOUND_SECRET": SECRET,
        }
    )
    with app.app_context():
        Model.metadata.create_all(db.engine)
        seed_content()
        insert_subscribers(args.replies + args.replies % 2)
        send_round(current_week())
        db.session.commit()
    build_worker(app, simple=True).work(burst=True)  # the challenge emails: thread roots
    return app, admin, db_name, stub


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--replies", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3, help="report the least of these")
    parser.add_argument("--profile", choices=("web", "job"), help="print a pyinstrument tree")
    parser.add_argument("--all", action="store_true", help="show library frames in the tree")
    parser.add_argument(
        "--cprofile", type=int, metavar="LINES", help="with --profile: cProfile's top LINES"
    )
    parser.add_argument("--sql", action="store_true", help="print one reply's statements")
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/12")
    args = parser.parse_args()
    logging.getLogger("alembic").setLevel(logging.WARNING)

    app, admin, db_name, stub = setup(args)
    rounds = []
    try:
        print(f"load average {os.getloadavg()[0]:.1f} at start; {args.replies} replies a round")
        for n in range(args.rounds):
            result = run_round(app, args.replies, args)
            web, job, pg = (result[i] / args.replies * 1000 for i in (0, 1, 4))
            print(
                f"  round {n + 1}: web {web:.2f} ms, job {job:.2f} ms, "
                f"PostgreSQL {pg:.2f} ms CPU per reply"
            )
            rounds.append((web, job, result[2], result[3], pg))
        # Each figure the least of the rounds: other work on the machine only adds.
        web, job, pg = (min(r[i] for r in rounds) for i in (0, 1, 4))
        web_sql, job_sql = rounds[0][2], rounds[0][3]
        per_reply = args.replies
        print(f"least: webhook {web:.2f} ms CPU per reply, {len(web_sql) / per_reply:.1f} SQL")
        print(f"  ({statement_kinds(web_sql)})")
        print(f"least: inbound job {job:.2f} ms CPU per reply, {len(job_sql) / per_reply:.1f} SQL")
        print(f"  ({statement_kinds(job_sql)})")
        print(f"least: PostgreSQL {pg:.2f} ms CPU per reply (its backends, webhook and job)")
        if args.sql:
            for statement in job_sql[:60]:
                print("   ", " ".join(statement.split())[:220])
        print(f"load average {os.getloadavg()[0]:.1f} at the end")
    finally:
        stub.shutdown()
        with app.app_context():
            from service.extensions import db

            for engine in db.engines.values():
                engine.dispose()
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
