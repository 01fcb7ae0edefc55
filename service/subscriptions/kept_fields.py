"""The confidence selects of the profile form (templates/subscriptions/_fields.html), made
once per process and language for every step, so a page picks the one its values need.

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

from flask import current_app
from markupsafe import Markup

from service.i18n import current_language
from service.subscriptions.views import bp

# Themes x steps and languages make a few hundred; renamed themes add entries that are
# never read again, so past this the fields are made anew.
MAX_KEPT = 2000


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
