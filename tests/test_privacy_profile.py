"""Nobody changes someone else's profile: a signup with an existing person's address
writes nothing to them; the answers reach the profile only when the owner confirms on
a page that shows every field."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from test_subscriptions import link_to, sign_up, subscribers

from service.extensions import db
from service.subscriptions.models import Status, Subscriber
from service.tokens import make_token
from tests.factories_subscriptions import create_subscriber, create_themes
from tests.helpers import csrf_token

ATTACKER = {
    "name": "Mallory",
    "role": "giver",
    "themes": ["social-media"],
    "timezone": "Pacific/Auckland",
    "team": "Nobody's team",
    "about": "Call me on 0900 555 000 for a good time",
}


@pytest.fixture
def themed(ctx):
    create_themes()
    db.session.commit()
    return ctx


def profile(subscriber_id: int) -> tuple:
    db.session.expire_all()
    s = db.session.get(Subscriber, subscriber_id)
    return (s.name, s.role, [t.slug for t in s.themes], s.timezone, s.team, s.about, s.status)


@pytest.mark.parametrize("status", [Status.UNSUBSCRIBED, Status.PENDING])
def test_a_signup_with_an_existing_address_writes_nothing_to_that_person(
    client, themed, run_jobs, outbox, status
):
    owner = create_subscriber(
        email="ana.lopez@example.org",
        name="Ana",
        role="learner",
        themes=("tech-savvy",),
        team="Marketing",
        about="Marketing manager",
        status=status,
    )
    before = profile(owner.id)
    assert sign_up(client, email="Ana.Lopez@example.org", **ATTACKER).status_code == 200
    run_jobs()
    assert profile(owner.id) == before

    # The owner's confirmation link shows every field the signup asked for, as a form.
    [message] = outbox.to("ana.lopez@example.org")
    url = link_to(message, "c")
    page = client.get(url).get_data(as_text=True)
    assert profile(owner.id) == before
    for field in ("name", "role", "themes", "timezone", "team", "about"):
        assert f'name="{field}"' in page
    assert "Call me on 0900 555 000" in page and "nothing is saved until you press" in page

    # Rejoining from the preferences page keeps the owner's own profile.
    if status == Status.UNSUBSCRIBED:
        prefs = f"/p/{make_token('preferences', owner.id)}"
        token = csrf_token(client, prefs)
        client.post(f"{prefs}/rejoin", data={"csrf_token": token})
        assert profile(owner.id)[:6] == before[:6] and profile(owner.id)[6] == Status.ACTIVE
        return

    # Confirming saves what the owner submits on that page, and only that.
    form = {
        "csrf_token": csrf_token(client, url),
        "name": "Ana",
        "role": "learner",
        "themes": ["tech-savvy"],
        "timezone": "Europe/Berlin",
        "team": "Marketing",
        "about": "Marketing manager",
    }
    assert client.post(url, data=form).status_code == 302
    assert profile(owner.id) == (*before[:6], Status.ACTIVE)


def test_a_first_signup_still_stores_its_answers(client, themed, run_jobs, outbox):
    sign_up(client, email="new.person@example.org", **ATTACKER)
    (person,) = subscribers()
    assert (person.name, person.about, person.status) == (
        "Mallory",
        ATTACKER["about"],
        Status.PENDING,
    )


def test_the_confirm_page_shows_every_field(client, themed):
    owner = create_subscriber(
        email="bo@example.org",
        name="Bo",
        team="Support desk",
        about="Twenty years on the phones",
        status=Status.PENDING,
    )
    page = client.get(f"/c/{make_token('confirm', owner.id)}").get_data(as_text=True)
    for shown in ("Bo", "Learner", "Tech-savvy prowess", "Europe/Berlin"):
        assert shown in page
    assert "Support desk" in page and "Twenty years on the phones" in page
    assert db.session.scalar(select(Subscriber.status).where(Subscriber.id == owner.id)) == (
        Status.PENDING
    )
