"""The `turnabout` command: Flask's CLI with the app factory, plus the service's commands.

Commands are attached to `app.cli` by create_app(), so `turnabout`, `flask --app service`
and the test CLI runner all see the same set. Features contribute commands through a
COMMANDS list in their own `commands` module.
"""

from __future__ import annotations

import importlib
import os
import secrets
import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

from service.devserver import run_dev
from service.extensions import db
from service.inbound.trim_eval import main as evaluate
from service.jobs import build_worker
from service.logs import configure_logging
from service.mail.emails import mail_check
from service.ops.doctor import run_doctor
from service.ops.serve import exec_gunicorn
from service.queues import ALL_QUEUES
from service.scheduler import run_scheduler

FEATURE_COMMAND_MODULES = (
    "service.rounds.commands",
    "service.inbound.commands",
    "service.admin.commands",
)


def _create_app(config: dict | None = None):
    from service import create_app  # the factory's own module imports this one

    return create_app(config)


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False)
def main():
    """Turnabout: reverse mentoring by email."""


@click.command("worker")
@click.option("--burst", is_flag=True, help="Run until the queues are empty, then exit.")
@click.option("--simple", is_flag=True, help="Run jobs in this process instead of forking.")
@click.option("--name", default=None, help="Worker name shown in monitoring.")
@click.option(
    "--queues",
    default=None,
    help="Comma-separated queues to listen to, in priority order (default: all), e.g. "
    "`inbound` for a dedicated inbound pool and `mail,rounds,default` for the others.",
)
@with_appcontext
def worker_command(burst: bool, simple: bool, name: str | None, queues: str | None):
    """Run an RQ worker on every queue of the service (or on --queues)."""

    chosen = tuple(q.strip() for q in queues.split(",") if q.strip()) if queues else ALL_QUEUES
    unknown = [q for q in chosen if q not in ALL_QUEUES]
    if unknown or not chosen:
        raise click.BadParameter(
            f"unknown queue {', '.join(unknown) or '(none)'}; choose from {', '.join(ALL_QUEUES)}",
            param_hint="--queues",
        )
    configure_logging()
    app = current_app._get_current_object()
    worker = build_worker(app, simple=simple, name=name, queues=chosen)
    worker.work(burst=burst, with_scheduler=True)


@click.command("cron")
@with_appcontext
def cron_command():
    """Run THE scheduler (exactly one per deployment). Evaluates cron strings in UTC."""
    os.environ["TZ"] = "UTC"  # rq's cron uses local time; the service schedules in UTC
    time.tzset()

    configure_logging()
    run_scheduler(current_app._get_current_object())


@click.command("dev")
@click.option("--port", default=5000, show_default=True)
def dev_command(port: int):
    """Run web, worker and scheduler together for development; Ctrl-C stops them all."""

    run_dev(port)


@click.command("send-test-email")
@click.argument("address")
@with_appcontext
def send_test_email_command(address: str):
    """Queue a test message to ADDRESS through the configured MAIL_BACKEND."""

    row = mail_check(key=f"test-email:{secrets.token_hex(8)}", to=address)
    db.session.commit()
    click.echo(f"Queued test email {row.id} to {address}; a worker will send it.")


@click.command("trim-eval")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def trim_eval_command(directory):
    """Trim every CASE.txt in DIRECTORY, compare with CASE.expected.txt, print accuracy."""

    raise SystemExit(evaluate(directory))


@main.command("serve", with_appcontext=False, context_settings={"ignore_unknown_options": True})
@click.argument("gunicorn_args", nargs=-1, type=click.UNPROCESSED)
def serve_command(gunicorn_args):
    """Run the web app under gunicorn with the project's gunicorn.conf.py.

    Extra arguments go to gunicorn, e.g. `turnabout serve --bind 0.0.0.0:8000 -w 4`."""

    exec_gunicorn(list(gunicorn_args))


@main.command("doctor", with_appcontext=False)
def doctor_command():
    """Check configuration, database, Redis, mail transport, scheduler, workers and the
    inbound webhook; print what is wrong and how to fix it. Exit code 1 if anything is."""
    raise SystemExit(run_doctor(click.echo, _create_app))


BUILTIN_COMMANDS = (
    worker_command,
    cron_command,
    dev_command,
    send_test_email_command,
    trim_eval_command,
)


def register_commands(app) -> None:
    for command in BUILTIN_COMMANDS:
        app.cli.add_command(command)
    for module_name in FEATURE_COMMAND_MODULES:
        # Imported here, not at the top: the feature modules need the app's extensions
        # set up first. A name in the list that does not exist is an error, not a skip.
        module = importlib.import_module(module_name)
        for command in module.COMMANDS:
            app.cli.add_command(command)
