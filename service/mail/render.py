"""Render an email folder (subject.txt, body.txt, body.html) with a strict Jinja environment."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import css_inline
from flask import current_app
from flask_babel import get_translations
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from service.i18n import current_language, dates
from service.markdown import markdown_to_text, render_markdown


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


@lru_cache(maxsize=4)
def _environment(templates_dir: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader(templates_dir),
        undefined=StrictUndefined,
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        extensions=["jinja2.ext.i18n"],
    )
    env.policies["ext.i18n.trimmed"] = True  # a paragraph is one catalogue entry
    # The same catalogue as the pages: a template renders in the language of the
    # force_locale() around it (service/i18n), looked up when rendered, not compiled in.
    env.install_gettext_callables(
        gettext=lambda text: get_translations().ugettext(text),
        ngettext=lambda one, many, n: get_translations().ungettext(one, many, n),
        pgettext=lambda context, text: get_translations().upgettext(context, text),
        newstyle=True,
    )
    env.globals["language"] = current_language
    env.filters["day"] = dates.day
    env.filters["day_with_year"] = dates.day_with_year
    env.filters["markdown"] = render_markdown
    env.filters["markdown_text"] = markdown_to_text
    return env


def template_environment(templates_dir: str) -> Environment:
    """The one environment for email templates (subjects rendered on their own too)."""
    return _environment(templates_dir)


@lru_cache(maxsize=1)
def _inliner() -> css_inline.CSSInliner:
    # Keep @media rules (the phone layout) in a <style> block; never fetch remote CSS.
    return css_inline.CSSInliner(keep_at_rules=True, load_remote_stylesheets=False)


def template_names(templates_dir: str | None = None) -> list[str]:
    root = Path(templates_dir or current_app.config["EMAIL_TEMPLATES_DIR"])
    return sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith("_"))


def load_templates(templates_dir: str | None = None) -> None:
    """Compile every email template now (a worker does it once, before forking)."""
    root = templates_dir or current_app.config["EMAIL_TEMPLATES_DIR"]
    env = _environment(root)
    for name in template_names(root):
        for part in ("subject.txt", "body.txt", "body.html"):
            env.get_template(f"{name}/{part}")


def render_templates(name: str, context: dict, templates_dir: str | None = None) -> RenderedEmail:
    """The three parts as the templates produce them; the HTML not yet CSS-inlined."""
    env = _environment(templates_dir or current_app.config["EMAIL_TEMPLATES_DIR"])
    subject = env.get_template(f"{name}/subject.txt").render(context)
    # A subject is one line whatever the template or data did.
    subject = one_line(subject)
    text = env.get_template(f"{name}/body.txt").render(context).strip() + "\n"
    html = env.get_template(f"{name}/body.html").render(context)
    return RenderedEmail(subject=subject, text=text, html=html)


def one_line(subject: str) -> str:
    return " ".join(subject.split())


def inline_css(html: str) -> str:
    return _inliner().inline(html)


def render_email(name: str, context: dict, templates_dir: str | None = None) -> RenderedEmail:
    parts = render_templates(name, context, templates_dir)
    return RenderedEmail(subject=parts.subject, text=parts.text, html=inline_css(parts.html))
