"""What editors do with a shared tip. Each function changes one tip and records it in the
audit log (an edit keeps the original text there); the caller commits."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext
from sqlalchemy import select

from service.admin.audit import record
from service.database import utcnow
from service.extensions import db
from service.rounds.models import Challenge, SharedTip

MAX_TIP = 2000
STATES = ("waiting", "approved", "hidden", "withdrawn")


class TipRefused(ValueError):
    """The tip cannot be changed this way (withdrawn, erased, or a bad value)."""


@dataclass(frozen=True)
class LibraryRow:
    tip: SharedTip
    state: str
    challenge_title: str
    theme_name: str


def state_of(tip: SharedTip) -> str:
    if tip.text is None or tip.withdrawn_at or tip.erased_at:
        return "withdrawn"
    if tip.hidden_at:
        return "hidden"
    return "approved" if tip.approved_at else "waiting"


def library(show: str) -> list[LibraryRow]:
    rows = db.session.execute(
        select(SharedTip, Challenge)
        .join(Challenge, Challenge.id == SharedTip.challenge_id)
        .order_by(SharedTip.consented_at.desc(), SharedTip.id.desc())
    ).all()
    out = [LibraryRow(t, state_of(t), c.title, c.theme.name) for t, c in rows]
    return out if show == "all" else [r for r in out if r.state == show]


def _live(tip_id: int) -> SharedTip:
    tip = db.session.get(SharedTip, tip_id)
    if tip is None:
        raise LookupError(f"no tip {tip_id}")
    if state_of(tip) == "withdrawn":
        raise TipRefused(gettext("Its author withdrew this tip, so it cannot be used any more."))
    return tip


def approve(tip_id: int) -> None:
    tip = _live(tip_id)
    tip.approved_at, tip.hidden_at = utcnow(), None
    record("tip.approve", "tip", tip_id)


def hide(tip_id: int) -> None:
    tip = _live(tip_id)
    tip.hidden_at = utcnow()
    record("tip.hide", "tip", tip_id)


def edit(tip_id: int, text: str) -> None:
    """Edit for clarity; the original stays in the audit log (before/after)."""
    tip = _live(tip_id)
    text = (text or "").strip().replace("\r\n", "\n")
    if not text:
        raise TipRefused(gettext("The tip cannot be empty. To stop using it, hide it instead."))
    if len(text) > MAX_TIP:
        raise TipRefused(
            gettext(
                "Keep the tip to %(limit)s characters (this is %(length)s).",
                limit=MAX_TIP,
                length=len(text),
            )
        )
    if text == tip.text:
        return
    record("tip.edit", "tip", tip_id, before={"text": tip.text}, after={"text": text})
    tip.text = text


def attach(tip_id: int, challenge_id: int) -> None:
    tip = _live(tip_id)
    challenge = db.session.get(Challenge, challenge_id)
    if challenge is None or challenge.retired:
        raise TipRefused(gettext("Choose a challenge that is in use."))
    record(
        "tip.attach",
        "tip",
        tip_id,
        before={"challenge_id": tip.challenge_id},
        after={"challenge_id": challenge.id},
    )
    tip.challenge_id, tip.theme_id = challenge.id, challenge.theme_id
