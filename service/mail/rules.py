"""Who must not get an email: the one skip rule, for single sends, bulk sends and the
last check before delivery, plus the set-based look-ups it needs."""

from __future__ import annotations

from sqlalchemy import select

from service.database import inline_ids
from service.extensions import db
from service.mail.catalog import EmailKind
from service.subscriptions.models import Status, Subscriber, Suppression, address_hashes


def skip_reason(kind: EmailKind, subscriber_status: str | None, suppression: str | None):
    """Why an email must not be sent, or None: the one rule, for single and bulk sends."""
    if kind.suppression_exempt:
        return None
    if subscriber_status in (Status.UNSUBSCRIBED, Status.DELETED):
        return f"subscriber is {subscriber_status}"
    return f"address suppressed ({suppression})" if suppression else None


def suppressions_for(addresses) -> dict[str, str]:
    """address -> suppression reason, for those of `addresses` on the suppression list."""
    by_hash = {digest: a for a in addresses if a for digest in address_hashes(a)}
    found, hashes = {}, list(by_hash)
    for start in range(0, len(hashes), 1000):
        rows = db.session.execute(
            select(Suppression.address_hash, Suppression.reason).where(
                Suppression.address_hash.in_(hashes[start : start + 1000])
            )
        )
        found.update({by_hash[h]: reason for h, reason in rows})
    return found


def statuses_and_languages(subscriber_ids) -> tuple[dict[int, str], dict[int, str]]:
    """({id: status}, {id: language}) in one query: delivery checks the one and renders
    in the other."""
    ids = sorted({i for i in subscriber_ids if i is not None})
    if not ids:
        return {}, {}
    rows = db.session.execute(
        select(Subscriber.id, Subscriber.status, Subscriber.language).where(
            Subscriber.id.in_(inline_ids(ids))
        )
    ).all()
    return {i: status for i, status, _ in rows}, {i: language for i, _, language in rows}
