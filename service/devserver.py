"""`turnabout dev`: web, worker and scheduler in one terminal; Ctrl-C stops all three."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import click


def run_dev(port: int) -> None:
    base = [sys.executable, "-m", "service"]
    commands = {
        "web": base + ["run", "--port", str(port), "--debug"],
        "worker": base + ["worker"],
        "cron": base + ["cron"],
    }
    processes = {name: subprocess.Popen(cmd) for name, cmd in commands.items()}
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
