"""One-click answers from the round's emails: /a/<token>.

GET shows the answer the link stands for, preselected, with one button and an optional
comment; it changes nothing (mail scanners open links). POST records it.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from service.confidence.models import STEPS
from service.extensions import db, limiter
from service.i18n import per_language, use_language
from service.links import read_without_transaction
from service.rounds import tips
from service.rounds.answer_page import (
    LinkedPairing,
    StoredAnswer,
    load_answer_link,
    store_answer,
)
from service.rounds.answer_press import press_in_one_statement
from service.rounds.answers import (
    SIDE_EFFECTS,
    AnswerRefused,
    RoundClosed,
    choices_for,
    record_answer,
    role_in,
)
from service.tokens import TokenError, read_token

bp = Blueprint("rounds", __name__)
bp.before_request(read_without_transaction)

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
WITH_COMMENT = {"outcome", "rating", "tried"}  # the other questions are one click, nothing more


# str(): a lazy string would reach Jinja marked safe (flask_babel's __html__).


@per_language
def _labels() -> tuple[dict, dict]:
    return (
        {value: str(label) for value, label in LABELS.items()},
        {q: {v: str(text) for v, text in labels.items()} for q, labels in QUESTION_LABELS.items()},
    )


def label_for(question: str, value: str) -> str:
    labels, by_question = _labels()
    return by_question.get(question, {}).get(value) or labels.get(value, value)


@per_language
def hints() -> dict[str, str]:
    return {value: str(hint) for value, hint in HINTS.items()}


@per_language
def _question_words() -> tuple[dict, dict]:
    return (
        {question: str(text) for question, text in QUESTION_TEXT.items()},
        {question: str(hint) for question, hint in QUESTION_HINTS.items()},
    )


def _bad_link(reason: str):
    advice = (
        gettext("Answer links work for 60 days. Reply to the email instead and we'll pass it on.")
        if reason == "expired"
        else gettext(
            "The link may have been cut short by your mail program; try copying all of it."
        )
    )
    title = (
        gettext("This link has expired")
        if reason == "expired"
        else gettext("This link does not work")
    )
    return render_template("error.html", title=title, message=advice), 400


def _read(token: str) -> tuple[int, int, str, str]:
    """The token signs (pairing, person, question); the preselected value comes from
    ?v= (not secret: the page offers every allowed value)."""
    payload = read_token("answer", token)
    try:
        pairing_id, subscriber_id, question = payload
    except (TypeError, ValueError):
        raise TokenError("invalid") from None
    return int(pairing_id), int(subscriber_id), str(question), request.args.get("v", "")


def _tips_to_share(pairing, subscriber_id: int) -> list[str]:
    """The person's own replies this question would share: they see what they agree to."""
    return [m.body.strip() for m in tips.tip_messages(pairing, subscriber_id)]


@bp.route("/a/<token>", methods=["GET", "POST"])
@limiter.limit("30/minute", methods=["POST"])
def answer(token: str):
    try:
        pairing_id, subscriber_id, question, chosen = _read(token)
    except TokenError as exc:
        return _bad_link(exc.reason)
    pressed = None
    if request.method == "POST" and question not in SIDE_EFFECTS:
        value, comment = _posted(question)
        pressed = press_in_one_statement(pairing_id, subscriber_id, question, value, comment)
    found, stored = pressed or (load_answer_link(pairing_id, subscriber_id, question), False)
    if found is None:
        abort(404)
    pairing, existing, language = found
    use_language(language)
    if stored:
        return _done(question, value, token)
    role = role_in(pairing, subscriber_id)
    choices = choices_for(question, role) if role else ()
    closed = pairing.round.closed
    page = AnswerPage(pairing, subscriber_id, question, choices, token, existing)
    if request.method == "POST" and choices and not closed:
        return _record(page, role)
    if not choices and existing is None:
        return render_template(
            "error.html",
            title=gettext("This answer is no longer open"),
            message=gettext(
                "You are no longer part of this pair this week, so there is nothing to answer here."
            ),
        ), 410
    if not choices:
        page.choices = (existing.value,)
    if request.method != "POST" or closed:
        selected = chosen if chosen in page.choices else (existing.value if existing else None)
        return page.render(
            selected=selected, comment=existing.comment if existing else "", closed=closed
        ), (410 if closed and request.method == "POST" else 200)
    # Someone no longer in the pair presses the button again: record_answer decides.
    return _record(page, role)


@dataclass
class AnswerPage:
    pairing: LinkedPairing
    subscriber_id: int
    question: str
    choices: tuple[str, ...]
    token: str
    existing: StoredAnswer | None

    def render(self, *, selected, comment, closed=False, error=None) -> str:
        question = self.question
        texts, question_hints = _question_words()
        return render_template(
            "rounds/answer.html",
            selected=selected,
            comment=comment,
            pairing=self.pairing,
            question=question,
            question_text=texts.get(question) or gettext("Your answer"),
            choices=[(c, label_for(question, c)) for c in self.choices],
            hints=hints(),
            question_hint=question_hints.get(question, ""),
            with_comment=question in WITH_COMMENT,
            token=self.token,
            existing=self.existing,
            closed=closed,
            error=error,
            tips=_tips_to_share(self.pairing, self.subscriber_id) if question == "share" else [],
        )


def _record(page: AnswerPage, role: str | None):
    """The button, where the page's own statement did not store it (answer_press: on
    PostgreSQL a press of a question without side effects is read and stored at once).
    A question without side effects is stored in one statement; the others, and a press
    by someone no longer in the pair, go through record_answer."""
    question = page.question
    value, comment = _posted(question)
    if value not in page.choices:
        return page.render(
            selected=None, comment=comment, error=gettext("Choose one of the answers.")
        ), 400
    try:
        if role is not None and question not in SIDE_EFFECTS:
            store_answer(page.pairing.id, page.subscriber_id, question, value, comment)
            db.session.commit()
        else:
            record_answer(page.pairing.id, page.subscriber_id, question, value, comment)
    except RoundClosed:
        return page.render(selected=value, comment=comment, closed=True), 410
    except AnswerRefused as exc:
        return render_template("error.html", title=gettext("Not recorded"), message=str(exc)), 400
    return _done(question, value, page.token)


def _posted(question: str) -> tuple[str, str]:
    """The pressed value, and the comment where the question takes one."""
    form = request.form
    return form.get("value", ""), form.get("comment", "") if question in WITH_COMMENT else ""


def _done(question: str, value: str, token: str):
    # `value` is what was stored (every path stores it or refuses); reading the row again
    # after its commit would cost a query.
    return render_template(
        "rounds/answer_done.html",
        label=label_for(question, value),
        value=value,
        hints=hints(),
        token=token,
    )
