"""The one-click page (rounds/answer.html) kept rendered per process (kept_markup.kept_page),
with slots for the form's token and the comment: in-process, its template was about a
fifth of the page's CPU time (1.02-1.08 ms a GET, 0.82-0.83 with the render replaced by a
fixed string).

Kept under everything the page is made from: the question and its offered answers, the
one preselected, the stored answer's value, whether the round is closed, the challenge's
title and week (and the language, as every kept page). Never the comment, which reaches
the page through its slot only, nor a stored answer's comment (the kept page is made with
none). A page with an error or tips to share is rendered for its request as before.
"""

from __future__ import annotations

from service.csrf import form_token
from service.kept_markup import kept_page

TEMPLATE = "rounds/answer.html"


def kept_answer_page(context: dict, comment: str | None) -> str | None:
    """The page for `context` (AnswerPage.render's, without an error or tips), or None
    where it is rendered for its request."""
    pairing, existing, closed = context["pairing"], context["existing"], context["closed"]
    key = (context["question"], tuple(context["choices"]), context["selected"])
    key += (existing.value if existing else None, closed)
    key += (pairing.round.challenge.title, pairing.round.week)
    constant = {
        **context,
        "comment": "",
        "existing": type(existing)(existing.value, None) if existing else None,
    }
    slots = {}
    if not closed:  # a closed round's page has no form
        slots["csrf_token"] = form_token()
        if context["with_comment"]:
            slots["comment"] = comment or ""
    return kept_page(TEMPLATE, key, constant, slots)
