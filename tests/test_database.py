"""insert_many: one statement for many rows, the same result on SQLite and PostgreSQL as the
ORM would give (Python-side defaults, aware datetimes, JSON), conflicts skipped on request."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from service.database import insert_many
from service.extensions import db
from service.mail.models import EmailState, OutgoingEmail

TABLE = OutgoingEmail.__table__


def draft(n: int, **values) -> dict:
    return {
        "key": f"insert-many:{n}",
        "kind": "mail_check",
        "to_address": f"person{n}@example.org",
        "message_id": f"<{n}.insert-many@turnabout.test>",
        "context": {"n": n, "name": 'Zoë "Z" O\'Hara', "items": [1, None, "<b>"]},
        **values,
    }


def test_rows_get_the_defaults_the_orm_would_give(ctx):
    sent_at = datetime(2026, 11, 30, 8, 15, 30, 123456, tzinfo=UTC)
    ids = insert_many(
        db.session, TABLE, [draft(1, sent_at=sent_at), draft(2, sent_at=None)], returning=("id",)
    )
    db.session.commit()
    rows = db.session.scalars(
        select(OutgoingEmail)
        .where(OutgoingEmail.id.in_([i for (i,) in ids]))
        .order_by(OutgoingEmail.id)
    ).all()
    assert [r.key for r in rows] == ["insert-many:1", "insert-many:2"]
    first = rows[0]
    assert first.state == EmailState.QUEUED and first.attempts == 0
    assert first.category == "transactional" and first.list_mail is True
    assert first.created_at is not None and first.created_at.tzinfo is not None
    assert first.sent_at == sent_at and rows[1].sent_at is None
    assert first.context == draft(1)["context"]


def test_conflicts_are_skipped_only_when_asked(ctx):
    insert_many(db.session, TABLE, [draft(1)])
    db.session.commit()
    inserted = insert_many(
        db.session, TABLE, [draft(1), draft(3)], returning=("id", "key"), skip_conflicts=True
    )
    assert [key for _, key in inserted] == ["insert-many:3"]
    db.session.commit()
    with pytest.raises(IntegrityError):
        insert_many(db.session, TABLE, [draft(3)])
    db.session.rollback()
    assert insert_many(db.session, TABLE, []) == []


def test_no_request_ends_in_an_async_teardown(app):
    """Flask would start a thread and an event loop for each one, on every request."""
    import inspect

    assert app.teardown_appcontext_funcs, "the database sessions are still closed"
    assert not any(inspect.iscoroutinefunction(f) for f in app.teardown_appcontext_funcs)
