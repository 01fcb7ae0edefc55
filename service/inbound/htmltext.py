"""Readable plain text from an HTML-only email, so the trimmer sees what a person would.

Block elements become line breaks, list items "- ", links "text (url)", and a
<blockquote> becomes "> " quoted lines: that is how a text client shows a quoted
earlier message, and what lets the trimmer remove it.
"""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

_BLOCK = {
    "address", "article", "aside", "div", "dl", "dt", "dd", "fieldset", "figure", "footer",
    "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol",
    "p", "pre", "section", "table", "tr", "ul",
}  # fmt: skip
_SKIP = {"head", "script", "style", "title", "template", "noscript"}
_SPACE = re.compile(r"[ \t\r\n\f\u200b]+")


class _TextBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
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
        text = "".join(self.current)
        if not self.pre:
            text = _SPACE.sub(" ", text).strip()
        if text or force:
            self.lines.append("> " * self.line_depth + text if text else ">" * self.line_depth)
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
    try:
        builder.feed(html)
        builder.close()
    except Exception:  # HTMLParser is lenient; this is a last resort for odd input
        return _SPACE.sub(" ", unescape(re.sub(r"<[^>]*>", " ", html))).strip()
    return builder.text()
