"""The one-click page's fixed words: its questions, the answers' labels and hints.

A page takes them from one bundle per language (answer_words()), made from the catalogue
once per process: Flask-Babel's gettext looks up the request's locale, domain and
catalogue on every call, and the page and its thank-you page asked for five to eight
lookups of words that never change while the process runs.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from service.confidence.models import STEPS
from service.i18n import per_language

QUESTION_TEXT = {
    "outcome": _l("How did this week's challenge go?"),
    "rating": _l("How useful was this week's exchange?"),
    "tried": _l("Did you try this week's challenge?"),
    "keep": _l("Keep this partner next week?"),
    "confidence": _l("How confident are you with this now?"),
    "clear": _l("Was it clear what your learner needed?"),
    "again": _l("Would you give a tip on this theme again?"),
    "share": _l("Share your tip with future learners?"),
}
LABELS = {
    "tried": _l("I tried it"),
    "help": _l("I need help"),
    "skip": _l("Skip this week"),
    "cant": _l("I can't give a tip this week"),
    "yes": _l("Yes, I tried it"),
    "no": _l("Not this time"),
    **{str(n): _l("%(n)s of 5", n=n) for n in range(1, 6)},
}
# Answers whose words depend on the question ("yes" to "keep" is not "Yes, I tried it").
QUESTION_LABELS = {
    "keep": {"yes": _l("Yes, let's keep going"), "no": _l("No, someone new is fine")},
    "confidence": {
        str(n): _l("%(n)s – %(words)s", n=n, words=_l(words)) for n, words in STEPS.items()
    },
    "clear": {"yes": _l("Yes, it was clear"), "no": _l("Not really")},
    "again": {"yes": _l("Yes, gladly"), "no": _l("Not this theme")},
    "share": {"share": _l("Yes, share my tip"), "private": _l("No, keep it between us")},
}
HINTS = {
    "help": _l("Your tip-giver gets a note in your thread, with your comment if you add one."),
    "skip": _l("You leave this week's round quietly; next week's challenge comes as usual."),
    "cant": _l("Thanks for saying so. We'll find your learner someone else if we can."),
    "share": _l(
        "Learners who take on this challenge later without a tip-giver may read it "
        "exactly as shown here; we add neither your name nor your address. You can take it "
        "back until the round closes."
    ),
    "private": _l("Only your learner this week has read it. Nothing is shared."),
}
QUESTION_HINTS = {
    "keep": _l("If you both say yes, you stay together next week. Your partner never sees a no."),
    "confidence": _l(
        "Your tip-giver never sees this. The programme only counts answers, "
        "without names, to see whether people learn."
    ),
    "clear": _l("Your partner never sees this; it helps us write clearer challenges."),
    "again": _l("Your partner never sees this; it helps us choose themes and challenges."),
}


@dataclass(frozen=True)
class AnswerWords:
    """The page's words in one language. str() throughout: a lazy string would reach
    Jinja marked safe (flask_babel's __html__)."""

    questions: dict[str, str]
    question_hints: dict[str, str]
    labels: dict[str, str]
    question_labels: dict[str, dict[str, str]]
    hints: dict[str, str]

    def label(self, question: str, value: str) -> str:
        by_question = self.question_labels.get(question)
        return (by_question and by_question.get(value)) or self.labels.get(value, value)


@per_language
def answer_words() -> AnswerWords:
    return AnswerWords(
        questions={question: str(text) for question, text in QUESTION_TEXT.items()},
        question_hints={question: str(hint) for question, hint in QUESTION_HINTS.items()},
        labels={value: str(label) for value, label in LABELS.items()},
        question_labels={
            question: {value: str(text) for value, text in labels.items()}
            for question, labels in QUESTION_LABELS.items()
        },
        hints={value: str(hint) for value, hint in HINTS.items()},
    )
