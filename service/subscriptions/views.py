"""Pages for joining, confirming, preferences and leaving. Thin: parse, call one action,
render or redirect. Every change is a POST; GET and HEAD only show pages (link scanners
open every link in an email)."""

from __future__ import annotations

import json

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)

from service.confidence.models import STEPS
from service.confidence.ratings import form_values as self_rating_values
from service.database import utcnow
from service.extensions import csrf, db
from service.rounds.tips import set_credit, tips_of, withdraw_tip
from service.subscriptions import actions
from service.subscriptions.forms import (
    active_themes,
    parse_pause,
    parse_profile,
    timezones_json,
)
from service.subscriptions.landing import landing_page, plain_landing_page
from service.subscriptions.models import Role, Status, Subscriber
from service.subscriptions.ratelimit import check_rate_limit
from service.subscriptions.schedule import first_send_text
from service.subscriptions.signed_links import (
    LinkProblem,
    link_problem,
    read_without_transaction,
    subscriber_and_request,
    subscriber_from,
)
from service.tokens import make_token

bp = Blueprint("subscriptions", __name__)
csrf.exempt(bp)  # checked in check_csrf below, after the rate limit has counted the request

ONE_CLICK_FIELD, ONE_CLICK_VALUE = "List-Unsubscribe", "One-Click"
HONEYPOT = "website"


def is_one_click() -> bool:
    """RFC 8058: a POST whose body is List-Unsubscribe=One-Click, sent by a mail provider."""
    return request.method == "POST" and request.form.get(ONE_CLICK_FIELD) == ONE_CLICK_VALUE


# First count the request against the per-IP limits, then check CSRF: a burst of posts
# with a bad CSRF token still ends in 429 (see ratelimit.py).
bp.before_request(check_rate_limit)


@bp.before_request
def check_csrf():
    if request.method == "POST" and not (
        request.endpoint == "subscriptions.unsubscribe" and is_one_click()
    ):
        csrf.protect()


bp.before_request(read_without_transaction)
bp.register_error_handler(LinkProblem, link_problem)


# ------------------------------------------------------------------ landing and signup


@bp.get("/")
def landing():
    return plain_landing_page()


@bp.get("/timezones.json")
def timezone_list():
    """Suggestions for the time zone field, fetched once and then taken from the cache."""
    response = Response(timezones_json(), mimetype="application/json")
    response.cache_control.public = True
    response.cache_control.max_age = 7 * 24 * 3600
    response.add_etag()
    return response.make_conditional(request)


@bp.post("/subscribe")
def subscribe():
    if request.form.get(HONEYPOT):  # a bot filled the hidden field: look the same, do nothing
        return render_template("subscriptions/check_inbox.html")
    parsed = parse_profile(request.form, with_email=True, self_ratings=True)
    if not parsed.ok:
        form = {k: request.form.get(k, "") for k in request.form}
        form["themes"] = request.form.getlist("themes")
        form["home_themes"] = request.form.getlist("home_themes")
        return landing_page(form, parsed.errors, 400)
    outcome = actions.request_subscription(parsed.values, source="web")
    db.session.commit()
    current_app.logger.info("signup: %s", outcome)
    return render_template("subscriptions/check_inbox.html")


# ------------------------------------------------------------------ confirm (double opt-in)


def confirm_page(purpose: str, token: str):
    subscriber, requested = subscriber_and_request(purpose, token)
    if subscriber.status == Status.ACTIVE:
        if request.method == "POST":  # a second press: nothing to do, show where to go
            return redirect(preferences_url(subscriber))
        return render_template(
            "subscriptions/confirm.html",
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
                    "We cannot send to this address",
                    "Mail to this address bounced or was reported as unwanted.",
                    "Join with another address, or ask your programme organiser for help.",
                ) from None
            db.session.commit()
            flash("You are in. A welcome email is on its way.", "success")
            return redirect(preferences_url(subscriber))
    return (
        render_template(
            "subscriptions/confirm.html",
            subscriber=subscriber,
            already=False,
            choose=choose,
            requested=bool(requested),
            form=form or {**profile_form(subscriber), **requested},
            errors=errors,
            themes=active_themes(),
            roles=Role,
        ),
        400 if errors else 200,
    )


@bp.route("/c/<token>", methods=["GET", "POST"])
def confirm(token: str):
    return confirm_page("confirm", token)


@bp.route("/join/<token>", methods=["GET", "POST"])
def join(token: str):
    return confirm_page("invite", token)


# ------------------------------------------------------------------ preference centre


def preferences_url(subscriber: Subscriber, **values) -> str:
    return url_for(
        "subscriptions.preferences", token=make_token("preferences", subscriber.id), **values
    )


def profile_form(subscriber: Subscriber) -> dict:
    return {
        "name": subscriber.name,
        "role": subscriber.role or "",
        "themes": [t.slug for t in subscriber.themes],
        "timezone": subscriber.timezone,
        "team": subscriber.team or "",
        "about": subscriber.about or "",
        **self_rating_values(subscriber.id),
    }


def preferences_page(subscriber, token, *, form=None, errors=None, pause_error=None, status=200):
    today = utcnow().date()
    paused = subscriber.paused_until if subscriber.is_paused(today) else None
    return (
        render_template(
            "subscriptions/preferences.html",
            subscriber=subscriber,
            token=token,
            form=form or profile_form(subscriber),
            errors=errors or {},
            pause_error=pause_error,
            paused=paused,
            next_send=first_send_text(subscriber.timezone, paused)
            if subscriber.status == Status.ACTIVE
            else None,
            themes=active_themes(),
            roles=Role,
            steps=STEPS,
            shared_tips=tips_of(subscriber.id),
            today=today,
        ),
        status,
    )


