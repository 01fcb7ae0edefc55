"""`turnabout dev` as an operator runs it: web, worker and scheduler share one embedded
Redis, a signup on the web reaches the worker and lands in the outbox, Ctrl-C stops all."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.3)
    return False


def answers(url: str) -> bool:
    try:
        return urllib.request.urlopen(url, timeout=2).status == 200
    except OSError:
        return False


@pytest.mark.slow
def test_make_dev_processes_share_one_redis_and_stop_together(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")}
    env.update(TURNABOUT_INSTANCE=str(tmp_path / "instance"), MAIL_BACKEND="outbox")
    env.pop("OUTBOX_DIR", None)
    for args in (["db", "upgrade"], ["seed"]):
        subprocess.run(
            [sys.executable, "-m", "service", *args],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
            timeout=120,
        )
    port = free_port()
    dev = subprocess.Popen(
        [sys.executable, "-m", "service", "dev", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        assert wait_for(lambda: answers(base + "/healthz")), "the web process did not start"
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        page = opener.open(base + "/", timeout=10).read().decode()
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        form = urllib.parse.urlencode(
            {
                "csrf_token": token,
                "email": "ana@example.org",
                "name": "Ana",
                "role": "learner",
                "themes": "tech-savvy",
                "timezone": "Europe/Berlin",
            }
        ).encode()
        assert opener.open(base + "/subscribe", data=form, timeout=10).status == 200
        outbox = tmp_path / "instance" / "outbox"
        assert wait_for(lambda: any(outbox.glob("*.eml"))), "the worker never sent the email"
    finally:
        dev.send_signal(signal.SIGINT)
        output = dev.communicate(timeout=30)[0].decode(errors="replace")
    assert "Outbox (sent mail)" in output
    # web, worker and scheduler were started in the supervisor's own process group
    assert wait_for(lambda: process_group(dev.pid) == [], timeout=15), process_group(dev.pid)


def process_group(pgid: int) -> list[str]:
    found = subprocess.run(["pgrep", "-g", str(pgid)], capture_output=True, text=True)
    return found.stdout.split()
