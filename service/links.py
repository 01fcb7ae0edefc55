"""Absolute links for emails, built from BASE_URL without needing a request."""

from __future__ import annotations

from flask import current_app


def external_url(endpoint: str, **values) -> str:
    return current_app.config["BASE_URL"] + url_adapter().build(endpoint, values)


def url_adapter():
    # Binding the URL map is the costly part; a bulk send builds several links per email.
    adapter = current_app.extensions.get("email_url_adapter")
    if adapter is None:
        adapter = current_app.url_map.bind("localhost", script_name="/")
        current_app.extensions["email_url_adapter"] = adapter
    return adapter
