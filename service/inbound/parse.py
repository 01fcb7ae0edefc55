"""A stored inbound message (SendGrid raw or parsed mode) as one plain data object.

Which form field held what is SendGrid's format (service.mail.transports.sendgrid.
inbound_parse); this module reads the message itself.

Everything goes through the standard library `email` package with `policy.default`:
RFC 2047 headers, any charset, quoted-printable and base64; the message is cut to size
first (bounds.py) and bodies are read by bodies.py. Parsing never raises for odd input:
a header that cannot be read is treated as absent. The sender is read by trust.py.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from email.header import decode_header, make_header
from email.message import EmailMessage
from email.parser import BytesParser, Parser
from email.utils import getaddresses

from service.inbound import trust
from service.inbound.bodies import attachment_names, body_text, fix_c1
from service.inbound.bounds import (
    BOUNDED_POLICY,
    MAX_ADDRESS_FIELD,
    MAX_ADDRESSES,
    MAX_HTML,
    MAX_TEXT,
    bounded_message,
    bounded_text,
)
from service.inbound.htmltext import html_to_text
from service.inbound.models import InboundMessage
from service.mail.transports.sendgrid import inbound_parse
from service.mail.transports.sendgrid.inbound_parse import PostedFacts

_MSGID = re.compile(r"<[^<>\s\x00]+>")


@dataclass
class ParsedMail:
    message: EmailMessage  # headers (and, in raw mode, the whole message)
    from_address: str  # lower-cased address, "" if none
    from_name: str
    recipients: list[str]  # To, Cc, Delivered-To, X-Original-To, envelope "to": lower-cased
    subject: str
    message_id: str | None
    in_reply_to: list[str]
    references: list[str]
    text: str  # the readable body: text/plain, or text made from the HTML part
    attachments: list[str] = field(default_factory=list)  # file names (or types)
    spf: str | None = None
    dkim: str | None = None
    envelope_from: str | None = None
    spam_score: float = 0.0  # SendGrid's SpamAssassin score, when spam checking is on
    cuts: list[str] = field(default_factory=list)  # what bounds.py left out, if anything
    verdict: trust.Verdict = trust.Verdict(False, "not checked")

    def header(self, name: str) -> str:
        return safe_header(self.message, name)

    @property
    def authenticated(self) -> bool:
        """The receiving server's verdict vouches for the From domain (see trust.py)."""
        return self.verdict.authenticated


def safe_header(message: EmailMessage, name: str) -> str:
    """A header as text, "" when absent or so malformed the parser refuses it."""
    try:
        values = message.get_all(name) or []
        return " ".join(str(v) for v in values).strip()
    except Exception:
        try:
            raw = message.get_all(name, failobj=[]) if hasattr(message, "get_all") else []
            return " ".join(str(getattr(v, "_parse_tree", v)) for v in raw)
        except Exception:
            return ""


def _raw_header(message: EmailMessage, name: str) -> str:
    """The undecoded header text (for ids and addresses, decoding only adds risk)."""
    values = _raw_headers(message, name.lower())
    return values[0] if values else ""


def _raw_headers(message: EmailMessage, name: str) -> list[str]:
    """Every undecoded value of a header. 8-bit bytes (which the parser keeps as lone
    surrogates, which PostgreSQL cannot store) are read as UTF-8, or replaced."""
    return [
        str(v).encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        for k, v in message.raw_items()
        if k.lower() == name
    ]


def message_ids(value: str) -> list[str]:
    return _MSGID.findall(value or "")


def _addresses(values: list[str]) -> list[str]:
    try:
        pairs = getaddresses(values)
    except Exception:
        return []
    return [addr.strip().lower() for _, addr in pairs[:MAX_ADDRESSES] if "@" in addr]


def posted_recipients(fields: dict) -> list[str]:
    """The recipients SendGrid posted beside a stored message (`to`, `cc`, the envelope),
    lower-cased: enough to find its reply key without parsing the message."""
    posted = inbound_parse.posted_facts(fields if isinstance(fields, dict) else {})
    envelope = [str(a).strip().lower() for a in posted.envelope_to[:MAX_ADDRESSES]]
    return _addresses([posted.to, posted.cc]) + [a for a in envelope if "@" in a]


def message_id_of(data: bytes | str) -> str | None:
    """The Message-ID of a raw message or of a header block, for de-duplication."""
    try:
        if isinstance(data, str):
            data = data.encode("utf-8", "surrogateescape")
        value = first_raw_header(data[: 256 * 1024], b"message-id")
        ids = message_ids(value.decode("utf-8", "replace")) if value is not None else []
    except Exception:
        return None
    return ids[0][:250] if ids else None


# The email package's feedparser: a header line starts with a field name and a colon,
# with "From " (an mbox envelope line) or with folding white space; any other line ends
# the header block.
_HEADER_LINE = re.compile(rb"From |[\041-\071\073-\176]*:|[\t ]")


