"""Delivery health: queue lengths, failed jobs (with a retry button), failed and skipped
emails, the suppression list, bounces and complaints per week."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext, ngettext
from rq.exceptions import NoSuchJobError
from rq.job import Job
from rq.registry import FailedJobRegistry
from sqlalchemy import func, select

from service.admin.audit import record
from service.admin.blueprint import bp
from service.admin.charts import bar_chart
from service.database import utcnow
from service.extensions import db
from service.inbound.models import UNAUTHENTICATED, DeliveryEvent, InboundMessage
from service.mail.models import EmailEvent, EmailState, OutgoingEmail
from service.queues import ALL_QUEUES, get_queue
from service.redis_conn import get_redis
from service.subscriptions.models import Suppression
from service.weeks import last_weeks, short_label, week_of, week_range

FAILED_JOBS_SHOWN = 50


def _last_line(text: str | None) -> str:
    lines = [line for line in (text or "").strip().splitlines() if line.strip()]
    return lines[-1][:300] if lines else gettext("(no error recorded)")


def _error_of(job: Job) -> str | None:
    result = job.latest_result()
    return result.exc_string if result is not None else None


def queue_health() -> tuple[list[dict], list[dict]]:
    queues, failed = [], []
    for name in ALL_QUEUES:
        queue = get_queue(name)
        registry = FailedJobRegistry(queue=queue)
        queues.append(
            {
                "name": name,
                "waiting": queue.count,
                "running": queue.started_job_registry.count,
                "scheduled": queue.scheduled_job_registry.count,
                "failed": registry.count,
            }
        )
        ids = registry.get_job_ids(0, FAILED_JOBS_SHOWN - 1)
        for job in Job.fetch_many(ids, connection=queue.connection):
            if job is None:
                continue
            failed.append(
                {
                    "id": job.id,
                    "queue": name,
                    "function": job.func_name.rsplit(".", 1)[-1],
                    "module": job.func_name.rsplit(".", 1)[0],
                    "args": ", ".join(repr(a)[:40] for a in (job.args or ()))[:120],
                    "ended_at": job.ended_at,
                    "error": _last_line(_error_of(job)),
                }
            )
    failed.sort(key=lambda j: j["ended_at"] or utcnow(), reverse=True)
    return queues, failed


def bounce_weeks(weeks: list[str]) -> dict[str, Counter]:
    start, end = week_range(weeks[0], weeks[-1])
    counts = {w: Counter() for w in weeks}
    for event, when in db.session.execute(
        select(DeliveryEvent.event, DeliveryEvent.occurred_at).where(
            DeliveryEvent.event.in_(
                [EmailEvent.BOUNCED, EmailEvent.COMPLAINED, EmailEvent.DROPPED]
            ),
            DeliveryEvent.occurred_at >= start,
            DeliveryEvent.occurred_at < end,
        )
    ):
        week = counts.get(week_of(when))
        if week is not None:
            week[event] += 1
    for (when,) in db.session.execute(
        select(OutgoingEmail.sent_at).where(
            OutgoingEmail.sent_at >= start, OutgoingEmail.sent_at < end
        )
    ):
        week = counts.get(week_of(when))
        if week is not None:
            week["sent"] += 1
    return counts


def unauthenticated_inbound(since) -> list:
    """Inbound mail not acted on because its sender was not authenticated, by reason
    (the outcomes hold no addresses or content)."""
    return db.session.execute(
        select(InboundMessage.outcome, func.count())
        .where(
            InboundMessage.outcome.contains(UNAUTHENTICATED),
            InboundMessage.received_at >= since,
        )
        .group_by(InboundMessage.outcome)
        .order_by(func.count().desc())
    ).all()


@bp.get("/delivery")
def delivery():
    queues, failed_jobs = queue_health()
    states = dict(
        db.session.execute(
            select(OutgoingEmail.state, func.count()).group_by(OutgoingEmail.state)
        ).all()
    )
    since = utcnow() - timedelta(days=14)
    failed_emails = db.session.scalars(
        select(OutgoingEmail)
        .where(OutgoingEmail.state == EmailState.FAILED, OutgoingEmail.created_at >= since)
        .order_by(OutgoingEmail.created_at.desc())
        .limit(50)
    ).all()
    skipped = db.session.execute(
        select(OutgoingEmail.error, func.count())
        .where(OutgoingEmail.state == EmailState.SKIPPED, OutgoingEmail.created_at >= since)
        .group_by(OutgoingEmail.error)
        .order_by(func.count().desc())
    ).all()
    unauthenticated = unauthenticated_inbound(since)
    suppressions = db.session.scalars(
        select(Suppression).order_by(Suppression.created_at.desc()).limit(100)
    ).all()
    suppression_counts = dict(
        db.session.execute(
            select(Suppression.reason, func.count()).group_by(Suppression.reason)
        ).all()
    )
    weeks = last_weeks(12, utcnow().date())
    per_week = bounce_weeks(weeks)
    chart = bar_chart(
        gettext("Bounces and complaints per week"),
        [short_label(w) for w in weeks],
        [
            (gettext("bounced"), [per_week[w][EmailEvent.BOUNCED] for w in weeks]),
            (gettext("complained"), [per_week[w][EmailEvent.COMPLAINED] for w in weeks]),
        ],
    )
    return render_template(
        "admin/delivery.html",
        queues=queues,
        failed_jobs=failed_jobs,
        states=states,
        failed_emails=failed_emails,
        skipped=skipped,
        unauthenticated=unauthenticated,
        suppressions=suppressions,
        suppression_counts=suppression_counts,
        weeks=weeks,
        per_week=per_week,
        chart=chart,
    )


@bp.post("/delivery/jobs/<job_id>/retry")
def delivery_retry(job_id: str):
    queue_name = request.form.get("queue", "")
    if queue_name not in ALL_QUEUES:
        abort(400, gettext("Unknown queue."))
    registry = FailedJobRegistry(queue=get_queue(queue_name))
    try:
        job = Job.fetch(job_id, connection=get_redis())
        registry.requeue(job)
    except (NoSuchJobError, ValueError):
        flash(
            gettext("That job is no longer in the failed list (retried or expired already)."),
            "error",
        )
        return redirect(url_for("admin.delivery"))
    record("job.retry", "job", job_id, detail=f"{queue_name}: {job.func_name}")
    db.session.commit()
    flash(gettext("The job is back in its queue; a worker will run it again."), "success")
    return redirect(url_for("admin.delivery"))


@bp.post("/delivery/jobs/retry-all")
def delivery_retry_all():
    retried = 0
    for name in ALL_QUEUES:
        registry = FailedJobRegistry(queue=get_queue(name))
        for job_id in registry.get_job_ids():
            try:
                registry.requeue(job_id)
                retried += 1
            except (NoSuchJobError, ValueError):
                continue
    if retried:
        record("job.retry_all", "job", None, detail=f"{retried} jobs")
        db.session.commit()
    flash(
        ngettext(
            "%(num)d failed job put back in the queue.",
            "%(num)d failed jobs put back in the queue.",
            retried,
        ),
        "success",
    )
    return redirect(url_for("admin.delivery"))
