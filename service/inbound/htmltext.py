"""Readable plain text from an HTML-only email, so the trimmer sees what a person would.

Block elements become line breaks, list items "- ", links "text (url)", and a
<blockquote> becomes "> " quoted lines: that is how a text client shows a quoted
earlier message, and what lets the trimmer remove it.

The tokenizer is our own and runs in linear time: every step moves forward with
str.find, whatever the input. The standard library's HTMLParser took 6 seconds on
82 KB of "<a<a<a..." (it rescans an unfinished tag from its start again and again), and
html5ever (nh3) takes minutes on deeply nested elements. Mail HTML needs none of their
error recovery: we only want the words, the line breaks and the quote levels.
"""

from __future__ import annotations

import re
from html import unescape

_BLOCK = {
    "address", "article", "aside", "div", "dl", "dt", "dd", "fieldset", "figure", "footer",
    "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol",
    "p", "pre", "section", "table", "tr", "ul",
}  # fmt: skip
_SKIP = {"head", "script", "style", "title", "template", "noscript"}
_SPACE = re.compile(r"[ \t\r\n\f\u200b]+")
_TAG_NAME = re.compile(r"/?([A-Za-z][A-Za-z0-9:-]{0,30})")
_ATTRIBUTE = re.compile(
    r"""([A-Za-z][A-Za-z0-9:-]{0,30})\s{0,20}=\s{0,20}("[^"]*"|'[^']*'|[^\s"'>]+)"""
)
MAX_QUOTE_DEPTH = 10  # deeper quotes are shown at this depth
MAX_TAG_ATTRIBUTES = 2000  # characters of a tag searched for href / alt
# A long reply is a few hundred tags, a newsletter a few thousand; what follows the
# 20,000th tag (quoted history, or an attack) is left out, in bounded time.
MAX_TAGS = 20_000


def tokens(html: str):
    """("data", text) | ("start", name, attrs) | ("end", name) | ("startend", name, attrs),
    in one forward pass. Comments, doctypes and processing instructions are dropped; an
    unfinished tag at the end is dropped too; a "<" that opens no tag is text."""
    pos = data_from = 0
    while (lt := html.find("<", pos)) >= 0:
        if not _opens_tag(html, lt):
            pos = lt + 1
            continue
        if lt > data_from:
            yield ("data", unescape(html[data_from:lt]))
        if html.startswith("<!--", lt):
            end = html.find("-->", lt + 4)
            if end < 0:
                return
            pos = data_from = end + 3
            continue
        gt = html.find(">", lt + 1)
        if gt < 0:
            return
        pos = data_from = gt + 1
        token = _tag(html[lt + 1 : gt])
        if token is not None:
            yield token
    if data_from < len(html):
        yield ("data", unescape(html[data_from:]))


def _opens_tag(html: str, lt: int) -> bool:
    following = html[lt + 1 : lt + 3]
    return bool(following) and (
        following[0].isascii()
        and following[0].isalpha()
        or following[0] in "!?"
        or following[0] == "/"
        and following[1:2].isascii()
        and following[1:2].isalpha()
    )


def _tag(inner: str):
    match = _TAG_NAME.match(inner)
    if match is None:
        return None
    name = match.group(1).lower()
    if inner.startswith("/"):
        return ("end", name)
    attrs = [
        (key.lower(), unescape(value.strip("\"'")))
        for key, value in _ATTRIBUTE.findall(inner[match.end() : match.end() + MAX_TAG_ATTRIBUTES])
    ]
    return ("startend" if inner.endswith("/") else "start", name, attrs)


class _TextBuilder:
    def __init__(self):
        self.lines: list[str] = []
        self.current: list[str] = []
        self.line_depth = 0  # quote depth the current line started at
        self.depth = 0
        self.skipping = 0
        self.pre = 0
        self.link: str | None = None
        self.link_text: list[str] = []

    # ------------------------------------------------------------ output
    def newline(self, *, force: bool = False) -> None:
        if not self.current and not force:  # nothing written since the last break
            self.line_depth = self.depth
            return
        text = "".join(self.current)
        if not self.pre:
            text = _SPACE.sub(" ", text).strip()
        depth = min(self.line_depth, MAX_QUOTE_DEPTH)
        if text or force:
            self.lines.append("> " * depth + text if text else ">" * depth)
        self.current = []
        self.line_depth = self.depth

    def write(self, text: str) -> None:
        if not self.current:
            self.line_depth = self.depth
        if self.link is not None:
            self.link_text.append(text)
        self.current.append(text)

    # ------------------------------------------------------------ events
    def handle_starttag(self, tag, attrs):
        if tag in _SKIP:
            self.skipping += 1
            return
        if self.skipping:
            return
        if tag == "br":
            self.newline(force=True)
        elif tag == "blockquote":
            self.newline()
            self.depth += 1
            self.line_depth = self.depth
        elif tag in _BLOCK:
            self.newline()
            if tag == "li":
                self.write("- ")
            elif tag == "pre":
                self.pre += 1
        elif tag == "a":
            href = dict(attrs).get("href") or ""
            self.link = href if href.startswith(("http://", "https://", "mailto:")) else None
            self.link_text = []
        elif tag == "img":
            alt = (dict(attrs).get("alt") or "").strip()
            if alt:
                self.write(alt)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in ("br", "img", "hr"):
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in _SKIP:
            self.skipping = max(0, self.skipping - 1)
            return
        if self.skipping:
            return
        if tag == "blockquote":
            self.newline()
            self.depth = max(0, self.depth - 1)
            self.line_depth = self.depth
        elif tag in _BLOCK:
            if tag == "pre":
                self.pre = max(0, self.pre - 1)
            self.newline()
            if tag in ("p", "table"):
                self.newline(force=True)
        elif tag == "a" and self.link is not None:
            shown = "".join(self.link_text).strip()
            target = self.link.removeprefix("mailto:")
            if target and target not in shown and self.link.rstrip("/") not in shown:
                self.write(f" ({self.link})" if not self.link.startswith("mailto:") else "")
            self.link = None

    def handle_data(self, data):
        if not self.skipping:
            self.write(data if self.pre else data.replace("\xa0", " "))

    def feed(self, html: str) -> None:
        tags = 0
        for token in tokens(html):
            if token[0] != "data":
                tags += 1
                if tags > MAX_TAGS:
                    return
            if token[0] == "data":
                self.handle_data(token[1])
            elif token[0] == "start":
                self.handle_starttag(token[1], token[2])
            elif token[0] == "startend":
                self.handle_startendtag(token[1], token[2])
            else:
                self.handle_endtag(token[1])

    def text(self) -> str:
        self.newline()
        out, blank = [], False
        for line in self.lines:
            empty = not line.strip("> ")
            if empty and blank:
                continue
            out.append("" if empty and not line.startswith(">") else line)
            blank = empty
        return "\n".join(out).strip("\n")


def html_to_text(html: str) -> str:
    builder = _TextBuilder()
    builder.feed(html)
    return builder.text()
