"""Probes for load balancers and orchestrators.

GET /healthz: the process is alive and answers (liveness: restart it if not).
GET /readyz: the database and Redis answer and the schema is at the latest migration
(readiness: send it traffic only then); 503 naming what is not ready, and how to fix it.
"""

from __future__ import annotations

from flask import Blueprint, jsonify
from sqlalchemy import text

from service.extensions import alembic, db
from service.redis_conn import get_redis

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    return jsonify({"status": "ok"})


@bp.get("/readyz")
def readyz():
    checks = {"database": database_state(), "redis": redis_state()}
    if checks["database"] == "ok":
        checks["migrations"] = migrations_state()
    failing = [name for name, state in checks.items() if state != "ok"]
    body = {"status": "ok" if not failing else "unavailable", "checks": checks}
    if failing:
        body["failing"] = failing
    return jsonify(body), (503 if failing else 200)


def database_state() -> str:
    try:
        db.session.execute(text("SELECT 1"))
        return "ok"
    except Exception as exc:  # any failure means "not ready", with the reason shown
        db.session.rollback()
        return f"error: {exc.__class__.__name__}"


def redis_state() -> str:
    try:
        get_redis().ping()
        return "ok"
    except Exception as exc:
        return f"error: {exc.__class__.__name__}"


def migrations_state() -> str:
    """'ok' when the database is at every head revision of service/migrations, or ahead
    of this code: during an upgrade the migrations run first, and the processes still on
    the old code keep serving until they are restarted (migrations add before they drop)."""
    script = alembic.script_directory  # read once per process, then cached
    try:
        current = set(db.session.scalars(text("SELECT version_num FROM alembic_version")))
    except Exception:
        db.session.rollback()
        current = set()
    if current == set(script.get_heads()) or (current and not current & _known(script)):
        return "ok"
    return "behind: run `turnabout db upgrade`"


def _known(script) -> set[str]:
    return {revision.revision for revision in script.walk_revisions()}
