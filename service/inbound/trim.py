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

Header detection lives in :mod:`service.inbound.trim_headers`, the patterns in
:mod:`service.inbound.trim_patterns`. Every step is linear in the size of the
text (no regular expression can backtrack over a long line, and the decision is
one pass over the kinds), so no input can make trimming slow.

Only the standard library is used.
"""

from __future__ import annotations

from service.inbound import trim_patterns as p
from service.inbound.trim_headers import (
    is_loose_header,
    mark_attributions,
    mark_header_blocks,
    mark_short_attributions,
    split_same_line_headers,
)

__all__ = ["classify", "split_reply", "trim_reply"]

# Below an "On ... wrote:" + quote, this many text lines mean the sender wrote
# their reply underneath (keep it); fewer are the quoted mail's own footer or
# signature that lost its ">" markers (drop it).
_INTERLEAVED_MIN_TEXT = 7
# A sign-off is a short line; longer ones are not even looked at.
_MAX_SIGNOFF_LINE = 600
# "See my answers inline/below" announces answers inside the earlier message:
# looked for in a short opening only (a long reply that mentions "below" is a
# reply of its own), in the first characters of each line.
_MAX_ANNOUNCEMENT_LINES = 5
_MAX_ANNOUNCEMENT_CHARS = 300


# ------------------------------------------------------------------ helpers


def _is_signoff(line: str) -> bool:
    if len(line) > _MAX_SIGNOFF_LINE:
        return False
    cleaned = p.LINK_TARGET_RE.sub("", line).replace("[", "")
    cleaned = cleaned.lstrip(p.WRAPPER_LEAD).rstrip(p.WRAPPER_TRAIL)
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
    mark_attributions(lines, kinds)
    mark_header_blocks(lines, kinds)
    mark_short_attributions(lines, kinds)
    return kinds


# ------------------------------------------------------------------ decision


def _next_index(pattern: str, kind: str) -> list[int]:
    """``nxt[i]``: the first index >= i holding ``kind`` (``len(pattern)`` if none)."""
    nxt = [len(pattern)] * (len(pattern) + 1)
    for i in range(len(pattern) - 1, -1, -1):
        nxt[i] = i if pattern[i] == kind else nxt[i + 1]
    return nxt


def _suffix_counts(pattern: str, kind: str) -> list[int]:
    """``counts[i]``: how many of ``pattern[i:]`` are ``kind``."""
    counts = [0] * (len(pattern) + 1)
    for i in range(len(pattern) - 1, -1, -1):
        counts[i] = counts[i + 1] + (pattern[i] == kind)
    return counts


class _Shape:
    """Facts about a kinds pattern, each answered in constant time.

    Computed in one pass each, so deciding on every header of a message costs
    linear time however many headers it holds.
    """

    def __init__(self, pattern: str):
        self.n = len(pattern)
        self.next_t = _next_index(pattern, "t")
        self.next_q = _next_index(pattern, "q")
        self.texts_from = _suffix_counts(pattern, "t")
        self.last_q = pattern.rfind("q")
        # Last line that is neither text nor empty: after it, only the reply.
        self.last_not_text = max((i for i, k in enumerate(pattern) if k not in "te"), default=-1)

    def bottom_posted_from(self, end: int) -> int | None:
        """After a header ending at ``end``: the first reply line, if only text follows it."""
        first_text = self.next_t[end]
        return first_text if first_text < self.n and self.last_not_text < first_text else None

    def interleaved_after(self, end: int, *, continued: bool) -> bool:
        """After a header, does the sender answer *inside* the quote?

        Text that alternates with quotes, or a substantial amount of text below the
        quote, is a reply written under (or between) the quoted lines; so is any
        text below it when the reply above announced more ("Hi Ana," / "Answers:").
        """
        first_quote = self.next_q[end]
        if first_quote >= self.n:
            return False  # an unquoted earlier message: nothing of ours follows
        between = self.next_t[first_quote] < self.last_q
        below = self.texts_from[first_quote]
        return between or below >= _INTERLEAVED_MIN_TEXT or continued and below > 0


def _drop_header(keep: list[bool], bare: list[bool], start: int, end: int) -> None:
    """Drop a header and the blank or lone ">" lines right under it."""
    while end < len(bare) and bare[end]:
        end += 1
    keep[start:end] = [False] * (end - start)


def _decide(pattern: str, bare: list[bool], intro: list[str]) -> list[bool]:
    """Which positions of ``pattern`` (no ``d``, no ``s``) to keep.

    ``bare[i]``: line ``i`` is blank or a lone ">" (dropped with a header above it).
    ``intro``: the text (``t``) lines above the first header.
    """
    announced = _announces_inline_answers(intro)
    continued = bool(intro) and intro[-1].rstrip().endswith((":", ","))
    keep, shape, n = [True] * len(pattern), _Shape(pattern), len(pattern)
    first_text, i = shape.next_t[0], 0
    while i < n:
        if pattern[i] != "b":
            i += 1
            continue
        start = i
        while i < n and pattern[i] == "b":
            i += 1
        if first_text > start:  # the header opens the message
            reply_start = shape.bottom_posted_from(i)
            if reply_start is not None:
                # Header + quote, then the reply below it: keep the reply only.
                keep[:reply_start] = [False] * reply_start
                break
            _drop_header(keep, bare, start, i)  # interleaved: keep the quotes
        elif shape.interleaved_after(i, continued=continued):
            _drop_header(keep, bare, start, i)
        elif announced:
            return keep  # answers inside the earlier message: keep it whole
        else:
            keep[start:] = [False] * (n - start)  # top-posted: the earlier email goes
            break
    _drop_trailing_quote(pattern, keep)
    return keep


def _drop_trailing_quote(pattern: str, keep: list[bool]) -> None:
    """A quote left at the very end under some text is the message replied to."""
    kept_texts = [i for i, k in enumerate(pattern) if k == "t" and keep[i]]
    if not kept_texts:
        return
    for i in range(kept_texts[-1] + 1, len(pattern)):
        keep[i] = False


def _announces_inline_answers(intro: list[str]) -> bool:
    """Does a short opening say the answers are inside the earlier message?"""
    return 0 < len(intro) <= _MAX_ANNOUNCEMENT_LINES and any(
        p.ANNOUNCEMENT_RE.search(line[:_MAX_ANNOUNCEMENT_CHARS]) for line in intro
    )


def _select(lines: list[str], kinds: list[str]) -> list[int]:
    """Indices of the lines to keep, in order."""
    # A signature delimiter ends the reply; sign-offs go wherever they are.
    end = kinds.index("d") if "d" in kinds else len(kinds)
    positions = [i for i in range(end) if kinds[i] != "s"]
    pattern = "".join(kinds[i] for i in positions)
    first_header = pattern.find("b")
    intro = [lines[positions[j]] for j in range(max(first_header, 0)) if pattern[j] == "t"]
    bare = [lines[i].strip() in ("", ">") for i in positions]
    if "t" not in pattern and any(
        k == "b" and is_loose_header(lines[i]) for i, k in zip(positions, pattern, strict=True)
    ):
        # No text at all, and a "header" that ends like one without opening like
        # one ("Thanks. I wrote to Ana <a@b>:"): it may be the reply, keep it all.
        keep = [True] * len(pattern)
    else:
        keep = _decide(pattern, bare, intro)
    kept = [(i, k) for i, k, wanted in zip(positions, pattern, keep, strict=True) if wanted]
    # No leading/trailing blank (or marker-only) lines.
    first = next((j for j, (_, k) in enumerate(kept) if k != "e"), len(kept))
    last = next((j for j in range(len(kept) - 1, -1, -1) if kept[j][1] != "e"), -1)
    return [i for i, _ in kept[first : last + 1]]


def split_reply(text: str) -> tuple[str, str]:
    """Return ``(reply, elided)``.

    ``reply`` is what :func:`trim_reply` returns; ``elided`` is every removed
    line, in original order (quotes, attributions, signatures...), without
    leading and trailing blank lines.
    """
    if not text or not text.strip():
        return "", ""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines = split_same_line_headers(lines)
    kept = set(_select(lines, classify(lines)))
    reply = "\n".join(line for i, line in enumerate(lines) if i in kept)
    elided = "\n".join(line for i, line in enumerate(lines) if i not in kept)
    return reply.strip("\n"), elided.strip("\n")


def trim_reply(text: str) -> str:
    """Keep only what the person newly wrote in a plain-text email reply."""
    return split_reply(text)[0]
