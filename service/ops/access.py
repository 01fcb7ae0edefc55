"""Per request: an id (X-Request-ID), one JSON log line, request count and latency.

This runs on every request, so it stays cheap: no database, no Redis, one log record,
two metric updates (bench/bench_middleware.py measures what it costs). The log line names
the endpoint, never the path: paths carry signed tokens and the inbound webhook secret.
"""

from __future__ import annotations

import logging
import time

from flask import Flask, g, request

from service.logs import REQUEST_ID_HEADER, request_id_from, request_id_var
from service.ops.metrics import observe_request

log = logging.getLogger("turnabout.request")
_REQUEST_ID_VARIABLE = "HTTP_" + REQUEST_ID_HEADER.upper().replace("-", "_")


def init_app(app: Flask) -> None:
    app.before_request(_start)
    app.after_request(_finish)
    app.teardown_request(_forget)


def _start() -> None:
    # The objects behind Flask's proxies, looked up once: each attribute read through a
    # proxy costs a look-up of its own, and these hooks run on every request.
    state = g._get_current_object()
    state.request_started = time.perf_counter()
    # From the WSGI environ: request.headers.get of a missing header raises and catches.
    request_id = request_id_from(request.environ.get(_REQUEST_ID_VARIABLE))
    state.request_id = request_id
    state.request_id_token = request_id_var.set(request_id)


def _finish(response):
    state = g._get_current_object()
    started = state.get("request_started")
    if started is None:  # a before_request hook of another feature ended the request first
        return response
    seconds = time.perf_counter() - started
    current = request._get_current_object()
    method, endpoint, status = current.method, current.endpoint or "unmatched", response.status_code
    observe_request(method, endpoint, status, seconds)
    response.headers[REQUEST_ID_HEADER] = state.request_id
    if log.isEnabledFor(logging.INFO):
        log.info(
            "%s %s %s",
            method,
            endpoint,
            status,
            extra={
                "event": "request",
                "method": method,
                "endpoint": endpoint,
                "status": status,
                "duration_ms": round(seconds * 1000, 2),
            },
        )
    return response


def _forget(_exc=None) -> None:
    token = g._get_current_object().pop("request_id_token", None)
    if token is not None:
        request_id_var.reset(token)
