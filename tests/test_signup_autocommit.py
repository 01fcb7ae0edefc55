"""A signup for a new address on PostgreSQL: one statement in autocommit on the kept
connection (service.subscriptions.pending) under an id the process took beforehand,
everything or nothing stored, and the session's transaction as before for a known
address."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select

from service.extensions import db
from service.mail.models import EmailState, OutgoingEmail
from service.subscriptions.models import Status, Subscriber, Suppression, address_hash
from tests.factories_subscriptions import create_subscriber, create_themes
from tests.helpers import ON_POSTGRESQL, csrf_token, each_statement_during, links_in

pytestmark = ON_POSTGRESQL

FORM = {
    "email": "New.Person@Example.org",
    "name": "Nia Okafor",
    "role": "giver",
    "themes": ["tech-savvy", "life-work"],
    "timezone": "Europe/Berlin",
}


@pytest.fixture
def themed(app):
    with app.app_context():
        create_themes()
        db.session.commit()
    return app


def sign_up(app, client, **changes):
    """POST the form, returning the response and (connection, statement) of each
    statement the request ran."""
    data = {**FORM, "csrf_token": csrf_token(client, "/"), **changes}
    responses = []
    ran = each_statement_during(
        app, lambda: responses.append(client.post("/subscribe", data=data)), lambda c, s: (c, s)
    )
    return responses[0], ran


def without_id_blocks(ran) -> list[str]:
    """The statements' first words, but for the one that takes a block of ids."""
    return [s.split()[0] for _c, s in ran if "generate_series" not in s]


def counts(app) -> dict:
    with app.app_context():
        return {
            "subscribers": db.session.scalar(select(func.count(Subscriber.id))),
            "themes": db.session.scalar(sa.text("SELECT count(*) FROM subscriber_themes")),
            "emails": db.session.scalar(select(func.count(OutgoingEmail.id))),
        }


def test_a_new_address_is_stored_in_one_autocommit_statement(themed, run_jobs, outbox):
    app, client = themed, themed.test_client()
    response, ran = sign_up(app, client)
    assert response.status_code == 200 and "Check your inbox" in response.get_data(True)
    assert [s.split()[0] for _c, s in ran] == ["SELECT", "WITH"]  # the first takes ids
    assert "generate_series" in ran[0][1]
    assert all(c.get_execution_options()["isolation_level"] == "AUTOCOMMIT" for c, _s in ran)
    _, second = sign_up(app, client, email="second@example.org")
    assert [s.split()[0] for _c, s in second] == ["WITH"]
    assert counts(app) == {"subscribers": 2, "themes": 4, "emails": 2}
    with app.app_context():
        person = db.session.scalar(select(Subscriber))
        assert (person.email, person.status, person.role) == (
            "new.person@example.org",
            Status.PENDING,
            "giver",
        )
        assert [t.slug for t in person.themes] == ["tech-savvy", "life-work"]
        email = db.session.scalar(select(OutgoingEmail))
        assert (email.kind, email.subscriber_id, email.state) == (
            "confirm",
            person.id,
            EmailState.QUEUED,
        )
        assert (email.to_address, email.to_name) == ("new.person@example.org", "Nia")
        assert email.context["name"] == "" and email.context["needs_choices"] is False
    run_jobs()
    [message] = outbox.to("new.person@example.org")
    confirm = next(link for link in links_in(message) if "/c/" in link)
    page = client.get(confirm.replace("http://turnabout.test", ""))
    assert page.status_code == 200 and "Nia" in page.get_data(True)


def test_a_new_address_makes_no_orm_session(themed):
    from sqlalchemy.orm import Session

    app, client = themed, themed.test_client()
    data = {**FORM, "csrf_token": csrf_token(client, "/")}
    client.post("/subscribe", data={**data, "email": "warm@example.org"})  # copies made
    begun = []

    def record(session, _transaction):
        begun.append(session)

    sa.event.listen(Session, "after_transaction_create", record)
    try:
        assert client.post("/subscribe", data=data).status_code == 200
    finally:
        sa.event.remove(Session, "after_transaction_create", record)
    assert begun == [] and counts(app)["emails"] == 2


def test_a_hard_suppressed_address_reads_once_and_gets_nothing(themed, run_jobs, outbox):
    app, client = themed, themed.test_client()
    with app.app_context():
        db.session.add(Suppression(address_hash=address_hash(FORM["email"]), reason="bounced"))
        db.session.commit()
    response, ran = sign_up(app, client)
    assert response.status_code == 200 and "Check your inbox" in response.get_data(True)
    assert without_id_blocks(ran) == ["WITH"]
    run_jobs()
    assert counts(app) == {"subscribers": 0, "themes": 0, "emails": 0} and len(outbox) == 0


