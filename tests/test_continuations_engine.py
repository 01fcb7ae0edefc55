"""The pairing engine with fixed pairs (continuations): they are kept, and the rest stays
optimal, on the exact (dense) and the sparse path alike. Pure: no database."""

from __future__ import annotations

import math
import random

import pytest

from service.rounds.pairing import LOAD_STEP, PairingSettings, Person, pair_round, score_pair
from tests.test_pairing import SPARSE, ages, random_instance


def best_rest(learners, givers, history, s, fixed):
    """Brute force over the learners not in `fixed`: the best (matched, score - load)."""
    age = ages(history, s.no_repeat_window)
    used = {g.id: 0 for g in givers}
    for _, gid in fixed:
        used[gid] += 1
    fixed_learners = {lid for lid, _ in fixed}
    rest = [lp for lp in learners if lp.id not in fixed_learners]
    best = [(-1, -math.inf)]

    def rec(i, count, value):
        if i == len(rest):
            best[0] = max(best[0], (count, round(value, 6)))
            return
        rec(i + 1, count, value)
        for g in givers:
            w = score_pair(rest[i], g, s, age.get((rest[i].id, g.id)))
            if w is None or used[g.id] >= s.giver_capacity:
                continue
            used[g.id] += 1
            rec(i + 1, count + 1, value + w - (used[g.id] - 1) * LOAD_STEP)
            used[g.id] -= 1

    rec(0, 0, 0.0)
    return best[0]


def value_of_rest(result, fixed, givers):
    """(matched, score - load) of the pairs that are not fixed, with the fixed pairs'
    slots counted first (as the engine does)."""
    used = {g.id: 0 for g in givers}
    for _, gid in fixed:
        used[gid] += 1
    count, value = 0, 0.0
    for p in result.pairs:
        if (p.learner_id, p.giver_id) in fixed:
            continue
        count += 1
        value += p.score - used[p.giver_id] * LOAD_STEP
        used[p.giver_id] += 1
    return count, round(value, 6)


def some_fixed(rng, learners, givers, s):
    fixed, load = [], {}
    for lp in learners:
        options = [
            g
            for g in givers
            if score_pair(lp, g, s, None) is not None and load.get(g.id, 0) < s.giver_capacity
        ]
        if options and rng.random() < 0.4:
            g = rng.choice(options)
            load[g.id] = load.get(g.id, 0) + 1
            fixed.append((lp.id, g.id))
    return fixed


@pytest.mark.parametrize("path", ["dense", "sparse"])
def test_fixed_pairs_are_kept_and_the_rest_is_optimal(path):
    rng = random.Random(14)
    checked = 0
    for _ in range(150):
        learners, givers, history, s = random_instance(rng, max_l=6, max_g=4)
        if path == "sparse":
            s = PairingSettings(**{**s.__dict__, **SPARSE})
        fixed = some_fixed(rng, learners, givers, s)
        result = pair_round(learners, givers, history, s, fixed=fixed)
        pairs = {(p.learner_id, p.giver_id) for p in result.pairs}
        assert set(fixed) <= pairs
        load = {}
        for _, gid in pairs:
            load[gid] = load.get(gid, 0) + 1
        assert max(load.values(), default=0) <= s.giver_capacity
        assert value_of_rest(result, set(fixed), givers) == best_rest(
            learners, givers, history, s, fixed
        )
        standby = {u.person_id for u in result.unmatched if u.role == "giver"}
        assert not standby & {gid for _, gid in fixed}
        checked += bool(fixed)
    assert checked > 30  # enough instances actually had fixed pairs


def test_a_fixed_pair_is_kept_against_a_better_match_and_without_repeat_penalty():
    s = PairingSettings(theme="tech-savvy")
    ana = Person(1, "Ana", frozenset({"tech-savvy"}), "sales", 0.0)
    dee = Person(2, "Dee", frozenset(), "it", 9.0)  # a poor match for Ana on its own
    eli = Person(3, "Eli", frozenset({"tech-savvy"}), "ops", 0.0)
    free = pair_round([ana], [dee, eli], [], s)
    assert [(p.learner_id, p.giver_id) for p in free.pairs] == [(1, 3)]
    kept = pair_round([ana], [dee, eli], [], s, fixed=[(1, 2)])
    assert [(p.learner_id, p.giver_id) for p in kept.pairs] == [(1, 2)]
    assert "paired again" not in kept.pairs[0].explanation
    assert [u.person_id for u in kept.unmatched] == [3]


def test_fixed_pairs_that_cannot_be_kept_are_refused():
    s = PairingSettings(theme="tech-savvy")
    ana = Person(1, "Ana", frozenset(), "sales", 0.0)
    ben = Person(4, "Ben", frozenset(), "it", 0.0)
    dee = Person(2, "Dee", frozenset(), "sales", 0.0)
    eli = Person(3, "Eli", frozenset(), "ops", 0.0)
    with pytest.raises(ValueError, match="not allowed"):
        pair_round([ana], [dee], [], s, fixed=[(1, 2)])  # same team
    with pytest.raises(ValueError, match="not in this round"):
        pair_round([ana], [dee], [], s, fixed=[(1, 3)])  # Eli is not taking part
    with pytest.raises(ValueError, match="not allowed"):
        pair_round([ana, ben], [eli], [], s, fixed=[(1, 3), (4, 3)])  # over capacity
