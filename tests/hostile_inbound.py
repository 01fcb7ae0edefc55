"""Hostile inbound posts, seeded: the families of issue 10's table, plus random bytes,
truncated multipart, odd charsets, non-UTF-8 field names, a missing `email` field, and
malformed Event Webhook requests.

Shared by tests/test_inbound_bounds_fuzz.py and bench/bench_inbound_hostile.py, so it
imports nothing from the service: each post is plain bytes for an HTTP client to send.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

INBOUND, EVENTS = "inbound", "events"


@dataclass
class Post:
    family: str
    target: str  # INBOUND (the Inbound Parse webhook) or EVENTS (the Event Webhook)
    body: bytes
    content_type: str
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Addresses:
    """Where hostile mail is sent: reply addresses that exist, and the inbound domain."""

    replies: list[str]  # reply+KEY@ addresses of real pairs
    senders: list[str]  # the owners of those keys, in the same order
    domain: str  # the inbound domain (join@, unsubscribe@ live there)


def multipart(fields: list[tuple[bytes, bytes]], boundary: bytes = b"xYzZY") -> bytes:
    """multipart/form-data as SendGrid sends it; names and values are raw bytes."""
    out = []
    for name, value in fields:
        out.append(b"--" + boundary + b'\r\nContent-Disposition: form-data; name="')
        out.append(name + b'"\r\n\r\n' + value + b"\r\n")
    out.append(b"--" + boundary + b"--\r\n")
    return b"".join(out)


def raw_post(family: str, message: bytes, *, to: str, sender: str, **extra: bytes) -> Post:
    domain = sender.rsplit("@", 1)[-1]
    fields = [
        (b"email", message),
        (b"to", to.encode()),
        (b"from", sender.encode()),
        (b"envelope", json.dumps({"to": [to], "from": sender}).encode()),
        (b"SPF", b"pass"),
        (b"dkim", f"{{@{domain} : pass}}".encode()),
        (b"charsets", b'{"to":"UTF-8","from":"UTF-8","subject":"UTF-8"}'),
    ] + [(k.encode(), v) for k, v in extra.items()]
    return Post(family, INBOUND, multipart(fields), "multipart/form-data; boundary=xYzZY")


def parsed_post(family: str, *, to: str, sender: str, headers: str, **parts: str) -> Post:
    domain = sender.rsplit("@", 1)[-1]
    fields = [
        (b"headers", headers.encode("utf-8", "surrogateescape")),
        (b"to", to.encode()),
        (b"from", sender.encode()),
        (b"envelope", json.dumps({"to": [to], "from": sender}).encode()),
        (b"SPF", b"pass"),
        (b"dkim", f"{{@{domain} : pass}}".encode()),
        (b"charsets", json.dumps({k: "UTF-8" for k in ("headers", *parts)}).encode()),
    ] + [(k.encode(), v.encode("utf-8", "surrogateescape")) for k, v in parts.items()]
    return Post(family, INBOUND, multipart(fields), "multipart/form-data; boundary=xYzZY")


def mime(sender: str, to: str, *, subject: str = "Re: this week", n: int, extra: str = "") -> str:
    return (
        f"From: {sender}\r\nTo: {to}\r\nSubject: {subject}\r\n"
        f"Message-ID: <hostile-{n}@{sender.rsplit('@', 1)[-1]}>\r\n{extra}MIME-Version: 1.0\r\n"
    )


# ------------------------------------------------------------------ the families


def html_anchors(rng, n, where: Addresses) -> Post:
    """HTML-only body "<p>hi</p>" + "<a" * k to join@ (any stranger can send it)."""
    size = rng.choice((2_000, 40_000, 250_000))
    sender = f"stranger{n}@example.net"
    body = "<p>hi</p>" + "<a" * size
    head = mime(sender, f"join@{where.domain}", n=n)
    message = head + "Content-Type: text/html; charset=utf-8\r\n\r\n" + body
    return raw_post("html <a repeated", message.encode(), to=f"join@{where.domain}", sender=sender)


def encoded_subject(rng, n, where: Addresses) -> Post:
    """A subject of repeated =?utf-8?q?=C3=A9?= words (705 KB in the issue)."""
    words = rng.choice((1_000, 40_000))
    reply, sender = _pair(rng, where)
    subject = " ".join(["=?utf-8?q?=C3=A9?="] * words)
    message = mime(sender, reply, subject=subject, n=n) + "Content-Type: text/plain\r\n\r\nok\r\n"
    return raw_post("encoded-word subject", message.encode(), to=reply, sender=sender)


def parsed_big_text(rng, n, where: Addresses) -> Post:
    """Parsed mode with a 200 KB `text` to a real reply address."""
    reply, sender = _pair(rng, where)
    line = "".join(rng.choice("abcdefgh ") for _ in range(70)) + "\n"
    text = line * (rng.choice((200_000, 30_000)) // len(line))
    headers = f"From: {sender}\nTo: {reply}\nSubject: Re: tip\nMessage-ID: <parsed-{n}@x.org>\n"
    return parsed_post("parsed 200 KB text", to=reply, sender=sender, headers=headers, text=text)


def many_recipients(rng, n, where: Addresses) -> Post:
    """To: with ~29,000 addresses (883 KB)."""
    count = rng.choice((29_000, 2_000))
    to = ", ".join(f"user{i}@example.com" for i in range(count)) + f", join@{where.domain}"
    sender = f"stranger{n}@example.net"
    message = mime(sender, to, n=n) + "Content-Type: text/plain\r\n\r\njoin\r\n"
    return raw_post("29,000 recipients", message.encode(), to=f"join@{where.domain}", sender=sender)


def content_type_parameters(rng, n, where: Addresses) -> Post:
    """A Content-Type with a 100-188 KB parameter list."""
    count = rng.choice((8_000, 15_000))
    params = "".join(f'; p{i}="v{i}"' for i in range(count))
    reply, sender = _pair(rng, where)
    message = mime(sender, reply, n=n) + f"Content-Type: text/plain{params}\r\n\r\nhello\r\n"
    return raw_post("huge Content-Type", message.encode(), to=reply, sender=sender)


def spaces_line(rng, n, where: Addresses) -> Post:
    """One line of 24,000 spaces in a reply (the trimmer's `[\\s*_]+$`)."""
    reply, sender = _pair(rng, where)
    text = "Thanks for the tip!\n" + " " * rng.choice((24_000, 3_000)) + "x\n\nSam\n"
    message = mime(sender, reply, n=n) + "Content-Type: text/plain; charset=utf-8\r\n\r\n" + text
    return raw_post("24,000 spaces line", message.encode(), to=reply, sender=sender)


def deep_nesting(rng, n, where: Addresses) -> Post:
    """multipart/mixed nested thousands of levels deep."""
    depth = rng.choice((50, 3_000))
    reply, sender = _pair(rng, where)
    parts = [
        f'Content-Type: multipart/mixed; boundary="b{i}"\r\n\r\n--b{i}\r\n' for i in range(depth)
    ]
    inner = "Content-Type: text/plain\r\n\r\ndeep hello\r\n"
    closing = "".join(f"--b{i}--\r\n" for i in reversed(range(depth)))
    message = mime(sender, reply, n=n) + "".join(parts) + inner + closing
    return raw_post("deep MIME nesting", message.encode(), to=reply, sender=sender)


# ------------------------------------------------------------------ broken posts


def random_bytes(rng, n, where: Addresses) -> Post:
    data = rng.randbytes(rng.choice((10, 1_000, 50_000)))
    return raw_post("random bytes", data, to=f"join@{where.domain}", sender=f"r{n}@example.net")


def truncated_multipart(rng, n, where: Addresses) -> Post:
    reply, sender = _pair(rng, where)
    message = mime(sender, reply, n=n) + "Content-Type: text/plain\r\n\r\n" + "hello\r\n" * 50
    post = raw_post("truncated multipart", message.encode(), to=reply, sender=sender)
    post.body = post.body[: rng.randrange(1, len(post.body))]
    return post


def truncated_mime(rng, n, where: Addresses) -> Post:
    """A multipart message cut off mid-part: no closing boundary."""
    reply, sender = _pair(rng, where)
    head = mime(sender, reply, n=n) + 'Content-Type: multipart/alternative; boundary="cut"\r\n\r\n'
    body = "--cut\r\nContent-Type: text/plain\r\n\r\nhello there\r\n--cut\r\nContent-Type: text/h"
    return raw_post("truncated MIME", (head + body).encode(), to=reply, sender=sender)


CHARSETS = ("x-unknown", "utf-7", "iso-2022-jp", "cp1252", "utf-16", "koi8-r", "big5", '"', "")


def odd_charset(rng, n, where: Addresses) -> Post:
    reply, sender = _pair(rng, where)
    charset = rng.choice(CHARSETS)
    body = rng.randbytes(200) + "Grüße – “quoted” 👍".encode(rng.choice(("utf-8", "utf-16")))
    head = mime(sender, reply, n=n, subject=f"=?{charset}?b?SGVsbG8=?=")
    cte = rng.choice(("8bit", "base64", "quoted-printable", "x-uuencode"))
    part_head = f"Content-Type: text/plain; charset={charset}\r\n"
    part_head += f"Content-Transfer-Encoding: {cte}\r\n\r\n"
    message = head.encode() + part_head.encode() + body
    return raw_post("odd charset", message, to=reply, sender=sender)


def eight_bit_headers(rng, n, where: Addresses) -> Post:
    """Raw 8-bit bytes (UTF-8 or Latin-1) in From, Message-ID, In-Reply-To and Subject:
    the parser keeps them as lone surrogates, which PostgreSQL refuses to store."""
    to = rng.choice((f"unsubscribe@{where.domain}", f"join@{where.domain}", *where.replies))
    umlaut = rng.choice(("ü".encode(), b"\xfc", b"\xff\xfe"))
    message = (
        b"From: J" + umlaut + b"rgen <j" + umlaut + b"rgen@example.de>\r\nTo: " + to.encode()
        + b"\r\nSubject: Gr" + umlaut + b"\xdfe\r\nMessage-ID: <" + umlaut
        + f"-{n}@example.de>\r\nIn-Reply-To: <".encode() + umlaut + b"@example.de>\r\n"
        + b"Content-Type: text/plain; charset=utf-8\r\n\r\nstop\r\n"
    )  # fmt: skip
    return raw_post("8-bit headers", message, to=to, sender="jurgen@example.de")


def non_utf8_field_names(rng, n, where: Addresses) -> Post:
    reply, sender = _pair(rng, where)
    message = mime(sender, reply, n=n) + "Content-Type: text/plain\r\n\r\nhello\r\n"
    fields = [
        (b"\xff\xfe\x00name", b"x"),
        (b"to\xe9", reply.encode()),
        (b"email", message.encode()),
    ]
    fields.append((b"charsets", b'{"\xff": "utf-8", "email": ' + b"[" * 5_000 + b"}"))
    fields.append((b"envelope", b"[" * 50_000))
    body = multipart(fields)
    return Post("non-UTF-8 field names", INBOUND, body, "multipart/form-data; boundary=xYzZY")


def missing_email_field(rng, n, where: Addresses) -> Post:
    fields = [(b"to", f"join@{where.domain}".encode()), (b"from", b"a@example.org")]
    body = multipart(fields)
    return Post("missing email field", INBOUND, body, "multipart/form-data; boundary=xYzZY")


# ------------------------------------------------------------------ Event Webhook


def events(rng, n, where: Addresses, sign: Callable[[bytes, str], dict] | None = None) -> Post:
    """Malformed Event Webhook requests: huge or non-ASCII timestamps, deep JSON."""
    kind = rng.randrange(6)
    body = json.dumps([{"event": "delivered", "sg_event_id": f"e{n}", "email": "a@b.org"}]).encode()
    stamp = "1" + "0" * 400 if kind == 0 else ("²" * 3 if kind == 1 else "1700000000")
    if kind == 2:
        body = b"[" * 100_000 + b"]" * 100_000
    if kind == 3:
        body = json.dumps([{"event": "bounce", "sg_event_id": f"n{n}\x00", "x": "\x00"}]).encode()
    if kind == 4:
        body = rng.randbytes(500)
    headers = {"X-Twilio-Email-Event-Webhook-Timestamp": stamp}
    if sign is not None and kind in (2, 3, 4, 5):
        headers = sign(body, None)  # authentic, so the body itself is what is tested
    else:
        headers["X-Twilio-Email-Event-Webhook-Signature"] = "MEUCIQ" + "A" * rng.randrange(0, 200)
    return Post("event webhook", EVENTS, body, "application/json", headers)


FAMILIES = (
    html_anchors,
    encoded_subject,
    parsed_big_text,
    many_recipients,
    content_type_parameters,
    spaces_line,
    deep_nesting,
    random_bytes,
    truncated_multipart,
    truncated_mime,
    odd_charset,
    eight_bit_headers,
    non_utf8_field_names,
    missing_email_field,
)
LARGE = (html_anchors, encoded_subject, parsed_big_text, many_recipients, content_type_parameters)


def hostile_posts(
    seed: int, count: int, where: Addresses, *, sign=None, large_every: int = 25
) -> Iterator[Post]:
    """`count` posts: every family at least once, large inputs one time in `large_every`
    (they cost the most to build and send), Event Webhook requests one time in four."""
    rng = random.Random(seed)
    cheap = [f for f in FAMILIES if f not in LARGE]
    for n in range(count):
        if n < len(FAMILIES):
            family = FAMILIES[n]
        elif n % large_every == 0:
            family = rng.choice(LARGE)
        elif n % 4 == 0:
            yield events(rng, n, where, sign)
            continue
        else:
            family = rng.choice(cheap)
        yield family(rng, n, where)


def _pair(rng, where: Addresses) -> tuple[str, str]:
    i = rng.randrange(len(where.replies))
    return where.replies[i], where.senders[i]


def job_durations(queues, connection, since: float = 0.0) -> list[tuple[float, str, tuple]]:
    """(seconds, function name, arguments) of every job of these rq queues that finished
    or failed after `since` (a Unix time), slowest first. Read from rq's registries."""
    from rq.job import Job
    from rq.registry import FailedJobRegistry, FinishedJobRegistry

    found = []
    for queue in queues:
        ids = FinishedJobRegistry(queue=queue).get_job_ids()
        ids += FailedJobRegistry(queue=queue).get_job_ids()
        for job in Job.fetch_many(ids, connection=connection):
            if job is None or not (job.started_at and job.ended_at):
                continue
            if job.ended_at.timestamp() >= since:
                seconds = (job.ended_at - job.started_at).total_seconds()
                found.append((seconds, job.func_name.rsplit(".", 1)[-1], tuple(job.args or ())))
    return sorted(found, key=lambda item: item[0], reverse=True)
