"""gunicorn.conf.py loads with the settings production expects, and `turnabout serve`
runs real gunicorn workers whose metrics add up in Prometheus multiprocess mode."""

from __future__ import annotations

import json
import multiprocessing
import os
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import sqlalchemy as sa
from gunicorn.app.wsgiapp import WSGIApplication
from prometheus_client.parser import text_string_to_metric_families

ROOT = Path(__file__).resolve().parents[1]
CONF = ROOT / "gunicorn.conf.py"


def load_config(monkeypatch, tmp_path, **env):
    """gunicorn's own loader, as `gunicorn -c gunicorn.conf.py wsgi:app` runs it."""
    for name in ("WEB_CONCURRENCY", "TRUSTED_PROXIES", "FORWARDED_ALLOW_IPS", "TURNABOUT_BIND"):
        monkeypatch.delenv(name, raising=False)
    # The file sets this variable for the processes it starts; set through monkeypatch it
    # is removed again after the test (a variable merely deleted would not be), or this
    # process's own metrics would switch to multiprocess mode for the tests that follow.
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path / "metrics"))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(sys, "argv", ["gunicorn", "-c", str(CONF), "wsgi:app"])
    return WSGIApplication("%(prog)s [OPTIONS] [APP_MODULE]").cfg


def test_defaults(monkeypatch, tmp_path):
    cfg = load_config(monkeypatch, tmp_path)
    assert cfg.workers == multiprocessing.cpu_count() * 2 + 1
    assert cfg.bind == ["127.0.0.1:8000"]
    assert (cfg.timeout, cfg.graceful_timeout, cfg.worker_class_str) == (30, 30, "sync")
    assert cfg.forwarded_allow_ips == []  # no proxy: nobody may claim https for a client
    assert cfg.accesslog is None  # the app writes the request lines
    for leaky in ("%(r)s", "%(U)s", "%(q)s", "%(h)s", "%(f)s"):  # path, query, client
        assert leaky not in cfg.access_log_format
    folder = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    folder.mkdir()
    (folder / "counter_1.db").write_bytes(b"left by the previous run")
    cfg.on_starting(None)
    assert folder.is_dir() and not any(folder.iterdir())


def test_gunicorn_access_log_only_when_asked(monkeypatch, tmp_path):
    cfg = load_config(monkeypatch, tmp_path)
    quiet = object.__new__(cfg.logger_class)  # without setup(): it reconfigures logging
    quiet.cfg = cfg
    assert not quiet.access_log_enabled
    quiet.access(None, None, {}, None)  # returns before reading any of them

    monkeypatch.setattr(sys, "argv", ["gunicorn", "-c", str(CONF), "--access-logfile", "-", "x"])
    cfg = WSGIApplication("%(prog)s [OPTIONS] [APP_MODULE]").cfg
    asked = object.__new__(cfg.logger_class)
    asked.cfg = cfg
    assert asked.access_log_enabled


def test_behind_a_proxy_and_sized_by_the_environment(monkeypatch, tmp_path):
    cfg = load_config(
        monkeypatch, tmp_path, TRUSTED_PROXIES="1", WEB_CONCURRENCY="3", WEB_TIMEOUT="45"
    )
    assert cfg.forwarded_allow_ips == ["*"]  # the app's ProxyFix takes exactly one hop
    assert (cfg.workers, cfg.timeout) == (3, 45)


def test_gunicorn_logs_through_the_json_formatter(monkeypatch, tmp_path):
    cfg = load_config(monkeypatch, tmp_path)
    from logging.config import _resolve

    factory = _resolve(cfg.logconfig_dict["formatters"]["json"]["()"])
    from service.logs import JsonLogFormatter

    assert factory is JsonLogFormatter
    assert cfg.logconfig_dict["loggers"]["gunicorn.error"]["handlers"] == ["stderr"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str, token: str | None = None) -> str:
    request = urllib.request.Request(url)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.read().decode()


@pytest.fixture
def served(tmp_path, redis, redis_url):
    """`turnabout serve` with two workers on a free loopback port."""
    from service.database import Model
    from service.models import AdminUser  # noqa: F401  (complete metadata)

    database = tmp_path / "served.db"
    engine = sa.create_engine(f"sqlite:///{database}")
    Model.metadata.create_all(engine)
    engine.dispose()
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "REDIS_URL": redis_url,
        "TURNABOUT_INSTANCE": str(tmp_path / "instance"),
        "METRICS_TOKEN": "t" * 32,
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"),
    }
    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "service", "serve", "--bind", f"127.0.0.1:{port}", "-w", "2"],
        env=env, cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            get(f"{base}/healthz")
            break
        except OSError:
            assert server.poll() is None, (tmp_path / "gunicorn.log").read_text()[-3000:]
            assert time.monotonic() < deadline, "gunicorn did not answer within 90 s"
            time.sleep(0.3)
    yield base, tmp_path / "metrics", tmp_path / "gunicorn.log"
    server.terminate()
    server.wait(timeout=30)
    log.close()


def healthz_count(base: str) -> float:
    text = get(f"{base}/metrics", token="t" * 32)
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == "turnabout_http_requests_total" and sample.labels == {
                "method": "GET", "endpoint": "health.healthz", "status": "200"
            }:  # fmt: skip
                return sample.value
    return 0.0


def test_metrics_of_every_worker_add_up(served):
    base, folder, log = served
    before = healthz_count(base)  # the start-up poll's requests
    sent = 0
    with ThreadPoolExecutor(8) as pool:
        # Until both workers have answered some (each writes files named by its pid).
        while len({path.stem.rsplit("_", 1)[-1] for path in folder.glob("counter_*.db")}) < 2:
            list(pool.map(lambda _: get(f"{base}/healthz"), range(16)))
            sent += 16
            assert sent < 1000, "one gunicorn worker answered everything"
    total = healthz_count(base)
    assert total - before == sent

    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    requests = [line for line in lines if line.get("event") == "request"]
    assert len([r for r in requests if r["endpoint"] == "health.healthz"]) == total
    assert any("Booting worker" in line["message"] for line in lines)  # gunicorn's own, JSON
    assert all(line["request_id"] for line in requests)
    # One line per request, the app's: gunicorn's access log is off unless asked for.
    assert not [line for line in lines if line["logger"] == "gunicorn.access"]
