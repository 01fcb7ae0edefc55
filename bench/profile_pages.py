"""Where a subscriber page spends its time, in-process: CPU per request, the SQL it runs,
and with --profile a pyinstrument call tree. The companion of bench_web.py (which says how
fast; this says why).




Builds the same database as bench_web.py (PostgreSQL next to --database-url, Redis
database --redis-url flushed) and drives the app with Flask's test client, set up as under
gunicorn: Prometheus multiprocess mode and a JSON log line per request (to /dev/null).
The `bare` line is bench/bare_flask.py through the same test client, `healthz` the app's
cheapest view (what every request costs before its page does anything). The "x bare"
ratio is in-process only: under gunicorn and wrk each request also costs the server and
the client about 0.35 ms here, added to both sides, so bench_web.py's ratios are higher.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp(prefix="profile-metrics-"))

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_round import fresh_database  # noqa: E402
from bench_web import prepare_database  # noqa: E402

PAGES = (
    "bare",
    "healthz",
    "landing",
    "outcome",
    "answer",
    "subscribe",
    "confirm",
    "preferences",
    "unsubscribe",
)


class Pages:
    """One request to each page, as a browser with a session makes it."""

    def __init__(self, app, paths: dict):
        from service.rounds.starter_content import THEMES

        self.paths, self.theme, self.count = paths, THEMES[0]["slug"], 0
        self.client = app.test_client()
        # GETs and the one-click answer carry no cookie, as wrk's in bench_web.py (those
        # pages set none); the signup carries the session the landing page gave.
        self.reader = app.test_client(use_cookies=False)
        # The test client speaks https here (BASE_URL), so CSRF also checks the Referer.
        self.headers = {"Referer": "https://localhost/"}
        self.csrf = self._csrf("/")
        from bare_flask import app as bare_app

        self.bare = bare_app.test_client()

    def _csrf(self, path: str) -> str:
        html = self.client.get(path).get_data(as_text=True)
        return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)

    def request(self, page: str):
        self.count += 1
        if page == "bare":
            return self.bare.get("/")
        if page == "healthz":
            return self.reader.get("/healthz")
        if page == "landing":
            return self.reader.get("/")
        if page == "answer":  # as from the rating page: its link's form token, no cookie
            tokens = self.paths["answer_tokens"]
            token = tokens[self.count % len(tokens)]
            form = {
                "csrf_token": self.paths["answer_forms"][token],
                "value": str(self.count % 5 + 1),
                "comment": "",
            }
            return self.reader.post(f"/a/{token}", data=form, headers=self.headers)
        if page == "subscribe":
            form = {
                "csrf_token": self.csrf,
                "email": f"profile-{self.count}-{time.time_ns()}@example.org",
                "name": "Profile",
                "role": "learner",
                "themes": [self.theme],
                "timezone": "Europe/Berlin",
            }
            return self.client.post("/subscribe", data=form, headers=self.headers)
        return self.reader.get(self.paths[page])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", nargs="*", default=list(PAGES))
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3, help="report the best of these")
    parser.add_argument("--profile", action="store_true", help="print a pyinstrument tree")
    parser.add_argument("--sql", action="store_true", help="print each statement")
    parser.add_argument("--all", action="store_true", help="show library frames in the tree")
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/5")
    args = parser.parse_args()

    from redis import Redis

    from service import create_app
    from service.extensions import db
    from service.logs import configure_logging

    configure_logging(stream=open(os.devnull, "w"))  # noqa: SIM115  (lives as long as the run)
    logging.getLogger("alembic").setLevel(logging.WARNING)

    database_url, admin, db_name = fresh_database(args.database_url)
    redis = Redis.from_url(args.redis_url)
    redis.flushdb()
    app = create_app(
        {
            "TURNABOUT_ENV": "production",
            "DATABASE_URL": database_url,
            "REDIS_URL": args.redis_url,
            "MAIL_BACKEND": "sendgrid",
            "SENDGRID_API_KEY": "profile-key",
            "SECRET_KEY": "profile-secret-" + "x" * 32,
            "BASE_URL": "https://turnabout.example",
            "RATELIMIT_ENABLED": False,
            "INSTANCE_PATH": tempfile.mkdtemp(prefix="turnabout-profile-"),
        }
    )
    try:
        pages = Pages(app, prepare_database(app))
        statements: list[str] = []
        with app.app_context():
            engine = db.engine
        sa.event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
        bare_cpu = None
        for page in args.pages:
            cpu = profile_page(pages, page, statements, args, bare_cpu)
            bare_cpu = cpu if page == "bare" else bare_cpu
    finally:
        with app.app_context():
            db.engine.dispose()
        redis.flushdb()
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)'))
        admin.dispose()


def profile_page(pages: Pages, page: str, statements: list[str], args, bare_cpu) -> float:
    for _ in range(10):  # warm: templates compiled, statements prepared, copies filled
        pages.request(page)
    statements.clear()
    response = pages.request(page)
    if response.status_code not in (200, 302):
        raise SystemExit(f"{page}: HTTP {response.status_code}")
    sql = list(statements)
    cpu, wall = float("inf"), float("inf")
    for _ in range(args.rounds):  # the best round: other engineers load this machine
        started, cpu_started = time.perf_counter(), time.process_time()
        for _ in range(args.requests):
            pages.request(page)
        wall = min(wall, (time.perf_counter() - started) / args.requests * 1000)
        cpu = min(cpu, (time.process_time() - cpu_started) / args.requests * 1000)
    ratio = f", {bare_cpu / cpu:4.2f}x bare" if bare_cpu else ""
    print(
        f"{page:<12} {cpu:6.2f} ms CPU, {wall:6.2f} ms wall per request, "
        f"{len(sql)} statements{ratio}"
    )
    if args.sql:
        for statement in sql:
            print("    " + " ".join(statement.split())[:160])
    if args.profile:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0002)
        profiler.start()
        for _ in range(args.requests):
            pages.request(page)
        profiler.stop()
        print(profiler.output_text(unicode=False, color=False, show_all=args.all))
    return cpu


if __name__ == "__main__":
    main()
