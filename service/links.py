"""Absolute links for emails, built from BASE_URL without needing a request; and what every
page behind a signed link shares: private headers, reads without a transaction."""

from __future__ import annotations

import re
import secrets

from flask import current_app, request

from service.autocommit import autocommit_request
from service.extensions import db

# A signed token carries only characters werkzeug writes into a URL as they are (URL-safe
# base64 and dots), so a signed link's page URL can be built once with TOKEN_PLACEHOLDER
# and each token written in with str.replace: werkzeug's build costs ~3-8 us a call.
URL_SAFE_TOKEN = re.compile(r"[A-Za-z0-9_.-]+\Z")
TOKEN_PLACEHOLDER = "token" + secrets.token_hex(12)  # appears in no route and no page


def external_url(endpoint: str, **values) -> str:
    return current_app.config["BASE_URL"] + url_adapter().build(endpoint, values)


def url_adapter():
    # Binding the URL map is the costly part; a bulk send builds several links per email.
    adapter = current_app.extensions.get("email_url_adapter")
    if adapter is None:
        adapter = current_app.url_map.bind("localhost", script_name="/")
        current_app.extensions["email_url_adapter"] = adapter
    return adapter


def private_pages(response):
    """Every page behind a signed link (a `token` in its URL: /a, /c, /join, /p, /u)
    shows personal data and carries the token in its URL: no caching by shared proxies,
    no search indexing, no Referer to other sites. Registered for the whole app, so a
    new signed-link page is covered without asking."""
    view_args = request._get_current_object().view_args  # one proxy look-up, not two
    if view_args and "token" in view_args:
        response.headers["Cache-Control"] = "no-store"
        response.headers["X-Robots-Tag"] = "noindex"
        response.headers["Referrer-Policy"] = "no-referrer"
    return response


def read_without_transaction(*, with_session: bool = True) -> None:
    """Pages behind a signed link, opened with GET or HEAD, only read (mail scanners open
    every link). On PostgreSQL a transaction costs two round trips of its own, BEGIN before
    the first query and ROLLBACK at the end, and on a busy machine each round trip waits
    for the scheduler: these requests read in autocommit mode instead, on PostgreSQL on a
    connection each process keeps (service.autocommit), elsewhere on the session's. Each
    SELECT still sees the latest committed data, as it does in the default READ COMMITTED.

    A blueprint's before-request hook, or called by a view before its first statement:
    without `with_session`, a page that reads only through service.direct_sql leaves the
    ORM session unmade (making and closing it cost the one-click page ~6% of its CPU
    time); anything that asks for one then gets a pooled connection, in a transaction."""
    current = request._get_current_object()  # one proxy look-up, not two
    if current.method not in ("GET", "HEAD") or "token" not in (current.view_args or {}):
        return
    if not autocommit_request(with_session=with_session) and not db.session.in_transaction():
        db.session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
