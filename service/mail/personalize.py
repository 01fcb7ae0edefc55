"""Render a group of emails of one kind once, leaving each person's values as tags.

A round sends one challenge to thousands of people; only the names, the partner's line,
the links and the Reply-To address differ. Rendering (Jinja, then CSS inlining: about a
millisecond) once per group and filling in each person's values by string substitution
is far cheaper, and it lets SendGrid take up to 1,000 such emails in one request with
`substitutions`. Our other transports fill the same tags in themselves
(OutgoingMessage.expanded), so every backend sends the same mail.

Which values are personal is found, not declared: in a group of contexts of the same
shape (same keys, list lengths, non-string values, and the same empty or non-empty
strings, so `{% if %}` takes the same branches), a string that differs between contexts
is personal; everything else is rendered in. A template may print a personal value and
test it for truth. Anything else falls back to rendering each email on its own: printing
it `|safe` (raw HTML must go through the CSS inliner with the rest); a filter such as
`markdown`, `upper` or `length`, which would act on the tag, not the value (each group is
also rendered once directly with probe values such filters change, and compared); a
comparison (`{% if kind == "link" %}`, `!=`, `in`: while the group's template is rendered,
each tag is a string that notes being compared, _Tag).

Tags: the template sees `<base>&` for each personal value. Jinja's autoescape turns an
escaped use into `<base>&amp;`, which becomes the tag `<base>e` (filled with the
HTML-escaped value); what is left, `<base>&` in the text part, becomes `<base>r` (the
raw value). The subject is filled in here, per email.
"""

from __future__ import annotations

import html
import logging
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from hashlib import sha256

from flask import current_app
from markupsafe import escape

from service.i18n import current_language
from service.mail.message import LOCAL_PART, fill_tags
from service.mail.render import inline_css, one_line, render_email, render_templates

log = logging.getLogger(__name__)

Path = tuple


@dataclass(frozen=True)
class Rendition:
    """One email's parts; `text`, `html` and `reply_to` may hold tags (see substitutions)."""

    subject: str
    text: str
    html: str
    reply_to: str | None
    substitutions: dict[str, str] = field(default_factory=dict)


def render_group(
    name: str, contexts: Sequence[dict], reply_tos: Sequence[str | None], words=()
) -> list[Rendition | Exception]:
    """Renditions for `contexts` (all of kind `name`, whose `words` keys hold what people
    wrote), in order. A context whose email cannot be rendered gets the exception."""
    results: list[Rendition | Exception | None] = [None] * len(contexts)
    shapes: dict[tuple, list[int]] = {}
    leaves = []
    for index, (context, reply_to) in enumerate(zip(contexts, reply_tos, strict=True)):
        flat = flatten({**context, _REPLY: _reply_parts(reply_to)})
        leaves.append(flat)
        shapes.setdefault(shape_of(flat), []).append(index)
    for indexes in shapes.values():
        picked = ([values[i] for i in indexes] for values in (contexts, leaves, reply_tos))
        group = _Group(name, *picked, words)
        for index, rendition in zip(indexes, group.renditions(), strict=True):
            results[index] = rendition
    return results


# ------------------------------------------------------------------ context shapes

_REPLY = "__reply_to__"  # the Reply-To address rides along as two leaves: local part, domain


def _reply_parts(reply_to: str | None) -> dict:
    if not reply_to or "@" not in reply_to:
        return {"whole": reply_to or ""}
    local, domain = reply_to.rsplit("@", 1)
    return {"local": local, "domain": domain}


def flatten(value, path: Path = ()) -> dict[Path, object]:
    """{path: leaf}; an empty dict or list is a leaf of its own."""
    if isinstance(value, dict) and value:
        items = value.items()
    elif isinstance(value, list | tuple) and value:
        items = enumerate(value)
    else:
        return {path: value}
    flat = {}
    for key, item in items:
        flat.update(flatten(item, (*path, key)))
    return flat


def shape_of(flat: dict[Path, object]) -> tuple:
    """What must be equal for one rendering to serve several contexts."""
    shape = []
    for path, value in flat.items():
        if isinstance(value, str):
            # The reply domain, a non-address Reply-To, and a local part SendGrid could not
            # take as a tag are never tags.
            fixed = path[0] == _REPLY and (path[-1] != "local" or not LOCAL_PART.match(value))
            shape.append((path, value if fixed else bool(value)))
        elif isinstance(value, dict | list | tuple):
            shape.append((path, type(value).__name__))
        else:
            shape.append((path, type(value).__name__, value))
    return tuple(shape)


