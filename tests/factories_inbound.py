"""Keyword-only factories for the reply relay: a pair in a round with both threads opened,
and SendGrid Inbound Parse / Event Webhook requests built the way SendGrid sends them."""

from __future__ import annotations

import base64
import io
import itertools
import json
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from service.database import utcnow
from service.extensions import db
from service.mail.compose import new_message_id
from service.rounds.models import Challenge, Pairing, Round, RoundStatus, Theme
from service.subscriptions.models import Status, Subscriber

DATA = Path(__file__).resolve().parent / "data" / "inbound"
SECRET = "inbound-test-secret"  # tests/conftest.py base_config
INBOUND_URL = f"/webhooks/inbound/{SECRET}"
_n = itertools.count(1)


def create_subscriber(
    *,
    name: str = "Ana Example",
    email: str | None = None,
    role: str = "learner",
    status: str = Status.ACTIVE,
) -> Subscriber:
    n = next(_n)
    subscriber = Subscriber(
        email=email or f"person{n}@example.org",
        name=name,
        role=role,
        timezone="Europe/Berlin",
        status=status,
        confirmed_at=utcnow(),
    )
    db.session.add(subscriber)
    db.session.flush()
    return subscriber


def create_round(*, week: str | None = None, status: str = RoundStatus.PAIRED) -> Round:
    n = next(_n)
    theme = Theme(slug=f"theme-{n}", name="Tech-savvy prowess", position=n)
    db.session.add(theme)
    db.session.flush()
    challenge = Challenge(
        theme_id=theme.id,
        title="Let an AI assistant summarise your meeting notes",
        learner_task="Paste your notes into an assistant and ask for a summary.",
        giver_prompt="What is the one prompt you wish you had known on day one?",
    )
    db.session.add(challenge)
    db.session.flush()
    rnd = Round(
        week=week or f"{2030 + n // 50}-W{n % 50 + 1:02d}",
        challenge_id=challenge.id,
        status=status,
    )
    db.session.add(rnd)
    db.session.flush()
    return rnd


@dataclass
class Pair:
    pairing: Pairing
    learner: Subscriber
    giver: Subscriber

    @property
    def learner_address(self) -> str:
        return f"reply+{self.pairing.learner_key}@reply.turnabout.test"

    @property
    def giver_address(self) -> str:
        return f"reply+{self.pairing.giver_key}@reply.turnabout.test"


def create_pair(
    *,
    learner: Subscriber | None = None,
    giver: Subscriber | None = None,
    round_status: str = RoundStatus.PAIRED,
    open_threads: bool = True,
    challenges: bool = False,
) -> Pair:
    """A learner and a tip-giver paired in a round; with `open_threads`, each gets the
    first email of their thread: a stand-in, or with `challenges` the round's real
    challenge emails (the rounds feature's sending)."""
    learner = learner or create_subscriber(name="Margaret Hale", role="learner")
    giver = giver or create_subscriber(name="Sam Okafor", role="giver")
    rnd = create_round(status=round_status)
    pairing = Pairing(
        round_id=rnd.id,
        learner_id=learner.id,
        giver_id=giver.id,
        learner_key=secrets.token_hex(12),
        giver_key=secrets.token_hex(12),
    )
    db.session.add(pairing)
    db.session.flush()
    if challenges:
        from service.rounds.dispatch import send_challenges

        pairing.learner_thread_id = new_message_id()
        pairing.giver_thread_id = new_message_id()
        db.session.commit()
        send_challenges(rnd, None)
    elif open_threads:
        from service.mail.emails import mail_check

        for person, role in ((learner, "learner"), (giver, "giver")):
            mid = new_message_id()
            mail_check(
                key=f"thread-root:{pairing.id}:{role}",
                subscriber_id=person.id,
                message_id=mid,
                pairing_id=pairing.id,
                reply_to=f"reply+{getattr(pairing, role + '_key')}@reply.turnabout.test",
            )
            setattr(pairing, f"{role}_thread_id", mid)
    db.session.commit()
    return Pair(pairing, learner, giver)


def quiet_pair(run_jobs, outbox) -> Pair:
    """A pair whose thread-opening emails are already sent and cleared from the outbox."""
    pair = create_pair()
    run_jobs()
    outbox.clear()
    return pair


def only_inbound_row():
    """The one stored inbound message, freshly loaded."""
    from service.inbound.models import InboundMessage

    db.session.expire_all()
    (row,) = db.session.scalars(select(InboundMessage))
    return row


# ------------------------------------------------------------------ Inbound Parse


def fill(template: str, **values: str) -> str:
    for key, value in values.items():
        template = template.replace("{{" + key + "}}", value)
    return template


def sample(name: str, **values: str) -> bytes:
    """A stored sample message with {{PLACEHOLDERS}} filled in (bytes: any charset)."""
    raw = (DATA / name).read_bytes()
    for key, value in values.items():
        raw = raw.replace(("{{" + key + "}}").encode(), value.encode())
    return raw