def test_a_known_address_goes_on_in_a_transaction_and_changes_nothing(themed, run_jobs, outbox):
    app, client = themed, themed.test_client()
    with app.app_context():
        known = create_subscriber(email="new.person@example.org", name="Ana", status="pending")
        db.session.commit()
        known_id, known_role = known.id, known.role
    before = counts(app)
    response, ran = sign_up(app, client)
    assert response.status_code == 200
    # The kept connection's two statements stored nothing; the rest ran in a transaction.
    assert [c.get_execution_options().get("isolation_level") for c, _s in ran[:2]] == [
        "AUTOCOMMIT"
    ] * 2
    assert all(not c.get_execution_options().get("isolation_level") for c, _s in ran[2:])
    # ... and asks neither the suppression list nor the unique address a second time.
    assert not any("suppressions" in s or "INTO subscribers" in s for _c, s in ran[2:])
    assert counts(app) == {**before, "emails": before["emails"] + 1}
    with app.app_context():
        person = db.session.get(Subscriber, known_id)
        assert (person.name, person.role) == ("Ana", known_role)
    run_jobs()
    [message] = outbox.to("new.person@example.org")
    assert "Confirm" in message["Subject"]


def test_a_theme_retired_meanwhile_stores_nothing(themed):
    """The form checks the themes against this process's copy, which may be a second old;
    the statement stores the subscriber only if every theme is still on offer."""
    app, client = themed, themed.test_client()
    client.get("/")  # the copy of the themes on offer is made
    with app.app_context(), db.engine.begin() as connection:  # behind the copy's back
        connection.execute(sa.text("UPDATE themes SET retired = true WHERE slug = 'life-work'"))
    with pytest.raises(ValueError, match="retired theme"):
        sign_up(app, client)
    assert counts(app) == {"subscribers": 0, "themes": 0, "emails": 0}


def test_no_themes_in_autocommit(themed, run_jobs, outbox):
    """The statement without themes (a signup that chose none: the confirm page asks)."""
    from service.subscriptions.joining import request_subscription

    app = themed
    values = {"email": "bare@example.org", "name": "Bo", "timezone": "UTC"}
    with app.test_request_context("/subscribe", method="POST"):
        assert request_subscription(values) == "confirmation sent"
        db.session.commit()
    assert counts(app) == {"subscribers": 1, "themes": 0, "emails": 1}
    run_jobs()
    [message] = outbox.to("bare@example.org")
    assert "/c/" in "".join(links_in(message))


def test_ids_are_taken_in_blocks_and_never_shared(themed, monkeypatch):
    from service.subscriptions import pending

    app, client = themed, themed.test_client()
    monkeypatch.setattr(pending, "ID_BLOCK", 3)
    ran = [sign_up(app, client, email=f"p{n}@example.org")[1] for n in range(4)]
    assert ["generate_series" in s for r in ran for _c, s in r] == [
        True,
        False,
        False,
        False,
        True,
        False,
    ]  # a block for the first three, another for the fourth
    monkeypatch.setattr(pending.os, "getpid", lambda: -1)  # a forked worker: its own block
    sign_up(app, client, email="forked@example.org")
    with app.app_context():
        later = create_subscriber(email="later@example.org")  # the sequence goes on
        db.session.commit()
        later_id = later.id
        ids = db.session.scalars(select(Subscriber.id).order_by(Subscriber.email)).all()
        by_email = dict(db.session.execute(select(Subscriber.email, Subscriber.id)).all())
    assert len(set(ids)) == 6
    assert by_email["p3@example.org"] == 4 and by_email["forked@example.org"] == 7
    assert later_id == 10  # after both blocks: 1-3 and 4-6 (4 used), 7-9 (7 used)


def test_empty_columns_are_null_in_each_variant_of_the_statement(themed):
    """Columns left None are written as NULL into the statement (pending._store's
    `nulls`): each shape of signup stores what it was given, and nothing else."""
    app, client = themed, themed.test_client()
    _, ran = sign_up(app, client, team="Ops")
    assert "CAST(NULL AS" in ran[-1][1] and "%(e_sent_at)s" not in ran[-1][1]
    sign_up(app, client, email="second@example.org", about="Learning fast")
    sign_up(app, client, email="third@example.org", team="Ops", about="Both")
    with app.app_context():
        rows = db.session.execute(
            select(Subscriber.email, Subscriber.team, Subscriber.about).order_by(Subscriber.email)
        ).all()
        assert [tuple(r) for r in rows] == [
            ("new.person@example.org", "Ops", None),
            ("second@example.org", None, "Learning fast"),
            ("third@example.org", "Ops", "Both"),
        ]
        emails = db.session.scalars(select(OutgoingEmail)).all()
        assert {(e.sent_at, e.error, e.state) for e in emails} == {(None, None, EmailState.QUEUED)}
        assert all(e.context["needs_choices"] is False for e in emails)
