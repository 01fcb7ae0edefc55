"""SendGrid v3 mail/send over one kept-alive HTTPS connection per delivery batch.

Messages with the same sender, Reply-To and bodies travel in one request with up to 1,000
personalizations; each personalization keeps its own recipient, subject and headers
(Message-ID, threading, List-Unsubscribe), our row id in custom_args (the Event Webhook
echoes it), and the values for the tags its bodies and Reply-To hold (`substitutions`,
which SendGrid applies to the content, the subject and the Reply-To; see
service.mail.personalize), and its own From when it differs from the request's. So a
round's challenge emails, each with its own names, links and Reply-To, go out a thousand
per request, and so do the relays of an inbound group ("Ana via Turnabout", "Bo via
Turnabout": a request per relay cost more than the rest of its delivery together).

Why not the official `sendgrid` client for sending: it opens a new connection (and, against
the real API, a new TLS handshake) for every request and builds a urllib opener each time.
The package is still used for the Event Webhook's signature check (event_webhook.py).
"""

from __future__ import annotations

import http.client
import json
import ssl
from contextlib import contextmanager
from email.utils import parseaddr
from urllib.parse import urlsplit

from service.mail.message import OutgoingMessage, split_address
from service.mail.transports.base import (
    NotReady,
    PermanentError,
    SendResult,
    TransientError,
    Transport,
)

MAX_PERSONALIZATIONS = 1000
# SendGrid refuses more than 10,000 bytes of substitutions in one personalization; a message
# with more is sent filled in, on its own.
MAX_SUBSTITUTION_BYTES = 10_000
SEND_PATH = "/v3/mail/send"
SCOPES_PATH = "/v3/scopes"
# A request refused for its content (400) or size (413): sent again one message at a time.
SPLIT_ON = {400, 413}


def _address(value: str) -> dict:
    name, email = split_address(value)
    return {"email": email, "name": name} if name else {"email": email}


def _content_key(message: OutgoingMessage) -> tuple:
    """What a request holds once for all its messages. Not the sender: a personalization
    may name its own `from` (the request's is the default)."""
    return (message.reply_to, message.text, message.html, message.category)


def _personalization(message: OutgoingMessage, sender: str) -> dict:
    item = {
        "to": [_address(message.to)],
        "subject": message.subject,
        "headers": message.all_headers(),
    }
    if message.from_ != sender:
        item["from"] = _address(message.from_)
    if message.substitutions:
        item["substitutions"] = message.substitutions
    if message.ref is not None:
        item["custom_args"] = {"email_id": str(message.ref)}
    return item


def _substitution_bytes(message: OutgoingMessage) -> int:
    return sum(len(k.encode()) + len(v.encode()) for k, v in message.substitutions.items())


def build_payloads(messages: list[OutgoingMessage]) -> list[tuple[list, dict]]:
    """Group messages by shared content; returns (messages, JSON body) per request.

    SendGrid refuses a whole request that names one address twice, and a tip-giver with
    several learners gets several emails of one kind in a round: a request takes each
    address once, a repeat goes to the next request of its group."""
    groups: dict[tuple, list[list[OutgoingMessage]]] = {}
    for message in messages:
        if _substitution_bytes(message) > MAX_SUBSTITUTION_BYTES:
            message = message.expanded()
        chunks = groups.setdefault(_content_key(message), [])
        address = message.to_address.lower()
        for chunk, addresses in chunks:
            if len(chunk) < MAX_PERSONALIZATIONS and address not in addresses:
                break
        else:
            chunk, addresses = [], set()
            chunks.append((chunk, addresses))
        chunk.append(message)
        addresses.add(address)
    return [_payload(chunk) for chunks in groups.values() for chunk, _ in chunks]


def _payload(chunk: list[OutgoingMessage]) -> tuple[list, dict]:
    first = chunk[0]
    body = {
        "personalizations": [_personalization(m, first.from_) for m in chunk],
        "from": _address(first.from_),
        "content": [
            {"type": "text/plain", "value": first.text},
            {"type": "text/html", "value": first.html},
        ],
        "categories": [first.category],
    }
    if first.reply_to:
        body["reply_to"] = _address(first.reply_to)
    return chunk, body


