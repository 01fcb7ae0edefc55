"""multipart/form-data for the Inbound Parse webhook, split from bytes in one pass.

Werkzeug's parser streams: regular expressions over a buffer trimmed as it goes, an
event per step, a Headers object and parse_options_header per part, a temporary file per
attachment. That was a fifth of the webhook's CPU (~0.6 ms of ~3 ms per reply), while the
body, already capped at MAX_CONTENT_LENGTH, can be split on its boundary with bytes.find
in a few tens of microseconds. Values stay the exact bytes sent: the `email` field of
raw mode is a whole MIME message in any charset (service.inbound.storage says more).

Accepted, as werkzeug accepts them: CRLF or bare LF line ends (SendGrid's own samples use
LF), a preamble and an epilogue, blanks after a delimiter, folded header lines, quoted or
bare parameters. A line that starts with the delimiter and goes on with anything but
blanks or "--" is content. A part without a name is skipped; of repeated names the first
counts. File parts (a `filename` parameter) are noted by size, their content dropped.

Refused with MultipartError (a ValueError): a missing or unusable boundary, no delimiter
at all, a part whose headers do not end within MAX_HEADER_LINES lines or
MAX_HEADER_BYTES, part headers that are not UTF-8 (werkzeug refuses them too), a part
without Content-Disposition, a body cut off before its closing delimiter. Bare CR line
ends, which werkzeug also reads, are refused: no sender we know writes them. An empty
body is an empty form. Over the limits, RequestEntityTooLarge (413), as with werkzeug.

Linear in the body: each search for the next delimiter starts where the previous one
stopped, and a part's header search is bounded by MAX_HEADER_BYTES.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import unquote

from werkzeug.exceptions import RequestEntityTooLarge

MAX_BOUNDARY = 200  # RFC 2046 says 70; werkzeug takes any length
MAX_HEADER_LINES = 16  # per part; SendGrid sends one or two
MAX_HEADER_BYTES = 16 * 1024  # per part, all its header lines
_CHARSETS = {"ascii", "us-ascii", "utf-8", "iso-8859-1"}  # of RFC 2231 values, as werkzeug


class MultipartError(ValueError):
    pass


@dataclass
class Form:
    fields: dict[str, bytes] = field(default_factory=dict)
    files: list[tuple[str, str, int]] = field(default_factory=list)  # name, filename, size


def parse(body: bytes, boundary: str, *, max_field: int, max_parts: int | None) -> Form:
    """The form in `body`; a field over `max_field` bytes or more than `max_parts` parts
    raise RequestEntityTooLarge, a body that is not multipart/form-data MultipartError."""
    form = Form()
    if not body:
        return form
    delimiter = b"--" + _checked(boundary)
    pos = _first_delimiter(body, delimiter)
    parts = 0
    while True:
        # pos is at a delimiter; after it, "--" closes the form, else blanks end its line.
        after = pos + len(delimiter)
        if body.startswith(b"--", after):
            return form
        line_end = body.find(b"\n", after)
        if line_end == -1:
            raise MultipartError("the body ends after a delimiter: truncated")
        parts += 1
        if max_parts is not None and parts > max_parts:
            raise RequestEntityTooLarge()
        headers, start = _headers(body, line_end + 1)
        # From the blank line's own line end: an empty value may share it with the next
        # delimiter ("...\n\n--boundary"), as werkzeug reads it.
        pos = _next_delimiter(body, delimiter, start - 1)
        if pos == -1:
            raise MultipartError("no closing delimiter: the body is truncated")
        end = pos - 2 if body[pos - 2 : pos] == b"\r\n" else pos - 1
        _add(form, headers, body, start, max(start, end), max_field)


def _checked(boundary: str) -> bytes:
    if not boundary:
        raise MultipartError("multipart/form-data without a boundary parameter")
    if len(boundary) > MAX_BOUNDARY or not boundary.isascii() or not boundary.isprintable():
        raise MultipartError(f"unusable multipart boundary {boundary[:80]!r}")
    return boundary.encode("ascii")


def _is_delimiter(body: bytes, delimiter: bytes, pos: int) -> bool:
    """Whether the delimiter at `pos` is one: followed by "--", or by blanks to the end
    of its line (within 256 bytes)."""
    after = pos + len(delimiter)
    if body.startswith(b"--", after):
        return True
    line_end = body.find(b"\n", after, after + 256)
    return line_end != -1 and not body[after:line_end].strip(b" \t\r")


def _first_delimiter(body: bytes, delimiter: bytes) -> int:
    if body.startswith(delimiter) and _is_delimiter(body, delimiter, 0):
        return 0
    pos = _next_delimiter(body, delimiter, 0)
    if pos == -1:
        raise MultipartError("no multipart delimiter in the body")
    return pos


def _next_delimiter(body: bytes, delimiter: bytes, start: int) -> int:
    """The position of the next delimiter at a line start from `start` on, or -1."""
    needle = b"\n" + delimiter
    at = body.find(needle, start)
    while at != -1 and not _is_delimiter(body, delimiter, at + 1):
        at = body.find(needle, at + 1)
    return at + 1 if at != -1 else -1


def _headers(body: bytes, pos: int) -> tuple[dict[str, str], int]:
    """A part's headers from `pos` (names in lower case), and where its content starts."""
    limit = pos + MAX_HEADER_BYTES
    headers: dict[str, str] = {}
    name = None
    for _ in range(MAX_HEADER_LINES + 1):
        line_end = body.find(b"\n", pos, limit)
        if line_end == -1:
            raise MultipartError("a part's headers do not end: truncated or too long")
        line = body[pos:line_end].rstrip(b"\r")
        pos = line_end + 1
        if not line:
            return headers, pos
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise MultipartError("a part header that is not UTF-8") from exc
        if text[0] in " \t" and name is not None:  # folded onto the previous line
            headers[name] += " " + text.strip(" \t")
            continue
        name, _, value = text.partition(":")
        name = name.strip(" \t").lower()
        headers.setdefault(name, value.strip(" \t"))
    raise MultipartError(f"a part with more than {MAX_HEADER_LINES} header lines")


