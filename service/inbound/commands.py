"""`turnabout inbound ...`: see what happened to incoming mail, and retry it."""

from __future__ import annotations

import json

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select

from service.extensions import db
from service.inbound.batch import kick
from service.inbound.event_actions import sweep_events
from service.inbound.models import DeliveryEvent, InboundMessage, InboundState
from service.inbound.retention import erase_expired
from service.inbound.storage import WebhookForm, store


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
    if todo:
        kick()
    events = sweep_events(older_than_minutes=0)
    click.echo(f"Queued {len(todo)} inbound messages and {events} delivery events.")


@inbound_group.command("erase-expired")
@with_appcontext
def erase_expired_command():
    """Erase what people wrote, older than the retention setting (the daily job)."""
    counts = erase_expired()
    click.echo(
        f"Erased {counts['thread_messages']} message bodies, "
        f"{counts['inbound_messages']} stored originals, "
        f"{counts['answer_comments']} answer comments, "
        f"{counts['shared_tips']} shared tips and the words of "
        f"{counts['outgoing_emails']} emails."
    )


@inbound_group.command("simulate")
@click.option("--from", "sender", required=True, help="The sender's address.")
@click.option("--to", "to", required=True, help="reply+KEY@, join@ or unsubscribe@ address.")
@click.option("--subject", default="Re: this week's challenge", show_default=True)
@click.argument("text")
@with_appcontext
def simulate_command(sender: str, to: str, subject: str, text: str):
    """Development: deliver TEXT as if SendGrid had posted it, with a passing verdict.

    The message is stored and processed exactly as a real one (a worker must run), with
    a DKIM pass for the sender's domain and an SPF pass for the sender as envelope.
    """
    from email.message import EmailMessage
    from email.utils import make_msgid

    from flask import current_app

    if current_app.config["PRODUCTION"]:
        raise click.UsageError("simulate is for development; production mail comes from SendGrid")
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, subject
    message["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1])
    message.set_content(text)
    fields = {
        "email": bytes(message),
        "envelope": json.dumps({"to": [to], "from": sender}).encode(),
        "SPF": b"pass",
        "dkim": f"{{@{sender.rsplit('@', 1)[-1]} : pass}}".encode(),
    }
    row_id, outcome = store(WebhookForm(fields, []), current_app.config["MAX_INBOUND_BYTES"])
    click.echo(f"{outcome}" + (f" as inbound message {row_id}" if row_id else ""))


COMMANDS = [inbound_group]
