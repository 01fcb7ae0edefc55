"""A reply typed on the same line as the quote header keeps the reply (issue 10 §6)."""

from __future__ import annotations

import pytest

from service.inbound.trim import split_reply, trim_reply

QUOTE = "> Can we meet on Thursday?\n>\n> Ana\n"

SAME_LINE = {
    "english": (
        "Sounds good. On Mon, 30 Nov 2026 at 09:14, Ana Lopez <ana@example.com> wrote:\n",
        "Sounds good.",
    ),
    "german": (
        "Passt! Am Mo., 30. Nov. 2026 um 09:14 Uhr schrieb Ana Lopez <ana@example.com>:\n",
        "Passt!",
    ),
    "french_space_before_bang": (
        "Avec plaisir ! Le lun. 30 nov. 2026 à 09:14, Ana Lopez <ana@example.com> a écrit :\n",
        "Avec plaisir !",
    ),
    "portuguese": (
        "Combinado. Em seg., 30 de nov. de 2026 às 09:14, Ana Lopez <ana@example.com> escreveu:\n",
        "Combinado.",
    ),
    "vietnamese": (
        "Dạ được ạ. Vào Th 2, 30 thg 11, 2026 vào lúc 09:14 Ana Lopez <ana@example.com> đã viết:\n",
        "Dạ được ạ.",
    ),
    "polish_gmail_weekday_first": (
        "Super. pon., 30 lis 2026 o 09:14 Ana Lopez <ana@example.com> napisał(a):\n",
        "Super.",
    ),
    "russian_gmail_without_verb": (
        "Да. чт, 3 дек. 2026 г. в 10:02, Иван <ivan@example.ru>:\n",
        "Да.",
    ),
    "wrapped_onto_the_next_line": (
        "Thanks, will do. On Mon, Nov 30, 2026 at 9:14 AM Ana Lopez via Turnabout <\n"
        "reply+k3y@reply.turnabout.example> wrote:\n\n",
        "Thanks, will do.",
    ),
    "after_earlier_lines": (
        "I tried it twice.\nIt worked the second time. On Mon, 30 Nov 2026 at 09:14, "
        "Ana Lopez <ana@example.com> wrote:\n",
        "I tried it twice.\nIt worked the second time.",
    ),
}


@pytest.mark.parametrize("head, expected", SAME_LINE.values(), ids=SAME_LINE.keys())
def test_trim_same_line_reply_keeps_the_reply(head, expected):
    assert trim_reply(head + QUOTE) == expected


def test_trim_same_line_reply_elides_only_the_header_part():
    kept, elided = split_reply(
        "Sounds good. On Mon, 30 Nov 2026 at 09:14, Ana Lopez <ana@example.com> wrote:\n" + QUOTE
    )
    assert kept == "Sounds good."
    assert elided.startswith("On Mon, 30 Nov 2026 at 09:14, Ana Lopez <ana@example.com> wrote:\n")


def test_trim_same_line_reply_above_an_unquoted_earlier_message():
    """Clients that do not quote (Yahoo, Outlook) still lose only the header part."""
    body = (
        "Sounds good. On Mon, 30 Nov 2026 at 09:14, Ana <ana@example.com> wrote:\n"
        "Hi Tom, can we meet on Thursday?\nAna\n"
    )
    assert trim_reply(body) == "Sounds good."


def test_trim_same_line_reply_leaves_prose_alone():
    """A sentence that only mentions a date and "wrote" is no header: nothing is cut."""
    body = "I checked the log. On Mon, 30 Nov 2026 at 09:14 Ana wrote the fix.\n" + QUOTE
    assert trim_reply(body) == "I checked the log. On Mon, 30 Nov 2026 at 09:14 Ana wrote the fix."


def test_trim_same_line_reply_never_splits_a_header_with_abbreviations():
    """ "Le lun. 30 nov. 2026" has sentence-like dots: it is still one header."""
    body = "Merci.\n\nLe lun. 30 nov. 2026 à 09:14, Ana Lopez <ana@example.com> a écrit :\n" + QUOTE
    kept, elided = split_reply(body)
    assert kept == "Merci."
    assert elided.startswith("Le lun. 30 nov. 2026 à 09:14, Ana Lopez")


def test_trim_same_line_reply_loose_header_alone_keeps_everything():
    """A line that only *ends* like a header, above nothing but a quote, may be the reply."""
    body = "Thanks. I wrote to Ana <ana@example.com>:\n> Can we meet?\n"
    assert trim_reply(body) == body.rstrip("\n")
