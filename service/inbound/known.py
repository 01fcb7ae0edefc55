"""What the inbound job has read ahead for the group of messages it is processing in one
transaction (filled by readahead.py), and what it leaves to write at the group's end.

The lookups of route.py, relay.py and actions.py ask here first and fall back to a query
of their own for anything not read ahead, so each keeps working alone (a test calling
one) and for a message the read-ahead could not foresee (a reply routed by its
References, not its address).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from service.extensions import db

_KEY = "inbound_known"


@dataclass
class Known:
    # reply key -> pairing id, or None for a key no pairing has
    pairing_by_key: dict[str, int | None] = field(default_factory=dict)
    locked: set[int] = field(default_factory=set)  # pairings this transaction holds
    relays_today: dict[int, int] = field(default_factory=dict)  # pairing id -> relays, 24 h
    relayed: set[int] = field(default_factory=set)  # inbound ids relayed already
    group: set[int] = field(default_factory=set)  # inbound ids `relayed` speaks for
    # thread root Message-ID -> (its row id, its stored subject)
    roots: dict[str, tuple[int, str | None]] = field(default_factory=dict)
    suppressed: dict[str, str | None] = field(default_factory=dict)  # address -> reason
    # Written once at the group's end: (subscriber id, Message-IDs their reply answers).
    replied: list[tuple[int, list[str]]] = field(default_factory=list)
    # A message did more than relay or stop (see acting()): drop the copies after it.
    stale: bool = False
    # The pairings and people read ahead: the session keeps loaded rows only while
    # something refers to them, and `session.get` finds them without a query only then.
    loaded: list = field(default_factory=list)

    def forget(self) -> None:
        """Drop every copy (the locks stay: they belong to the transaction)."""
        self.stale = False
        self.pairing_by_key.clear()
        self.relays_today.clear()
        self.relayed.clear()
        self.group.clear()
        self.roots.clear()
        self.suppressed.clear()
        self.loaded.clear()


def acting() -> None:
    """Called before a message does more than relay or stop: a command, a join or an
    unsubscribe change people, pairings and answers through paths that need not keep
    these copies (or the session's loaded rows) up to date, so the group reads afresh
    after that message (groups.py)."""
    known = current()
    if known is not None:
        known.stale = True


def current() -> Known | None:
    """The group's read-ahead, or None outside the inbound job's group."""
    return db.session.info.get(_KEY)


def install(known: Known | None) -> None:
    if known is None:
        db.session.info.pop(_KEY, None)
    else:
        db.session.info[_KEY] = known
