"""The pair's conversation as its emails show it: who wrote (a first name, never an
address), which way a message went, and the subject of each person's thread.

Relayed replies, thank-yous, command confirmations and drop-out notes all continue the
recipient's own thread, so they all read the thread's subject from here.
"""

from __future__ import annotations

import re

from sqlalchemy import select

from service.extensions import db
from service.i18n import stand_ins
from service.mail.models import OutgoingEmail
from service.mail.subjects import subject_by_message_id, subject_of_id
from service.rounds.models import Pairing
from service.rounds.threads import GIVER, Side
from service.subscriptions.models import Subscriber

# Later emails of a thread are "Re: <first subject>" in every language (their subject.txt
# files write it as it is, outside the catalogue), though a German Outlook answers with
# "AW:". Threading rests on In-Reply-To and References, which every email of a thread
# carries; the subject matters where a client also groups by it (Gmail, Outlook's
# conversation topic, Apple Mail), and "Re:" (RFC 5322, 3.6.5) is the one prefix all of
# them strip before comparing, while localized ones ("AW:", "SV:") are known to some
# clients only. Our next email after a German "AW: Re: …" reply is "Re: <first subject>"
# again: every known prefix is stripped from the subject reused here.
_RE_PREFIX = re.compile(r"^\s*((re|aw|sv|antw|r|rif|res|wg|fw|fwd|tr)\s*:\s*)+", re.I)


def direction(author_role: str) -> str:
    return "giver_to_learner" if author_role == GIVER else "learner_to_giver"


def display_name(subscriber: Subscriber | None, role: str) -> str:
    name = ((subscriber.name if subscriber else "") or "").split()
    if name:
        return name[0][:40]
    return stand_ins.TIP_GIVER if role == GIVER else stand_ins.LEARNER  # translated when sent


def read_thread_roots(message_ids) -> dict[str, tuple[int, str | None]]:
    """Message-ID -> (row id, stored subject) of these threads' first emails, in one
    query, for thread_subject(roots=...) (the inbound job reads a group's at once)."""
    ids = sorted({i for i in message_ids if i})
    if not ids:
        return {}
    rows = db.session.execute(
        select(OutgoingEmail.message_id, OutgoingEmail.id, OutgoingEmail.subject).where(
            OutgoingEmail.message_id.in_(ids)
        )
    )
    return {row.message_id: (row.id, row.subject) for row in rows}


def thread_subject(
    pairing: Pairing, recipient: Side, roots: dict[str, tuple[int, str | None]] | None = None
) -> str:
    """The subject of the recipient's thread (without "Re:"), so clients that thread by
    subject (Gmail) keep the relayed message in the conversation: the subject their first
    email was rendered with, in their language (service.mail.subjects). `roots`, if
    given, holds thread roots read already (read_thread_roots)."""
    subject = None
    if recipient.thread_root:
        root = (roots or {}).get(recipient.thread_root)
        subject = subject_of_id(*root) if root else subject_by_message_id(recipient.thread_root)
    if subject:
        return _RE_PREFIX.sub("", subject)
    return pairing.round.challenge.title
