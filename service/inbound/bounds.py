"""What one inbound message may cost: cut it to size before the email parser sees it.

The standard library's parser is fine on mail people write and slow or unbounded on
mail written against it: 705 KB of encoded words in a Subject took 85 s, a To: with
29,000 addresses 25 s, a 188 KB Content-Type 26 s, deep MIME nesting a RecursionError.
So the raw bytes are cut first, in linear time, to what a person's reply needs:

- the header block to 64 KB and 200 whole fields, each field to 4 KB (address fields
  8 KB, of which the first 100 addresses are read; Content-Type and Content-Disposition
  300 bytes, also in every body part, through BoundedPolicy);
- the body to 1 MB, at most 10 multipart containers and 200 part boundaries;
- the text and the HTML taken from it to 256 KB each (HTML to text is linear anyway);
- what the reply trimmer reads, and what is relayed (20,000 characters, with a note).

The stored original is never changed: an admin can still look at all of it. Each cut is
named in the message's `fields["cuts"]`.
"""

from __future__ import annotations

import re
from email.policy import EmailPolicy, linesep_splitter
from functools import lru_cache

MAX_HEADER_BLOCK = 64 * 1024
MAX_HEADER_FIELDS = 200
MAX_HEADER_FIELD = 4 * 1024
MAX_ADDRESS_FIELD = 8 * 1024
MAX_ADDRESSES = 100
# The header parser is slow on a MIME field's parameter list (4 KB of parameters:
# 0.26 s per access, and a message's Content-Type is read a dozen times).
MAX_MIME_FIELD = 300
MIME_FIELDS = ("content-type", "content-disposition")
MAX_BODY = 1024 * 1024
MAX_MULTIPART_LEVELS = 10
MAX_BOUNDARIES = 200
MAX_TEXT = 256 * 1024
MAX_HTML = 256 * 1024
MAX_TRIM_INPUT = 64 * 1024  # what the reply trimmer reads: the new text is at the top
MAX_COMMAND_INPUT = 4 * 1024  # what is read of a message to a thread over its daily limit
MAX_RELAYED_TEXT = 20_000  # characters passed on to the partner

ADDRESS_FIELDS = {
    "from", "to", "cc", "reply-to", "sender", "delivered-to", "x-original-to",
    "envelope-to", "references", "in-reply-to",
}  # fmt: skip
_BLANK_LINE = re.compile(rb"\r?\n\r?\n")
_MULTIPART = re.compile(rb"multipart/", re.I)
_BOUNDARY_LINE = re.compile(rb"\n--")


def bounded_message(raw: bytes) -> tuple[bytes, list[str]]:
    """The raw message cut to the limits above, and the cuts made (empty if none)."""
    cuts: list[str] = []
    blank = _BLANK_LINE.search(raw)
    head, body = (raw, b"") if blank is None else (raw[: blank.start()], raw[blank.end() :])
    head = _bounded_header_block(head, cuts)
    body = _bounded_body(body, cuts)
    return head + b"\r\n\r\n" + body, cuts


def _bounded_header_block(head: bytes, cuts: list[str]) -> bytes:
    """Whole fields, each cut to its limit, at most MAX_HEADER_FIELDS of them and
    MAX_HEADER_BLOCK bytes in all."""
    fields: list[list[bytes]] = []  # each field's lines (folded continuations appended)
    sizes: list[int] = []
    for line in head.split(b"\n"):
        if line[:1] in (b" ", b"\t") and fields:
            if sizes[-1] <= MAX_ADDRESS_FIELD:  # the rest would be cut below anyway
                fields[-1].append(line)
                sizes[-1] += len(line) + 1
        elif len(fields) == MAX_HEADER_FIELDS:
            cuts.append(f"more than {MAX_HEADER_FIELDS} header fields")
            break
        else:
            fields.append([line])
            sizes.append(len(line))
    kept, total = [], 0
    for lines in fields:
        item = b"\n".join(lines)
        name = item.split(b":", 1)[0].strip().decode("ascii", "replace")[:40]
        limit = field_limit(name)
        if len(item) > limit:
            cuts.append(f"{name.lower()} header over {limit} bytes")
            item = _cut_field(item, limit)
        if total + len(item) > MAX_HEADER_BLOCK:
            cuts.append("header block over 64 KB")
            break
        kept.append(item)
        total += len(item) + 1
    return b"\n".join(kept)


