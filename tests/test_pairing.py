"""Tests for service.rounds.pairing: brute-force optimality + properties."""

from __future__ import annotations

import math
import random
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service.rounds.pairing import (
    LOAD_STEP,
    PairingSettings,
    PastPair,
    Person,
    pair_round,
    score_pair,
)

THEMES = ["tech-savvy", "diversity-inclusion", "rapid-change", "social-media"]
TEAMS = ["red", "blue", "green", None, ""]
OFFSETS = [-5.0, 0.0, 1.0, 2.0, 5.5, 9.0]

SPARSE = dict(exact_limit=0, top_k=100)  # forces the sparse path with every edge


# ------------------------------------------------------------------ helpers
def random_instance(rng: random.Random, max_l=6, max_g=5):
    nl, ng = rng.randint(0, max_l), rng.randint(0, max_g)
    people = lambda n, base: [  # noqa: E731
        Person(
            base + i,
            f"N{base + i}",
            frozenset(rng.sample(THEMES, rng.randint(0, 3))),
            rng.choice(TEAMS),
            rng.choice(OFFSETS),
        )
        for i in range(n)
    ]
    learners, givers = people(nl, 0), people(ng, 100)
    history = [
        PastPair(lp.id, g.id, rng.randint(1, 15))
        for lp in learners
        for g in givers
        if rng.random() < 0.3
    ]
    s = PairingSettings(
        theme=rng.choice(THEMES),
        giver_capacity=rng.randint(1, 2),
        no_repeat_window=rng.choice([0, 4, 12]),
        seed=rng.randint(0, 9),
    )
    return learners, givers, history, s


def ages(history, window):
    out = {}
    for h in history:
        if h.rounds_ago <= window:
            key = (h.learner_id, h.giver_id)
            out[key] = min(out.get(key, h.rounds_ago), h.rounds_ago)
    return out


def brute_force(learners, givers, history, s):
    """Enumerate every valid assignment. Returns dict with the best
    lexicographic key (matched, score - load), total scores reaching it, and
    the fewest repeats per matched-count."""
    age = ages(history, s.no_repeat_window)
    W = [[score_pair(lp, g, s, age.get((lp.id, g.id))) for g in givers] for lp in learners]
    R = [[(lp.id, g.id) in age for g in givers] for lp in learners]
    used = [0] * len(givers)
    best = {"key": (-1, -math.inf), "totals": set(), "min_rep": {}}

    def rec(i, count, value, total, reps):
        if i == len(learners):
            key = (count, value)
            if key[0] > best["key"][0] or (
                key[0] == best["key"][0] and key[1] > best["key"][1] + 1e-9
            ):
                best["key"], best["totals"] = key, {total}
            elif key[0] == best["key"][0] and abs(key[1] - best["key"][1]) <= 1e-9:
                best["totals"].add(total)
            best["min_rep"][count] = min(best["min_rep"].get(count, reps), reps)
            return
        rec(i + 1, count, value, total, reps)
        for j, w in enumerate(W[i]):
            if w is not None and used[j] < s.giver_capacity:
                used[j] += 1
                rec(
                    i + 1,
                    count + 1,
                    value + w - (used[j] - 1) * LOAD_STEP,
                    total + w,
                    reps + R[i][j],
                )
                used[j] -= 1

    rec(0, 0, 0.0, 0.0, 0)
    return best


def result_key(res):
    load = Counter(p.giver_id for p in res.pairs)
    return len(res.pairs), res.total_score - LOAD_STEP * sum(u * (u - 1) / 2 for u in load.values())


def check_invariants(learners, givers, history, s, res):
    lmap, gmap = {p.id: p for p in learners}, {p.id: p for p in givers}
    age = ages(history, s.no_repeat_window)
    paired_l = [p.learner_id for p in res.pairs]
    assert len(paired_l) == len(set(paired_l)), "learner paired twice"
    load = Counter(p.giver_id for p in res.pairs)
    assert all(u <= s.giver_capacity for u in load.values()), "giver above capacity"
    for p in res.pairs:
        lp, g = lmap[p.learner_id], gmap[p.giver_id]
        assert not (lp.team and lp.team == g.team), "same team"
        assert p.score == score_pair(lp, g, s, age.get((lp.id, g.id)))
        assert p.explanation
    un_l = {u.person_id for u in res.unmatched if u.role == "learner"}
    un_g = {u.person_id for u in res.unmatched if u.role == "giver"}
    assert all(u.reason for u in res.unmatched)
    assert un_l.isdisjoint(paired_l) and un_l | set(paired_l) == set(lmap)
    assert un_g.isdisjoint(load) and un_g | set(load) == set(gmap)
    assert res.total_score == pytest.approx(math.fsum(p.score for p in res.pairs), abs=1e-9)


