"""Inbound mail (stored before it is processed) and provider events. The relayed
conversation (ThreadMessage) is the pair's: it lives in service.rounds.models."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from service.database import Model, utcnow


class InboundState:
    STORED = "stored"
    PROCESSED = "processed"
    IGNORED = "ignored"  # duplicate, auto-reply, unknown thread, ... (`outcome` says which)
    FAILED = "failed"


# In the outcome of every message not acted on because the receiving server did not
# authenticate its From domain; the admin's delivery page counts them.
UNAUTHENTICATED = "unauthenticated sender"


class InboundMessage(Model):
    __tablename__ = "inbound_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    message_id: Mapped[str | None] = mapped_column(String(250), unique=True)
    mode: Mapped[str] = mapped_column(String(10))  # raw | parsed
    raw: Mapped[bytes | None] = mapped_column(LargeBinary)  # erased after retention
    fields: Mapped[dict] = mapped_column(default=dict)  # envelope, SPF, dkim, spam_score, ...
    size: Mapped[int] = mapped_column(default=0)
    state: Mapped[str] = mapped_column(String(12), default=InboundState.STORED, index=True)
    outcome: Mapped[str | None] = mapped_column(String(200))
    pairing_id: Mapped[int | None] = mapped_column(ForeignKey("pairings.id", ondelete="SET NULL"))
    sender_id: Mapped[int | None] = mapped_column(ForeignKey("subscribers.id", ondelete="SET NULL"))
    processed_at: Mapped[datetime | None]


class DeliveryEvent(Model):
    """A SendGrid event, stored once per sg_event_id."""

    __tablename__ = "delivery_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_event_id: Mapped[str] = mapped_column(String(100), unique=True)
    event: Mapped[str] = mapped_column(String(20), index=True)
    outgoing_email_id: Mapped[int | None] = mapped_column(
        ForeignKey("outgoing_emails.id", ondelete="SET NULL"), index=True
    )
    address_hash: Mapped[str | None] = mapped_column(String(64))
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
    detail: Mapped[str | None] = mapped_column(Text)
    # The event as SendGrid sent it, until a job has acted on it; then erased (it holds
    # the recipient's address) and processed_at set.
    payload: Mapped[dict | None] = mapped_column()
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    processed_at: Mapped[datetime | None] = mapped_column(index=True)
