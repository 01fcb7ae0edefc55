"""Store an Inbound Parse POST before anything else happens to it.

SendGrid retries a POST answered with 5xx for up to three days, so the webhook only
has to get the message into the database; everything else happens in a job.

Form fields are read as bytes: the `email` field of raw mode is a whole MIME message
that may contain 8-bit text in any charset, and parsed mode's text fields come in the
charsets its `charsets` field names. Werkzeug would decode both as UTF-8 and replace
what it cannot read; service.inbound.multipart splits the body into exact bytes (and
costs a tenth of what werkzeug's parser did). Which field holds what is SendGrid's
format, read by service.mail.transports.sendgrid.inbound_parse.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

from sqlalchemy import bindparam
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import RequestEntityTooLarge

from service.autocommit import autocommit_request
from service.database import utcnow
from service.direct_sql import DirectStatement
from service.extensions import db
from service.inbound import multipart
from service.inbound.batch import kick
from service.inbound.models import InboundMessage, InboundState
from service.inbound.parse import message_id_of
from service.mail.transports.sendgrid import inbound_parse

log = logging.getLogger(__name__)


@dataclass
class WebhookForm:
    fields: dict[str, bytes]
    files: list[tuple[str, str, int]]  # (field name, file name, size)


def read_form(request, max_bytes: int) -> WebhookForm:
    """The POST's fields as bytes. Raises RequestEntityTooLarge over `max_bytes`."""
    mimetype = request.mimetype
    if mimetype == "multipart/form-data":
        # request.stream is bounded: a Content-Length over MAX_CONTENT_LENGTH is refused
        # (413) before a byte is read, and it reads no further than the length (or than
        # MAX_CONTENT_LENGTH from a server that ends a body without one).
        form = multipart.parse(
            request.stream.read(),
            request.mimetype_params.get("boundary", ""),
            max_field=max_bytes,
            max_parts=request.max_form_parts,
        )
        return WebhookForm(form.fields, form.files)
    if mimetype == "application/x-www-form-urlencoded":
        fields = {k: v.encode("utf-8") for k, v in request.form.items(multi=False)}
        return WebhookForm(fields, [])
    return WebhookForm({}, [])


def row_values(form: WebhookForm) -> dict:
    """The new row's mode, raw, fields, size and message_id for the form (a dict: an
    InboundMessage built only to be read back cost ~0.08 ms); raises ValueError if the
    form holds no message."""
    fields = form.fields
    charsets = inbound_parse.charsets(fields)
    meta = inbound_parse.meta_fields(fields, charsets)
    raw = inbound_parse.raw_message(fields)
    if raw is not None:
        return dict(mode="raw", raw=raw, fields=meta, size=len(raw), message_id=message_id_of(raw))
    payload = inbound_parse.parsed_payload(fields, charsets)
    if payload is not None:
        meta["files"] = [{"field": f, "filename": n, "size": s} for f, n, s in form.files]
        raw = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        return dict(
            mode="parsed",
            raw=raw,
            fields=meta,
            size=len(raw) + sum(s for _, _, s in form.files),
            message_id=message_id_of(payload["headers"]),
        )
    raise ValueError("no message in the POST: neither an `email` field nor `headers`/`text`")


# On the driver's cursor (service/direct_sql.py): through a Core connection the INSERT
# cost ~0.15 ms of Python on top of its round trip. Every column with a Python-side
# default is given, so the statement needs nothing computed as it executes.
_TABLE = InboundMessage.__table__
_COLUMNS = ("received_at", "state", "mode", "raw", "fields", "size", "message_id")
_INSERT = DirectStatement(
    _TABLE.insert().values({name: bindparam(name) for name in _COLUMNS}).returning(_TABLE.c.id)
)


def store(form: WebhookForm, max_bytes: int) -> tuple[int | None, str]:
    """Save the message and enqueue its processing after commit.

    Returns (the new row's id, outcome): outcome "stored", or "duplicate" (same Message-ID
    already stored: the first copy is the one processed) or "empty" with no id. Commits;
    raises only if the database cannot store it.
    """
    try:
        values = row_values(form)
    except ValueError:
        return None, "empty"
    if values["size"] > max_bytes:
        raise RequestEntityTooLarge()
    values.update(received_at=utcnow(), state=InboundState.STORED)
    # One INSERT ... RETURNING id, without the ORM (its unit of work cost a third of the
    # webhook's own time): on PostgreSQL in autocommit on a kept connection, one round
    # trip that commits (service.autocommit); elsewhere in the session's transaction.
    in_transaction = not autocommit_request(with_session=False)  # nothing else to run
    try:
        row_id = _INSERT.first(values).id
    except IntegrityError:  # the same Message-ID is stored already (unique): one round
        if in_transaction:  # trip for every new message instead of a look-up first
            db.session.rollback()
        return None, "duplicate"
    if in_transaction:
        db.session.commit()
    # Kicked after the commit by hand (not enqueue_after_commit) so a Redis outage
    # cannot turn a stored message into a 5xx: sweep_stored() picks it up later.
    try:
        kick()
    except Exception:
        log.exception("inbound message %s stored but no job kicked; the sweep will", row_id)
    return row_id, InboundState.STORED
