"""The confidence selects of the profile form (templates/subscriptions/_fields.html), made
once per process and language for every step, so a page picks the one its values need;
and the whole profile and self-rating fields of a form without errors, kept per offered
choice with a slot for each typed value (kept_profile_fields, kept_self_rating_fields).

Profiling the preference centre: its template was about half of the page's time, and most
of that these selects (per theme, five steps with translated words), the same markup on
every view but for the one option selected.

Only constants are kept: a theme's select is made for all of its choices at once, from
content and language only (the theme's slug and name, the steps), so nothing kept depends
on who opened a page or what they chose; a page's own values pick among them, and a select
with an error message is made for its request only. Each is kept under everything it is
made from: an admin who renames a theme gets a select under the new name, never the old
one, whatever version of the themes the page read (service.content_cache).
"""

from __future__ import annotations

from flask import current_app, request
from markupsafe import Markup, escape

from service.i18n import current_language, supported_languages
from service.kept_markup import MAX_KEPT, Slotted, kept, slot
from service.subscriptions.views import bp


class FieldChoices(dict):
    """choice -> markup; a value that is none of the choices (no rating, a refused form's
    "9") gets the first choice, which marks nothing as chosen."""

    def __missing__(self, _value) -> Markup:
        return self[self.default]


@bp.app_template_global()
def confidence_fields(macro, themes, steps, form, errors) -> Markup:
    """Each theme's confidence select, `macro(choice, slug, theme_name, steps, errors)`,
    with the form's step selected; one call a page instead of one per theme."""
    language, choices, steps_key = current_language(), ("", *map(str, steps)), tuple(steps.items())
    fields = []
    for theme in themes:
        slug, theme_name = theme.slug, theme.name
        name = "confidence-" + slug
        if errors.get(name):
            fields.append(macro(form.get(name), slug, theme_name, steps, errors))
            continue
        key = (language, macro.name, slug, theme_name, steps_key)
        made = _made(key, choices, lambda choice: macro(choice, slug, theme_name, steps))  # noqa: B023  (called before the loop moves on)
        fields.append(made[form.get(name)])
    return Markup("\n    ".join(fields))


def _made(key: tuple, choices, make) -> FieldChoices:
    kept = current_app.extensions.setdefault("kept_fields", {})
    made = kept.get(key)
    if made is None:
        made = FieldChoices((choice, make(choice)) for choice in choices)
        made.default = choices[0]
        if len(kept) >= MAX_KEPT:
            kept.clear()
        kept[key] = made
    return made


# Whole fields kept with slots: the profile fields (and the self-ratings around their
# confidence selects) are made once per language, content and choice with a marker in
# place of each typed value, and a page writes its values in. Profiling the preference
# centre: these macros were half of its template (eight macro calls, some fifty escapes
# of constant words a page). The pieces and slots: service/kept_markup.py.


# A typed value, read from the form as _fields.html reads it; escaped when written in.
_TEXT_SLOTS = {
    "name": lambda form: form.get("name", ""),
    "timezone": lambda form: form.get("timezone") or "UTC",
    "team": lambda form: form.get("team", ""),
    "about": lambda form: form.get("about", ""),
}


class _SlotForm(dict):
    """The form a kept field is made from: markers for typed values, offered choices."""


def _text(read):
    return lambda form: str(escape(read(form)))


def _content(themes) -> tuple:
    return tuple((t.slug, t.name) for t in themes)


def _chosen(form: dict, name: str, offered: dict) -> frozenset:
    """The offered choices a list field holds (the only ones its markup can show)."""
    values = form.get(name, [])
    return frozenset(v for v in values if v in offered) if isinstance(values, list) else None


@bp.app_template_global()
def kept_profile_fields(macro, form, errors, themes, roles, prefill=False) -> Markup:
    """`macro(form, errors, themes, roles, prefill=prefill)` (profile_fields): for a form
    without errors, from markup kept per language, content and choices, the form's text
    written in. Kept: only offered choices (a role, a language, themes), never a value
    typed or sent."""
    offered = {t.slug: t.name for t in themes}
    chosen = _chosen(form, "themes", offered) if type(form) is dict and not errors else None
    if chosen is None:
        return macro(form, errors, themes, roles, prefill=prefill)
    role = form.get("role")
    role = role if role in (roles.GIVER, roles.LEARNER) else None
    language = form.get("language")
    if language not in supported_languages():
        language = "-" if language else None  # "-": chosen but not offered, none selected
    key = (current_language(), request.script_root, "profile", prefill, roles)
    key += (_content(themes), role, language, chosen)

    def make() -> Slotted:
        values = {name: slot(name) for name in _TEXT_SLOTS}
        values.update(role=role, language=language, themes=list(chosen))
        markup = macro(_SlotForm(values), {}, themes, roles, prefill=prefill)
        return Slotted(markup, {name: _text(read) for name, read in _TEXT_SLOTS.items()})

    made = kept("kept_slotted_fields", key, make)
    return made(form) if made else macro(form, errors, themes, roles, prefill=prefill)


@bp.app_template_global()
def kept_self_rating_fields(macro, form, errors, themes, steps, open=False) -> Markup:
    """`macro(form, errors, themes, steps, open=open)` (self_rating_fields): for a form
    without errors, kept whole per language, content and the offered choices it holds
    (the at-home themes, each theme's step); nothing in it is typed."""
    offered = {t.slug: t.name for t in themes}
    home = _chosen(form, "home_themes", offered) if type(form) is dict and not errors else None
    if home is None:
        return macro(form, errors, themes, steps, open=open)
    choices = ("", *map(str, steps))
    names = ["confidence-" + slug for slug in offered]
    # A value that is no step selects nothing, as "" does (FieldChoices).
    steps_chosen = tuple(v if v in choices else "" for v in map(form.get, names))
    key = (current_language(), request.script_root, "self-ratings", open, tuple(steps.items()))
    key += (_content(themes), home, steps_chosen)

    def make() -> Slotted:
        values = _SlotForm(zip(names, steps_chosen, strict=True), home_themes=list(home))
        return Slotted(macro(values, {}, themes, steps, open=open), {})

    return kept("kept_slotted_fields", key, make)(form)
