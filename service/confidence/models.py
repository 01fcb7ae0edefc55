"""A learner's confidence ratings (a history) and a tip-giver's at-home themes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column

from service.database import Model, utcnow
from service.i18n.marker import N_

# The words of each step, shown wherever someone rates (forms, emails, the answer page).
# English, as stored in email contexts; pages and emails show them through the catalogue
# (`_(words)`), so N_ only marks them for extraction.
STEPS = {
    1: N_("I avoid it"),
    2: N_("I get by with help"),
    3: N_("I manage on my own"),
    4: N_("I am at ease with it"),
    5: N_("I could show someone"),
}


class Source:
    SIGNUP = "signup"
    PREFERENCES = "preferences"
    CHECKIN = "checkin"  # the recap's "How confident are you with this now?"


class ConfidenceRating(Model):
    """One dated answer; a change adds a row, so first and latest can be compared."""

    __tablename__ = "confidence_ratings"

    id: Mapped[int] = mapped_column(primary_key=True)
    subscriber_id: Mapped[int] = mapped_column(
        ForeignKey("subscribers.id", ondelete="CASCADE"), index=True
    )
    theme_id: Mapped[int] = mapped_column(ForeignKey("themes.id", ondelete="CASCADE"), index=True)
    value: Mapped[int]
    source: Mapped[str] = mapped_column(String(12))
    # A check-in belongs to the week's pairing: changing the answer changes this row.
    pairing_id: Mapped[int | None] = mapped_column(
        ForeignKey("pairings.id", ondelete="SET NULL"), unique=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


home_themes = Table(
    "home_themes",
    Model.metadata,
    Column("subscriber_id", ForeignKey("subscribers.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", ForeignKey("themes.id", ondelete="CASCADE"), primary_key=True),
)
