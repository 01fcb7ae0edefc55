"""What people wrote leaves an email's stored context once the email is done with.

A relayed reply, a help comment or a shared tip is copied into the context of the email
that carries it (the worker renders from the context). Each kind names those keys
(`EmailKind.words`); the row says whether it still holds them (`holds_words`, set when
it is written). Once the row is sent, failed or skipped, the words are blanked: the row
keeps its kind, state and dates, and the conversation itself lives (until the retention
period) only in `thread_messages`. A stored subject that prints one of those keys (a
"not passed on" notice quotes the subject someone wrote) is erased with them; the others
stay, since a thread's later emails quote them. The delivery job does it for the rows it
just sent, `erase_sent_words` every few minutes for anything else, and retention for rows
that somehow stayed queued.
"""

from __future__ import annotations

from functools import lru_cache

from flask import current_app
from jinja2 import meta
from sqlalchemy import select, update

from service.extensions import db
from service.mail.catalog import KINDS
from service.mail.models import EmailState, OutgoingEmail
from service.mail.render import template_environment

DONE = (EmailState.SENT, EmailState.FAILED, EmailState.SKIPPED)
BATCH = 500


def blank(value):
    """An empty value of the same type, so a template could still render the context."""
    if isinstance(value, str):
        return ""
    if isinstance(value, list):
        return []
    if isinstance(value, dict):
        return {}
    return None


def without_words(kind: str, context: dict) -> dict:
    words = KINDS[kind].words if kind in KINDS else ()
    return {k: blank(v) if k in words else v for k, v in (context or {}).items()}


def subject_holds_words(kind: str) -> bool:
    """The kind's subject.txt prints one of its `words` keys."""
    words = KINDS[kind].words if kind in KINDS else ()
    templates = current_app.config["EMAIL_TEMPLATES_DIR"]
    return bool(words) and not _subject_names(templates, kind).isdisjoint(words)


@lru_cache(maxsize=64)
def _subject_names(templates: str, kind: str) -> frozenset[str]:
    env = template_environment(templates)
    source = env.loader.get_source(env, f"{kind}/subject.txt")[0]
    return frozenset(meta.find_undeclared_variables(env.parse(source)))


def erase_words(condition=True, *, done_only: bool = True) -> int:
    """Blank the words of the rows matching `condition` that still hold them (only rows
    that are done with, unless `done_only` is False). The caller commits."""
    query = select(
        OutgoingEmail.id, OutgoingEmail.kind, OutgoingEmail.context, OutgoingEmail.subject
    ).where(OutgoingEmail.holds_words.is_(True), condition)
    if done_only:
        query = query.where(OutgoingEmail.state.in_(DONE))
    erased = 0
    while rows := db.session.execute(query.order_by(OutgoingEmail.id).limit(BATCH)).all():
        db.session.execute(
            update(OutgoingEmail),
            [
                {
                    "id": i,
                    "context": without_words(kind, context),
                    "subject": None if subject_holds_words(kind) else subject,
                    "holds_words": False,
                }
                for i, kind, context, subject in rows
            ],
        )
        erased += len(rows)
        if len(rows) < BATCH:
            break
    return erased


def erase_sent_words() -> int:
    """Scheduled job: every email done with keeps no copy of what people wrote."""
    erased = erase_words()
    db.session.commit()
    return erased
