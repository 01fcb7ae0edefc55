"""Finds English left in text that should be German: any catalogue sentence still in
English, and English function words ("the", "your", "this week") that German never uses.
Proper names and content that is not ours to translate are taken out first."""

from __future__ import annotations

import html
import re
from functools import lru_cache
from pathlib import Path

from babel.messages.pofile import read_po

POT = Path(__file__).resolve().parent.parent / "service" / "translations" / "messages.pot"

# Words that occur in English sentences and never in German ones ("in", "so", "will",
# "Team", "Link", "Partner", "Pause" are German too, so they are not here).
ENGLISH_WORDS = frozenset(
    """the and you your yours this that with week weeks please here there have has would
    could should our we they them their from about what when which who how why click
    thank thanks reply tip tips learner learners giver givers challenge challenges join
    leave skip help yes not nothing is are were to of for on at by it its if or but
    any only just more again new now next last first time day days after
    before been into out up can cannot do does did done get see say says share shared
    unsubscribe preferences subscribed confirm themes theme choose change""".split()
)
# Names and words kept in every language.
ALLOWED = frozenset("Turnabout Reverse Mentoring JSON Re Europe Berlin".split())


@lru_cache(maxsize=1)
def catalogue_sentences() -> list[str]:
    """The English text of each catalogue entry of three words or more, placeholders cut
    out: each piece between placeholders must not appear in the German output."""
    with POT.open("rb") as f:
        catalogue = read_po(f)
    pieces = []
    for message in catalogue:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        for text in ids:
            for piece in re.split(r"%\(\w+\)s|<[^>]+>", text or ""):
                piece = piece.strip(" .,:;()“”\"'")
                if len(piece.split()) >= 3:
                    pieces.append(piece)
    return pieces


def visible_text(markup: str) -> str:
    """The words a reader sees in an HTML page or email, with attributes people read."""
    markup = re.sub(r"(?is)<(script|style|head)\b.*?</\1>", " ", markup)
    said = " ".join(re.findall(r'(?:aria-label|alt|title|placeholder)="([^"]*)"', markup))
    text = re.sub(r"(?s)<[^>]+>", " ", markup)
    return html.unescape(text + " " + said)


def english_leftovers(text: str, not_ours: list[str]) -> list[str]:
    """What in `text` is still English. `not_ours`: values to remove first (names,
    addresses, links, content written by people or admins)."""
    values = {v for v in not_ours if v} | {visible_text(v).strip() for v in not_ours if v}
    for value in sorted(values, key=len, reverse=True):
        text = text.replace(value, " ")
    text = re.sub(r"https?://\S+|\S+@\S+", " ", text)
    found = [piece for piece in catalogue_sentences() if piece in text]
    words = re.findall(r"[A-Za-z']+", text)
    found += sorted({w for w in words if w.lower() in ENGLISH_WORDS and w not in ALLOWED})
    return found
