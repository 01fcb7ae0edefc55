"""Signed links in emails: the subscriber a token names, or a 4xx page that says what
to do next. The headers that keep those pages private: service.links.private_pages.

The subscriber comes as a plain snapshot read with one statement (on the driver's cursor,
service/direct_sql.py), not as an ORM object: profiling showed loading the ORM object
(with its themes joined) as the largest part of the unsubscribe and preference pages.
Actions take the id and load what they change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property

from flask import render_template
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, select

from service.direct_sql import DirectStatement
from service.i18n import use_language
from service.rounds.models import Theme
from service.subscriptions.models import Status, Subscriber, subscriber_themes
from service.tokens import TokenError, read_token

_COLUMNS = ("id", "email", "name", "role", "timezone", "language", "team", "about", "status")
_ROW = DirectStatement(
    select(*(getattr(Subscriber, name) for name in _COLUMNS), Subscriber.paused_until).where(
        Subscriber.id == bindparam("id")
    )
)
_THEMES = DirectStatement(
    select(Theme.slug, Theme.name)
    .join(subscriber_themes, subscriber_themes.c.theme_id == Theme.id)
    .where(subscriber_themes.c.subscriber_id == bindparam("id"))
    .order_by(Theme.position)
)


@dataclass
class LinkedSubscriber:
    """What the pages behind a signed link read of a subscriber; `themes` (slug, name)
    are read only by a page that shows them."""

    id: int
    email: str | None
    name: str
    role: str | None
    timezone: str
    language: str
    team: str | None
    about: str | None
    status: str
    paused_until: date | None

    @cached_property
    def themes(self) -> list:
        return _THEMES.all({"id": self.id})

    is_paused = Subscriber.is_paused
    first_name = Subscriber.first_name


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


def subscriber_from(purpose: str, token: str) -> LinkedSubscriber:
    """The subscriber a signed link names, or a 4xx page that says what to do next."""
    return subscriber_and_request(purpose, token)[0]


def subscriber_and_request(purpose: str, token: str) -> tuple[LinkedSubscriber, dict]:
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
    row = _ROW.first({"id": subscriber_id}) if isinstance(subscriber_id, int) else None
    subscriber = LinkedSubscriber(*row) if row is not None else None
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
