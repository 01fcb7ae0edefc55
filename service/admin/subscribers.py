"""Subscribers: search and filter, a detail page, pause/resume, resend confirmation,
delete data, CSV export and import. Views stay thin: the work is in
service.subscriptions.actions (the subscriptions feature's contract) and csv_import."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from sqlalchemy import func, or_, select

from service.admin.audit import record
from service.admin.blueprint import bp
from service.database import utcnow
from service.extensions import db
from service.i18n import dates
from service.mail.models import OutgoingEmail
from service.rounds.models import Answer, Pairing, Round, Theme, ThreadMessage
from service.subscriptions.actions import delete_personal_data, pause, resend_confirmation, resume
from service.subscriptions.models import Role, Status, Subscriber, subscriber_themes

PAGE_SIZE = 50
STATES = [Status.ACTIVE, Status.PENDING, "paused", Status.UNSUBSCRIBED, Status.DELETED]


def filters_from(args) -> dict:
    return {
        "q": args.get("q", "").strip(),
        "role": args.get("role", "") if args.get("role") in (*Role.ALL, "none") else "",
        "state": args.get("state", "") if args.get("state") in STATES else "",
        "theme": args.get("theme", type=int) or "",
        "team": args.get("team", "").strip(),
    }


def subscriber_query(filters):
    query = select(Subscriber)
    if filters["q"]:
        needle = f"%{filters['q'].lower()}%"
        query = query.where(
            or_(func.lower(Subscriber.email).like(needle), func.lower(Subscriber.name).like(needle))
        )
    if filters["role"] == "none":
        query = query.where(Subscriber.role.is_(None))
    elif filters["role"]:
        query = query.where(Subscriber.role == filters["role"])
    today = utcnow().date()
    if filters["state"] == "paused":
        query = query.where(Subscriber.status == Status.ACTIVE, Subscriber.paused_until > today)
    elif filters["state"]:
        query = query.where(Subscriber.status == filters["state"])
    if filters["theme"]:
        query = query.where(
            Subscriber.id.in_(
                select(subscriber_themes.c.subscriber_id).where(
                    subscriber_themes.c.theme_id == filters["theme"]
                )
            )
        )
    if filters["team"]:
        query = query.where(func.lower(Subscriber.team) == filters["team"].lower())
    return query


@bp.get("/subscribers")
def subscribers():
    filters = filters_from(request.args)
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    query = subscriber_query(filters)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    people = db.session.scalars(
        query.order_by(Subscriber.created_at.desc(), Subscriber.id.desc())
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    teams = db.session.scalars(
        select(Subscriber.team)
        .where(Subscriber.team.is_not(None))
        .distinct()
        .order_by(Subscriber.team)
    ).all()
    themes = db.session.scalars(select(Theme).order_by(Theme.position, Theme.id)).all()
    return render_template(
        "admin/subscribers.html",
        people=people,
        total=total,
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
        filters=filters,
        teams=teams,
        themes=themes,
        states=STATES,
        today=utcnow().date(),
    )


def _history(subscriber: Subscriber) -> list[dict]:
    pairings = db.session.execute(
        select(Pairing, Round)
        .join(Round, Round.id == Pairing.round_id)
        .where(or_(Pairing.learner_id == subscriber.id, Pairing.giver_id == subscriber.id))
        .order_by(Round.week.desc())
    ).all()
    ids = [p.id for p, _ in pairings]
    partner_ids = {
        (p.giver_id if p.learner_id == subscriber.id else p.learner_id) for p, _ in pairings
    } - {None}
    names = dict(
        db.session.execute(
            select(Subscriber.id, Subscriber.name).where(Subscriber.id.in_(partner_ids))
        ).all()
    )
    answers: dict[int, dict] = {}
    for a in db.session.scalars(
        select(Answer).where(Answer.pairing_id.in_(ids), Answer.subscriber_id == subscriber.id)
    ):
        answers.setdefault(a.pairing_id, {})[a.question] = a.value
    counts = dict(
        db.session.execute(
            select(ThreadMessage.pairing_id, func.count())
            .where(ThreadMessage.pairing_id.in_(ids), ThreadMessage.author_id == subscriber.id)
            .group_by(ThreadMessage.pairing_id)
        ).all()
    )
    rows = []
    for p, round_ in pairings:
        as_learner = p.learner_id == subscriber.id
        partner_id = p.giver_id if as_learner else p.learner_id
        rows.append(
            {
                "week": round_.week,
                "challenge": round_.challenge.title,
                "as": "learner" if as_learner else "tip-giver",
                "partner_id": partner_id,
                "partner": names.get(partner_id, "") if partner_id else None,
                "status": p.status,
                "tip": p.tip_received_at,
                "answers": answers.get(p.id, {}),
                "messages": counts.get(p.id, 0),
            }
        )
    return rows


@bp.get("/subscribers/<int:subscriber_id>")
def subscriber_detail(subscriber_id: int):
    subscriber = db.session.get(Subscriber, subscriber_id) or abort(404)
    emails = db.session.scalars(
        select(OutgoingEmail)
        .where(OutgoingEmail.subscriber_id == subscriber.id)
        .order_by(OutgoingEmail.created_at.desc(), OutgoingEmail.id.desc())
        .limit(30)
    ).all()
    return render_template(
        "admin/subscriber.html",
        s=subscriber,
        history=_history(subscriber),
        emails=emails,
        today=utcnow().date(),
    )


def _snapshot(s: Subscriber) -> dict:
    return {
        "status": s.status,
        "paused_until": s.paused_until.isoformat() if s.paused_until else None,
    }


@bp.post("/subscribers/<int:subscriber_id>/pause")
def subscriber_pause(subscriber_id: int):
    subscriber = db.session.get(Subscriber, subscriber_id) or abort(404)
    before = _snapshot(subscriber)
    raw_until = request.form.get("until", "").strip()
    try:
        if raw_until:
            until = pause(subscriber.id, until=date.fromisoformat(raw_until))
        else:
            until = pause(subscriber.id, weeks=request.form.get("weeks", 1, type=int))
    except ValueError as exc:
        flash(gettext("Not paused: %(exc)s", exc=exc), "error")
        return redirect(url_for("admin.subscriber_detail", subscriber_id=subscriber.id))
    record(
        "subscriber.pause", "subscriber", subscriber.id, before=before, after=_snapshot(subscriber)
    )
    db.session.commit()
    flash(
        gettext("Paused: no challenge emails until %(date)s.", date=dates.day_with_year(until)),
        "success",
    )
    return redirect(url_for("admin.subscriber_detail", subscriber_id=subscriber.id))


@bp.post("/subscribers/<int:subscriber_id>/resume")
def subscriber_resume(subscriber_id: int):
    subscriber = db.session.get(Subscriber, subscriber_id) or abort(404)
    before = _snapshot(subscriber)
    resume(subscriber.id)
    record(
        "subscriber.resume", "subscriber", subscriber.id, before=before, after=_snapshot(subscriber)
    )
    db.session.commit()
    flash(gettext("Resumed: they take part from the next round."), "success")
    return redirect(url_for("admin.subscriber_detail", subscriber_id=subscriber.id))


@bp.post("/subscribers/<int:subscriber_id>/resend")
def subscriber_resend(subscriber_id: int):
    subscriber = db.session.get(Subscriber, subscriber_id) or abort(404)
    if resend_confirmation(subscriber.id):
        record("subscriber.resend_confirmation", "subscriber", subscriber.id)
        db.session.commit()
        flash(gettext("The confirmation email was sent again."), "success")
    else:
        db.session.rollback()
        flash(
            gettext(
                "Not sent: only people who have not confirmed yet can get it, at most three "
                "times a day, and never to a blocked address."
            ),
            "error",
        )
    return redirect(url_for("admin.subscriber_detail", subscriber_id=subscriber.id))


@bp.post("/subscribers/<int:subscriber_id>/delete")
def subscriber_delete(subscriber_id: int):
    subscriber = db.session.get(Subscriber, subscriber_id) or abort(404)
    if request.form.get("confirm") != "delete":
        flash(
            gettext("Tick the box to confirm that this person's data should be deleted."), "error"
        )
        return redirect(url_for("admin.subscriber_detail", subscriber_id=subscriber.id))
    # No name or address in the entry: the deletion also redacts the log about this person.
    record(
        "subscriber.delete_data",
        "subscriber",
        subscriber.id,
        before={"status": subscriber.status},
        after={"status": Status.DELETED},
    )
    delete_personal_data(subscriber.id)  # commits, with the audit entry
    flash(gettext("Their personal data is deleted. Counts and anonymous history stay."), "success")
    return redirect(url_for("admin.subscriber_detail", subscriber_id=subscriber.id))
