"""The wiring production depends on: queues, the worker process, the scheduler."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from service.extensions import db
from service.mail.models import EmailState, OutgoingEmail
from service.queues import ALL_QUEUES

ROOT = Path(__file__).resolve().parents[1]


def test_worker_listens_to_every_queue(app):
    from service.jobs import build_worker

    assert build_worker(app).queue_names() == list(ALL_QUEUES)
    # One worker implementation, `turnabout worker`, which the deployment files run.
    assert "worker" in app.cli.list_commands(None)
    assert "worker: turnabout worker" in (ROOT / "deploy" / "Procfile").read_text()


def test_worker_py_is_the_turnabout_worker_command():
    """The top-level worker.py hands its arguments to `turnabout worker`, not to a
    second implementation."""
    shown = subprocess.run(
        [sys.executable, str(ROOT / "worker.py"), "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert shown.returncode == 0, shown.stderr
    assert "Usage: worker.py worker" in shown.stdout
    assert "--queues" in shown.stdout and "--burst" in shown.stdout


def test_the_forking_worker_loads_job_code_before_its_first_fork(tmp_path, redis_url):
    """Each job runs in a fresh fork of the worker: what the worker has not loaded, every
    job loads again. A fresh interpreter shows what building the worker loads."""
    probe = (
        "import sys\n"
        "from service import create_app\n"
        "from service.jobs import build_worker\n"
        "from service.mail.render import _environment\n"
        "app = create_app()\n"
        "build_worker(app)\n"
        "with app.app_context():\n"
        "    env = _environment(app.config['EMAIL_TEMPLATES_DIR'])\n"
        "    print(sorted(m for m in ('service.rounds.dispatch', 'service.mail.delivery', "
        "'scipy', 'sqlite3') if m in sys.modules), len(env.cache), "
        "'email_url_adapter' in app.extensions)\n"
    )
    env = {**os.environ, "TURNABOUT_INSTANCE": str(tmp_path), "REDIS_URL": redis_url}
    env.pop("DATABASE_URL", None)
    out = subprocess.run(
        [sys.executable, "-c", probe], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    loaded, templates, adapter = out.stdout.strip().rsplit(" ", 2)
    assert loaded == "['scipy', 'service.mail.delivery', 'service.rounds.dispatch', 'sqlite3']"
    assert int(templates) >= 3 * 20 and adapter == "True"


def test_every_queue_the_code_enqueues_to_is_listened_to():
    """Queue names must come from service.queues: no string literals elsewhere."""
    from service import queues

    used = set()
    for path in (ROOT / "service").rglob("*.py"):
        text = path.read_text()
        used |= set(re.findall(r"enqueue(?:_after_commit)?\(\s*([A-Z_]+)\s*,", text))
        assert not re.search(r"enqueue(?:_after_commit)?\(\s*['\"]", text), (
            f"{path}: enqueue with a literal queue name; use a constant from service.queues"
        )
    assert used, "no enqueue calls found"
    for name in used:
        assert getattr(queues, name, None) in ALL_QUEUES, f"{name} is not in ALL_QUEUES"


def test_scheduled_jobs_exist_and_go_to_known_queues():
    from service.scheduler import SCHEDULE, resolve

    for dotted, queue, cron, timeout in SCHEDULE:
        assert callable(resolve(dotted)), dotted
        assert queue in ALL_QUEUES
        assert len(cron.split()) == 5
        assert timeout >= 60


def test_the_scheduler_registers_every_job_in_redis(app, redis):
    from service.scheduler import SCHEDULE, build_scheduler

    scheduler = build_scheduler(app)
    jobs = scheduler.get_jobs()
    assert len(jobs) == len(SCHEDULE)
    assert {job.queue_name for job in jobs} <= set(ALL_QUEUES)
    # Cron strings are read in UTC (`turnabout cron` sets TZ=UTC before it starts).
    assert all(job.get_next_enqueue_time() is not None for job in jobs)


def worker_env(app) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=app.config["DATABASE_URL"],
        REDIS_URL=app.config["REDIS_URL"],
        OUTBOX_DIR=app.config["OUTBOX_DIR"],
        SECRET_KEY=app.config["SECRET_KEY"],
        BASE_URL=app.config["BASE_URL"],
        MAIL_FROM=app.config["MAIL_FROM"],
        INBOUND_DOMAIN=app.config["INBOUND_DOMAIN"],
        MAIL_BACKEND="outbox",
        TURNABOUT_INSTANCE=app.instance_path,
    )
    return env


def test_a_job_enqueued_by_the_app_runs_in_a_real_worker_process(app, runner, outbox):
    result = runner.invoke(args=["send-test-email", "ops@example.org"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        row = db.session.scalar(select(OutgoingEmail))
        assert row.state == EmailState.QUEUED
    # A separate process, started like production starts it (forking worker).
    done = subprocess.run(
        [sys.executable, "-m", "service", "worker", "--burst"],
        env=worker_env(app),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    with app.app_context():
        row = db.session.scalar(select(OutgoingEmail))
        assert row.state == EmailState.SENT, row.error
    (message,) = outbox.messages()
    assert message["To"] == "ops@example.org"
