"""End-to-end benchmark of one weekly round: pairing, queueing, rendering and handing
every challenge email to a local SendGrid-compatible HTTP server, with real rq workers
and real Redis and PostgreSQL.

    .venv/bin/python bench/bench_round.py [--subscribers 10000] [--workers 2]
        [--database-url postgresql://postgres@127.0.0.1:5432/test]
        [--redis-url redis://127.0.0.1:6379/14] [--simple] [--keep] [--german-share 0.5]

It creates a fresh database of its own next to --database-url (dropped at the end unless
--keep), flushes the Redis database, inserts N subscribers (half learners, half
tip-givers, 6 themes, 200 teams, 6 timezones, --german-share of them reading German, so
a round renders one group per kind and language), starts N `turnabout worker` processes
(MAIL_BACKEND=sendgrid, SENDGRID_API_HOST pointed at a threaded HTTP server in this
process that answers 202), then runs `send_round` for the current week and waits until
every email row is sent. Prints wall time per phase, emails per second and the peak RSS
of each process. Asserts nothing but that every email went out.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TIMEZONES = (
    "Europe/Berlin",
    "Europe/London",
    "America/New_York",
    "America/Los_Angeles",
    "Asia/Kolkata",
    "Australia/Sydney",
)


class SendGridStub(BaseHTTPRequestHandler):
    """POST /v3/mail/send -> 202, counting requests and personalizations.

    HTTP/1.1, as SendGrid's API: the transport keeps its connection between sends. On
    HTTP/1.0 every send opened a connection and a thread here, CPU taken from the
    workers being measured (the real API runs elsewhere)."""

    protocol_version = "HTTP/1.1"

    requests = 0
    personalizations = 0
    lock = threading.Lock()

    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        count = len(json.loads(body).get("personalizations", []))
        with self.lock:
            SendGridStub.requests += 1
            SendGridStub.personalizations += count
        self.send_response(202)
        self.send_header("X-Message-Id", secrets.token_hex(8))
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def start_stub() -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", 0), SendGridStub)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def fresh_database(base_url: str) -> tuple[str, sa.Engine, str]:
    base = sa.make_url(base_url).set(drivername="postgresql+psycopg")
    name = f"turnabout_bench_{os.getpid()}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    return base.set(database=name).render_as_string(hide_password=False), admin, name


def insert_subscribers(n: int, german_share: float = 0.5) -> None:
    """Set-based: one INSERT for the people, one for their themes."""
    from service.database import utcnow
    from service.extensions import db
    from service.rounds.models import Theme
    from service.subscriptions.models import Subscriber, subscriber_themes

    rng = random.Random(7)
    theme_ids = list(db.session.scalars(sa.select(Theme.id)))
    now = utcnow()
    rows = [
        {
            "email": f"person{i}@bench.example",
            "name": f"Person{i} Bench",
            "role": "learner" if i % 2 == 0 else "giver",
            "timezone": rng.choice(TIMEZONES),
            "language": "de" if rng.random() < german_share else "en",
            "team": f"team{rng.randrange(200)}",
            "about": "Works on things that matter",
            "status": "active",
            "source": "import",
            "created_at": now,
            "confirmed_at": now,
        }
        for i in range(n)
    ]
    for start in range(0, n, 10000):
        db.session.execute(sa.insert(Subscriber), rows[start : start + 10000])
    ids = list(db.session.scalars(sa.select(Subscriber.id)))
    links = [
        {"subscriber_id": sid, "theme_id": tid}
        for sid in ids
        for tid in rng.sample(theme_ids, rng.randint(1, 3))
    ]
    for start in range(0, len(links), 20000):
        db.session.execute(sa.insert(subscriber_themes), links[start : start + 20000])
    db.session.commit()


def peak_rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


class RssWatch(threading.Thread):
    """Samples the peak RSS of each worker and of its short-lived work horses."""

    def __init__(self, pids: list[int]):
        super().__init__(daemon=True)
        self.pids = pids
        self.workers = dict.fromkeys(pids, 0.0)
        self.horses = dict.fromkeys(pids, 0.0)
        self.stop = threading.Event()

    def run(self):
        while not self.stop.is_set():
            for pid in self.pids:
                self.workers[pid] = max(self.workers[pid], peak_rss_mb(pid))
                for child in children(pid):
                    self.horses[pid] = max(self.horses[pid], peak_rss_mb(child))
            time.sleep(0.2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--simple", action="store_true", help="workers run jobs in-process")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    parser.add_argument(
        "--german-share",
        type=float,
        default=0.5,
        help="share of subscribers who read German (0 = everyone English)",
    )
    args = parser.parse_args()

    from redis import Redis

    from service import create_app
    from service.database import Model
    from service.extensions import db
    from service.mail.models import EmailState, OutgoingEmail
    from service.rounds.models import Pairing

    phases: dict[str, float] = {}
    load_at_start = " ".join(f"{x:.1f}" for x in os.getloadavg())
    database_url, admin, db_name = fresh_database(args.database_url)
    Redis.from_url(args.redis_url).flushdb()
    stub = start_stub()
    instance = tempfile.mkdtemp(prefix="turnabout-bench-")
    config = {
        "DATABASE_URL": database_url,
        "REDIS_URL": args.redis_url,
        "MAIL_BACKEND": "sendgrid",
        "SENDGRID_API_KEY": "bench-key",
        "SENDGRID_API_HOST": f"http://127.0.0.1:{stub.server_port}",
        "SECRET_KEY": "bench-secret-" + "x" * 32,
        "BASE_URL": "https://turnabout.example",
        "MAIL_FROM": "Turnabout <hello@turnabout.example>",
        "INBOUND_DOMAIN": "reply.turnabout.example",
    }
    app = create_app({**config, "INSTANCE_PATH": instance})
    workers: list[subprocess.Popen] = []
    try:
        with app.app_context():
            t = time.perf_counter()
            Model.metadata.create_all(db.engine)
            from service.rounds.content import seed_content

            seed_content()
            insert_subscribers(args.subscribers, args.german_share)
            phases["setup: schema, content, subscribers"] = time.perf_counter() - t

        env = {**os.environ, **config, "TURNABOUT_INSTANCE": instance, "PYTHONPATH": str(ROOT)}
        command = [sys.executable, "-m", "service", "worker"] + (
            ["--simple"] if args.simple else []
        )
        for _ in range(args.workers):
            workers.append(
                subprocess.Popen(
                    command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
                )
            )
        watch = RssWatch([w.pid for w in workers])
        watch.start()
        time.sleep(2.0)  # workers import and connect before the clock starts

        with app.app_context():
            from service.rounds.dispatch import send_round
            from service.rounds.planning import ensure_paired
            from service.weeks import current_week

            week = current_week()
            start = time.perf_counter()
            ensure_paired(week)
            paired = time.perf_counter()
            report = send_round(week, fan_out=True)  # what dispatch_due does for big rounds
            expected = db.session.scalar(
                sa.select(sa.func.count(Pairing.id)).where(Pairing.giver_id.is_not(None))
            ) * 2 + db.session.scalar(
                sa.select(sa.func.count(Pairing.id)).where(Pairing.giver_id.is_(None))
            )
            queued = None
            while True:
                if (
                    queued is None
                    and db.session.scalar(sa.select(sa.func.count(OutgoingEmail.id))) >= expected
                ):
                    queued = time.perf_counter()
                sent, failed = db.session.execute(
                    sa.select(
                        sa.func.count().filter(OutgoingEmail.state == EmailState.SENT),
                        sa.func.count().filter(OutgoingEmail.state == EmailState.FAILED),
                    )
                ).one()
                db.session.rollback()
                if sent + failed >= expected:
                    break
                if any(w.poll() is not None for w in workers):
                    raise SystemExit("a worker exited; run it by hand to see why")
                time.sleep(0.25)
            done = time.perf_counter()
        watch.stop.set()
        watch.join()

        phases["pairing (gather, engine, store pairs)"] = paired - start
        phases["queue: slice jobs on the workers, all rows in"] = queued - paired
        phases["delivery tail after the last row was queued"] = done - queued
        phases["round total: pairing to last email handed over"] = done - start
        handover = done - paired
        print(
            f"\nRound of {args.subscribers:,} subscribers ({args.german_share:.0%} German), "
            f"{args.workers} workers{' (--simple)' if args.simple else ''}, "
            f"{os.cpu_count()} CPUs, load average at the start {load_at_start}"
        )
        for name, seconds in phases.items():
            print(f"  {name:<52} {seconds:8.2f} s")
        print(
            f"  emails expected {expected:,} ({report.challenges.slices} slice jobs), "
            f"sent {sent:,}, failed {failed:,}"
        )
        print(
            f"  HTTP requests {SendGridStub.requests:,}, personalizations "
            f"{SendGridStub.personalizations:,}"
        )
        print(f"  emails/second, queue start to last handed over: {expected / handover:,.0f}")
        print(
            f"  emails/second, pairing start to last handed over: {expected / (done - start):,.0f}"
        )
        print(
            f"  peak RSS bench process (pairing, queueing, HTTP stub): "
            f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
        )
        for pid in watch.pids:
            print(
                f"  peak RSS worker {pid}: {watch.workers[pid]:.0f} MB, "
                f"its largest work horse: {watch.horses[pid]:.0f} MB"
            )
        if sent != expected:
            raise SystemExit(f"only {sent} of {expected} emails were sent")
    finally:
        stop_processes(workers, timeout=10)
        stub.shutdown()
        # The workers have exited and were waited for: their CPU time (with their work
        # horses') is the figure that holds on a busy machine.
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        print(f"  CPU time of the workers: {children.ru_utime + children.ru_stime:.1f} s")
        with app.app_context():
            for engine in db.engines.values():
                engine.dispose()
        if not args.keep:
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)'))
        admin.dispose()


def stop_processes(processes: list[subprocess.Popen], timeout: float) -> None:
    """SIGTERM to all, then SIGKILL to any still running `timeout` seconds later."""
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()


if __name__ == "__main__":
    main()
