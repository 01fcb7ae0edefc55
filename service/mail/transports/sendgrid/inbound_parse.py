"""SendGrid's Inbound Parse format: which form field holds what.

SendGrid posts each message sent to INBOUND_DOMAIN as a form, in one of two modes: raw
(the whole MIME message in `email`; the original kept byte for byte) or parsed (`headers`,
`text`, `html` and the attachment info in fields of their own). Text fields come in the
charsets the `charsets` field names. Beside the message come its envelope and what
SendGrid's MX measured (`SPF`, `dkim`, `spam_score`), kept as the stored row's `fields`.
Storing the form (service.inbound.storage) and parsing the message within its bounds
(service.inbound.parse) are the inbound job's work; this module only knows the format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from service.mail.transports.sendgrid.posted_json import loads

RAW_FIELD = "email"  # raw mode: the whole MIME message
# Small fields worth keeping next to the message: authentication results and routing.
META_FIELDS = ("to", "from", "cc", "subject", "SPF", "dkim", "spam_score", "sender_ip")
# Parsed-mode fields that make up the message itself (stored as the row's raw JSON).
PARSED_FIELDS = ("headers", "text", "html", "attachment-info", "content-ids", "attachments")
MAX_ATTACHMENT_NAMES = 50
# One `dkim` entry: "@example.org : pass" (linear: bounded repeats only).
_DKIM_ENTRY = re.compile(r"@([A-Za-z0-9.-]{1,253}) ?: ?([A-Za-z]{1,20})")


def charsets(fields: dict[str, bytes]) -> dict[str, str]:
    """The `charsets` field: which charset each text field came in."""
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


def meta_fields(fields: dict[str, bytes], charsets: dict[str, str]) -> dict:
    """What to keep beside the message: the META_FIELDS present (as text, NUL removed,
    2,000 characters at most each), the envelope and the charsets."""
    meta = {
        n: decode_field(fields, n, charsets)[:2000].replace("\x00", "")
        for n in META_FIELDS
        if n in fields
    }
    meta["envelope"] = _envelope(decode_field(fields, "envelope", charsets))
    meta["charsets"] = charsets
    return meta


def raw_message(fields: dict[str, bytes]) -> bytes | None:
    """The MIME message of a raw-mode POST, None in parsed mode."""
    return fields.get(RAW_FIELD)


def parsed_payload(fields: dict[str, bytes], charsets: dict[str, str]) -> dict | None:
    """The PARSED_FIELDS as text (attachment info as JSON), or None if the POST holds
    no parsed-mode message (neither `headers`, `text` nor `html`)."""
    if not ("headers" in fields or "text" in fields or "html" in fields):
        return None
    payload = {name: decode_field(fields, name, charsets) for name in PARSED_FIELDS}
    try:
        payload["attachment-info"] = loads(payload["attachment-info"] or "{}")
    except ValueError:
        payload["attachment-info"] = {}
    return payload


@dataclass(frozen=True)
class ParsedParts:
    """A stored parsed-mode payload, as SendGrid split the message."""

    headers: str  # the header block, decoded by SendGrid
    text: str
    html: str
    attachments: list[str]  # file names (or types); inline images left out


def parsed_parts(payload: dict) -> ParsedParts:
    info = payload.get("attachment-info") or {}
    items = list(info.items())[:MAX_ATTACHMENT_NAMES] if isinstance(info, dict) else []
    names = [
        str(item.get("filename") or item.get("name") or item.get("type") or key)[:200]
        for key, item in items
        if isinstance(item, dict)
        and not (item.get("content-id") and str(item.get("type", "")).startswith("image/"))
    ]
    return ParsedParts(
        headers=str(payload.get("headers") or ""),
        text=str(payload.get("text") or ""),
        html=str(payload.get("html") or ""),
        attachments=names,
    )


@dataclass(frozen=True)
class PostedFacts:
    """What SendGrid posted beside the message, read from the stored `fields`."""

    from_: str
    to: str
    cc: str
    subject: str
    spf: str | None  # the SPF verdict for the envelope sender
    dkim: str | None  # "{@example.org : pass}", one entry per signature
    envelope_from: str | None
    envelope_to: list = field(default_factory=list)
    spam_score: float = 0.0  # SpamAssassin's score, when spam checking is on


def posted_facts(fields: dict) -> PostedFacts:
    envelope = fields.get("envelope") if isinstance(fields.get("envelope"), dict) else {}
    envelope_to = envelope.get("to") or []
    try:
        spam_score = float(fields.get("spam_score") or 0)
    except (TypeError, ValueError):
        spam_score = 0.0
    return PostedFacts(
        from_=str(fields.get("from", "")),
        to=str(fields.get("to", ""))[:2000],
        cc=str(fields.get("cc", ""))[:2000],
        subject=str(fields.get("subject", "")),
        spf=fields.get("SPF"),
        dkim=fields.get("dkim"),
        envelope_from=str(envelope.get("from") or "") or None,
        envelope_to=[envelope_to] if isinstance(envelope_to, str) else envelope_to,
        spam_score=spam_score,
    )


def dkim_passes(dkim_field: str | None) -> list[str]:
    """Domains whose DKIM signature passed, from SendGrid's `dkim` field."""
    return [
        domain.lower()
        for domain, result in _DKIM_ENTRY.findall((dkim_field or "")[:2000])
        if result.lower() == "pass"
    ]
