"""A pseudo-language for finding strings that do not go through the catalogue.

Every catalogue entry is "translated" to itself between ⟦ and ⟧ (placeholders kept, so
values are filled in as usual; date patterns too, so a Babel-written date is marked
and a strftime one is not). A page rendered in it shows every catalogue string
bracketed: what is left outside the brackets, once the data the test put in is taken
out, is text that never went through gettext.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask_babel import get_babel, refresh

POT = Path(__file__).resolve().parent.parent / "service" / "translations" / "messages.pot"
# A real locale (Babel must know it) whose language no catalogue of ours uses: Esperanto.
# (Not a variant of "en": the code compares languages, so en_001 would count as English.)
PSEUDO = "eo"
OPEN, CLOSE = "⟦", "⟧"


def write_catalogue(directory: Path) -> Path:
    """Compiles the pseudo-language's catalogue from the committed template."""
    with POT.open("rb") as handle:
        catalogue = read_po(handle, locale=PSEUDO)
    for message in catalogue:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            message.string = tuple(OPEN + form + CLOSE for form in message.id)
        else:
            message.string = OPEN + message.id + CLOSE
    target = directory / PSEUDO / "LC_MESSAGES"
    target.mkdir(parents=True)
    with (target / "messages.mo").open("wb") as handle:
        write_mo(handle, catalogue)
    return directory


def offer_pseudo_language(app, directory: Path) -> None:
    """`app` offers the pseudo-language to subscribers, as if it were in LANGUAGES."""
    babel = get_babel(app)
    babel.translation_directories = [*babel.translation_directories, str(directory)]
    app.config["LANGUAGES"] = (*app.config["LANGUAGES"], PSEUDO)
    with app.app_context():
        babel.instance.domain_instance.cache.pop((PSEUDO, "messages"), None)


def use_pseudo_language(app, directory: Path) -> None:
    """Every page and email of `app` renders in the pseudo-language from now on."""
    babel = get_babel(app)
    babel.translation_directories = [*babel.translation_directories, str(directory)]
    babel.locale_selector = lambda: PSEUDO
    with app.app_context():
        babel.instance.domain_instance.cache.pop((PSEUDO, "messages"), None)
        refresh()  # a test's own app context (`ctx`) keeps the locale chosen before


class _Reader(HTMLParser):
    """The text a person reads in a page, in order: text nodes and the attributes that
    are shown or spoken (data-say-* holds what a script shows). Skipped: scripts, styles,
    and what is marked as not for translation (<code>, <kbd>, <samp>, <pre>, and any
    element with translate="no")."""

    SKIPPED = {"script", "style", "code", "kbd", "samp", "pre"}
    SAID = ("title", "aria-label", "alt", "placeholder", "data-confirm")
    VOID = {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    }

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self.stack: list[bool] = []  # per open element: is its text skipped

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        skipped = bool(self.stack and self.stack[-1]) or tag in self.SKIPPED
        skipped = skipped or attrs.get("translate") == "no"
        if not skipped:
            self.pieces += [
                value
                for name, value in attrs.items()
                if value and (name in self.SAID or name.startswith("data-say-"))
            ]
            if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
                self.pieces.append(attrs["value"])
        if tag not in self.VOID:
            self.stack.append(skipped)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not (self.stack and self.stack[-1]):
            self.pieces.append(data)


def readable_text(markup: str) -> str:
    reader = _Reader()
    reader.feed(markup)
    reader.close()
    return " ".join(reader.pieces)


def outside_catalogue(text: str, data: list[str]) -> list[str]:
    """The words in `text` that are neither in a catalogue string nor in `data` (names,
    addresses, titles: what the test wrote into the database)."""
    text = html.unescape(text)
    inner = re.compile(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}")
    while True:  # innermost first: a catalogue string may carry another as a value
        shorter = inner.sub(" ", text)
        if shorter == text:
            break
        text = shorter
    for value in sorted({d for d in data if d}, key=len, reverse=True):
        text = re.sub(rf"(?<!\w){re.escape(value)}(?!\w)", " ", text)  # whole words only
    text = re.sub(r"https?://\S+|\S+@\S+", " ", text)
    return re.findall(r"[^\W\d_]{2,}(?:['’-][^\W\d_]+)*", text)
