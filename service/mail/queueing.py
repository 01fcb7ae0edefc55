"""Queueing one email: write its row (skip rules applied, with the reason), then enqueue its
delivery after the transaction commits. `email_row` is the one place an outgoing_emails
row is built, for this path and for the bulk path (bulk.queue_many) alike.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache

from sqlalchemy import bindparam, select
from sqlalchemy.orm import make_transient_to_detached

from service.database import conflict_insert, utcnow
from service.direct_sql import DirectStatement
from service.extensions import db
from service.mail.catalog import EmailKind
from service.mail.compose import new_message_id
from service.mail.delivery import collected_here, deliver_emails
from service.mail.models import EmailState, OutgoingEmail
from service.mail.rules import skip_reason, suppressions_for
from service.queues import MAIL, TRANSIENT_RETRY, enqueue_after_commit
from service.subscriptions.models import Subscriber


def email_row(
    kind: EmailKind,
    *,
    key: str,
    context: dict,
    to: str,
    to_name: str | None,
    subscriber_id: int | None,
    from_name: str | None = None,
    reply_to: str | None = None,
    message_id: str | None = None,
    thread_root: str | None = None,
    pairing_id: int | None = None,
    skipped_because: str | None = None,
    now: datetime | None = None,
) -> dict:
    """The column values of one outgoing_emails row. `thread_root` is the Message-ID of the
    first message of the conversation this one continues; `skipped_because`, a skip rule's
    reason, stores the row as skipped instead of queued."""
    return {
        "key": key,
        "kind": kind.name,
        "subscriber_id": subscriber_id,
        "to_address": to,
        "to_name": to_name,
        "from_name": from_name,
        "reply_to": reply_to,
        "message_id": message_id or new_message_id(),
        "in_reply_to": thread_root,
        "references": thread_root,
        "category": kind.category,
        "list_mail": kind.list_mail,
        "context": context,
        "holds_words": bool(kind.words),
        "state": EmailState.SKIPPED if skipped_because else EmailState.QUEUED,
        "error": skipped_because,
        "attempts": 0,
        "pairing_id": pairing_id,
        "created_at": now or utcnow(),
    }


def queue_email(
    kind: EmailKind,
    *,
    key: str,
    context: dict,
    to: str | None = None,
    to_name: str | None = None,
    subscriber_id: int | None = None,
    from_name: str | None = None,
    reply_to: str | None = None,
    message_id: str | None = None,
    thread_root: str | None = None,
    pairing_id: int | None = None,
    queue: str = MAIL,
) -> OutgoingEmail:
    """Write the email's row (or return the existing one for `key`) and enqueue delivery
    after commit (inside delivery.delivered_here(), collect its id instead). The caller
    commits. Without `to`, the address is the subscriber's."""
    try:
        values = prepared_email(
            kind,
            key=key,
            context=context,
            to=to,
            to_name=to_name,
            subscriber_id=subscriber_id,
            from_name=from_name,
            reply_to=reply_to,
            message_id=message_id,
            thread_root=thread_root,
            pairing_id=pairing_id,
        )
    except ValueError:  # no address any more: the email stored for `key` earlier stands
        existing = _existing(key)
        if existing is None:
            raise
        return existing
    row, inserted = _stored(values)
    if inserted and values["state"] == EmailState.QUEUED:
        deliver_after_commit(row.id, queue)
    return row


def prepared_email(
    kind: EmailKind,
    *,
    key: str,
    context: dict,
    to: str | None = None,
    to_name: str | None = None,
    subscriber_id: int | None = None,
    **fields,
) -> dict:
    """The row queue_email writes (`fields`: email_row's other columns), also for a caller
    that writes it in a statement of its own (a signup stores its subscriber, themes and
    confirmation in one), then hands its id to deliver_after_commit if it is queued. Its
    skip rule reads the subscriber unless the kind is exempt, so `subscriber_id` must be
    stored already for such a kind. ValueError: no address to write to."""
    to, to_name, reason = _recipient(kind, key, to, to_name, subscriber_id)
    return email_row(
        kind,
        key=key,
        context=context,
        to=to,
        to_name=to_name,
        subscriber_id=subscriber_id,
        skipped_because=reason,
        **fields,
    )


def deliver_after_commit(email_id: int, queue: str = MAIL) -> None:
    """Enqueue the delivery of a queued row once the transaction commits (inside
    delivery.delivered_here(), collect its id instead)."""
    collected = collected_here()
    if collected is not None:
        collected.append(email_id)
    else:
        enqueue_after_commit(queue, deliver_emails, [email_id], retry=TRANSIENT_RETRY)


