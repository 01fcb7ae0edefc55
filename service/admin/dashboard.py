"""The first page: is the programme working?"""

from __future__ import annotations

from flask import redirect, render_template, url_for
from flask_babel import gettext
from flask_login import current_user

from service.admin.blueprint import bp, editors_allowed
from service.admin.charts import bar_chart
from service.admin.models import AdminRole
from service.admin.stats import dashboard as dashboard_stats
from service.weeks import short_label


@bp.get("/")
@editors_allowed  # editors land on the content pages instead of a 403
def dashboard():
    if current_user.role != AdminRole.ADMIN:
        return redirect(url_for("admin.challenges"))
    stats = dashboard_stats()
    captions = {
        "pairs": gettext("Learners per week: with a tip-giver and unmatched"),
        "tips": gettext("Tips sent within 48 hours (% of pairs)"),
        "tried": gettext("Learners who tried the challenge (%)"),
        "people": gettext("New subscribers and unsubscribes per week"),
    }
    labels = [short_label(w.week) for w in stats.weeks]
    charts = {
        "pairs": bar_chart(
            captions["pairs"],
            labels,
            [
                (gettext("with a tip-giver"), [w.pairs for w in stats.weeks]),
                (gettext("unmatched"), [w.unmatched for w in stats.weeks]),
            ],
        ),
        "tips": bar_chart(
            captions["tips"],
            labels,
            [(gettext("tips within 48 h"), [w.tip_rate for w in stats.weeks])],
            unit="%",
            maximum=100,
        ),
        "tried": bar_chart(
            captions["tried"],
            labels,
            [(gettext("tried it"), [w.tried_rate for w in stats.weeks])],
            unit="%",
            maximum=100,
        ),
        "people": bar_chart(
            captions["people"],
            labels,
            [
                (gettext("confirmed"), [w.confirmations for w in stats.weeks]),
                (gettext("unsubscribed"), [w.unsubscribes for w in stats.weeks]),
            ],
        ),
    }
    return render_template("admin/dashboard.html", stats=stats, charts=charts, captions=captions)
