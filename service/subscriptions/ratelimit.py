"""Per-IP limits on signup and on the pages behind signed links.

Flask-Limiter's decorators check a limit when the view runs, after CSRFProtect has
already rejected a request without a valid token, so a burst of forged posts would never
be counted. These limits are therefore checked in the blueprint's first before_request
hook, before the CSRF check, using Flask-Limiter's own storage (Redis in production).
"""

from __future__ import annotations

import time

from flask import current_app, request
from flask_limiter.util import get_remote_address
from limits import parse_many
from werkzeug.exceptions import TooManyRequests

from service.extensions import limiter

# Override in config for a busy office behind one NAT address.
DEFAULTS = {
    "SIGNUP_RATE_LIMIT": "10/minute;60/hour",  # POST /subscribe
    "TOKEN_RATE_LIMIT": "60/minute;600/hour",  # confirm, join, preference pages, together
    "UNSUBSCRIBE_RATE_LIMIT": "120/minute",  # /u/: mail providers' one-click POSTs share IPs
}

# endpoint -> (config key, methods limited); endpoints not listed use TOKEN_RATE_LIMIT.
SPECIAL = {
    "subscriptions.landing": (None, ()),
    "subscriptions.timezone_list": (None, ()),
    "subscriptions.subscribe": ("SIGNUP_RATE_LIMIT", ("POST",)),
    "subscriptions.unsubscribe": ("UNSUBSCRIBE_RATE_LIMIT", ("GET", "HEAD", "POST")),
}


def check_rate_limit() -> None:
    if not limiter.enabled or request.endpoint is None:
        return
    config_key, methods = SPECIAL.get(
        request.endpoint, ("TOKEN_RATE_LIMIT", ("GET", "HEAD", "POST"))
    )
    if config_key is None or request.method not in methods:
        return
    address = get_remote_address()
    for item in parse_many(current_app.config[config_key]):
        if not limiter.limiter.hit(item, "subscriptions", config_key, address):
            stats = limiter.limiter.get_window_stats(item, "subscriptions", config_key, address)
            raise TooManyRequests(retry_after=max(1, int(stats.reset_time - time.time())))
