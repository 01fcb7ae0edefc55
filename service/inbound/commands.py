"""`turnabout inbound ...`: see what happened to incoming mail, and retry it."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select

from service.extensions import db
from service.inbound.models import DeliveryEvent, InboundMessage, InboundState


@click.group("inbound")
def inbound_group():
    """Incoming replies and provider events."""


@inbound_group.command("status")
@click.option("--limit", default=15, show_default=True, help="Outcomes to list.")
@with_appcontext
def status_command(limit: int):
    """Count stored messages by state and the most common outcomes (no content shown)."""
    states = db.session.execute(
        select(InboundMessage.state, func.count()).group_by(InboundMessage.state)
    ).all()
    click.echo("Inbound messages by state:")
    for state, count in sorted(states):
        click.echo(f"  {state:<10} {count}")
    outcomes = db.session.execute(
        select(InboundMessage.outcome, func.count())
        .group_by(InboundMessage.outcome)
        .order_by(func.count().desc())
        .limit(limit)
    ).all()
    click.echo("Most common outcomes:")
    for outcome, count in outcomes:
        click.echo(f"  {count:>6}  {outcome or '(not processed yet)'}")
    pending = db.session.scalar(
        select(func.count(DeliveryEvent.id)).where(DeliveryEvent.processed_at.is_(None))
    )
    click.echo(f"Delivery events waiting to be applied: {pending}")


@inbound_group.command("retry")
@click.option("--failed", is_flag=True, help="Also retry messages whose processing failed.")
@click.argument("ids", nargs=-1, type=int)
@with_appcontext
def retry_command(failed: bool, ids: tuple[int, ...]):
    """Queue stored messages (or the given IDS) for processing again.

    Messages still "stored" are always retried; failed ones with --failed, after the
    cause is fixed. Processing is idempotent: nothing is relayed twice.
    """
    from service.inbound.event_actions import sweep_events
    from service.inbound.process import process_inbound
    from service.queues import INBOUND, enqueue

    states = [InboundState.STORED] + ([InboundState.FAILED] if failed or ids else [])
    query = select(InboundMessage.id).where(InboundMessage.state.in_(states))
    if ids:
        query = query.where(InboundMessage.id.in_(ids))
    todo = list(db.session.scalars(query.order_by(InboundMessage.id)))
    if todo:
        db.session.execute(
            InboundMessage.__table__.update()
            .where(InboundMessage.id.in_(todo))
            .values(state=InboundState.STORED, outcome=None)
        )
        db.session.commit()
    for inbound_id in todo:
        enqueue(INBOUND, process_inbound, inbound_id)
    events = sweep_events(older_than_minutes=0)
    click.echo(f"Queued {len(todo)} inbound messages and {events} delivery events.")


@inbound_group.command("erase-expired")
@with_appcontext
def erase_expired_command():
    """Erase relayed bodies and originals older than the retention setting (the daily job)."""
    from service.inbound.retention import erase_expired

    counts = erase_expired()
    click.echo(
        f"Erased {counts['thread_messages']} message bodies, "
        f"{counts['inbound_messages']} stored originals and "
        f"{counts['shared_tips']} shared tips."
    )


COMMANDS = [inbound_group]
