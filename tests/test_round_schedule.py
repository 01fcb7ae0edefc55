"""Weeks, the starter library seed, and the challenge schedule (rotation and admin)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from sqlalchemy import func, select

from service.cli import main
from service.extensions import db
from service.rounds.models import Challenge, Round, Theme
from service.rounds.schedule import (
    AVOID_WEEKS,
    RoundLocked,
    challenge_for_week,
    schedule_challenge,
    upcoming_schedule,
)
from service.rounds.starter_content import CHALLENGES, THEMES
from service.weeks import (
    BadWeek,
    current_week,
    next_weeks,
    send_moment,
    week_start,
    weeks_in_play,
)
from tests.factories_rounds import seed


def test_week_helpers():
    assert current_week(datetime(2026, 11, 30, 8, tzinfo=UTC)) == "2026-W49"
    assert current_week(datetime(2027, 1, 1, tzinfo=UTC)) == "2026-W53"
    assert week_start("2026-W49") == date(2026, 11, 30)
    assert next_weeks(3, "2026-W52") == ["2026-W52", "2026-W53", "2027-W01"]
    with pytest.raises(BadWeek):
        week_start("2026-49")
    with pytest.raises(BadWeek):
        week_start("2025-W53")  # 2025 has 52 weeks


def test_send_moment_is_local_and_east_of_utc_starts_on_sunday():
    berlin = send_moment("2026-W49", "Europe/Berlin", 0, 9)
    auckland = send_moment("2026-W49", "Pacific/Auckland", 0, 9)
    new_york = send_moment("2026-W49", "America/New_York", 0, 9)
    assert berlin == datetime(2026, 11, 30, 8, tzinfo=UTC)
    assert auckland == datetime(2026, 11, 29, 20, tzinfo=UTC)  # Sunday in UTC
    assert new_york == datetime(2026, 11, 30, 14, tzinfo=UTC)
    assert weeks_in_play(datetime(2026, 11, 29, 20, tzinfo=UTC)) == ["2026-W48", "2026-W49"]
    assert send_moment("2026-W49", "Not/AZone", 0, 9) == datetime(2026, 11, 30, 9, tzinfo=UTC)


def test_seed_is_idempotent_and_keeps_admin_changes(ctx, runner):
    result = runner.invoke(main, args=["seed"])
    assert result.exit_code == 0, result.output
    assert f"{len(CHALLENGES)} added" in result.output
    assert db.session.scalar(select(func.count(Theme.id))) == len(THEMES)
    retired = db.session.scalars(select(Challenge)).first()
    retired.retired = True
    db.session.commit()
    again = runner.invoke(main, args=["seed"])
    assert "Challenges: 0 added, 0 updated" in again.output
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Challenge.id))) == len(CHALLENGES)
    assert db.session.get(Challenge, retired.id).retired is True


@time_machine.travel(datetime(2026, 11, 25, 12, tzinfo=UTC), tick=False)
def test_rotation_walks_themes_and_avoids_recent_challenges(ctx):
    seed()
    schedule = upcoming_schedule(24)
    themes = [c.theme.slug for _, c, _ in schedule]
    order = [t["slug"] for t in THEMES]
    assert themes[:12] == order + order
    ids = [c.id for _, c, _ in schedule]
    for i, cid in enumerate(ids):  # no challenge twice inside the window
        assert cid not in ids[max(0, i - AVOID_WEEKS) : i]
    assert all(not by_admin for *_, by_admin in schedule)
    # challenge_for_week agrees with the projection, and reads only
    for week, challenge, _ in schedule:
        assert challenge_for_week(week).id == challenge.id
    assert db.session.scalar(select(func.count(Round.id))) == 0


@time_machine.travel(datetime(2026, 11, 25, 12, tzinfo=UTC), tick=False)
def test_rotation_follows_an_admin_scheduled_week(ctx):
    seed()
    life_work = db.session.scalars(
        select(Challenge).join(Theme).where(Theme.slug == "life-work")
    ).first()
    round_ = schedule_challenge("2026-W50", life_work.id)
    assert round_.scheduled_by_admin
    schedule = dict((w, (c, a)) for w, c, a in upcoming_schedule(4))
    assert schedule["2026-W50"] == (life_work, True)
    # the week after an admin's pick continues the rotation after that theme
    assert schedule["2026-W51"][0].theme.slug == THEMES[0]["slug"]
    with pytest.raises(ValueError):
        schedule_challenge("2026-W40", life_work.id)


@time_machine.travel(datetime(2026, 11, 25, 12, tzinfo=UTC), tick=False)
def test_schedule_refuses_a_round_that_started_sending(ctx):
    from service.rounds.dispatch import send_round
    from tests.factories_rounds import create_subscriber

    seed()
    create_subscriber(role="learner", team="a")
    create_subscriber(role="giver", team="b")
    db.session.commit()
    send_round("2026-W48")
    other = db.session.scalars(select(Challenge).order_by(Challenge.id.desc())).first()
    with pytest.raises(RoundLocked):
        schedule_challenge("2026-W48", other.id)
