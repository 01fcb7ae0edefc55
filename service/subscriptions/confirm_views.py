"""The double opt-in: /c/<token> (a signup's confirmation link) and /join/<token> (an
admin's invitation). GET shows the page; only the button (POST) subscribes."""

from __future__ import annotations

from types import SimpleNamespace

from flask import flash, redirect, render_template, request
from flask_babel import gettext

from service.csrf import form_token
from service.extensions import db
from service.kept_markup import kept_page, slot
from service.subscriptions import actions
from service.subscriptions.forms import active_themes, parse_profile
from service.subscriptions.models import Role, Status
from service.subscriptions.preference_views import preferences_url, profile_form
from service.subscriptions.signed_links import LinkProblem, subscriber_and_request
from service.subscriptions.views import bp

# What the page may show besides the subscriber's row, read with it (signed_links). Its
# fields are the profile's only: no self-ratings (read for nothing before).
PAGE_LISTS = ("themes",)
TEMPLATE = "subscriptions/confirm.html"


def confirm_page(purpose: str, token: str):
    subscriber, requested = subscriber_and_request(purpose, token, PAGE_LISTS)
    if subscriber.status == Status.ACTIVE:
        if request.method == "POST":  # a second press: nothing to do, show where to go
            return redirect(preferences_url(subscriber))
        return render_template(
            TEMPLATE,
            subscriber=subscriber,
            already=True,
            preferences_url=preferences_url(subscriber),
        )
    # New answers from a later signup are shown as a form to check, never saved unseen.
    choose = actions.needs_choices(subscriber) or purpose == "invite" or bool(requested)
    errors, form = {}, None
    if request.method == "POST":
        values = {}
        if choose:
            parsed = parse_profile(request.form, with_email=False)
            errors, values, form = parsed.errors, parsed.values, request.form
        if not errors:
            try:
                actions.confirm(subscriber.id, values)
            except PermissionError:
                raise LinkProblem(
                    403,
                    gettext("We cannot send to this address"),
                    gettext("Mail to this address bounced or was reported as unwanted."),
                    gettext("Join with another address, or ask your programme organiser for help."),
                ) from None
            db.session.commit()
            flash(gettext("You are in. A welcome email is on its way."), "success")
            return redirect(preferences_url(subscriber))
    theme_names = ", ".join(theme.name for theme in subscriber.themes)
    if not choose:  # a summary of the stored answers, nothing to fill in
        page = kept_summary_page(subscriber, theme_names)
        if page is not None:
            return page
    return (
        render_template(
            TEMPLATE,
            subscriber=subscriber,
            already=False,
            choose=choose,
            requested=bool(requested),
            # Only the fields (a page that asks for choices) show these.
            form=form
            or ({**profile_form(subscriber, self_ratings=False), **requested} if choose else {}),
            errors=errors,
            themes=active_themes() if choose else [],
            roles=Role,
            theme_names=theme_names,
        ),
        400 if errors else 200,
    )


def kept_summary_page(subscriber, theme_names: str) -> str | None:
    """The page that sums up a signup's stored answers, kept per language, role, status
    and which optional answers are given (kept_markup.kept_page); every answer and the
    address are slots, never kept."""
    optional = [name for name in ("team", "about") if getattr(subscriber, name)]
    shown = ["name", "email", "timezone", *optional]
    role, status, language = subscriber.role, subscriber.status, subscriber.language
    key = (role, status, language, tuple(optional))
    marked = SimpleNamespace(role=role, status=status, language=language, team=None, about=None)
    marked.__dict__.update({name: slot(name) for name in shown})
    context = {"subscriber": marked, "already": False, "choose": False, "requested": False}
    slots = {name: getattr(subscriber, name) for name in shown}
    slots |= {"theme_names": theme_names, "csrf_token": form_token()}
    return kept_page(TEMPLATE, key, {**context, "errors": {}}, slots)


@bp.route("/c/<token>", methods=["GET", "POST"])
def confirm(token: str):
    return confirm_page("confirm", token)


@bp.route("/join/<token>", methods=["GET", "POST"])
def join(token: str):
    return confirm_page("invite", token)
