"""The preference centre and the confirm page read the subscriber with their themes,
self-ratings and shared tips in one statement (service/json_rows.py), on SQLite and
PostgreSQL; the same lists read one by one when a page did not ask for them."""

from __future__ import annotations

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from service.confidence.models import ConfidenceRating, home_themes
from service.database import utcnow
from service.extensions import db
from service.rounds.content import seed_content
from service.rounds.models import Challenge, Round, RoundStatus, SharedTip, Theme
from service.subscriptions.models import Status, Subscriber
from service.subscriptions.schedule import first_challenge
from service.subscriptions.signed_links import subscriber_from
from service.tokens import make_token
from service.weeks import week_of
from tests.factories_subscriptions import create_subscriber
from tests.helpers import csrf_token, each_statement_during

LISTS = ("themes", "self_ratings", "shared_tips", "paired_weeks")


@pytest.fixture
def person(ctx):
    """A learner with two themes, ratings whose ids and dates disagree about which is
    latest, two at-home themes and four tips (one withdrawn)."""
    seed_content()
    themes = {t.slug: t for t in db.session.scalars(select(Theme))}
    challenge = db.session.scalar(select(Challenge).order_by(Challenge.id))
    ana = create_subscriber(themes=("life-work", "tech-savvy"), language="en")
    now = utcnow()
    for days_ago, slug, value in [(3, "tech-savvy", 2), (9, "tech-savvy", 5), (1, "life-work", 4)]:
        rating = ConfidenceRating(
            subscriber_id=ana.id,
            theme_id=themes[slug].id,
            value=value,
            source="preferences",
            created_at=now - timedelta(days=days_ago),
        )
        db.session.add(rating)
    for slug in ("social-media", "life-work"):
        db.session.execute(
            home_themes.insert().values(subscriber_id=ana.id, theme_id=themes[slug].id)
        )
    for days_ago, text, approved, hidden, credit, withdrawn in [
        (5, "Oldest <tip>", now, None, None, None),
        (1, "Newest tip", None, None, now, None),
        (3, "Middle tip", now, now, None, None),
        (0, "Withdrawn tip", None, None, None, now),
    ]:
        tip = SharedTip(
            author_id=ana.id,
            challenge_id=challenge.id,
            theme_id=challenge.theme_id,
            text=text,
            consented_at=now - timedelta(days=days_ago),
            approved_at=approved,
            hidden_at=hidden,
            credit_allowed_at=credit,
            withdrawn_at=withdrawn,
        )
        db.session.add(tip)
    db.session.commit()
    return ana.id


def statements_of(app, client, url: str) -> tuple[list[str], str]:
    """The statements of a second GET (the first fills the process's copy of the themes
    and settings, service.content_cache), and its page."""
    client.get(url)
    pages = []
    sql = each_statement_during(
        app, lambda: pages.append(client.get(url)), lambda _conn, statement: statement
    )
    return sql, pages[0].get_data(as_text=True)


def selected_steps(page: str) -> dict[str, str]:
    chosen = {}
    for name, options in re.findall(r'<select id="(confidence-[\w-]+)"(.*?)</select>', page, re.S):
        found = re.search(r'<option value="(\d)" selected>', options)
        chosen[name] = found.group(1) if found else ""
    return chosen


def test_the_preference_centre_reads_in_one_statement(app, client, person):
    url = f"/p/{make_token('preferences', person)}"
    sql, page = statements_of(app, client, url)
    assert len(sql) == 1
    steps = selected_steps(page)
    assert steps["confidence-tech-savvy"] == "2"  # the latest by date, not by id
    assert steps["confidence-life-work"] == "4"
    assert steps["confidence-social-media"] == ""
    home = re.findall(r'name="home_themes" value="([\w-]+)" checked', page)
    assert sorted(home) == ["life-work", "social-media"]
    chosen = re.findall(r'name="themes" value="([\w-]+)" checked', page)
    assert sorted(chosen) == ["life-work", "tech-savvy"]
    tips = re.findall(r"<blockquote>(.*?)</blockquote>", page)
    assert tips == ["Newest tip", "Middle tip", "Oldest &lt;tip&gt;"]  # newest consent first
    assert page.count("Shown with your first name.") == 1
    assert page.count("Not used at the moment.") == 1
    assert page.count("In the library") == 1
    assert page.count("Waiting for an editor.") == 1


def test_a_refused_save_shows_the_same_lists_read_one_by_one(app, client, person):
    url = f"/p/{make_token('preferences', person)}"
    form = {"csrf_token": csrf_token(client, url), "name": "", "role": "learner"}
    form.update(themes=["life-work"], timezone="UTC", language="en")
    response = client.post(url, data=form)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert re.findall(r"<blockquote>(.*?)</blockquote>", page)[0] == "Newest tip"
    assert 'name="home_themes" value="life-work"' in page


def test_the_confirm_page_reads_in_one_statement(app, client, person):
    ana = db.session.get(Subscriber, person)
    ana.status, ana.confirmed_at = Status.PENDING, None
    db.session.commit()
    url = f"/c/{make_token('confirm', person)}"
    sql, page = statements_of(app, client, url)
    assert len(sql) == 1
    assert re.search(r"<dt>Themes</dt><dd>([^<]*)</dd>", page).group(1) == (
        "Tech-savvy prowess, Life-work integration"  # in the themes' order
    )


def test_lists_read_with_the_row_equal_lists_read_later(app, person):
    token = make_token("preferences", person)
    with app.test_request_context():
        together = subscriber_from("preferences", token, LISTS)
        alone = subscriber_from("preferences", token)
        assert [getattr(together, name) for name in LISTS] == [
            getattr(alone, name) for name in LISTS
        ]
        ratings = together.self_ratings
        assert sorted(ratings.pop("home_themes")) == ["life-work", "social-media"]
        assert ratings == {"confidence-tech-savvy": "2", "confidence-life-work": "4"}
        assert [theme.slug for theme in together.themes] == ["tech-savvy", "life-work"]
        assert [tip.text for tip in together.shared_tips] == [
            "Newest tip",
            "Middle tip",
            "Oldest <tip>",
        ]
        assert [(t.approved, t.hidden, t.credited) for t in together.shared_tips] == [
            (False, False, True),
            (True, True, False),
            (True, False, False),
        ]


def test_a_subscriber_without_lists_reads_empty_ones(app, ctx):
    bare = create_subscriber(themes=())
    with app.test_request_context():
        linked = subscriber_from("preferences", make_token("preferences", bare.id), LISTS)
        assert (linked.themes, linked.shared_tips) == ([], [])
        assert linked.self_ratings == {"home_themes": []}


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Europe/Berlin", "Pacific/Pago_Pago"])
def test_the_weeks_read_with_the_row_give_the_same_next_challenge(app, ctx, zone):
    """The preference centre's "your next challenge arrives ..." from the paired weeks read
    with the row, as from looking up each week's round (the weeks around now paired)."""
    seed_content()
    now = utcnow()
    for days in (-7, 0, 7):
        week = week_of((now + timedelta(days=days)).astimezone(ZoneInfo(zone)).date())
        if db.session.scalar(select(Round).where(Round.week == week)) is None:
            challenge = db.session.scalar(select(Challenge).order_by(Challenge.id))
            db.session.add(Round(week=week, challenge=challenge, status=RoundStatus.PAIRED))
    db.session.commit()
    token = make_token("preferences", create_subscriber(tz=zone).id)
    with app.test_request_context():
        linked = subscriber_from("preferences", token, ("paired_weeks",))
        assert first_challenge(zone, paired=linked.paired_weeks) == first_challenge(zone)
