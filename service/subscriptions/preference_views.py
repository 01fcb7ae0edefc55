"""The preference centre behind /p/<token>: profile, pause and resume, leave and rejoin,
shared tips, export and deletion. GET shows the page; every change is a POST."""

from __future__ import annotations

import json

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext

from service.confidence.models import STEPS
from service.database import utcnow
from service.extensions import db
from service.i18n import dates
from service.links import TOKEN_PLACEHOLDER, URL_SAFE_TOKEN
from service.rounds.tips import set_credit, withdraw_tip
from service.subscriptions import actions
from service.subscriptions.forms import active_themes, parse_pause, parse_profile
from service.subscriptions.linked_subscriber import LinkedSubscriber
from service.subscriptions.models import Role, Status, Subscriber
from service.subscriptions.schedule import first_send_text
from service.subscriptions.signed_links import subscriber_from
from service.subscriptions.views import bp
from service.tokens import make_token


def preferences_url(subscriber: Subscriber, **values) -> str:
    return url_for(
        "subscriptions.preferences", token=make_token("preferences", subscriber.id), **values
    )


# What the page shows besides the subscriber's row, read with it (signed_links).
PAGE_LISTS = ("themes", "self_ratings", "shared_tips", "paired_weeks")


def profile_form(subscriber: LinkedSubscriber, *, self_ratings: bool = True) -> dict:
    """The profile form's values; with the self-ratings' (read with the subscriber when
    the page named them) unless the page shows none."""
    profile = {
        "name": subscriber.name,
        "role": subscriber.role or "",
        "themes": [t.slug for t in subscriber.themes],
        "timezone": subscriber.timezone,
        "language": subscriber.language,
        "team": subscriber.team or "",
        "about": subscriber.about or "",
    }
    return {**profile, **subscriber.self_ratings} if self_ratings else profile


# The page's forms post to these; Flask builds each URL once per process and script root
# for a placeholder, and a view writes its token in (url_for cost ~8 us a call, six to
# seven calls a view, found by profiling).
_FORMS = ("preferences", "resume", "rejoin", "pause", "export", "leave", "delete")


def form_actions(token: str) -> dict[str, str]:
    if not URL_SAFE_TOKEN.match(token):  # a character werkzeug would quote: built in full
        return {name: url_for(f"subscriptions.{name}", token=token) for name in _FORMS}
    patterns = current_app.extensions.setdefault("preference_forms", {})
    made = patterns.get(request.script_root)
    if made is None:
        made = patterns[request.script_root] = {
            name: url_for(f"subscriptions.{name}", token=TOKEN_PLACEHOLDER) for name in _FORMS
        }
    return {name: url.replace(TOKEN_PLACEHOLDER, token) for name, url in made.items()}


# Each shared tip's two forms, the same way with a placeholder for the tip's id too (two
# url_for calls a tip, ~8 us each, where everything else on the page costs a look-up).
_TIP_FORMS = {
    "credit": "subscriptions.credit_shared_tip",
    "withdraw": "subscriptions.withdraw_shared_tip",
}
_TIP_PLACEHOLDER = 907_654_321_987


def tip_actions(token: str, tips) -> dict[int, dict[str, str]]:
    """Each tip's form URLs ("credit", "withdraw"), by the tip's id."""
    if not tips:
        return {}
    patterns = current_app.extensions.setdefault("preference_tip_forms", {})
    made = patterns.get(request.script_root)
    if made is None:
        made = patterns[request.script_root] = {
            name: url_for(endpoint, token=TOKEN_PLACEHOLDER, tip_id=_TIP_PLACEHOLDER).split(
                str(_TIP_PLACEHOLDER)
            )
            for name, endpoint in _TIP_FORMS.items()
        }
    # The number in the script root, or a token werkzeug would quote: built in full.
    if any(len(parts) != 2 for parts in made.values()) or not URL_SAFE_TOKEN.match(token):
        return {
            tip.id: {name: url_for(e, token=token, tip_id=tip.id) for name, e in _TIP_FORMS.items()}
            for tip in tips
        }
    return {
        tip.id: {
            name: str(tip.id).join(parts).replace(TOKEN_PLACEHOLDER, token)
            for name, parts in made.items()
        }
        for tip in tips
    }


