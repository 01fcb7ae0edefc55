"""Download my data: every table's rows about one person, as JSON-ready values.

SECTIONS names, for each table that can hold rows about a person, the key of the export
that carries them; tests check that every such table is covered, so a new table about
people cannot be left out silently.
"""

from __future__ import annotations

import base64

from sqlalchemy import or_, select

from service.admin.models import AuditEntry
from service.confidence.ratings import export_self_ratings
from service.database import utcnow
from service.extensions import db
from service.inbound.models import DeliveryEvent, InboundMessage
from service.mail.models import OutgoingEmail
from service.rounds.models import Answer, Pairing, Round, SharedTip, Standby, ThreadMessage
from service.rounds.tips import received_tips
from service.subscriptions.addresses import suppression_of
from service.subscriptions.models import SoftBounce, Subscriber, address_hashes

SECTIONS = {
    "subscribers": "profile",
    "subscriber_themes": "profile",
    "pairings": "pairings",
    "standbys": "standbys",
    "thread_messages": "messages",
    "answers": "answers",
    "shared_tips": "shared_tips",
    "outgoing_emails": "emails_sent_to_me",
    "delivery_events": "delivery_events",
    "inbound_messages": "mail_i_sent",
    "audit_log": "admin_changes",
    "suppressions": "suppression",
    "soft_bounces": "soft_bounces",
    "confidence_ratings": "confidence_ratings",
    "home_themes": "most_at_home_in",
    "tip_deliveries": "library_tips_received",
}


def _iso(value):
    return value.isoformat() if value is not None else None


def _all(query) -> list:
    return list(db.session.scalars(query))


def export_data(subscriber_id: int) -> dict:
    s = db.session.get(Subscriber, subscriber_id)
    if s is None:
        raise LookupError(f"no subscriber {subscriber_id}")
    pairings = _all(
        select(Pairing)
        .where(or_(Pairing.learner_id == s.id, Pairing.giver_id == s.id))
        .order_by(Pairing.id)
    )
    weeks = {p.id: p.round.week for p in pairings}
    emails = _all(
        select(OutgoingEmail).where(OutgoingEmail.subscriber_id == s.id).order_by(OutgoingEmail.id)
    )
    return {
        "exported_at": _iso(utcnow()),
        "profile": _profile(s),
        "pairings": [_pairing(p, s.id) for p in pairings],
        "standbys": _standbys(s.id),
        "messages": _messages(s.id, weeks),
        "answers": _answers(s.id, weeks),
        **export_self_ratings(s.id),  # confidence_ratings, most_at_home_in
        "shared_tips": _shared_tips(s.id, weeks),
        "library_tips_received": received_tips(s.id),
        "emails_sent_to_me": [_email(e) for e in emails],
        "delivery_events": _delivery_events([e.id for e in emails]),
        "mail_i_sent": _inbound(s.id),
        "admin_changes": _audit(s.id),
        "suppression": _suppression(s.email),
        "soft_bounces": _soft_bounces(s.email),
    }


def _profile(s: Subscriber) -> dict:
    return {
        "email": s.email,
        "name": s.name,
        "role": s.role,
        "themes": [t.slug for t in s.themes],
        "timezone": s.timezone,
        "language": s.language,
        "team": s.team,
        "about": s.about,
        "status": s.status,
        "source": s.source,
        "paused_until": _iso(s.paused_until),
        "away_until": _iso(s.away_until),
        "created_at": _iso(s.created_at),
        "confirmed_at": _iso(s.confirmed_at),
        "unsubscribed_at": _iso(s.unsubscribed_at),
        "unsubscribe_source": s.unsubscribe_source,
    }


def _pairing(p: Pairing, subscriber_id: int) -> dict:
    return {
        "week": p.round.week,
        "challenge": p.round.challenge.title,
        "my_role": "learner" if p.learner_id == subscriber_id else "giver",
        "status": p.status,
        "why_paired": p.explanation,
        "tip_received_at": _iso(p.tip_received_at),
    }


def _standbys(subscriber_id: int) -> list[dict]:
    rows = _all(select(Standby).where(Standby.subscriber_id == subscriber_id).order_by(Standby.id))
    round_ids = {r.round_id for r in rows}
    weeks = dict(
        db.session.execute(select(Round.id, Round.week).where(Round.id.in_(round_ids))).all()
    )
    return [{"week": weeks.get(r.round_id), "reason": r.reason, "called_in": r.used} for r in rows]