def _recipient(
    kind: EmailKind, key: str, to: str | None, to_name: str | None, subscriber_id: int | None
) -> tuple[str, str | None, str | None]:
    """The address, the name and why the email is skipped (None: it goes out).

    The subscriber and the suppression list only matter for the address (when `to` is
    not given) and for the skip rule, which exempt kinds skip: a signup's confirmation
    reads neither (two statements of the six a signup ran)."""
    exempt = kind.suppression_exempt
    subscriber = (
        db.session.get(Subscriber, subscriber_id)
        if subscriber_id and (to is None or not exempt)
        else None
    )
    to, to_name = _address(key, to, to_name, subscriber)
    if exempt:
        return to, to_name, None
    status = subscriber.status if subscriber else None
    return to, to_name, skip_reason(kind, status, suppressions_for([to]).get(to))


def _address(
    key: str, to: str | None, to_name: str | None, subscriber: Subscriber | None
) -> tuple[str, str | None]:
    """`to` as given, or the subscriber's address and first name."""
    if to is not None:
        return to, to_name
    if subscriber is None or not subscriber.email:
        raise ValueError(f"email {key!r} has neither an address nor a subscriber with one")
    return subscriber.email, to_name or subscriber.first_name


# One email's row, on the driver (service/direct_sql.py): the ORM's SELECT and its add and
# flush were most of a queued email's time (profiled on the signup page).
_TABLE = OutgoingEmail.__table__
_COLUMNS = tuple(column.name for column in _TABLE.columns if column.name != "id")


@cache
def _insert(dialect: str) -> DirectStatement:
    insert = conflict_insert(dialect, _TABLE).values({n: bindparam(n) for n in _COLUMNS})
    insert = insert.on_conflict_do_nothing(index_elements=["key"])
    return DirectStatement(insert.returning(_TABLE.c.id))


def _stored(values: dict) -> tuple[OutgoingEmail, bool]:
    """The row for `values["key"]`, and whether it was inserted now. One INSERT ... ON
    CONFLICT (key) DO NOTHING RETURNING, not a look-up first: a key is nearly always new,
    and a parallel insert of the same key waits for the other and then finds its row
    instead of failing on the unique key.

    A row inserted now is handed back as the session's object, as if it had been loaded:
    changing it later updates the row, as with an object the ORM inserted."""
    values = {name: None for name in _COLUMNS} | values
    inserted = _insert(db.session.get_bind().dialect.name).first(values)
    if inserted is None:
        return _existing(values["key"]), False
    row = OutgoingEmail(id=inserted.id, **values)
    make_transient_to_detached(row)
    db.session.add(row)
    return row, True


def _existing(key: str) -> OutgoingEmail | None:
    return db.session.scalar(select(OutgoingEmail).where(OutgoingEmail.key == key))


def add_email(
    kind: EmailKind,
    *,
    key: str,
    context: dict,
    subscriber: Subscriber | None,
    to: str | None = None,
    to_name: str | None = None,
    from_name: str | None = None,
    reply_to: str | None = None,
    message_id: str | None = None,
    thread_root: str | None = None,
    pairing_id: int | None = None,
    suppressed: dict[str, str | None] | None = None,
    queue: str = MAIL,
) -> OutgoingEmail:
    """queue_email for a caller that made `key` from a row it created in this transaction
    (no row can have it yet), with the subscriber at hand and perhaps the suppression
    list's answers read for many emails at once (`suppressed`: address -> reason or None).

    Inside delivery.delivered_here() the row is added to the session and collected, not
    written: the caller's next flush writes it with the rest of its work (the inbound job:
    a group's relay emails in one statement). Elsewhere it is flushed and its delivery
    enqueued after commit, as queue_email does."""
    to, to_name = _address(key, to, to_name, subscriber)
    reason = None
    if not kind.suppression_exempt:
        known = suppressed is not None and to in suppressed
        suppression = suppressed[to] if known else suppressions_for([to]).get(to)
        reason = skip_reason(kind, subscriber.status if subscriber else None, suppression)
    values = email_row(
        kind,
        key=key,
        context=context,
        to=to,
        to_name=to_name,
        subscriber_id=subscriber.id if subscriber else None,
        from_name=from_name,
        reply_to=reply_to,
        message_id=message_id,
        thread_root=thread_root,
        pairing_id=pairing_id,
        skipped_because=reason,
    )
    row = OutgoingEmail(**values)
    db.session.add(row)
    collected = collected_here()
    if not reason and collected is not None:
        collected.append(row)  # its id once written: delivery.collected_ids()
    elif not reason:
        db.session.flush()
        enqueue_after_commit(queue, deliver_emails, [row.id], retry=TRANSIENT_RETRY)
    return row