def _add(form: Form, headers: dict, body: bytes, start: int, end: int, max_field: int) -> None:
    disposition = headers.get("content-disposition")
    if disposition is None:
        raise MultipartError("a part without Content-Disposition")
    name, filename = _name_and_filename(disposition)
    if name is None:
        return
    if filename is not None:  # attachments are never relayed: only their size is kept
        form.files.append((name, filename, end - start))
        return
    if end - start > max_field:
        raise RequestEntityTooLarge()
    if name not in form.fields:
        form.fields[name] = body[start:end]


@lru_cache(maxsize=256)  # SendGrid repeats the same ten or so: a third of the parse time
def _name_and_filename(disposition: str) -> tuple[str | None, str | None]:
    params = parameters(disposition)
    return params.get("name"), params.get("filename")


def parameters(value: str) -> dict[str, str]:
    """The parameters of a header value such as `form-data; name="a"; filename=b.txt`,
    keys in lower case; a quoted value unescaped (\\x is x, and %22 is a quote, as
    browsers write it). Plain scanning with str.find: no pattern to backtrack."""
    params: dict[str, str] = {}
    pos, equals = value.find(";"), -1
    while pos != -1:
        if equals <= pos:  # else still ahead: `a;b;c;...;k=v` is searched once, not per `;`
            equals = value.find("=", pos + 1)
        if equals == -1:
            break
        semicolon = value.find(";", pos + 1, equals)
        if semicolon != -1:  # a parameter without a value
            pos = semicolon
            continue
        key = value[pos + 1 : equals].strip(" \t").lower()
        start = equals + 1
        while start < len(value) and value[start] in " \t":
            start += 1
        if value.startswith('"', start):
            text, end = _quoted(value, start + 1)
            pos = value.find(";", end)
        else:
            pos = value.find(";", start)
            text = value[start : pos if pos != -1 else len(value)].strip(" \t")
        if key.endswith("*"):  # RFC 2231: key*=charset'language'percent-encoded
            key, text = key[:-1], _extended(text)
        if key:
            params[key] = text  # the last of a repeated key, as werkzeug
    return params


def _extended(text: str) -> str:
    charset, _, rest = text.partition("'")
    _, _, encoded = rest.partition("'")
    charset = charset.lower() if charset.lower() in _CHARSETS else "utf-8"
    return unquote(encoded, encoding=charset, errors="replace")


def _quoted(value: str, pos: int) -> tuple[str, int]:
    """The quoted string from `pos` (just after its opening quote) and the position after
    its closing quote; one left open runs to the end."""
    chunks = []
    while True:
        quote = value.find('"', pos)
        stop = quote if quote != -1 else len(value)
        backslash = value.find("\\", pos, stop)
        if backslash != -1:
            chunks.append(value[pos:backslash])
            chunks.append(value[backslash + 1 : backslash + 2])
            pos = backslash + 2
            continue
        chunks.append(value[pos:stop])
        return "".join(chunks).replace("%22", '"'), stop + 1
