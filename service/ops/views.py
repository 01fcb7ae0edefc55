"""GET /metrics: Prometheus text format, for a scraper holding METRICS_TOKEN.

With METRICS_TOKEN set, the scraper sends `Authorization: Bearer <token>`; anything else
gets 401/403. Without it the endpoint is open in development and absent (404) in
production, so a fresh deployment never publishes its numbers by accident.
"""

from __future__ import annotations

import hmac

from flask import Blueprint, Response, abort, current_app, request
from prometheus_client import CONTENT_TYPE_LATEST

from service.ops.gauges import ServiceCollector
from service.ops.metrics import exposition

bp = Blueprint("ops", __name__)


@bp.get("/metrics")
def metrics():
    check_metrics_token()
    return Response(exposition(ServiceCollector()), content_type=CONTENT_TYPE_LATEST)


def check_metrics_token() -> None:
    expected = current_app.config["METRICS_TOKEN"]
    if not expected:
        if current_app.config["PRODUCTION"]:
            abort(404)
        return
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not given:
        # RFC 6750: a 401 names the scheme it wants, so a scraper's error says what to send.
        challenge = {"WWW-Authenticate": 'Bearer realm="metrics"'}
        abort(Response("Send the METRICS_TOKEN as a bearer token.\n", 401, challenge))
    if not hmac.compare_digest(given.encode(), expected.encode()):
        abort(403)
