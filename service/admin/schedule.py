"""The schedule: the coming 12 weeks and the challenge each will send."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext
from sqlalchemy import select

from service.admin.audit import record
from service.admin.blueprint import bp, editors_allowed
from service.extensions import db
from service.rounds.models import Challenge, Round, Theme
from service.rounds.schedule import (
    NoChallenges,
    RoundLocked,
    challenge_for_week,
    round_started,
    schedule_challenge,
    upcoming_schedule,
)
from service.weeks import BadWeek, week_start

WEEKS_SHOWN = 12


def _sendable_challenges() -> list[tuple[str, list[Challenge]]]:
    """Challenges that can be scheduled, grouped by theme for the <select>."""
    rows = db.session.scalars(
        select(Challenge)
        .join(Theme)
        .where(Challenge.retired.is_(False), Theme.retired.is_(False))
        .order_by(Theme.position, Theme.id, Challenge.title)
    )
    groups: dict[str, list[Challenge]] = {}
    for challenge in rows:
        groups.setdefault(challenge.theme.name, []).append(challenge)
    return list(groups.items())


@bp.get("/schedule")
@editors_allowed
def schedule():
    try:
        upcoming = upcoming_schedule(WEEKS_SHOWN)
    except NoChallenges as exc:
        upcoming, problem = [], str(exc)
    else:
        problem = None
    weeks = [week for week, _, _ in upcoming]
    rounds = {r.week: r for r in db.session.scalars(select(Round).where(Round.week.in_(weeks)))}
    rows = []
    for week, challenge, by_admin in upcoming:
        round_ = rounds.get(week)
        locked = round_ is not None and round_started(round_.id)
        rows.append(
            {
                "week": week,
                "monday": week_start(week),
                "challenge": challenge,
                "by_admin": by_admin,
                "round": round_,
                "locked": locked,
            }
        )
    return render_template(
        "admin/schedule.html", rows=rows, groups=_sendable_challenges(), problem=problem
    )


@bp.post("/schedule")
@editors_allowed
def schedule_set():
    week = request.form.get("week", "")
    challenge_id = request.form.get("challenge_id", type=int)
    challenge = db.session.get(Challenge, challenge_id) if challenge_id else None
    if challenge is None:
        flash(gettext("Choose a challenge for the week first."), "error")
        return redirect(url_for("admin.schedule"))
    try:
        before = challenge_for_week(week)
        # schedule_challenge() commits: the audit entry is added first so it is stored in
        # the same transaction, and dropped with it if the change is refused.
        record(
            "schedule.set",
            "round",
            week,
            before={"week": week, "challenge": before.title},
            after={"week": week, "challenge": challenge.title},
        )
        schedule_challenge(week, challenge.id)
    except RoundLocked as exc:
        db.session.rollback()
        flash(str(exc), "error")
    except (BadWeek, ValueError) as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        flash(
            gettext("%(week)s will send “%(title)s”.", week=week, title=challenge.title), "success"
        )
    return redirect(url_for("admin.schedule", _anchor=f"week-{week}"))
