"""Keep only what the sender newly wrote in a plain-text email reply.

The approach follows Discourse's email_reply_trimmer: first give every line a
one-letter *kind*, then decide what to keep by looking at the sequence of kinds.
Deciding on the sequence rather than on single lines is what lets the same
"> quoted" line be kept in an interleaved reply and dropped under a top-posted
one.

Kinds:

``e``  empty (blank, or only quote markers)
``t``  text
``q``  quoted (``>``, ``> >``, supercite ``Name>``)
``d``  signature/separator delimiter (``--``, ``__``, long ``-----`` rules)
``s``  mobile sign-off ("Sent from my iPhone", "Von meinem iPhone gesendet", ...)
``b``  start of an embedded earlier email: an "On ... wrote:" attribution in any
       language (possibly wrapped over several lines), a bare "date name <address>"
       line, "-----Original Message-----", "Begin forwarded message:", or a block
       of three or more Outlook header fields ("From:/Sent:/To:/Subject:")

Only the standard library is used.
"""

from __future__ import annotations

import re

from service.inbound import trim_patterns as p

__all__ = ["classify", "split_reply", "trim_reply"]

# An attribution wrapped by the sender's client rarely spans more lines than
# this, and its first line is short (which also keeps long prose lines cheap).
_MAX_HEADER_LINES = 5
_MAX_HEADER_FIRST_LINE = 200
# Three fields make an Outlook block; one or two "From:" lines are just prose.
_MIN_HEADER_FIELDS = 3
# Unquoted lines a wrapped header value may take between two fields.
_MAX_HEADER_CONTINUATION = 2
# Below an "On ... wrote:" + quote, this many text lines mean the sender wrote
# their reply underneath (keep it); fewer are the quoted mail's own footer or
# signature that lost its ">" markers (drop it).
_INTERLEAVED_MIN_TEXT = 7

_B_RUN = re.compile(r"b+")
_BOTTOM_POSTED = re.compile(r"[^t]*t[te]*")
_TEXT_BETWEEN_QUOTES = re.compile(r"q[^t]*t.*q")


# ------------------------------------------------------------------ helpers


def _content(line: str) -> str:
    """The line without quote markers and decoration, for header matching."""
    return p.DECORATION_RE.sub("", p.QUOTE_PREFIX_RE.sub("", line)).strip()


def _is_attribution(text: str, *, single_line: bool, before_quote: bool = False) -> bool:
    """Does ``text`` (one line, or several joined) introduce an earlier email?

    The start-anchored shapes (On-word, leading date, "Name <addr> wrote") are
    trusted for wrapped headers; the loose "... wrote:" shape only for a single
    line that also carries a time or a bracketed address, or a year or address
    when a quote follows.
    """
    text = text[:600]
    if p.SEPARATOR_RE.match(text) or p.BEGIN_FORWARD_RE.match(text):
        return True
    if p.ON_DATE_RE.match(text) or p.DATE_FIRST_RE.match(text):
        return True
    if p.NAME_EMAIL_VERB_RE.match(text):
        return True
    if len(text) <= 250 and p.ADDRESS_COLON_END_RE.search(text):
        has_year, has_time = bool(p.YEAR_RE.search(text)), bool(p.TIME_RE.search(text))
        if has_year and has_time or single_line and (has_year or has_time or before_quote):
            return True
    if not single_line or not p.VERB_FINAL_RE.match(text):
        return False
    if p.STRONG_EVIDENCE_RE.search(text):
        return True
    return before_quote and bool(p.WEAK_EVIDENCE_RE.search(text))


def _is_signoff(line: str) -> bool:
    cleaned = p.WRAPPER_RE.sub("", p.LINK_TARGET_RE.sub("", line).replace("[", ""))
    return len(cleaned) <= p.SIGNOFF_MAX_CHARS and bool(p.SIGNOFF_RE.fullmatch(cleaned))


def _fenced(lines: list[str]) -> list[bool]:
    """Mark lines inside closed ``` / ~~~ fences: code is always text."""
    inside = [False] * len(lines)
    opener: tuple[int, str] | None = None
    for i, line in enumerate(lines):
        m = p.FENCE_RE.match(line)
        if not m:
            continue
        fence = m.group(1)
        if opener is None:
            opener = (i, fence)
        elif fence[0] == opener[1][0] and len(fence) >= len(opener[1]):
            for j in range(opener[0], i + 1):
                inside[j] = True
            opener = None
    return inside


# ------------------------------------------------------------ classification


def _mark_attributions(lines: list[str], kinds: list[str]) -> None:
    """Turn "On ... wrote:" lines, also when wrapped over several lines, into ``b``."""
    n = len(lines)
    contents = [_content(line) for line in lines]
    before_quote = _quote_follows(kinds)
    i = 0
    while i < n:
        if kinds[i] not in "tq":
            i += 1
            continue
        if _is_attribution(contents[i], single_line=True, before_quote=before_quote[i]):
            kinds[i] = "b"
            i += 1
            continue
        end = _wrapped_attribution_end(contents, kinds, i)
        if end is None:
            i += 1
            continue
        for j in range(i, end + 1):
            kinds[j] = "b"
        i = end + 1


def _quote_follows(kinds: list[str]) -> list[bool]:
    """Per line: is the next non-empty line a quote? (One backward pass.)"""
    follows, nxt = [False] * len(kinds), ""
    for i in range(len(kinds) - 1, -1, -1):
        follows[i] = nxt == "q"
        if kinds[i] != "e":
            nxt = kinds[i]
    return follows


