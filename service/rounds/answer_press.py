"""A press of the one-click page's button for a question without side effects (a rating,
"tried", "keep", "clear", "again"), stored by the statement that reads the page.

Stored through the request's session, a rating cost four round trips (BEGIN, the page's
SELECT, the INSERT ... ON CONFLICT, COMMIT) and the session's bookkeeping, about a third
of the POST's CPU time in-process (bench/profile_pages.py answer). On PostgreSQL it is
one statement, in autocommit on the connection the process keeps (service.autocommit):

    WITH page AS (the page's SELECT, and whether this press may be stored),
         stored AS (INSERT INTO answers SELECT ... FROM page WHERE may_store
                    ON CONFLICT (pairing, person, question) DO UPDATE ...)
    SELECT * FROM page

It commits when it returns; the read and the write see one snapshot. may_store asks
what the page asks before it stores: the round is open, the person is in the pair, and
the value is one of their role's choices. The page's row comes back either way, so a
press that was not stored (a closed round, a stale link, a value not offered) is
answered exactly as before, from the same row; nothing else in such a request writes.

A lost connection is not retried here (direct_sql retries reads only): the press may
have committed. The person sees an error page and presses again, as with a pooled
connection that broke. SQLite (development) and a request whose session is already open
(a test sharing its own) take the page's two-statement path in a transaction.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Integer, bindparam, case, false, select
from sqlalchemy.dialects.postgresql import insert as pg_insert

from service.autocommit import autocommit_request
from service.database import utcnow
from service.direct_sql import DirectStatement
from service.rounds.answer_page import (
    ANSWER_COLUMNS,
    PAGE_QUERY,
    LinkedPairing,
    StoredAnswer,
    changing_on_conflict,
    linked,
    page_parameters,
    stored_comment,
)
from service.rounds.answers import SIDE_EFFECTS, choices_for
from service.rounds.models import Answer, Pairing, Round, RoundStatus
from service.rounds.threads import GIVER, LEARNER


def _press_statement():
    person = bindparam("subscriber_id", type_=Integer)
    may_store = (Round.status != RoundStatus.CLOSED) & case(
        # As answers.role_in: the learner's side first.
        (Pairing.learner_id == person, bindparam("learner_may", type_=Boolean)),
        (Pairing.giver_id == person, bindparam("giver_may", type_=Boolean)),
        else_=false(),
    )
    page = PAGE_QUERY.add_columns(may_store.label("may_store")).cte("page")
    table = Answer.__table__
    values = [bindparam(name, type_=table.c[name].type) for name in ANSWER_COLUMNS[2:]]
    now = bindparam("now", type_=table.c.created_at.type)
    insert = pg_insert(table).from_select(
        [*ANSWER_COLUMNS, "created_at", "updated_at"],
        select(page.c.id, person, *values, now, now).where(page.c.may_store),
    )
    stored = changing_on_conflict(insert).cte("stored")
    return select(page).add_cte(stored)


_PRESS = DirectStatement(_press_statement())


def press_in_one_statement(
    pairing_id: int, subscriber_id: int, question: str, value: str, comment: str | None
) -> tuple[tuple[LinkedPairing, StoredAnswer | None, str | None] | None, bool] | None:
    """Store the press if the page would, and read the page, in one statement. Returns
    None where that is not possible (run the page's own path instead), else (what
    load_answer_link returns, whether the press was stored). Call it before anything in
    the request runs a statement."""
    if question in SIDE_EFFECTS:
        raise ValueError(f"{question!r} answers have side effects: use record_answer")
    if not autocommit_request(with_session=False):  # the ORM session keeps its transactions
        return None
    parameters = page_parameters(pairing_id, subscriber_id, question)
    row = _PRESS.first(
        {
            **parameters,
            "learner_may": value in choices_for(question, LEARNER),
            "giver_may": value in choices_for(question, GIVER),
            "value": value,
            "comment": stored_comment(comment),
            "now": utcnow(),
        }
    )
    if row is None:
        return None, False
    return linked(row), row.may_store
