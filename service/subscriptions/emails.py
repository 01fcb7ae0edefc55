"""The emails of joining and leaving. Each returns only its template context."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from service.mail.kinds import email

CONFIRM_LINK = "http://127.0.0.1:5000/c/sample-token"


@email(
    "confirm",
    category="subscription",
    reason=_l("You get this because someone, hopefully you, asked to join with this address."),
    # The double opt-in mail a person just asked for reaches them even after an unsubscribe.
    suppression_exempt=True,
    list_mail=False,
    sample={"name": "Ana", "confirm_url": CONFIRM_LINK, "needs_choices": False, "days": 7},
)
def confirm_email(name: str, confirm_url: str, needs_choices: bool) -> dict:
    return {"name": name, "confirm_url": confirm_url, "needs_choices": needs_choices, "days": 7}


@email(
    "already_subscribed",
    category="subscription",
    reason=_l("You get this because someone asked to join with this address, which is subscribed."),
    list_mail=False,
    sample={"name": "Ana", "manage_url": "http://127.0.0.1:5000/p/sample-token"},
)
def already_subscribed_email(name: str, manage_url: str) -> dict:
    return {"name": name, "manage_url": manage_url}


@email(
    "welcome",
    category="subscription",
    reason=_l("You get this because you confirmed your subscription."),
    sample={
        "name": "Ana",
        "role": "learner",
        "themes": ["Tech-savvy prowess", "Life-work integration"],
        "first_send": "Monday 7 December at 09:00 (Europe/Berlin time)",
        "paused_until": None,
    },
)
def welcome_email(
    name: str, role: str, themes: list[str], first_send: str, paused_until: str | None
) -> dict:
    return {
        "name": name,
        "role": role,
        "themes": themes,
        "first_send": first_send,
        "paused_until": paused_until,
    }


@email(
    "unsubscribed",
    category="subscription",
    reason=_l("You get this once, to confirm that you left. We will not write again."),
    suppression_exempt=True,
    list_mail=False,
    sample={"name": "Ana", "rejoin_url": "http://127.0.0.1:5000/"},
)
def unsubscribed_email(name: str, rejoin_url: str) -> dict:
    return {"name": name, "rejoin_url": rejoin_url}


@email(
    "invite",
    category="subscription",
    reason=_l(
        "You get this because a programme organiser invited this address. "
        "Nothing happens unless you join."
    ),
    list_mail=False,
    sample={
        "name": "Ana",
        "join_url": "http://127.0.0.1:5000/join/sample-token",
        "role": "giver",
        "themes": ["Social media mastery"],
        "days": 30,
    },
)
def invite_email(name: str, join_url: str, role: str | None, themes: list[str]) -> dict:
    return {"name": name, "join_url": join_url, "role": role, "themes": themes, "days": 30}


@email(
    "unsubscribe_link",
    category="subscription",
    reason=_l("You get this because an email asking to unsubscribe this address reached us."),
    list_mail=False,
    sample={"unsubscribe_url": "http://127.0.0.1:5000/u/sample-token"},
)
def unsubscribe_link_email(unsubscribe_url: str) -> dict:
    return {"unsubscribe_url": unsubscribe_url}
