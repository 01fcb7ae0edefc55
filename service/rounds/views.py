"""One-click answers from the round's emails: /a/<token>.

GET shows the answer the link stands for, preselected, with one button and an optional
comment; it changes nothing (mail scanners open links). POST records it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext
from flask_limiter.util import get_remote_address
from limits import parse
from werkzeug.exceptions import TooManyRequests

from service.extensions import db, limiter
from service.i18n import use_language
from service.links import read_without_transaction
from service.rounds import tips
from service.rounds.answer_page import (
    LinkedPairing,
    StoredAnswer,
    load_answer_link,
    store_answer,
)
from service.rounds.answer_press import press_in_one_statement
from service.rounds.answer_words import answer_words
from service.rounds.answers import (
    SIDE_EFFECTS,
    AnswerRefused,
    RoundClosed,
    choices_for,
    record_answer,
    role_in,
)
from service.rounds.kept_answer_page import TEMPLATE, kept_answer_page
from service.tokens import TokenError, read_token

bp = Blueprint("rounds", __name__)

PRESSES = parse("30/minute")  # per address, in Flask-Limiter's storage


@bp.before_request
def _limit_presses() -> None:
    """What @limiter.limit("30/minute", methods=["POST"]) on the view did, for POSTs only:
    the decorator also ran on every GET of the page, to resolve its limits and find none
    for that method (~5% of the page's CPU time in-process)."""
    current = request._get_current_object()  # one look-up through Flask's proxy
    if current.method != "POST" or current.endpoint != "rounds.answer" or not limiter.enabled:
        return
    address = get_remote_address()
    if not limiter.limiter.hit(PRESSES, "rounds.answer", address):
        window = limiter.limiter.get_window_stats(PRESSES, "rounds.answer", address)
        raise TooManyRequests(retry_after=max(1, int(window.reset_time - time.time())))


WITH_COMMENT = {"outcome", "rating", "tried"}  # the other questions are one click, nothing more


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
def answer(token: str):
    try:
        pairing_id, subscriber_id, question, chosen = _read(token)
    except TokenError as exc:
        return _bad_link(exc.reason)
    # The connection is chosen before the first statement. Only the share question's page
    # reads through the ORM session (the tips it would share).
    pressed = None
    posted = request.method == "POST"
    if not posted:
        read_without_transaction(with_session=question == "share")
    elif question not in SIDE_EFFECTS:
        value, comment = _posted(question)
        pressed = press_in_one_statement(pairing_id, subscriber_id, question, value, comment)
    found, stored = pressed or (load_answer_link(pairing_id, subscriber_id, question), False)
    if found is None:
        abort(404)
    pairing, existing, language = found
    use_language(language)
    if stored:
        return _done(question, value)
    role = role_in(pairing, subscriber_id)
    choices = choices_for(question, role) if role else ()
    closed = pairing.round.closed
    page = AnswerPage(pairing, subscriber_id, question, choices, token, existing)
    if posted and choices and not closed:
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
    if not posted or closed:
        selected = chosen if chosen in page.choices else (existing.value if existing else None)
        return page.render(
            selected=selected, comment=existing.comment if existing else "", closed=closed
        ), (410 if closed and posted else 200)
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
        question, words = self.question, answer_words()
        context = dict(
            selected=selected,
            comment=comment,
            pairing=self.pairing,
            question=question,
            question_text=words.questions.get(question) or gettext("Your answer"),
            choices=[(c, words.label(question, c)) for c in self.choices],
            hints=words.hints,
            question_hint=words.question_hints.get(question, ""),
            with_comment=question in WITH_COMMENT,
            token=self.token,
            existing=self.existing,
            closed=closed,
            error=error,
            tips=_tips_to_share(self.pairing, self.subscriber_id) if question == "share" else [],
        )
        if error is None and question != "share":
            page = kept_answer_page(context, comment)
            if page is not None:
                return page
        return render_template(TEMPLATE, **context)


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
    return _done(question, value)


def _posted(question: str) -> tuple[str, str]:
    """The pressed value, and the comment where the question takes one."""
    form = request.form
    return form.get("value", ""), form.get("comment", "") if question in WITH_COMMENT else ""


def _this_page() -> str:
    current = request._get_current_object()
    return current.script_root + current.path


def _done(question: str, value: str):
    # `value` is what was stored (every path stores it or refuses); reading the row again
    # after its commit would cost a query. The page links to itself: the URL it was
    # posted to, without building it again (url_for with a value: ~2% of a press's time).
    words = answer_words()
    return render_template(
        "rounds/answer_done.html",
        label=words.label(question, value),
        value=value,
        hints=words.hints,
        page_url=_this_page(),
    )
