"""The "prefer same-language pairs" setting: a pairing score term (SAME_LANGUAGE), off by
default, on the exact (dense) and the candidate-graph (sparse) paths, never outweighing
the week's theme."""

from __future__ import annotations

import pytest

from service.rounds.pairing import PairingSettings, Person, pair_round, score_pair
from service.rounds.pairing_score import SAME_LANGUAGE

THEME = "tech-savvy"


def person(pid: int, language: str, *, themes=(THEME,), team: str | None = None) -> Person:
    return Person(pid, f"P{pid}", frozenset(themes), team or f"team{pid}", 1.0, language)


def languages_of(result, people) -> list[tuple[str, str]]:
    by_id = {p.id: p.language for p in people}
    return sorted((by_id[p.learner_id], by_id[p.giver_id]) for p in result.pairs)


def test_score_counts_the_language_only_when_the_programme_prefers_it():
    learner, same, other = person(1, "de"), person(2, "de"), person(3, "en")
    off = PairingSettings(theme=THEME)
    on = PairingSettings(theme=THEME, prefer_same_language=True)
    assert score_pair(learner, same, off, None) == score_pair(learner, other, off, None)
    assert score_pair(learner, same, on, None) == score_pair(learner, other, on, None) + 3.0
    unknown = person(4, "")
    assert score_pair(person(5, ""), unknown, on, None) == score_pair(learner, other, on, None)


@pytest.mark.parametrize("seed", range(6))
def test_with_the_setting_people_meet_someone_of_their_language(seed):
    learners = [person(1, "de"), person(2, "en"), person(3, "de")]
    givers = [person(11, "en"), person(12, "de"), person(13, "de")]
    on = PairingSettings(theme=THEME, seed=seed, prefer_same_language=True)
    result = pair_round(learners, givers, [], on)
    assert languages_of(result, learners + givers) == [("de", "de"), ("de", "de"), ("en", "en")]


def test_without_the_setting_the_seed_decides_between_languages():
    learners = [person(1, "de"), person(2, "en"), person(3, "de")]
    givers = [person(11, "en"), person(12, "de"), person(13, "de")]
    mixed = {
        tuple(languages_of(pair_round(learners, givers, [], PairingSettings(THEME, seed=s)),
                           learners + givers))
        for s in range(12)
    }  # fmt: skip
    assert len(mixed) > 1  # some seeds pair across languages: the term is what changes it


def test_the_weeks_theme_still_outweighs_the_language():
    learner = person(1, "de", themes=(THEME,))
    shares_theme = person(11, "en", themes=(THEME,))
    shares_language = person(12, "de", themes=("life-work",))
    on = PairingSettings(theme=THEME, prefer_same_language=True)
    result = pair_round([learner], [shares_theme, shares_language], [], on)
    assert [p.giver_id for p in result.pairs] == [11]
    assert SAME_LANGUAGE < 8.0 - 3.0  # less than "both chose the theme" over "one did"


def test_the_sparse_path_prefers_the_same_language_too():
    learners = [person(i, "de" if i % 2 else "en") for i in range(1, 301)]
    givers = [person(1000 + i, "en" if i % 2 else "de") for i in range(1, 301)]
    on = PairingSettings(theme=THEME, prefer_same_language=True, exact_limit=10, top_k=8)
    result = pair_round(learners, givers, [], on)
    assert result.solver == "sparse" and len(result.pairs) == 300
    crossed = [a for a, b in languages_of(result, learners + givers) if a != b]
    assert crossed == []
