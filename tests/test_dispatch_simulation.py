"""Four simulated weeks of the programme: 40 people in three timezones, the dispatcher
called every hour (as the scheduler does) and the queued jobs run after each call.

Checks what the issue promises: each email once at the right local hour, no pair
repeated, nobody paired with their own team, nudges only where no tip came, the recap
on day 5, and every later message of a pair-round threaded to that side's first email.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import time_machine
from rq import Queue
from sqlalchemy import select

from service.extensions import db
from service.mail.models import EmailState, OutgoingEmail
from service.queues import ALL_QUEUES
from service.redis_conn import get_redis
from service.rounds.answers import record_answer
from service.rounds.dispatch import dispatch_due
from service.rounds.models import Pairing, Round, RoundStatus, ThreadMessage
from service.rounds.notices import CHALLENGE_KINDS
from service.subscriptions.models import Subscriber
from service.weeks import zone
from tests.factories_rounds import create_subscriber, seed

ZONES = ("America/New_York", "Europe/Berlin", "Pacific/Auckland")
TEAMS = ("sales", "it", "finance", "ops")
THEMES = ("tech-savvy", "social-media", "life-work", "rapid-change")
START = datetime(2026, 11, 29, 0, tzinfo=UTC)  # Sunday before 2026-W49
WEEKS = ("2026-W49", "2026-W50", "2026-W51", "2026-W52")
HOURS = 4 * 7 * 24 + 20  # four rounds; stops before Auckland's Monday of the fifth week


def programme() -> list[Subscriber]:
    seed()
    people = []
    for i in range(40):
        people.append(
            create_subscriber(
                role="learner" if i < 22 else "giver",
                tz=ZONES[i % 3],
                team=TEAMS[i % 4],
                themes=(THEMES[i % 4], THEMES[(i + 1) % 4]),
                name=f"P{i:02d} Person",
            )
        )
    db.session.commit()
    return people


def pending_jobs(app) -> bool:
    connection = get_redis(app)
    return any(Queue(q, connection=connection).count for q in ALL_QUEUES)


def simulate_tips(now: datetime) -> None:
    """Tip-givers with an even id reply within the hour (the inbound engineer's relay
    sets tip_received_at and stores a ThreadMessage); odd ids never reply."""
    rows = db.session.execute(
        select(Pairing)
        .join(OutgoingEmail, OutgoingEmail.pairing_id == Pairing.id)
        .where(
            OutgoingEmail.kind == "challenge_giver",
            OutgoingEmail.state == EmailState.SENT,
            OutgoingEmail.subscriber_id == Pairing.giver_id,
            Pairing.tip_received_at.is_(None),
        )
    ).scalars()
    for pairing in rows:
        if pairing.giver_id % 2 == 0:
            pairing.tip_received_at = now
            db.session.add(
                ThreadMessage(
                    pairing_id=pairing.id,
                    author_id=pairing.giver_id,
                    direction="giver_to_learner",
                    body="Try dictating your first draft; fixing beats starting.",
                )
            )
    db.session.commit()


def learner_answers(hour: int) -> bool:
    """A few one-click answers in the middle of the weeks; True if any was given."""
    if hour == 40:  # week 1, Monday afternoon: one learner asks for help
        p = db.session.scalars(select(Pairing).where(Pairing.giver_id.is_not(None))).first()
        record_answer(p.id, p.learner_id, "outcome", "help", "Where do I start?")
        return True
    if hour == 7 * 24 + 40:  # week 2: one learner skips, another's tip-giver can't
        r = db.session.scalar(select(Round).where(Round.week == WEEKS[1]))
        paired = db.session.scalars(
            select(Pairing)
            .where(Pairing.round_id == r.id, Pairing.giver_id.is_not(None))
            .order_by(Pairing.id)
        ).all()
        record_answer(paired[0].id, paired[0].learner_id, "outcome", "skip")
        record_answer(paired[1].id, paired[1].giver_id, "outcome", "cant")
        return True
    return False


def test_four_weeks_hourly(app, ctx, run_jobs, outbox):
    people = programme()
    by_id = {p.id: p for p in people}
    with time_machine.travel(START, tick=False) as traveller:
        for hour in range(HOURS):
            now = START + timedelta(hours=hour)
            traveller.move_to(now)
            report = dispatch_due()
            if report.challenges.queued or report.nudges.queued or report.recaps.queued:
                run_jobs()
                simulate_tips(now)  # tips can only follow a challenge email
            if learner_answers(hour):
                run_jobs()
    assert not pending_jobs(app)

    rows = db.session.scalars(select(OutgoingEmail).order_by(OutgoingEmail.id)).all()
    pairings = {p.id: p for p in db.session.scalars(select(Pairing))}
    rounds = {r.id: r for r in db.session.scalars(select(Round))}
    assert sorted(r.week for r in rounds.values()) == list(WEEKS)
    status = {r.week: r.status for r in rounds.values()}
    assert status == {
        "2026-W49": RoundStatus.CLOSED,  # answers close two weeks after the Monday
        "2026-W50": RoundStatus.CLOSED,
        "2026-W51": RoundStatus.PAIRED,
        "2026-W52": RoundStatus.PAIRED,
    }

    # every email sent exactly once: one row per key, one delivered file per row
    assert all(row.state == EmailState.SENT for row in rows), Counter(r.state for r in rows)
    assert len({row.key for row in rows}) == len(rows)
    messages = {m["Message-ID"]: m for m in outbox.messages()}
    assert len(outbox) == len(rows) == len(messages)

    def local(row):
        return row.sent_at.astimezone(zone(by_id[row.subscriber_id].timezone))

    # challenges: Monday 09:00 local, once per person and pairing each week
    challenge_rows = [r for r in rows if r.kind in CHALLENGE_KINDS]
    for row in challenge_rows:
        assert (local(row).weekday(), local(row).hour, local(row).minute) == (0, 9, 0), row.key
    per_round = Counter((pairings[r.pairing_id].round_id, r.subscriber_id) for r in challenge_rows)
    learners_per_round = Counter(
        (r.pairing_id, r.subscriber_id)
        for r in challenge_rows
        if r.subscriber_id == pairings[r.pairing_id].learner_id
    )
    assert set(learners_per_round.values()) == {1}
    assert len([k for k in per_round if by_id[k[1]].role == "learner"]) == 4 * 22
    assert max(per_round.values()) == 1  # capacity 1: one learner per tip-giver

    # pairs: never the same team, never repeated across the four rounds
    seen = Counter()
    for p in pairings.values():
        if p.giver_id is None:
            continue
        assert by_id[p.learner_id].team != by_id[p.giver_id].team
        seen[(p.learner_id, p.giver_id)] += 1
    assert seen and max(seen.values()) == 1

    # nudges: only to tip-givers who sent no tip, once per round, 48 hours after
    nudges = [r for r in rows if r.kind == "nudge"]
    assert nudges
    for row in nudges:
        assert row.subscriber_id % 2 == 1, "a tip-giver who replied was nudged"
        pairing = pairings[row.pairing_id]
        opener = next(
            r
            for r in challenge_rows
            if r.pairing_id == pairing.id and r.subscriber_id == row.subscriber_id
        )
        assert row.sent_at - opener.sent_at == timedelta(hours=48)
    nudge_count = Counter((pairings[r.pairing_id].round_id, r.subscriber_id) for r in nudges)
    assert max(nudge_count.values()) == 1
    silent_givers = {
        (p.round_id, p.giver_id)
        for p in pairings.values()
        if p.giver_id and p.giver_id % 2 == 1 and p.status == "active"
    }
    assert silent_givers <= set(nudge_count)

    # recaps: day 5 (Friday) at 09:00 local, to both sides, not to a learner who skipped
    recaps = [r for r in rows if r.kind in ("recap_learner", "recap_giver")]
    for row in recaps:
        assert (local(row).weekday(), local(row).hour) == (4, 9), row.key
        assert pairings[row.pairing_id].status != "skipped"
    skipped = [p for p in pairings.values() if p.status == "skipped"]
    assert len(skipped) == 1
    assert not [r for r in recaps if r.pairing_id == skipped[0].id]
    assert len([r for r in recaps if r.kind == "recap_learner"]) == 4 * 22 - 1

    # the help request and the drop-out produced their thread messages once
    assert len([r for r in rows if r.kind == "help_request"]) == 1
    assert len([r for r in rows if r.kind in ("partner_changed", "partner_unavailable")]) == 1

    # threading: every later message refers to the first email of that person's thread
    openers = {(r.pairing_id, r.subscriber_id): r for r in challenge_rows}
    for row in rows:
        if row.kind in CHALLENGE_KINDS:
            continue
        root = openers[(row.pairing_id, row.subscriber_id)].message_id
        msg = messages[row.message_id]
        assert msg["In-Reply-To"] == root, row.key
        assert msg["References"] == root, row.key
        subject = str(msg["Subject"]).strip()  # long subjects fold after "Subject:"
        opener_subject = str(messages[root]["Subject"]).strip()
        assert subject == f"Re: {opener_subject}", row.key
