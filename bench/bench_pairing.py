"""Benchmark for service.rounds.pairing.

    .venv/bin/python bench/bench_pairing.py [--sizes 1000,10000,100000] [--capacity 1]
        [--continue-share 0.3] [--german-share 0.5 --prefer-same-language]

For each size (number of subscribers, split ~50/50 learners / tip-givers) it
generates a realistic pool (6 themes, ~50 teams, a handful of timezones,
12 previous rounds of history), runs ``pair_round`` with default settings and
prints wall time, peak memory, pairs, unmatched, and — where the dense problem
fits (learners x slots <= --gap-cells) — the gap between the solver actually
used and the exact dense ``linear_sum_assignment`` optimum.  Prints numbers,
asserts nothing.

``--continue-share 0.3``: that share of last round's pairs asked to stay together and
is passed as fixed pairs (continuations), as the planner does for a mutual "keep".

``--german-share 0.5 --prefer-same-language``: half the pool reads German and the
programme prefers same-language pairs (the SAME_LANGUAGE score term); the line then
also counts the pairs across languages.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
import tracemalloc
from dataclasses import replace

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from service.rounds.pairing import (  # noqa: E402
    LOAD_STEP,
    PairingSettings,
    PastPair,
    Person,
    pair_round,
)

THEMES = [
    "tech-savvy",
    "diversity-inclusion",
    "rapid-change",
    "social-media",
    "entrepreneurial",
    "life-work",
]
TZ = [
    (-8, 0.12),
    (-5, 0.2),
    (0, 0.15),
    (1, 0.2),
    (2, 0.08),
    (5.5, 0.1),
    (8, 0.08),
    (9, 0.04),
    (10, 0.03),
]


def make_pool(
    n: int,
    seed: int,
    history_rounds: int = 12,
    learner_share: float = 0.5,
    german_share: float = 0.0,
):
    rng = np.random.default_rng(seed)
    offs = np.array([o for o, _ in TZ])
    w = np.array([p for _, p in TZ])
    w /= w.sum()
    people = []
    for i in range(n):
        k = rng.choice([1, 2, 3], p=[0.4, 0.4, 0.2])
        themes = frozenset(rng.choice(THEMES, size=k, replace=False).tolist())
        team = None if rng.random() < 0.1 else f"team-{int(rng.integers(50))}"
        offset = float(rng.choice(offs, p=w))
        language = "de" if rng.random() < german_share else "en"
        people.append(Person(i, f"P{i}", themes, team, offset, language))
    is_learner = rng.random(n) < learner_share
    learners = [p for p, f in zip(people, is_learner, strict=True) if f]
    givers = [p for p, f in zip(people, is_learner, strict=True) if not f]
    history = []
    lids = np.array([p.id for p in learners])
    gids = np.array([p.id for p in givers])
    for r in range(1, history_rounds + 1):  # a random past pairing per round
        m = min(len(lids), len(gids))
        ls = rng.permutation(lids)[:m]
        gs = rng.permutation(gids)[:m]
        history.extend(PastPair(int(a), int(b), r) for a, b in zip(ls, gs, strict=True))
    return learners, givers, history, THEMES[int(rng.integers(len(THEMES)))]


def continuations(learners, givers, history, share: float, seed: int):
    """`share` of last round's pairs (rounds_ago == 1) that both asked to continue."""
    present = {p.id for p in learners} | {p.id for p in givers}
    last = [(h.learner_id, h.giver_id) for h in history if h.rounds_ago == 1]
    last = [pair for pair in last if pair[0] in present and pair[1] in present]
    teams = {p.id: p.team for p in learners} | {p.id: p.team for p in givers}
    last = [(a, b) for a, b in last if not teams[a] or teams[a] != teams[b]]
    rng = np.random.default_rng(seed)
    n = int(share * len(last))
    return [last[i] for i in sorted(rng.permutation(len(last))[:n])]


def objective(res, capacity):
    """(matched learners, total_score - load cost) — what the solver maximises."""
    load = {}
    for p in res.pairs:
        load[p.giver_id] = load.get(p.giver_id, 0) + 1
    load_cost = LOAD_STEP * sum(u * (u - 1) / 2 for u in load.values())
    return len(res.pairs), res.total_score - load_cost


def rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--capacity", type=int, default=1)
    ap.add_argument("--top-k", type=int, default=20)
    ap.add_argument(
        "--gap-cells",
        type=float,
        default=3e7,
        help="compute the exact dense optimum when learners x slots <= this",
    )
    ap.add_argument("--learner-share", type=float, default=0.5)
    ap.add_argument("--continue-share", type=float, default=0.0)
    ap.add_argument("--no-tracemalloc", action="store_true")
    ap.add_argument("--german-share", type=float, default=0.0, help="people who read German")
    ap.add_argument(
        "--prefer-same-language", action="store_true", help="the admin setting of that name"
    )
    a = ap.parse_args()
    print(
        f"python {sys.version.split()[0]}, cpus={os.cpu_count()}, "
        f"capacity={a.capacity}, top_k={a.top_k}, german_share={a.german_share}, "
        f"prefer_same_language={a.prefer_same_language}"
    )
    for n in [int(x) for x in a.sizes.split(",") if x]:
        learners, givers, history, theme = make_pool(
            n, seed=n, learner_share=a.learner_share, german_share=a.german_share
        )
        s = PairingSettings(
            theme=theme,
            giver_capacity=a.capacity,
            top_k=a.top_k,
            prefer_same_language=a.prefer_same_language,
        )
        fixed = continuations(learners, givers, history, a.continue_share, seed=n)
        kept = set(fixed)  # continuing pairs are exempt from the no-repeat window
        history = [h for h in history if (h.learner_id, h.giver_id) not in kept]
        t0, c0 = time.perf_counter(), time.process_time()
        res = pair_round(learners, givers, history, s, fixed=fixed)
        dt, cpu = time.perf_counter() - t0, time.process_time() - c0
        n_rep = sum("paired again" in p.explanation for p in res.pairs)
        language = {p.id: p.language for p in learners + givers}
        crossed = sum(language[p.learner_id] != language[p.giver_id] for p in res.pairs)
        ul = sum(u.role == "learner" for u in res.unmatched)
        ug = len(res.unmatched) - ul
        print(
            f"\nn={n}: learners={len(learners)} givers={len(givers)} "
            f"history={len(history)} theme={theme} continuing={len(fixed)}"
        )
        print(
            f"  solver={res.solver} time={dt:.2f}s (cpu {cpu:.2f}s) "
            f"pairs={len(res.pairs)} repeats={n_rep} across languages={crossed} "
            f"unmatched learners={ul} givers on standby={ug} total_score={res.total_score:.2f}"
        )
        if not a.no_tracemalloc:
            tracemalloc.start()
            t0 = time.perf_counter()
            pair_round(learners, givers, history, s, fixed=fixed)
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            print(
                f"  tracemalloc peak={peak / 2**20:.0f} MiB "
                f"(traced run {time.perf_counter() - t0:.2f}s)"
            )
        print(f"  ru_maxrss so far={rss_mb():.0f} MiB")
        cells = len(learners) * len(givers) * a.capacity
        if cells <= a.gap_cells:
            t0 = time.perf_counter()
            if res.solver == "dense":  # also show what the sparse path would give
                other = pair_round(
                    learners, givers, history, replace(s, exact_limit=0), fixed=fixed
                )
                exact, approx, label = res, other, "sparse top-k (forced)"
            else:
                exact = pair_round(
                    learners, givers, history, replace(s, exact_limit=10**9), fixed=fixed
                )
                approx, label = res, "sparse top-k"
            dt2 = time.perf_counter() - t0
            (ce, ve), (ca, va) = objective(exact, a.capacity), objective(approx, a.capacity)
            print(
                f"  gap of {label} vs exact dense ({dt2:.2f}s): matched {ca} vs {ce} "
                f"(diff {ce - ca}), objective {va:.4f} vs {ve:.4f} (diff {ve - va:.4f}, "
                f"{100 * (ve - va) / max(abs(ve), 1e-9):.4f}%), total_score diff "
                f"{exact.total_score - approx.total_score:.4f}"
            )
            print(f"  ru_maxrss so far={rss_mb():.0f} MiB")
        else:
            print(f"  gap: dense problem too large ({cells:.1e} cells), skipped")


if __name__ == "__main__":
    main()
