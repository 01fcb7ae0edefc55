"""Address hashes kept after deletion are keyed (HMAC): hashing guessed addresses finds
nothing, and rotating the key keeps every suppression (old keys stay for look-ups)."""

from __future__ import annotations

import hashlib
import hmac

from sqlalchemy import select

from service.extensions import db
from service.mail.models import EmailState
from service.subscriptions import actions
from service.subscriptions.addresses import hard_suppressed
from service.subscriptions.emails import welcome_email
from service.subscriptions.models import Suppression, address_hash, address_hashes
from tests.factories_subscriptions import create_subscriber

ADDRESS = "ana.lopez@example.org"


def plain_sha256(address: str) -> str:
    return hashlib.sha256(address.encode()).hexdigest()


def hmac_of(key: str, address: str) -> str:
    return hmac.new(key.encode(), address.encode(), hashlib.sha256).hexdigest()


def email_to(address: str, key: str):
    """Queue an ordinary email to the address: the suppression list decides if it goes."""
    return welcome_email("Ana", "learner", ["Tech"], "Monday", None, key=key, to=address)


def stored_hashes() -> set[str]:
    db.session.expire_all()
    return set(db.session.scalars(select(Suppression.address_hash)))


def test_a_deleted_persons_suppression_cannot_be_found_by_hashing_guesses(make_app):
    app = make_app(ADDRESS_HASH_KEYS="first-secret-key")
    with app.app_context():
        person = create_subscriber(email=ADDRESS)
        actions.unsubscribe(person.id, source="page")
        actions.delete_personal_data(person.id)
        db.session.commit()
        assert stored_hashes() == {hmac_of("first-secret-key", ADDRESS)}
        assert plain_sha256(ADDRESS) not in stored_hashes()
        # ...and the suppression still works: nothing is sent to the address.
        row = email_to(ADDRESS, "after-deletion")
        assert row.state == EmailState.SKIPPED and "suppressed" in row.error


def test_rotating_the_key_keeps_suppressions_written_under_the_old_one(make_app):
    with make_app(ADDRESS_HASH_KEYS="old-key").app_context():
        person = create_subscriber(email=ADDRESS)
        actions.unsubscribe(person.id, source="page")
        db.session.commit()
        person_id = person.id
    with make_app(ADDRESS_HASH_KEYS="new-key, old-key").app_context():
        assert address_hash(ADDRESS) == hmac_of("new-key", ADDRESS)
        row = email_to(ADDRESS, "after-rotation")
        assert row.state == EmailState.SKIPPED
        # Suppressing again finds the old entry instead of adding a second one.
        actions.delete_personal_data(person_id)
        db.session.commit()
        assert stored_hashes() == {hmac_of("old-key", ADDRESS)}
    with make_app(ADDRESS_HASH_KEYS="new-key").app_context():  # the old key dropped: lost
        assert email_to(ADDRESS, "old-key-dropped").state == EmailState.QUEUED


def test_entries_written_before_keys_were_used_still_suppress(make_app):
    with make_app().app_context():
        db.session.add(Suppression(address_hash=plain_sha256(ADDRESS), reason="complained"))
        db.session.commit()
        assert hard_suppressed(ADDRESS)
        assert address_hashes(ADDRESS)[-1] == plain_sha256(ADDRESS)
        assert address_hash(ADDRESS) != plain_sha256(ADDRESS)


def test_without_a_configured_key_one_is_derived_from_the_secret_key(make_app):
    with make_app().app_context():
        one = address_hash(ADDRESS)
    with make_app(SECRET_KEY="another-secret-key-" + "y" * 32).app_context():
        assert address_hash(ADDRESS) != one != plain_sha256(ADDRESS)
