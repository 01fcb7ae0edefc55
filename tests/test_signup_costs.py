"""What the signup pays once instead of on every POST gives the same results: its
confirmation link (subscriptions/link_urls.py), its row's defaults (pending.py), and the
Vary header of a page whose session was read (ops/flask_costs.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Response

from service.database import with_python_defaults
from service.i18n import programme_language
from service.links import external_url
from service.ops.flask_costs import _varies_on_cookie
from service.response_headers import add_vary
from service.subscriptions.link_urls import signed_link_url
from service.subscriptions.models import Status, Subscriber
from service.subscriptions.pending import pending_columns
from service.subscriptions.records import PROFILE_FIELDS
from service.tokens import make_token


def test_signed_link_urls_are_external_urls(ctx):
    tokens = [make_token("confirm", 7), make_token("confirm", [7, {"name": "Ü"}]), "a.b-c_d"]
    for token in [*tokens, "needs quoting/ü?", "a b"]:
        for endpoint in ("subscriptions.confirm", "subscriptions.unsubscribe"):
            assert signed_link_url(endpoint, token) == external_url(endpoint, token=token)
    ctx.config["BASE_URL"] = "https://elsewhere.example/app"
    assert signed_link_url("subscriptions.confirm", tokens[0]) == external_url(
        "subscriptions.confirm", token=tokens[0]
    )
    assert signed_link_url("subscriptions.confirm", tokens[0]).startswith(
        "https://elsewhere.example/app/c/"
    )


def columns_as_before(address: str, values: dict, source: str) -> dict:
    """pending_columns as it was, with database.with_python_defaults."""
    columns = {
        "email": address,
        "status": Status.PENDING,
        "source": source,
        "language": programme_language(),
    }
    for name in PROFILE_FIELDS:
        if name in values:
            columns[name] = (values[name] or None) if name in ("team", "about") else values[name]
    columns = with_python_defaults(Subscriber.__table__, columns)
    for name in PROFILE_FIELDS:
        columns.setdefault(name, None)
    return columns


def test_pending_columns_fill_the_defaults_as_before(ctx):
    for values in [
        {"name": "Nia", "role": "giver", "timezone": "Europe/Berlin", "team": ""},
        {},
        {"language": "de", "about": "x", "team": "Ops"},
    ]:
        columns = pending_columns("nia@example.org", values, "web")
        before = columns_as_before("nia@example.org", values, "web")
        assert columns.keys() == before.keys()
        assert columns["created_at"] - before["created_at"] < timedelta(seconds=60)
        assert {**columns, "created_at": None} == {**before, "created_at": None}


@pytest.mark.parametrize(
    "vary",
    [
        [],
        ["Accept-Language, Cookie"],
        ["Accept-Language,cookie"],
        ["Accept-Language"],
        ["Cookies"],
        ['"Cookie, x"'],
        ["Origin", "Cookie"],
        ["Cookie", "Origin"],
    ],
)
def test_vary_cookie_is_added_as_werkzeug_adds_it(vary):
    ours, theirs = Response(), Response()
    for value in vary:
        ours.headers.add("Vary", value)
        theirs.headers.add("Vary", value)
    if not _varies_on_cookie(ours):
        add_vary(ours, "Cookie")
    theirs.vary.add("Cookie")
    assert ours.headers.getlist("Vary") == theirs.headers.getlist("Vary")
