"""Delete my data (the export is in export.py).

Deletion erases a person everywhere they appear (profile, the emails we sent them, the
messages they wrote and received, what they sent us, their answer comments) but keeps
the rows themselves, so programme counts stay right. If they also unsubscribed, the
suppression list keeps only the hash of their address, so we never write to it again.
"""

from __future__ import annotations

import re

from sqlalchemy import Text, cast, func, or_, select, update

from service.admin.models import AuditEntry
from service.confidence.ratings import erase_self_ratings
from service.database import utcnow
from service.extensions import db
from service.inbound.models import DeliveryEvent, InboundMessage
from service.mail.models import EmailState, OutgoingEmail
from service.rounds.models import Answer, Pairing, Standby, ThreadMessage
from service.rounds.tips import erase_tips_of
from service.subscriptions.models import Status, Subscriber, Suppression, subscriber_themes

ERASED = "[deleted]"


# ------------------------------------------------------------------ deletion


def _needles(s: Subscriber) -> list[str]:
    """Strings that identify the person; the name only as a whole word (see _redact)."""
    return [v for v in (s.email, s.team, s.about) if v and len(v) >= 3]


def _redact(value, needles: list[str], name_pattern: re.Pattern | None):
    if isinstance(value, str):
        for needle in needles:
            value = re.sub(re.escape(needle), ERASED, value, flags=re.IGNORECASE)
        if name_pattern is not None:
            value = name_pattern.sub(ERASED, value)
        return value
    if isinstance(value, dict):
        return {k: _redact(v, needles, name_pattern) for k, v in value.items()}
    if isinstance(value, list):
        return [_redact(v, needles, name_pattern) for v in value]
    return value


def _name_pattern(name: str) -> re.Pattern | None:
    words = [w for w in (name or "").split() if len(w) >= 2]
    if not words:
        return None
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def delete_personal_data(subscriber_id: int) -> None:
    """Erase one person's personal data everywhere, keep the counts. Commits."""
    s = db.session.get(Subscriber, subscriber_id)
    if s is None:
        raise LookupError(f"no subscriber {subscriber_id}")
    if s.status == Status.DELETED and s.email is None:
        return
    needles, name_pattern = _needles(s), _name_pattern(s.name)
    address = s.email
    now = utcnow()
    pairing_ids = list(
        db.session.scalars(
            select(Pairing.id).where(or_(Pairing.learner_id == s.id, Pairing.giver_id == s.id))
        )
    )
    relayed_email_ids = _erase_conversations(s.id, pairing_ids, now)
    db.session.execute(update(Answer).where(Answer.subscriber_id == s.id).values(comment=None))
    erase_tips_of(s.id)
    _erase_emails(s.id, relayed_email_ids)
    _redact_mentions(s.id, pairing_ids, needles, name_pattern)
    if address:
        _erase_address_everywhere(address)
    _redact_audit(s.id, address, needles, name_pattern)
    db.session.execute(delete_themes(s.id))
    erase_self_ratings(s.id)
    _blank_profile(s, now)
    db.session.commit()


def _erase_conversations(subscriber_id: int, pairing_ids: list[int], now) -> list[int]:
    """Blank the messages they wrote and those relayed to them (both sides of their
    conversations) and what they, or their partner about them, sent us. Returns the ids
    of the relay emails of those messages."""
    in_pairings = ThreadMessage.pairing_id.in_(pairing_ids) if pairing_ids else False
    theirs = or_(ThreadMessage.author_id == subscriber_id, in_pairings)
    relayed_email_ids = [
        i
        for i in db.session.scalars(select(ThreadMessage.outgoing_email_id).where(theirs))
        if i is not None
    ]
    db.session.execute(update(ThreadMessage).where(theirs).values(body=None, erased_at=now))
    db.session.execute(
        update(InboundMessage)
        .where(
            or_(
                InboundMessage.sender_id == subscriber_id,
                InboundMessage.pairing_id.in_(pairing_ids) if pairing_ids else False,
            )
        )
        .values(raw=None, fields={})
    )
    return relayed_email_ids


def _erase_emails(subscriber_id: int, relayed_email_ids: list[int]) -> None:
    """Emails to them: no address, no name, no context or subject; queued ones will not go
    out. The relays of their words to the partner, and the partner's to them, lose their
    context and subject."""
    own = OutgoingEmail.subscriber_id == subscriber_id
    erased_rows = or_(own, OutgoingEmail.id.in_(relayed_email_ids)) if relayed_email_ids else own
    db.session.execute(
        update(OutgoingEmail)
        .where(erased_rows, OutgoingEmail.state == EmailState.QUEUED)
        .values(state=EmailState.SKIPPED, error="personal data deleted")
    )
    db.session.execute(
        update(OutgoingEmail)
        .where(own)
        .values(
            to_address=None,
            to_name=None,
            from_name=None,
            context={},
            subject=None,
            holds_words=False,
        )
    )
    if relayed_email_ids:
        db.session.execute(
            update(OutgoingEmail)
            .where(OutgoingEmail.id.in_(relayed_email_ids))
            .values(context={}, subject=None, from_name=None, holds_words=False)
        )


