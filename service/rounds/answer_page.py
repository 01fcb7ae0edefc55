"""The one-click answer page's reads and its common write, in as few round trips as the
page allows (bench/profile_pages.py: loading the pairing, its round and challenge as ORM
objects and then the stored answer in a second query was most of the page's time).

One query gives the page everything it shows: the pairing's two people, the round's week
and status, the challenge's title in the person's language (falling back as
rounds/translations.py says), the person's language and their stored answer. A
button press on a question without side effects (see answers.SIDE_EFFECTS) is stored by
one INSERT ... ON CONFLICT DO UPDATE; the other questions go through record_answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from sqlalchemy import and_, bindparam, case, func, select
from sqlalchemy.orm import aliased

from service.database import conflict_insert, utcnow
from service.direct_sql import DirectStatement
from service.extensions import db
from service.i18n import programme_language
from service.rounds.answers import MAX_COMMENT, SIDE_EFFECTS
from service.rounds.models import (
    Answer,
    Challenge,
    ChallengeTranslation,
    Pairing,
    Round,
    RoundStatus,
)
from service.subscriptions.models import Subscriber


@dataclass(frozen=True)
class LinkedChallenge:
    title: str


@dataclass(frozen=True)
class LinkedRound:
    week: str
    closed: bool
    challenge: LinkedChallenge


@dataclass(frozen=True)
class LinkedPairing:
    """What the page shows of a pairing; the template reads pairing.round.week and
    pairing.round.challenge.title, and role_in reads the two ids."""

    id: int
    learner_id: int
    giver_id: int | None
    round: LinkedRound


@dataclass(frozen=True)
class StoredAnswer:
    value: str
    comment: str | None


# The title in the reader's language, else the programme's default, else as written.
_OWN, _DEFAULT = aliased(ChallengeTranslation), aliased(ChallengeTranslation)
_AS_WRITTEN_OR_DEFAULT = case(
    (bindparam("default_language") == Challenge.language, Challenge.title),
    else_=func.coalesce(_DEFAULT.title, Challenge.title),
)
_TITLE = case(
    (Subscriber.language == Challenge.language, Challenge.title),
    else_=func.coalesce(_OWN.title, _AS_WRITTEN_OR_DEFAULT),
)

# Also the first half of answer_press's statement, which stores a press in the same one.
PAGE_QUERY = (
    select(
        Pairing.id,
        Pairing.learner_id,
        Pairing.giver_id,
        Round.week,
        Round.status,
        _TITLE.label("title"),
        Subscriber.language,
        Answer.value,
        Answer.comment,
    )
    .join(Round, Round.id == Pairing.round_id)
    .join(Challenge, Challenge.id == Round.challenge_id)
    .outerjoin(Subscriber, Subscriber.id == bindparam("subscriber_id"))
    .outerjoin(_OWN, and_(_OWN.challenge_id == Challenge.id, _OWN.language == Subscriber.language))
    .outerjoin(
        _DEFAULT,
        and_(
            _DEFAULT.challenge_id == Challenge.id,
            _DEFAULT.language == bindparam("default_language"),
        ),
    )
    .outerjoin(
        Answer,
        and_(
            Answer.pairing_id == Pairing.id,
            Answer.subscriber_id == bindparam("subscriber_id"),
            Answer.question == bindparam("question"),
        ),
    )
    .where(Pairing.id == bindparam("pairing_id"))
)
_PAGE = DirectStatement(PAGE_QUERY)


def load_answer_link(
    pairing_id: int, subscriber_id: int, question: str
) -> tuple[LinkedPairing, StoredAnswer | None, str | None] | None:
    """(pairing, stored answer or None, the person's language), or None for no pairing."""
    row = _PAGE.first(page_parameters(pairing_id, subscriber_id, question))
    return None if row is None else linked(row)


def page_parameters(pairing_id: int, subscriber_id: int, question: str) -> dict:
    return {
        "pairing_id": pairing_id,
        "subscriber_id": subscriber_id,
        "question": question,
        "default_language": programme_language(),
    }


def linked(row) -> tuple[LinkedPairing, StoredAnswer | None, str | None]:
    """A row of PAGE_QUERY as the page uses it."""
    round_ = LinkedRound(row.week, row.status == RoundStatus.CLOSED, LinkedChallenge(row.title))
    pairing = LinkedPairing(row.id, row.learner_id, row.giver_id, round_)
    stored = StoredAnswer(row.value, row.comment) if row.value is not None else None
    return pairing, stored, row.language


def store_answer(
    pairing_id: int, subscriber_id: int, question: str, value: str, comment: str | None
) -> None:
    """Store or change an answer to a question without side effects, in one statement,
    as record_answer would: a comment replaces the stored one only when given, and the
    row's updated_at moves only when something changed. The caller checked the person,
    the value and the round, and commits."""
    if question in SIDE_EFFECTS:
        raise ValueError(f"{question!r} answers have side effects: use record_answer")
    now = utcnow()
    _upsert(db.session.get_bind().dialect.name).run(
        {
            "pairing_id": pairing_id,
            "subscriber_id": subscriber_id,
            "question": question,
            "value": value,
            "comment": stored_comment(comment),
            "created_at": now,
            "updated_at": now,
        }
    )


def stored_comment(comment: str | None) -> str | None:
    """A comment as record_answer stores it: trimmed, capped, None when empty."""
    return (comment or "").strip()[:MAX_COMMENT] or None


ANSWER_COLUMNS = ("pairing_id", "subscriber_id", "question", "value", "comment")


@cache
def _upsert(dialect: str) -> DirectStatement:
    """INSERT ... ON CONFLICT (pairing, person, question) DO UPDATE, built once."""
    insert = conflict_insert(dialect, Answer.__table__).values(
        {name: bindparam(name) for name in (*ANSWER_COLUMNS, "created_at", "updated_at")}
    )
    return DirectStatement(changing_on_conflict(insert))


def changing_on_conflict(insert):
    """`insert` (of answers) made to change the stored answer on a conflict, as
    record_answer would: the comment only when one is given, updated_at only when
    something changed."""
    table, new = Answer.__table__, insert.excluded
    changed = table.c.value.is_distinct_from(new.value) | (
        new.comment.is_not(None) & table.c.comment.is_distinct_from(new.comment)
    )
    return insert.on_conflict_do_update(
        index_elements=["pairing_id", "subscriber_id", "question"],
        set_={
            "value": new.value,
            "comment": func.coalesce(new.comment, table.c.comment),
            "updated_at": new.updated_at,
        },
        where=changed,
    )
