"""The stored words the console shows: states, roles, sources, reasons and answers are kept
in the database as short English words (a closed vocabulary the code compares), and are
written through the catalogue only when a page shows them: `{{ value|word }}`.

A value not listed here (an older or a new word) is shown as stored, never lost."""

from __future__ import annotations

import re

from flask_babel import gettext

from service.i18n.marker import N_
from service.inbound.models import UNAUTHENTICATED

# Stored value -> the English the console shows (a catalogue msgid).
WORDS = {
    # subscribers.status
    "pending": N_("not confirmed"),
    "active": N_("active"),
    "unsubscribed": N_("unsubscribed"),
    "deleted": N_("deleted"),
    "paused": N_("paused"),
    # roles (subscribers and admin accounts), the side of a pairing
    "learner": N_("learner"),
    "giver": N_("tip-giver"),
    "tip-giver": N_("tip-giver"),
    "admin": N_("admin"),
    "editor": N_("editor"),
    # how a person joined or left
    "web": N_("the web form"),
    "email": N_("email"),
    "import": N_("a CSV import"),
    "mailto": N_("an email to the unsubscribe address"),
    "preferences": N_("the preference centre"),
    "one_click": N_("the one-click link"),
    "page": N_("the unsubscribe page"),
    # rounds and pairings
    "planned": N_("planned"),
    "paired": N_("paired"),
    "closed": N_("closed"),
    "skipped": N_("skipped"),
    "cancelled": N_("cancelled"),
    "unmatched": N_("unmatched"),
    # emails and delivery events
    "queued": N_("queued"),
    "sending": N_("sending"),
    "sent": N_("sent"),
    "failed": N_("failed"),
    "delivered": N_("delivered"),
    "opened": N_("opened"),
    "clicked": N_("clicked"),
    "deferred": N_("deferred"),
    "bounced": N_("bounced"),
    "dropped": N_("dropped"),
    "complained": N_("complained"),
    "replied": N_("replied"),
    # who made an audit entry without an admin account (admin/audit.py)
    "command line": N_("command line"),
    # shared tips
    "waiting": N_("waiting"),
    "approved": N_("approved"),
    "hidden": N_("hidden"),
    "withdrawn": N_("withdrawn"),
    "all": N_("all"),
    # questions and answers (the one-click pages' vocabulary)
    "outcome": N_("outcome"),
    "rating": N_("rating"),
    "tried": N_("tried it"),
    "help": N_("needs help"),
    "skip": N_("skipped"),
    "cant": N_("can't this week"),
    "keep": N_("keep the partner"),
    "confidence": N_("confidence"),
    "clear": N_("clear"),
    "again": N_("would tip again"),
    "share": N_("share"),
    "private": N_("private"),
    "yes": N_("yes"),
    "no": N_("no"),
    # why a tip-giver is on standby (rounds/pairing.py, rounds/answers.py)
    **{
        reason: reason
        for reason in (
            N_("on standby: no learners this week"),
            N_("on standby: the learners left over are on your team"),
            N_("on standby: more tip-givers than learners this week"),
            N_("on standby: their learner skipped this week"),
        )
    },
}

# Why the receiving server's results did not authenticate a sender (inbound/trust.py).
VERDICTS = {
    verdict: verdict
    for verdict in (
        N_("no From domain"),
        N_("SPF pass for another domain, no DKIM pass for the From domain"),
        N_("DKIM pass for another domain only, no SPF pass"),
        N_("no DKIM or SPF pass"),
    )
}

# Sentences the sending core stores for an email not sent on purpose (mail/rules.py).
_SKIP_REASONS = (
    (re.compile(r"subscriber is (\w+)\Z"), N_("subscriber is %(status)s"), "status"),
    (
        re.compile(r"address suppressed \((\w+)\)\Z"),
        N_("address suppressed (%(reason)s)"),
        "reason",
    ),
)


def word(value: str | None) -> str:
    """A stored word in the reader's language; an unknown one as stored."""
    if value is None:
        return ""
    label = WORDS.get(value)
    return gettext(label) if label else value


def unauthenticated(outcome: str) -> str:
    """An inbound row's outcome "unauthenticated sender: <verdict>" in the reader's
    language (other outcomes as stored)."""
    head, _, verdict = outcome.partition(": ")
    if head != UNAUTHENTICATED:
        return outcome
    verdict = gettext(VERDICTS[verdict]) if verdict in VERDICTS else verdict
    return gettext("unauthenticated sender: %(verdict)s", verdict=verdict)


def skip_reason(text: str | None) -> str:
    """Why an email was not sent, in the reader's language (unknown wording as stored)."""
    for pattern, msgid, name in _SKIP_REASONS:
        match = pattern.match(text or "")
        if match:
            return gettext(msgid, **{name: word(match[1])})
    return text or ""
