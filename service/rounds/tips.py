"""Tips shared with future learners, and only with their author's consent.

A tip-giver's reply is written to one learner. It reaches anyone else (a learner without
a partner, a learner whose partner dropped out) only once its author pressed "share my
tip" (the one-click answer `share` in their recap): that press copies each of their
replies in the pairing into a SharedTip row. Until a challenge has such a tip, learners
get the challenge's curated starter tip.

Everything that erases a tip goes through here: withdrawal (`private`), deletion of the
author's data, and the retention period counted from the consent.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from sqlalchemy import exists, select, update

from service.admin.models import AuditEntry
from service.database import utcnow
from service.extensions import db
from service.json_rows import JSONRows
from service.mail.models import OutgoingEmail
from service.rounds.content import tip_html
from service.rounds.models import Challenge, Pairing, SharedTip, ThreadMessage, TipDelivery
from service.rounds.translations import challenge_text
from service.subscriptions.models import Subscriber

MAX_SHARED_TIPS = 3
# A reply shorter than this is a greeting or a thank-you, longer is a letter, not a tip.
TIP_LENGTH = range(20, 2001)
SHARE, PRIVATE = "share", "private"
TIP_KINDS = ("challenge_unmatched", "partner_unavailable")  # emails that carry shared tips


def tip_messages(pairing: Pairing, giver_id: int) -> list[ThreadMessage]:
    """The tip-giver's replies in this pairing that could be shared, oldest first."""
    messages = db.session.scalars(
        select(ThreadMessage)
        .where(
            ThreadMessage.pairing_id == pairing.id,
            ThreadMessage.author_id == giver_id,
            ThreadMessage.direction == "giver_to_learner",
            ThreadMessage.kind == "reply",
            ThreadMessage.body.is_not(None),
        )
        .order_by(ThreadMessage.id)
    )
    return [m for m in messages if len(m.body.strip()) in TIP_LENGTH]


def record_choice(pairing: Pairing, giver_id: int, choice: str) -> None:
    """The tip-giver's one-click answer: SHARE copies their tips (again: a reply sent
    after an earlier press is included), PRIVATE withdraws and erases them. The caller
    commits."""
    if choice == SHARE:
        _consent(pairing, giver_id)
    else:
        _erase(
            (SharedTip.pairing_id == pairing.id) & (SharedTip.author_id == giver_id),
            withdrawn=True,
        )


def _consent(pairing: Pairing, giver_id: int) -> None:
    now = utcnow()
    challenge = pairing.round.challenge
    for message in tip_messages(pairing, giver_id):
        tip = db.session.scalar(select(SharedTip).where(SharedTip.source_message_id == message.id))
        if tip is None:
            tip = SharedTip(
                source_message_id=message.id,
                pairing_id=pairing.id,
                author_id=giver_id,
                challenge_id=challenge.id,
                theme_id=challenge.theme_id,
            )
            db.session.add(tip)
        elif tip.text is not None:
            continue  # already shared: the consent stands from its first day
        tip.text, tip.consented_at = message.body.strip(), now
        tip.withdrawn_at = tip.erased_at = None


def _erase(condition, *, withdrawn: bool = False, now: datetime | None = None) -> int:
    """Erase the text of the matching tips and of their copies in emails not yet done
    with (an email sent keeps no copy: service.mail.words)."""
    now = now or utcnow()
    ids = set(
        db.session.scalars(select(SharedTip.id).where(condition, SharedTip.erased_at.is_(None)))
    )
    if not ids:
        return 0
    values = {"text": None, "erased_at": now}
    if withdrawn:
        values["withdrawn_at"] = now
    db.session.execute(update(SharedTip).where(SharedTip.id.in_(ids)).values(**values))
    _erase_audited_texts(ids)
    for row in db.session.scalars(
        select(OutgoingEmail).where(
            OutgoingEmail.holds_words.is_(True), OutgoingEmail.kind.in_(TIP_KINDS)
        )
    ):
        tips = row.context.get("tips", [])
        kept = [tip for tip in tips if tip.get("tip_id") not in ids]
        if len(kept) != len(tips):
            row.context = {**row.context, "tips": kept}
    return len(ids)


def _erase_audited_texts(ids: set[int]) -> None:
    """An editor's edit keeps the tip's earlier and later text in the audit log; those
    are copies of the author's words too, so they go with the tip (the entry stays, to
    show who edited it when)."""
    entries = db.session.scalars(
        select(AuditEntry).where(
            AuditEntry.object_type == "tip", AuditEntry.object_id.in_([str(i) for i in ids])
        )
    )
    for entry in entries:
        for side in ("before", "after"):
            value = getattr(entry, side)
            if value and "text" in value:
                setattr(entry, side, {**value, "text": None})


def erase_tips_of(author_id: int) -> int:
    """Deletion of the author's data. The caller commits."""
    return _erase(SharedTip.author_id == author_id)


