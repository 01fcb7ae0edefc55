"""Download my data holds every table's rows about the person: the mail they sent us as
it arrived, the emails we sent them (their partner's relayed words included), standby
rows, shared tips, delivery events, suppression and soft bounces, audit entries."""

from __future__ import annotations

import json

import sqlalchemy as sa
from test_subscriptions_privacy import EMAIL, build_history

from service.confidence.models import ConfidenceRating
from service.database import Model
from service.extensions import db
from service.mail.models import OutgoingEmail
from service.rounds.models import SharedTip, TipDelivery
from service.subscriptions.export import SECTIONS
from service.subscriptions.models import SoftBounce, Suppression, address_hash
from service.tokens import make_token
from tests.helpers import csrf_token

# Tables that never hold a row about one subscriber (continuation_breaks: an admin's
# decision about a pair, which names no person; the translations are programme content).
NOT_ABOUT_PEOPLE = {
    "themes",
    "theme_translations",
    "challenges",
    "challenge_translations",
    "rounds",
    "settings",
    "admin_users",
    "continuation_breaks",
}


def rows_about(table: sa.Table, person_id: int, email_ids: list[int], hashed: str) -> int:
    """How many rows of `table` are about the person, found from the schema alone: a
    foreign key to them or to an email sent to them, their address hash, an audit entry
    about them."""
    conditions = []
    for column in table.columns:
        targets = {fk.column.table.name for fk in column.foreign_keys}
        if "subscribers" in targets:
            conditions.append(column == person_id)
        if "outgoing_emails" in targets and email_ids:
            conditions.append(column.in_(email_ids))
        if column.name == "address_hash":
            conditions.append(column == hashed)
    if table.name == "subscribers":
        conditions.append(table.c.id == person_id)
    if table.name == "audit_log":
        conditions.append(
            (table.c.object_type == "subscriber") & (table.c.object_id == str(person_id))
        )
    if not conditions:
        return 0
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(table).where(sa.or_(*conditions))
    )


def test_the_export_holds_every_tables_rows_about_the_person(client, ctx):
    person, _partner, _other, pairings, _ = build_history()
    db.session.add_all(
        [
            SharedTip(
                author_id=person.id,
                pairing_id=pairings[0].id,
                challenge_id=pairings[0].round.challenge_id,
                theme_id=pairings[0].round.challenge.theme_id,
                text="Name the reader first.",
            ),
            Suppression(address_hash=address_hash(EMAIL), reason="unsubscribed"),
            SoftBounce(address_hash=address_hash(EMAIL), count=2),
            ConfidenceRating(
                subscriber_id=person.id,
                theme_id=pairings[0].round.challenge.theme_id,
                value=3,
                source="signup",
            ),
        ]
    )
    db.session.commit()
    tip_id = db.session.scalar(sa.select(SharedTip.id))
    db.session.add(TipDelivery(tip_id=tip_id, subscriber_id=person.id))  # a library tip received
    db.session.commit()
    url = f"/p/{make_token('preferences', person.id)}"
    response = client.post(f"{url}/export", data={"csrf_token": csrf_token(client, url)})
    assert response.status_code == 200
    data = json.loads(response.get_data(as_text=True))

    email_ids = list(
        db.session.scalars(
            sa.select(OutgoingEmail.id).where(OutgoingEmail.subscriber_id == person.id)
        )
    )
    about = {
        table.name: rows_about(table, person.id, email_ids, address_hash(EMAIL))
        for table in Model.metadata.sorted_tables
    }
    assert {name for name, count in about.items() if not count} - set(SECTIONS) == NOT_ABOUT_PEOPLE
    for name, count in about.items():
        if count:
            assert name in SECTIONS, f"{name} holds rows about people but is not exported"
            section = data[SECTIONS[name]]
            assert section, f"{name}: {count} rows about the person, none exported"
            if isinstance(section, list):
                assert len(section) >= count, name

    # The original mail they sent us, as it arrived; the partner's relayed words to them.
    originals = [m["original"]["text"] for m in data["mail_i_sent"]]
    assert any("Thanks Bo, it worked!" in text for text in originals)
    by_whom = {(m["written_by"], m["body"]) for m in data["messages"]}
    assert ("my partner", "Paste the notes and say who reads it.") in by_whom
    assert data["standbys"][0]["week"] == "2026-W48"
    assert data["suppression"]["reason"] == "unsubscribed" and data["soft_bounces"]["count"] == 2
    assert data["admin_changes"][0]["action"] == "subscriber.edit"
    assert data["delivery_events"][0]["event"] == "bounced"
    assert data["shared_tips"][0]["text"] == "Name the reader first."
    assert data["library_tips_received"][0]["tip_id"] == tip_id
