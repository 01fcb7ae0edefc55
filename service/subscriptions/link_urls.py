"""external_url for a page behind a signed link, with werkzeug's build done once.

A signup builds its confirmation link on every POST, and werkzeug's URL build (the
route's converters, quoting, the rule's parts) was ~3% of its CPU. The link differs
only in its token, which carries only characters a URL path keeps as they are
(service/tokens.py: URL-safe base64 and dots): the URL is built once per app, endpoint
and BASE_URL with a placeholder, which each token replaces.
"""

from __future__ import annotations

from flask import current_app

from service.links import TOKEN_PLACEHOLDER, URL_SAFE_TOKEN, external_url


def signed_link_url(endpoint: str, token: str) -> str:
    """external_url(endpoint, token=token), the same string."""
    if not URL_SAFE_TOKEN.match(token):
        return external_url(endpoint, token=token)
    known = current_app.extensions.setdefault("signed_link_urls", {})
    key = (endpoint, current_app.config["BASE_URL"])
    url = known.get(key)
    if url is None:
        url = known[key] = external_url(endpoint, token=TOKEN_PLACEHOLDER)
    return url.replace(TOKEN_PLACEHOLDER, token)
