"""Behave like a corporate link scanner (Microsoft Safe Links, Proofpoint, Mimecast):
open every link of every email with HEAD and GET, and prove nothing changed.

Reusable by every feature's tests:

    messages = outbox.messages()
    responses = assert_links_are_safe(client, messages)
"""

from __future__ import annotations

from urllib.parse import urlsplit

import sqlalchemy as sa

from service.extensions import db
from tests.helpers import links_in

# What a scanner must never change: people, their pairs and answers, and what we send.
WATCHED_TABLES = ("subscribers", "subscriber_themes", "pairings", "answers", "suppressions")
COUNTED_TABLES = ("outgoing_emails",)


def snapshot(app) -> dict:
    from service.database import Model

    tables = Model.metadata.tables
    with app.app_context(), db.engine.connect() as conn:
        state = {
            name: sorted(conn.execute(sa.select(tables[name])).all(), key=repr)
            for name in WATCHED_TABLES
        }
        for name in COUNTED_TABLES:
            state[name] = conn.execute(
                sa.select(sa.func.count()).select_from(tables[name])
            ).scalar()
    return state


def own_links(app, messages) -> list[str]:
    """Links into this service (scanners open third-party links too, but those are not ours)."""
    base = app.config["BASE_URL"]
    return sorted({link for m in messages for link in links_in(m) if link.startswith(base)})


def assert_links_are_safe(client, messages) -> dict[str, tuple[int, int]]:
    """HEAD then GET every link of `messages` that points into the service. Fails if any
    subscriber, pairing, answer or suppression changed, an email was queued, or a link
    answered with a server error. Returns {link: (head status, get status)}."""
    app = client.application
    links = own_links(app, messages)
    assert links, "these emails contain no links into the service: nothing was scanned"
    before = snapshot(app)
    results = {}
    for link in links:
        parts = urlsplit(link)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        head = client.head(path)
        get = client.get(path)
        results[link] = (head.status_code, get.status_code)
        assert head.status_code < 500 and get.status_code < 500, (link, results[link])
    after = snapshot(app)
    for name in before:
        assert before[name] == after[name], f"opening links changed {name}: {links}"
    return results
