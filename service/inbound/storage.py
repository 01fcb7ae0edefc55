"""Store an Inbound Parse POST before anything else happens to it.

SendGrid retries a POST answered with 5xx for up to three days, so the webhook only
has to get the message into the database; everything else happens in a job.

Form fields are read as bytes: the `email` field of raw mode is a whole MIME message
that may contain 8-bit text in any charset, and parsed mode's text fields come in the
charsets its `charsets` field names. Werkzeug would decode both as UTF-8 and replace
what it cannot read, so our parser decodes every part as Latin-1 (lossless) and the
bytes are recovered exactly.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import Headers
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.formparser import FormDataParser, MultiPartParser

from service.database import utcnow
from service.extensions import db
from service.inbound.batch import kick
from service.inbound.models import InboundMessage, InboundState
from service.inbound.parse import message_id_of

log = logging.getLogger(__name__)

# Small fields worth keeping next to the message: authentication results and routing.
META_FIELDS = ("to", "from", "cc", "subject", "SPF", "dkim", "spam_score", "sender_ip")
# Parsed-mode fields that make up the message itself (stored as the row's raw JSON).
PARSED_FIELDS = ("headers", "text", "html", "attachment-info", "content-ids", "attachments")


class _BytePreservingMultiPart(MultiPartParser):
    def get_part_charset(self, headers: Headers) -> str:
        return "latin-1"


class _BytePreservingParser(FormDataParser):
    def _parse_multipart(self, stream, mimetype, content_length, options):
        parser = _BytePreservingMultiPart(
            stream_factory=self.stream_factory,
            max_form_memory_size=self.max_form_memory_size,
            max_form_parts=self.max_form_parts,
            cls=self.cls,
        )
        boundary = options.get("boundary", "").encode("ascii", "replace")
        if not boundary:
            raise ValueError("Missing boundary")
        form, files = parser.parse(stream, boundary, content_length)
        return stream, form, files


@dataclass
class WebhookForm:
    fields: dict[str, bytes]
    files: list[tuple[str, str, int]]  # (field name, file name, size)


def read_form(request, max_bytes: int) -> WebhookForm:
    """The POST's fields as bytes. Raises RequestEntityTooLarge over `max_bytes`."""
    parser = _BytePreservingParser(
        max_form_memory_size=max_bytes,
        max_content_length=request.max_content_length,
        max_form_parts=request.max_form_parts,
        silent=True,
    )
    mimetype, options = request.mimetype, request.mimetype_params
    if mimetype == "multipart/form-data":
        _, form, files = parser.parse(request.stream, mimetype, request.content_length, options)
        fields = {k: v.encode("latin-1") for k, v in form.items(multi=False)}
        attached = []
        for name, storage in files.items(multi=True):
            # Attachments are never relayed: note name and size, keep nothing else.
            storage.stream.seek(0, 2)
            attached.append((name, storage.filename or "", storage.stream.tell()))
            storage.close()
        return WebhookForm(fields, attached)
    if mimetype == "application/x-www-form-urlencoded":
        fields = {k: v.encode("utf-8") for k, v in request.form.items(multi=False)}
        return WebhookForm(fields, [])
    return WebhookForm({}, [])


MAX_JSON_DEPTH = 20  # SendGrid's JSON (envelope, charsets, events) is two or three deep


def loads(text: str | bytes):
    """json.loads for what arrives over the network: without NaN/Infinity (PostgreSQL's
    json refuses them), NUL removed from every string (PostgreSQL cannot store it), and
    ValueError, not RecursionError, for a value nested deeper than MAX_JSON_DEPTH."""
    try:
        value = json.loads(text, parse_constant=lambda _: None)
    except RecursionError as exc:
        raise ValueError("JSON nested too deeply") from exc
    if nesting_depth(value) > MAX_JSON_DEPTH:
        raise ValueError(f"JSON nested more than {MAX_JSON_DEPTH} levels deep")
    return without_nul(value)


