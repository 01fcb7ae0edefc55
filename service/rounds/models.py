"""Content (themes, challenges), rounds, pairings, the pair's conversation (thread messages),
one-click answers and programme settings."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, and_, select, union
from sqlalchemy.orm import Mapped, attribute_keyed_dict, mapped_column, relationship

from service.database import Model, utcnow

if TYPE_CHECKING:
    from service.mail.models import OutgoingEmail


class Theme(Model):
    __tablename__ = "themes"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    tagline: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    retired: Mapped[bool] = mapped_column(default=False)
    # The language name/tagline/description are written in; other languages are in
    # `translations` (service/rounds/translations.py picks one for a reader).
    language: Mapped[str] = mapped_column(String(8), default="en", server_default="en")

    translations: Mapped[dict[str, ThemeTranslation]] = relationship(
        collection_class=attribute_keyed_dict("language"),
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class ThemeTranslation(Model):
    """A theme's name, tagline and description in one more language."""

    __tablename__ = "theme_translations"

    theme_id: Mapped[int] = mapped_column(
        ForeignKey("themes.id", ondelete="CASCADE"), primary_key=True
    )
    language: Mapped[str] = mapped_column(String(8), primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    tagline: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")


class Challenge(Model):
    __tablename__ = "challenges"

    id: Mapped[int] = mapped_column(primary_key=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("themes.id"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    learner_task: Mapped[str] = mapped_column(Text)  # Markdown
    giver_prompt: Mapped[str] = mapped_column(Text)  # Markdown
    starter_tip: Mapped[str] = mapped_column(Text, default="")  # Markdown, for unmatched learners
    links: Mapped[list] = mapped_column(default=list)  # [{"title": ..., "url": ...}]
    retired: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # The language the fields above are written in; other languages are in `translations`.
    language: Mapped[str] = mapped_column(String(8), default="en", server_default="en")

    theme: Mapped[Theme] = relationship(lazy="joined")
    translations: Mapped[dict[str, ChallengeTranslation]] = relationship(
        collection_class=attribute_keyed_dict("language"),
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class ChallengeTranslation(Model):
    """A challenge's texts and links in one more language (links may differ: a page in
    the reader's language where one exists)."""

    __tablename__ = "challenge_translations"

    challenge_id: Mapped[int] = mapped_column(
        ForeignKey("challenges.id", ondelete="CASCADE"), primary_key=True
    )
    language: Mapped[str] = mapped_column(String(8), primary_key=True)
    title: Mapped[str] = mapped_column(String(120))
    learner_task: Mapped[str] = mapped_column(Text)  # Markdown
    giver_prompt: Mapped[str] = mapped_column(Text)  # Markdown
    starter_tip: Mapped[str] = mapped_column(Text, default="")  # Markdown
    links: Mapped[list] = mapped_column(default=list)  # [{"title": ..., "url": ...}]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class RoundStatus:
    PLANNED = "planned"  # a challenge is scheduled, nobody paired yet
    PAIRED = "paired"  # pairs stored; sends go out at each person's local hour
    CLOSED = "closed"  # answers can no longer change


class Round(Model):
    """One ISO week ("2026-W49") with one challenge. An admin's schedule is a planned round."""

    __tablename__ = "rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    week: Mapped[str] = mapped_column(String(8), unique=True)
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenges.id"))
    status: Mapped[str] = mapped_column(String(10), default=RoundStatus.PLANNED)
    scheduled_by_admin: Mapped[bool] = mapped_column(default=False)
    seed: Mapped[int] = mapped_column(default=0)
    paired_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    challenge: Mapped[Challenge] = relationship(lazy="joined")


class PairingStatus:
    ACTIVE = "active"
    SKIPPED = "skipped"  # the learner skipped this week
    CANCELLED = "cancelled"  # the tip-giver can't this week (learner may be moved)
    UNMATCHED = "unmatched"  # a learner without a tip-giver: gets shared tips instead


class Pairing(Model):
    """A learner's place in a round: with a tip-giver, or unmatched with a reason."""

    __tablename__ = "pairings"
    __table_args__ = (UniqueConstraint("round_id", "learner_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"), index=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("subscribers.id"), index=True)
    giver_id: Mapped[int | None] = mapped_column(ForeignKey("subscribers.id"), index=True)
    status: Mapped[str] = mapped_column(String(10), default=PairingStatus.ACTIVE)
    score: Mapped[float] = mapped_column(default=0.0)
    explanation: Mapped[str] = mapped_column(String(300), default="")
    # Unguessable keys in each side's Reply-To address: reply+<key>@INBOUND_DOMAIN.
    learner_key: Mapped[str] = mapped_column(String(40), unique=True)
    giver_key: Mapped[str | None] = mapped_column(String(40), unique=True)
    # The first message of each side's thread; every later message refers to it.
    learner_thread_id: Mapped[str | None] = mapped_column(String(250))
    giver_thread_id: Mapped[str | None] = mapped_column(String(250))
    tip_received_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    round: Mapped[Round] = relationship(lazy="joined")


class Standby(Model):
    """A tip-giver left without a learner this round: first in line when a partner drops out."""

    __tablename__ = "standbys"
    __table_args__ = (UniqueConstraint("round_id", "subscriber_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"), index=True)
    subscriber_id: Mapped[int] = mapped_column(ForeignKey("subscribers.id"), index=True)
    reason: Mapped[str] = mapped_column(String(200), default="")
    used: Mapped[bool] = mapped_column(default=False)


class AnswerKind:
    TRIED = "tried"
    HELP = "help"
    SKIP = "skip"
    CANT = "cant"  # tip-giver can't this week
    OUTCOMES = (TRIED, HELP, SKIP, CANT)


class Answer(Model):
    """A one-click answer; one row per (pairing, person, question), changeable until close."""

    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("pairing_id", "subscriber_id", "question"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pairing_id: Mapped[int] = mapped_column(ForeignKey("pairings.id"), index=True)
    subscriber_id: Mapped[int | None] = mapped_column(
        ForeignKey("subscribers.id", ondelete="SET NULL"), index=True
    )
    question: Mapped[str] = mapped_column(String(16))  # outcome | rating | tried
    value: Mapped[str] = mapped_column(String(16))
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


def people_of_round(round_id: int, *, standby: bool = False):
    """A sub-select of the subscriber ids a round pairs (learners and tip-givers), and with
    `standby` also those it keeps on standby."""
    selects = [
        select(Pairing.learner_id).where(Pairing.round_id == round_id),
        select(Pairing.giver_id).where(Pairing.round_id == round_id),
    ]
    if standby:
        selects.append(select(Standby.subscriber_id).where(Standby.round_id == round_id))
    return union(*selects)


class ContinuationBreak(Model):
    """An admin ended a pair's "keep this partner": the next round pairs them as usual."""

    __tablename__ = "continuation_breaks"

    pairing_id: Mapped[int] = mapped_column(
        ForeignKey("pairings.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SharedTip(Model):
    """A tip its author agreed to share with future learners of the same challenge.

    Words written to one partner reach a third person only through a row here with
    `consented_at` set (one-click "share this tip", off by default). The row records the
    tip's source (the relayed message, the pairing, the author) and a copy of its text;
    the copy is what other learners get, so editing it never touches the conversation.

    A tip is offered to learners while it is `live()`: consented, not withdrawn, not
    erased. Withdrawal, deletion of the author's data and the retention period (counted
    from the consent) set `text` to None and `erased_at`; the row stays, so counts do.
    A curated library can add its own states (approved, hidden, edited) as columns and
    narrow `live()`; the consent rules here stay the floor."""

    __tablename__ = "shared_tips"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_message_id: Mapped[int | None] = mapped_column(
        ForeignKey("thread_messages.id", ondelete="SET NULL"), unique=True
    )
    pairing_id: Mapped[int | None] = mapped_column(
        ForeignKey("pairings.id", ondelete="SET NULL"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("subscribers.id", ondelete="SET NULL"), index=True
    )
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenges.id"), index=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("themes.id"), index=True)
    text: Mapped[str | None] = mapped_column(Text)  # None once erased
    consented_at: Mapped[datetime] = mapped_column(default=utcnow)
    withdrawn_at: Mapped[datetime | None]
    erased_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The curated library (service.admin.library): an editor approves or hides a tip; its
    # author may allow a credit by first name (off by default).
    approved_at: Mapped[datetime | None]
    hidden_at: Mapped[datetime | None]
    credit_allowed_at: Mapped[datetime | None]

    @classmethod
    def curated(cls):
        """A live tip an editor approved and did not hide: what unmatched learners get."""
        return and_(cls.live(), cls.approved_at.is_not(None), cls.hidden_at.is_(None))

    @classmethod
    def live(cls):
        """The SQL condition of a tip that may be offered to other learners."""
        return and_(cls.text.is_not(None), cls.withdrawn_at.is_(None), cls.erased_at.is_(None))


class TipDelivery(Model):
    """A library tip sent to one learner: nobody gets the same tip twice."""

    __tablename__ = "tip_deliveries"

    tip_id: Mapped[int] = mapped_column(
        ForeignKey("shared_tips.id", ondelete="CASCADE"), primary_key=True
    )
    subscriber_id: Mapped[int] = mapped_column(
        ForeignKey("subscribers.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ThreadMessage(Model):
    """A message one person of a pair wrote, as relayed to the other."""

    __tablename__ = "thread_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    pairing_id: Mapped[int] = mapped_column(ForeignKey("pairings.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("subscribers.id", ondelete="SET NULL"))
    direction: Mapped[str] = mapped_column(String(20))  # giver_to_learner | learner_to_giver
    kind: Mapped[str] = mapped_column(String(12), default="reply")  # reply | thanks | help
    body: Mapped[str | None] = mapped_column(Text)  # erased after the retention period
    had_attachments: Mapped[bool] = mapped_column(default=False)
    inbound_id: Mapped[int | None] = mapped_column(  # indexed: migration 1795800000 says why
        ForeignKey("inbound_messages.id", ondelete="SET NULL"), index=True
    )
    outgoing_email_id: Mapped[int | None] = mapped_column(
        ForeignKey("outgoing_emails.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    erased_at: Mapped[datetime | None]

    # Set before either row is written, the flush fills in outgoing_email_id (so the
    # inbound job writes a group's relays and their emails in two statements).
    outgoing_email: Mapped[OutgoingEmail | None] = relationship(lazy="raise")
