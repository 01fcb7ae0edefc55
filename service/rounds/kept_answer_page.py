"""The one-click page (rounds/answer.html) kept rendered per process, with slots for the
form's token and the comment: in-process, its template was about a fifth of the page's
CPU time (1.02-1.08 ms a GET, 0.82-0.83 with the render replaced by a fixed string).

Kept under everything the page is made from: the language, the programme's name, the
question and its offered answers, the one preselected, the stored answer's value, whether
the round is closed, the challenge's title and week. Never the comment, which reaches
the page through its slot only, nor a stored answer's comment (the kept page is made with
none). A page with an error, with tips to share, or with a flashed message waiting is
rendered for its request as before.
"""

from __future__ import annotations

from flask import render_template, request
from markupsafe import escape

from service.csrf import form_token
from service.i18n import current_language, shows_language_switch
from service.kept_markup import Slotted, kept, slot
from service.ops.flask_costs import get_flashed_messages
from service.settings import get_setting

TEMPLATE = "rounds/answer.html"


def _csrf(values: dict) -> str:
    return str(escape(values["csrf"]))


def _comment(values: dict) -> str:
    return str(escape(values["comment"] or ""))


def kept_answer_page(context: dict, comment: str | None) -> str | None:
    """The page for `context` (AnswerPage.render's, without an error or tips), or None
    where it is rendered for its request."""
    if get_flashed_messages():  # shown once, by the page that renders them
        return None
    pairing, existing = context["pairing"], context["existing"]
    key = (current_language(), request.script_root, get_setting("programme_name"))
    key += (shows_language_switch(), context["question"], tuple(context["choices"]))
    key += (context["selected"], existing.value if existing else None, context["closed"])
    key += (pairing.round.challenge.title, pairing.round.week)

    def make() -> Slotted:
        slotted = {
            **context,
            "comment": slot("comment"),
            "existing": type(existing)(existing.value, None) if existing else None,
            "csrf_token": lambda: slot("csrf"),  # the template's global, for this render
        }
        fillers = {}
        if not context["closed"]:  # a closed round's page has no form
            fillers["csrf"] = _csrf
            if context["with_comment"]:
                fillers["comment"] = _comment
        return Slotted(render_template(TEMPLATE, **slotted), fillers)

    page = kept("kept_answer_pages", key, make)
    return None if page is None else page({"csrf": form_token(), "comment": comment})
