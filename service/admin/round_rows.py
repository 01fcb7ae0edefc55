"""The round page's rows: each pair with its people, challenge email states, answers,
message count and continuation, read in a few queries by round (see pair_rows)."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, select

from service.extensions import db
from service.mail.models import OutgoingEmail
from service.rounds.continuations import continuing_pairing_ids
from service.rounds.models import (
    Answer,
    ContinuationBreak,
    Pairing,
    Round,
    ThreadMessage,
    people_of_round,
)
from service.subscriptions.models import Subscriber


def pair_rows(round_: Round) -> list[dict]:
    """Everything the round page shows, in five queries that select by round (sub-selects,
    not id lists) and load plain columns, not whole people."""
    in_round = select(Pairing.id).where(Pairing.round_id == round_.id)
    pairings = db.session.scalars(
        select(Pairing).where(Pairing.round_id == round_.id).order_by(Pairing.id)
    ).all()
    people = {
        row.id: row
        for row in db.session.execute(
            select(Subscriber.id, Subscriber.name).where(
                Subscriber.id.in_(people_of_round(round_.id))
            )
        )
    }
    emails, answers = challenge_states(in_round), answers_by_pairing(in_round)
    messages = dict(
        db.session.execute(
            select(ThreadMessage.pairing_id, func.count())
            .where(ThreadMessage.pairing_id.in_(in_round))
            .group_by(ThreadMessage.pairing_id)
        ).all()
    )
    continuing = continuing_pairing_ids(round_.id)
    broken = set(
        db.session.scalars(
            select(ContinuationBreak.pairing_id).where(ContinuationBreak.pairing_id.in_(in_round))
        )
    )
    rows = []
    for p in pairings:
        got = answers[p.id]
        rows.append(
            {
                "pairing": p,
                "learner": people.get(p.learner_id),
                "giver": people.get(p.giver_id) if p.giver_id else None,
                "learner_mail": emails[p.id].get(p.learner_id),
                "giver_mail": emails[p.id].get(p.giver_id) if p.giver_id else None,
                "outcome": got.get((p.learner_id, "outcome")),
                "giver_answer": got.get((p.giver_id, "outcome")) if p.giver_id else None,
                "rating": got.get((p.learner_id, "rating")),
                "giver_rating": got.get((p.giver_id, "rating")) if p.giver_id else None,
                "messages": messages.get(p.id, 0),
                "continuing": p.id in continuing,
                "broken": p.id in broken,
            }
        )
    return rows


def challenge_states(in_round) -> dict[int, dict[int, str]]:
    """Pairing -> subscriber -> the latest state of their challenge email."""
    emails = defaultdict(dict)
    for pairing_id, subscriber_id, state in db.session.execute(
        select(OutgoingEmail.pairing_id, OutgoingEmail.subscriber_id, OutgoingEmail.state)
        .where(OutgoingEmail.pairing_id.in_(in_round), OutgoingEmail.kind.like("challenge%"))
        .order_by(OutgoingEmail.id)
    ):
        emails[pairing_id][subscriber_id] = state
    return emails


def answers_by_pairing(in_round) -> dict[int, dict[tuple[int, str], str]]:
    """Pairing -> (subscriber, question) -> the answer."""
    answers = defaultdict(dict)
    for pairing_id, subscriber_id, question, value in db.session.execute(
        select(Answer.pairing_id, Answer.subscriber_id, Answer.question, Answer.value).where(
            Answer.pairing_id.in_(in_round)
        )
    ):
        answers[pairing_id][(subscriber_id, question)] = value
    return answers


def needs_attention(row: dict) -> bool:
    """A pair an admin may want to look at: no tip yet, help asked, mail failed, dropped."""
    p = row["pairing"]
    return (
        (row["giver"] is not None and p.tip_received_at is None)
        or row["outcome"] == "help"
        or row["giver_answer"] == "cant"
        or "failed" in (row["learner_mail"], row["giver_mail"])
        or p.status == "cancelled"
    )