def erase_tips_consented_before(cutoff: datetime, now: datetime) -> int:
    """The retention period, counted from the consent. The caller commits."""
    return _erase(SharedTip.consented_at < cutoff, now=now)


def shared_tips(
    challenge: Challenge,
    learner_id: int | None = None,
    language: str | None = None,
    default_language: str | None = None,
) -> list[dict]:
    """What a learner without a partner reads: the library's tips for this challenge
    (shared with consent and approved by an editor, most recently approved first; none
    `learner_id` already received), else the curated starter tip in the learner's
    `language` (falling back as rounds/translations.py says). Each carries its
    `tip_id` (None for the starter tip), so a copy can be traced to its source, and
    `credit`: the author's first name if they allowed it, else "".

    Only tips written in the learner's `language` (their author's language) are offered:
    a tip is a person's own words and is never translated, and one the learner may not
    read would be worse than the curated starter tip, which every offered language has
    (a translation, or the default language's text)."""
    query = (
        select(SharedTip.id, SharedTip.text, SharedTip.credit_allowed_at, Subscriber.name)
        .outerjoin(Subscriber, Subscriber.id == SharedTip.author_id)
        .where(SharedTip.challenge_id == challenge.id, SharedTip.curated())
        .order_by(SharedTip.approved_at.desc(), SharedTip.id.desc())
        .limit(MAX_SHARED_TIPS)
    )
    if language is not None:
        query = query.where(Subscriber.language == language)
    if learner_id is not None:
        query = query.where(
            ~exists().where(
                TipDelivery.tip_id == SharedTip.id, TipDelivery.subscriber_id == learner_id
            )
        )
    tips = [
        (tip_id, text, (name or "").split(" ")[0] if allowed else "")
        for tip_id, text, allowed, name in db.session.execute(query)
    ]
    if not tips:
        starter = challenge_text(challenge, language, default_language).starter_tip
        tips = [(None, starter, "")] if starter else []
    return [{**tip_html(text), "tip_id": tip_id, "credit": credit} for tip_id, text, credit in tips]


def note_delivered(learner_id: int, tips: list[dict]) -> None:
    """Remember which library tips a learner got, so none comes twice. The caller commits
    (with the email it queues)."""
    for tip in tips:
        if (
            tip["tip_id"] is not None
            and db.session.get(TipDelivery, (tip["tip_id"], learner_id)) is None
        ):
            db.session.add(TipDelivery(tip_id=tip["tip_id"], subscriber_id=learner_id))


def received_tips(learner_id: int) -> list[dict]:
    """Which library tips a learner was sent, and when (for their data export)."""
    return [
        {"tip_id": tip_id, "received_at": at.isoformat()}
        for tip_id, at in db.session.execute(
            select(TipDelivery.tip_id, TipDelivery.created_at)
            .where(TipDelivery.subscriber_id == learner_id)
            .order_by(TipDelivery.created_at)
        )
    ]


def withdraw_tip(tip_id: int, author_id: int) -> bool:
    """The author withdraws one tip from the preference centre: erased at once, so it
    leaves the library and every future email. The caller commits."""
    return bool(
        _erase((SharedTip.id == tip_id) & (SharedTip.author_id == author_id), withdrawn=True)
    )


def set_credit(tip_id: int, author_id: int, allow: bool) -> bool:
    """The author allows (or stops) a credit by first name on one live tip. The caller
    commits. False if it is not theirs or no longer shared."""
    tip = db.session.get(SharedTip, tip_id)
    if tip is None or tip.author_id != author_id or tip.text is None or tip.withdrawn_at:
        return False
    tip.credit_allowed_at = utcnow() if allow else None
    return True


class ShownTip(NamedTuple):
    """A tip as its author's preference centre shows it."""

    id: int
    text: str
    approved: bool
    hidden: bool
    credited: bool


def live_tip_rows() -> JSONRows:
    """A column for a query that reads a subscriber (correlated to Subscriber): the tips
    they still share, newest consent first, as JSON rows (service.json_rows: read with
    the subscriber in one statement); shown_tips makes them ShownTips."""
    return JSONRows(
        select(
            SharedTip.id,
            SharedTip.text,
            SharedTip.approved_at.is_not(None),
            SharedTip.hidden_at.is_not(None),
            SharedTip.credit_allowed_at.is_not(None),
        )
        .where(SharedTip.author_id == Subscriber.id, SharedTip.live())
        .order_by(SharedTip.consented_at.desc())
        .correlate(Subscriber)
    )


def shown_tips(rows: list) -> list[ShownTip]:
    """live_tip_rows' JSON (SQLite writes a condition as 1 or 0)."""
    return [
        ShownTip(tip_id, text, bool(approved), bool(hidden), bool(credited))
        for tip_id, text, approved, hidden, credited in rows
    ]
