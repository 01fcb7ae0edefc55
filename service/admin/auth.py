"""Sign in and out. The login view is exempt from the global CSRF check only so that it can
count the attempt first; it then checks the token itself."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    abort,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext
from flask_login import current_user, login_user, logout_user
from flask_wtf.csrf import CSRFError, validate_csrf
from wtforms import ValidationError

from service.admin.audit import record
from service.admin.blueprint import bp, editors_allowed
from service.admin.passwords import authenticate
from service.admin.throttle import count_attempt
from service.extensions import csrf, db
from service.i18n.marker import N_

BAD_LOGIN = N_("That email and password do not match an admin account. Check both and try again.")


def _safe_next(target: str | None) -> str:
    """Only a path on this site, never another host (open-redirect protection)."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/admin"):
            return target
    return url_for("admin.dashboard")


def new_session() -> None:
    """Nothing set before sign-in (or sign-out) survives it, the CSRF token included: its
    copy cached for this request goes too, so the next form gets a fresh one."""
    session.clear()
    g.pop("csrf_token", None)


@bp.route("/login", methods=["GET", "POST"])
@csrf.exempt
def login():
    if request.method != "POST":  # GET and HEAD
        if current_user.is_authenticated:
            return redirect(_safe_next(request.args.get("next")))
        return render_template("admin/login.html", email="", error=None)

    email = request.form.get("email", "")
    wait = count_attempt(request.remote_addr or "unknown", email)
    if wait is not None:
        response = make_response(
            render_template(
                "error.html",
                title=gettext("Too many sign-in attempts"),
                message=gettext(
                    "There were too many sign-in attempts for this account or from "
                    "this network. Please wait a few minutes and try again."
                ),
            ),
            429,
        )
        response.headers["Retry-After"] = str(wait)
        return response
    try:
        validate_csrf(request.form.get("csrf_token"))
    except (ValidationError, CSRFError):
        abort(400, gettext("This form has expired. Reload the page and sign in again."))

    user = authenticate(email, request.form.get("password", ""))
    if user is None:
        return render_template("admin/login.html", email=email, error=gettext(BAD_LOGIN)), 401
    new_session()
    login_user(user)
    record("admin.login", "admin_user", user.id)
    db.session.commit()
    return redirect(_safe_next(request.args.get("next")))


@bp.post("/logout")
@editors_allowed
def logout():
    current_user.end_sessions()  # a copy of this session's cookie stops working too
    db.session.commit()
    logout_user()
    new_session()
    flash(gettext("You are signed out."), "success")
    return redirect(url_for("admin.login"))
