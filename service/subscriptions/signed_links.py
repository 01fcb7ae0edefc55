"""Signed links in emails: the subscriber a token names, or a 4xx page that says what
to do next. The headers that keep those pages private: service.links.private_pages.

The subscriber comes as a plain snapshot read with one statement (linked_subscriber.py),
with the lists the page names; actions take the id and load what they change.
"""

from __future__ import annotations

from flask import render_template
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from service.i18n import use_language
from service.subscriptions.linked_subscriber import LinkedSubscriber, read_linked
from service.subscriptions.models import Status
from service.tokens import TokenError, read_token


class LinkProblem(Exception):
    def __init__(self, status: int, title: str, message: str, advice: str):
        self.status, self.title, self.message, self.advice = status, title, message, advice


def link_problem(problem: LinkProblem):
    return (
        render_template(
            "error.html", title=problem.title, message=problem.message, advice=problem.advice
        ),
        problem.status,
    )


def subscriber_from(purpose: str, token: str, lists: tuple[str, ...] = ()) -> LinkedSubscriber:
    """The subscriber a signed link names, or a 4xx page that says what to do next.
    `lists`: what the page shows of LinkedSubscriber's lists, read with the row."""
    return subscriber_and_request(purpose, token, lists)[0]


def subscriber_and_request(
    purpose: str, token: str, lists: tuple[str, ...] = ()
) -> tuple[LinkedSubscriber, dict]:
    """The subscriber a signed link names and the profile answers the link carries (a
    confirmation link for someone who signed up again: see joining.confirm_url)."""
    try:
        payload = read_token(purpose, token)
    except TokenError as exc:
        if exc.reason == "expired":
            advice = {
                "confirm": _l("Sign up again on the home page and we will send you a fresh link."),
                "invite": _l("Sign up on the home page; it takes a minute."),
            }.get(purpose) or gettext("Use the link in the most recent email we sent you.")
            raise LinkProblem(
                410,
                gettext("This link has expired"),
                gettext("Links in our emails stop working after a while."),
                str(advice),
            ) from exc
        raise LinkProblem(
            400,
            gettext("This link does not work"),
            gettext(
                "The link is incomplete or was changed. Some mail programs cut long links in two."
            ),
            gettext(
                "Open the link straight from the email, or copy the whole address into your "
                "browser. The preferences link at the bottom of any of our emails also works."
            ),
        ) from exc
    subscriber_id, requested = payload, {}
    if isinstance(payload, list) and len(payload) == 2 and isinstance(payload[1], dict):
        subscriber_id, requested = payload
    subscriber = read_linked(subscriber_id, lists) if isinstance(subscriber_id, int) else None
    if subscriber is not None:  # deleted too: the person's language is all that is left
        use_language(requested.get("language") or subscriber.language)
    if subscriber is None or subscriber.status == Status.DELETED:
        raise LinkProblem(
            404,
            gettext("This subscription no longer exists"),
            gettext("The data of this subscription was deleted."),
            gettext("You can join again on the home page at any time."),
        )
    return subscriber, requested
