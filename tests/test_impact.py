"""The impact report: numbers equal a hand count, a group of 4 is withheld everywhere, the
page, the CSV and the printable page show no names or message text, and GET changes
nothing."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from service.admin.impact.facts import Filters, load
from service.admin.impact.figures import WITHHELD
from service.admin.impact.report import build
from service.confidence.models import ConfidenceRating, Source
from service.extensions import db
from service.rounds.answers import record_answer
from service.rounds.models import Pairing, Round, Theme, ThreadMessage
from service.rounds.planning import ensure_paired
from service.weeks import shift_week
from tests.factories_admin import signed_in_client
from tests.factories_rounds import create_subscriber, seed

WEEKS = ["2026-W47", "2026-W48"]
SECRET = "a private tip about dictation"


@pytest.fixture
def frozen():
    with time_machine.travel(datetime(2026, 11, 30, 10, tzinfo=UTC), tick=False):
        yield


def programme(team_size: int = 6, other: int = 6):
    """`team_size` learners on team "sales" and as many tip-givers from other teams, two
    rounds; learner i answers "tried" when i is even, the first two ask for help."""
    seed()
    themes = tuple(db.session.scalars(select(Theme.slug)))
    learners = [
        create_subscriber(role="learner", team="Sales", name=f"Learner{i} Private", themes=themes)
        for i in range(team_size)
    ]
    for i in range(other):
        create_subscriber(role="giver", team=f"ops-{i}", name=f"Giver{i} Private", themes=themes)
    db.session.commit()
    for week in WEEKS:
        ensure_paired(week)
    first = db.session.scalar(select(Round).where(Round.week == WEEKS[0]))
    pairs = db.session.scalars(
        select(Pairing).where(Pairing.round_id == first.id).order_by(Pairing.learner_id)
    ).all()
    for i, p in enumerate(pairs):
        if i % 2 == 0:
            record_answer(p.id, p.learner_id, "outcome", "tried")
        if i < 2:
            record_answer(p.id, p.learner_id, "outcome", "help")
        db.session.add(
            ThreadMessage(
                pairing_id=p.id, author_id=p.giver_id, direction="giver_to_learner", body=SECRET
            )
        )
    tech = db.session.scalar(select(Theme.id).where(Theme.slug == "tech-savvy"))
    for i, person in enumerate(learners):
        for day, value in ((1, 2), (8, 2 + i % 3)):  # i%3: 0 same, 1 up one, 2 up two
            db.session.add(
                ConfidenceRating(
                    subscriber_id=person.id,
                    theme_id=tech,
                    value=value,
                    source=Source.PREFERENCES,
                    created_at=datetime(2026, 11, 16, tzinfo=UTC) + timedelta(days=day),
                )
            )
    db.session.commit()
    return learners, pairs


def test_the_numbers_equal_a_hand_count(ctx, frozen):
    learners, pairs = programme()
    report = build(load(Filters(WEEKS[0], WEEKS[1])))
    assert [(w.week, w.learners.value, w.givers.value) for w in report.weeks] == [
        (WEEKS[0], 6, 6),
        (WEEKS[1], 6, 6),
    ]
    e = report.exchange
    # week 1: 3 of 6 tried (then two of them switched to "help": learners 0 and 1)
    tried_by_hand = sum(1 for i in range(6) if i % 2 == 0 and i >= 2)
    assert e["tried"].value == pytest.approx(100 * tried_by_hand / 12)
    assert e["help_asked"].value == 2
    assert e["help_answered"].hidden  # two learners asked: fewer than 5
    assert e["replies_per_pair"].value == pytest.approx(6 / 12)
    (tech,) = report.learning
    assert tech.people.value == 6
    assert (tech.first_median.value, tech.latest_median.value) == (2, 3)
    assert tech.moved_up.value == pytest.approx(100 * 4 / 6)


def test_a_group_of_four_is_withheld_everywhere(app, ctx, frozen):
    programme(team_size=4, other=4)
    report = build(load(Filters(WEEKS[0], WEEKS[1], team="sales")))
    figures = [w.learners for w in report.weeks] + [tech.people for tech in report.learning]
    figures += list(report.exchange.values())
    assert figures and all(f.hidden for f in figures)
    admin, _ = signed_in_client(app)
    query = {"from": WEEKS[0], "to": WEEKS[1], "team": "sales"}
    page = admin.get("/admin/impact", query_string=query).get_data(as_text=True)
    assert WITHHELD in page and "no names" in page
    assert "Learner0" not in page and "Giver0" not in page and SECRET not in page
    rows = list(
        csv.reader(
            io.StringIO(admin.get("/admin/impact.csv", query_string=query).get_data(as_text=True))
        )
    )
    values = [r[3] for r in rows[2:] if r[0] in ("participation", "learning", "exchange")]
    assert WITHHELD in values and set(values) <= {WITHHELD, "–", "0"}  # nobody: no one exposed


def test_pages_filters_and_bad_filters(app, ctx, frozen):
    programme()
    admin, _ = signed_in_client(app)
    ok = admin.get("/admin/impact", query_string={"from": WEEKS[0], "to": WEEKS[1]})
    assert ok.status_code == 200
    html = ok.get_data(as_text=True)
    assert "<svg" in html and "Learner0" not in html and SECRET not in html
    printable = admin.get(
        "/admin/impact/print", query_string={"from": WEEKS[0], "to": WEEKS[1], "theme": "life-work"}
    )
    assert printable.status_code == 200
    text = printable.get_data(as_text=True)
    assert "<script" not in text and "@page" in text and "Life-work integration" in text
    for bad, field in (
        ({"from": "2026-47"}, "from"),
        ({"from": WEEKS[1], "to": WEEKS[0]}, "to"),
        ({"team": "nobody"}, "team"),
        ({"theme": "cooking"}, "theme"),
    ):
        response = admin.get("/admin/impact", query_string=bad)
        assert response.status_code == 400, bad
        assert f'id="{field}-error"' in response.get_data(as_text=True)
    assert admin.get("/admin/impact.csv", query_string={"to": "x"}).status_code == 400


def test_a_theme_filter_counts_only_that_themes_weeks(ctx, frozen):
    programme()
    theme = db.session.scalar(select(Round).where(Round.week == WEEKS[0])).challenge.theme.slug
    report = build(load(Filters(WEEKS[0], shift_week(WEEKS[0], 1), theme=theme)))
    assert [w.learners.value for w in report.weeks] == [6, 0]
    assert {c.theme for c in report.content} == {
        db.session.scalar(select(Theme.name).where(Theme.slug == theme))
    }
