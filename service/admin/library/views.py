"""The admin "Tips" page: the shared tips waiting for an editor, approved, hidden or
withdrawn; approve, edit, attach to a challenge, hide. Open to editors. Shows the tip
and its challenge, never who wrote it or to whom."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from sqlalchemy import select

from service.admin.blueprint import bp, editors_allowed
from service.admin.library import curation
from service.extensions import db
from service.rounds.models import Challenge

SHOWS = ("waiting", "approved", "hidden", "withdrawn", "all")


@bp.get("/tips")
@editors_allowed
def tips():
    show = request.args.get("show", "waiting")
    if show not in SHOWS:
        show = "waiting"
    challenges = db.session.scalars(
        select(Challenge).where(Challenge.retired.is_(False)).order_by(Challenge.title)
    ).all()
    return render_template(
        "admin/tips.html",
        rows=curation.library(show),
        show=show,
        shows=SHOWS,
        challenges=challenges,
    )


def _act(tip_id: int, action, message: str, *args):
    try:
        action(tip_id, *args)
    except LookupError:
        abort(404)
    except curation.TipRefused as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("admin.tips", show=request.form.get("show", "all"))), 400
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("admin.tips", show=request.form.get("show", "waiting")))


@bp.post("/tips/<int:tip_id>/approve")
@editors_allowed
def tip_approve(tip_id: int):
    return _act(
        tip_id, curation.approve, gettext("Approved: learners without a partner can get it.")
    )


@bp.post("/tips/<int:tip_id>/hide")
@editors_allowed
def tip_hide(tip_id: int):
    return _act(tip_id, curation.hide, gettext("Hidden: it goes to nobody until approved again."))


@bp.post("/tips/<int:tip_id>/edit")
@editors_allowed
def tip_edit(tip_id: int):
    text = request.form.get("text", "")
    saved = gettext("Saved. The original is kept in the audit log.")
    return _act(tip_id, curation.edit, saved, text)


@bp.post("/tips/<int:tip_id>/attach")
@editors_allowed
def tip_attach(tip_id: int):
    try:
        challenge_id = int(request.form.get("challenge_id", ""))
    except ValueError:
        flash(gettext("Choose a challenge from the list."), "error")
        return redirect(url_for("admin.tips")), 400
    return _act(tip_id, curation.attach, gettext("Attached to the challenge."), challenge_id)