# ------------------------------------------------------------- brute force
@pytest.mark.parametrize("path", ["dense", "sparse"])
def test_matches_brute_force_optimum(path):
    rng = random.Random(20240611 + (path == "sparse"))
    for _ in range(150):
        learners, givers, history, s = random_instance(rng)
        if path == "sparse":
            s = PairingSettings(**{**s.__dict__, **SPARSE})
        res = pair_round(learners, givers, history, s)
        assert res.solver == (path if learners and givers else "dense")
        best = brute_force(learners, givers, history, s)
        count, value = result_key(res)
        assert count == best["key"][0]
        assert value == pytest.approx(best["key"][1], abs=1e-9)
        assert any(abs(res.total_score - t) <= 1e-9 for t in best["totals"])
        check_invariants(learners, givers, history, s, res)


def test_dense_and_sparse_agree_on_medium_instance():
    rng = random.Random(7)
    learners, givers, history, s = random_instance(rng, 0, 0)
    learners = [
        Person(
            i,
            "L",
            frozenset(rng.sample(THEMES, rng.randint(1, 3))),
            rng.choice(TEAMS),
            rng.choice(OFFSETS),
        )
        for i in range(60)
    ]
    givers = [
        Person(
            1000 + i,
            "G",
            frozenset(rng.sample(THEMES, rng.randint(1, 3))),
            rng.choice(TEAMS),
            rng.choice(OFFSETS),
        )
        for i in range(45)
    ]
    history = [
        PastPair(rng.randrange(60), 1000 + rng.randrange(45), rng.randint(1, 12))
        for _ in range(300)
    ]
    s = PairingSettings(theme="social-media", giver_capacity=2)
    dense = pair_round(learners, givers, history, s)
    sparse = pair_round(learners, givers, history, PairingSettings(**{**s.__dict__, **SPARSE}))
    assert (dense.solver, sparse.solver) == ("dense", "sparse")
    assert result_key(dense)[0] == result_key(sparse)[0]
    assert result_key(dense)[1] == pytest.approx(result_key(sparse)[1], abs=1e-9)
    # a realistic top-k stays close and keeps the invariants
    approx = pair_round(
        learners, givers, history, PairingSettings(**{**s.__dict__, "exact_limit": 0, "top_k": 5})
    )
    check_invariants(learners, givers, history, s, approx)
    assert result_key(approx)[0] == result_key(dense)[0]


def test_large_pool_sparse_smoke():
    rng = random.Random(3)

    def mk(n, base):
        return [
            Person(
                base + i,
                "P",
                frozenset(rng.sample(THEMES, rng.randint(1, 2))),
                f"t{rng.randrange(20)}",
                rng.choice(OFFSETS),
            )
            for i in range(n)
        ]

    learners, givers = mk(1500, 0), mk(1400, 10_000)
    history = [
        PastPair(rng.randrange(1500), 10_000 + rng.randrange(1400), rng.randint(1, 12))
        for _ in range(3000)
    ]
    s = PairingSettings(theme="tech-savvy", exact_limit=100)
    res = pair_round(learners, givers, history, s)
    assert res.solver == "sparse"
    check_invariants(learners, givers, history, s, res)
    assert len(res.pairs) == 1400  # every giver used: the cardinality-first objective
    assert pair_round(learners, givers, history, s) == res


# ----------------------------------------------------------- hypothesis
@st.composite
def instances(draw, max_l=5, max_g=4, caps=(1, 2, 3)):
    seed = draw(st.integers(0, 2**32 - 1))
    rng = random.Random(seed)
    learners, givers, history, s = random_instance(rng, max_l, max_g)
    cap = draw(st.sampled_from(caps))
    sparse = draw(st.booleans())
    s = PairingSettings(**{**s.__dict__, "giver_capacity": cap, **(SPARSE if sparse else {})})
    return learners, givers, history, s


FAST = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(instances(max_l=8, max_g=7))
def test_invariants(inst):
    learners, givers, history, s = inst
    check_invariants(learners, givers, history, s, pair_round(learners, givers, history, s))


@FAST
@given(instances())
def test_fewest_repeats_for_the_matched_count(inst):
    learners, givers, history, s = inst
    res = pair_round(learners, givers, history, s)
    age = ages(history, s.no_repeat_window)
    reps = sum((p.learner_id, p.giver_id) in age for p in res.pairs)
    best = brute_force(learners, givers, history, s)
    assert len(res.pairs) == best["key"][0]  # matching with a repeat beats leaving someone out
    assert reps == best["min_rep"][len(res.pairs)]
    if reps:  # then every assignment with as many pairs has a repeat too
        assert best["min_rep"][len(res.pairs)] > 0


