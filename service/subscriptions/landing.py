"""The landing page. Every visitor gets the same page but for the CSRF token of the
signup form, so a web process renders it once per content version (content_cache) and
writes each visitor's token into that copy: profiling showed the template, with the
signup and confidence fields, as most of the page's cost once settings and themes were
kept in memory."""

from __future__ import annotations

import secrets

from flask import render_template, session

from service.confidence.models import STEPS
from service.content_cache import cached
from service.csrf import session_form_token
from service.i18n import current_language, dates
from service.settings import get_setting
from service.subscriptions.forms import active_themes
from service.subscriptions.models import Role

# Stands for the token in the shared copy; random, so no page text can contain it.
TOKEN_PLACEHOLDER = "csrf-token-" + secrets.token_hex(16)


def week_schedule() -> dict:
    """Day names for "How a week runs", from the programme settings, in the page's language."""
    send = int(get_setting("send_weekday"))
    return {
        "send_day": dates.weekday(send),
        "send_hour": f"{int(get_setting('send_hour')):02d}:00",
        "recap_day": dates.weekday((send + int(get_setting("recap_day")) - 1) % 7),
    }


def landing_page(form=None, errors=None, status=200):
    """The page with what a person typed and what was wrong (a refused signup)."""
    return render_template("subscriptions/landing.html", **_context(form, errors)), status


def plain_landing_page():
    """The page as a new visitor sees it."""
    if session.get("_flashes"):  # a message to show once belongs to this visitor only
        return landing_page()
    # One copy per language: the page follows the visitor's language (service.i18n).
    name = f"landing page {current_language()}"
    html = cached(name, _render_shared_copy)
    return html.replace(TOKEN_PLACEHOLDER, session_form_token())


def _render_shared_copy() -> str:
    return render_template(
        "subscriptions/landing.html", **_context(None, None), csrf_token=lambda: TOKEN_PLACEHOLDER
    )


def _context(form, errors) -> dict:
    return {
        "themes": active_themes(),
        "week": week_schedule(),
        "form": form or {},
        "errors": errors or {},
        "roles": Role,
        "steps": STEPS,
    }
