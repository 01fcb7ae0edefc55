"""The optional confidence and at-home fields of the signup form and the preference
centre: one select per theme (`confidence-<slug>`, empty or 1-5) and checkboxes
(`home_themes`). A learner's ratings count for the themes they chose; a tip-giver's
at-home themes for theirs."""

from __future__ import annotations

from service.subscriptions.models import Role

FIELD = "confidence-"


def parse_self_ratings(form, known: dict, values: dict, errors: dict) -> None:
    """Adds values["confidence"] ({slug: 1..5}) and values["home_themes"] ([slug]) for the
    chosen role, or an error per field. `known`: active themes by slug."""
    chosen = set(values.get("themes", ()))
    role = values.get("role")
    ratings = {}
    for slug, theme in known.items():
        raw = (form.get(FIELD + slug) or "").strip()
        if not raw:
            continue
        if raw not in ("1", "2", "3", "4", "5"):
            errors[FIELD + slug] = "Choose a step from 1 to 5, or leave it empty."
        elif role == Role.LEARNER and slug not in chosen:
            errors[FIELD + slug] = f"Tick {theme.name} above to rate it, or leave it empty."
        else:
            ratings[slug] = int(raw)
    slugs = form.getlist("home_themes") if hasattr(form, "getlist") else []
    if any(s not in known for s in slugs):
        errors["home_themes"] = "Choose themes from the list (one of them is not offered)."
    elif role == Role.GIVER and any(s not in chosen for s in slugs):
        errors["home_themes"] = "Tick a theme above before saying you are at home in it."
    values["confidence"] = ratings if role == Role.LEARNER else {}
    values["home_themes"] = list(dict.fromkeys(slugs)) if role == Role.GIVER else []