def raw_form(
    email_bytes: bytes, *, to: str, sender: str, spf: str = "pass", dkim: str | None = None
) -> dict:
    """The fields SendGrid posts in raw mode ("POST the raw, full MIME message")."""
    domain = sender.rsplit("@", 1)[-1]
    return {
        "email": (io.BytesIO(email_bytes), None),
        "to": to,
        "from": sender,
        "subject": "",
        "envelope": json.dumps({"to": [to], "from": sender}),
        "SPF": spf,
        "dkim": dkim or f"{{@{domain} : pass}}",
        "spam_score": "0.1",
        "spam_report": "Spam detection software has NOT identified this incoming Email as spam.",
        "sender_ip": "209.85.220.41",
        "charsets": json.dumps({"to": "UTF-8", "from": "UTF-8", "subject": "UTF-8"}),
    }


def multipart_body(fields: dict) -> tuple[bytes, str]:
    """multipart/form-data exactly as SendGrid sends it: raw bytes per field, no
    charset re-encoding (the `email` field can hold 8-bit text in any charset)."""
    boundary = "xYzZY" + secrets.token_hex(8)
    out = io.BytesIO()
    for name, value in fields.items():
        filename = None
        if isinstance(value, tuple):
            value, filename = value
        data = value.read() if hasattr(value, "read") else value
        if isinstance(data, str):
            data = data.encode("utf-8")
        out.write(f"--{boundary}\r\n".encode())
        disposition = f'form-data; name="{name}"'
        if filename:
            disposition += f'; filename="{filename}"'
        out.write(f"Content-Disposition: {disposition}\r\n".encode())
        if filename:
            out.write(b"Content-Type: application/octet-stream\r\n")
        out.write(b"\r\n" + data + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def post_form(client, fields: dict, url: str = INBOUND_URL):
    body, content_type = multipart_body(fields)
    return client.post(url, data=body, content_type=content_type)


def post_raw(client, email_bytes: bytes, *, to: str, sender: str, **options):
    return post_form(client, raw_form(email_bytes, to=to, sender=sender, **options))


def reply_mime(
    *,
    sender: str,
    to: str,
    text: str,
    subject: str = "Re: Your challenge this week",
    in_reply_to: str | None = None,
    headers: dict | None = None,
    sender_name: str = "",
) -> bytes:
    """A plain reply as a mail client would write it."""
    from email.message import EmailMessage
    from email.utils import formataddr, make_msgid

    msg = EmailMessage()
    msg["From"] = formataddr((sender_name, sender))
    msg["To"] = to
    msg["Subject"] = subject
    msg["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1])
    if in_reply_to:
        msg["In-Reply-To"] = in_reply_to
        msg["References"] = in_reply_to
    for key, value in (headers or {}).items():
        msg[key] = value
    msg.set_content(text)
    return bytes(msg)


# ------------------------------------------------------------------ Event Webhook

EVENTS_URL = "/webhooks/sendgrid/events"


class EventSigner:
    """An ECDSA P-256 key pair; signs as SendGrid does: base64(DER(sig(timestamp+body)))."""

    def __init__(self):
        from cryptography.hazmat.primitives.asymmetric import ec

        self.private_key = ec.generate_private_key(ec.SECP256R1())

    @property
    def public_key_b64(self) -> str:
        from cryptography.hazmat.primitives import serialization

        der = self.private_key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        return base64.b64encode(der).decode()

    def headers(self, body: bytes, timestamp: int | None = None) -> dict:
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import ec

        stamp = str(int(time.time()) if timestamp is None else timestamp)
        signature = self.private_key.sign(stamp.encode() + body, ec.ECDSA(hashes.SHA256()))
        return {
            "X-Twilio-Email-Event-Webhook-Signature": base64.b64encode(signature).decode(),
            "X-Twilio-Email-Event-Webhook-Timestamp": stamp,
        }


def event(kind: str, *, email: str, email_id: int | None = None, **extra) -> dict:
    item = {
        "email": email,
        "timestamp": int(time.time()),
        "event": kind,
        "sg_event_id": secrets.token_urlsafe(16),
        "sg_message_id": "14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0",
        "smtp-id": "<14c5d75ce93.dfd.64b469@ismtpd-555>",
        "category": ["round"],
    }
    if email_id is not None:
        item["email_id"] = str(email_id)  # custom_args arrive as top-level keys
    item.update(extra)
    return item


def post_events(client, signer: EventSigner, events: list[dict], *, timestamp=None, body=None):
    body = body if body is not None else json.dumps(events).encode()
    return client.post(
        EVENTS_URL,
        data=body,
        content_type="application/json",
        headers=signer.headers(body, timestamp),
    )


def subscriber_by_email(address: str) -> Subscriber | None:
    return db.session.scalar(select(Subscriber).where(Subscriber.email == address))
