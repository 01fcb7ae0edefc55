"""GETs behind signed links read on a connection each process keeps, in autocommit
(service.read_connection): the same one request after request, a new one when it broke,
closed when the engine is disposed of."""

from __future__ import annotations

import os

import pytest
import sqlalchemy as sa

from service import read_connection
from service.extensions import db
from service.tokens import make_token
from tests.factories_subscriptions import create_subscriber, create_themes
from tests.helpers import IN_CI, each_statement_during

# PostgreSQL only: SQLite reads on the request's session as before (service.links). With
# CI=true a missing TEST_DATABASE_URL fails instead of skipping.
pytestmark = pytest.mark.parametrize(
    "database_url",
    [
        pytest.param(
            "postgresql",
            marks=pytest.mark.skipif(
                not os.environ.get("TEST_DATABASE_URL") and not IN_CI,
                reason="needs PostgreSQL: set TEST_DATABASE_URL",
            ),
        )
    ],
    indirect=True,
)


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
    client = app.test_client()
    used = connections_used(app, lambda: [client.get(unsubscribe_path) for _ in range(3)])
    # Three page reads, and on the first request the settings the page shows (read through
    # the request's ORM session, bound to the same connection).
    assert len(used) >= 3 and len({id(c) for c in used}) == 1
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
        assert read_connection._idle[engine] == [kept]
        engine.dispose()
    assert driver.closed and engine not in read_connection._idle


def test_a_post_writes_in_a_transaction_of_its_own(app, unsubscribe_path):
    from tests.helpers import csrf_token

    client = app.test_client()
    kept = connections_used(app, lambda: client.get(unsubscribe_path))[0]
    form = {"csrf_token": csrf_token(client, unsubscribe_path)}
    writes = connections_used(app, lambda: client.post(unsubscribe_path, data=form))
    assert writes and all(c is not kept for c in writes)
