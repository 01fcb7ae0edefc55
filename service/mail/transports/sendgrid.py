"""SendGrid v3 mail/send through the official client, batching messages that share content.

Messages with the same sender, reply-to, subject and bodies travel in one request with up to
1,000 personalizations; each personalization keeps its own recipient and headers (Message-ID,
threading, List-Unsubscribe) and our row id in custom_args, which the Event Webhook echoes.
"""

from __future__ import annotations

import urllib.error
from email.utils import parseaddr

from python_http_client import exceptions as http_errors
from sendgrid import SendGridAPIClient

from service.mail.message import OutgoingMessage
from service.mail.transports.base import (
    PermanentError,
    SendResult,
    TransientError,
    Transport,
)

MAX_PERSONALIZATIONS = 1000


def _address(value: str) -> dict:
    name, email = parseaddr(value)
    return {"email": email, "name": name} if name else {"email": email}


def _content_key(message: OutgoingMessage) -> tuple:
    return (
        message.from_,
        message.reply_to,
        message.subject,
        message.text,
        message.html,
        message.category,
    )


def _personalization(message: OutgoingMessage) -> dict:
    item = {"to": [_address(message.to)], "headers": message.all_headers()}
    if message.ref is not None:
        item["custom_args"] = {"email_id": str(message.ref)}
    return item


def build_payloads(messages: list[OutgoingMessage]) -> list[tuple[list, dict]]:
    """Group messages by shared content; returns (messages, JSON body) per request."""
    groups: dict[tuple, list[OutgoingMessage]] = {}
    for message in messages:
        groups.setdefault(_content_key(message), []).append(message)
    payloads = []
    for group in groups.values():
        for start in range(0, len(group), MAX_PERSONALIZATIONS):
            chunk = group[start : start + MAX_PERSONALIZATIONS]
            first = chunk[0]
            body = {
                "personalizations": [_personalization(m) for m in chunk],
                "from": _address(first.from_),
                "subject": first.subject,
                "content": [
                    {"type": "text/plain", "value": first.text},
                    {"type": "text/html", "value": first.html},
                ],
                "categories": [first.category],
            }
            if first.reply_to:
                body["reply_to"] = _address(first.reply_to)
            payloads.append((chunk, body))
    return payloads


class SendGridTransport(Transport):
    name = "sendgrid"

    def _client(self) -> SendGridAPIClient:
        client = SendGridAPIClient(
            api_key=self.config["SENDGRID_API_KEY"], host=self.config["SENDGRID_API_HOST"]
        )
        # The client has no default timeout; a hung connection would hold a worker forever.
        client.client.timeout = self.config["SENDGRID_TIMEOUT"]
        return client

    def send(self, message: OutgoingMessage) -> str | None:
        result = self.send_many([message])[0]
        if not result.ok:
            raise (TransientError if result.transient else PermanentError)(result.error)
        return result.provider_id

    def iter_send(self, messages: list[OutgoingMessage]):
        client = self._client()
        for chunk, body in build_payloads(messages):
            try:
                response = client.client.mail.send.post(request_body=body)
            except (http_errors.HTTPError, urllib.error.URLError, TimeoutError) as exc:
                error, transient = _classify(exc)
                yield [SendResult(m.ref, False, error=error, transient=transient) for m in chunk]
                continue
            provider_id = response.headers.get("X-Message-Id")
            yield [SendResult(m.ref, True, provider_id=provider_id) for m in chunk]


def _classify(exc: Exception) -> tuple[str, bool]:
    if isinstance(exc, http_errors.HTTPError):
        status = exc.status_code
        body = exc.body.decode(errors="replace") if isinstance(exc.body, bytes) else str(exc.body)
        transient = status == 429 or status >= 500
        return f"SendGrid {status}: {body[:500]}", transient
    return f"SendGrid unreachable: {exc}", True
