"""Subscribers, their themes, and the suppression list every send consults."""

from __future__ import annotations

import hashlib
import hmac
from datetime import date, datetime

from flask import current_app
from sqlalchemy import Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.database import Model, utcnow


class Role:
    GIVER = "giver"  # the junior who shares a tip
    LEARNER = "learner"  # the senior who tries it
    ALL = (GIVER, LEARNER)


class Status:
    PENDING = "pending"  # signed up, not yet confirmed (double opt-in)
    ACTIVE = "active"
    UNSUBSCRIBED = "unsubscribed"
    DELETED = "deleted"  # personal data erased; the row keeps aggregate history


subscriber_themes = Table(
    "subscriber_themes",
    Model.metadata,
    Column("subscriber_id", ForeignKey("subscribers.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", ForeignKey("themes.id", ondelete="CASCADE"), primary_key=True),
)


class Subscriber(Model):
    __tablename__ = "subscribers"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str | None] = mapped_column(
        String(320), unique=True
    )  # normalised; None once deleted
    name: Mapped[str] = mapped_column(String(60), default="")
    role: Mapped[str | None] = mapped_column(
        String(10), index=True
    )  # None until chosen (join by email)
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    # Every page and email to this person is in this language (service/i18n).
    language: Mapped[str] = mapped_column(String(8), default="en", server_default="en")
    team: Mapped[str | None] = mapped_column(String(80))
    about: Mapped[str | None] = mapped_column(String(160))
    status: Mapped[str] = mapped_column(String(16), default=Status.PENDING, index=True)
    source: Mapped[str] = mapped_column(String(16), default="web")  # web | email | import
    paused_until: Mapped[date | None]
    away_until: Mapped[date | None]  # set by an out-of-office reply
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[datetime | None]
    unsubscribed_at: Mapped[datetime | None]
    # How they left: one_click | page | preferences | mailto | reply | bounce | complaint | admin
    unsubscribe_source: Mapped[str | None] = mapped_column(String(20))
    deleted_at: Mapped[datetime | None]

    themes: Mapped[list[Theme]] = relationship(  # noqa: F821 - defined in service.rounds
        secondary=subscriber_themes, lazy="selectin", order_by="Theme.position"
    )

    def is_paused(self, on: date) -> bool:
        return self.paused_until is not None and on < self.paused_until

    @property
    def first_name(self) -> str:
        return (self.name or "").split(" ")[0] or "there"


def address_hash(email: str) -> str:
    """Suppression entries, soft bounces and delivery events keep only this hash, so a
    deleted person's address is not stored. It is an HMAC-SHA256 with a secret key
    (ADDRESS_HASH_KEYS): without the key, hashing likely addresses finds nothing."""
    return address_hashes(email)[0]


def address_hashes(email: str) -> list[str]:
    """Every hash an address may be stored under, for look-ups: the current key's first,
    then rotated-out keys', then the plain SHA-256 written before keys were used."""
    normalised = email.strip().lower().encode()
    keys = current_app.config["ADDRESS_HASH_KEYS"]
    keyed = [hmac.new(key.encode(), normalised, hashlib.sha256).hexdigest() for key in keys]
    return [*keyed, hashlib.sha256(normalised).hexdigest()]


class SuppressionReason:
    UNSUBSCRIBED = "unsubscribed"
    BOUNCED = "bounced"
    COMPLAINED = "complained"
    DROPPED = "dropped"
    ADMIN = "admin"


class Suppression(Model):
    __tablename__ = "suppressions"

    id: Mapped[int] = mapped_column(primary_key=True)
    address_hash: Mapped[str] = mapped_column(String(64), unique=True)
    reason: Mapped[str] = mapped_column(String(20))
    detail: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SoftBounce(Model):
    """Counts temporary delivery failures; repeated ones become a suppression."""

    __tablename__ = "soft_bounces"

    id: Mapped[int] = mapped_column(primary_key=True)
    address_hash: Mapped[str] = mapped_column(String(64), unique=True)
    count: Mapped[int] = mapped_column(default=0)
    last_at: Mapped[datetime] = mapped_column(default=utcnow)
