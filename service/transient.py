"""Database errors worth trying again, and error texts fit for grouping.

Two transactions that lock the same rows in different orders deadlock, and PostgreSQL
aborts one of them; a serializable transaction can be refused; a connection can drop
while the database restarts. None of these says anything about the data: the same work
done again a moment later succeeds. `retrying` does that, with growing, jittered pauses,
so a reply that met one of them is still relayed, without a person running
`turnabout inbound retry`.
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import DBAPIError

from service.extensions import db

T = TypeVar("T")

# deadlock_detected, serialization_failure, lock_not_available, and class 08
# (connection exceptions); admin_shutdown / crash_shutdown / cannot_connect_now (57P0x).
TRANSIENT_SQLSTATES = {"40P01", "40001", "55P03", "57P01", "57P02", "57P03"}
PAUSES = (0.05, 0.2, 0.5, 1.0, 2.0)  # seconds, before each new attempt (then jittered)


def is_transient(exc: BaseException) -> bool:
    if not isinstance(exc, DBAPIError):
        return False
    if exc.connection_invalidated:
        return True
    sqlstate = getattr(exc.orig, "sqlstate", None) or ""
    if sqlstate in TRANSIENT_SQLSTATES or sqlstate.startswith("08"):
        return True
    return "database is locked" in str(exc.orig)  # SQLite's busy writer


def retrying(step: Callable[[], T]) -> T:
    """Run `step` (one whole transaction, which commits), again after a transient
    database error, rolled back, up to len(PAUSES) more times; the last error is raised."""
    for pause in (*PAUSES, None):
        try:
            return step()
        except Exception as exc:
            db.session.rollback()
            if pause is None or not is_transient(exc):
                raise
            time.sleep(pause * random.uniform(1.0, 1.5))
    raise AssertionError("unreachable")


_VOLATILE = re.compile(r"\b(process|transaction|pid|relation|oid)\s+\d+", re.I)


def describe_error(exc: BaseException) -> str:
    """A short text for an outcome column, the same for the same failure: a database
    error by its kind (PostgreSQL's message names process ids that differ every time),
    any other by its type and first line with process and transaction numbers removed."""
    if isinstance(exc, DBAPIError) and exc.orig is not None:
        sqlstate = getattr(exc.orig, "sqlstate", None)
        kind = type(exc.orig).__name__
        return f"error: database: {kind}" + (f" ({sqlstate})" if sqlstate else "")
    first_line = _VOLATILE.sub(r"\1 N", (str(exc).splitlines() or [""])[0])
    return f"error: {type(exc).__name__}: {first_line}"[:200]
