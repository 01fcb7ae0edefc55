"""The RQ worker: every job runs inside an app context given by the worker.

Job functions are plain functions taking ids; they use `db.session` and `current_app` as a
view would. The app is built once by the worker process (`turnabout worker`), never at
import.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
import resource
from pathlib import Path

from flask import Flask
from rq import SimpleWorker, Worker
from sqlalchemy import text

import service
from service.extensions import db
from service.links import url_adapter
from service.mail.render import inline_css, load_templates
from service.ops.joblog import job_logged
from service.queues import ALL_QUEUES, INBOUND, get_queue
from service.redis_conn import get_redis

log = logging.getLogger(__name__)


class _AppContextMixin:
    app: Flask

    def perform_job(self, job, queue, execution):  # runs in the work horse
        with self.app.app_context(), job_logged(job, queue.name) as run:
            run.ok = super().perform_job(job, queue, execution)
            return run.ok


class _PromptExitMixin:
    """A worker exits when told to, not up to a minute later.

    rq's unsubscribe() sends UNSUBSCRIBE, whose reply wakes its pub/sub thread from a
    60-second read, then stops the thread, and redis-py's stop() waits for it to end. When
    the thread reads the reply before it is told to stop, it starts another 60-second read
    and the worker hangs that long on its way out (a `--burst` run or a SIGTERM, about one
    exit in three on the test machine). Told first, the thread ends on the reply."""

    def unsubscribe(self):
        thread = getattr(self, "pubsub_thread", None)
        if thread is not None:
            thread._running.clear()  # what stop() does before it waits, redis-py 5 to 8
        super().unsubscribe()


class AppWorker(_PromptExitMixin, _AppContextMixin, Worker):
    """Forks a work horse per job: a crash or leak in one job cannot take the worker down."""

    def main_work_horse(self, job, queue):
        # A forked child must not reuse the parent's database sockets.

        with self.app.app_context():
            for engine in db.engines.values():
                engine.dispose(close=False)
        if queue.name == INBOUND:
            limit_memory(INBOUND_MEMORY_CEILING_MB)
        return super().main_work_horse(job, queue)


# An inbound job handles what strangers send: whatever the parser's limits miss, it may
# not grow the work horse by more than this (it gets a MemoryError, the message is marked
# failed) instead of taking the machine's memory from everyone else.
INBOUND_MEMORY_CEILING_MB = 512


def limit_memory(extra_mb: int) -> None:
    """Cap this process's data segment (heap and anonymous mappings, RLIMIT_DATA) at its
    current size plus `extra_mb`. Called in a forked work horse, so the worker itself
    and other jobs are not affected."""
    try:
        lines = Path("/proc/self/status").read_text().splitlines()
        current_kb = int(next(x for x in lines if x.startswith("VmData:")).split()[1])
    except (OSError, StopIteration, ValueError):  # not Linux: no ceiling rather than a wrong one
        return
    limit = (current_kb * 1024) + extra_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))


class AppSimpleWorker(_PromptExitMixin, _AppContextMixin, SimpleWorker):
    """Runs jobs in-process: used by tests and `--burst` runs where forking buys nothing."""


def warm_up(app: Flask) -> None:
    """Load once, in the worker, what every job would otherwise load again.

    The forking worker runs each job in a fresh child, so whatever the parent has not
    imported, connected or compiled, every job pays for: importing the rounds package
    (scipy with it) took a third of a second per job, and the first database connection,
    the email templates and the CSS inliner came on top. A round of 100k emails took 34 s
    instead of 45 (bench/bench_round.py)."""
    for module in pkgutil.walk_packages(service.__path__, "service."):
        if module.name != "service.__main__" and not module.name.startswith("service.migrations"):
            importlib.import_module(module.name)
    with app.app_context():
        try:
            for engine in db.engines.values():
                with engine.connect() as connection:  # imports the driver, reads settings
                    connection.execute(text("SELECT 1"))
                engine.dispose()  # children open their own connections
            load_templates()
        except Exception:  # a job will meet the same problem and report it with its data
            log.exception("worker warm-up incomplete; jobs will load what they need")
        inline_css("<p></p>")
        url_adapter()


def build_worker(app: Flask, *, simple: bool = False, queues=ALL_QUEUES, name=None):
    worker_class = AppSimpleWorker if simple else AppWorker
    if not simple:
        warm_up(app)
    with app.app_context():
        rq_queues = [get_queue(q) for q in queues]
        worker = worker_class(rq_queues, connection=get_redis(app), name=name)
    worker.app = app
    return worker
