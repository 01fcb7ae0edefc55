"""Erase what people wrote once the retention period is over; keep that it happened.

Every copy older than `retention_days` is erased in place: relayed bodies
(ThreadMessage.body), stored originals (InboundMessage.raw, and the parsed-mode fields),
answer comments (Answer.comment: a help request's words), shared tips (counted from the
consent), and the words in the context of any email still holding them (normally blanked
minutes after sending: service.mail.words). Rows, directions, kinds and timestamps stay,
so counts and admin statistics do not change.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from service.database import utcnow
from service.extensions import db
from service.inbound.models import InboundMessage, InboundState
from service.mail.models import OutgoingEmail
from service.mail.words import erase_words
from service.rounds.models import Answer, ThreadMessage
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
    comments = db.session.execute(
        update(Answer)
        .where(Answer.updated_at < cutoff, Answer.comment.is_not(None))
        .values(comment=None)
    ).rowcount
    tips = erase_tips_consented_before(cutoff, now)
    emails = erase_words(OutgoingEmail.created_at < cutoff, done_only=False)
    db.session.commit()
    return {
        "thread_messages": bodies,
        "inbound_messages": originals,
        "answer_comments": comments,
        "shared_tips": tips,
        "outgoing_emails": emails,
    }
