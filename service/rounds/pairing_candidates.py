"""Candidate generation for the sparse pairing path: which few tip-givers each learner
(and which few learners each tip-giver) is worth an edge in the matching.

Ranking by raw scores made popular tip-givers hubs and lost matches, so candidates are
ranked by *price-reduced* scores: prices come from an entropic (Sinkhorn-style) solve of
the type-level transportation problem (``type_prices``). Pure numpy.
"""

from __future__ import annotations

import numpy as np

from .pairing_score import NO_TEAM


def knn_candidates(
    type_score: np.ndarray,
    src_type: np.ndarray,
    src_team: np.ndarray,
    dst_type: np.ndarray,
    dst_team: np.ndarray,
    k: int,
) -> tuple[np.ndarray, np.ndarray]:
    """For every source person, up to ``k`` good destination people by
    ``type_score`` (src types x dst types; the caller passes price-reduced
    scores), excluding same-team ones.

    Destination types are visited best first: the best one(s) supply about
    half of the candidates, every following type a couple, so each source
    also reaches several "next best" groups.  Inside a type, people are
    interchangeable, so source number ``r`` of its type takes a window starting
    at ``r * t``: equally good destinations are spread over the sources instead
    of everyone picking the same few.  Input order (seeded by the caller)
    decides the rotation.  ``k >= len(dst)`` takes every allowed edge.
    Fully vectorised; returns (src_idx, dst_idx).
    """
    n_src, n_dst = len(src_type), len(dst_type)
    na, nb = type_score.shape
    empty = np.zeros(0, np.int64)
    if k <= 0 or n_dst == 0 or n_src == 0:
        return empty, empty
    take_all = k >= n_dst
    want = n_dst if take_all else min(2 * k + 8, n_dst)  # slack for same-team exclusions
    top, spread = max(k // 2, 1) + 4, max(2, k // 10)
    size = np.bincount(dst_type, minlength=nb)
    dst_order = np.argsort(dst_type, kind="stable")
    starts = np.concatenate([[0], np.cumsum(size)])
    rank_t = np.argsort(-type_score, axis=1, kind="stable")  # (na, nb) dst types, best first
    quota = _type_quotas(type_score, rank_t, size, want, top, spread, take_all)
    seg_b, seg_t, seg_e = _windows(rank_t, quota, want)
    # every source person: rank inside its type, then gather its window
    r = _rank_in_type(src_type, na)
    B, T, E = seg_b[src_type], seg_t[src_type], seg_e[src_type]
    valid = B >= 0
    Bc = np.where(valid, B, 0)
    pos = (r[:, None] * T + E) % np.maximum(size[Bc], 1)
    cand = dst_order[np.minimum(starts[Bc] + pos, n_dst - 1)]
    st = src_team[:, None]
    ok = valid & ((dst_team[cand] != st) | (st == NO_TEAM))
    ok &= np.cumsum(ok, axis=1) <= k
    rr, cc = np.nonzero(ok)
    return rr.astype(np.int64), cand[rr, cc]


def _type_quotas(type_score, rank_t, size, want, top, spread, take_all) -> np.ndarray:
    """(na, nb): how many candidates each source type takes from each ranked destination
    type: ``top`` from the best type(s), ``spread`` from each next one, ``want`` in all."""
    na = type_score.shape[0]
    sz = size[rank_t]
    best = (
        type_score[np.arange(na)[:, None], rank_t]
        == type_score[np.arange(na), rank_t[:, 0]][:, None]
    )
    quota = sz if take_all else np.minimum(sz, np.where(best, top, spread))
    before = np.cumsum(quota, axis=1) - quota
    return np.clip(want - before, 0, quota)


def _windows(rank_t, quota, want) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Segment tables per source type: for candidate column u, the destination type, its
    quota t and the offset inside the window (-1 / 1 / 0 where unused)."""
    na, nb = quota.shape
    before = np.cumsum(quota, axis=1) - quota
    flat = quota.ravel()
    seg = np.repeat(np.arange(na * nb), flat)
    a_of = seg // nb
    u = np.arange(len(seg)) - np.repeat(
        np.concatenate([[0], np.cumsum(quota.sum(axis=1))])[:-1], quota.sum(axis=1)
    )
    seg_b = np.full((na, want), -1, np.int64)
    seg_t = np.ones((na, want), np.int64)
    seg_e = np.zeros((na, want), np.int64)
    seg_b[a_of, u] = rank_t.ravel()[seg]
    seg_t[a_of, u] = flat[seg]
    seg_e[a_of, u] = u - before.ravel()[seg]
    return seg_b, seg_t, seg_e


def _rank_in_type(src_type: np.ndarray, na: int) -> np.ndarray:
    """Each source person's position among the people of its type (input order)."""
    n_src = len(src_type)
    src_order = np.argsort(src_type, kind="stable")
    r = np.empty(n_src, np.int64)
    scount = np.bincount(src_type, minlength=na)
    r[src_order] = np.arange(n_src) - np.repeat(
        np.concatenate([[0], np.cumsum(scount)])[:-1], scount
    )
    return r


def _lse(z: np.ndarray, axis: int) -> np.ndarray:
    m = z.max(axis=axis, keepdims=True)
    return (m + np.log(np.exp(z - m).sum(axis=axis, keepdims=True))).squeeze(axis)


def type_prices(
    S: np.ndarray,
    x: np.ndarray,
    y: np.ndarray,
    c: int,
    load_step: float,
    eps_schedule=(4.0, 2.0, 1.0, 0.5, 0.25),
    iters: int = 40,
) -> tuple[np.ndarray, np.ndarray]:
    """Approximate dual prices of the type-level transportation problem.

    Learner types ``a`` (``x[a]`` people) are matched to giver-type slots
    ``(b, k)`` (``y[b]`` slots each, utility ``S[a, b] - k * load_step``),
    the smaller side fully.  Solved by entropic block-coordinate dual ascent
    (log-domain Sinkhorn with inequality constraints on the larger side,
    annealed epsilon).  Returns ``(f, h)``: learner-type prices (na,) and
    giver-slot prices (nb, c).  Only used to rank candidates: a learner ranks
    giver types by ``max_k S[a, b] - k*load - h[b, k]``, a giver ranks learner
    types by ``S[a, b] - f[a]``, so over-demanded groups look less attractive.
    """
    na, nb = S.shape
    kl = load_step * np.arange(c)[None, :]  # (1, c)
    lx, ly = np.log(x.astype(float)), np.log(y.astype(float))
    learners_bind = x.sum() <= y.sum() * c  # learners all matched, slots <= y
    f = np.zeros(na)
    h = np.zeros((nb, c))
    for eps in eps_schedule:
        for _ in range(iters):
            lw = _lse((-kl - h) / eps, axis=1)  # (nb,)
            f = eps * (_lse(S / eps + lw[None, :], axis=1) - lx)
            if not learners_bind:
                f = np.maximum(f, 0.0)
            lse_b = _lse((S - f[:, None]) / eps, axis=0)  # (nb,)
            h = eps * (lse_b - ly)[:, None] - kl
            if learners_bind:
                h = np.maximum(h, 0.0)
    return f, h
