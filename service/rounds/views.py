"""One-click answers from the round's emails: /a/<token>.

GET shows the answer the link stands for, preselected, with one button and an optional
comment; it changes nothing (mail scanners open links). POST records it.
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from sqlalchemy.orm import defaultload

from service.confidence.models import STEPS
from service.extensions import db, limiter
from service.links import read_without_transaction
from service.rounds import tips
from service.rounds.answers import (
    AnswerRefused,
    RoundClosed,
    choices_for,
    find_answer,
    record_answer,
    role_in,
)
from service.rounds.models import Challenge, Pairing, Round, RoundStatus
from service.tokens import TokenError, read_token

bp = Blueprint("rounds", __name__)
bp.before_request(read_without_transaction)

QUESTION_TEXT = {
    "outcome": "How did this week's challenge go?",
    "rating": "How useful was this week's exchange?",
    "tried": "Did you try this week's challenge?",
    "keep": "Keep this partner next week?",
    "confidence": "How confident are you with this now?",
    "clear": "Was it clear what your learner needed?",
    "again": "Would you give a tip on this theme again?",
    "share": "Share your tip with future learners?",
}
LABELS = {
    "tried": "I tried it",
    "help": "I need help",
    "skip": "Skip this week",
    "cant": "I can't give a tip this week",
    "yes": "Yes, I tried it",
    "no": "Not this time",
    **{str(n): f"{n} of 5" for n in range(1, 6)},
}
# Answers whose words depend on the question ("yes" to "keep" is not "Yes, I tried it").
QUESTION_LABELS = {
    "keep": {"yes": "Yes, let's keep going", "no": "No, someone new is fine"},
    "confidence": {str(n): f"{n} – {words}" for n, words in STEPS.items()},
    "clear": {"yes": "Yes, it was clear", "no": "Not really"},
    "again": {"yes": "Yes, gladly", "no": "Not this theme"},
    "share": {"share": "Yes, share my tip", "private": "No, keep it between us"},
}
HINTS = {
    "help": "Your tip-giver gets a note in your thread, with your comment if you add one.",
    "skip": "You leave this week's round quietly; next week's challenge comes as usual.",
    "cant": "Thanks for saying so. We'll find your learner someone else if we can.",
    "share": "Learners who take on this challenge later without a tip-giver may read it "
    "exactly as shown here; we add neither your name nor your address. You can take it "
    "back until the round closes.",
    "private": "Only your learner this week has read it. Nothing is shared.",
}
QUESTION_HINTS = {
    "keep": "If you both say yes, you stay together next week. Your partner never sees a no.",
    "confidence": "Your tip-giver never sees this. The programme only counts answers, "
    "without names, to see whether people learn.",
    "clear": "Your partner never sees this; it helps us write clearer challenges.",
    "again": "Your partner never sees this; it helps us choose themes and challenges.",
}
WITH_COMMENT = {"outcome", "rating", "tried"}  # the other questions are one click, nothing more


def label_for(question: str, value: str) -> str:
    return QUESTION_LABELS.get(question, {}).get(value) or LABELS.get(value, value)


def _bad_link(reason: str):
    advice = (
        "Answer links work for 60 days. Reply to the email instead and we'll pass it on."
        if reason == "expired"
        else "The link may have been cut short by your mail program; try copying all of it."
    )
    title = "This link has expired" if reason == "expired" else "This link does not work"
    return render_template("error.html", title=title, message=advice), 400


# The page shows the round's week and the challenge's title. The challenge's Markdown and
# links, most of the joined row, load only if something reads them.
PAGE_COLUMNS = [
    defaultload(Pairing.round).defaultload(Round.challenge).load_only(Challenge.title),
    defaultload(Pairing.round).defaultload(Round.challenge).lazyload(Challenge.theme),
]


def _load(token: str):
    """The token signs (pairing, person, question); the preselected value comes from
    ?v= (not secret: the page offers every allowed value)."""
    payload = read_token("answer", token)
    try:
        pairing_id, subscriber_id, question = payload
    except (TypeError, ValueError):
        raise TokenError("invalid") from None
    value = request.args.get("v", "")
    pairing = db.session.get(Pairing, int(pairing_id), options=PAGE_COLUMNS)
    if pairing is None:
        abort(404)
    return pairing, int(subscriber_id), str(question), str(value)


def _tips_to_share(pairing, subscriber_id: int) -> list[str]:
    """The person's own replies this question would share: they see what they agree to."""
    return [m.body.strip() for m in tips.tip_messages(pairing, subscriber_id)]


@bp.route("/a/<token>", methods=["GET", "POST"])
@limiter.limit("30/minute", methods=["POST"])
def answer(token: str):
    try:
        pairing, subscriber_id, question, chosen = _load(token)
    except TokenError as exc:
        return _bad_link(exc.reason)
    role = role_in(pairing, subscriber_id)
    choices = choices_for(question, role) if role else ()
    closed = pairing.round.status == RoundStatus.CLOSED
    if request.method == "POST" and choices and not closed:
        return _record(pairing, subscriber_id, question, choices, token)

    existing = find_answer(pairing.id, subscriber_id, question)
    if not choices and existing is None:
        return render_template(
            "error.html",
            title="This answer is no longer open",
            message="You are no longer part of this pair this week, so there is nothing to "
            "answer here.",
        ), 410
    if not choices:
        choices = (existing.value,)
    if request.method != "POST" or closed:
        selected = chosen if chosen in choices else (existing.value if existing else None)
        return render_template(
            "rounds/answer.html",
            selected=selected,
            comment=existing.comment if existing else "",
            **_page_context(pairing, subscriber_id, question, choices, token, existing, closed),
        ), (410 if closed and request.method == "POST" else 200)
    # Someone no longer in the pair presses the button again: record_answer decides.
    return _record(pairing, subscriber_id, question, choices, token)


def _page_context(pairing, subscriber_id, question, choices, token, existing, closed) -> dict:
    return {
        "pairing": pairing,
        "question": question,
        "question_text": QUESTION_TEXT.get(question, "Your answer"),
        "choices": [(c, label_for(question, c)) for c in choices],
        "hints": HINTS,
        "question_hint": QUESTION_HINTS.get(question, ""),
        "with_comment": question in WITH_COMMENT,
        "token": token,
        "existing": existing,
        "closed": closed,
        "error": None,
        "tips": _tips_to_share(pairing, subscriber_id) if question == "share" else [],
    }


def _record(pairing, subscriber_id: int, question: str, choices, token: str):
    """The button. record_answer looks up the stored answer itself; this view looks it up
    only for a page that shows it again (a wrong value, a round closed meanwhile)."""
    value = request.form.get("value", "")
    comment = request.form.get("comment", "") if question in WITH_COMMENT else ""

    def page(*, error=None, closed=False):
        existing = find_answer(pairing.id, subscriber_id, question)
        context = _page_context(pairing, subscriber_id, question, choices, token, existing, closed)
        context["error"] = error
        selected = None if error else value
        return render_template("rounds/answer.html", selected=selected, comment=comment, **context)

    if value not in choices:
        return page(error="Choose one of the answers."), 400
    try:
        record_answer(pairing.id, subscriber_id, question, value, comment)
    except RoundClosed:
        return page(closed=True), 410
    except AnswerRefused as exc:
        return render_template("error.html", title="Not recorded", message=str(exc)), 400
    # `value` is what was stored (record_answer stores it or refuses); reading the returned
    # row after its commit would cost a query to load it again.
    return render_template(
        "rounds/answer_done.html",
        label=label_for(question, value),
        value=value,
        hints=HINTS,
        token=token,
    )
