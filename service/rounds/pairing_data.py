"""What goes into the pairing engine and what comes out: plain frozen dataclasses, no
database. ``pairing.py`` re-exports them as part of its public API."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    themes: frozenset[str]
    team: str | None
    utc_offset_hours: float
    language: str = ""  # "" = not known: never counts as the same language


@dataclass(frozen=True)
class PairingSettings:
    theme: str
    giver_capacity: int = 1
    no_repeat_window: int = 12
    seed: int = 0
    top_k: int = 20
    exact_limit: int = 2000
    prefer_same_language: bool = False  # the SAME_LANGUAGE bonus (pairing_score)


@dataclass(frozen=True)
class PastPair:
    learner_id: int
    giver_id: int
    rounds_ago: int


@dataclass(frozen=True)
class Pair:
    learner_id: int
    giver_id: int
    score: float
    explanation: str


@dataclass(frozen=True)
class Unmatched:
    person_id: int
    role: str
    reason: str


@dataclass(frozen=True)
class PairingResult:
    pairs: list[Pair]
    unmatched: list[Unmatched]
    total_score: float
    solver: str = "dense"  # "dense" (exact) | "sparse" (exact on the top-k candidate graph)
