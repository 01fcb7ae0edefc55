"""Address normalisation and the suppression list, in one place."""

from __future__ import annotations

import re
from functools import cache

import email_validator
from email_validator import EmailNotValidError, validate_email
from email_validator.rfc_constants import ATEXT, EMAIL_MAX_LENGTH, LOCAL_PART_MAX_LENGTH
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
    check_dns = _check_dns()
    plain = None if check_dns else plain_address(value)
    if plain is not None:
        return plain
    try:
        result = validate_email(value, check_deliverability=check_dns)
    except EmailNotValidError as exc:
        message = gettext("This does not look like an email address. Check it for typos.")
        if current_language() == "en":  # the validator explains itself in English only
            message = f"This does not look like an email address: {exc}"
        raise InvalidAddress(message) from exc
    return result.normalized.lower()


# What email_validator (2.x, without DNS) accepts as it is but for the case of its
# domain: a dot-atom of plain ASCII before the @ and a host name after it, each label at
# most 63 characters, with no leading or trailing hyphen, and a last label ending in a
# letter. Its full check splits the address by normalising every character's next 32
# to NFC, and maps the domain through IDNA's tables: ~5% of a signup's CPU under
# gunicorn. tests/test_plain_addresses.py compares both over many addresses.
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_PLAIN = re.compile(rf"[{ATEXT}]+(?:\.[{ATEXT}]+)*@((?:{_LABEL}\.)+{_LABEL})")


def plain_address(value: str) -> str | None:
    """validate_email(value).normalized.lower() for an everyday address, or None: then
    only validate_email can say (it may accept or refuse it). Never a value that
    validate_email refuses."""
    match = _PLAIN.fullmatch(value) if len(value) <= EMAIL_MAX_LENGTH else None
    if match is None:
        return None
    domain = match[1].lower()
    if (
        value.index("@") > LOCAL_PART_MAX_LENGTH  # refused in email_validator's strict mode
        or "--" in domain  # "ab--" labels are refused, "xn--" ones decoded
        or not "a" <= domain[-1] <= "z"  # every top-level domain ends with a letter
        or any(
            domain == name or domain.endswith("." + name)
            for name in email_validator.SPECIAL_USE_DOMAIN_NAMES
        )
    ):
        return None
    return value.lower()


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
