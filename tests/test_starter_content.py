"""Checks on the Turnabout starter content (themes and weekly challenges)."""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import urlparse

import pytest

from service.rounds.starter_content import CHALLENGES, THEMES

EXPECTED_THEMES = [
    ("tech-savvy", "Tech-savvy prowess"),
    ("diversity-inclusion", "Diversity and inclusion"),
    ("rapid-change", "Adapting to rapid change"),
    ("social-media", "Social media mastery"),
    ("entrepreneurial", "Entrepreneurial spirit"),
    ("life-work", "Life-work integration"),
]

THEME_KEYS = {"slug", "name", "tagline", "description"}
CHALLENGE_KEYS = {"theme", "title", "learner_task", "giver_prompt", "links", "starter_tip"}
MARKDOWN_FIELDS = ("learner_task", "giver_prompt", "starter_tip")

# (min, max) word counts, inclusive.
WORD_RANGES = {
    "learner_task": (40, 120),
    "giver_prompt": (25, 80),
    "starter_tip": (30, 90),
}

MIN_CHALLENGES_PER_THEME = 4
MAX_TITLE_CHARS = 70  # titles must be strictly shorter


def word_count(text: str) -> int:
    """Count words, ignoring Markdown markers such as "-", "**" or "*"."""
    return sum(1 for token in text.split() if re.search(r"[A-Za-z0-9]", token))


def challenge_id(challenge: dict) -> str:
    return challenge.get("title", "<untitled>")


# --------------------------------------------------------------------------
# Themes
# --------------------------------------------------------------------------


def test_six_themes_with_exact_slugs_and_names_in_display_order():
    assert [(t["slug"], t["name"]) for t in THEMES] == EXPECTED_THEMES


@pytest.mark.parametrize("theme", THEMES, ids=lambda t: t["slug"])
def test_theme_shape(theme):
    assert set(theme) == THEME_KEYS
    for key in THEME_KEYS:
        assert isinstance(theme[key], str) and theme[key].strip(), key
    assert "\n" not in theme["tagline"], "tagline must be one line"
    assert "<" not in theme["tagline"] and "<" not in theme["description"]


@pytest.mark.parametrize("theme", THEMES, ids=lambda t: t["slug"])
def test_theme_description_is_two_or_three_sentences(theme):
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", theme["description"].strip()) if s]
    assert 2 <= len(sentences) <= 3, sentences


# --------------------------------------------------------------------------
# Challenges: collection-level rules
# --------------------------------------------------------------------------


def test_at_least_four_challenges_per_theme():
    counts = Counter(c["theme"] for c in CHALLENGES)
    for slug, _name in EXPECTED_THEMES:
        assert counts[slug] >= MIN_CHALLENGES_PER_THEME, (slug, counts[slug])
    assert len(CHALLENGES) >= MIN_CHALLENGES_PER_THEME * len(EXPECTED_THEMES)


def test_titles_are_unique():
    counts = Counter(c["title"].strip().casefold() for c in CHALLENGES)
    duplicates = [title for title, n in counts.items() if n > 1]
    assert not duplicates


def test_every_challenge_refers_to_an_existing_theme():
    slugs = {t["slug"] for t in THEMES}
    unknown = [(c["title"], c["theme"]) for c in CHALLENGES if c["theme"] not in slugs]
    assert not unknown


# --------------------------------------------------------------------------
# Challenges: per-challenge rules
# --------------------------------------------------------------------------


@pytest.mark.parametrize("challenge", CHALLENGES, ids=challenge_id)
def test_challenge_shape(challenge):
    assert set(challenge) == CHALLENGE_KEYS
    for key in CHALLENGE_KEYS - {"links"}:
        assert isinstance(challenge[key], str) and challenge[key].strip(), key
    assert isinstance(challenge["links"], list)


@pytest.mark.parametrize("challenge", CHALLENGES, ids=challenge_id)
def test_title_is_short_and_single_line(challenge):
    title = challenge["title"]
    assert len(title) < MAX_TITLE_CHARS, (len(title), title)
    assert "\n" not in title and title == title.strip()
    assert "<" not in title


@pytest.mark.parametrize("challenge", CHALLENGES, ids=challenge_id)
def test_no_raw_html_in_markdown_fields(challenge):
    for field in MARKDOWN_FIELDS:
        assert "<" not in challenge[field], field


@pytest.mark.parametrize("challenge", CHALLENGES, ids=challenge_id)
@pytest.mark.parametrize("field", sorted(WORD_RANGES))
def test_word_counts_within_range(challenge, field):
    low, high = WORD_RANGES[field]
    n = word_count(challenge[field])
    assert low <= n <= high, f"{field}: {n} words, expected {low}-{high}"


@pytest.mark.parametrize("challenge", CHALLENGES, ids=challenge_id)
def test_learner_task_and_giver_prompt_speak_to_the_reader(challenge):
    for field in ("learner_task", "giver_prompt"):
        assert re.search(r"\byou(r)?\b", challenge[field], re.IGNORECASE), field


@pytest.mark.parametrize("challenge", CHALLENGES, ids=challenge_id)
def test_links_are_https_with_titles(challenge):
    for link in challenge["links"]:
        assert set(link) == {"title", "url"}
        assert isinstance(link["title"], str) and link["title"].strip()
        assert "<" not in link["title"]
        parsed = urlparse(link["url"])
        assert parsed.scheme == "https", link["url"]
        assert parsed.netloc, link["url"]
        assert " " not in link["url"]


# --------------------------------------------------------------------------
# Sanity checks on the helpers themselves
# --------------------------------------------------------------------------


def test_word_count_ignores_markdown_markers():
    assert word_count("- **Done**, *Next*\n- Blocked by") == 4
