"""Logs for operators: one JSON line per record, tagged with the id of the request or job
it belongs to, and never an email address.

Log lines leave the service (journald, a log shipper, a vendor), so they carry ids and
hashes, never what people wrote or where they receive mail. Code logs ids; as a second
line of defence the formatter replaces anything shaped like an address with a short hash
(the same address gives the same hash, so lines can still be matched up).
"""

from __future__ import annotations

import contextvars
import hashlib
import logging
import os
import re
import secrets
import sys

from pythonjsonlogger.json import JsonFormatter

# The request (or the job, carrying the id of the request that enqueued it) being served.
request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "request_id", default=None
)

REQUEST_ID_HEADER = "X-Request-ID"
# An id from the load balancer is kept if it looks like one; anything else is replaced,
# so a client cannot write arbitrary text into the logs.
_INCOMING_ID = re.compile(r"[A-Za-z0-9._-]{8,64}\Z")
_ADDRESS = re.compile(r"[\w.+'%-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")


def request_id_from(header_value: str | None) -> str:
    if header_value and _INCOMING_ID.match(header_value):
        return header_value
    return secrets.token_hex(8)


def job_meta() -> dict:
    """rq job meta for a job enqueued now: the request id travels into the job's logs."""
    request_id = request_id_var.get()
    return {"request_id": request_id} if request_id else {}


def address_hash(address: str) -> str:
    digest = hashlib.sha256(address.strip().lower().encode()).hexdigest()[:12]
    return f"addr-{digest}"


def redact(text: str) -> str:
    return _ADDRESS.sub(lambda match: address_hash(match.group(0)), text)


class JsonLogFormatter(JsonFormatter):
    """{"time", "level", "logger", "message", "request_id", ...extra fields} on one line."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("timestamp", "time")
        kwargs.setdefault("rename_fields", {"levelname": "level", "name": "logger"})
        super().__init__("%(levelname)s %(name)s %(message)s", *args, **kwargs)

    def add_fields(self, log_data, record, message_dict) -> None:
        super().add_fields(log_data, record, message_dict)
        request_id = request_id_var.get()
        if request_id and "request_id" not in log_data:
            log_data["request_id"] = request_id

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class TextLogFormatter(logging.Formatter):
    """For people at a terminal (`turnabout dev`): the same redaction, plain text."""

    def __init__(self):
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def configure_logging(stream=None) -> logging.Handler:
    """Send every log record of this process, rq's included, to stderr as JSON lines
    (LOG_FORMAT=text for a terminal); LOG_LEVEL sets the level (default INFO)."""
    text = os.environ.get("LOG_FORMAT", "json").lower() == "text"
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(TextLogFormatter() if text else JsonLogFormatter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(os.environ.get("LOG_LEVEL", "INFO").upper())
    return handler
