"""Words that stand in for a person's name when there is none (their data was deleted,
an invitation came without one). An email stores them in English in its context and From
name, like every other value; service.mail.compose writes them in the reader's language
when it renders the email (`written`)."""

from __future__ import annotations

from flask_babel import gettext

from service.i18n.marker import N_

TIP_GIVER = N_("Your tip-giver")
LEARNER = N_("Your learner")
PARTNER = N_("your partner")
STAND_INS = frozenset((TIP_GIVER, LEARNER, PARTNER))
# The context keys of the email kinds that name the other person of a pair.
NAME_KEYS = ("author_name", "learner_name", "partner_name")


def written(name: str | None) -> str | None:
    """`name` as is, or a stand-in in the current language."""
    return gettext(name) if name in STAND_INS else name


def with_stand_ins_written(context: dict) -> dict:
    """The context with its stand-in names in the current language (a copy if any)."""
    found = [key for key in NAME_KEYS if context.get(key) in STAND_INS]
    if not found:
        return context
    return {**context, **{key: gettext(context[key]) for key in found}}
