"""The readable text of a raw message, and the names of what it carries as attachments.

Text and HTML are cut to bounds.MAX_TEXT / MAX_HTML before anything reads them.
"""

from __future__ import annotations

import re
from email.message import EmailMessage

from service.inbound.bounds import MAX_HTML, MAX_TEXT, bounded_text
from service.inbound.htmltext import html_to_text

_C1 = re.compile("[\x80-\x9f]")


LATIN1_LABELS = ("iso-8859-1", "latin-1", "latin1", "iso_8859-1", "l1", "us-ascii", "ascii")


def fix_c1(text: str) -> str:
    """Text labelled ISO-8859-1 is nearly always Windows-1252 (Outlook's curly quotes
    and dashes): map the C1 control characters the way browsers do."""
    return _C1.sub(lambda m: bytes([ord(m.group())]).decode("cp1252", "replace"), text)


def _part_text(part) -> str:
    try:
        content = part.get_content()
    except Exception:
        payload = part.get_payload(decode=True) or b""
        content = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
    return content if isinstance(content, str) else ""


def body_text(message: EmailMessage, cuts: list[str] | None = None) -> str:
    """The plain text a person wrote: text/plain preferred, else HTML made readable.
    Text and HTML are cut to bounds.MAX_TEXT / MAX_HTML first (the cut noted in `cuts`)."""
    cuts = [] if cuts is None else cuts
    try:
        body = message.get_body(preferencelist=("plain", "html"))
    except Exception:
        body = None
    if body is None:
        if message.is_multipart():
            return ""
        body = message
    if body.get_content_maintype() != "text":
        return ""
    text = _part_text(body)
    if body.get_content_subtype() == "html":
        text = html_to_text(bounded_text(text, MAX_HTML, "HTML", cuts))
    text = bounded_text(text, MAX_TEXT, "text", cuts)
    if (body.get_content_charset() or "").lower() in LATIN1_LABELS:
        text = fix_c1(text)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def attachment_names(message: EmailMessage) -> list[str]:
    """Files the sender attached, and forwarded emails. Images embedded by Content-ID
    in a multipart/related (signature logos) are part of the layout, not attachments."""
    names: list[str] = []

    def visit(parent, depth: int) -> None:
        payload = parent.get_payload()
        if depth > 20 or not isinstance(payload, list):
            return
        related = parent.get_content_type() == "multipart/related"
        for part in payload:
            if part.get_content_type() == "message/rfc822":
                names.append(_filename(part) or "a forwarded email")
            elif part.is_multipart():
                visit(part, depth + 1)
            elif (
                related
                and part.get("Content-ID")
                and part.get_content_disposition() != "attachment"
            ):
                continue
            elif part.get_content_disposition() == "attachment" or (
                _filename(part) and part.get_content_maintype() != "text"
            ):
                names.append(_filename(part) or part.get_content_type())

    if message.is_multipart():
        visit(message, 0)
    return names


def _filename(part) -> str | None:
    try:
        return part.get_filename()
    except Exception:
        return None
