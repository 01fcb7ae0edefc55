"""Markup kept per process with slots: made once from everything it shows but a few
values, each marked by a slot, and written out per request with those values filled in.

Used where a template is a large share of a page and nearly all of it is the same for
every request (subscriptions/kept_fields.py: the preference centre's fields; kept_page:
the one-click page, the unsubscribe page and the confirm page's summary, whole). Only what
markup is made from goes into its key: content, language, offered choices, never anything
a person typed or sent or an address, which reach the page through a slot only.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import current_app, render_template, request
from flask.globals import request_ctx
from markupsafe import Markup, escape

from service.i18n import current_language, shows_language_switch
from service.settings import get_setting

# Content and languages make a few hundred of each kind; renamed themes and new rounds
# add entries that are never read again, so past this a kind is made anew.
MAX_KEPT = 2000

_SLOTS = re.compile("\ue000([\\w-]+)\ue001")


def slot(name: str) -> str:
    # Private-use characters: no escaping changes them, and no word of ours holds them.
    return f"\ue000{name}\ue001"


class Slotted:
    """Markup in pieces: constant text, then (filler, text) pairs. Each filler takes the
    request's values and returns the slot's text, already escaped."""

    def __init__(self, markup: str, fillers: dict[str, Callable]):
        pieces = _SLOTS.split(markup)
        self.head, names, texts = pieces[0], pieces[1::2], pieces[2::2]
        self.complete = sorted(names) == sorted(fillers)  # each slot exactly once
        self.fill = [(fillers.get(name), text) for name, text in zip(names, texts, strict=True)]

    def __call__(self, values) -> Markup:
        return Markup("".join([self.head, *(str(f(values)) + text for f, text in self.fill)]))


def kept(kind: str, key: tuple, make: Callable[[], Slotted]) -> Slotted | None:
    """The markup kept under `key` (made now if new), or None when it did not hold each
    of its slots exactly once: then the caller makes it for its request."""
    store = current_app.extensions.setdefault(kind, {})
    made = store.get(key)
    if made is None:
        made = make()
        if len(store) >= MAX_KEPT:
            store.clear()
        store[key] = made
    return made if made.complete else None


class _Escaped:
    """A slot's filler: the request's value, escaped as the template would print it."""

    def __init__(self, name: str):
        self.name = name

    def __call__(self, values: dict) -> str:
        return str(escape(values[self.name]))


def _flash_waiting() -> bool:
    """A flashed message the page would show, found as get_flashed_messages finds it but
    not taken: the page that renders it takes it."""
    context = request_ctx._get_current_object()
    return bool(context.flashes) or "_flashes" in context.session


def kept_page(template: str, key: tuple, context: dict, slots: dict[str, str]) -> str | None:
    """render_template(template, **context, **slots), from markup kept per process under
    `key` and what every page is made from (language, programme name, language switch,
    script root), with `slots` written in, escaped. Each slot must be printed exactly
    once (the form's token as `csrf_token()`), and nothing in `context` may be personal.
    None where the page is rendered for its request: a flashed message waits (shown
    once, by a full render), or the template did not print each slot exactly once."""
    if _flash_waiting():
        return None
    made_from = (template, current_language(), request.script_root, shows_language_switch())
    made_from += (get_setting("programme_name"), *key)

    def make() -> Slotted:
        marked = {**context, **{name: slot(name) for name in slots}}
        # Always a slot, so no request's form token is ever kept in the markup.
        marked["csrf_token"] = lambda: slot("csrf_token")
        html = render_template(template, **marked)
        return Slotted(html, {name: _Escaped(name) for name in slots})

    page = kept("kept_pages", made_from, make)
    return None if page is None else str(page(slots))
