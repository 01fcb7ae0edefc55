"""gunicorn settings for Turnabout: `turnabout serve` (or `gunicorn -c gunicorn.conf.py wsgi:app`).

Each setting can be changed from the environment without editing this file:
TURNABOUT_BIND, WEB_CONCURRENCY, WEB_TIMEOUT; arguments to `turnabout serve` win over both.
"""

import multiprocessing
import os
import shutil
import tempfile
from pathlib import Path

from gunicorn.glogging import Logger

from service.logs import skip_unused_record_fields

# Loopback by default: a reverse proxy (nginx, a load balancer) is in front in production.
bind = os.environ.get("TURNABOUT_BIND", "127.0.0.1:8000")

# Sync workers: pages spend their time in Python and the database, not waiting on clients
# (the proxy buffers slow clients). 2 x cores + 1 keeps the CPUs busy while some wait.
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)
worker_class = "sync"

# No page takes seconds; the inbound webhook stores a message of up to 10 MB and answers.
timeout = int(os.environ.get("WEB_TIMEOUT", "30"))
graceful_timeout = 30
# Each worker tells the master it is alive by touching a file after every request; in
# memory that costs nothing, where a disk-backed /tmp (a container's overlay) can block.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
keepalive = 5
# Workers are not recycled (no max_requests): each recycled worker would leave its metrics
# files behind (see below), and every scrape reads them all.

# Trust X-Forwarded-Proto only from the proxies the app trusts (TRUSTED_PROXIES hops,
# applied by the app with ProxyFix). With no proxy, trust no one, or clients could
# claim https.
_trusted_proxies = int(os.environ.get("TRUSTED_PROXIES") or 0)
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS") or ("*" if _trusted_proxies else "")

# The app writes one JSON line per request (service/ops/access.py) with its endpoint,
# status, duration and request id, and never the path: paths carry signed tokens and the
# inbound webhook secret. gunicorn's own access log stays off; turned on with
# `--access-logfile -`, it uses this format, which leaves out the path and client address.
accesslog = None
access_log_format = (
    '{"event": "access", "method": "%(m)s", "status": "%(s)s", '
    '"duration_us": "%(D)s", "bytes": "%(B)s", "request_id": "%({x-request-id}o)s"}'
)


class AccessLogOnlyWhenAsked(Logger):
    """gunicorn counts a logging configuration (logconfig_dict, below) as asking for its
    access log: without this, every request wrote a second line (gunicorn.access, next to
    the app's) and first copied every request header and WSGI variable into a dict for
    it, in bare Flask's share of bench/bench_web.py too. Here the access log is written
    only when asked for, with --access-logfile or to syslog."""

    @property
    def access_log_enabled(self):
        cfg = self.cfg
        return cfg.accesslog is not None or bool(
            cfg.syslog and not cfg.disable_redirect_access_to_syslog
        )

    def access(self, resp, req, environ, request_time):
        if self.access_log_enabled:
            super().access(resp, req, environ, request_time)


logger_class = AccessLogOnlyWhenAsked

# gunicorn's own messages (starting, worker timeouts) as JSON lines too, on stderr.
skip_unused_record_fields()
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "service.logs.JsonLogFormatter"}},
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "stream": "ext://sys.stderr",
        }
    },
    "root": {"level": os.environ.get("LOG_LEVEL", "INFO").upper(), "handlers": ["stderr"]},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["stderr"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["stderr"], "propagate": False},
    },
}

# Prometheus multiprocess mode: every worker writes its metrics to files in this folder
# and /metrics adds them up. It must be set before the app (prometheus-client) is
# imported, which gunicorn does after reading this file.
os.environ.setdefault(
    "PROMETHEUS_MULTIPROC_DIR",
    os.path.join(tempfile.gettempdir(), f"turnabout-metrics-{os.getpid()}"),
)


def on_starting(server):
    """Start from an empty metrics folder: files of a previous run would be added in."""
    folder = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
