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
import hmac
import json
import logging
import os
import random
import re
import sys
import time

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
    # An id to match lines up, not a secret: `random` costs well under a microsecond where
    # secrets.token_hex (a getrandom system call) cost ~90 us here. Python reseeds
    # `random` in every forked process, so gunicorn workers do not repeat each other.
    return f"{random.getrandbits(64):016x}"


def job_meta() -> dict:
    """rq job meta for a job enqueued now: the request id travels into the job's logs."""
    request_id = request_id_var.get()
    return {"request_id": request_id} if request_id else {}


# The key of the address hash: the app's first ADDRESS_HASH_KEYS key, set by create_app, so
# lines can be matched up across processes but a list of likely addresses cannot be hashed
# and compared without the key. Unset (a command that never built the app): plain SHA-256.
_hash_key: bytes | None = None


def use_hash_key(key: str) -> None:
    global _hash_key
    _hash_key = key.encode()


def address_hash(address: str) -> str:
    normalised = address.strip().lower().encode()
    if _hash_key is None:
        digest = hashlib.sha256(normalised).hexdigest()
    else:
        digest = hmac.new(_hash_key, normalised, hashlib.sha256).hexdigest()
    return f"addr-{digest[:12]}"


def redact(text: str) -> str:
    if "@" not in text:  # most lines: skip the regex, which costs more than the rest
        return text
    return _ADDRESS.sub(lambda match: address_hash(match.group(0)), text)


# Attributes every LogRecord has; anything else was passed in `extra=` and is a field.
_RECORD_ATTRIBUTES = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class JsonLogFormatter(logging.Formatter):
    """{"time", "level", "logger", "message", "request_id", ...extra fields} on one line.

    Written out rather than taken from python-json-logger: it formats every request's line,
    and this is about five times cheaper (measured on this machine: 32 us against 194 us a line)."""

    _encoder = json.JSONEncoder(default=str)
    _second: tuple[int, str] = (-1, "")  # the last second formatted: most lines share it

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": f"{self._timestamp(int(record.created))}.{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = request_id_var.get()
        if request_id:
            line["request_id"] = request_id
        for name, value in record.__dict__.items():
            if name not in _RECORD_ATTRIBUTES:
                line[name] = value
        if record.exc_info:
            line["exc_info"] = self.formatException(record.exc_info)
        elif record.exc_text:
            line["exc_info"] = record.exc_text
        if record.stack_info:
            line["stack_info"] = self.formatStack(record.stack_info)
        return redact(self._encoder.encode(line))

    def _timestamp(self, second: int) -> str:
        if self._second[0] != second:
            self._second = (second, time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second)))
        return self._second[1]


class TextLogFormatter(logging.Formatter):
    """For people at a terminal (`turnabout dev`): the same redaction, plain text."""

    def __init__(self):
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def skip_unused_record_fields() -> None:
    """No log line here shows where a record was made or by which thread or process, yet
    logging finds all of that for every record (a walk up the stack for the caller):
    about a fifth of the cost of each request's line. The logging HOWTO's own advice
    ("Optimization"); the fields keep their defaults (lineno 0, no thread name)."""
    logging._srcfile = None
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False


def configure_logging(stream=None) -> logging.Handler:
    """Send every log record of this process, rq's included, to stderr as JSON lines
    (LOG_FORMAT=text for a terminal); LOG_LEVEL sets the level (default INFO)."""
    skip_unused_record_fields()
    text = os.environ.get("LOG_FORMAT", "json").lower() == "text"
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(TextLogFormatter() if text else JsonLogFormatter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(os.environ.get("LOG_LEVEL", "INFO").upper())
    return handler
