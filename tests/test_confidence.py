"""Confidence check-ins: optional ratings at signup and in the preference centre (a dated
history), tip-givers' at-home themes, the recap's check-in every few weeks, the tip-giver's
two quality questions, and the history in the export and gone after deletion."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from sqlalchemy import func, select

from service.confidence.models import ConfidenceRating, Source, home_themes
from service.confidence.ratings import checkin_due
from service.extensions import db
from service.rounds.answers import AnswerRefused, find_answer, record_answer
from service.rounds.models import Pairing, Round, Theme
from service.rounds.planning import ensure_paired
from service.subscriptions.actions import delete_personal_data, export_data
from service.subscriptions.models import Subscriber
from service.tokens import make_token
from service.weeks import shift_week
from tests.factories_rounds import create_subscriber, seed
from tests.helpers import csrf_token

FORM = {
    "email": "ana.lopez@example.org",
    "name": "Ana",
    "role": "learner",
    "themes": ["tech-savvy", "life-work"],
    "timezone": "Europe/Berlin",
}


@pytest.fixture
def seeded(ctx):
    seed()
    db.session.commit()
    return ctx


def ratings(subscriber_id: int) -> list[tuple[str, int, str]]:
    db.session.expire_all()
    return [
        (slug, value, source)
        for slug, value, source in db.session.execute(
            select(Theme.slug, ConfidenceRating.value, ConfidenceRating.source)
            .join(Theme, Theme.id == ConfidenceRating.theme_id)
            .where(ConfidenceRating.subscriber_id == subscriber_id)
            .order_by(ConfidenceRating.id)
        )
    ]


def test_a_learner_rates_confidence_at_signup(client, seeded):
    page = client.get("/").get_data(as_text=True)
    assert "I avoid it" in page and "I could show someone" in page
    data = {**FORM, "confidence-tech-savvy": "2", "csrf_token": csrf_token(client, "/")}
    assert client.post("/subscribe", data=data).status_code == 200
    ana = db.session.scalar(select(Subscriber).where(Subscriber.email == FORM["email"]))
    assert ratings(ana.id) == [("tech-savvy", 2, Source.SIGNUP)]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("confidence-tech-savvy", "9", "Choose a step from 1 to 5"),
        ("confidence-social-media", "3", "Tick Social media mastery above"),
    ],
)
def test_a_wrong_rating_is_refused_and_nothing_is_stored(client, seeded, field, value, message):
    data = {**FORM, field: value, "csrf_token": csrf_token(client, "/")}
    response = client.post("/subscribe", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page and message in page
    assert db.session.scalar(select(func.count()).select_from(Subscriber)) == 0
    assert db.session.scalar(select(func.count()).select_from(ConfidenceRating)) == 0


def test_the_preference_centre_keeps_a_history_not_an_overwrite(client, seeded):
    ana = create_subscriber(name="Ana", themes=("tech-savvy",))
    db.session.commit()
    path = f"/p/{make_token('preferences', ana.id)}"
    form = {**FORM, "themes": ["tech-savvy"], "confidence-tech-savvy": "2"}
    for value in ("2", "2", "4"):  # the unchanged second save adds nothing
        form["confidence-tech-savvy"] = value
        form["csrf_token"] = csrf_token(client, path)
        assert client.post(path, data=form).status_code == 302
    assert [v for _, v, _ in ratings(ana.id)] == [2, 4]
    page = client.get(path).get_data(as_text=True)
    assert '<option value="4" selected>' in page


def test_a_tip_giver_says_where_they_are_most_at_home(client, seeded):
    sam = create_subscriber(role="giver", name="Sam", themes=("tech-savvy", "life-work"))
    db.session.commit()
    path = f"/p/{make_token('preferences', sam.id)}"
    form = {**FORM, "role": "giver", "home_themes": ["life-work"]}
    form["csrf_token"] = csrf_token(client, path)
    assert client.post(path, data=form).status_code == 302
    db.session.expire_all()
    stored = db.session.scalars(
        select(Theme.slug)
        .join(home_themes, home_themes.c.theme_id == Theme.id)
        .where(home_themes.c.subscriber_id == sam.id)
    ).all()
    assert stored == ["life-work"]
    form["home_themes"] = ["social-media"]  # not one of Sam's themes
    form["csrf_token"] = csrf_token(client, path)
    response = client.post(path, data=form)
    assert response.status_code == 400 and 'id="home_themes-error"' in response.get_data(
        as_text=True
    )


@time_machine.travel(datetime(2026, 11, 30, 10, tzinfo=UTC), tick=False)
def test_check_ins_every_n_weeks_are_dated_history_exported_and_erased(seeded):
    ana = create_subscriber(name="Ana Lopez", role="learner", team="a", themes=("tech-savvy",))
    create_subscriber(name="Sam Lee", role="giver", team="b", themes=("tech-savvy",))
    db.session.commit()
    weeks = ["2026-W49", shift_week("2026-W49", 1)]
    pairings = []
    for week in weeks:
        round_ = ensure_paired(week)
        pairings.append(db.session.scalar(select(Pairing).where(Pairing.round_id == round_.id)))
    rounds = [db.session.scalar(select(Round).where(Round.week == w)) for w in weeks]
    assert checkin_due(rounds[0], [ana.id], 2) == set()
    assert checkin_due(rounds[1], [ana.id], 2) == {ana.id}  # her second round
    assert checkin_due(rounds[0], [ana.id], 1) == {ana.id}

    record_answer(pairings[1].id, ana.id, "confidence", "3")
    record_answer(pairings[1].id, ana.id, "confidence", "4")  # changed: same row
    assert [(v, s) for _, v, s in ratings(ana.id)] == [(4, Source.CHECKIN)]
    with pytest.raises(AnswerRefused):  # only the learner is asked
        record_answer(pairings[1].id, pairings[1].giver_id, "confidence", "3")
    record_answer(pairings[1].id, pairings[1].giver_id, "clear", "yes")
    record_answer(pairings[1].id, pairings[1].giver_id, "again", "no")
    assert find_answer(pairings[1].id, pairings[1].giver_id, "again").value == "no"

    exported = export_data(ana.id)
    assert [r["value"] for r in exported["confidence_ratings"]] == [4]
    assert exported["confidence_ratings"][0]["source"] == Source.CHECKIN
    delete_personal_data(ana.id)
    assert ratings(ana.id) == []
    assert find_answer(pairings[1].id, ana.id, "confidence") is None
