"""Address normalisation and the suppression list, in one place."""

from __future__ import annotations

from functools import cache

from email_validator import EmailNotValidError, validate_email
from flask import current_app, has_app_context
from flask_babel import gettext
from sqlalchemy import bindparam, select

from service.direct_sql import DirectStatement
from service.extensions import db
from service.i18n import current_language
from service.subscriptions.models import Suppression, SuppressionReason, address_hashes

MAX_ADDRESS = 254  # RFC 5321 path limit; the column is wider

# Reasons that mean "this mailbox must never get mail from us again, even if asked":
# the person (or their provider) did not want our mail, or the mailbox does not exist.
HARD_REASONS = (
    SuppressionReason.BOUNCED,
    SuppressionReason.COMPLAINED,
    SuppressionReason.DROPPED,
    SuppressionReason.ADMIN,
)


class InvalidAddress(ValueError):
    """`str(error)` is a sentence a person can act on."""


def normalise_email(raw: str) -> str:
    """A syntactically valid address, lower-cased so one mailbox is one subscriber.

    No DNS lookups by default: a typo'd domain simply never confirms, and the signup page
    stays fast. EMAIL_CHECK_DELIVERABILITY=True (app config) also asks DNS for the
    domain's mail servers.
    """
    value = (raw or "").strip()
    if not value:
        raise InvalidAddress(gettext("Enter your email address."))
    if any(ch in value for ch in "\r\n\x00") or len(value) > MAX_ADDRESS:
        raise InvalidAddress(gettext("Enter a single email address, like name@example.org."))
    try:
        result = validate_email(value, check_deliverability=_check_dns())
    except EmailNotValidError as exc:
        message = gettext("This does not look like an email address. Check it for typos.")
        if current_language() == "en":  # the validator explains itself in English only
            message = f"This does not look like an email address: {exc}"
        raise InvalidAddress(message) from exc
    return result.normalized.lower()


def _check_dns() -> bool:
    return has_app_context() and bool(current_app.config.get("EMAIL_CHECK_DELIVERABILITY"))


def suppression_of(address: str) -> Suppression | None:
    """The address's suppression entry, under the current hash key or an older one."""
    return db.session.scalar(
        select(Suppression).where(Suppression.address_hash.in_(address_hashes(address))).limit(1)
    )


def hard_suppressed(address: str) -> bool:
    """Asked on every signup: the reason alone, read on the driver (service/direct_sql.py)."""
    hashes = address_hashes(address)
    row = _reason_of(len(hashes)).first({f"hash{n}": h for n, h in enumerate(hashes)})
    return row is not None and row.reason in HARD_REASONS


@cache
def _reason_of(hashes: int) -> DirectStatement:
    """suppression_of's look-up, for `hashes` hashes (one per key, and the plain one)."""
    names = [bindparam(f"hash{n}") for n in range(hashes)]
    return DirectStatement(
        select(Suppression.reason).where(Suppression.address_hash.in_(names)).limit(1)
    )