def first_raw_header(data: bytes, name: bytes) -> bytes | None:
    """The undecoded value of the first `name` field (lower case) of the header block, read
    line by line exactly as the email package's feedparser reads it (the webhook needs one
    field of each message: building the parser's header objects cost a tenth of its time).
    tests/test_inbound_message_id.py holds it to the parser's answer."""
    field: list[bytes] | None = None  # the lines of the field being read, if it is `name`
    for line in data.splitlines(keepends=True):  # \r\n, \r or \n, as the parser splits
        if not _HEADER_LINE.match(line):
            break  # the end of the header block
        if line[:1] in (b" ", b"\t"):
            if field is not None:
                field.append(line)
            continue
        if field is not None:
            break  # the first one is the answer
        # An envelope line ("From ...") or one without a field name (": ...") never
        # matches: the parser skips both, or stops at an envelope line last in the block.
        if line.split(b":", 1)[0].lower() == name:
            field = [line]
    if field is None:
        return None
    return (field[0].split(b":", 1)[1].lstrip(b" \t") + b"".join(field[1:])).rstrip(b"\r\n")


def no_nul(text: str) -> str:
    """PostgreSQL text cannot hold NUL; no person means one."""
    return text.replace("\x00", "")


# ------------------------------------------------------------------ modes


def _parsed_mode_message(payload: dict, cuts: list[str]) -> tuple[EmailMessage, str, list[str]]:
    parts = inbound_parse.parsed_parts(payload)
    headers, _ = bounded_message(parts.headers.encode("utf-8", "surrogateescape").rstrip(b"\r\n"))
    # Parsed as text, as SendGrid decoded it: 8-bit UTF-8 in a header stays readable.
    text_headers = headers.decode("utf-8", "surrogateescape")
    message = Parser(policy=BOUNDED_POLICY).parsestr(text_headers, headersonly=True)
    text = bounded_text(parts.text, MAX_TEXT, "text", cuts)
    if not text.strip() and parts.html:
        text = html_to_text(bounded_text(parts.html, MAX_HTML, "HTML", cuts))
    return message, text.replace("\r\n", "\n"), parts.attachments


def parse_inbound(row: InboundMessage, trusted_authserv: tuple[str, ...] = ()) -> ParsedMail:
    """The stored message as ParsedMail, read within the bounds of bounds.py (the cuts
    made are listed in `mail.cuts`; the stored original stays whole)."""
    if row.mode == "raw":
        data, cuts = bounded_message(row.raw or b"")
        message = BytesParser(policy=BOUNDED_POLICY).parsebytes(data)
        text, attachments = body_text(message, cuts), attachment_names(message)
    else:
        payload = json.loads((row.raw or b"{}").decode("utf-8"))
        cuts = []
        message, text, attachments = _parsed_mode_message(
            payload if isinstance(payload, dict) else {}, cuts
        )
    mail = build(message, text, attachments, row.fields or {}, trusted_authserv)
    mail.cuts = cuts
    return mail


def _sender(message: EmailMessage, posted: PostedFacts) -> tuple[str, str]:
    """(name, address) of the From mailbox as mail servers read it (trust.py); the
    display name decoded for people, the address from the undecoded header."""
    raw = _raw_header(message, "from") or posted.from_
    found = trust.sender_mailbox(raw)
    if found is None:
        return "", ""
    name, address = found
    try:
        name = str(make_header(decode_header(name)))
    except Exception:  # a broken encoded word: keep it as it came
        pass
    return name, address


def build(
    message: EmailMessage,
    text: str,
    attachments: list[str],
    fields: dict,
    trusted_authserv: tuple[str, ...] = (),
) -> ParsedMail:
    posted = inbound_parse.posted_facts(fields)
    name, address = _sender(message, posted)
    # Undecoded values and email.utils' light parser: addresses are ASCII, and the
    # policy's full parser costs a millisecond per address.
    raw_values = [
        value[:MAX_ADDRESS_FIELD]
        for h in ("to", "cc", "delivered-to", "x-original-to", "envelope-to")
        for value in _raw_headers(message, h)
    ]
    recipients = _addresses(raw_values + [posted.to, posted.cc])
    recipients += [
        str(a).strip().lower() for a in posted.envelope_to[:MAX_ADDRESSES] if "@" in str(a)
    ]
    mail = ParsedMail(
        message=message,
        from_address=no_nul(address.strip().lower()) if "@" in address else "",
        from_name=no_nul(name),
        recipients=list(dict.fromkeys(recipients)),
        subject=no_nul(_subject(message, posted)),
        message_id=(message_ids(_raw_header(message, "message-id")) or [None])[0],
        in_reply_to=message_ids(_raw_header(message, "in-reply-to")),
        references=message_ids(_raw_header(message, "references")),
        text=no_nul(text),
        attachments=[no_nul(a) for a in attachments],
        spf=posted.spf,
        dkim=posted.dkim,
        envelope_from=posted.envelope_from,
        spam_score=posted.spam_score,
    )
    mail.verdict = trust.verdict(
        mail.from_address,
        dkim_field=mail.dkim,
        spf_field=mail.spf,
        envelope_from=mail.envelope_from,
        auth_results=trust.authentication_results(
            _raw_headers(message, "authentication-results"), trusted_authserv
        ),
    )
    return mail


def _subject(message: EmailMessage, posted: PostedFacts) -> str:
    subject = safe_header(message, "subject") or posted.subject
    if "?iso-8859-1?" in _raw_header(message, "subject").lower():
        subject = fix_c1(subject)
    return subject
