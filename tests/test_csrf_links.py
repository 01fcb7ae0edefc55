"""CSRF on the pages behind a signed link (service/csrf.py): their forms carry a token
derived from the link, so opening them sets no cookie; a POST still needs a valid token
(that link's, or the browser session's), and over https a same-origin Referer."""

from __future__ import annotations

import pytest

from service.extensions import db
from service.subscriptions.models import Status
from service.tokens import make_token
from tests.factories_subscriptions import create_subscriber, create_themes
from tests.helpers import csrf_token


@pytest.fixture
def people(ctx):
    create_themes()
    ana, ben = create_subscriber(), create_subscriber(name="Ben")
    db.session.commit()
    return ana, ben


def unsubscribe_url(subscriber) -> str:
    return f"/u/{make_token('unsubscribe', subscriber.id)}"


def status_of(subscriber) -> str:
    db.session.refresh(subscriber)
    return subscriber.status


def test_a_signed_link_page_sets_no_cookie_and_its_token_needs_none(app, people):
    ana, _ = people
    url = unsubscribe_url(ana)
    browser = app.test_client()
    page = browser.get(url)
    assert page.status_code == 200 and "Set-Cookie" not in page.headers
    token = csrf_token(browser, url)
    assert csrf_token(app.test_client(), url) == token  # the link's, not a session's

    fresh = app.test_client(use_cookies=False)  # no session at all
    assert fresh.post(url, data={"csrf_token": token}).status_code == 200
    assert status_of(ana) == Status.UNSUBSCRIBED


def test_the_token_of_another_link_or_a_forged_one_is_refused(app, people):
    ana, ben = people
    ana_token = csrf_token(app.test_client(), unsubscribe_url(ana))
    client = app.test_client()
    for forged in (ana_token, "0" * 64, ""):
        assert client.post(unsubscribe_url(ben), data={"csrf_token": forged}).status_code == 400
    assert status_of(ben) == Status.ACTIVE


def test_the_session_token_of_the_same_browser_still_counts(app, people):
    _, ben = people
    client = app.test_client()
    session_token = csrf_token(client, "/")  # the landing page's form: a session token
    assert client.post(unsubscribe_url(ben), data={"csrf_token": session_token}).status_code == 200
    assert status_of(ben) == Status.UNSUBSCRIBED


def test_preference_forms_share_the_token_of_their_link(app, people):
    ana, _ = people
    url = f"/p/{make_token('preferences', ana.id)}"
    token = csrf_token(app.test_client(), url)
    fresh = app.test_client(use_cookies=False)
    assert fresh.post(f"{url}/pause", data={"csrf_token": token, "pause": "1"}).status_code == 302
    assert fresh.post(f"{url}/resume", data={"csrf_token": token}).status_code == 302


def test_over_https_a_same_origin_referrer_is_still_required(app, people):
    ana, _ = people
    url = unsubscribe_url(ana)
    client = app.test_client(use_cookies=False)
    token = csrf_token(client, url)
    https = {"base_url": "https://turnabout.test"}
    refused = [
        client.post(url, data={"csrf_token": token}, **https),
        client.post(
            url, data={"csrf_token": token}, headers={"Referer": "https://evil.test/"}, **https
        ),
    ]
    assert [r.status_code for r in refused] == [400, 400]
    assert status_of(ana) == Status.ACTIVE
    same = {"Referer": "https://turnabout.test/u/x"}
    assert client.post(url, data={"csrf_token": token}, headers=same, **https).status_code == 200
    assert status_of(ana) == Status.UNSUBSCRIBED
