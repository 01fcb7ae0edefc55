"""Markdown written by admins, rendered to HTML that cannot carry script or styles."""

from __future__ import annotations

import mistune
import nh3
from markupsafe import Markup

_markdown = mistune.create_markdown(escape=True, plugins=["strikethrough", "url"])

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "del",
    "ul",
    "ol",
    "li",
    "a",
    "code",
    "pre",
    "blockquote",
    "h3",
    "h4",
    "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


def render_markdown(text: str) -> Markup:
    html = _markdown(text or "")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return Markup(clean)


def markdown_to_text(text: str) -> str:
    """Plain-text version for the text/plain part: Markdown already reads well as text,
    so only strip the markup that would look like noise."""
    lines = []
    for line in (text or "").splitlines():
        lines.append(line.replace("**", "").replace("__", "").replace("`", ""))
    return "\n".join(lines).strip()
