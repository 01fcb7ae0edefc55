"""Small helpers shared by tests (fixtures live in conftest.py)."""

from __future__ import annotations

import os
import re

import pytest

IN_CI = os.environ.get("CI") == "true"

# For a test that means PostgreSQL only (row locks, kept connections: SQLite has neither
# or takes another path); with CI=true a missing TEST_DATABASE_URL fails, never skips.
ON_POSTGRESQL = pytest.mark.parametrize(
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


def require(condition: bool, reason: str) -> None:
    """Skip for a missing optional dependency, except in CI where nothing may skip."""
    if not condition:
        if IN_CI:
            pytest.fail(f"CI=true and a test dependency is missing: {reason}")
        pytest.skip(reason)


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def csrf_token(client, path: str) -> str:
    """GET a page and return the CSRF token of its form."""
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html
    )
    assert match, f"no csrf_token field on {path}"
    return match.group(1)


def links_in(message) -> list[str]:
    """Every http(s) link in both parts of a message (what a link scanner would open)."""
    found = set(re.findall(r"https?://[^\s<>\"')]+", text_of(message)))
    found |= set(re.findall(r'href="(https?://[^"]+)"', html_of(message)))
    return sorted(link.replace("&amp;", "&") for link in found)


# Debian's Chromium, driven by Playwright (its own browser download does not work here).
# Without the background-networking flags Chromium keeps dialling out on a closed network.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def email_row(kind_name: str, n: int, context: dict, **values):
    """An unsaved outgoing_emails row of `kind_name`, as queueing would write it."""
    from service.mail.catalog import KINDS
    from service.mail.compose import new_message_id
    from service.mail.models import OutgoingEmail

    kind = KINDS[kind_name]
    fields = {
        "id": n,
        "key": f"test:{kind_name}:{n}",
        "kind": kind_name,
        "subscriber_id": n if kind.list_mail else None,
        "to_address": "margaret.hale@example.org",
        "to_name": "Margaret",
        "from_name": "Priya" if not kind.auto_submitted else None,
        "reply_to": "reply+k3y@reply.turnabout.test" if not kind.auto_submitted else None,
        "message_id": new_message_id(),
        "references": None,
        "category": kind.category,
        "list_mail": kind.list_mail,
        "context": context,
    }
    return OutgoingEmail(**{**fields, **values})


def each_statement_during(app, fn, note) -> list:
    """`note(connection, statement)` for each SQL statement the app's engine runs in `fn()`."""
    from sqlalchemy import event

    from service.extensions import db

    seen = []

    def listener(conn, _cursor, statement, *_args):
        seen.append(note(conn, statement))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", listener)
    try:
        fn()
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return seen
