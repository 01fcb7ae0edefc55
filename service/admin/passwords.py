"""Admin accounts: argon2id password hashes, creation and checking."""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext
from sqlalchemy import func, select

from service.admin.models import AdminRole, AdminUser
from service.database import utcnow
from service.extensions import db


@lru_cache(maxsize=2)
def _hashers(testing: bool) -> tuple[PasswordHasher, str]:
    """argon2id with the library's recommended parameters (RFC 9106, low memory).
    Test apps use the cheapest profile, as Django's test settings use a fast hasher: the
    code path is the same, and a hash made that way is upgraded at the next sign-in
    by check_needs_rehash() if it ever reached production.

    The second value is verified when the address has no account, so a wrong address
    takes as long as a wrong password and the timing does not reveal which accounts exist.
    """
    hasher = PasswordHasher.from_parameters(profiles.CHEAPEST) if testing else PasswordHasher()
    return hasher, hasher.hash("no account has this password")


def _hasher() -> PasswordHasher:
    return _hashers(bool(current_app.config.get("TESTING")))[0]


MIN_PASSWORD_LENGTH = 12


class AccountError(ValueError):
    """A reason an account cannot be created, worded for the person at the terminal."""


def normalise_admin_email(raw: str) -> str:
    return (raw or "").strip().lower()


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def create_admin(email: str, password: str, role: str = AdminRole.ADMIN) -> AdminUser:
    """Create an admin account or reset an existing one's password and role.
    The caller commits."""
    email = normalise_admin_email(email)
    if "@" not in email or len(email) > 320:
        raise AccountError(gettext("“%(email)s” does not look like an email address.", email=email))
    if role not in AdminRole.ALL:
        raise AccountError(
            gettext("Role must be one of: %(roles)s.", roles=", ".join(AdminRole.ALL))
        )
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(
            gettext(
                "The password needs at least %(length)s characters.", length=MIN_PASSWORD_LENGTH
            )
        )
    user = find_admin(email)
    if user is None:
        user = AdminUser(email=email)
        db.session.add(user)
    else:
        user.end_sessions()  # a new password signs out every session of the old one
    user.password_hash = hash_password(password)
    user.role = role
    db.session.flush()
    return user


def find_admin(email: str) -> AdminUser | None:
    email = normalise_admin_email(email)
    return db.session.scalar(select(AdminUser).where(func.lower(AdminUser.email) == email))


def authenticate(email: str, password: str) -> AdminUser | None:
    """The account when the password matches, else None (same cost either way)."""
    user = find_admin(email)
    hasher, dummy_hash = _hashers(bool(current_app.config.get("TESTING")))
    try:
        hasher.verify(user.password_hash if user else dummy_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None:
        return None
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)  # parameters got stronger since
    user.last_login_at = utcnow()
    return user
