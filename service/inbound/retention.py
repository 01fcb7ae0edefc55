"""Erase what people wrote once the retention period is over; keep that it happened.

Relayed bodies (ThreadMessage.body) and stored originals (InboundMessage.raw, and the
parsed-mode fields) older than `retention_days` are erased in place: rows, directions,
kinds and timestamps stay, so counts and admin statistics do not change.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from service.database import utcnow
from service.extensions import db
from service.inbound.models import InboundMessage, InboundState, ThreadMessage
from service.rounds.tips import erase_tips_consented_before
from service.settings import get_setting


def erase_expired() -> dict:
    """Scheduled daily job. Idempotent (set-based updates of not-yet-erased rows)."""
    now = utcnow()
    cutoff = now - timedelta(days=get_setting("retention_days"))
    bodies = db.session.execute(
        update(ThreadMessage)
        .where(ThreadMessage.created_at < cutoff, ThreadMessage.erased_at.is_(None))
        .values(body=None, erased_at=now)
    ).rowcount
    originals = db.session.execute(
        update(InboundMessage)
        .where(
            InboundMessage.received_at < cutoff,
            InboundMessage.raw.is_not(None),
            # A message nobody has processed yet is not erased under its job.
            InboundMessage.state != InboundState.STORED,
        )
        .values(raw=None, fields={"erased": True})
    ).rowcount
    tips = erase_tips_consented_before(cutoff, now)
    db.session.commit()
    return {"thread_messages": bodies, "inbound_messages": originals, "shared_tips": tips}
