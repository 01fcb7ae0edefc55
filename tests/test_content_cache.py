"""Programme settings and themes kept per web process, and an admin's save reaching every
process through the version stamp in Redis (read at most once a second per process)."""

from __future__ import annotations

import pytest
from redis.exceptions import RedisError
from sqlalchemy import select

from service.extensions import db
from service.rounds.models import Theme
from service.settings import all_settings, set_setting
from tests.factories_subscriptions import create_themes
from tests.helpers import csrf_token, each_statement_during


def statements_during(app, fn) -> list[str]:
    return each_statement_during(app, fn, lambda _conn, statement: statement)


class Clock:
    """Stands in for time.monotonic in content_cache: the tests say when a second passed."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    from service import content_cache

    fake = Clock()
    monkeypatch.setattr(content_cache, "monotonic", fake)
    return fake


@pytest.fixture
def two_processes(make_app, clock):
    """Two apps on one database and one Redis, as two gunicorn processes are."""
    first, second = make_app(), make_app()
    with first.app_context():
        create_themes()
        db.session.commit()
    return first, second


def test_the_landing_page_reads_settings_and_themes_once_per_process(two_processes):
    app, _ = two_processes
    client = app.test_client()
    first = statements_during(app, lambda: client.get("/"))
    again = statements_during(app, lambda: client.get("/"))
    assert any("settings" in s for s in first) and any("themes" in s for s in first)
    assert again == []
    assert "Tech-savvy prowess" in client.get("/").get_data(as_text=True)


def test_a_save_in_one_process_shows_in_the_other_within_a_second(two_processes, clock):
    admin_side, public_side = two_processes
    client = public_side.test_client()
    page = client.get("/").get_data(as_text=True)
    assert "Join Turnabout" in page and "Monday at 09:00" in page

    with admin_side.app_context():
        set_setting("programme_name", "Acme Mentoring")
        set_setting("send_weekday", 2)
        db.session.scalar(select(Theme).where(Theme.slug == "tech-savvy")).name = "Tools, new"
        db.session.commit()
    with admin_side.test_client() as own:  # the process that saved knows at once
        assert "Join Acme Mentoring" in own.get("/").get_data(as_text=True)

    # The other process keeps its copy until its next look at the stamp, a second later.
    assert "Join Turnabout" in client.get("/").get_data(as_text=True)
    clock.now += 1.0
    page = client.get("/").get_data(as_text=True)
    assert "Join Acme Mentoring" in page and "Wednesday at 09:00" in page
    assert "Tools, new" in page and "Tech-savvy prowess" not in page


def test_a_retired_theme_leaves_the_other_process_within_a_second(two_processes, clock):
    admin_side, public_side = two_processes
    client = public_side.test_client()
    client.get("/")  # fills the copy
    with admin_side.app_context():
        db.session.scalar(select(Theme).where(Theme.slug == "life-work")).retired = True
        db.session.commit()
    clock.now += 1.0
    page = client.get("/").get_data(as_text=True)
    assert 'value="life-work"' not in page


def test_a_save_while_redis_is_down_is_refused_and_nothing_is_stored(make_app):
    app = make_app(REDIS_URL="redis://127.0.0.1:1/0")  # nothing listens there
    with app.app_context():
        set_setting("programme_name", "Never Seen")
        with pytest.raises(RedisError):
            db.session.commit()
        db.session.rollback()
        assert all_settings()["programme_name"] == "Turnabout"


def test_pages_still_work_while_redis_is_down(two_processes, make_app):
    cut_off = make_app(REDIS_URL="redis://127.0.0.1:1/0")  # same database, no Redis
    page = cut_off.test_client().get("/")
    assert page.status_code == 200
    assert "Tech-savvy prowess" in page.get_data(as_text=True)


def test_each_visitor_gets_a_token_of_their_own_in_the_shared_landing_page(two_processes):
    app, _ = two_processes
    pages, tokens = [], []
    for n in range(2):
        client = app.test_client()
        token = csrf_token(client, "/")
        pages.append(client.get("/").get_data(as_text=True).replace(token, "TOKEN"))
        tokens.append(token)
        form = {
            "csrf_token": token,
            "email": f"visitor{n}@example.org",
            "name": "Visitor",
            "role": "learner",
            "themes": "tech-savvy",
            "timezone": "Europe/Berlin",
        }
        assert client.post("/subscribe", data=form).status_code == 200
    assert tokens[0] != tokens[1]
    assert pages[0] == pages[1] and "csrf-token-" not in pages[0]
    with app.app_context():
        from service.subscriptions.models import Subscriber

        stored = db.session.scalars(select(Subscriber.email)).all()
    assert sorted(stored) == ["visitor0@example.org", "visitor1@example.org"]


def test_a_message_to_show_once_is_not_shared(two_processes):
    app, _ = two_processes
    client, other = app.test_client(), app.test_client()
    other.get("/")  # fills the shared copy
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "Only for this visitor.")]
    assert "Only for this visitor." in client.get("/").get_data(as_text=True)
    assert "Only for this visitor." not in other.get("/").get_data(as_text=True)
