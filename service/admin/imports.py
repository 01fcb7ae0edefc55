"""CSV imports run as a background job: a list of a few thousand people takes longer to
invite than a web request should last (about 10-25 ms per row: each invitation checks
the address, stores the person and queues their email).

The request validates every row and answers at once when one is broken (nothing is
imported). Valid lists are handed to `run_import`, which invites every row in ONE
transaction: all invitations are queued, or none. The batch and its report live in Redis
for a week (the audit log keeps the permanent record of who imported how many).
"""

from __future__ import annotations

import json
import secrets
from dataclasses import asdict

from service.admin.audit import record_as
from service.database import utcnow
from service.extensions import db
from service.queues import DEFAULT, enqueue
from service.redis_conn import get_redis
from service.subscriptions import actions

TTL_SECONDS = 7 * 24 * 3600


def _key(import_id: str) -> str:
    return f"admin:import:{import_id}"


def load(import_id: str) -> dict | None:
    raw = get_redis().get(_key(import_id))
    return json.loads(raw) if raw else None


def _save(import_id: str, batch: dict) -> None:
    get_redis().set(_key(import_id), json.dumps(batch), ex=TTL_SECONDS)


def start_import(checked, *, admin_id: int, filename: str) -> str:
    """Store the validated rows and queue the job; returns the id of the report page."""
    import_id = secrets.token_urlsafe(12)
    _save(
        import_id,
        {
            "admin_id": admin_id,
            "filename": filename,
            "created_at": utcnow().isoformat(timespec="seconds"),
            "rows": [asdict(row) for row in checked.rows],
            "duplicates": checked.duplicates,
            "report": None,
            "error": None,
        },
    )
    enqueue(DEFAULT, run_import, import_id, job_id=f"admin-import-{import_id}")
    return import_id


def run_import(import_id: str) -> None:
    """The job. Idempotent: a batch that already has its report is left alone."""
    batch = load(import_id)
    if batch is None or batch["report"] is not None:
        return
    report = {"invited": [], "exists": [], "suppressed": [], "duplicates": batch["duplicates"]}
    try:
        for row in batch["rows"]:
            outcome = actions.invite(
                row["email"],
                name=row["name"],
                team=row["team"],
                role=row["role"],
                themes=row["themes"],
            )
            report[outcome].append((row["line"], row["email"]))
        record_as(
            batch["admin_id"],
            "subscriber.import",
            "subscriber",
            None,
            detail=f"{len(report['invited'])} invited, {len(report['exists'])} already "
            f"subscribed, {len(report['suppressed'])} blocked, "
            f"{len(report['duplicates'])} duplicate rows ({batch['filename']})",
        )
        db.session.commit()
    except Exception as exc:
        db.session.rollback()
        batch["error"] = f"{type(exc).__name__}: {exc}"[:300]
        _save(import_id, batch)
        raise  # rq keeps the failed job: Delivery health shows it with a retry button
    batch.update(report=report, error=None, rows=[])
    _save(import_id, batch)