@bp.route("/p/<token>", methods=["GET", "POST"])
def preferences(token: str):
    subscriber = subscriber_from("preferences", token)
    if request.method != "POST":  # GET and HEAD only show the page
        return preferences_page(subscriber, token)
    parsed = parse_profile(request.form, with_email=False, self_ratings=True)
    if not parsed.ok:
        return preferences_page(
            subscriber, token, form=request.form, errors=parsed.errors, status=400
        )
    actions.update_profile(subscriber.id, parsed.values)
    db.session.commit()
    flash("Your preferences are saved.", "success")
    return redirect(url_for(".preferences", token=token))


@bp.post("/p/<token>/pause")
def pause(token: str):
    subscriber = subscriber_from("preferences", token)
    choice, error = parse_pause(request.form, utcnow().date())
    if error:
        return preferences_page(subscriber, token, pause_error=error, status=400)
    until = actions.pause(subscriber.id, **choice)
    db.session.commit()
    flash(f"Paused. You take part again from {until:%A} {until.day} {until:%B %Y}.", "success")
    return redirect(url_for(".preferences", token=token))


@bp.post("/p/<token>/resume")
def resume(token: str):
    subscriber = subscriber_from("preferences", token)
    actions.resume(subscriber.id)
    db.session.commit()
    flash("Welcome back. You are in next week's round.", "success")
    return redirect(url_for(".preferences", token=token))


@bp.post("/p/<token>/leave")
def leave(token: str):
    subscriber = subscriber_from("preferences", token)
    actions.leave(subscriber.id, source="preferences")
    db.session.commit()
    return render_template("subscriptions/unsubscribed.html", preferences_token=token)


@bp.post("/p/<token>/rejoin")
def rejoin(token: str):
    subscriber = subscriber_from("preferences", token)
    try:
        actions.confirm(subscriber.id)
    except ValueError:
        flash("Choose a role and at least one theme, then press Confirm.", "error")
        return redirect(url_for(".confirm", token=make_token("confirm", subscriber.id)))
    except PermissionError:
        abort(403, "Mail to this address bounced or was reported, so we cannot send to it.")
    db.session.commit()
    flash("You are subscribed again. A welcome email is on its way.", "success")
    return redirect(url_for(".preferences", token=token))


@bp.post("/p/<token>/tips/<int:tip_id>/withdraw")
def withdraw_shared_tip(token: str, tip_id: int):
    subscriber = subscriber_from("preferences", token)
    if withdraw_tip(tip_id, subscriber.id):
        db.session.commit()
        flash("Withdrawn: the tip is erased and goes to nobody from now on.", "success")
    return redirect(url_for(".preferences", token=token) + "#tips")


@bp.post("/p/<token>/tips/<int:tip_id>/credit")
def credit_shared_tip(token: str, tip_id: int):
    subscriber = subscriber_from("preferences", token)
    allow = request.form.get("credit") == "yes"
    if set_credit(tip_id, subscriber.id, allow):
        db.session.commit()
        flash(
            "Learners will see your first name with this tip."
            if allow
            else "This tip is now shared without your name.",
            "success",
        )
    return redirect(url_for(".preferences", token=token) + "#tips")


@bp.post("/p/<token>/export")
def export(token: str):
    subscriber = subscriber_from("preferences", token)
    data = json.dumps(actions.export_data(subscriber.id), indent=2, ensure_ascii=False)
    return Response(
        data,
        mimetype="application/json",
        headers={
            "Content-Disposition": 'attachment; filename="turnabout-my-data.json"',
            "Cache-Control": "no-store",
        },
    )


@bp.post("/p/<token>/delete")
def delete(token: str):
    subscriber = subscriber_from("preferences", token)
    if request.form.get("confirm") != "delete":
        flash('To delete your data, tick the box "Yes, delete my data" first.', "error")
        return redirect(url_for(".preferences", token=token) + "#delete")
    actions.delete_personal_data(subscriber.id)
    # After the erasure, so the partner's note names nobody ("Your tip-giver ...").
    actions.tell_partners(subscriber.id, "left the programme")
    db.session.commit()
    return render_template("subscriptions/deleted.html")


# ------------------------------------------------------------------ unsubscribe


@bp.route("/u/<token>", methods=["GET", "POST"])
def unsubscribe(token: str):
    """GET: a page with one button. POST: the button, or a mail provider's RFC 8058
    one-click request (no CSRF token, repeated freely, always 2xx once the link is valid)."""
    one_click = is_one_click()
    try:
        subscriber = subscriber_from("unsubscribe", token)
    except LinkProblem as problem:
        if one_click:
            return Response(problem.title + "\n", problem.status, mimetype="text/plain")
        raise
    if one_click:
        actions.leave(subscriber.id, source="one_click")
        db.session.commit()
        return Response("You are unsubscribed.\n", 200, mimetype="text/plain")
    prefs_token = make_token("preferences", subscriber.id)
    if request.method == "POST":
        actions.leave(subscriber.id, source="page")
        db.session.commit()
        return render_template("subscriptions/unsubscribed.html", preferences_token=prefs_token)
    if subscriber.status == Status.UNSUBSCRIBED:
        return render_template("subscriptions/unsubscribed.html", preferences_token=prefs_token)
    return render_template(
        "subscriptions/unsubscribe.html", subscriber=subscriber, preferences_token=prefs_token
    )
