"""People as CSV: export (a recorded POST) and import of an organisation's list (checked
here, invited by the background job in service.admin.imports)."""

from __future__ import annotations

import csv
import io

from flask import Response, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from service.admin.audit import record
from service.admin.blueprint import bp
from service.admin.csv_import import ImportProblem, check, decode
from service.admin.imports import load, start_import
from service.admin.subscribers import filters_from, subscriber_query
from service.database import utcnow
from service.extensions import db
from service.rounds.models import Theme
from service.subscriptions.models import Subscriber

EXPORT_COLUMNS = [
    "id",
    "email",
    "name",
    "role",
    "status",
    "team",
    "themes",
    "timezone",
    "paused_until",
    "source",
    "created_at",
    "confirmed_at",
    "unsubscribed_at",
]


def _cell(value) -> str:
    """Spreadsheet-safe: a cell starting with = + - @ would run as a formula in Excel."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@bp.post("/subscribers/export")
def subscribers_export():
    """A POST (with CSRF) because it is recorded: exporting personal data is an action."""
    filters = filters_from(request.args) | {
        k: request.form.get(k, "") for k in ("q", "role", "state", "team")
    }
    filters["theme"] = request.form.get("theme", type=int) or ""
    people = db.session.scalars(subscriber_query(filters).order_by(Subscriber.id)).all()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    for s in people:
        writer.writerow(
            _cell(v)
            for v in (
                s.id,
                s.email,
                s.name,
                s.role,
                s.status,
                s.team,
                ";".join(t.slug for t in s.themes),
                s.timezone,
                s.paused_until,
                s.source,
                s.created_at.isoformat(timespec="seconds"),
                s.confirmed_at.isoformat(timespec="seconds") if s.confirmed_at else "",
                s.unsubscribed_at.isoformat(timespec="seconds") if s.unsubscribed_at else "",
            )
        )
    record(
        "subscriber.export",
        "subscriber",
        None,
        detail=f"{len(people)} rows; filters { ({k: v for k, v in filters.items() if v}) }",
    )
    db.session.commit()
    stamp = utcnow().strftime("%Y%m%d-%H%M")
    return Response(
        "\ufeff" + out.getvalue(),  # BOM: Excel opens UTF-8 names correctly
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="subscribers-{stamp}.csv"'},
    )


def _theme_lookup() -> dict[str, str]:
    """Slug by slug, by name and by each translated name ("Digital souverän")."""
    lookup = {}
    themes = select(Theme).options(selectinload(Theme.translations))
    for theme in db.session.scalars(themes.where(Theme.retired.is_(False))):
        for name in (theme.slug, theme.name, *(t.name for t in theme.translations.values())):
            lookup[name.lower()] = theme.slug
    return lookup


@bp.route("/subscribers/import", methods=["GET", "POST"])
def subscribers_import():
    if request.method != "POST":  # GET and HEAD
        return render_template("admin/import.html", report=None, problem=None)
    upload = request.files.get("file")
    data = upload.read() if upload and upload.filename else request.form.get("text", "").encode()
    if not data.strip():
        return render_template(
            "admin/import.html",
            report=None,
            problem=gettext("Choose a CSV file (or paste the rows) first."),
        ), 400
    try:
        checked = check(decode(data), theme_slugs=_theme_lookup())
    except ImportProblem as exc:
        return render_template("admin/import.html", report=None, problem=str(exc)), 400
    if checked.errors:
        return render_template(
            "admin/import.html", report=None, problem=None, errors=checked.errors
        ), 400
    if not checked.rows:
        return render_template(
            "admin/import.html",
            report=None,
            problem=gettext("The file has a header but no rows to import."),
        ), 400
    import_id = start_import(
        checked,
        admin_id=current_user.id,
        filename=(upload.filename if upload and upload.filename else gettext("pasted rows"))[:100],
    )
    return redirect(url_for("admin.subscribers_import_report", import_id=import_id))


@bp.get("/subscribers/import/<import_id>")
def subscribers_import_report(import_id: str):
    batch = load(import_id)
    if batch is None:
        return render_template(
            "error.html",
            title=gettext("Import report not found"),
            message=gettext(
                "This import report has expired (reports are kept for a week) or the "
                "link is incomplete. The audit log records every import."
            ),
        ), 404
    return render_template("admin/import.html", batch=batch, report=batch["report"], problem=None)
