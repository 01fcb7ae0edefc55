"""Find the headers that introduce an earlier email inside a reply.

Used by :mod:`service.inbound.trim`: an "On ... wrote:" attribution in any
language (also wrapped over several lines, or typed at the end of the reply's
own last line), and blocks of Outlook-style header fields. Every check looks at
a bounded slice of a line, so the cost per line is bounded whatever its length.
"""

from __future__ import annotations

from service.inbound import trim_patterns as p

__all__ = [
    "content",
    "is_loose_header",
    "mark_attributions",
    "mark_header_blocks",
    "mark_short_attributions",
    "quote_follows",
    "split_same_line_headers",
]

# An attribution wrapped by the sender's client rarely spans more lines than
# this, and its first line is short (which also keeps long prose lines cheap).
_MAX_HEADER_LINES = 5
_MAX_HEADER_FIRST_LINE = 200
# Only this much of a line is ever matched against an attribution shape.
_MAX_ATTRIBUTION_CHARS = 600
# Three fields make an Outlook block; one or two "From:" lines are just prose.
_MIN_HEADER_FIELDS = 3
# Unquoted lines a wrapped header value may take between two fields.
_MAX_HEADER_CONTINUATION = 2
# A header typed after the reply on the same line sits in the line's last
# characters; longer lines are prose.
_SAME_LINE_TAIL = 400
_SAME_LINE_MAX = 2000


def content(line: str) -> str:
    """The line without quote markers and decoration, for header matching."""
    unquoted = p.QUOTE_PREFIX_RE.sub("", line[: _MAX_ATTRIBUTION_CHARS * 2])
    return unquoted.lstrip(p.DECORATION_LEAD).rstrip(p.DECORATION_TRAIL)


def _opens_attribution(text: str) -> bool:
    """Does ``text`` start the way only attributions start (On-word + date, date)?

    A year or a time must follow too: "On 3 occasions" opens a sentence.
    """
    head = text[:_MAX_HEADER_FIRST_LINE]
    opens = (
        p.ON_WORD_WITH_DIGIT_RE.match(head)
        or p.DATE_START_RE.match(head)
        or head[:1].islower()
        and p.WEEKDAY_DATE_START_RE.match(head)
    )
    return bool(opens and p.YEAR_OR_TIME_RE.search(head))


def _is_anchored_attribution(text: str) -> bool:
    """The shapes that must match from the start of ``text`` (trusted when wrapped)."""
    return bool(
        p.SEPARATOR_RE.match(text)
        or p.BEGIN_FORWARD_RE.match(text)
        or p.ON_DATE_RE.match(text)
        or p.DATE_FIRST_RE.match(text)
        or p.NAME_EMAIL_VERB_RE.match(text)
        or p.LEAD_PHRASE_RE.match(text)
        and p.WEAK_EVIDENCE_RE.search(text)
    )


def _may_end_header(text: str) -> bool:
    """Could ``text`` be an attribution at all? (Cheap; false for most prose.)"""
    end = text[-60:].rstrip()
    if end.endswith(p.HEADER_ENDINGS) or "GMT" in text or p.BEGIN_FORWARD_RE.match(text):
        return True
    words = end.rsplit(None, 1)
    return bool(words) and words[-1].lower() in p.WROTE_LAST_WORDS


def is_attribution(text: str, *, single_line: bool, before_quote: bool = False) -> bool:
    """Does ``text`` (one line, or several joined) introduce an earlier email?

    The start-anchored shapes (On-word, leading date, "Name <addr> wrote") are
    trusted for wrapped headers; the loose "... wrote:" shape only for a single
    line that also carries a time or a bracketed address, or a year or address
    when a quote follows.
    """
    text = text[:_MAX_ATTRIBUTION_CHARS]
    if not _may_end_header(text):
        return False
    if _is_anchored_attribution(text):
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


def quote_follows(kinds: list[str]) -> list[bool]:
    """Per line: is the next non-empty line a quote? (One backward pass.)"""
    follows, nxt = [False] * len(kinds), ""
    for i in range(len(kinds) - 1, -1, -1):
        follows[i] = nxt == "q"
        if kinds[i] != "e":
            nxt = kinds[i]
    return follows


# ------------------------------------------------ a header on the reply's line


