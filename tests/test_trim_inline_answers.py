"""Answers written between quoted lines are kept with the quotes they answer (issue 10 §6)."""

from __future__ import annotations

from service.inbound.trim import trim_reply
from service.inbound.trim_eval import normalise

HEADER = "On Mon, Nov 30, 2026 at 9:14 AM Ana Lopez <ana@example.com> wrote:\n"


def test_trim_inline_answers_keep_each_answered_quote():
    body = (
        HEADER
        + "> Did you try it?\n\nYes.\n\n> Did it help?\n\nA bit.\n\n> Anything else?\n> Ana\n"
    )
    assert normalise(trim_reply(body)) == "> Did you try it?\n\nYes.\n\n> Did it help?\n\nA bit."


def test_trim_inline_answers_below_a_top_line():
    body = (
        "Answers below.\n\n" + HEADER + "> Which tool?\nThe mail one.\n> How long?\nFive minutes.\n"
    )
    assert normalise(trim_reply(body)) == (
        "Answers below.\n\n> Which tool?\nThe mail one.\n> How long?\nFive minutes."
    )


def test_trim_inline_answers_drop_the_lone_marker_under_the_header():
    """iOS quotes its header and an empty ">" line; neither is context."""
    body = (
        "Short answers.\n\n> On 30 Nov 2026, at 09:14, Ana Lopez <ana@example.com> wrote:\n>\n"
        "> Did you try it?\n\nYes.\n\n> Useful?\n\nVery.\n"
    )
    assert normalise(trim_reply(body)) == (
        "Short answers.\n\n> Did you try it?\n\nYes.\n\n> Useful?\n\nVery."
    )


def test_trim_inline_answers_after_a_greeting():
    """ "Hi Ana," above the quote says the reply goes on below it: one answer is kept."""
    body = "Hi Ana,\n\n" + HEADER + "> Did you try it?\n\nYes, twice.\n"
    assert normalise(trim_reply(body)) == "Hi Ana,\n\n> Did you try it?\n\nYes, twice."


def test_trim_inline_answers_announced_keep_the_whole_message():
    """Answers inside an unquoted earlier message cannot be told apart: keep it all."""
    body = (
        "See my answers inline below.\n\n"
        "From: Ana Lopez <ana@example.com>\nSent: Monday, November 30, 2026 9:14 AM\n"
        "To: Tom <tom@example.com>\nSubject: Questions\n\n"
        "1. Which tool? [Tom] The mail one.\n2. Useful? [Tom] Yes.\n"
    )
    assert normalise(trim_reply(body)) == normalise(body)


def test_trim_inline_answers_announced_in_german_inside_a_quote():
    """ "Antworten siehe unten" above a fully quoted mail: the answers are in the quote."""
    body = (
        "Antworten siehe unten.\n\n"
        "Am 30.11.2026 um 09:14 schrieb Ana Lopez <ana@example.com>:\n"
        "> Hast du es probiert? Ja, gestern.\n> Hilfreich? Sehr.\n"
    )
    assert normalise(trim_reply(body)) == normalise(body)


def test_trim_inline_answers_without_announcement_stay_top_posted():
    """A plain top-posted reply still loses the earlier message."""
    body = "Thanks, sounds good.\n\n" + HEADER + "> Did you try it?\n> Ana\n"
    assert trim_reply(body) == "Thanks, sounds good."
