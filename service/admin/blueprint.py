"""The admin blueprint and the access rule every admin page goes through."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, request, url_for
from flask_babel import gettext
from flask_login import current_user

from service.admin.models import AdminRole
from service.extensions import login_manager

bp = Blueprint("admin", __name__, url_prefix="/admin")
# Sign-in and sign-out happen here, so the remember-me cookie is kept up to date here only
# (service/__init__.py takes Flask-Login's hook off the other pages).
bp.after_request(login_manager._update_remember_cookie)

# Endpoints anyone may open (the login form and its POST).
PUBLIC_ENDPOINTS = {"admin.login"}
# Editors may use only these; every other admin page answers 403 for them.
# Deny by default: a new page is admin-only until someone adds it here on purpose.
EDITOR_ENDPOINTS: set[str] = set()


def editors_allowed(view):
    """Mark a view as open to editors (content and schedule pages)."""
    EDITOR_ENDPOINTS.add(f"admin.{view.__name__}")
    return view


@bp.before_request
def require_admin_login():
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    if not current_user.is_authenticated:
        return redirect(url_for("admin.login", next=request.full_path.rstrip("?")))
    if current_user.role != AdminRole.ADMIN and request.endpoint not in EDITOR_ENDPOINTS:
        abort(
            403,
            gettext(
                "This page is for programme admins. Editors can change content and the schedule."
            ),
        )
    return None


CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; frame-ancestors 'self'; form-action 'self'; base-uri 'none'; "
    "object-src 'none'"
)


@bp.after_request
def no_store(response):
    # Admin pages show personal data: keep them out of shared caches and the back-button cache.
    response.headers.setdefault("Cache-Control", "no-store")
    response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    # Defence in depth: even if some text slipped through escaping, no inline or foreign
    # script could run. The email previews (srcdoc iframes) inherit this policy too.
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    return response


@bp.context_processor
def admin_context():
    is_admin = current_user.is_authenticated and current_user.role == AdminRole.ADMIN
    return {
        "current_user": current_user,  # what Flask-Login's own context processor gave
        "is_admin": is_admin,
        "admin_user": current_user,
        "admin_endpoints": current_app.view_functions.keys(),
    }