@FAST
@given(instances(max_l=8, max_g=7), st.integers(0, 3))
def test_deterministic_for_seed(inst, seed):
    learners, givers, history, s = inst
    s = PairingSettings(**{**s.__dict__, "seed": seed})
    assert pair_round(learners, givers, history, s) == pair_round(
        list(learners), list(givers), list(history), s
    )


@FAST
@given(instances(max_l=9, max_g=6, caps=(2, 3)))
def test_load_is_spread(inst):
    """No giver has 2+ learners while an idle giver is allowed (other team,
    not a recent repeat) for one of them."""
    learners, givers, history, s = inst
    res = pair_round(learners, givers, history, s)
    lmap = {p.id: p for p in learners}
    age = ages(history, s.no_repeat_window)
    load = Counter(p.giver_id for p in res.pairs)
    idle = [g for g in givers if load[g.id] == 0]
    for p in res.pairs:
        if load[p.giver_id] >= 2:
            lp = lmap[p.learner_id]
            for g in idle:
                assert (lp.team and lp.team == g.team) or (lp.id, g.id) in age, (lp, g)


# ------------------------------------------------------------ unit bits
def P(i, name, themes, team, off):
    return Person(i, name, frozenset(themes), team, off)


def test_scores_and_explanations():
    s = PairingSettings(theme="social-media", no_repeat_window=12)
    ana = P(1, "Ana", {"social-media", "tech-savvy"}, "red", 0)
    bo = P(2, "Bo", {"social-media", "tech-savvy"}, "blue", 2)
    cy = P(3, "Cy", {"life-work"}, "red", 0)
    assert score_pair(ana, cy, s, None) is None  # same team
    assert score_pair(ana, bo, s, None) == 8 + 1 + 2.5
    assert score_pair(ana, bo, s, 3) < score_pair(ana, bo, s, 10) < 0  # older repeats cost less
    assert score_pair(ana, bo, s, 13) == score_pair(ana, bo, s, None)  # outside the window
    res = pair_round(
        [ana],
        [bo],
        [],
        s,
        theme_names={"social-media": "Social media mastery", "tech-savvy": "Tech savvy"},
    )
    assert res.pairs[0].explanation == (
        "you both chose Social media mastery; you also share Tech savvy; "
        "different teams; 2 hours apart"
    )
    res = pair_round([ana], [bo], [PastPair(1, 2, 5)], s)
    assert res.pairs[0].explanation.endswith("paired again after 5 weeks")
    dan = P(4, "Dan", {"life-work"}, None, 0)
    assert (
        pair_round([dan], [P(5, "Eve", {"social-media"}, None, 0)], [], s).pairs[0].explanation
        == "Eve chose social-media; same timezone"
    )


def test_oldest_repeat_preferred_and_repeat_beats_unmatched():
    s = PairingSettings(theme="social-media")
    ana = P(1, "Ana", {"social-media"}, None, 0)
    good, ok = P(10, "Good", {"social-media"}, None, 0), P(11, "Ok", set(), None, 9)
    res = pair_round([ana], [good, ok], [PastPair(1, 10, 2), PastPair(1, 11, 8)], s)
    assert [(p.giver_id, p.explanation.endswith("after 8 weeks")) for p in res.pairs] == [
        (11, True)
    ]
    res = pair_round([ana], [good], [PastPair(1, 10, 1)], s)
    assert len(res.pairs) == 1 and not res.unmatched


def test_unmatched_reasons():
    s = PairingSettings(theme="tech-savvy")
    a, b = P(1, "A", set(), "red", 0), P(2, "B", set(), "red", 0)
    g = P(10, "G", set(), "red", 0)
    res = pair_round([a], [g], [], s)
    assert res.unmatched[0].reason == "every tip-giver this week is on your team"
    res = pair_round([a, b], [P(11, "H", set(), "blue", 0)], [], s)
    assert {u.role for u in res.unmatched} == {"learner"}
    assert res.unmatched[0].reason == "not enough tip-givers this week"
    res = pair_round([a], [P(11, "H", set(), None, 0), P(12, "I", set(), None, 0)], [], s)
    assert res.unmatched == [
        type(res.unmatched[0])(
            12 if res.pairs[0].giver_id == 11 else 11,
            "giver",
            "on standby: more tip-givers than learners this week",
        )
    ]
    assert pair_round([a], [], [], s).unmatched[0].reason == "no tip-givers signed up this week"
    with pytest.raises(ValueError):
        pair_round([a], [g], [], PairingSettings(theme="x", giver_capacity=6))
