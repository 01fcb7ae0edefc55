"""What the per-request middleware (service/ops/access.py) costs: request id, one JSON log
line, request count and latency.

    .venv/bin/python bench/bench_middleware.py [--requests 20000] [--rounds 5]

Calls the WSGI app in-process for GET /healthz (a trivial view, so the middleware's
share is as large as it gets), with the middleware and with its three hooks taken out,
alternating rounds and keeping each side's best. Production-like: Prometheus
multiprocess mode (values in files, as under gunicorn) and a JSON log handler writing
every line (to /dev/null). SQLite and the embedded Redis: the view touches neither.
Prints numbers, asserts nothing.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import time

os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="bench-metrics-")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from service import create_app  # noqa: E402  (after the multiprocess switch)
from service.logs import configure_logging  # noqa: E402
from service.ops import access  # noqa: E402

ENVIRON = {
    "REQUEST_METHOD": "GET",
    "PATH_INFO": "/healthz",
    "SERVER_NAME": "127.0.0.1",
    "SERVER_PORT": "8000",
    "SERVER_PROTOCOL": "HTTP/1.1",
    "wsgi.url_scheme": "http",
    "wsgi.input": None,
    "wsgi.errors": sys.stderr,
}


def build(instance: str, with_middleware: bool):
    app = create_app({"INSTANCE_PATH": instance, "RATELIMIT_ENABLED": False})
    if not with_middleware:
        hooks = (access._start, access._finish, access._forget)
        for registry in (app.before_request_funcs, app.after_request_funcs,
                         app.teardown_request_funcs):  # fmt: skip
            for key, funcs in registry.items():
                registry[key] = [f for f in funcs if f not in hooks]
    return app


def rate(app, requests: int) -> float:
    def start_response(status, headers, exc_info=None):
        assert status.startswith("200"), status

    # CPU time, not wall time: other processes on a shared machine then move it less.
    started = time.process_time()
    for _ in range(requests):
        body = app.wsgi_app(dict(ENVIRON), start_response)
        b"".join(body)
        getattr(body, "close", lambda: None)()
    return requests / (time.process_time() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    configure_logging(stream=open(os.devnull, "w"))  # noqa: SIM115  (lives as long as the run)
    logging.getLogger("rq").setLevel(logging.WARNING)
    instance = tempfile.mkdtemp(prefix="bench-middleware-")
    apps = {"without": build(instance, False), "with": build(instance, True)}
    for app in apps.values():
        rate(app, 500)  # warm up: imports, first connection
    best = {name: 0.0 for name in apps}
    for _ in range(args.rounds):
        for name, app in apps.items():
            best[name] = max(best[name], rate(app, args.requests))
    cost_us = (1 / best["with"] - 1 / best["without"]) * 1e6
    print(f"GET /healthz in-process, {args.requests:,} requests x {args.rounds} rounds, best:")
    print(f"  without middleware: {best['without']:8,.0f} req/s")
    print(f"  with middleware:    {best['with']:8,.0f} req/s")
    print(f"  middleware cost:    {cost_us:8.1f} us per request "
          f"({100 * (1 - best['with'] / best['without']):.1f}% of a trivial request)")  # fmt: skip


if __name__ == "__main__":
    main()
