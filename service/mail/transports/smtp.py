"""SMTP transport: plain, STARTTLS or implicit TLS, with optional authentication.

SMTP_URL examples: smtp://user:pass@host:587?starttls=1, smtps://user:pass@host:465,
smtp://localhost:1025.
"""

from __future__ import annotations

import smtplib
import ssl
from contextlib import contextmanager
from urllib.parse import parse_qs, unquote, urlsplit

from service.mail.message import OutgoingMessage
from service.mail.transports.base import (
    DeliveryError,
    NotReady,
    PermanentError,
    TransientError,
    Transport,
)


def parse_smtp_url(url: str) -> dict:
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps"):
        raise ValueError(f"SMTP_URL must start with smtp:// or smtps://, not {url!r}")
    query = parse_qs(parts.query)
    return {
        "host": parts.hostname or "localhost",
        "port": parts.port or (465 if parts.scheme == "smtps" else 25),
        "ssl": parts.scheme == "smtps",
        "starttls": query.get("starttls", ["0"])[0] in ("1", "true", "yes"),
        "username": unquote(parts.username) if parts.username else None,
        "password": unquote(parts.password) if parts.password else None,
    }


class SmtpTransport(Transport):
    name = "smtp"

    @contextmanager
    def connection(self):
        settings = parse_smtp_url(self.config["SMTP_URL"])
        timeout = self.config["SMTP_TIMEOUT"]
        # SMTP_CA_FILE: trust a private CA (an internal relay's own certificate).
        context = ssl.create_default_context(cafile=self.config.get("SMTP_CA_FILE") or None)
        client = None
        try:
            if settings["ssl"]:
                client = smtplib.SMTP_SSL(
                    settings["host"], settings["port"], timeout=timeout, context=context
                )
            else:
                client = smtplib.SMTP(settings["host"], settings["port"], timeout=timeout)
            if settings["starttls"]:
                client.starttls(context=context)
            if settings["username"]:
                client.login(settings["username"], settings["password"] or "")
        except (OSError, smtplib.SMTPException) as exc:
            if client is not None:
                client.close()
            if isinstance(exc, smtplib.SMTPAuthenticationError):
                raise PermanentError(
                    f"SMTP login refused: {exc.smtp_code} {exc.smtp_error!r}"
                ) from exc
            raise TransientError(f"cannot connect to SMTP server: {exc}") from exc
        try:
            yield client
        finally:
            try:
                client.quit()
            except (OSError, smtplib.SMTPException):
                client.close()

    def check(self) -> str:
        try:
            with self.connection():
                pass
        except DeliveryError as exc:
            raise NotReady(
                f"SMTP: {exc}", "check SMTP_URL (host, port, user, password, ?starttls=1)"
            ) from exc
        return "SMTP server accepted the connection and login"

    def deliver_one(self, message: OutgoingMessage, conn) -> str | None:
        try:
            refused = conn.send_message(message.to_email_message())
        except smtplib.SMTPRecipientsRefused as exc:
            code, reason = next(iter(exc.recipients.values()))
            raise _classify(code, reason) from exc
        except smtplib.SMTPResponseException as exc:
            raise _classify(exc.smtp_code, exc.smtp_error) from exc
        except (OSError, smtplib.SMTPException) as exc:
            raise TransientError(f"SMTP connection failed: {exc}") from exc
        if refused:
            code, reason = next(iter(refused.values()))
            raise _classify(code, reason)
        return None


def _classify(code: int, reason) -> Exception:
    text = reason.decode(errors="replace") if isinstance(reason, bytes) else str(reason)
    error_class = TransientError if 400 <= code < 500 else PermanentError
    return error_class(f"SMTP {code}: {text}")
