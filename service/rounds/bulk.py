"""Queue many emails at once: set-based inserts, then delivery jobs of BATCH ids.

The one-at-a-time path (`service.mail.delivery.queue_email`) costs a few round trips per
email; a round of 100k emails cannot afford that. This path keeps its guarantees:
the unique `key` (and unique Message-ID) make a second run insert nothing
(INSERT ... ON CONFLICT DO NOTHING), the same skip rules apply (unsubscribed, deleted,
suppressed address) with a stated reason, and delivery is enqueued only after commit.

On PostgreSQL a chunk travels as one JSON document (INSERT ... SELECT FROM
json_to_recordset): a multi-row VALUES list of 2,000 rows has 36,000 placeholders, and
the driver spent more time parsing that statement than the server spent inserting.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import bindparam, text

from service.database import UTCDateTime, utcnow
from service.extensions import db
from service.mail import rules
from service.mail.delivery import deliver_emails
from service.mail.kinds import EmailKind
from service.mail.models import EmailState, OutgoingEmail
from service.queues import ROUNDS, TRANSIENT_RETRY, enqueue_after_commit

BATCH = 1000  # ids per deliver_emails job: a few SendGrid requests, under a second
CHUNK = 2000  # rows per INSERT statement


@dataclass
class Draft:
    kind: EmailKind
    key: str
    subscriber_id: int
    subscriber_status: str
    to: str
    to_name: str
    context: dict
    pairing_id: int
    reply_to: str | None = None
    message_id: str | None = None
    thread_root: str | None = None


@dataclass
class QueueReport:
    queued: int = 0
    skipped: int = 0
    already: int = 0
    slices: int = 0  # a large round: queueing jobs enqueued instead (see dispatch)
    by_kind: dict = field(default_factory=dict)

    def add(self, other: QueueReport) -> QueueReport:
        self.queued += other.queued
        self.skipped += other.skipped
        self.already += other.already
        self.slices += other.slices
        for kind, n in other.by_kind.items():
            self.by_kind[kind] = self.by_kind.get(kind, 0) + n
        return self


# Columns that differ per row, with their PostgreSQL types; the rest are constants.
_ROW_COLUMNS = {
    "key": "text",
    "kind": "text",
    "subscriber_id": "bigint",
    "to_address": "text",
    "to_name": "text",
    "reply_to": "text",
    "message_id": "text",
    "in_reply_to": "text",
    "references": "text",
    "category": "text",
    "list_mail": "boolean",
    "context": "json",
    "state": "text",
    "error": "text",
    "pairing_id": "bigint",
}


def _recordset_insert():
    names = ", ".join(f'"{name}"' for name in _ROW_COLUMNS)
    types = ", ".join(f'"{name}" {kind}' for name, kind in _ROW_COLUMNS.items())
    return text(
        f"INSERT INTO outgoing_emails ({names}, from_name, attempts, created_at) "
        f"SELECT {names}, NULL, 0, :created_at "
        f"FROM json_to_recordset(CAST(:rows AS json)) AS t({types}) "
        "ON CONFLICT DO NOTHING RETURNING id, state"
    ).bindparams(bindparam("created_at", type_=UTCDateTime()))


def _insert_rows(rows: list[dict], now) -> list[tuple[int, str]]:
    """Insert rows whose key is new; returns (id, state) of the rows inserted."""
    if db.session.get_bind().dialect.name == "postgresql":
        return db.session.execute(
            _recordset_insert(), {"rows": json.dumps(rows), "created_at": now}
        ).all()
    from sqlalchemy.dialects.sqlite import insert

    table = OutgoingEmail.__table__
    statement = insert(table).on_conflict_do_nothing().returning(table.c.id, table.c.state)
    values = [{**row, "from_name": None, "attempts": 0, "created_at": now} for row in rows]
    return db.session.execute(statement, values).all()


def skip_reason(draft: Draft, suppressed: dict[str, str]) -> str | None:
    return rules.skip_reason(draft.kind, draft.subscriber_status, suppressed.get(draft.to))


def queue_many(drafts: Iterable[Draft], *, queue: str = ROUNDS, progress=None) -> QueueReport:
    """Insert the drafts' rows (existing keys are left alone), commit per chunk, and
    enqueue deliver_emails jobs of BATCH ids after each commit. `progress` is an
    optional callable taking the number of drafts handled."""
    from service.mail.compose import new_message_id

    report = QueueReport()
    drafts = list(drafts)
    if not drafts:
        return report
    for start in range(0, len(drafts), CHUNK):
        chunk = drafts[start : start + CHUNK]
        suppressed = rules.suppressions_for(d.to for d in chunk if not d.kind.suppression_exempt)
        now = utcnow()
        rows = []
        for d in chunk:
            reason = skip_reason(d, suppressed)
            rows.append(
                {
                    "key": d.key,
                    "kind": d.kind.name,
                    "subscriber_id": d.subscriber_id,
                    "to_address": d.to,
                    "to_name": d.to_name,
                    "reply_to": d.reply_to,
                    "message_id": d.message_id or new_message_id(),
                    "in_reply_to": d.thread_root,
                    "references": d.thread_root,
                    "category": d.kind.category,
                    "list_mail": d.kind.list_mail,
                    "context": d.context,
                    "state": EmailState.SKIPPED if reason else EmailState.QUEUED,
                    "error": reason,
                    "pairing_id": d.pairing_id,
                }
            )
        inserted = _insert_rows(rows, now)
        queued_ids = sorted(i for i, state in inserted if state == EmailState.QUEUED)
        report.queued += len(queued_ids)
        report.skipped += len(inserted) - len(queued_ids)
        report.already += len(chunk) - len(inserted)
        for d in chunk:
            report.by_kind[d.kind.name] = report.by_kind.get(d.kind.name, 0) + 1
        for i in range(0, len(queued_ids), BATCH):
            enqueue_after_commit(
                queue, deliver_emails, queued_ids[i : i + BATCH], retry=TRANSIENT_RETRY
            )
        db.session.commit()
        if progress:
            progress(len(chunk))
    return report