def nesting_depth(value) -> int:
    """How deep lists and objects nest, without recursion (the input chose the depth)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (list, dict)):
            deepest = max(deepest, depth)
            if depth > MAX_JSON_DEPTH:
                return depth
            stack.extend((child, depth + 1) for child in _children(item))
    return deepest


def _children(item: list | dict):
    return item.values() if isinstance(item, dict) else item


def without_nul(value):
    """`value` with NUL removed from every string; only for a value of bounded depth."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, list):
        return [without_nul(v) for v in value]
    if isinstance(value, dict):
        return {without_nul(k): without_nul(v) for k, v in value.items()}
    return value


def _charsets(fields: dict[str, bytes]) -> dict[str, str]:
    try:
        value = loads(fields.get("charsets", b"{}").decode("utf-8", "replace"))
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def decode_field(fields: dict[str, bytes], name: str, charsets: dict[str, str]) -> str:
    data = fields.get(name, b"")
    charset = str(charsets.get(name) or "utf-8")
    try:
        return data.decode(charset, "replace")
    except (LookupError, ValueError):  # a charset Python does not know, or not a text one
        return data.decode("utf-8", "replace")


def _envelope(text: str) -> dict:
    try:
        value = loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def build_row(form: WebhookForm) -> InboundMessage:
    """An unsaved InboundMessage for the form; raises ValueError if it holds no message."""
    fields, charsets = form.fields, _charsets(form.fields)
    meta = {
        n: decode_field(fields, n, charsets)[:2000].replace("\x00", "")
        for n in META_FIELDS
        if n in fields
    }
    meta["envelope"] = _envelope(decode_field(fields, "envelope", charsets))
    meta["charsets"] = charsets
    if "email" in fields:
        raw = fields["email"]
        return InboundMessage(
            mode="raw", raw=raw, fields=meta, size=len(raw), message_id=message_id_of(raw)
        )
    if "headers" in fields or "text" in fields or "html" in fields:
        payload = {name: decode_field(fields, name, charsets) for name in PARSED_FIELDS}
        try:
            payload["attachment-info"] = loads(payload["attachment-info"] or "{}")
        except ValueError:
            payload["attachment-info"] = {}
        meta["files"] = [{"field": f, "filename": n, "size": s} for f, n, s in form.files]
        raw = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        return InboundMessage(
            mode="parsed",
            raw=raw,
            fields=meta,
            size=len(raw) + sum(s for _, _, s in form.files),
            message_id=message_id_of(payload["headers"]),
        )
    raise ValueError("no message in the POST: neither an `email` field nor `headers`/`text`")


def _insert(row: InboundMessage) -> int:
    """One INSERT ... RETURNING id, without the ORM's unit of work (a third of the
    webhook's own time); `row` stays a plain unsaved object for the caller."""
    values = {name: getattr(row, name) for name in ("mode", "raw", "fields", "size", "message_id")}
    statement = insert(InboundMessage).values(
        **values, received_at=utcnow(), state=InboundState.STORED
    )
    return db.session.execute(statement.returning(InboundMessage.id)).scalar_one()


def store(form: WebhookForm, max_bytes: int) -> tuple[InboundMessage | None, str]:
    """Save the message and enqueue its processing after commit.

    Returns (row, outcome): "stored", "duplicate" (same Message-ID already stored: the
    first copy is the one processed) or "empty". Commits; raises only if the database
    cannot store it.
    """
    try:
        row = build_row(form)
    except ValueError:
        return None, "empty"
    if row.size > max_bytes:
        raise RequestEntityTooLarge()
    try:
        row.id = _insert(row)
    except IntegrityError:  # the same Message-ID is stored already (unique): one round
        db.session.rollback()  # trip for every new message instead of a look-up first
        return None, "duplicate"
    db.session.commit()
    # Kicked after the commit by hand (not enqueue_after_commit) so a Redis outage
    # cannot turn a stored message into a 5xx: sweep_stored() picks it up later.
    try:
        kick()
    except Exception:
        log.exception("inbound message %s stored but no job kicked; the sweep will", row.id)
    return row, InboundState.STORED
