"""Markup kept per process with slots: made once from everything it shows but a few
values, each marked by a slot, and written out per request with those values filled in.

Used where a template is a large share of a page and nearly all of it is the same for
every request (subscriptions/kept_fields.py: the preference centre's fields;
rounds/kept_answer_page.py: the one-click page). Only what markup is made from goes into
its key: content, language, offered choices, never anything a person typed or sent,
which reaches the page through a slot only.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import current_app
from markupsafe import Markup

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
