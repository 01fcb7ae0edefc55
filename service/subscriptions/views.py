"""The subscriber pages' blueprint, with the hooks every one of them runs (rate limit, CSRF,
reads without a transaction), and the pages for joining and leaving. Confirmation pages:
confirm_views.py; the preference centre: preference_views.py. Thin: parse, call one action,
render or redirect. Every change is a POST; GET and HEAD only show pages (link scanners
open every link in an email)."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, g, render_template, request, session
from flask_babel import gettext

from service.content_cache import cached
from service.csrf import form_token
from service.extensions import csrf, db
from service.i18n import current_language
from service.kept_markup import kept_page
from service.links import read_without_transaction
from service.subscriptions import actions
from service.subscriptions.forms import parse_profile, timezones_json
from service.subscriptions.landing import landing_page, plain_landing_page
from service.subscriptions.link_urls import signed_link_path
from service.subscriptions.models import Status
from service.subscriptions.ratelimit import check_rate_limit
from service.subscriptions.signed_links import LinkProblem, link_problem, subscriber_from
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


@bp.before_request
def read_on_the_kept_connection():
    """The pages read through service.direct_sql only: no ORM session is made for them (a
    settings reload gets one of its own, in a transaction; see service.links)."""
    read_without_transaction(with_session=False)


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
        return check_inbox_page()
    parsed = parse_profile(request.form, with_email=True, self_ratings=True)
    if not parsed.ok:
        form = {k: request.form.get(k, "") for k in request.form}
        form["themes"] = request.form.getlist("themes")
        form["home_themes"] = request.form.getlist("home_themes")
        return landing_page(form, parsed.errors, 400)
    outcome = actions.request_subscription(parsed.values, source="web")
    _commit_if_opened()
    current_app.logger.info("signup: %s", outcome)
    return check_inbox_page()


def _commit_if_opened() -> None:
    """A new address is stored in autocommit (subscriptions/pending.py) and opens no
    database session; making one only to commit nothing cost ~60 us a signup."""
    session = g.get("_sqlalchemy_sessions", {}).get("default")  # flask-sqlalchemy-lite's
    if session is not None:
        session.commit()


def check_inbox_page() -> str:
    """The same page for every signup, so one copy per language and content version
    (service.content_cache), as the landing page: rendering it was a tenth of a signup's
    time. A visitor with a message to show once gets their own."""
    if session.get("_flashes"):
        return render_template("subscriptions/check_inbox.html")
    name = f"check inbox page {current_language()}"
    return cached(name, lambda: render_template("subscriptions/check_inbox.html"))


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
        return Response(gettext("You are unsubscribed.") + "\n", 200, mimetype="text/plain")
    prefs_token = make_token("preferences", subscriber.id)
    if request.method == "POST":
        actions.leave(subscriber.id, source="page")
        db.session.commit()
        return render_template("subscriptions/unsubscribed.html", preferences_token=prefs_token)
    if subscriber.status == Status.UNSUBSCRIBED:
        return render_template("subscriptions/unsubscribed.html", preferences_token=prefs_token)
    return unsubscribe_page(subscriber.email, prefs_token)


def unsubscribe_page(email: str, preferences_token: str) -> str:
    """Kept per language with slots (kept_markup.kept_page): the address is never kept."""
    template = "subscriptions/unsubscribe.html"
    shown = {
        "email": email,
        "preferences_url": signed_link_path("subscriptions.preferences", preferences_token),
    }
    page = kept_page(template, (), {}, {**shown, "csrf_token": form_token()})
    return page if page is not None else render_template(template, **shown)