def with_leaves(value, replacements: dict[Path, str], path: Path = ()):
    """A copy of `value` with the leaves at `replacements`' paths replaced."""
    if path in replacements:
        return replacements[path]
    if isinstance(value, dict):
        return {k: with_leaves(v, replacements, (*path, k)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [with_leaves(v, replacements, (*path, i)) for i, v in enumerate(value)]
    return value


# ------------------------------------------------------------------ one group

_REPLY_LOCAL = (_REPLY, "local")
# Checked templates (None: render per email) once per process: relays paid a fifth of their
# delivery to make and check the same one for every group. Keyed by a digest of the values
# rendered in; never one with words rendered in (a `words` value alike in every email).
_CHECKED: dict[tuple, _Template | None] = {}


class _Group:
    def __init__(self, name: str, contexts: list, leaves: list, reply_tos: list, words=()):
        self.name, self.contexts, self.leaves, self.reply_tos = name, contexts, leaves, reply_tos
        self.words = words
        first = leaves[0]
        self.personal = [
            path
            for path, value in first.items()
            if isinstance(value, str) and any(flat[path] != value for flat in leaves[1:])
        ]
        nonce = secrets.token_hex(4)
        self.bases = [f"tb{nonce}x{i}" for i in range(len(self.personal))]

    def renditions(self) -> list[Rendition | Exception]:
        try:
            template = self._cached_template() if self.personal else None
        except Exception:
            log.exception("cannot render %s once for %d emails", self.name, len(self.leaves))
            template = None
        if template is not None:
            return [template.fill(flat) for flat in self.leaves]
        return [
            _render_one(self.name, context, reply_to)
            for context, reply_to in zip(self.contexts, self.reply_tos, strict=True)
        ]

    def _cached_template(self) -> _Template | None:
        """The checked template, kept per kind, templates, language, personal leaves and the
        others' values; one with someone's words rendered in ("Done!" twice) is not kept.
        Raises what making it raised: nothing is kept then."""
        fixed = [(p, v) for p, v in self.leaves[0].items() if p not in self.personal]
        if any(path[0] in self.words and value for path, value in fixed):
            return self._checked_template()
        language, templates = current_language(), current_app.config["EMAIL_TEMPLATES_DIR"]
        digest = sha256(repr(fixed).encode()).digest()
        key = (self.name, templates, language, tuple(self.personal), digest)
        if key not in _CHECKED:
            template = self._checked_template()
            if len(_CHECKED) >= 256:
                _CHECKED.clear()
            _CHECKED[key] = template
        return _CHECKED[key]

    def _checked_template(self) -> _Template | None:
        template = self._template()
        if template is None:
            log.warning("%s compares a personal value; rendering it per email", self.name)
            return None
        # What is left of a tag's `&` in the HTML (raw, or re-escaped by the inliner) is a
        # value printed |safe.
        if any(f"{base}&" in template.html for base in self.bases):
            log.warning("%s prints a personal value as raw HTML; rendering it per email", self.name)
            return None
        # The probe: values any filter would change (Markdown, HTML, case, length, spacing).
        probes = [f"Zq{i} *a_b* <i>x</i> &amp; \"' `c`\n  D" for i in range(len(self.personal))]
        probe_leaves = {**self.leaves[0], **dict(zip(self.personal, probes, strict=True))}
        expected = render_email(self.name, self._context_with(probes))
        got = template.fill(probe_leaves)
        if (
            got.subject == expected.subject
            and fill_tags(got.text, got.substitutions) == expected.text
            and html.unescape(fill_tags(got.html, got.substitutions))
            == html.unescape(expected.html)
        ):
            return template
        log.warning(
            "%s uses a personal value other than by printing it; rendering it per email",
            self.name,
        )
        return None

    def _context_with(self, values: list[str]) -> dict:
        replacements = {
            path: value
            for path, value in zip(self.personal, values, strict=True)
            if path[0] != _REPLY
        }
        return with_leaves(self.contexts[0], replacements)

    def _template(self) -> _Template | None:
        """The group's template, or None when it compares a personal value: a tag cannot
        answer a comparison the way each person's value would."""
        tags = [_Tag(f"{b}&") for b in self.bases]
        parts = render_templates(self.name, self._context_with(tags))
        if any(tag.compared for tag in tags):
            return None
        text, markup = parts.text, parts.html
        for base in self.bases:
            text = text.replace(f"{base}&", f"{base}r")
            markup = markup.replace(f"{base}&amp;", f"{base}e")
        return _Template(
            self.personal,
            self.bases,
            parts.subject,
            text,
            inline_css(markup),
            self._reply_template(),
        )

    def _reply_template(self) -> str | None:
        first = self.leaves[0]
        if _REPLY_LOCAL not in first:
            return first[(_REPLY, "whole")] or None
        local = first[_REPLY_LOCAL]
        if _REPLY_LOCAL in self.personal:
            local = f"{self.bases[self.personal.index(_REPLY_LOCAL)]}r"
        return f"{local}@{first[(_REPLY, 'domain')]}"


class _Tag(str):
    """A tag standing in for a personal value while a group's template is rendered. It
    notes being compared (`==`, `!=`, and `in` a list or tuple, which compares), since
    the answer for the tag says nothing about each person's value."""

    compared = False

    def __eq__(self, other):
        self.compared = True
        return str.__eq__(self, other)

    def __ne__(self, other):
        self.compared = True
        return str.__ne__(self, other)

    __hash__ = str.__hash__


class _Template:
    def __init__(self, personal: list, bases: list, subject: str, text: str, markup, reply_to):
        self.personal, self.bases = personal, bases
        self.subject, self.text, self.html, self.reply_to = subject, text, markup, reply_to
        used = f"{text}\n{markup}\n{reply_to or ''}"
        self.raw = [f"{base}r" in used for base in bases]
        self.escaped = [f"{base}e" in markup for base in bases]
        self.subject_tags = re.compile("|".join(re.escape(f"{b}&") for b in bases))

    def fill(self, leaves: dict[Path, object]) -> Rendition:
        values = [leaves[path] for path in self.personal]
        by_tag = {f"{base}&": value for base, value in zip(self.bases, values, strict=True)}
        subject = one_line(self.subject_tags.sub(lambda m: by_tag[m.group()], self.subject))
        substitutions = {}
        for base, value, raw, escaped in zip(
            self.bases, values, self.raw, self.escaped, strict=True
        ):
            if raw:
                substitutions[f"{base}r"] = value
            if escaped:
                substitutions[f"{base}e"] = str(escape(value))
        return Rendition(subject, self.text, self.html, self.reply_to, substitutions)


def _render_one(name: str, context: dict, reply_to: str | None) -> Rendition | Exception:
    try:
        rendered = render_email(name, context)
    except Exception as exc:  # a template or data problem: permanent for this email
        log.exception("cannot render email %s", name)
        return exc
    return Rendition(rendered.subject, rendered.text, rendered.html, reply_to)
