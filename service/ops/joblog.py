"""One JSON log line per job, under the id of the request that enqueued it.

The worker wraps each job in `job_logged()`; the job's own log lines, and the jobs it
enqueues, carry the same request id, so one signup can be followed from the web request
to the confirmation email it caused.
"""

from __future__ import annotations

import logging
import time
from contextlib import contextmanager

from service.logs import request_id_var

log = logging.getLogger("turnabout.job")


class JobRun:
    ok: bool = False


@contextmanager
def job_logged(job, queue_name: str):
    token = request_id_var.set(job.meta.get("request_id"))
    started = time.perf_counter()
    run = JobRun()
    try:
        yield run
    finally:
        seconds = time.perf_counter() - started
        status = job.get_status(refresh=False)  # finished, failed, or scheduled for a retry
        log.log(
            logging.INFO if run.ok else logging.WARNING,
            "job %s %s",
            job.func_name,
            "ok" if run.ok else "failed",
            extra={
                "event": "job",
                "job_id": job.id,
                "queue": queue_name,
                "function": job.func_name,
                "outcome": "ok" if run.ok else "failed",
                "status": getattr(status, "value", status),
                "duration_ms": round(seconds * 1000, 2),
            },
        )
        request_id_var.reset(token)
