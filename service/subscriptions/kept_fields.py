"""Fields of the profile form made once per process and language, for every choice they
offer, so a page picks the one its values need (`field_choices` in
templates/subscriptions/_fields.html).

Profiling the preference centre: its template was about half of the page's time, and most
of that the confidence selects (per theme, five steps with translated words), the same
markup on every view but for the one option selected.

Only constants are kept: a field is made for all of its choices at once (every step, ticked
and not), from content and language only (a theme's slug and name, the steps), so nothing
kept depends on who opened a page or what they chose; a page's own values pick among them,
and a field with an error message is made for its request only. Each field is kept under
everything it is made from (language, macro, choices, content): an admin who renames a
theme gets a field under the new name, never the old one, whatever the version of the
themes the page read (service.content_cache).
"""

from __future__ import annotations

from flask import current_app
from markupsafe import Markup

from service.i18n import current_language
from service.subscriptions.views import bp

# Themes x steps and languages make a few hundred; renamed themes add entries that are
# never read again, so past this the fields are made anew.
MAX_KEPT = 2000


class FieldChoices(dict):
    """choice -> markup; a value that is none of the choices (no rating, an unknown
    language) gets the first choice, which marks nothing as chosen."""

    def __missing__(self, _value) -> Markup:
        return self[self.default]


@bp.app_template_global()
def field_choices(macro, choices, *content) -> FieldChoices:
    """`macro(choice, *content)` for each of `choices`, kept for this language.
    `content`: constants of the programme (a theme's slug and name, the steps), never a
    person's values; `choices`: a small fixed set, the first one marking nothing."""
    key = (current_language(), macro.name, tuple(choices), *map(_hashable, content))
    return _made(key, choices, lambda choice: macro(choice, *content))


@bp.app_template_global()
def confidence_fields(macro, themes, steps, form, errors) -> Markup:
    """Each theme's confidence select, `macro(choice, slug, theme_name, steps, errors)`,
    with the form's step selected; one call a page instead of one per theme."""
    language, choices, steps_key = current_language(), ("", *map(str, steps)), _hashable(steps)
    fields = []
    for theme in themes:
        slug, theme_name = theme.slug, theme.name
        name = "confidence-" + slug
        if errors.get(name):
            fields.append(macro(form.get(name), slug, theme_name, steps, errors))
            continue
        key = (language, macro.name, choices, slug, theme_name, steps_key)
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


def _hashable(value):
    if isinstance(value, dict):
        return tuple(value.items())
    if isinstance(value, list):
        return tuple(value)
    return value
