"""One row per email the service means to send: the unit of exactly-once delivery."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DDL, ForeignKey, Index, String, Text, event, false, text
from sqlalchemy.orm import Mapped, mapped_column

from service.database import Model, utcnow


class EmailState:
    QUEUED = "queued"  # row written, a delivery job will pick it up
    SENDING = "sending"  # claimed by a worker (claimed_at says when)
    SENT = "sent"  # handed to the provider
    FAILED = "failed"  # permanent error; `error` holds the provider's reason
    SKIPPED = "skipped"  # not sent on purpose; `error` holds why (suppressed, ...)


class EmailEvent:
    """Delivery and reply events, one small vocabulary for every provider."""

    QUEUED = "queued"
    SENT = "sent"
    DELIVERED = "delivered"
    OPENED = "opened"
    CLICKED = "clicked"
    DEFERRED = "deferred"
    BOUNCED = "bounced"
    DROPPED = "dropped"
    COMPLAINED = "complained"
    UNSUBSCRIBED = "unsubscribed"
    REPLIED = "replied"


class OutgoingEmail(Model):
    __tablename__ = "outgoing_emails"
    __table_args__ = (
        Index("ix_outgoing_emails_state_claimed", "state", "claimed_at"),
        # Only the few rows still holding words: what the erasing sweep looks at.
        Index(
            "ix_outgoing_emails_holding_words",
            "id",
            postgresql_where=text("holds_words"),
            sqlite_where=text("holds_words"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Unique idempotency key, e.g. "round:12:subscriber:5:challenge". A second attempt
    # to queue the same email finds this row instead of creating another.
    key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)  # template folder name
    subscriber_id: Mapped[int | None] = mapped_column(
        ForeignKey("subscribers.id", ondelete="SET NULL"), index=True
    )
    to_address: Mapped[str | None] = mapped_column(String(320))  # erased on data deletion
    to_name: Mapped[str | None] = mapped_column(String(100))
    from_name: Mapped[str | None] = mapped_column(String(100))
    reply_to: Mapped[str | None] = mapped_column(String(320))
    message_id: Mapped[str] = mapped_column(String(250), unique=True)
    in_reply_to: Mapped[str | None] = mapped_column(String(250))
    references: Mapped[str | None] = mapped_column(Text)  # space-separated message ids
    category: Mapped[str] = mapped_column(String(40), default="transactional")
    list_mail: Mapped[bool] = mapped_column(default=True)  # carries List-Unsubscribe
    context: Mapped[dict] = mapped_column(default=dict)
    # The subject as rendered for the recipient, in their language, stored the first time
    # the email is rendered; a thread's later emails quote it (service.mail.subjects).
    subject: Mapped[str | None] = mapped_column(Text)
    # True while the context still holds what a person wrote (EmailKind.words); the
    # words are blanked once the email is done with (service.mail.words).
    holds_words: Mapped[bool] = mapped_column(default=False, server_default=false())
    state: Mapped[str] = mapped_column(String(16), default=EmailState.QUEUED)
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(default=0)
    claim: Mapped[str | None] = mapped_column(String(32))  # which delivery run holds the row
    provider_id: Mapped[str | None] = mapped_column(String(200))
    last_event: Mapped[str | None] = mapped_column(String(20))
    pairing_id: Mapped[int | None] = mapped_column(
        ForeignKey("pairings.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]
    opened_at: Mapped[datetime | None]
    clicked_at: Mapped[datetime | None]

    @property
    def reference_list(self) -> tuple[str, ...]:
        return tuple((self.references or "").split())


# On PostgreSQL each row's context (a couple of KB: the week's challenge, names, links) is
# kept out of line, uncompressed (TOAST, storage EXTERNAL, rows over 128 bytes). A row is
# updated twice while it is sent (claimed, then sent); those updates then rewrite a small
# row and a pointer, not the context: a round of 100k emails wrote 30% faster this way.
# Migration 1795700000 does the same to an existing database.
CONTEXT_OUT_OF_LINE = (
    "ALTER TABLE outgoing_emails ALTER COLUMN context SET STORAGE EXTERNAL",
    "ALTER TABLE outgoing_emails SET (toast_tuple_target = 128)",
)
for _statement in CONTEXT_OUT_OF_LINE:
    event.listen(
        OutgoingEmail.__table__, "after_create", DDL(_statement).execute_if(dialect="postgresql")
    )
