"""Pages behind signed links read without a transaction on GET, and keep one on POST."""

from __future__ import annotations

from service.extensions import db
from service.subscriptions.models import Status
from service.tokens import make_token
from tests.factories_subscriptions import create_subscriber, create_themes
from tests.helpers import csrf_token, each_statement_during


def isolation_of_statements(app, fn) -> list[str | None]:
    return each_statement_during(
        app, fn, lambda conn, _statement: conn.get_execution_options().get("isolation_level")
    )


def test_a_signed_link_reads_in_autocommit_and_its_button_writes_in_a_transaction(app):
    with app.app_context():
        create_themes()
        subscriber_id = create_subscriber(email="reader@example.org").id
        db.session.commit()
        token = make_token("unsubscribe", subscriber_id)
    client = app.test_client()

    # The first request also loads the programme settings for this process: on PostgreSQL
    # in a session of its own (the page's reads make none), elsewhere on the page's.
    client.get(f"/u/{token}")
    reads = isolation_of_statements(app, lambda: client.get(f"/u/{token}"))
    assert reads and set(reads) == {"AUTOCOMMIT"}

    form = {"csrf_token": csrf_token(client, f"/u/{token}")}
    writes = isolation_of_statements(app, lambda: client.post(f"/u/{token}", data=form))
    assert writes and "AUTOCOMMIT" not in writes
    with app.app_context():
        from service.subscriptions.models import Subscriber

        assert db.session.get(Subscriber, subscriber_id).status == Status.UNSUBSCRIBED