def _redact_mentions(subscriber_id: int, pairing_ids: list[int], needles, name_pattern) -> None:
    """Partner emails of their pairings, pairing explanations and standby reasons mention
    them (name, team, about): redacted in place."""
    if pairing_ids:
        for row in db.session.scalars(
            select(OutgoingEmail).where(
                OutgoingEmail.pairing_id.in_(pairing_ids),
                ~(OutgoingEmail.subscriber_id == subscriber_id),
            )
        ):
            row.context = _redact(row.context, needles, name_pattern)
            row.subject = _redact(row.subject, needles, name_pattern)  # "(with Sam)"
            if row.from_name and name_pattern and name_pattern.search(row.from_name):
                row.from_name = None
        for pairing in db.session.scalars(select(Pairing).where(Pairing.id.in_(pairing_ids))):
            pairing.explanation = _redact(pairing.explanation, needles, name_pattern)
    for standby in db.session.scalars(
        select(Standby).where(Standby.subscriber_id == subscriber_id)
    ):
        standby.reason = _redact(standby.reason, needles, name_pattern)


def _blank_profile(s: Subscriber, now) -> None:
    s.email = None
    s.name = ""
    s.team = None
    s.about = None
    s.timezone = "UTC"
    s.status = Status.DELETED
    s.deleted_at = now
    s.paused_until = None
    s.away_until = None


def delete_themes(subscriber_id: int):
    return subscriber_themes.delete().where(subscriber_themes.c.subscriber_id == subscriber_id)


def _erase_address_everywhere(address: str) -> None:
    """Provider events, suppression notes and inbound mail may quote the address."""
    pattern = f"%{address.lower()}%"
    db.session.execute(
        update(DeliveryEvent)
        .where(func.lower(DeliveryEvent.detail).like(pattern))
        .values(detail=ERASED)
    )
    db.session.execute(
        update(Suppression).where(func.lower(Suppression.detail).like(pattern)).values(detail=None)
    )
    # Inbound mail from them that was not linked to their subscriber (e.g. join@ mail).
    for message in db.session.scalars(
        select(InboundMessage)
        .where(
            or_(
                func.lower(cast(InboundMessage.fields, Text)).like(pattern),
                InboundMessage.raw.is_not(None) & InboundMessage.sender_id.is_(None),
            )
        )
        .execution_options(yield_per=500)
    ):
        raw_hit = message.raw is not None and address.encode() in message.raw.lower()
        fields_hit = address in str(message.fields).lower()
        if raw_hit or fields_hit:
            message.raw, message.fields = None, {}
    # Other emails that quote the address (e.g. an admin notice about them).
    for row in db.session.scalars(
        select(OutgoingEmail).where(
            or_(
                func.lower(cast(OutgoingEmail.context, Text)).like(pattern),
                func.lower(OutgoingEmail.subject).like(pattern),
                func.lower(OutgoingEmail.to_address) == address,
            )
        )
    ):
        row.context = _redact(row.context, [address], None)
        row.subject = _redact(row.subject, [address], None)
        if row.to_address and row.to_address.lower() == address:
            row.to_address, row.to_name = None, None


def _redact_audit(subscriber_id: int, address: str | None, needles: list[str], name_pattern):
    """The audit log keeps what an admin did to this subscriber, not who they were."""
    about_them = (AuditEntry.object_type == "subscriber") & (
        AuditEntry.object_id == str(subscriber_id)
    )
    quoting = [  # entries about someone else that quote this address
        func.lower(cast(column, Text)).like(f"%{address.lower()}%")
        for column in (AuditEntry.before, AuditEntry.after, AuditEntry.detail)
        if address
    ]
    for entry in db.session.scalars(select(AuditEntry).where(or_(about_them, *quoting))):
        if entry.object_type == "subscriber" and entry.object_id == str(subscriber_id):
            words, pattern = needles, name_pattern
        else:
            words, pattern = [address], None
        entry.before = _redact(entry.before, words, pattern)
        entry.after = _redact(entry.after, words, pattern)
        entry.detail = _redact(entry.detail, words, pattern)
