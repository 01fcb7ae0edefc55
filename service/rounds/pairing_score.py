"""Scoring constants and vectorised score tables for pairing (candidate generation for
the sparse path: ``pairing_candidates``).

Pure numpy; no framework imports.  ``pairing.py`` holds the public API.

Score scale (all values are exact multiples of 1/16, so sums are exact in
float64 and ties are real ties):

* preference, between 0 and ``PREF_MAX`` (= 18):
    - this round's theme chosen by both: ``THEME_BOTH`` (8), by one: ``THEME_ONE`` (3)
    - every other shared theme: ``OTHER_THEME`` (1) each, at most ``OTHER_THEME_CAP`` (4)
    - timezone: ``(12 - |hours apart|) / 4`` clipped at 0, i.e. 3 for the same
      timezone, 0 at 12 hours or more (offsets rounded to quarter hours)
    - same language: ``SAME_LANGUAGE`` (3), only when the programme prefers
      same-language pairs (an admin setting): as much as sharing a timezone, less
      than the gap between "both chose this theme" and "one did" (5), so a pair
      of different languages with the theme in common still wins
* repeat penalty for a pair seen ``a`` rounds ago inside the no-repeat window
  ``W``: ``REPEAT_BASE + REPEAT_AGE_STEP * (W - a)`` (100 000 for the oldest,
  + 100 for each more recent round).  The age step (100) is larger than any
  preference + load difference for one learner (15 + 4*20), so among repeats
  the oldest wins.
* load: a tip-giver's k-th slot costs ``(k - 1) * LOAD_STEP`` (20 > PREF_MAX),
  so nobody gets a second learner while an allowed, non-repeat giver sits idle.

``score_pair`` = preference - repeat penalty.  Load cost and the "matched"
bonus only live inside the solver.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np

THEME_BOTH = 8.0
THEME_ONE = 3.0
OTHER_THEME = 1.0
OTHER_THEME_CAP = 4
TZ_MAX = 3.0  # same timezone; minus 1/4 per hour apart
SAME_LANGUAGE = 3.0  # with PairingSettings.prefer_same_language
PREF_MAX = THEME_BOTH + OTHER_THEME * OTHER_THEME_CAP + TZ_MAX + SAME_LANGUAGE  # 18
LOAD_STEP = 20.0
REPEAT_BASE = 100_000.0
REPEAT_AGE_STEP = 100.0

NO_TEAM = -1


def quarter_hours(offset_hours: float) -> int:
    """UTC offset rounded to quarter hours (covers +5:45, +12:45, ...)."""
    return int(round(float(offset_hours) * 4))


def tz_score_q(qa: int, qb: int) -> float:
    return max(0, 48 - abs(qa - qb)) / 16.0


def theme_score(themes_a: frozenset, themes_b: frozenset, theme: str) -> float:
    a_has, b_has = theme in themes_a, theme in themes_b
    s = THEME_BOTH if (a_has and b_has) else THEME_ONE if (a_has or b_has) else 0.0
    others = len((themes_a & themes_b) - {theme})
    return s + OTHER_THEME * min(others, OTHER_THEME_CAP)


def preference(themes_a, off_a, themes_b, off_b, theme: str, same_language=False) -> float:
    return (
        theme_score(themes_a, themes_b, theme)
        + tz_score_q(quarter_hours(off_a), quarter_hours(off_b))
        + (SAME_LANGUAGE if same_language else 0.0)
    )


def repeat_penalty(rounds_ago: int | None, window: int) -> float:
    """0 outside the window; older repeats cost less than recent ones."""
    if rounds_ago is None or window <= 0 or rounds_ago > window:
        return 0.0
    return REPEAT_BASE + REPEAT_AGE_STEP * (window - max(int(rounds_ago), 1))


def max_repeat_penalty(window: int) -> float:
    return repeat_penalty(1, window) if window > 0 else 0.0


# --------------------------------------------------------------------------- types
class TypeTables:
    """People reduced to (theme set, quarter-hour offset) types.

    ``pref(li, gi)`` for index arrays is ``theme_tab[lth, gth] + tz_tab[lz, gz]``;
    ``types()`` gives combined types for candidate generation.
    """

    def __init__(
        self, learners: Sequence, givers: Sequence, theme: str, prefer_same_language=False
    ):
        # A "theme set" type is (themes, language) when the language counts, so the
        # same-language bonus lives in theme_tab and every path below sees it.
        set_ids: dict[tuple[frozenset, str], int] = {}
        q_ids: dict[int, int] = {}

        def key(p) -> tuple[frozenset, str]:
            return frozenset(p.themes), (p.language if prefer_same_language else "")

        def encode(people):
            th = np.fromiter(
                (set_ids.setdefault(key(p), len(set_ids)) for p in people),
                dtype=np.int64,
                count=len(people),
            )
            z = np.fromiter(
                (q_ids.setdefault(quarter_hours(p.utc_offset_hours), len(q_ids)) for p in people),
                dtype=np.int64,
                count=len(people),
            )
            return th, z

        self.lth, self.lz = encode(learners)
        self.gth, self.gz = encode(givers)
        sets = [themes for themes, _language in set_ids]
        vocab = {t: i for i, t in enumerate(sorted({theme}.union(*sets)))}
        inc = np.zeros((len(sets), len(vocab)), dtype=np.int64)
        for i, s in enumerate(sets):
            for t in s:
                inc[i, vocab[t]] = 1
        r = inc[:, vocab[theme]] if len(sets) else np.zeros(0, dtype=np.int64)
        shared = inc @ inc.T
        both = np.outer(r, r)
        one = (r[:, None] + r[None, :]) == 1
        others = np.minimum(shared - both, OTHER_THEME_CAP)
        self.theme_tab = THEME_BOTH * both + THEME_ONE * one + OTHER_THEME * others
        if prefer_same_language:
            languages = np.array([language for _themes, language in set_ids], dtype=object)
            same = (languages[:, None] == languages[None, :]) & (languages != "")[:, None]
            self.theme_tab = self.theme_tab + SAME_LANGUAGE * same
        qs = np.array(list(q_ids), dtype=np.int64)
        self.qs, self.has_theme = qs, r
        self.tz_tab = np.maximum(0, 48 - np.abs(qs[:, None] - qs[None, :])) / 16.0

    def pref(self, li: np.ndarray, gi: np.ndarray) -> np.ndarray:
        return self.theme_tab[self.lth[li], self.gth[gi]] + self.tz_tab[self.lz[li], self.gz[gi]]

    def pref_dense(self) -> np.ndarray:
        return self.theme_tab[np.ix_(self.lth, self.gth)] + self.tz_tab[np.ix_(self.lz, self.gz)]

    def types(self, max_cells: int = 250_000) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Combined (theme set, timezone bucket) types for candidate generation:
        ``(learner type, giver type, type preference matrix)``.  Timezones are
        bucketed ever coarser (then theme sets reduced to "has this round's
        theme") until the type matrix has at most ``max_cells`` cells, so
        pools with thousands of distinct combinations stay cheap.  Exact
        scores are used for the final edge weights regardless."""
        levels = [(True, w) for w in (1, 2, 4, 8, 16, 32)] + [(False, w) for w in (1, 4, 16, 1000)]
        for full, width in levels:
            lth, gth = (
                (self.lth, self.gth)
                if full
                else (self.has_theme[self.lth], self.has_theme[self.gth])
            )
            n_th = (len(self.theme_tab) if full else 2) or 1
            lb, gb = self.qs[self.lz] // width, self.qs[self.gz] // width
            off = min(lb.min(initial=0), gb.min(initial=0))
            lu, lt = _first_seen_codes((lb - off) * n_th + lth)
            gu, gt = _first_seen_codes((gb - off) * n_th + gth)
            if len(lu) * len(gu) <= max_cells or width == 1000:
                break
        centre = lambda u: (u // n_th + off) * width + (width - 1) / 2.0  # noqa: E731
        tz = np.maximum(0, 48 - np.abs(centre(lu)[:, None] - centre(gu)[None, :])) / 16.0
        if full:
            th = self.theme_tab[np.ix_(lu % n_th, gu % n_th)]
        else:
            a, b = lu % n_th, gu % n_th
            th = np.where(
                a[:, None] + b[None, :] == 2,
                THEME_BOTH,
                np.where(a[:, None] + b[None, :] == 1, THEME_ONE, 0.0),
            )
        return lt, gt, th + tz


def _first_seen_codes(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes numbered in order of first appearance (so a seeded input order
    gives a seeded type order)."""
    if len(keys) == 0:
        return keys, keys
    first = np.full(int(keys.max()) + 1, len(keys), dtype=np.int64)  # keys are small codes
    np.minimum.at(first, keys, np.arange(len(keys)))
    present = np.nonzero(first < len(keys))[0]
    uniq = present[np.argsort(first[present], kind="stable")]
    code = np.empty(len(first), dtype=np.int64)
    code[uniq] = np.arange(len(uniq))
    return uniq, code[keys]


def team_codes(learners: Sequence, givers: Sequence) -> tuple[np.ndarray, np.ndarray]:
    ids: dict[str, int] = {}

    def enc(people):
        return np.fromiter(
            (ids.setdefault(p.team, len(ids)) if p.team else NO_TEAM for p in people),
            dtype=np.int64,
            count=len(people),
        )

    return enc(learners), enc(givers)


def history_lookup(
    pairs_li: Iterable[int], pairs_gi: Iterable[int], ages: Iterable[int], n_givers: int
) -> tuple[np.ndarray, np.ndarray]:
    """Sorted int64 keys (li * n_givers + gi) and the most recent age per key."""
    li = np.asarray(list(pairs_li), dtype=np.int64)
    gi = np.asarray(list(pairs_gi), dtype=np.int64)
    ag = np.asarray(list(ages), dtype=np.int64)
    if len(li) == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    keys = li * n_givers + gi
    order = np.lexsort((ag, keys))
    keys, ag = keys[order], ag[order]
    first = np.ones(len(keys), dtype=bool)
    first[1:] = keys[1:] != keys[:-1]
    return keys[first], ag[first]


def ages_for(
    keys_sorted: np.ndarray, ages_sorted: np.ndarray, li: np.ndarray, gi: np.ndarray, n_givers: int
) -> np.ndarray:
    """Age (rounds ago) per edge, 0 where the pair is not in the window history."""
    out = np.zeros(len(li), dtype=np.int64)
    if len(keys_sorted) == 0 or len(li) == 0:
        return out
    q = li.astype(np.int64) * n_givers + gi
    pos = np.minimum(np.searchsorted(keys_sorted, q), len(keys_sorted) - 1)
    hit = keys_sorted[pos] == q
    out[hit] = ages_sorted[pos[hit]]
    return out


def penalties(ages: np.ndarray, window: int) -> np.ndarray:
    """Vectorised ``repeat_penalty``; ``ages`` 0 = no repeat."""
    pen = np.zeros(len(ages), dtype=np.float64)
    hit = (ages > 0) & (ages <= window)
    pen[hit] = REPEAT_BASE + REPEAT_AGE_STEP * (window - np.maximum(ages[hit], 1))
    return pen


# ----------------------------------------------------------------- explanation
def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def explain_pair(
    learner,
    giver,
    settings,
    rounds_ago: int | None = None,
    theme_names: Mapping[str, str] | None = None,
) -> str:
    """Short human explanation, e.g. "you both chose Social media mastery;
    different teams; 2 hours apart"."""
    names = theme_names or {}
    label = lambda slug: names.get(slug, slug)  # noqa: E731
    t = settings.theme
    bits = []
    if t in learner.themes and t in giver.themes:
        bits.append(f"you both chose {label(t)}")
    elif t in learner.themes or t in giver.themes:
        who = learner if t in learner.themes else giver
        bits.append(f"{who.name} chose {label(t)}")
    others = sorted((learner.themes & giver.themes) - {t})
    if others:
        bits.append(f"you also share {_join([label(s) for s in others])}")
    if learner.team or giver.team:
        bits.append("different teams")
    hours = abs(quarter_hours(learner.utc_offset_hours) - quarter_hours(giver.utc_offset_hours)) / 4
    bits.append(
        "same timezone" if hours == 0 else f"{hours:g} hour{'' if hours == 1 else 's'} apart"
    )
    if rounds_ago is not None and 0 < rounds_ago <= settings.no_repeat_window:
        bits.append(f"paired again after {rounds_ago} week{'' if rounds_ago == 1 else 's'}")
    return "; ".join(bits)
