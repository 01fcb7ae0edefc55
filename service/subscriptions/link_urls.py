"""external_url and url_for for a page behind a signed link, with werkzeug's build done
once.

A signup builds its confirmation link on every POST, and werkzeug's URL build (the
route's converters, quoting, the rule's parts) was ~3% of its CPU. The link differs
only in its token, which carries only characters a URL path keeps as they are
(service/tokens.py: URL-safe base64 and dots): the URL is built once per app, endpoint
and BASE_URL with a placeholder, which each token replaces. A page's own link to another
(the unsubscribe page's to the preference centre) is built the same way, per script root,
as the templates' url_for builds it (service/ops/flask_costs.py).
"""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app, request, url_for

from service.links import TOKEN_PLACEHOLDER, URL_SAFE_TOKEN, external_url


def signed_link_url(endpoint: str, token: str) -> str:
    """external_url(endpoint, token=token), the same string."""
    key = (endpoint, current_app.config["BASE_URL"])
    return _from_pattern(key, lambda t: external_url(endpoint, token=t), token)


def signed_link_path(endpoint: str, token: str) -> str:
    """url_for(endpoint, token=token), the same string."""
    key = (endpoint, "path", request.script_root)
    return _from_pattern(key, lambda t: url_for(endpoint, token=t), token)


def _from_pattern(key: tuple, build: Callable[[str], str], token: str) -> str:
    if not URL_SAFE_TOKEN.match(token):
        return build(token)
    known = current_app.extensions.setdefault("signed_link_urls", {})
    url = known.get(key)
    if url is None:
        url = known[key] = build(TOKEN_PLACEHOLDER)
    return url.replace(TOKEN_PLACEHOLDER, token)
