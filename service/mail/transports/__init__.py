"""Transports by MAIL_BACKEND name: the only place that knows which providers exist.

A provider's every part lives in its folder here: sendgrid/ holds the transport and what
SendGrid posts back (the signed Event Webhook, the Inbound Parse form); outbox and smtp
need nothing but a transport.
"""

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
