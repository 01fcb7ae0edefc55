"""Rounds: each week's pairs and how they are going, the unmatched and why; re-run pairing
before sending; move a learner to a standby tip-giver. Metadata and counts only: the text
people write to each other is never shown here."""

from __future__ import annotations

from collections import defaultdict

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from sqlalchemy import func, select

from service.admin.audit import record
from service.admin.blueprint import bp
from service.admin.round_rows import needs_attention, pair_rows
from service.extensions import db
from service.mail.models import OutgoingEmail
from service.rounds.continuations import continuing_pairing_ids
from service.rounds.models import (
    ContinuationBreak,
    Pairing,
    Round,
    RoundStatus,
    Standby,
)
from service.rounds.plan_preview import plan_round
from service.rounds.planning import ensure_paired, rerun_pairing
from service.rounds.schedule import NoChallenges, RoundLocked, round_for_week, round_started
from service.rounds.standby import reassign_learner
from service.subscriptions.models import Subscriber
from service.weeks import BadWeek, current_week, next_weeks, parse_week, shift_week

MOVE_REASONS = {
    "cant": "the tip-giver can't this week",
    "left": "the tip-giver left the programme",
    "silent": "the tip-giver has not answered",
    "admin": "moved by an admin",
}


@bp.get("/rounds")
def rounds():
    counts = defaultdict(lambda: {"pairs": 0, "unmatched": 0, "tips": 0})
    for round_id, has_giver, tip, n in db.session.execute(
        select(
            Pairing.round_id,
            Pairing.giver_id.is_not(None),
            Pairing.tip_received_at.is_not(None),
            func.count(),
        ).group_by(
            Pairing.round_id, Pairing.giver_id.is_not(None), Pairing.tip_received_at.is_not(None)
        )
    ):
        bucket = counts[round_id]
        bucket["pairs" if has_giver else "unmatched"] += n
        if tip:
            bucket["tips"] += n
    sending = set(
        db.session.scalars(
            select(Pairing.round_id)
            .join(OutgoingEmail, OutgoingEmail.pairing_id == Pairing.id)
            .distinct()
        )
    )
    all_rounds = db.session.scalars(select(Round).order_by(Round.week.desc())).all()
    stored = {r.week for r in all_rounds}
    upcoming = [w for w in next_weeks(2) if w not in stored]
    return render_template(
        "admin/rounds.html",
        rounds=all_rounds,
        counts=counts,
        sending=sending,
        upcoming=upcoming,
        this_week=current_week(),
    )


@bp.get("/rounds/<week>")
def round_detail(week: str):
    try:
        parse_week(week)
    except BadWeek:
        abort(404)
    round_ = round_for_week(week)
    if round_ is None and week < current_week():
        flash(gettext("No round ran in %(week)s.", week=week), "info")
        return redirect(url_for("admin.rounds"))
    if round_ is None or round_.status == RoundStatus.PLANNED:
        try:
            preview = plan_round(week)
        except NoChallenges as exc:
            flash(str(exc), "error")
            return redirect(url_for("admin.rounds"))
        return render_template(
            "admin/round_plan.html",
            week=week,
            round=round_,
            preview=preview,
            can_pair=week >= current_week(),
        )
    standbys = db.session.execute(
        select(Standby, Subscriber)
        .join(Subscriber, Subscriber.id == Standby.subscriber_id)
        .where(Standby.round_id == round_.id)
        .order_by(Standby.id)
    ).all()
    rows = pair_rows(round_)
    show = request.args.get("show", "")
    shown = [r for r in rows if needs_attention(r)] if show == "attention" else rows
    return render_template(
        "admin/round.html",
        round=round_,
        rows=rows,
        shown=shown,
        show=show,
        standbys=standbys,
        free_standbys=sum(1 for s, _ in standbys if not s.used),
        started=round_started(round_.id),
        move_reasons=MOVE_REASONS,
        continuing=sum(1 for r in rows if r["continuing"]),
    )


@bp.post("/rounds/<week>/pair")
def round_pair(week: str):
    """Pair a planned round now (instead of at its first send), so the pairs can be checked."""

    try:
        parse_week(week)
    except BadWeek:
        abort(404)
    if week < current_week():
        flash(gettext("%(week)s is over; it cannot be paired any more.", week=week), "error")
        return redirect(url_for("admin.round_detail", week=week))
    record("round.pair", "round", week)
    try:
        round_ = ensure_paired(week)  # commits, with the audit entry
    except NoChallenges as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("admin.rounds"))
    flash(
        gettext(
            "%(week)s is paired. Check the pairs; you can re-run pairing until sending starts.",
            week=week,
        ),
        "success",
    )
    return redirect(url_for("admin.round_detail", week=round_.week))


@bp.post("/rounds/<week>/rerun")
def round_rerun(week: str):
    round_ = round_for_week(week) or abort(404)
    record("round.rerun_pairing", "round", week)
    try:
        rerun_pairing(round_.id)  # commits, with the audit entry added just before
    except RoundLocked as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        flash(gettext("Pairing for %(week)s was run again.", week=week), "success")
    return redirect(url_for("admin.round_detail", week=week))


@bp.post("/pairings/<int:pairing_id>/move")
def pairing_move(pairing_id: int):
    pairing = db.session.get(Pairing, pairing_id) or abort(404)
    week = pairing.round.week
    reason = MOVE_REASONS.get(request.form.get("reason", ""), MOVE_REASONS["admin"])
    before = {"giver_id": pairing.giver_id, "status": pairing.status}
    record("pairing.move_learner", "pairing", pairing.id, before=before, detail=reason)
    moved = reassign_learner(pairing.id, reason)
    db.session.commit()  # the move and its audit entry together
    if moved:
        flash(
            gettext("The learner has a new tip-giver from the standby list; both were emailed."),
            "success",
        )
    else:
        flash(
            gettext(
                "No standby tip-giver was free, so the learner gets this week's shared tips "
                "instead (they were told)."
            ),
            "error",
        )
    return redirect(url_for("admin.round_detail", week=week, _anchor=f"pairing-{pairing_id}"))


@bp.post("/pairings/<int:pairing_id>/break")
def pairing_break(pairing_id: int):
    """End a pair's "keep this partner": next week they are paired as usual."""

    pairing = db.session.get(Pairing, pairing_id) or abort(404)
    week = pairing.round.week
    if pairing_id not in continuing_pairing_ids(pairing.round_id):
        flash(
            gettext("This pair did not both ask to continue, so there is nothing to break."), "info"
        )
        return redirect(url_for("admin.round_detail", week=week))
    db.session.add(ContinuationBreak(pairing_id=pairing_id))
    record("pairing.break_continuation", "pairing", pairing_id)
    db.session.commit()
    following = round_for_week(shift_week(week, 1))
    message = gettext("The pair will not be kept together next week.")
    if following is not None and following.status != RoundStatus.PLANNED:
        message += (
            " "
            + gettext("Next week's round is already sending, so this applies from the week after.")
            if round_started(following.id)
            else " " + gettext("Next week is already paired: re-run its pairing to apply this now.")
        )
    flash(message, "success")
    return redirect(url_for("admin.round_detail", week=week, _anchor=f"pairing-{pairing_id}"))
