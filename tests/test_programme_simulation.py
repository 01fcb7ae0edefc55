"""Eight simulated weeks of a programme of 60 people in three timezones, the dispatcher
called every hour: pairs that both ask to continue stay together for four weeks (the
default limit), then meet someone new; confidence check-ins arrive in the recaps of every
fourth round; and the impact report's numbers equal a hand count of the same rows.

Runs on SQLite only, to stay quick: every query it relies on is also tested on PostgreSQL
(test_continuations, test_confidence, test_impact).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from service.admin.impact.facts import Filters, load
from service.admin.impact.report import build
from service.confidence.models import ConfidenceRating, Source
from service.extensions import db
from service.mail.models import OutgoingEmail
from service.rounds.answers import record_answer
from service.rounds.dispatch import dispatch_due
from service.rounds.models import Answer, Pairing, Round, Theme, ThreadMessage
from service.weeks import shift_week
from tests.factories_rounds import create_subscriber, seed
from tests.test_dispatch_simulation import simulate_tips

ZONES = ("America/New_York", "Europe/Berlin", "Pacific/Auckland")
START = datetime(2026, 11, 29, 0, tzinfo=UTC)  # Sunday before 2026-W49
WEEKS = [shift_week("2026-W49", i) for i in range(8)]
HOURS = 8 * 7 * 24 + 20  # eight rounds; stops before Auckland's Monday of the ninth week
ASK_HOUR = 5 * 24 + 12  # Saturday 12:00 UTC: every recap of the week is out
KEEPERS = 6  # the first six learners and their tip-givers always ask to continue

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def programme():
    seed()
    themes = tuple(db.session.scalars(select(Theme.slug)))  # all themes: every keep is honoured
    learners = [
        create_subscriber(role="learner", tz=ZONES[i % 3], team=f"t{i % 5}", themes=themes)
        for i in range(30)
    ]
    for i in range(30):
        create_subscriber(role="giver", tz=ZONES[i % 3], team=f"t{(i + 2) % 5}", themes=themes)
    signed_up = START + timedelta(days=1)  # Monday of the first week
    theme_ids = db.session.scalars(select(Theme.id)).all()
    for person in learners[:10]:  # ratings at signup, so check-ins show a change
        for theme_id in theme_ids:
            db.session.add(
                ConfidenceRating(
                    subscriber_id=person.id,
                    theme_id=theme_id,
                    value=2,
                    source=Source.SIGNUP,
                    created_at=signed_up,
                )
            )
    db.session.commit()
    return [p.id for p in learners]


def week_rows(week: str) -> list[Pairing]:
    return db.session.scalars(
        select(Pairing).join(Round, Round.id == Pairing.round_id).where(Round.week == week)
    ).all()


def answer_the_week(week: str, keepers: list[int]) -> None:
    """Keepers and their partners ask to continue; learners with an even position say they
    tried it; every check-in the recap offered is answered (a little higher each time)."""
    offered = {
        row.pairing_id
        for row in db.session.scalars(
            select(OutgoingEmail).where(OutgoingEmail.kind == "recap_learner")
        )
        if row.context.get("checkin")
    }
    for i, p in enumerate(sorted(week_rows(week), key=lambda p: p.learner_id)):
        if p.learner_id in keepers and p.giver_id:
            record_answer(p.id, p.learner_id, "keep", "yes")
            record_answer(p.id, p.giver_id, "keep", "yes")
        if i % 2 == 0:
            record_answer(p.id, p.learner_id, "outcome", "tried")
        if p.id in offered:
            record_answer(p.id, p.learner_id, "confidence", str(3 + i % 3))


def run_weeks(run_jobs, keepers):
    with time_machine.travel(START, tick=False) as traveller:
        for hour in range(HOURS):
            now = START + timedelta(hours=hour)
            traveller.move_to(now)
            report = dispatch_due()
            if report.challenges.queued or report.nudges.queued or report.recaps.queued:
                run_jobs()
                simulate_tips(now)
            if hour % (7 * 24) == ASK_HOUR:
                answer_the_week(WEEKS[hour // (7 * 24)], keepers)


def test_eight_weeks_of_continuing_pairs_check_ins_and_a_report_that_adds_up(
    app, ctx, run_jobs, outbox
):
    learners = programme()
    keepers = learners[:KEEPERS]
    run_weeks(run_jobs, keepers)

    partner = defaultdict(dict)  # learner -> week -> giver
    explanation = {}
    for week in WEEKS:
        for p in week_rows(week):
            partner[p.learner_id][week] = p.giver_id
            explanation[(p.learner_id, week)] = p.explanation

    # Keepers: four weeks with the first partner, then someone new for four more weeks.
    for lid in keepers:
        givers = [partner[lid][w] for w in WEEKS]
        assert len(set(givers[:4])) == 1 and len(set(givers[4:])) == 1, givers
        assert givers[0] != givers[4]
        assert explanation[(lid, WEEKS[1])].startswith("you both asked to continue (week 2")
        assert explanation[(lid, WEEKS[3])].startswith("you both asked to continue (week 4")
        assert explanation[(lid, WEEKS[4])].startswith("you have had four weeks together")
    # Everyone else: never the same pair twice (the no-repeat window).
    seen = defaultdict(int)
    for lid in learners[KEEPERS:]:
        for week in WEEKS:
            if partner[lid].get(week):
                seen[(lid, partner[lid][week])] += 1
    assert seen and max(seen.values()) == 1

    # Recaps asked "Keep this partner next week?"; check-ins came in rounds 4 and 8 only.
    recaps = db.session.scalars(
        select(OutgoingEmail).where(OutgoingEmail.kind == "recap_learner")
    ).all()
    assert recaps and all(r.context["keep_urls"] for r in recaps)
    week_of = {p.id: w for w in WEEKS for p in week_rows(w)}
    asked = {week_of[r.pairing_id] for r in recaps if r.context["checkin"]}
    assert asked == {WEEKS[3], WEEKS[7]}

    compare_report_with_a_hand_count(learners)


def compare_report_with_a_hand_count(learners):
    report = build(load(Filters(WEEKS[0], WEEKS[-1])))
    rows = {w: week_rows(w) for w in WEEKS}

    # participation and continuing pairs, week by week
    for w in report.weeks:
        assert w.learners.value == len({p.learner_id for p in rows[w.week]})
        assert w.givers.value == len({p.giver_id for p in rows[w.week] if p.giver_id})
        before = {(p.learner_id, p.giver_id) for p in rows.get(shift_week(w.week, -1), [])}
        by_hand = sum(
            1 for p in rows[w.week] if p.giver_id and (p.learner_id, p.giver_id) in before
        )
        assert w.continuing.value == by_hand
    assert report.weeks[1].continuing.value == KEEPERS
    assert report.weeks[4].continuing.value == 0  # the week they all rotated

    # exchange
    everything = [p for w in WEEKS for p in rows[w]]
    paired = [p for p in everything if p.giver_id]
    first_sent = {}
    for e in db.session.scalars(select(OutgoingEmail).where(OutgoingEmail.pairing_id.is_not(None))):
        if e.sent_at and (e.pairing_id not in first_sent or e.sent_at < first_sent[e.pairing_id]):
            first_sent[e.pairing_id] = e.sent_at
    fast = sum(
        1
        for p in paired
        if p.tip_received_at and p.tip_received_at - first_sent[p.id] <= timedelta(hours=48)
    )
    assert report.exchange["pairs"].value == len(paired)
    assert report.exchange["tips_48h"].value == pytest.approx(100 * fast / len(paired))
    tried = db.session.scalars(
        select(Answer.pairing_id).where(Answer.question == "outcome", Answer.value == "tried")
    ).all()
    assert report.exchange["tried"].value == pytest.approx(100 * len(tried) / len(everything))
    messages = db.session.scalars(select(ThreadMessage.pairing_id)).all()
    assert report.exchange["replies_per_pair"].value == pytest.approx(len(messages) / len(paired))

    # learning: first and latest rating of everyone who rated a theme twice
    history = defaultdict(list)
    for r in db.session.scalars(select(ConfidenceRating).order_by(ConfidenceRating.created_at)):
        history[(r.theme_id, r.subscriber_id)].append(r.value)
    by_theme = [(key, (v[0], v[-1])) for key, v in history.items() if len(v) >= 2]
    changes = [c for _, c in by_theme]
    sources = db.session.execute(
        select(ConfidenceRating.source, func.count()).group_by(ConfidenceRating.source)
    ).all()
    assert len(changes) >= 5, sources
    people = sum(t.people.value for t in report.learning)
    assert people == len(changes)
    names = dict(db.session.execute(select(Theme.id, Theme.name)).all())
    for theme in report.learning:
        mine = [c for (tid, _), c in by_theme if names[tid] == theme.theme]
        assert theme.people.value == len(mine)
        assert theme.first_median.value == statistics.median(a for a, _ in mine)
        assert theme.latest_median.value == statistics.median(b for _, b in mine)
        moved = sum(1 for a, b in mine if b > a)
        assert theme.moved_up.value == pytest.approx(100 * moved / len(mine))
