"""Signed links in emails: the subscriber a token names, or a 4xx page that says what
to do next. The headers that keep those pages private: service.links.private_pages."""

from __future__ import annotations

from flask import render_template
from sqlalchemy.orm import joinedload

from service.extensions import db
from service.subscriptions.models import Status, Subscriber
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


def subscriber_from(purpose: str, token: str) -> Subscriber:
    """The subscriber a signed link names, or a 4xx page that says what to do next."""
    return subscriber_and_request(purpose, token)[0]


def subscriber_and_request(purpose: str, token: str) -> tuple[Subscriber, dict]:
    """The subscriber a signed link names and the profile answers the link carries (a
    confirmation link for someone who signed up again: see joining.confirm_url)."""
    try:
        payload = read_token(purpose, token)
    except TokenError as exc:
        if exc.reason == "expired":
            advice = {
                "confirm": "Sign up again on the home page and we will send you a fresh link.",
                "invite": "Sign up on the home page; it takes a minute.",
            }.get(purpose, "Use the link in the most recent email we sent you.")
            raise LinkProblem(
                410,
                "This link has expired",
                "Links in our emails stop working after a while.",
                advice,
            ) from exc
        raise LinkProblem(
            400,
            "This link does not work",
            "The link is incomplete or was changed. Some mail programs cut long links in two.",
            "Open the link straight from the email, or copy the whole address into your "
            "browser. The preferences link at the bottom of any of our emails also works.",
        ) from exc
    subscriber_id, requested = payload, {}
    if isinstance(payload, list) and len(payload) == 2 and isinstance(payload[1], dict):
        subscriber_id, requested = payload
    subscriber = (
        # With its themes in the same query: every page behind these links shows them.
        db.session.get(Subscriber, subscriber_id, options=[joinedload(Subscriber.themes)])
        if isinstance(subscriber_id, int)
        else None
    )
    if subscriber is None or subscriber.status == Status.DELETED:
        raise LinkProblem(
            404,
            "This subscription no longer exists",
            "The data of this subscription was deleted.",
            "You can join again on the home page at any time.",
        )
    return subscriber, requested