class Connection:
    """One HTTP(S) connection to the API, reopened when the server closes it."""

    def __init__(self, base_url: str, api_key: str, timeout: float):
        parts = urlsplit(base_url)
        self.https = parts.scheme == "https"
        self.host, self.port = parts.hostname, parts.port
        self.timeout = timeout
        self.headers = {
            "Authorization": f"Bearer {api_key}",
            "Content-Type": "application/json",
            "User-Agent": "turnabout",
        }
        self.conn = None

    def _open(self):
        if self.https:
            return http.client.HTTPSConnection(
                self.host, self.port, timeout=self.timeout, context=ssl.create_default_context()
            )
        return http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)

    def request(self, method: str, path: str, body: bytes | None = None) -> tuple[int, dict, bytes]:
        reused = self.conn is not None
        if self.conn is None:
            self.conn = self._open()
        try:
            self.conn.request(method, path, body=body, headers=self.headers)
            response = self.conn.getresponse()
        except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
            self.close()
            if not reused:
                raise
            # The server closed an idle kept-alive connection before reading this request
            # (no response byte came back): sending it once more on a new one is safe.
            self.conn = self._open()
            self.conn.request(method, path, body=body, headers=self.headers)
            response = self.conn.getresponse()
        data = response.read()
        if response.will_close:
            self.close()
        return response.status, dict(response.getheaders()), data

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


class SendGridTransport(Transport):
    name = "sendgrid"

    @contextmanager
    def connection(self):
        conn = Connection(
            self.config["SENDGRID_API_HOST"],
            self.config["SENDGRID_API_KEY"],
            self.config["SENDGRID_TIMEOUT"],
        )
        try:
            yield conn
        finally:
            conn.close()

    def send(self, message: OutgoingMessage) -> str | None:
        result = self.send_many([message])[0]
        if not result.ok:
            raise (TransientError if result.transient else PermanentError)(result.error)
        return result.provider_id

    def iter_send(self, messages: list[OutgoingMessage]):
        with self.connection() as conn:
            for chunk, body in build_payloads(messages):
                status, results = self._post(conn, chunk, body)
                if status in SPLIT_ON and len(chunk) > 1:
                    # SendGrid refuses a whole request for one bad personalization (an
                    # address it will not take): nothing was sent, so send each on its own
                    # and let only the bad one fail.
                    for message in chunk:
                        yield self._post(conn, *_payload([message]))[1]
                    continue
                yield results

    def _post(self, conn: Connection, chunk: list, body: dict) -> tuple[int | None, list]:
        """(HTTP status or None if unreachable, a SendResult per message)."""
        try:
            status, headers, data = conn.request("POST", SEND_PATH, json.dumps(body).encode())
        except (OSError, http.client.HTTPException) as exc:  # refused, timeout, reset
            conn.close()
            error = f"SendGrid unreachable: {exc or exc.__class__.__name__}"
            return None, [SendResult(m.ref, False, error=error, transient=True) for m in chunk]
        if 200 <= status < 300:
            provider_id = headers.get("X-Message-Id") or headers.get("x-message-id")
            return status, [SendResult(m.ref, True, provider_id=provider_id) for m in chunk]
        error = f"SendGrid {status}: {data.decode(errors='replace')[:500]}"
        transient = status == 429 or status >= 500
        return status, [SendResult(m.ref, False, error=error, transient=transient) for m in chunk]

    def check(self) -> str:
        """The key has the Mail Send scope and a sandbox-mode send passes (SendGrid checks
        the sender's domain then, but delivers nothing)."""
        with self.connection() as conn:
            status, body = _checked(conn, "GET", SCOPES_PATH)
            if status is None or status >= 300:
                raise NotReady(
                    f"SendGrid refused the key ({status}: {body[:300]})",
                    "create an API key with Mail Send in SendGrid; set SENDGRID_API_KEY",
                )
            if "mail.send" not in json.loads(body).get("scopes", []):
                raise NotReady(
                    "the SendGrid key lacks the mail.send scope",
                    "give the key Mail Send permission (Settings, API Keys)",
                )
            status, body = _checked(conn, "POST", SEND_PATH, _sandbox_payload(self.config))
        if status is None or status >= 300:
            raise NotReady(
                f"SendGrid sandbox send failed ({status}: {body})",
                "authenticate the MAIL_FROM domain in SendGrid (Sender Authentication)",
            )
        return "SendGrid key has mail.send; a sandbox send passed"


def _sandbox_payload(config: dict) -> dict:
    sender = parseaddr(config["MAIL_FROM"])[1]
    return {
        "personalizations": [{"to": [{"email": sender}]}],
        "from": {"email": sender},
        "subject": "turnabout doctor",
        "content": [{"type": "text/plain", "value": "A sandbox-mode check; never delivered."}],
        "mail_settings": {"sandbox_mode": {"enable": True}},
    }


def _checked(conn: Connection, method: str, path: str, payload: dict | None = None):
    """(status or None if unreachable, the body as text or the error). The whole body: a
    full-access key's scopes run to several kilobytes."""
    body = json.dumps(payload).encode() if payload is not None else None
    try:
        status, _, data = conn.request(method, path, body)
    except (OSError, http.client.HTTPException) as exc:
        conn.close()
        return None, str(exc) or exc.__class__.__name__
    return status, data.decode(errors="replace")
