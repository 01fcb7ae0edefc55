"""Challenges: list with filters (and the translations each one lacks), create and edit
every language side by side, retire. The live preview and "send me a test" are in
challenge_preview.py."""

from __future__ import annotations

from collections import defaultdict

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from service.admin.audit import create_recorded, edit_recorded, set_retired
from service.admin.blueprint import bp, editors_allowed
from service.admin.forms import challenge_form, links_text
from service.admin.stats import rating_value
from service.admin.translations import (
    apply_challenge_translations,
    challenge_translations_data,
    challenge_translations_form,
    challenge_translations_snapshot,
    default_language,
    language_columns,
    missing_labels,
    translated_languages,
)
from service.extensions import db
from service.i18n.marker import N_
from service.rounds.models import Answer, Challenge, Pairing, Round, RoundStatus, Theme

# The list's filters: the value in the address -> the words shown (translated when shown).
RATING_FILTERS = {
    "": N_("any rating"),
    "4": N_("4 or more"),
    "3": N_("3 or more"),
    "low": N_("below 3"),
    "none": N_("not rated yet"),
}
USE_FILTERS = {"": N_("used or not"), "used": N_("used in a round"), "unused": N_("never used")}


def snapshot(challenge: Challenge) -> dict:
    return {
        "theme_id": challenge.theme_id,
        "title": challenge.title,
        "learner_task": challenge.learner_task,
        "giver_prompt": challenge.giver_prompt,
        "starter_tip": challenge.starter_tip,
        "links": challenge.links,
        "retired": challenge.retired,
        "translations": challenge_translations_snapshot(challenge),
    }


def usage() -> tuple[dict, dict, dict]:
    """Per challenge: weeks it ran, weeks it is planned for, and its ratings."""
    ran, planned = defaultdict(list), defaultdict(list)
    for challenge_id, week, status in db.session.execute(
        select(Round.challenge_id, Round.week, Round.status).order_by(Round.week)
    ):
        (planned if status == RoundStatus.PLANNED else ran)[challenge_id].append(week)
    ratings = defaultdict(list)
    for challenge_id, raw in db.session.execute(
        select(Round.challenge_id, Answer.value)
        .join(Pairing, Pairing.round_id == Round.id)
        .join(Answer, Answer.pairing_id == Pairing.id)
        .where(Answer.question == "rating")
    ):
        if (value := rating_value(raw)) is not None:
            ratings[challenge_id].append(value)
    return ran, planned, ratings


def theme_choices(include_id: int | None = None) -> list[tuple[int, str]]:
    themes = db.session.scalars(select(Theme).order_by(Theme.position, Theme.id))
    return [
        (t.id, t.name + (" (retired)" if t.retired else ""))
        for t in themes
        if not t.retired or t.id == include_id
    ]


@bp.get("/challenges")
@editors_allowed
def challenges():
    args = request.args
    theme_id = args.get("theme", type=int)
    used = args.get("used", "") if args.get("used") in USE_FILTERS else ""
    rating = args.get("rating", "") if args.get("rating") in RATING_FILTERS else ""
    show_retired = args.get("retired") == "1"
    query = (
        select(Challenge)
        .join(Theme)
        .options(selectinload(Challenge.translations))
        .order_by(Theme.position, Challenge.title)
    )
    if theme_id:
        query = query.where(Challenge.theme_id == theme_id)
    if not show_retired:
        query = query.where(Challenge.retired.is_(False))
    ran, planned, ratings = usage()
    rows = []
    for challenge in db.session.scalars(query):
        values = ratings.get(challenge.id, [])
        average = sum(values) / len(values) if values else None
        if used == "used" and not ran.get(challenge.id):
            continue
        if used == "unused" and ran.get(challenge.id):
            continue
        if rating == "none" and average is not None:
            continue
        if rating in ("3", "4") and (average is None or average < int(rating)):
            continue
        if rating == "low" and (average is None or average >= 3):
            continue
        rows.append(
            (
                challenge,
                ran.get(challenge.id, []),
                planned.get(challenge.id, []),
                average,
                len(values),
                missing_labels(challenge),
            )
        )
    return render_template(
        "admin/challenges.html",
        rows=rows,
        untranslated=sum(1 for row in rows if row[-1]),
        themes=theme_choices(),
        filters={"theme": theme_id or "", "used": used, "rating": rating, "retired": show_retired},
        rating_filters={key: gettext(words) for key, words in RATING_FILTERS.items()},
        use_filters={key: gettext(words) for key, words in USE_FILTERS.items()},
    )