def preferences_page(subscriber, token, *, form=None, errors=None, pause_error=None, status=200):
    today = utcnow().date()
    paused = subscriber.paused_until if subscriber.is_paused(today) else None
    return (
        render_template(
            "subscriptions/preferences.html",
            subscriber=subscriber,
            token=token,
            actions=form_actions(token),
            form=form or profile_form(subscriber),
            errors=errors or {},
            pause_error=pause_error,
            paused=paused,
            next_send=first_send_text(subscriber.timezone, paused, subscriber.paired_weeks)
            if subscriber.status == Status.ACTIVE
            else None,
            themes=active_themes(),
            roles=Role,
            steps=STEPS,
            shared_tips=subscriber.shared_tips,
            tip_actions=tip_actions(token, subscriber.shared_tips),
            today=today,
        ),
        status,
    )


@bp.route("/p/<token>", methods=["GET", "POST"])
def preferences(token: str):
    if request.method != "POST":  # GET and HEAD only show the page
        return preferences_page(subscriber_from("preferences", token, PAGE_LISTS), token)
    subscriber = subscriber_from("preferences", token)
    parsed = parse_profile(request.form, with_email=False, self_ratings=True)
    if not parsed.ok:
        return preferences_page(
            subscriber, token, form=request.form, errors=parsed.errors, status=400
        )
    actions.update_profile(subscriber.id, parsed.values)
    db.session.commit()
    flash(gettext("Your preferences are saved."), "success")
    return redirect(url_for(".preferences", token=token))


@bp.post("/p/<token>/pause")
def pause(token: str):
    subscriber = subscriber_from("preferences", token)
    choice, error = parse_pause(request.form, utcnow().date())
    if error:
        return preferences_page(subscriber, token, pause_error=error, status=400)
    until = actions.pause(subscriber.id, **choice)
    db.session.commit()
    message = gettext("Paused. You take part again from %(day)s.", day=dates.day_with_year(until))
    flash(message, "success")
    return redirect(url_for(".preferences", token=token))


@bp.post("/p/<token>/resume")
def resume(token: str):
    subscriber = subscriber_from("preferences", token)
    actions.resume(subscriber.id)
    db.session.commit()
    flash(gettext("Welcome back. You are in next week's round."), "success")
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
        flash(gettext("Choose a role and at least one theme, then press Confirm."), "error")
        return redirect(url_for(".confirm", token=make_token("confirm", subscriber.id)))
    except PermissionError:
        abort(
            403, gettext("Mail to this address bounced or was reported, so we cannot send to it.")
        )
    db.session.commit()
    flash(gettext("You are subscribed again. A welcome email is on its way."), "success")
    return redirect(url_for(".preferences", token=token))


@bp.post("/p/<token>/tips/<int:tip_id>/withdraw")
def withdraw_shared_tip(token: str, tip_id: int):
    subscriber = subscriber_from("preferences", token)
    if withdraw_tip(tip_id, subscriber.id):
        db.session.commit()
        flash(gettext("Withdrawn: the tip is erased and goes to nobody from now on."), "success")
    return redirect(url_for(".preferences", token=token) + "#tips")


@bp.post("/p/<token>/tips/<int:tip_id>/credit")
def credit_shared_tip(token: str, tip_id: int):
    subscriber = subscriber_from("preferences", token)
    allow = request.form.get("credit") == "yes"
    if set_credit(tip_id, subscriber.id, allow):
        db.session.commit()
        flash(
            gettext("Learners will see your first name with this tip.")
            if allow
            else gettext("This tip is now shared without your name."),
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
        flash(gettext("To delete your data, tick the box “Yes, delete my data” first."), "error")
        return redirect(url_for(".preferences", token=token) + "#delete")
    actions.delete_personal_data(subscriber.id)
    # After the erasure, so the partner's note names nobody ("Your tip-giver ...").
    actions.tell_partners(subscriber.id, "left the programme")
    db.session.commit()
    return render_template("subscriptions/deleted.html")