def _wrapped_attribution_end(contents: list[str], kinds: list[str], i: int) -> int | None:
    """Index of the last line of an attribution starting at ``i``, if any."""
    if len(contents[i]) > _MAX_HEADER_FIRST_LINE:
        return None
    parts = [contents[i]]
    for j in range(i + 1, min(i + _MAX_HEADER_LINES, len(contents))):
        if kinds[j] not in "tqe":
            return None
        if kinds[j] == "e":
            continue
        if p.SENTENCE_END_RE.search(parts[-1]):
            return None
        parts.append(contents[j])
        if not _is_attribution(" ".join(parts), single_line=False):
            continue
        # The first line must be needed: "Thanks 3x\nOn Mon ... wrote:" is text
        # followed by a one-line attribution, not a two-line one.
        if _is_attribution(" ".join(parts[1:]), single_line=False):
            return None
        return j
    return None


def _mark_header_blocks(lines: list[str], kinds: list[str]) -> None:
    """Turn blocks of >= 3 header fields (with wrapped values) into ``b``."""
    # A field whose value happens to look like an attribution ("Subject: Re: Ann
    # <a@b> wrote") was already marked ``b``; it still belongs to the block.
    fields = [
        k in "tb" and bool(p.HEADER_FIELD_RE.match(line))
        for k, line in zip(kinds, lines, strict=True)
    ]
    i, n = 0, len(lines)
    while i < n:
        if not fields[i]:
            i += 1
            continue
        last, count, j, gap = i, 1, i + 1, 0
        while j < n and kinds[j] in "tb" and gap <= _MAX_HEADER_CONTINUATION:
            if fields[j]:
                last, count, gap = j, count + 1, 0
            else:
                gap += 1
            j += 1
        if count >= _MIN_HEADER_FIELDS:
            for k in range(i, last + 1):
                kinds[k] = "b"
        i = last + 1


def _mark_short_attributions(lines: list[str], kinds: list[str]) -> None:
    """A bare "Sam wrote:" directly above quoted lines is an attribution too."""
    before_quote = _quote_follows(kinds)
    for i, kind in enumerate(kinds):
        if kind == "t" and before_quote[i] and p.SHORT_ATTRIBUTION_RE.match(_content(lines[i])):
            kinds[i] = "b"


def classify(lines: list[str]) -> list[str]:
    """One kind letter per line (see the module docstring)."""
    fenced = _fenced(lines)
    kinds = []
    for line, in_code in zip(lines, fenced, strict=True):
        if not line.strip():
            kinds.append("e")
        elif in_code:
            kinds.append("t")
        elif p.EMPTY_RE.match(line):
            kinds.append("e")
        elif p.DELIMITER_RE.match(line):
            kinds.append("d")
        elif p.QUOTE_RE.match(line):
            kinds.append("q")
        elif _is_signoff(line.strip()):
            kinds.append("s")
        else:
            kinds.append("t")
    _mark_attributions(lines, kinds)
    _mark_header_blocks(lines, kinds)
    _mark_short_attributions(lines, kinds)
    return kinds


# ------------------------------------------------------------------ decision


def _is_interleaved(tail: str) -> bool:
    """After an attribution, does the sender answer *inside* the quote?

    Text that alternates with quotes, or a substantial amount of text below the
    quote, is a reply written under (or between) the quoted lines.
    """
    first_quote = tail.find("q")
    if first_quote < 0:
        return False  # an unquoted earlier message: nothing of ours follows
    below = tail[first_quote:]
    return bool(_TEXT_BETWEEN_QUOTES.search(below)) or below.count("t") >= _INTERLEAVED_MIN_TEXT


def _select(kinds: list[str]) -> list[int]:
    """Indices of the lines to keep, in order."""
    keep = list(range(len(kinds)))
    pattern = "".join(kinds)

    def drop(start: int, end: int) -> None:
        nonlocal keep, pattern
        keep = keep[:start] + keep[end:]
        pattern = pattern[:start] + pattern[end:]

    # A signature delimiter ends the reply; sign-offs go wherever they are.
    if "d" in pattern:
        drop(pattern.index("d"), len(pattern))
    keep = [i for i, k in zip(keep, pattern, strict=True) if k != "s"]
    pattern = pattern.replace("s", "")

    pos = 0
    while m := _B_RUN.search(pattern, pos):
        start, end = m.span()
        if "t" not in pattern[:start]:
            rest = pattern[end:]
            if _BOTTOM_POSTED.fullmatch(rest):
                # Attribution + quote, then the reply below it: keep the reply only.
                drop(0, end + rest.index("t"))
                break
            drop(start, end)  # interleaved from the start: keep the quotes
            pos = start
        elif _is_interleaved(pattern[end:]):
            drop(start, end)
            pos = start
        else:
            drop(start, len(pattern))  # top-posted: the earlier email goes
            break

    # A quote left at the very end under some text is the message replied to.
    if "t" in pattern:
        tail = re.search(r"[qe]+$", pattern)
        if tail:
            drop(tail.start(), len(pattern))

    # No leading/trailing blank (or marker-only) lines.
    lead = len(pattern) - len(pattern.lstrip("e"))
    return keep[lead : len(pattern.rstrip("e"))]


def split_reply(text: str) -> tuple[str, str]:
    """Return ``(reply, elided)``.

    ``reply`` is what :func:`trim_reply` returns; ``elided`` is every removed
    line, in original order (quotes, attributions, signatures...), without
    leading and trailing blank lines.
    """
    if not text or not text.strip():
        return "", ""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept = set(_select(classify(lines)))
    reply = "\n".join(line for i, line in enumerate(lines) if i in kept)
    elided = "\n".join(line for i, line in enumerate(lines) if i not in kept)
    return reply.strip("\n"), elided.strip("\n")


def trim_reply(text: str) -> str:
    """Keep only what the person newly wrote in a plain-text email reply."""
    return split_reply(text)[0]
