"""The pair's conversation as its emails show it: who wrote (a first name, never an
address), which way a message went, and the subject of each person's thread.

Relayed replies, thank-yous, command confirmations and drop-out notes all continue the
recipient's own thread, so they all read the thread's subject from here.
"""

from __future__ import annotations

import logging
import re

from sqlalchemy import select

from service.extensions import db
from service.i18n import stand_ins
from service.mail.compose import compose, subscriber_languages
from service.mail.models import OutgoingEmail
from service.rounds.emails import thread_subject as subject_only
from service.rounds.models import Pairing
from service.rounds.threads import GIVER, Side
from service.subscriptions.models import Subscriber

_RE_PREFIX = re.compile(r"^\s*((re|aw|sv|antw|r|rif|res|wg|fw|fwd|tr)\s*:\s*)+", re.I)
log = logging.getLogger(__name__)


def direction(author_role: str) -> str:
    return "giver_to_learner" if author_role == GIVER else "learner_to_giver"


def display_name(subscriber: Subscriber | None, role: str) -> str:
    name = ((subscriber.name if subscriber else "") or "").split()
    if name:
        return name[0][:40]
    return stand_ins.TIP_GIVER if role == GIVER else stand_ins.LEARNER  # translated when sent


def thread_subject(pairing: Pairing, recipient: Side) -> str:
    """The subject of the recipient's thread (without "Re:"), so clients that thread by
    subject (Gmail) keep the relayed message in the conversation."""
    if recipient.thread_root:
        row = db.session.scalar(
            select(OutgoingEmail).where(OutgoingEmail.message_id == recipient.thread_root)
        )
        if row is not None:
            subject = _root_subject(row)
            if subject:
                return _RE_PREFIX.sub("", subject)
    return pairing.round.challenge.title


def _root_subject(row: OutgoingEmail) -> str | None:
    try:
        language = subscriber_languages([row.subscriber_id]).get(row.subscriber_id)
        return subject_only(row.kind, row.context, language)  # subject.txt alone: cheap
    except Exception:
        pass
    try:
        return compose(row).subject  # a subject that needs the common context
    except Exception:  # the root's template changed since: the caller falls back
        log.warning("cannot render the subject of thread root %s", row.id, exc_info=True)
        return None
