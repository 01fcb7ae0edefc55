"""Joining: signup requests, the double opt-in confirmation, admin invitations.

Part of the contract in `actions.py`; nothing here commits.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from service.autocommit import autocommit_request, give_back
from service.confidence.models import Source
from service.confidence.ratings import save_self_ratings
from service.database import utcnow
from service.extensions import db
from service.i18n import dates, force_locale, language_of
from service.links import external_url
from service.mail.models import OutgoingEmail
from service.mail.ready import deliver_soon
from service.subscriptions import emails
from service.subscriptions.addresses import (
    HARD_REASONS,
    hard_suppressed,
    normalise_email,
    suppression_of,
)
from service.subscriptions.link_urls import signed_link_url
from service.subscriptions.models import Role, Status, Subscriber, address_hashes
from service.subscriptions.pending import (
    NewSignup,
    insert_pending,
    new_subscriber_id,
    pending_columns,
    store_with_confirmation,
)
from service.subscriptions.records import (
    PROFILE_FIELDS,
    apply_profile,
    by_address,
    get_subscriber,
    needs_choices,
    themes_for,
)
from service.subscriptions.schedule import first_send_text
from service.tokens import make_token

# What a later signup for a known address may ask to change, once its owner confirms.
REQUESTABLE = (*PROFILE_FIELDS, "themes")
# Mails a person can trigger to an address they may not own (confirm, "already
# subscribed", invitation): at most this many per address per day, against list-bombing.
CONFIRMATIONS_PER_DAY = 3
ASKED_FOR_KINDS = ("confirm", "already_subscribed", "invite")


def asked_for_today(subscriber_id: int) -> int:
    since = utcnow() - timedelta(hours=24)
    return db.session.scalar(
        select(func.count(OutgoingEmail.id)).where(
            OutgoingEmail.subscriber_id == subscriber_id,
            OutgoingEmail.kind.in_(ASKED_FOR_KINDS),
            OutgoingEmail.created_at >= since,
        )
    )


def _stamp() -> str:
    return utcnow().strftime("%Y%m%d%H%M%S%f")


def confirm_url(subscriber: Subscriber | NewSignup, requested: dict | None = None) -> str:
    """The confirmation link; `requested` (answers someone typed for an existing person)
    rides in the signed link, so nothing is written before the owner confirms."""
    payload = [subscriber.id, requested] if requested else subscriber.id
    return signed_link_url("subscriptions.confirm", make_token("confirm", payload))


def _queue_confirmation(
    subscriber: Subscriber | NewSignup,
    requested: dict | None = None,
    *,
    inserted_now: bool = False,
    choices_missing: bool | None = None,
) -> bool:
    """`requested`: see confirm_url. `inserted_now`: the row was inserted in this
    transaction, so no mail went to it yet and the daily count need not be asked for.
    `choices_missing`: needs_choices(subscriber), when the caller knows it without
    loading the subscriber's themes."""
    if not inserted_now and asked_for_today(subscriber.id) >= CONFIRMATIONS_PER_DAY:
        return False
    if subscriber.status == Status.ACTIVE:
        emails.already_subscribed_email(
            subscriber.first_name,
            external_url(
                "subscriptions.preferences", token=make_token("preferences", subscriber.id)
            ),
            key=f"already:{subscriber.id}:{_stamp()}",
            subscriber_id=subscriber.id,
        )
        return True
    emails.confirm_email(**_confirmation(subscriber, requested, choices_missing))
    return True


def _confirmation(
    subscriber: Subscriber | NewSignup, requested: dict | None, choices_missing: bool | None
) -> dict:
    """confirm_email's arguments. Never the name: whoever asked typed it, for an address
    they may not own, and the confirmation must not carry a stranger's words to it."""
    return {
        "name": "",
        "confirm_url": confirm_url(subscriber, requested),
        "needs_choices": needs_choices(subscriber) if choices_missing is None else choices_missing,
        "key": f"confirm:{subscriber.id}:{_stamp()}",
        "subscriber_id": subscriber.id,
        "to": subscriber.email,
        "to_name": subscriber.first_name,
    }


def request_subscription(values: dict, *, source: str = "web") -> str:
    """Someone asked to join with `values["email"]` (already normalised and checked).

    Whatever the address's state, the caller shows the same page. Returns what happened,
    for logs and tests: "confirmation sent" | "reminder sent" | "rate limited" | "suppressed".
    """
    # Self-ratings are stored in the session's transaction (confidence.ratings).
    self_rated = values.get("confidence") or values.get("home_themes")
    if not self_rated and autocommit_request(with_session=False):
        outcome = _join_in_autocommit(values, source)
    else:
        outcome = _join_in_transaction(values, source)
    if outcome is not None:
        return outcome
    # The address is known (and not bounced or complained): nothing was stored.
    subscriber, requested = by_address(values["email"]), None
    if subscriber.status in (Status.PENDING, Status.UNSUBSCRIBED):
        # Anyone can type this address. The answers travel in the confirmation link and
        # reach the profile only when its owner confirms on a page that shows them all
        # (self-ratings are not carried: the owner can give them in the preference centre).
        requested = {k: v for k, v in values.items() if k in REQUESTABLE and v}
    if not _queue_confirmation(subscriber, requested):
        return "rate limited"
    return "reminder sent" if subscriber.status == Status.ACTIVE else "confirmation sent"


