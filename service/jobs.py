"""The RQ worker: every job runs inside an app context given by the worker.

Job functions are plain functions taking ids; they use `db.session` and `current_app`
as a view would. The app is built once by the worker process (worker.py), never at import.
"""

from __future__ import annotations

from flask import Flask
from rq import SimpleWorker, Worker

from service.queues import ALL_QUEUES, get_queue
from service.redis_conn import get_redis


class _AppContextMixin:
    app: Flask

    def perform_job(self, job, queue, execution):  # runs in the work horse
        with self.app.app_context():
            return super().perform_job(job, queue, execution)


class AppWorker(_AppContextMixin, Worker):
    """Forks a work horse per job: a crash or leak in one job cannot take the worker down."""

    def main_work_horse(self, job, queue):
        # A forked child must not reuse the parent's database sockets.
        from service.extensions import db

        with self.app.app_context():
            for engine in db.engines.values():
                engine.dispose(close=False)
        return super().main_work_horse(job, queue)


class AppSimpleWorker(_AppContextMixin, SimpleWorker):
    """Runs jobs in-process: used by tests and `--burst` runs where forking buys nothing."""


def build_worker(app: Flask, *, simple: bool = False, queues=ALL_QUEUES, name=None):
    worker_class = AppSimpleWorker if simple else AppWorker
    with app.app_context():
        rq_queues = [get_queue(q) for q in queues]
        worker = worker_class(rq_queues, connection=get_redis(app), name=name)
    worker.app = app
    return worker
