"""Admin pages of the impact report: /admin/impact (charts and tables), the same numbers as
CSV, and a printable page (no script, print stylesheet, A4 or Letter). All GET: the filter
form only reads."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from flask import Response, render_template, request
from flask_babel import gettext
from sqlalchemy import select

from service.admin.blueprint import bp
from service.admin.charts import bar_chart
from service.admin.impact.facts import Filters, load, team_of
from service.admin.impact.figures import WITHHELD
from service.admin.impact.report import Report, build
from service.extensions import db
from service.i18n.marker import N_
from service.rounds.models import Theme
from service.subscriptions.models import Subscriber
from service.weeks import BadWeek, last_weeks, parse_week, short_label, weeks_between

MAX_WEEKS = 53
PRIVACY_NOTE = N_(
    "Counts only: this report shows no names and no message text, and no figure about a "
    "group of fewer than 5 people (shown as \N{LEFT DOUBLE QUOTATION MARK}fewer than 5"
    "\N{RIGHT DOUBLE QUOTATION MARK})."
)


@dataclass
class Choice:
    filters: Filters | None
    errors: dict
    form: dict


def _teams() -> list[str]:
    teams = db.session.scalars(select(Subscriber.team).where(Subscriber.team.is_not(None)))
    return sorted({team_of(t) for t in teams if team_of(t)})


def _themes() -> list[tuple[str, str]]:
    return list(db.session.execute(select(Theme.slug, Theme.name).order_by(Theme.position)))


def parse_filters(args) -> Choice:
    """The period (ISO weeks, default the last 12), a team and a theme, each checked."""
    default = last_weeks(12)
    form = {
        "from": (args.get("from") or default[0]).strip(),
        "to": (args.get("to") or default[-1]).strip(),
        "team": (args.get("team") or "").strip(),
        "theme": (args.get("theme") or "").strip(),
    }
    errors = {}
    for key in ("from", "to"):
        try:
            parse_week(form[key])
        except BadWeek:
            errors[key] = gettext("Enter a week like 2026-W49.")
    if not errors and form["from"] > form["to"]:
        errors["to"] = gettext("The last week must not come before the first.")
    elif not errors and weeks_between(form["from"], form["to"]) >= MAX_WEEKS:
        errors["to"] = gettext("Choose at most %(limit)s weeks.", limit=MAX_WEEKS)
    if form["team"] and team_of(form["team"]) not in _teams():
        errors["team"] = gettext("Choose a team from the list.")
    if form["theme"] and form["theme"] not in dict(_themes()):
        errors["theme"] = gettext("Choose a theme from the list.")
    if errors:
        return Choice(None, errors, form)
    filters = Filters(
        form["from"], form["to"], team_of(form["team"]) or None, form["theme"] or None
    )
    return Choice(filters, {}, form)


def charts(report: Report) -> dict:
    labels = [short_label(w.week) for w in report.weeks]

    def series(rows, attr):
        values = [getattr(r, attr).shown for r in rows]
        hidden = {i for i, r in enumerate(rows) if getattr(r, attr).hidden}
        return values, hidden

    learners, hl = series(report.weeks, "learners")
    givers, hg = series(report.weeks, "givers")
    cont, hc = series(report.weeks, "continuing")
    first, hf = series(report.learning, "first_median")
    latest, ht = series(report.learning, "latest_median")
    return {
        "participation": bar_chart(
            gettext("People taking part per week"),
            labels,
            [(gettext("learners"), learners), (gettext("tip-givers"), givers)],
            direct_labels=True,
            hidden=frozenset({(i, 0) for i in hl} | {(i, 1) for i in hg}),
        ),
        "continuing": bar_chart(
            gettext("Pairs continuing from the week before"),
            labels,
            [(gettext("continuing pairs"), cont)],
            direct_labels=True,
            hidden=frozenset((i, 0) for i in hc),
        ),
        "learning": bar_chart(
            gettext("Confidence per theme: median first and latest rating (1-5)"),
            [r.theme for r in report.learning],
            [(gettext("first"), first), (gettext("latest"), latest)],
            maximum=5,
            direct_labels=True,
            hidden=frozenset({(i, 0) for i in hf} | {(i, 1) for i in ht}),
        ),
    }


def _page(template: str):
    choice = parse_filters(request.args)
    report = build(load(choice.filters)) if choice.filters else None
    return render_template(
        template,
        choice=choice,
        report=report,
        charts=charts(report) if report else {},
        teams=_teams(),
        themes=_themes(),
        theme_names=dict(_themes()),
        privacy_note=gettext(PRIVACY_NOTE),
    ), (200 if report else 400)


@bp.get("/impact")
def impact():
    return _page("admin/impact.html")


@bp.get("/impact/print")
def impact_print():
    return _page("admin/impact_print.html")


@bp.get("/impact.csv")
def impact_csv():
    choice = parse_filters(request.args)
    if choice.filters is None:
        return Response("; ".join(choice.errors.values()) + "\n", 400, mimetype="text/plain")
    report = build(load(choice.filters))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["section", "item", "measure", "value"])
    for row in csv_rows(report):
        writer.writerow(row)
    name = f"impact-{choice.form['from']}-{choice.form['to']}.csv"
    return Response(
        "# " + gettext(PRIVACY_NOTE) + "\n" + out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def csv_rows(report: Report):
    """The report as (section, item, measure, value) rows; withheld figures say so. The
    section, item and measure names are the CSV's keys for spreadsheets and scripts, the
    same in every language, so they stay out of the catalogue."""
    for w in report.weeks:
        yield ("participation", w.week, "learners", str(w.learners))
        yield ("participation", w.week, "tip-givers", str(w.givers))
        yield ("continuing pairs", w.week, "pairs", str(w.continuing))
    for k, figure in report.retention.items():
        yield ("participation", f"after {k} weeks", "retention", str(figure))
    for key, figure in report.exchange.items():
        yield ("exchange", "all", key, str(figure))
    for t in report.learning:
        for measure in ("people", "first_median", "latest_median", "moved_up"):
            yield ("learning", t.theme, measure, str(getattr(t, measure)))
    for c in report.content:
        for measure in ("learners", "rating", "tried", "clear", "again"):
            yield ("content", c.title, measure, str(getattr(c, measure)))
    yield ("continuing pairs", "all", "pairs", str(report.continuing_total))


__all__ = ["impact", "impact_csv", "impact_print", "WITHHELD"]
