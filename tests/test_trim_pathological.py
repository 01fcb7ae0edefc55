"""Hostile and huge replies come out right (and, by construction, in linear time).

Before issue 10 the trimmer's regular expressions backtracked quadratically: one
reply line of a word, 24,000 spaces and a word took 5-10 s. This test checks the
*output* on such inputs; the time is measured by ``bench/bench_trim.py`` (tests
never time things). The whole file runs in well under a second.
"""

from __future__ import annotations

import pytest

from service.inbound.trim import trim_reply
from service.inbound.trim_eval import normalise

N = 24_000
LINES = 1_000  # many lines of each kind; the bench times larger counts
HEADER = "On Mon, Nov 30, 2026 at 9:14 AM Ana <ana@example.com> wrote:\n"

# Bodies that are a single text (or quote-only) line: kept exactly as they are.
KEPT_WHOLE = {
    "word_spaces_word": "Thanks" + " " * N + "x",
    "word_tabs_word": "Thanks" + "\t" * N + "x",
    "word_stars_word": "Thanks" + "*" * N + "x",
    "word_underscores_word": "Thanks" + "_" * N + "x",
    "dashes_spaces_word": "--" + " " * N + "x",
    "spaces_then_word": " " * N + "x",
    "run_of_gt": ">" * N + "x",
    "run_of_gt_space": "> " * (N // 2) + "x",
    "run_of_star_underscore": "* _" * (N // 3) + "x",
    "link_targets": "](" * (N // 2),
    "address_like": "a.b@" * (N // 4),
    "on_and_digits": "On " + "1 " * (N // 2),
    "long_line_ending_in_wrote": "x " * (N // 2) + "wrote:",
}


@pytest.mark.parametrize("body", KEPT_WHOLE.values(), ids=KEPT_WHOLE.keys())
def test_trim_pathological_line_is_kept(body):
    assert trim_reply(body) == body


def test_trim_pathological_line_of_spaces_in_a_reply():
    body = "Thanks\n" + " " * N + "\n" + HEADER + "> q\n"
    assert trim_reply(body) == "Thanks"


def test_trim_pathological_spaces_inside_the_reply_line():
    body = "Thanks" + " " * N + "see you\n\n" + HEADER + "> q\n"
    assert trim_reply(body) == "Thanks" + " " * N + "see you"


def test_trim_pathological_same_line_header_after_a_huge_line_is_not_split():
    """A line too long to hold a reply and a header stays whole: keep more."""
    line = "Sounds good." + " " * N + HEADER.rstrip("\n")
    assert trim_reply(line + "\n> q\n") == line


def test_trim_pathological_many_blank_lines_around_the_reply():
    assert trim_reply("\n" * LINES + "Hi" + "\n>\n" * LINES) == "Hi"


def test_trim_pathological_many_lines():
    assert trim_reply("line of text\n" * LINES) == ("line of text\n" * LINES).strip("\n")
    assert trim_reply("Sent from my iPhone\n" * LINES) == ""
    assert trim_reply("From: x\n" * LINES) == ""


def test_trim_pathological_long_quote_then_the_answer():
    body = HEADER + "> quoted\n" * LINES + "\nNoon works.\n"
    assert trim_reply(body) == "Noon works."


def test_trim_pathological_many_answers_between_quotes():
    body = HEADER + "> q\nA\n" * LINES + "> q\n"
    assert normalise(trim_reply(body)) == normalise("> q\nA\n" * LINES)


def test_trim_pathological_many_headers():
    assert trim_reply(HEADER * LINES + "> q\n") == "> q"
    # Text and quotes alternate: an interleaved reply, every header goes.
    interleaved = ("Reply\n" + HEADER + "> q\n") * LINES
    assert trim_reply(interleaved) == "\n> q\n".join(["Reply"] * LINES)