def _messages(subscriber_id: int, weeks: dict) -> list[dict]:
    """What they wrote, and what their partners wrote to them (relayed to them)."""
    rows = _all(
        select(ThreadMessage)
        .where(
            or_(
                ThreadMessage.author_id == subscriber_id,
                ThreadMessage.pairing_id.in_(list(weeks)),
            )
        )
        .order_by(ThreadMessage.id)
    )
    return [
        {
            "week": weeks.get(m.pairing_id),
            "written_by": "me" if m.author_id == subscriber_id else "my partner",
            "kind": m.kind,
            "body": m.body,
            "written_at": _iso(m.created_at),
            "erased_at": _iso(m.erased_at),
        }
        for m in rows
    ]


def _answers(subscriber_id: int, weeks: dict) -> list[dict]:
    rows = _all(select(Answer).where(Answer.subscriber_id == subscriber_id).order_by(Answer.id))
    return [
        {
            "week": weeks.get(a.pairing_id),
            "question": a.question,
            "value": a.value,
            "comment": a.comment,
            "answered_at": _iso(a.created_at),
            "changed_at": _iso(a.updated_at),
        }
        for a in rows
    ]


def _shared_tips(subscriber_id: int, weeks: dict) -> list[dict]:
    rows = _all(
        select(SharedTip).where(SharedTip.author_id == subscriber_id).order_by(SharedTip.id)
    )
    return [
        {
            "week": weeks.get(t.pairing_id),
            "text": t.text,
            "consented_at": _iso(t.consented_at),
            "withdrawn_at": _iso(t.withdrawn_at),
            "erased_at": _iso(t.erased_at),
        }
        for t in rows
    ]


def _email(e: OutgoingEmail) -> dict:
    return {
        "kind": e.kind,
        "to": e.to_address,
        "subject": e.subject,
        "from_name": e.from_name,
        "state": e.state,
        "error": e.error,
        "created_at": _iso(e.created_at),
        "sent_at": _iso(e.sent_at),
        "delivered_at": _iso(e.delivered_at),
        "opened_at": _iso(e.opened_at),
        "clicked_at": _iso(e.clicked_at),
        "last_event": e.last_event,
        # What the email was made from. A relayed message's words are in "messages"
        # (until the retention period): the email itself keeps no copy once sent.
        "content": e.context,
    }


def _delivery_events(email_ids: list[int]) -> list[dict]:
    if not email_ids:
        return []
    rows = _all(
        select(DeliveryEvent)
        .where(DeliveryEvent.outgoing_email_id.in_(email_ids))
        .order_by(DeliveryEvent.id)
    )
    return [{"event": e.event, "at": _iso(e.occurred_at), "detail": e.detail} for e in rows]


def _inbound(subscriber_id: int) -> list[dict]:
    rows = _all(
        select(InboundMessage)
        .where(InboundMessage.sender_id == subscriber_id)
        .order_by(InboundMessage.id)
    )
    return [
        {
            "received_at": _iso(m.received_at),
            "state": m.state,
            "outcome": m.outcome,
            "original": _original(m.raw),
            "fields": m.fields,
        }
        for m in rows
    ]


def _original(raw: bytes | None) -> dict | None:
    """The message as it arrived: as text when it is text, otherwise base64."""
    if raw is None:
        return None
    try:
        return {"text": raw.decode("utf-8")}
    except UnicodeDecodeError:
        return {"base64": base64.b64encode(raw).decode("ascii")}


def _audit(subscriber_id: int) -> list[dict]:
    rows = _all(
        select(AuditEntry)
        .where(AuditEntry.object_type == "subscriber", AuditEntry.object_id == str(subscriber_id))
        .order_by(AuditEntry.id)
    )
    return [
        {
            "at": _iso(a.at),
            "action": a.action,
            "before": a.before,
            "after": a.after,
            "detail": a.detail,
        }
        for a in rows
    ]


def _suppression(address: str | None) -> dict | None:
    entry = address and suppression_of(address)
    if not entry:
        return None
    return {"reason": entry.reason, "detail": entry.detail, "since": _iso(entry.created_at)}


def _soft_bounces(address: str | None) -> dict | None:
    entry = address and db.session.scalar(
        select(SoftBounce).where(SoftBounce.address_hash.in_(address_hashes(address))).limit(1)
    )
    if not entry:
        return None
    return {"count": entry.count, "last_at": _iso(entry.last_at)}
