"""The audit log: who changed what, when, with before/after for content."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user
from sqlalchemy import select

from service.admin.blueprint import bp
from service.admin.models import AdminUser, AuditEntry
from service.extensions import db


def record(action: str, object_type: str, object_id=None, *, before=None, after=None, detail=None):
    """Add an audit entry for the signed-in admin; committed with the change it describes."""
    admin_id = current_user.id if current_user and current_user.is_authenticated else None
    _add(admin_id, action, object_type, object_id, before, after, detail)


def record_as(
    admin_id: int | None,
    action,
    object_type,
    object_id=None,
    *,
    before=None,
    after=None,
    detail=None,
):
    """An entry for a change a background job makes on an admin's behalf."""
    _add(admin_id, action, object_type, object_id, before, after, detail)


def record_system(action, object_type, object_id=None, *, before=None, after=None, detail=None):
    """An entry made from the command line (no signed-in admin)."""
    _add(None, action, object_type, object_id, before, after, detail or "command line")


def set_retired(obj, object_type: str, retire: bool, snapshot) -> None:
    """Retire or restore a theme or challenge, with its audit entry; no-op if unchanged.
    The caller commits."""
    if obj.retired == retire:
        return
    before = snapshot(obj)
    obj.retired = retire
    action = f"{object_type}.retire" if retire else f"{object_type}.restore"
    record(action, object_type, obj.id, before=before, after=snapshot(obj))


def create_recorded(obj, object_type: str, snapshot) -> None:
    """Add a new theme or challenge, with its audit entry. The caller commits."""
    db.session.add(obj)
    db.session.flush()
    record(f"{object_type}.create", object_type, obj.id, after=snapshot(obj))


def edit_recorded(obj, object_type: str, change, snapshot) -> bool:
    """Apply `change(obj)` to a theme or challenge, with its audit entry; False, and no
    entry, if it changed nothing. The caller commits."""
    before = snapshot(obj)
    change(obj)
    after = snapshot(obj)
    if after == before:
        return False
    record(f"{object_type}.edit", object_type, obj.id, before=before, after=after)
    return True


def _add(admin_id, action, object_type, object_id, before, after, detail):
    db.session.add(
        AuditEntry(
            admin_id=admin_id,
            action=action,
            object_type=object_type,
            object_id=None if object_id is None else str(object_id),
            before=before,
            after=after,
            detail=detail,
        )
    )


def changes(before: dict | None, after: dict | None) -> list[tuple[str, object, object]]:
    """(field, before, after) for each field that differs: what the log page shows."""
    before, after = before or {}, after or {}
    keys = list(dict.fromkeys([*before, *after]))
    return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]


PAGE_SIZE = 50


@bp.get("/audit")
def audit_log():
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    object_type = request.args.get("type") or None
    query = select(AuditEntry, AdminUser.email).outerjoin(
        AdminUser, AdminUser.id == AuditEntry.admin_id
    )
    if object_type:
        query = query.where(AuditEntry.object_type == object_type)
    rows = db.session.execute(
        query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(PAGE_SIZE + 1)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    types = db.session.scalars(select(AuditEntry.object_type).distinct()).all()
    return render_template(
        "admin/audit.html",
        entries=[
            (entry, email, changes(entry.before, entry.after)) for entry, email in rows[:PAGE_SIZE]
        ],
        page=page,
        has_next=len(rows) > PAGE_SIZE,
        types=sorted(types),
        object_type=object_type,
    )