def split_same_line_headers(lines: list[str]) -> list[str]:
    """Put a quote header typed after the reply on its own line.

    "Sounds good. On Mon, 30 Nov 2026 ... wrote:" above quoted lines becomes
    "Sounds good." and the header, so the reply is kept and the header goes.
    Only a sentence end followed by a start-anchored header (also wrapped onto
    the next line) counts, and only right above a quote or where the whole line
    would count as a header anyway (splitting it then only saves the reply).
    """
    out = []
    for i, line in enumerate(lines):
        cut = _same_line_cut(lines, i)
        if cut is None:
            out.append(line)
        else:
            out += [line[:cut].rstrip(), line[cut:]]
    return out


def _same_line_cut(lines: list[str], i: int) -> int | None:
    line = lines[i]
    if len(line) > _SAME_LINE_MAX or not line.strip() or p.QUOTE_RE.match(line):
        return None
    tail_start = max(0, len(line) - _SAME_LINE_TAIL)
    breaks = [m.end() for m in p.SENTENCE_BREAK_RE.finditer(line, tail_start)]
    starts = [b for b in breaks if _opens_attribution(line[b:]) or p.LEAD_PHRASE_RE.match(line[b:])]
    if not starts or _opens_attribution(content(line)):
        return None  # "Le lun. 30 nov. 2026 ..." is one header, not text + header
    header_anyway = is_attribution(content(line), single_line=True)
    for start in starts:
        rest, quoted = line[start:], _quote_below(lines, i + 1)
        # The opening was checked above, so the loose shapes may finish the match.
        fits = header_anyway or quoted
        if fits and is_attribution(rest, single_line=True, before_quote=quoted):
            return start
        wrapped = i + 1 < len(lines) and lines[i + 1].strip() and not p.QUOTE_RE.match(lines[i + 1])
        if wrapped and _is_anchored_attribution(f"{rest} {content(lines[i + 1])}"):
            if header_anyway or _quote_below(lines, i + 2):
                return start
    return None


def _quote_below(lines: list[str], start: int) -> bool:
    """Is the first non-blank line from ``start`` on a quote?"""
    for line in lines[start : start + _MAX_HEADER_LINES]:
        if line.strip():
            return bool(p.QUOTE_RE.match(line))
    return False


# ------------------------------------------------------------ classification


def mark_attributions(lines: list[str], kinds: list[str]) -> None:
    """Turn "On ... wrote:" lines, also when wrapped over several lines, into ``b``."""
    n = len(lines)
    contents = [content(line) if k in "tq" else "" for line, k in zip(lines, kinds, strict=True)]
    before_quote = quote_follows(kinds)
    i = 0
    while i < n:
        if kinds[i] not in "tq":
            i += 1
            continue
        if is_attribution(contents[i], single_line=True, before_quote=before_quote[i]):
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
        if p.SENTENCE_END_RE.search(parts[-1][-_MAX_HEADER_FIRST_LINE:]):
            return None
        parts.append(contents[j])
        if not _may_end_header(contents[j]):
            continue
        if not is_attribution(" ".join(parts), single_line=False):
            continue
        # The first line must be needed: "Thanks 3x\nOn Mon ... wrote:" is text
        # followed by a one-line attribution, not a two-line one. A first line
        # that opens like an attribution ("On Mon, 30 Nov ... via\nTurnabout
        # <x@y> wrote:") is needed even when the rest would pass alone.
        if not _opens_attribution(parts[0]) and is_attribution(
            " ".join(parts[1:]), single_line=False
        ):
            return None
        return j
    return None


def mark_header_blocks(lines: list[str], kinds: list[str]) -> None:
    """Turn blocks of >= 3 header fields (with wrapped values) into ``b``."""
    # A field whose value happens to look like an attribution ("Subject: Re: Ann
    # <a@b> wrote") was already marked ``b``; it still belongs to the block.
    fields = [
        k in "tb" and bool(p.HEADER_FIELD_RE.match(line[:_MAX_ATTRIBUTION_CHARS]))
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


def mark_short_attributions(lines: list[str], kinds: list[str]) -> None:
    """A bare "Sam wrote:" directly above quoted lines is an attribution too."""
    before_quote = quote_follows(kinds)
    for i, kind in enumerate(kinds):
        if kind == "t" and before_quote[i] and p.SHORT_ATTRIBUTION_RE.match(content(lines[i])):
            kinds[i] = "b"


def is_loose_header(line: str) -> bool:
    """An attribution found only by a loose shape: it ends like one, opens like prose.

    (Not a quoted line, nor a field of a "From:/Sent:/To:" block.)
    """
    if p.QUOTE_RE.match(line) or p.HEADER_FIELD_RE.match(line[:_MAX_ATTRIBUTION_CHARS]):
        return False
    text = content(line)[:_MAX_ATTRIBUTION_CHARS]
    return not _opens_attribution(text) and not _is_anchored_attribution(text)