def _missing(values: dict) -> bool:
    return values.get("role") not in Role.ALL or not values.get("themes")


def _join_in_transaction(values: dict, source: str) -> str | None:
    """A new address in the session's transaction; None when the address is known."""
    address = values["email"]
    if hard_suppressed(address):
        return "suppressed"  # bounced or complained: never write to it again
    subscriber = insert_pending(address, values, source)
    if subscriber is None:
        return None
    save_self_ratings(subscriber.id, values, Source.SIGNUP, new=True)
    _queue_confirmation(subscriber, inserted_now=True, choices_missing=_missing(values))
    return "confirmation sent"


def _join_in_autocommit(values: dict, source: str) -> str | None:
    """A new address in one statement, its own transaction (pending.py); None when the
    address is known: then nothing was stored, and the caller goes on in the session's
    transaction, for which this request stops using the kept connection."""
    address = values["email"]
    columns = pending_columns(address, values, source)
    signup = NewSignup(new_subscriber_id(), address, columns["name"])
    email = emails.confirm_email.row(**_confirmation(signup, None, _missing(values)))
    slugs = list(dict.fromkeys(values.get("themes") or ()))
    stored = store_with_confirmation(signup.id, columns, slugs, email, address_hashes(address))
    if stored.reason in HARD_REASONS:
        return "suppressed"  # bounced or complained: never write to it again
    if stored.email_id is not None:
        deliver_soon(stored.email_id)  # committed already
        return "confirmation sent"
    if stored.offered != len(slugs):
        raise ValueError(f"unknown or retired theme among {', '.join(slugs)}")
    give_back()
    return None


def resend_confirmation(subscriber_id: int) -> bool:
    """Admin: send the confirmation again, within the same daily limit. False if not sent."""
    subscriber = get_subscriber(subscriber_id)
    if subscriber.status != Status.PENDING or not subscriber.email:
        return False
    if hard_suppressed(subscriber.email):
        return False
    return _queue_confirmation(subscriber)


def confirm(subscriber_id: int, values: dict | None = None) -> str:
    """The person pressed "Confirm" (double opt-in) or "Resubscribe": make them active.

    Returns "confirmed" or "already active". Raises ValueError when role or themes are
    still missing (the page asks for them first).
    """
    subscriber = get_subscriber(subscriber_id)
    if subscriber.status == Status.DELETED or not subscriber.email:
        raise LookupError("this subscription was deleted")
    if subscriber.status == Status.ACTIVE:
        return "already active"
    apply_profile(subscriber, values or {})
    if needs_choices(subscriber):
        raise ValueError("choose a role and at least one theme first")
    entry = suppression_of(subscriber.email)
    if entry is not None and entry.reason in HARD_REASONS:
        raise PermissionError("this address cannot receive our mail")
    if entry is not None:  # they unsubscribed before and now asked to come back
        db.session.delete(entry)
    now = utcnow()
    subscriber.status = Status.ACTIVE
    subscriber.confirmed_at = now
    subscriber.unsubscribed_at = None
    subscriber.unsubscribe_source = None
    db.session.flush()
    paused = subscriber.paused_until if subscriber.is_paused(now.date()) else None
    with force_locale(language_of(subscriber)):  # the dates are written into the email
        emails.welcome_email(
            subscriber.first_name,
            subscriber.role,
            [t.name for t in subscriber.themes],
            first_send_text(subscriber.timezone, paused),
            dates.day_with_year(paused) if paused else None,
            key=f"welcome:{subscriber.id}:{now:%Y%m%d%H%M%S%f}",
            subscriber_id=subscriber.id,
        )
    return "confirmed"


def invite(
    address: str,
    *,
    name: str = "",
    team: str | None = None,
    role: str | None = None,
    themes=(),
) -> str:
    """Admin import: invite one address. Returns "invited" | "exists" | "suppressed".

    Raises InvalidAddress for a malformed address and ValueError for an unknown role or
    theme. The invitation's link leads to the confirm page: nobody is subscribed before
    they press the button themselves.
    """
    address = normalise_email(address)
    if role is not None and role not in Role.ALL:
        raise ValueError(f"role must be one of {', '.join(Role.ALL)}, not {role!r}")
    theme_rows = themes_for(themes)
    if suppression_of(address) is not None:
        return "suppressed"  # includes people who unsubscribed: an admin may not undo that
    if by_address(address) is not None:
        return "exists"
    subscriber = Subscriber(
        email=address,
        name=" ".join((name or "").split())[:60],
        team=(team or "").strip()[:80] or None,
        role=role,
        status=Status.PENDING,
        source="import",
    )
    subscriber.themes = theme_rows
    db.session.add(subscriber)
    db.session.flush()
    emails.invite_email(
        subscriber.first_name if subscriber.name else "",
        external_url("subscriptions.join", token=make_token("invite", subscriber.id)),
        role,
        [t.name for t in theme_rows],
        key=f"invite:{subscriber.id}",
        subscriber_id=subscriber.id,
    )
    return "invited"
