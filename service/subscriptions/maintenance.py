"""Scheduled clean-up: addresses that never confirmed are forgotten."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import exists, select, update

from service.confidence.ratings import erase_self_ratings
from service.database import utcnow
from service.extensions import db
from service.inbound.models import InboundMessage
from service.mail.models import EmailState, OutgoingEmail
from service.subscriptions.models import Status, Subscriber
from service.subscriptions.privacy import delete_themes

# A confirmation link lives 7 days and an invitation 30; keep a pending signup a little
# longer than either, so a late click still finds it, then forget the address.
PENDING_KEPT = timedelta(days=35)


def purge_expired_pending(limit: int = 1000) -> int:
    """Daily job: delete pending subscribers with no signup or confirmation mail in the
    last PENDING_KEPT, and erase the address from the emails we sent them. Idempotent;
    returns how many were removed."""
    cutoff = utcnow() - PENDING_KEPT
    ids = list(
        db.session.scalars(
            select(Subscriber.id)
            .where(
                Subscriber.status == Status.PENDING,
                Subscriber.created_at < cutoff,
                # asked again recently: their newest link must still find them
                ~exists().where(
                    OutgoingEmail.subscriber_id == Subscriber.id,
                    OutgoingEmail.created_at >= cutoff,
                ),
            )
            .order_by(Subscriber.id)
            .limit(limit)
        )
    )
    if not ids:
        return 0
    db.session.execute(
        update(OutgoingEmail)
        .where(OutgoingEmail.subscriber_id.in_(ids), OutgoingEmail.state == EmailState.QUEUED)
        .values(state=EmailState.SKIPPED, error="pending signup expired")
    )
    db.session.execute(
        update(OutgoingEmail)
        .where(OutgoingEmail.subscriber_id.in_(ids))
        .values(subscriber_id=None, to_address=None, to_name=None, context={}, subject=None)
    )
    db.session.execute(
        update(InboundMessage).where(InboundMessage.sender_id.in_(ids)).values(sender_id=None)
    )
    for sid in ids:
        db.session.execute(delete_themes(sid))
        erase_self_ratings(sid)
        db.session.delete(db.session.get(Subscriber, sid))
    db.session.commit()
    return len(ids)
