"""Replies that are only a command ("skip", "pause 2 weeks", "stop", "help", "thanks", 👍).

A command is recognised only when it is the whole new text (a short name under it is
allowed), in English and the programme's other common languages, in any case; anything
longer is a message and is relayed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

SKIP, PAUSE, STOP, HELP, THANKS = "skip", "pause", "stop", "help", "thanks"

_WORDS = {
    SKIP: (
        "skip", "skip this week", "skip it", "überspringen", "ueberspringen", "aussetzen",
        "diese woche überspringen", "diese woche aussetzen", "woche überspringen",
        "passer", "passer cette semaine", "sauter", "saltar", "omitir", "overslaan",
        "salta", "saltare", "pular", "pula",
    ),
    STOP: (
        "stop", "unsubscribe", "unsubscribe me", "abmelden", "austragen", "désabonner",
        "se désabonner", "désinscrire", "desabonner", "baja", "darse de baja", "darme de baja",
        "afmelden", "uitschrijven", "disiscrivi", "disiscrivimi", "cancelar inscrição",
        "descadastrar", "arrêter", "arreter", "parar", "stopp", "stoppen", "abbestellen",
        "bitte abmelden", "abmelden bitte",
    ),
    HELP: (
        "help", "help me", "hilfe", "hilfe bitte", "bitte hilfe", "aide", "ayuda", "hulp",
        "aiuto", "ajuda", "?", "help?",
    ),
    THANKS: (
        "thanks", "thank you", "thanks a lot", "many thanks", "thank you so much", "thx",
        "ty", "cheers", "danke", "vielen dank", "danke schön", "danke schon", "dankeschön",
        "danke sehr", "besten dank", "herzlichen dank", "vielen lieben dank", "tausend dank",
        "danke ihnen", "danke dir",
        "merci", "merci beaucoup", "gracias", "muchas gracias", "bedankt", "dank je",
        "dank je wel", "dankjewel", "dank u", "dank u wel", "grazie", "grazie mille",
        "obrigado", "obrigada", "muito obrigado", "muito obrigada",
        "👍", "🙏", "❤", "♥", "👏", "🙌", "😊",
    ),
}  # fmt: skip
_LOOKUP = {word: name for name, words in _WORDS.items() for word in words}
_PAUSE = re.compile(
    r"^(pause|pausieren|pausa|pauze|mettre en pause)"
    r"(?:\s+(?:for\s+|für\s+|pour\s+|por\s+|per\s+|voor\s+)?(\d{1,2})"
    r"\s*(?:weeks?|wks?|w|wochen?|semaines?|semanas?|weken|settimane?|settimana)?)?$"
)
# German puts the length first as often as not: "2 Wochen Pause".
_WEEKS_THEN_PAUSE = re.compile(r"^(\d{1,2})\s*wochen?\s+(?:pause|pausieren)$")
_EMOJI_NOISE = re.compile("[\ufe0f\u200d\U0001f3fb-\U0001f3ff]")
_MAX_NAME_LINE = 30
_MAX_COMMAND_LINE = 200


@dataclass(frozen=True)
class Command:
    name: str
    weeks: int | None = None


def _normalise(line: str) -> str:
    line = unicodedata.normalize("NFC", line).strip().lower()
    line = _EMOJI_NOISE.sub("", line)
    line = re.sub(r"\s+", " ", line)
    line = re.sub(r"^[\"'“”]+|[\"'“”]+$", "", line)
    stripped = line.rstrip(" .!,;:")
    return stripped or line.strip()


def parse_command(text: str) -> Command | None:
    lines = [line for line in (text or "").split("\n") if line.strip()]
    if not lines or len(lines) > 2:
        return None
    if len(lines) == 2 and not _looks_like_name(lines[1]):
        return None
    if len(lines[0]) > _MAX_COMMAND_LINE:  # a sentence, not a command (and bounded work)
        return None
    word = _normalise(lines[0])
    if len(word) > 40:
        return None
    if re.fullmatch(r"(\S)(\s*\1)*", word) and word[0] in ("👍", "🙏", "❤", "♥", "👏", "🙌"):
        word = word[0]  # "👍👍👍"
    name = _LOOKUP.get(word)
    if name:
        return Command(name)
    match = _PAUSE.match(word)
    if match:
        weeks = int(match.group(2)) if match.group(2) else None
    elif match := _WEEKS_THEN_PAUSE.match(word):
        weeks = int(match.group(1))
    if match:
        if weeks is not None and not 1 <= weeks <= 52:
            return None
        return Command(PAUSE, weeks)
    return None


def _looks_like_name(line: str) -> bool:
    """A sign-off under the command ("Margaret", "- M."), not a sentence."""
    line = line.strip()
    return (
        len(line) <= _MAX_NAME_LINE
        and len(line.split()) <= 3
        and not re.search(r"[?:;]|\d", line)
        and _normalise(line) not in _LOOKUP
    )
