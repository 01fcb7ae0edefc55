"""Queue many emails at once: set-based inserts, then delivery jobs of BATCH ids.

The one-at-a-time path (`queueing.queue_email`) costs a few round trips per email; a round
of 100k emails cannot afford that. This path keeps its guarantees: the unique `key` (and
unique Message-ID) make a second run insert nothing (INSERT ... ON CONFLICT DO NOTHING),
the same skip rules apply (unsubscribed, deleted, suppressed address) with a stated
reason, rows are built by the same `queueing.email_row`, and delivery is enqueued only
after commit. A round's drafts (rounds.challenge_drafts, rounds.followups) come here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields

from service.database import insert_many, utcnow
from service.extensions import db
from service.mail import rules
from service.mail.catalog import EmailKind
from service.mail.delivery import deliver_emails
from service.mail.models import EmailState, OutgoingEmail
from service.mail.queueing import email_row
from service.queues import ROUNDS, TRANSIENT_RETRY, enqueue_after_commit

BATCH = 1000  # ids per deliver_emails job: a few SendGrid requests, under a second
CHUNK = 2000  # rows per INSERT statement


@dataclass
class Draft:
    """One email of a round before its row exists: email_row's arguments, by their names,
    and the recipient's status for the skip rules."""

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

    def row(self, suppressed: dict[str, str], now) -> dict:
        """Its outgoing_emails row (email_row), skipped with the reason if a rule says so."""
        values = {name: getattr(self, name) for name in _ROW_ARGUMENTS}
        return email_row(
            self.kind, **values, skipped_because=skip_reason(self, suppressed), now=now
        )


_ROW_ARGUMENTS = [f.name for f in fields(Draft) if f.name not in ("kind", "subscriber_status")]


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


def skip_reason(draft: Draft, suppressed: dict[str, str]) -> str | None:
    return rules.skip_reason(draft.kind, draft.subscriber_status, suppressed.get(draft.to))


def queue_many(drafts: Iterable[Draft], *, queue: str = ROUNDS, progress=None) -> QueueReport:
    """Insert the drafts' rows (existing keys are left alone), commit per chunk, and
    enqueue deliver_emails jobs of BATCH ids after each commit. `progress` is an
    optional callable taking the number of drafts handled."""
    report = QueueReport()
    drafts = list(drafts)
    if not drafts:
        return report
    for start in range(0, len(drafts), CHUNK):
        chunk = drafts[start : start + CHUNK]
        suppressed = rules.suppressions_for(d.to for d in chunk if not d.kind.suppression_exempt)
        now = utcnow()
        rows = [d.row(suppressed, now) for d in chunk]
        inserted = insert_many(
            db.session,
            OutgoingEmail.__table__,
            rows,
            returning=("id", "state"),
            skip_conflicts=True,
        )
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
