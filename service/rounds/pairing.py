"""Weekly learner <-> tip-giver pairing as an assignment problem.

Pure Python + numpy/scipy: plain dataclasses in, plain dataclasses out.

Objective (lexicographic, realised with additive weights on exact 1/16 grid):

1. maximise the number of matched learners (every real edge carries a bonus
   ``B`` larger than the total variation of all other terms along any
   augmenting path: ``B = V * (min(learners, slots) + 1)``);
2. minimise repeats inside the no-repeat window, older repeats being cheaper
   (``REPEAT_BASE`` = 100 000 per repeat, see ``pairing_score``);
3. spread load: a giver's k-th slot costs ``(k-1) * LOAD_STEP``;
4. maximise preference (theme, other shared themes, timezone, and the same language when
   the programme prefers it), 0..18.

Same-team pairs (and a person with themselves) are forbidden edges.

Continuations (a learner and tip-giver who both asked to stay together) are a
constraint: ``fixed`` pairs are taken out of the problem before it is built —
the learner leaves the pool, the tip-giver keeps only their remaining slots
(slot ``k`` of a giver is unavailable below their fixed count, so the load
cost of what is left stays right) — and the rest is solved as usual, so the
result stays optimal for everyone else and the problem only gets smaller.

The solver itself (dense, sparse and sharded paths, and how "unmatched" is modelled)
is ``pairing_solver``.

Determinism: learners and givers are shuffled with ``numpy.random.default_rng(seed)``
before building the problem, so the seed (and only the seed) decides between
equally good assignments.  No jitter is added, scores stay exact.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

from .pairing_data import (
    Pair,
    PairingResult,
    PairingSettings,
    PastPair,
    Person,
    Unmatched,
)
from .pairing_score import (
    LOAD_STEP,
    explain_pair,
    preference,
    repeat_penalty,
)
from .pairing_solver import Problem

__all__ = [
    "Person",
    "PairingSettings",
    "PastPair",
    "Pair",
    "Unmatched",
    "PairingResult",
    "pair_round",
    "score_pair",
    "explain_pair",
    "LOAD_STEP",
]


# ---------------------------------------------------------------------- scoring
def _same_team(a: Person, b: Person) -> bool:
    return bool(a.team) and a.team == b.team


def score_pair(
    learner: Person, giver: Person, settings: PairingSettings, rounds_ago: int | None
) -> float | None:
    """Preference (0..PREF_MAX) minus the repeat penalty; None if forbidden."""
    if _same_team(learner, giver) or learner.id == giver.id:
        return None
    same_language = settings.prefer_same_language and learner.language == giver.language != ""
    pref = preference(
        learner.themes,
        learner.utc_offset_hours,
        giver.themes,
        giver.utc_offset_hours,
        settings.theme,
        same_language,
    )
    return pref - repeat_penalty(rounds_ago, settings.no_repeat_window)


def pair_round(
    learners: Sequence[Person],
    givers: Sequence[Person],
    history: Sequence[PastPair],
    settings: PairingSettings,
    theme_names: Mapping[str, str] | None = None,
    fixed: Sequence[tuple[int, int]] = (),
) -> PairingResult:
    """Pair this round's learners with tip-givers; see module docstring.

    `fixed`: (learner id, giver id) pairs that stay together (continuations), kept as
    they are; the caller checks they are allowed (both present, different teams)."""
    s = settings
    if not 1 <= s.giver_capacity <= 5:
        raise ValueError("giver_capacity must be between 1 and 5")
    if s.top_k < 1 or s.exact_limit < 0:
        raise ValueError("top_k must be >= 1 and exact_limit >= 0")
    for role, people in (("learner", learners), ("giver", givers)):
        if len({p.id for p in people}) != len(people):
            raise ValueError(f"duplicate {role} ids")
    kept, used = _fixed_pairs(learners, givers, fixed, s, theme_names)
    free_learners = [p for p in learners if p.id not in used["learners"]]
    open_givers = [p for p in givers if used["givers"].get(p.id, 0) < s.giver_capacity]
    pb = Problem(free_learners, open_givers, history, s, used["givers"])
    nl, ng = pb.nl, pb.ng
    if nl == 0 or ng == 0:
        mr = mg = np.zeros(0, dtype=np.int64)
        solver = "dense"
    elif nl * ng * pb.c <= s.exact_limit**2:
        mr, mg = pb.solve_dense()
        solver = "dense"
    else:
        mr, mg = pb.solve_sparse(s.top_k)
        solver = "sparse"
    ages = pb.edge_ages(mr, mg)
    pairs = list(kept)
    for i, j, a in zip(mr.tolist(), mg.tolist(), ages.tolist(), strict=True):
        lp, gp = pb.L[i], pb.G[j]
        ra = a if a > 0 else None
        sc = score_pair(lp, gp, s, ra)
        pairs.append(Pair(lp.id, gp.id, sc, explain_pair(lp, gp, s, ra, theme_names)))
    pairs.sort(key=lambda p: p.learner_id)
    unmatched = [  # a tip-giver who keeps a partner is not on standby
        u for u in _unmatched(pb, mr, mg) if u.role != "giver" or u.person_id not in used["givers"]
    ]
    return PairingResult(pairs, unmatched, math.fsum(p.score for p in pairs), solver)


def _fixed_pairs(learners, givers, fixed, s: PairingSettings, theme_names):
    """The continuing pairs as Pairs (no repeat penalty: they asked for it), and how many
    slots of each tip-giver they take."""
    by_learner = {p.id: p for p in learners}
    by_giver = {p.id: p for p in givers}
    kept, used = [], {"learners": set(), "givers": {}}
    for learner_id, giver_id in fixed:
        lp, gp = by_learner.get(learner_id), by_giver.get(giver_id)
        if lp is None or gp is None or learner_id in used["learners"]:
            raise ValueError(f"fixed pair {(learner_id, giver_id)} is not in this round")
        score = score_pair(lp, gp, s, None)
        if score is None or used["givers"].get(giver_id, 0) >= s.giver_capacity:
            raise ValueError(f"fixed pair {(learner_id, giver_id)} is not allowed")
        used["learners"].add(learner_id)
        used["givers"][giver_id] = used["givers"].get(giver_id, 0) + 1
        kept.append(Pair(learner_id, giver_id, score, explain_pair(lp, gp, s, None, theme_names)))
    return kept, used


def _unmatched(pb: Problem, mr: np.ndarray, mg: np.ndarray) -> list[Unmatched]:
    nl, ng, c = pb.nl, pb.ng, pb.c
    out = []
    lfree = np.ones(nl, dtype=bool)
    lfree[mr] = False
    gfree = np.ones(ng, dtype=bool)
    gfree[mg] = False
    team_count = np.bincount(pb.gteam[pb.gteam >= 0]) if ng else np.zeros(0, np.int64)
    for i in np.nonzero(lfree)[0]:
        t = pb.lteam[i]
        same = team_count[t] if 0 <= t < len(team_count) else 0
        if ng == 0:
            reason = "no tip-givers signed up this week"
        elif same == ng:
            reason = "every tip-giver this week is on your team"
        elif nl > ng * c:
            reason = "not enough tip-givers this week"
        else:
            reason = "no tip-giver outside your team was free"
        out.append(Unmatched(pb.L[i].id, "learner", reason))
    for j in np.nonzero(gfree)[0]:
        if nl == 0:
            reason = "on standby: no learners this week"
        elif lfree.any():
            reason = "on standby: the learners left over are on your team"
        else:
            reason = "on standby: more tip-givers than learners this week"
        out.append(Unmatched(pb.G[j].id, "giver", reason))
    out.sort(key=lambda u: (u.role != "learner", u.person_id))
    return out
