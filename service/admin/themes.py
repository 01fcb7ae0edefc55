"""Themes: list, create, edit, retire (a retired theme is no longer offered or scheduled)."""

from __future__ import annotations

import re
import unicodedata

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from service.admin.audit import create_recorded, edit_recorded, set_retired
from service.admin.blueprint import bp, editors_allowed
from service.admin.forms import theme_form
from service.admin.translations import (
    apply_theme_translations,
    default_language,
    language_columns,
    missing_labels,
    theme_translations_data,
    theme_translations_form,
    theme_translations_snapshot,
    translated_languages,
)
from service.extensions import db
from service.rounds.models import Challenge, Theme
from service.subscriptions.models import Status, Subscriber, subscriber_themes


def snapshot(theme: Theme) -> dict:
    return {
        "name": theme.name,
        "tagline": theme.tagline,
        "description": theme.description,
        "position": theme.position,
        "retired": theme.retired,
        "translations": theme_translations_snapshot(theme),
    }


def render_theme_form(theme: Theme | None, data, errors, status=200, translations=None):
    return render_template(
        "admin/theme_form.html",
        theme=theme,
        data=data,
        errors=errors,
        **language_columns(theme, translations, theme_translations_data),
    ), status


def read_theme_form(theme: Theme | None) -> tuple[dict, dict, dict]:
    """(fields, translations, errors) of the posted form; every language is checked."""
    data, errors = theme_form(request.form, theme_id=theme.id if theme else None)
    translations, more = theme_translations_form(request.form, translated_languages(theme))
    return data, translations, errors | more


def unique_slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:34] or "theme"
    slug, n = base, 2
    while db.session.scalar(select(Theme.id).where(Theme.slug == slug)) is not None:
        slug, n = f"{base}-{n}", n + 1
    return slug


@bp.get("/themes")
@editors_allowed
def themes():
    challenge_counts = dict(
        db.session.execute(
            select(Challenge.theme_id, func.count())
            .where(Challenge.retired.is_(False))
            .group_by(Challenge.theme_id)
        ).all()
    )
    subscriber_counts = dict(
        db.session.execute(
            select(subscriber_themes.c.theme_id, func.count())
            .join(Subscriber, Subscriber.id == subscriber_themes.c.subscriber_id)
            .where(Subscriber.status == Status.ACTIVE)
            .group_by(subscriber_themes.c.theme_id)
        ).all()
    )
    rows = list(
        db.session.scalars(
            select(Theme)
            .options(selectinload(Theme.translations))
            .order_by(Theme.retired, Theme.position, Theme.id)
        )
    )
    return render_template(
        "admin/themes.html",
        themes=rows,
        missing={theme.id: missing_labels(theme) for theme in rows},
        challenge_counts=challenge_counts,
        subscriber_counts=subscriber_counts,
    )


@bp.route("/themes/new", methods=["GET", "POST"])
@editors_allowed
def theme_new():
    if request.method != "POST":  # GET and HEAD
        return render_theme_form(None, {}, {})
    data, translations, errors = read_theme_form(None)
    if errors:
        return render_theme_form(None, data, errors, 400, translations)
    if data["position"] is None:
        data["position"] = (db.session.scalar(select(func.max(Theme.position))) or 0) + 1
    theme = Theme(slug=unique_slug(data["name"]), language=default_language(), **data)
    apply_theme_translations(theme, translations)
    create_recorded(theme, "theme", snapshot)
    db.session.commit()
    flash(gettext("Theme “%(name)s” created.", name=theme.name), "success")
    return redirect(url_for("admin.themes"))


@bp.route("/themes/<int:theme_id>", methods=["GET", "POST"])
@editors_allowed
def theme_edit(theme_id: int):
    theme = db.session.get(Theme, theme_id) or abort(404)
    if request.method != "POST":  # GET and HEAD
        return render_theme_form(theme, snapshot(theme), {})
    data, translations, errors = read_theme_form(theme)
    if errors:
        return render_theme_form(theme, data, errors, 400, translations)

    def change(theme: Theme) -> None:
        for key, value in data.items():
            if value is not None:
                setattr(theme, key, value)
        apply_theme_translations(theme, translations)

    edit_recorded(theme, "theme", change, snapshot)
    db.session.commit()
    flash(gettext("Theme “%(name)s” saved.", name=theme.name), "success")
    return redirect(url_for("admin.themes"))


@bp.post("/themes/<int:theme_id>/retire")
@editors_allowed
def theme_retire(theme_id: int):
    theme = db.session.get(Theme, theme_id) or abort(404)
    retire = request.form.get("retired", "1") == "1"
    set_retired(theme, "theme", retire, snapshot)
    db.session.commit()
    if retire:
        flash(
            gettext(
                "“%(name)s” is retired: it is no longer offered to new subscribers or "
                "scheduled. Past rounds keep it.",
                name=theme.name,
            ),
            "success",
        )
    else:
        flash(gettext("“%(name)s” is offered again.", name=theme.name), "success")
    return redirect(url_for("admin.themes"))