def render_challenge_form(challenge, data, errors, status=200, translations=None):
    return render_template(
        "admin/challenge_form.html",
        challenge=challenge,
        data=data,
        errors=errors,
        themes=theme_choices(challenge.theme_id if challenge else None),
        missing=missing_labels(challenge) if challenge else [],
        **language_columns(challenge, translations, challenge_translations_data),
    ), status


def read_challenge_form(challenge: Challenge | None) -> tuple[dict, dict, dict]:
    """(fields, translations, errors) of the posted form; every language is checked."""
    data, errors = challenge_form(request.form, challenge_id=challenge.id if challenge else None)
    translations, more = challenge_translations_form(request.form, translated_languages(challenge))
    return data, translations, errors | more


@bp.route("/challenges/new", methods=["GET", "POST"])
@editors_allowed
def challenge_new():
    if request.method != "POST":  # GET and HEAD
        theme_id = request.args.get("theme", type=int) or ""
        return render_challenge_form(None, {"theme_id": theme_id}, {})
    data, translations, errors = read_challenge_form(None)
    if errors:
        return render_challenge_form(None, data, errors, 400, translations)
    challenge = Challenge(
        theme_id=data["theme_id"],
        title=data["title"],
        learner_task=data["learner_task"],
        giver_prompt=data["giver_prompt"],
        starter_tip=data["starter_tip"],
        links=data["links"],
        language=default_language(),
    )
    apply_challenge_translations(challenge, translations)
    create_recorded(challenge, "challenge", snapshot)
    db.session.commit()
    flash(
        gettext(
            "Challenge “%(title)s” saved. Schedule it on the Schedule page.", title=challenge.title
        ),
        "success",
    )
    return redirect(url_for("admin.challenge_edit", challenge_id=challenge.id))


@bp.route("/challenges/<int:challenge_id>", methods=["GET", "POST"])
@editors_allowed
def challenge_edit(challenge_id: int):
    challenge = db.session.get(Challenge, challenge_id) or abort(404)
    if request.method != "POST":  # GET and HEAD
        data = snapshot(challenge) | {"links_text": links_text(challenge.links)}
        return render_challenge_form(challenge, data, {})
    data, translations, errors = read_challenge_form(challenge)
    if errors:
        return render_challenge_form(challenge, data, errors, 400, translations)

    def change(challenge: Challenge) -> None:
        for key in ("theme_id", "title", "learner_task", "giver_prompt", "starter_tip", "links"):
            setattr(challenge, key, data[key])
        apply_challenge_translations(challenge, translations)

    if edit_recorded(challenge, "challenge", change, snapshot):
        db.session.commit()
        flash(gettext("Challenge saved."), "success")
    else:
        flash(gettext("Nothing changed."), "info")
    return redirect(url_for("admin.challenge_edit", challenge_id=challenge.id))


@bp.post("/challenges/<int:challenge_id>/retire")
@editors_allowed
def challenge_retire(challenge_id: int):
    challenge = db.session.get(Challenge, challenge_id) or abort(404)
    retire = request.form.get("retired", "1") == "1"
    set_retired(challenge, "challenge", retire, snapshot)
    db.session.commit()
    flash(
        gettext("Challenge retired: the rotation will not pick it again.")
        if retire
        else gettext("Challenge restored: the rotation may pick it again."),
        "success",
    )
    return redirect(url_for("admin.challenge_edit", challenge_id=challenge.id))
