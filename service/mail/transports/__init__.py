"""Transports by MAIL_BACKEND name: the only place that knows which providers exist."""

from service.mail.transports.base import (
    DeliveryError,
    PermanentError,
    SendResult,
    TransientError,
    Transport,
)
from service.mail.transports.outbox import OutboxTransport
from service.mail.transports.sendgrid import SendGridTransport
from service.mail.transports.smtp import SmtpTransport

TRANSPORTS: dict[str, type[Transport]] = {
    "outbox": OutboxTransport,
    "smtp": SmtpTransport,
    "sendgrid": SendGridTransport,
}


def get_transport(config: dict) -> Transport:
    return TRANSPORTS[config["MAIL_BACKEND"]](config)


__all__ = [
    "DeliveryError",
    "PermanentError",
    "SendResult",
    "TransientError",
    "Transport",
    "get_transport",
]
