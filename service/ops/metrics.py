"""Prometheus metrics of the web processes: requests and their latency per endpoint.

Under gunicorn every worker is a process of its own; with PROMETHEUS_MULTIPROC_DIR set
(gunicorn.conf.py sets it before the app is imported) prometheus-client keeps each
process's values in a file there and a scrape adds them up. Without it (tests, `turnabout
dev`) values live in this process. The service's own numbers (queues, emails, rounds) are
read from the database and Redis when scraped: service/ops/gauges.py.
"""

from __future__ import annotations

import os

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

REGISTRY = CollectorRegistry()

REQUESTS = Counter(
    "turnabout_http_requests",
    "HTTP requests answered, by method, Flask endpoint and status code.",
    ["method", "endpoint", "status"],
    registry=REGISTRY,
)
LATENCY = Histogram(
    "turnabout_http_request_duration_seconds",
    "Time from the start of the request to the response, by Flask endpoint.",
    ["endpoint"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
    registry=REGISTRY,
)


# (method, endpoint, status) -> its counter and histogram: looking a labelled child up
# costs more than updating it. Bounded: endpoints are route names, not paths.
_children: dict[tuple, tuple] = {}


def observe_request(method: str, endpoint: str, status: int, seconds: float) -> None:
    key = (method, endpoint, status)
    children = _children.get(key)
    if children is None:
        children = (REQUESTS.labels(method, endpoint, str(status)), LATENCY.labels(endpoint))
        _children[key] = children
    children[0].inc()
    children[1].observe(seconds)


def multiprocess_dir() -> str | None:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


def exposition(*collectors) -> bytes:
    """The text a scrape gets: request metrics of every web process, then `collectors`."""
    if multiprocess_dir():
        requests = CollectorRegistry()
        MultiProcessCollector(requests)
    else:
        requests = REGISTRY
    service = CollectorRegistry(auto_describe=False)
    for collector in collectors:
        service.register(collector)
    return generate_latest(requests) + generate_latest(service)
