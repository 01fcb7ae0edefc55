"""Programme settings: name, sender, send day and hour, capacity, windows, retention."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext
from sqlalchemy import select

from service.admin.audit import record
from service.admin.blueprint import bp
from service.admin.forms import settings_form
from service.admin.models import AdminUser
from service.extensions import db
from service.i18n import dates, language_choices, language_name
from service.i18n.marker import N_
from service.settings import SPECS, all_settings, set_setting

HINTS = {
    "programme_name": N_("Shown in every email and on the website."),
    "sender_name": N_("The name people see in their inbox next to the sender address."),
    "default_language": N_(
        "For people whose language is not known yet (join by email without a language, "
        "invitations) and for challenges that have no translation in a person's language."
    ),
    "send_hour": N_("In each person's own time zone, 0–23."),
    "giver_capacity": N_("How many learners one tip-giver may have in the same week."),
    "no_repeat_window": N_(
        "The same learner and tip-giver are not paired again within this many weeks."
    ),
    "keep_partner_weeks": N_(
        "When a learner and a tip-giver both ask to keep each other, they stay together for "
        "at most this many weeks in a row, then meet someone new. 0 turns it off."
    ),
    "checkin_every_weeks": N_(
        "Every this many weeks a learner's recap asks one question: how confident they "
        "feel with the week's theme now."
    ),
    "nudge_after_hours": N_("A friendly reminder to a tip-giver who has not answered yet."),
    "recap_day": N_("Day of the round on which the weekly recap goes out (1 = the send day)."),
    "retention_days": N_("Relayed message texts are erased after this; counts stay."),
    "relay_limit_per_day": N_("Protects people from floods of mail in one pair."),
}


@bp.route("/settings", methods=["GET", "POST"])
def programme_settings():
    current = all_settings()
    if request.method != "POST":  # GET and HEAD
        return _render(current, {})
    data, errors = settings_form(request.form)
    if errors:
        return _render(data, errors, 400)
    changed = {k: v for k, v in data.items() if current.get(k) != v}
    for key, value in changed.items():
        set_setting(key, value)
    if changed:
        record(
            "settings.edit",
            "settings",
            None,
            before={k: current.get(k) for k in changed},
            after=changed,
        )
        db.session.commit()
        flash(gettext("Programme settings saved."), "success")
    else:
        flash(gettext("Nothing changed."), "info")
    return redirect(url_for("admin.programme_settings"))


def _hint(key: str, spec) -> str:
    """The field's explanation, then its default in words (a weekday, a language name)."""
    default = spec.default
    if key == "send_weekday":
        default = dates.weekday(default)
    elif spec.choices_config:
        default = language_name(default)
    hint = gettext(HINTS[key]) + " " if key in HINTS else ""
    return hint + gettext("Default: %(value)s.", value=default)


def _render(values, errors, status=200):
    return render_template(
        "admin/settings.html",
        specs=SPECS,
        values=values,
        errors=errors,
        hints={key: _hint(key, spec) for key, spec in SPECS.items()},
        weekday_options=[(number, dates.weekday(number)) for number in range(7)],
        language_options=language_choices(),
        admins=db.session.scalars(select(AdminUser).order_by(AdminUser.email)).all(),
    ), status