def field_limit(name: str) -> int:
    lowered = name.strip().lower()
    if lowered in MIME_FIELDS:
        return MAX_MIME_FIELD
    return MAX_ADDRESS_FIELD if lowered in ADDRESS_FIELDS else MAX_HEADER_FIELD


def _cut_field(item: bytes, limit: int) -> bytes:
    """Cut at the last space or comma before the limit, so no word or address is split."""
    cut = max(item.rfind(b" ", 0, limit), item.rfind(b",", 0, limit))
    return item[: cut if cut > limit // 2 else limit].rstrip(b", \r\n")


def _bounded_body(body: bytes, cuts: list[str]) -> bytes:
    if len(body) > MAX_BODY:
        cuts.append("body over 1 MB")
        body = body[:MAX_BODY]
    for pattern, limit, what in (
        (_MULTIPART, MAX_MULTIPART_LEVELS, "multipart containers"),
        (_BOUNDARY_LINE, MAX_BOUNDARIES, "part boundaries"),
    ):
        match = None
        for count, match in enumerate(pattern.finditer(body), start=1):  # noqa: B007
            if count > limit:
                break
        else:
            continue
        cuts.append(f"more than {limit} {what}")
        body = body[: body.rfind(b"\n", 0, match.start()) + 1]
    return body


class BoundedPolicy(EmailPolicy):
    """policy.default, except that a header is cut to size before it is parsed: in the
    message's own header block and in every body part's, where bounded_message cannot
    reach without parsing the MIME structure itself."""

    def header_fetch_parse(self, name, value):
        limit = field_limit(name)
        if len(value) > limit:
            cut = max(value.rfind(" ", 0, limit), value.rfind(";", 0, limit))
            value = value[: cut if cut > limit // 2 else limit]
        if limit == MAX_MIME_FIELD and not hasattr(value, "name"):  # else parsed already
            return _mime_header(self.header_factory, name, value)
        return super().header_fetch_parse(name, value)


@lru_cache(maxsize=256)
def _mime_header(header_factory, name: str, value: str):
    """Content-Type and Content-Disposition, parsed once: the email package reads them
    again on every get_content_type(), get_body() and get_content() (29 parses of a
    300-character header per reply, an eighth of the inbound job). Header objects are
    never changed in place (setting a header replaces it), so one can be shared."""
    return header_factory(name, "".join(linesep_splitter.split(value)))  # as EmailPolicy


BOUNDED_POLICY = BoundedPolicy()


def bounded_text(text: str, limit: int, what: str, cuts: list[str]) -> str:
    if len(text) <= limit:
        return text
    cuts.append(f"{what} over {limit // 1024} KB")
    return text[:limit]


def for_trimmer(text: str, *, short: bool = False) -> str:
    """The start of the text, whole lines, for the reply trimmer to read (with `short`,
    just enough for a command)."""
    limit = MAX_COMMAND_INPUT if short else MAX_TRIM_INPUT
    if len(text) <= limit:
        return text
    return text[: text.rfind("\n", 0, limit) + 1 or limit]


SHORTENED_NOTE = (
    "[Turnabout shortened this message: it was longer than a reply we pass on. "
    "Ask for the rest in your answer.]"
)


def for_relay(text: str) -> str:
    """At most MAX_RELAYED_TEXT characters, cut at a line or a word, with a note to the
    reader when something was left out."""
    if len(text) <= MAX_RELAYED_TEXT:
        return text
    cut = text.rfind("\n", 0, MAX_RELAYED_TEXT)
    if cut < MAX_RELAYED_TEXT // 2:
        cut = text.rfind(" ", 0, MAX_RELAYED_TEXT)
    if cut < MAX_RELAYED_TEXT // 2:
        cut = MAX_RELAYED_TEXT
    return text[:cut].rstrip() + "\n\n" + SHORTENED_NOTE
