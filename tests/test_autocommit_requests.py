"""GETs behind signed links and the inbound webhook's INSERT run in autocommit on a
connection each process keeps (service.autocommit): the same one request after request,
a new one when it broke, closed when the engine is disposed of."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import g

from service import autocommit
from service.extensions import db
from service.tokens import make_token
from tests.factories_subscriptions import create_subscriber, create_themes
from tests.helpers import ON_POSTGRESQL, csrf_token, each_statement_during

# PostgreSQL only: SQLite reads on the request's session as before (service.links).
pytestmark = ON_POSTGRESQL


@pytest.fixture
def unsubscribe_path(app):
    with app.app_context():
        create_themes()
        subscriber_id = create_subscriber(email="kept@example.org").id
        db.session.commit()
        return f"/u/{make_token('unsubscribe', subscriber_id)}"


def connections_used(app, fn) -> list:
    return each_statement_during(app, fn, lambda conn, _statement: conn)


def backend_pid(connection) -> int:
    return connection.connection.driver_connection.info.backend_pid


def test_requests_share_one_kept_connection_in_autocommit(app, unsubscribe_path):
    sessions = []
    app.teardown_request(lambda _exc: sessions.append(g.get("_sqlalchemy_sessions")))
    client = app.test_client()
    client.get(unsubscribe_path)  # the first also loads the settings, in a session of its own
    sessions.clear()
    used = connections_used(app, lambda: [client.get(unsubscribe_path) for _ in range(3)])
    assert len(used) == 3 and len({id(c) for c in used}) == 1  # one statement a page
    assert sessions == [None] * 3  # no ORM session made for a page that reads none
    assert used[0].get_execution_options()["isolation_level"] == "AUTOCOMMIT"
    assert not used[0].in_transaction()  # given back clean, nothing held between requests


def test_a_lost_connection_is_replaced_and_the_page_still_answers(app, unsubscribe_path):
    client = app.test_client()
    first = connections_used(app, lambda: client.get(unsubscribe_path))[0]
    lost = backend_pid(first)
    with app.app_context():
        db.session.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": lost})
        db.session.commit()

    responses = []
    used = connections_used(app, lambda: responses.append(client.get(unsubscribe_path)))
    assert responses[0].status_code == 200
    assert backend_pid(used[-1]) != lost
    assert first.closed
    again = connections_used(app, lambda: client.get(unsubscribe_path))
    assert again[0] is used[-1]


def test_disposing_of_the_engine_closes_the_kept_connections(app, unsubscribe_path):
    client = app.test_client()
    kept = connections_used(app, lambda: client.get(unsubscribe_path))[0]
    driver = kept.connection.driver_connection
    with app.app_context():
        engine = db.engine
        assert autocommit._idle[engine] == [kept]
        engine.dispose()
    assert driver.closed and engine not in autocommit._idle


def test_a_post_writes_in_a_transaction_of_its_own(app, unsubscribe_path):

    client = app.test_client()
    kept = connections_used(app, lambda: client.get(unsubscribe_path))[0]
    form = {"csrf_token": csrf_token(client, unsubscribe_path)}
    writes = connections_used(app, lambda: client.post(unsubscribe_path, data=form))
    assert writes and all(c is not kept for c in writes)


def test_the_webhook_stores_a_message_with_one_statement_that_commits(app):
    from service.inbound.models import InboundMessage
    from tests.factories_inbound import post_raw, reply_mime

    client = app.test_client()
    address, to = "ana@example.org", "reply+x@reply.turnabout.test"
    mime = reply_mime(sender=address, to=to, text="Hi")

    def post():
        return post_raw(client, mime, to=to, sender=address)

    answers = []
    used = connections_used(app, lambda: answers.append(post()))
    assert answers[0].status_code == 200 and answers[0].get_data(as_text=True) == "stored\n"
    assert len(used) == 1 and used[0].get_execution_options()["isolation_level"] == "AUTOCOMMIT"
    assert not used[0].in_transaction()

    again = connections_used(app, lambda: answers.append(post()))
    assert answers[1].get_data(as_text=True) == "duplicate\n"  # the same Message-ID
    assert again[0] is used[0] and not again[0].in_transaction()
    with app.app_context():
        assert db.session.query(InboundMessage).count() == 1
