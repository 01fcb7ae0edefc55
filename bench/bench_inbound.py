"""End-to-end benchmark of the inbound path: replies posted to the Inbound Parse webhook
(gunicorn), processed by rq workers, relayed to the partner through a local
SendGrid-compatible HTTP server, on real PostgreSQL and Redis.

    .venv/bin/python bench/bench_inbound.py [--replies 2000] [--concurrency 16]
        [--web-workers N] [--workers 2]
        [--database-url postgresql://postgres@127.0.0.1:5432/test]
        [--redis-url redis://127.0.0.1:6379/14] [--hostile 600] [--keep]

It creates a fresh database next to --database-url (dropped at the end unless --keep),
flushes the Redis database, subscribes replies/2 learners and as many tip-givers, pairs
them in this week's round and sends the round's challenge emails (the threads the
replies answer). Then each pass runs against gunicorn as deployed (`gunicorn.conf.py`:
2 x CPUs + 1 sync workers, 5 here; --web-workers N to change it) with WORKERS `turnabout
worker` processes listening, and prints its rows: measured value, goal, met or not. A
pass is a function taking the Bench and returning rows; add one to PASSES.

The realistic pass posts both sides of every pair (a reply to the challenge email, as a
mail client writes it: plain and HTML parts, the quoted challenge below) CONCURRENCY at a
time, in raw mode with a passing SPF/DKIM verdict, while the workers run. Asserts nothing
but that it finished: the table says which goals are met.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_inbound_hostile import hostile_pass  # noqa: E402
from bench_round import (  # noqa: E402
    RssWatch,
    children,
    fresh_database,
    insert_subscribers,
    start_stub,
    stop_processes,
)

SECRET = "bench-inbound-secret"
INBOUND_DOMAIN = "reply.turnabout.example"
WAIT_LIMIT = 1800  # seconds a pass may take before it gives up


@dataclass
class Row:
    """One line of the table."""

    metric: str
    value: str
    goal: str = ""
    met: bool | None = None  # None: informative, no goal


@dataclass
class Bench:
    app: object
    web_url: tuple[str, int]
    web: subprocess.Popen
    workers: list[subprocess.Popen]
    rss: RssWatch
    args: argparse.Namespace
    notes: list[str] = field(default_factory=list)

    def cpu_seconds(self) -> tuple[float, float]:
        """CPU used so far by the web processes and by the workers (their work horses
        included): what a reply costs, whatever else the machine is doing."""
        web = sum(cpu_of(pid) for pid in [self.web.pid, *children(self.web.pid)])
        return web, sum(cpu_of(w.pid, with_children=True) for w in self.workers)


def cpu_of(pid: int, with_children: bool = False) -> float:
    """utime + stime (+ cutime + cstime: children waited for, rq's work horses)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    ticks = int(fields[11]) + int(fields[12])
    if with_children:
        ticks += int(fields[13]) + int(fields[14])
    return ticks / os.sysconf("SC_CLK_TCK")


# ------------------------------------------------------------------ posting


def multipart(fields: dict[str, bytes]) -> tuple[bytes, str]:
    """multipart/form-data as SendGrid posts it (boundary xYzZY, fields as raw bytes)."""
    boundary = "xYzZY"
    parts = []
    for name, value in fields.items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        parts.append(head.encode() + value + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def raw_post(message: bytes, *, to: str, sender: str) -> tuple[bytes, str]:
    """The fields of a raw-mode Inbound Parse POST with a passing verdict."""
    domain = sender.rsplit("@", 1)[1]
    return multipart(
        {
            "email": message,
            "to": to.encode(),
            "from": sender.encode(),
            "subject": b"Re: This week's challenge",
            "envelope": f'{{"to":["{to}"],"from":"{sender}"}}'.encode(),
            "SPF": b"pass",
            "dkim": f"{{@{domain} : pass}}".encode(),
            "spam_score": b"0.1",
            "sender_ip": b"209.85.220.41",
            "charsets": b'{"to":"UTF-8","from":"UTF-8","subject":"UTF-8"}',
        }
    )


@dataclass
class Sent:
    message_id: str
    started: float  # time.time() when the POST began
    seconds: float  # until the answer arrived
    status: int


def post_all(url: tuple[str, int], posts: list[tuple[str, bytes, str]], concurrency: int):
    """POST every (message_id, body, content_type) CONCURRENCY at a time; returns Sents.

    An asyncio client writing prebuilt requests: with 16 threads on http.client this
    process cost 1.4 ms of CPU a reply, taken from the two cores the server and the
    workers share (a load generator's cost, not the service's; SendGrid posts from
    elsewhere). gunicorn's sync workers close every connection, so each POST opens one.
    """
    path = f"/webhooks/inbound/{SECRET}"
    head = f"POST {path} HTTP/1.1\r\nHost: {url[0]}:{url[1]}\r\nConnection: close\r\n"
    requests = [
        (
            message_id,
            f"{head}Content-Type: {kind}\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body,
        )
        for message_id, body, kind in posts
    ]
    return asyncio.run(_post_requests(url, requests, concurrency))


async def _post_requests(url: tuple[str, int], requests: list, concurrency: int) -> list:
    sent: list = [None] * len(requests)
    cursor = iter(range(len(requests)))

    async def one(index: int) -> None:
        message_id, request = requests[index]
        started, t = time.time(), time.perf_counter()
        try:
            reader, writer = await asyncio.wait_for(asyncio.open_connection(*url), 60)
            writer.write(request)
            answer = await asyncio.wait_for(reader.read(), 60)  # to EOF: the server closes
            writer.close()
            status = int(answer.split(b" ", 2)[1])
        except (OSError, ValueError, IndexError, TimeoutError):
            status = 0
        sent[index] = Sent(message_id, started, time.perf_counter() - t, status)

    async def poster() -> None:
        for index in cursor:
            await one(index)

    await asyncio.gather(*(poster() for _ in range(concurrency)))
    return sent


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


# ------------------------------------------------------------------ realistic pass

# Of several shapes, as people write them: one to three paragraphs, a list, a link. Relays
# whose bodies share a shape render and send together (service.mail.personalize), so a
# burst of one shape would flatter the workers.
REPLY_TEXTS = (
    "Tried it this morning with my team's notes. The summary was good, but it missed who "
    "owns the follow-ups. Do you ask for owners explicitly?",
    "Great question! I usually paste the notes and add: 'list decisions, owners and dates "
    "as a table'.\n\nThen I check the owners by hand, it gets names wrong sometimes.",
    "Thanks, that works much better.\n\nOne more thing: how do you keep confidential bits "
    "out?\n\nOur legal team is strict about client names.",
    "I remove client names first, or use the company's approved assistant. Happy to show "
    "you on Thursday if you like.",
    "Three things that helped me:\n- ask for a table\n- name the owners\n- check the dates",
    "This guide explains it better than I can: https://example.org/guides/meeting-notes",
    "Done it!",
    "Skipped this one, the week was packed.\n\nNext week for sure. Any tip for a first "
    "try in five minutes?",
)


def reply_message(person, partner_thread_subject: str, to: str, root: str, n: int) -> bytes:
    """A reply as a mail client writes it: plain and HTML, the challenge quoted below."""
    # Two people rarely write the same line: a number keeps each line of a reply its own
    # (a template with words alike in a group is never kept, service.mail.personalize).
    text = "\n".join(
        line.replace(" ", f" ({n}) ", 1) for line in REPLY_TEXTS[n % len(REPLY_TEXTS)].split("\n")
    )
    first_name = person.name.split()[0]
    quoted = (
        f"Hi {first_name},\n\nThis week's challenge: {partner_thread_subject}.\n"
        "One practical thing, ten minutes.\n"
    )
    msg = EmailMessage()
    msg["From"] = formataddr((person.name, person.email))
    msg["To"] = to
    msg["Subject"] = f"Re: {partner_thread_subject}"
    msg["Date"] = format_datetime(datetime.now(UTC))
    msg["Message-ID"] = make_msgid(idstring=f"r{n}", domain="bench.example")
    msg["In-Reply-To"] = root
    msg["References"] = root
    header = "On Mon, 7 Dec 2026 at 09:00, Turnabout <hello@turnabout.example> wrote:"
    plain = f"{text}\n\n{person.name.split()[0]}\n\n{header}\n" + "".join(
        f"> {line}\n" for line in quoted.splitlines()
    )
    msg.set_content(plain)
    html = (
        f"<div dir='ltr'><p>{text}</p><p>{person.name.split()[0]}</p></div>"
        f"<div class='gmail_quote'><div>{header}</div><blockquote>"
        + "".join(f"<p>{line}</p>" for line in quoted.splitlines())
        + "</blockquote></div>"
    )
    msg.add_alternative(html, subtype="html")
    return bytes(msg)


def build_replies(limit: int) -> list[tuple[str, bytes, str]]:
    """Both sides of each pair answer their own challenge email, pairs interleaved so
    the two replies of a pair arrive together."""
    from service.extensions import db
    from service.rounds.models import Pairing
    from service.subscriptions.models import Subscriber

    pairings = db.session.scalars(
        sa.select(Pairing)
        .where(Pairing.giver_id.is_not(None), Pairing.learner_thread_id.is_not(None))
        .order_by(Pairing.id)
        .limit((limit + 1) // 2)
    ).all()
    people = {s.id: s for s in db.session.scalars(sa.select(Subscriber))}
    posts = []
    for p in pairings:
        for person_id, key, root in (
            (p.learner_id, p.learner_key, p.learner_thread_id),
            (p.giver_id, p.giver_key, p.giver_thread_id),
        ):
            if len(posts) == limit:
                break
            person, to = people[person_id], f"reply+{key}@{INBOUND_DOMAIN}"
            message = reply_message(person, "Your challenge this week", to, root, len(posts))
            message_id = message.split(b"Message-ID: ", 1)[1].split(b"\n", 1)[0].strip()
            body, content_type = raw_post(message, to=to, sender=person.email)
            posts.append((message_id.decode(), body, content_type))
    return posts


def realistic_pass(bench: Bench) -> list[Row]:
    from service.extensions import db

    with bench.app.app_context():
        posts = build_replies(bench.args.replies)
        db.session.rollback()
    cpu_before = bench.cpu_seconds()
    stand_in_cpu = time.process_time() - time.thread_time()  # the SendGrid stand-in's threads
    start, client_cpu = time.time(), time.thread_time()
    sent = post_all(bench.web_url, posts, bench.args.concurrency)
    posted, client_cpu = time.time(), time.thread_time() - client_cpu
    ok = [s for s in sent if s.status == 200]
    with bench.app.app_context():
        outcome = wait_processed(bench, len(ok))
        relays = relay_handover_times(bench)
    web_cpu, worker_cpu = (b - a for a, b in zip(cpu_before, bench.cpu_seconds(), strict=True))
    stand_in_cpu = time.process_time() - time.thread_time() - stand_in_cpu
    latencies = [s.seconds * 1000 for s in ok]
    accepted_rate = len(ok) / (posted - start)
    first_stored = min(s.started for s in ok)
    worker_rate = outcome.processed / (outcome.last_processed - first_stored)
    relay_seconds = [relays[s.message_id] - s.started for s in ok if s.message_id in relays]
    exactly_once = outcome.relay_emails == outcome.relayed == outcome.relay_inbound
    return [
        Row(
            "replies posted / answered 200",
            f"{len(sent):,} / {len(ok):,}",
            f"{len(sent):,}",
            len(ok) == len(sent),
        ),
        Row(
            "webhook: replies accepted per second",
            f"{accepted_rate:,.1f}",
            ">= 300",
            accepted_rate >= 300,
        ),
        Row("webhook: answer time p50", f"{percentile(latencies, 50):,.0f} ms"),
        Row(
            "webhook: answer time p99",
            f"{percentile(latencies, 99):,.0f} ms",
            "< 100 ms",
            percentile(latencies, 99) < 100,
        ),
        Row(
            "workers: replies processed per second",
            f"{worker_rate:,.1f}",
            ">= 150",
            worker_rate >= 150,
        ),
        Row(
            "relay: POST to relay email handed over, p50", f"{percentile(relay_seconds, 50):,.2f} s"
        ),
        Row(
            "relay: POST to relay email handed over, p95",
            f"{percentile(relay_seconds, 95):,.2f} s",
            "< 5 s",
            percentile(relay_seconds, 95) < 5,
        ),
        Row("replies relayed", f"{outcome.relayed:,}", f"{len(ok):,}", outcome.relayed == len(ok)),
        Row("replies failed (e.g. deadlock)", f"{outcome.failed:,}", "0", outcome.failed == 0),
        Row(
            "every relay email sent exactly once",
            "yes" if exactly_once else "no",
            "yes",
            exactly_once,
        ),
        Row("CPU per reply: web processes", f"{web_cpu / len(sent) * 1000:,.1f} ms"),
        Row(
            "CPU per reply: the posting client",
            f"{client_cpu / len(sent) * 1000:,.1f} ms",
        ),
        Row("CPU per reply: the SendGrid stand-in", f"{stand_in_cpu / len(sent) * 1000:,.1f} ms"),
        Row("CPU per reply: workers", f"{worker_cpu / max(1, outcome.processed) * 1000:,.1f} ms"),
    ] + [Row(f"  outcome: {text}", f"{n:,}") for text, n in outcome.top]


@dataclass
class Outcome:
    processed: int
    relayed: int
    failed: int
    relay_inbound: int  # inbound messages with a relayed thread message
    relay_emails: int  # relay emails handed over
    last_processed: float
    top: list


def wait_processed(bench: Bench, expected: int) -> Outcome:
    """Until every stored message is processed and every relay email sent or failed."""
    from service.extensions import db
    from service.inbound.models import InboundMessage, InboundState
    from service.mail.models import EmailState, OutgoingEmail
    from service.rounds.models import ThreadMessage

    relay = OutgoingEmail.kind == "relay"
    deadline = time.time() + WAIT_LIMIT
    while True:
        done, pending = db.session.execute(
            sa.select(
                sa.func.count().filter(InboundMessage.state != InboundState.STORED),
                sa.select(sa.func.count())
                .where(relay, OutgoingEmail.state.in_((EmailState.QUEUED, EmailState.SENDING)))
                .scalar_subquery(),
            )
        ).one()
        db.session.rollback()
        if done >= expected and not pending:
            break
        if any(w.poll() is not None for w in bench.workers):
            raise SystemExit("a worker exited; run it by hand to see why")
        if time.time() > deadline:
            bench.notes.append(f"gave up waiting after {WAIT_LIMIT} s: {done} processed")
            break
        time.sleep(0.1)
    outcomes = Counter(
        dict(
            db.session.execute(
                sa.select(InboundMessage.outcome, sa.func.count()).group_by(InboundMessage.outcome)
            ).all()
        )
    )
    return Outcome(
        processed=done,
        relayed=sum(n for o, n in outcomes.items() if (o or "").startswith("relayed")),
        failed=db.session.scalar(
            sa.select(sa.func.count()).where(InboundMessage.state == InboundState.FAILED)
        ),
        relay_inbound=db.session.scalar(
            sa.select(sa.func.count(sa.distinct(ThreadMessage.inbound_id))).where(
                ThreadMessage.kind == "reply"
            )
        ),
        relay_emails=db.session.scalar(
            sa.select(sa.func.count()).where(relay, OutgoingEmail.state == EmailState.SENT)
        ),
        last_processed=db.session.scalar(
            sa.select(sa.func.max(InboundMessage.processed_at))
        ).timestamp(),
        top=[((o or "-")[:44], n) for o, n in outcomes.most_common(4)],
    )


def relay_handover_times(bench: Bench) -> dict[str, float]:
    """Message-ID of each reply -> when its relay email was recorded as handed over."""
    from service.extensions import db
    from service.inbound.models import InboundMessage
    from service.mail.models import OutgoingEmail
    from service.rounds.models import ThreadMessage

    rows = db.session.execute(
        sa.select(InboundMessage.message_id, OutgoingEmail.sent_at)
        .join(ThreadMessage, ThreadMessage.inbound_id == InboundMessage.id)
        .join(OutgoingEmail, OutgoingEmail.id == ThreadMessage.outgoing_email_id)
        .where(OutgoingEmail.sent_at.is_not(None))
    ).all()
    return {message_id: sent_at.timestamp() for message_id, sent_at in rows}


def hostile_inputs_pass(bench: Bench) -> list[Row]:
    """Issue 10 section 2: seeded hostile inputs, the slowest job (bench_inbound_hostile.py)."""
    return hostile_pass(bench, Row, wait_processed, SECRET)


PASSES = {"realistic replies": realistic_pass, "hostile inputs": hostile_inputs_pass}


# ------------------------------------------------------------------ set-up


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_web(port: int, process: subprocess.Popen) -> None:
    for _ in range(300):
        if process.poll() is not None:
            raise SystemExit("gunicorn exited; run it by hand to see why")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise SystemExit("gunicorn did not answer /healthz within 30 s")


def send_the_round(app, stub_url: str) -> None:
    """Pair this week's round and send its challenge emails (the workers deliver them)."""
    from service.extensions import db
    from service.mail.models import EmailState, OutgoingEmail
    from service.rounds.dispatch import send_round
    from service.weeks import current_week

    with app.app_context():
        send_round(current_week())
        db.session.commit()
        while db.session.scalar(
            sa.select(sa.func.count()).where(
                OutgoingEmail.state.in_((EmailState.QUEUED, EmailState.SENDING))
            )
        ):
            db.session.rollback()
            time.sleep(0.2)
        db.session.rollback()


def print_table(title: str, rows: list[Row]) -> None:
    print(f"\n{title}")
    print(f"  {'measure':<46} {'value':>14}  {'goal':>10}  ")
    for row in rows:
        verdict = "" if row.met is None else ("met" if row.met else "NOT MET")
        print(f"  {row.metric:<46} {row.value:>14}  {row.goal:>10}  {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--replies", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--web-workers", type=int, help="default: gunicorn.conf.py's")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--hostile", type=int, default=600, help="hostile inputs to post")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    parser.add_argument("--only", choices=sorted(PASSES), help="run one pass")
    args = parser.parse_args()

    from redis import Redis

    from service import create_app
    from service.database import Model
    from service.extensions import db

    database_url, admin, db_name = fresh_database(args.database_url)
    Redis.from_url(args.redis_url).flushdb()
    stub = start_stub()
    instance = tempfile.mkdtemp(prefix="turnabout-bench-inbound-")
    config = {
        "DATABASE_URL": database_url,
        "REDIS_URL": args.redis_url,
        "MAIL_BACKEND": "sendgrid",
        "SENDGRID_API_KEY": "bench-key",
        "SENDGRID_API_HOST": f"http://127.0.0.1:{stub.server_port}",
        "SECRET_KEY": "bench-secret-" + "x" * 32,
        "BASE_URL": "https://turnabout.example",
        "MAIL_FROM": "Turnabout <hello@turnabout.example>",
        "INBOUND_DOMAIN": INBOUND_DOMAIN,
        "INBOUND_SECRET": SECRET,
    }
    app = create_app({**config, "INSTANCE_PATH": instance})
    env = {**os.environ, **config, "TURNABOUT_INSTANCE": instance, "PYTHONPATH": str(ROOT)}
    processes: list[subprocess.Popen] = []
    try:
        with app.app_context():
            Model.metadata.create_all(db.engine)
            from service.rounds.content import seed_content

            seed_content()
            insert_subscribers(args.replies + args.replies % 2)
        workers = [
            subprocess.Popen(
                [sys.executable, "-m", "service", "worker"],
                env=env,
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for _ in range(args.workers)
        ]
        processes += workers
        send_the_round(app, stub)
        port = free_port()
        web = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                *(["-w", str(args.web_workers)] if args.web_workers else []),
                "-b",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
                "wsgi:app",
            ],
            env=env,
            cwd=ROOT,
            # One JSON line per request, as in production, but in a file: on the terminal
            # they buried the table.
            stdout=(Path(instance) / "web.log").open("w"),
            stderr=subprocess.STDOUT,
        )
        processes.append(web)
        wait_for_web(port, web)
        rss = RssWatch([w.pid for w in workers])
        rss.start()
        bench = Bench(app, ("127.0.0.1", port), web, workers, rss, args)
        print(
            f"Inbound: {args.replies:,} replies, {args.concurrency} at a time; gunicorn "
            f"-w {len(children(web.pid))}; {args.workers} rq workers; {os.cpu_count()} CPUs, "
            f"load average {os.getloadavg()[0]:.1f} at start"
        )
        for title, run in PASSES.items():
            if args.only and title != args.only:
                continue
            rss.workers = dict.fromkeys(rss.pids, 0.0)  # peaks of this pass alone
            rss.horses = dict.fromkeys(rss.pids, 0.0)
            rows = run(bench)
            rows.append(
                Row(
                    "peak worker RSS (worker / largest work horse)",
                    f"{max(rss.workers.values()):.0f} / {max(rss.horses.values()):.0f} MB",
                )
            )
            print_table(title, rows)
        for note in bench.notes:
            print(f"  note: {note}")
        print(f"  load average at the end {os.getloadavg()[0]:.1f}")
        rss.stop.set()
    finally:
        stop_processes(processes, timeout=10)
        stub.shutdown()
        with app.app_context():
            for engine in db.engines.values():
                engine.dispose()
        if not args.keep:
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
