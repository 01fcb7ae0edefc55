"""Checks on the German starter library: complete, the same shape and quality bar as the
English one, and the formal "Sie" used consistently."""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import urlparse

import pytest

from service.rounds import starter_content as en
from service.rounds import starter_content_de as de
from tests.test_starter_content import MAX_TITLE_CHARS, WORD_RANGES

MARKDOWN_FIELDS = ("learner_task", "giver_prompt", "starter_tip")
INFORMAL_ADDRESS = re.compile(r"\b(du|dich|dir|dein\w*|euch|euer|eure\w*|ihr seid)\b", re.I)
FORMAL_ADDRESS = re.compile(r"\b(Sie|Ihr\w*|Ihnen)\b")
ENGLISH_LEFTOVERS = re.compile(r"\b(the|and|your|you|with|it worked|tip-giver)\b", re.I)


def word_count(text: str) -> int:
    return sum(1 for token in text.split() if re.search(r"[A-Za-z0-9ÄÖÜäöüß]", token))


def test_every_english_theme_has_one_german_theme_in_the_same_order():
    assert [t["slug"] for t in de.THEMES] == [t["slug"] for t in en.THEMES]


def test_every_english_challenge_has_exactly_one_german_challenge_of_the_same_theme():
    english = {c["title"]: c["theme"] for c in en.CHALLENGES}
    sources = Counter(c["source_title"] for c in de.CHALLENGES)
    assert set(sources) == set(english)
    assert max(sources.values()) == 1
    assert all(english[c["source_title"]] == c["theme"] for c in de.CHALLENGES)


@pytest.mark.parametrize("theme", de.THEMES, ids=lambda t: t["slug"])
def test_german_theme_shape_and_length(theme):
    assert set(theme) == {"slug", "name", "tagline", "description"}
    assert all(theme[key].strip() for key in theme)
    assert "\n" not in theme["tagline"] and len(theme["tagline"]) <= 200
    assert len(theme["name"]) <= 80
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", theme["description"].strip()) if s]
    assert 2 <= len(sentences) <= 3, sentences


def test_german_titles_are_unique_and_short():
    titles = [c["title"] for c in de.CHALLENGES]
    assert len({t.casefold() for t in titles}) == len(titles)
    too_long = [t for t in titles if len(t) >= MAX_TITLE_CHARS or "\n" in t]
    assert not too_long


@pytest.mark.parametrize("challenge", de.CHALLENGES, ids=lambda c: c["source_title"])
def test_german_challenge_shape(challenge):
    assert set(challenge) == {
        "source_title",
        "theme",
        "title",
        "learner_task",
        "giver_prompt",
        "links",
        "starter_tip",
    }
    for field in MARKDOWN_FIELDS:
        assert "<" not in challenge[field], field
    for field, (low, high) in WORD_RANGES.items():
        assert low <= word_count(challenge[field]) <= high, field


@pytest.mark.parametrize("challenge", de.CHALLENGES, ids=lambda c: c["source_title"])
def test_german_challenge_speaks_formally_to_the_reader(challenge):
    for field in ("learner_task", "giver_prompt"):
        assert FORMAL_ADDRESS.search(challenge[field]), field
    for field in ("title", *MARKDOWN_FIELDS):
        assert not INFORMAL_ADDRESS.search(challenge[field]), (field, challenge[field])
        assert not ENGLISH_LEFTOVERS.search(challenge[field]), (field, challenge[field])


@pytest.mark.parametrize("theme", de.THEMES, ids=lambda t: t["slug"])
def test_german_theme_has_no_informal_address_or_english_leftovers(theme):
    for field in ("name", "tagline", "description"):
        assert not INFORMAL_ADDRESS.search(theme[field]), field
        assert not ENGLISH_LEFTOVERS.search(theme[field]), field


@pytest.mark.parametrize("challenge", de.CHALLENGES, ids=lambda c: c["source_title"])
def test_german_links_are_https_with_titles(challenge):
    for link in challenge["links"]:
        assert set(link) == {"title", "url"} and link["title"].strip()
        parsed = urlparse(link["url"])
        assert parsed.scheme == "https" and parsed.netloc and " " not in link["url"]
