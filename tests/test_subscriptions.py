"""Signup, double opt-in, preferences, pause and unsubscribe through the web pages."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from service.database import utcnow
from service.extensions import db
from service.mail.models import OutgoingEmail
from service.subscriptions.models import Status, Subscriber, Suppression, address_hash
from service.tokens import make_token
from tests.factories_subscriptions import create_subscriber, create_themes
from tests.helpers import csrf_token, html_of, links_in, text_of

FORM = {
    "email": "Ana.Lopez@Example.org",
    "name": "Ana",
    "role": "learner",
    "themes": ["tech-savvy", "life-work"],
    "timezone": "Europe/Berlin",
    "team": "Marketing",
    "about": "Marketing manager, twenty years in retail",
}


@pytest.fixture
def themed(ctx):
    create_themes()
    db.session.commit()
    return ctx


def sign_up(client, lang=None, **changes):
    data = {**FORM, **changes}
    data = {k: v for k, v in data.items() if v is not None}
    data["csrf_token"] = csrf_token(client, "/")
    return client.post("/subscribe" + (f"?lang={lang}" if lang else ""), data=data)


def subscribers():
    db.session.expire_all()
    return list(db.session.scalars(select(Subscriber).order_by(Subscriber.id)))


def link_to(message, prefix: str) -> str:
    found = [link for link in links_in(message) if f"/{prefix}/" in link]
    assert found, f"no /{prefix}/ link in {message['Subject']}"
    return found[0].replace("http://turnabout.test", "")


def test_landing_lists_themes_from_the_database_and_the_form(client, themed):
    page = client.get("/").get_data(as_text=True)
    for name in ("Tech-savvy prowess", "Diversity and inclusion", "Life-work integration"):
        assert name in page
    assert "reverse mentoring" in page.lower()
    assert 'name="csrf_token"' in page and 'name="website"' in page
    assert "subscriptions.js" in page and "subscriptions.css" in page
    assert "http" not in re.sub(r'href="http://(localhost|turnabout\.test)[^"]*"', "", page).split(
        "<body"
    )[0].replace("http-equiv", "")  # no CDN assets in <head>


def test_retired_theme_is_not_offered(client, themed):
    from service.rounds.models import Theme

    db.session.scalar(select(Theme).where(Theme.slug == "social-media")).retired = True
    db.session.commit()
    page = client.get("/").get_data(as_text=True)
    assert "Social media mastery" not in page
    response = sign_up(client, themes=["social-media"])
    assert response.status_code == 400
    assert subscribers() == []


def test_signup_stores_a_pending_subscriber_and_sends_one_confirmation(
    client, themed, run_jobs, outbox
):
    response = sign_up(client)
    assert response.status_code == 200
    assert "Check your inbox" in response.get_data(as_text=True)
    [sub] = subscribers()
    assert sub.email == "ana.lopez@example.org"  # normalised
    assert sub.status == Status.PENDING
    assert [t.slug for t in sub.themes] == ["tech-savvy", "life-work"]
    assert (sub.role, sub.timezone, sub.team) == ("learner", "Europe/Berlin", "Marketing")
    run_jobs()
    [message] = outbox.to("ana.lopez@example.org")
    assert "Confirm" in message["Subject"]
    assert "/c/" in text_of(message) and "/c/" in html_of(message)


def test_the_check_inbox_page_is_rendered_once_per_language(app):
    """As the landing page: one copy per language (here without the test's app context,
    which would keep the first request's language for the next)."""
    from flask import template_rendered

    with app.app_context():
        create_themes()
        db.session.commit()
    client, rendered = app.test_client(), []

    def record(_app, template, **_):
        rendered.append(template.name)

    template_rendered.connect(record)
    try:
        pages = [
            sign_up(client, email=f"{n}-{lang}@example.org", lang=lang).get_data(True)
            for lang in ("en", "de", "en")
            for n in range(2)
        ]
    finally:
        template_rendered.disconnect(record)
    assert rendered.count("subscriptions/check_inbox.html") == 2
    assert pages[0] == pages[1] == pages[4] and "Check your inbox" in pages[0]
    assert "Schauen Sie in Ihr Postfach" in pages[2] and pages[2] == pages[3]


BAD_INPUT = [
    ({"email": "not-an-address"}, "email"),
    ({"email": "ana@example.org\r\nBcc: x@example.org"}, "email"),
    ({"themes": ["no-such-theme"]}, "themes"),
    ({"themes": None}, "themes"),
    ({"role": None}, "role"),
    ({"role": "boss"}, "role"),
    ({"name": "A" * 61}, "name"),
    ({"name": "Ana\nBcc: x"}, "name"),
    ({"name": ""}, "name"),
    ({"team": "T" * 81}, "team"),
    ({"about": "x" * 161}, "about"),
    ({"about": "line one\r\nline two"}, "about"),
    ({"timezone": "Mars/Olympus"}, "timezone"),
]


def test_bad_input_rerenders_with_a_message_per_field_and_stores_nothing(client, themed):
    client.application.config["SIGNUP_RATE_LIMIT"] = "100/minute"  # many posts from one IP
    for changes, field in BAD_INPUT:  # one app for all cases keeps the suite fast
        response = sign_up(client, **changes)
        assert response.status_code == 400, changes
        page = response.get_data(as_text=True)
        assert f'id="{field}-error"' in page, changes
        if "team" not in changes:
            assert 'value="Marketing"' in page, "the form keeps what the person typed"
    assert subscribers() == []
    assert db.session.scalar(select(func.count(OutgoingEmail.id))) == 0


def test_missing_timezone_defaults_to_utc(client, themed):
    assert sign_up(client, timezone=None).status_code == 200
    assert subscribers()[0].timezone == "UTC"


def test_same_answer_for_new_pending_active_and_unsubscribed_addresses(client, themed):
    pages = [sign_up(client, email="new@example.org")]
    pages.append(sign_up(client, email="new@example.org"))  # now pending
    create_subscriber(email="active@example.org")
    pages.append(sign_up(client, email="active@example.org"))
    create_subscriber(email="gone@example.org", status=Status.UNSUBSCRIBED)
    pages.append(sign_up(client, email="gone@example.org"))
    bodies = {re.sub(r'value="[^"]+"', "", p.get_data(as_text=True)) for p in pages}
    assert {p.status_code for p in pages} == {200}
    assert len(bodies) == 1


def test_honeypot_answers_the_same_page_and_stores_nothing(client, themed):
    normal = sign_up(client, email="real@example.org").get_data(as_text=True)
    trapped = sign_up(client, email="bot@example.org", website="http://spam.example")
    assert trapped.status_code == 200
    assert trapped.get_data(as_text=True) == normal
    assert [s.email for s in subscribers()] == ["real@example.org"]


def test_confirmations_are_limited_to_three_per_address_per_day(
    client, themed, run_jobs, outbox, time_machine
):
    time_machine.move_to(utcnow(), tick=True)
    for _ in range(5):
        assert sign_up(client).status_code == 200
    run_jobs()
    assert len(outbox.to("ana.lopez@example.org")) == 3
    time_machine.shift(timedelta(hours=24, minutes=1))
    sign_up(client)
    run_jobs()
    assert len(outbox.to("ana.lopez@example.org")) == 4


def test_active_subscriber_signing_up_again_gets_a_reminder_and_nothing_changes(
    client, themed, run_jobs, outbox
):
    sub = create_subscriber(email="ana.lopez@example.org", role="giver", team="Sales")
    sign_up(client)  # someone submits other choices for this address
    run_jobs()
    [message] = outbox.to("ana.lopez@example.org")
    assert "already subscribed" in message["Subject"]
    db.session.refresh(sub)
    assert (sub.role, sub.team, sub.status) == ("giver", "Sales", Status.ACTIVE)


def test_bounced_address_gets_nothing(client, themed, run_jobs, outbox):
    db.session.add(
        Suppression(address_hash=address_hash("ana.lopez@example.org"), reason="bounced")
    )
    db.session.commit()
    assert sign_up(client).status_code == 200
    run_jobs()
    assert len(outbox) == 0
    assert subscribers() == []


def test_confirm_get_changes_nothing_post_confirms_and_welcomes(client, themed, run_jobs, outbox):
    sign_up(client)
    run_jobs()
    url = link_to(outbox.to("ana.lopez@example.org")[0], "c")
    for method in (client.head, client.get, client.get):
        assert method(url).status_code == 200
    assert subscribers()[0].status == Status.PENDING
    page = client.get(url).get_data(as_text=True)
    assert page.count("<button") == 1
    response = client.post(url, data={"csrf_token": csrf_token(client, url)})
    assert response.status_code == 302 and "/p/" in response.location
    [sub] = subscribers()
    assert sub.status == Status.ACTIVE and sub.confirmed_at is not None
    outbox.clear()
    run_jobs()
    [welcome] = outbox.to("ana.lopez@example.org")
    body = text_of(welcome)
    assert "welcome" in welcome["Subject"]
    assert "Berlin time" in body and "Monday" in body
    assert welcome["List-Unsubscribe"] and welcome["List-Unsubscribe-Post"]
    # pressing again neither fails nor sends a second welcome
    again = client.post(url, data={"csrf_token": csrf_token(client, "/")})
    assert again.status_code == 302
    run_jobs()
    assert len(outbox.to("ana.lopez@example.org")) == 1


def test_confirm_needs_a_csrf_token(client, themed):
    sub = create_subscriber(status=Status.PENDING)
    url = f"/c/{make_token('confirm', sub.id)}"
    assert client.post(url, data={}).status_code == 400
    assert subscribers()[0].status == Status.PENDING


def test_first_challenge_is_the_next_unpaired_week_in_the_subscribers_zone(ctx, themed):
    from datetime import UTC, date, datetime

    from service.rounds.models import Challenge, Round, Theme
    from service.settings import set_setting
    from service.subscriptions.schedule import describe, first_challenge

    set_setting("send_weekday", 2)  # Wednesday
    set_setting("send_hour", 8)
    db.session.commit()
    now = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)  # Tuesday 1 December 2026
    moment = first_challenge("America/New_York", now=now)
    assert (moment.date(), moment.hour) == (date(2026, 12, 2), 8)
    assert moment.utcoffset() == timedelta(hours=-5)
    assert describe(moment, "America/New_York") == ("Wednesday 2 December, 08:00 (New York time)")
    # Already past this week's send in Tokyo: next week.
    late = datetime(2026, 12, 2, 0, 0, tzinfo=UTC)  # 09:00 Wednesday in Tokyo
    assert first_challenge("Asia/Tokyo", now=late).date() == date(2026, 12, 9)
    # This week's round is already paired: they join the week after.
    theme = db.session.scalar(select(Theme))
    challenge = Challenge(theme_id=theme.id, title="T", learner_task="x", giver_prompt="y")
    db.session.add(challenge)
    db.session.flush()
    db.session.add(Round(week="2026-W49", challenge_id=challenge.id, status="paired"))
    db.session.commit()
    assert first_challenge("America/New_York", now=now).date() == date(2026, 12, 9)
    # Paused until a date: the first send on or after it.
    paused = first_challenge("America/New_York", now=now, paused_until=date(2026, 12, 20))
    assert paused.date() == date(2026, 12, 23)


def test_unsubscribed_person_resubscribing_confirms_again(client, themed, run_jobs, outbox):
    sub = create_subscriber(email="ana.lopez@example.org", status=Status.UNSUBSCRIBED)
    db.session.add(Suppression(address_hash=address_hash(sub.email), reason="unsubscribed"))
    db.session.commit()
    sign_up(client)
    run_jobs()
    [message] = outbox.to("ana.lopez@example.org")
    url = link_to(message, "c")
    assert subscribers()[0].status == Status.UNSUBSCRIBED  # not before they confirm
    # The page shows the answers of the new signup as a form to check (test_privacy_profile).
    answers = {k: v for k, v in FORM.items() if k != "email"}
    client.post(url, data={"csrf_token": csrf_token(client, url), **answers})
    assert subscribers()[0].status == Status.ACTIVE
    assert db.session.scalar(select(func.count(Suppression.id))) == 0


# ------------------------------------------------------------------ preference centre


def prefs_url(sub) -> str:
    return f"/p/{make_token('preferences', sub.id)}"


def test_preferences_save_every_field(client, themed):
    sub = create_subscriber()
    url = prefs_url(sub)
    response = client.post(
        url,
        data={
            "csrf_token": csrf_token(client, url),
            "name": "Ana María",
            "role": "giver",
            "themes": ["social-media", "entrepreneurial"],
            "timezone": "America/Sao_Paulo",
            "team": "Growth",
            "about": "Runs our shop's Instagram",
        },
    )
    assert response.status_code == 302
    db.session.refresh(sub)
    assert sub.name == "Ana María" and sub.role == "giver"
    assert [t.slug for t in sub.themes] == ["social-media", "entrepreneurial"]
    assert (sub.timezone, sub.team, sub.about) == (
        "America/Sao_Paulo",
        "Growth",
        "Runs our shop's Instagram",
    )
    assert "saved" in client.get(url).get_data(as_text=True)


def test_preferences_bad_input_is_400_and_changes_nothing(client, themed):
    sub = create_subscriber(team="Sales")
    url = prefs_url(sub)
    response = client.post(
        url,
        data={
            "csrf_token": csrf_token(client, url),
            "name": "Ana",
            "role": "learner",
            "themes": [],
            "timezone": "Europe/Berlin",
            "team": "X\r\nY",
        },
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="themes-error"' in page and 'id="team-error"' in page
    db.session.refresh(sub)
    assert sub.team == "Sales" and [t.slug for t in sub.themes] == ["tech-savvy"]


@pytest.mark.parametrize("choice, days", [("1", 7), ("2", 14), ("4", 28)])
def test_pause_for_weeks_and_resume(client, themed, choice, days):
    sub = create_subscriber()
    url = prefs_url(sub)
    token = csrf_token(client, url)
    assert (
        client.post(f"{url}/pause", data={"csrf_token": token, "pause": choice}).status_code == 302
    )
    db.session.refresh(sub)
    assert sub.paused_until == utcnow().date() + timedelta(days=days)
    assert sub.is_paused(utcnow().date())
    assert "Resume now" in client.get(url).get_data(as_text=True)
    assert client.post(f"{url}/resume", data={"csrf_token": token}).status_code == 302
    db.session.refresh(sub)
    assert sub.paused_until is None


def test_pause_until_a_date_is_future_and_at_most_six_months(client, themed):
    sub = create_subscriber()
    url = prefs_url(sub)
    token = csrf_token(client, url)
    for until in (0, -3, 184, None, 1, 183):  # the refused ones first, then two that work
        day = "" if until is None else (utcnow().date() + timedelta(days=until)).isoformat()
        response = client.post(
            f"{url}/pause", data={"csrf_token": token, "pause": "date", "until": day}
        )
        db.session.refresh(sub)
        if until in (1, 183):
            assert response.status_code == 302, until
            assert sub.paused_until.isoformat() == day
        else:
            assert response.status_code == 400, until
            assert sub.paused_until is None, until


def test_pause_action_rejects_bad_values(ctx, themed):
    from service.subscriptions import actions

    sub = create_subscriber()
    for kwargs in ({"weeks": 3}, {}, {"weeks": 1, "until": utcnow().date()}):
        with pytest.raises(ValueError):
            actions.pause(sub.id, **kwargs)


def test_unsubscribe_from_preferences_and_subscribe_again(client, themed, run_jobs, outbox):
    sub = create_subscriber()
    url = prefs_url(sub)
    token = csrf_token(client, url)
    response = client.post(f"{url}/leave", data={"csrf_token": token})
    assert response.status_code == 200 and "unsubscribed" in response.get_data(as_text=True)
    db.session.refresh(sub)
    assert sub.status == Status.UNSUBSCRIBED and sub.unsubscribe_source == "preferences"
    assert client.post(f"{url}/rejoin", data={"csrf_token": token}).status_code == 302
    db.session.refresh(sub)
    assert sub.status == Status.ACTIVE
    run_jobs()
    subjects = sorted(m["Subject"] for m in outbox.to(sub.email))
    assert len(subjects) == 2 and any("left" in s for s in subjects)


# ------------------------------------------------------------------ unsubscribe page, RFC 8058


def unsubscribe_url(sub) -> str:
    return f"/u/{make_token('unsubscribe', sub.id)}"


def test_unsubscribe_page_has_one_button_and_get_changes_nothing(client, themed):
    sub = create_subscriber()
    url = unsubscribe_url(sub)
    client.head(url)
    page = client.get(url).get_data(as_text=True)
    assert page.count("<button") == 1
    db.session.refresh(sub)
    assert sub.status == Status.ACTIVE
    response = client.post(url, data={"csrf_token": csrf_token(client, url)})
    assert response.status_code == 200
    db.session.refresh(sub)
    assert sub.status == Status.UNSUBSCRIBED and sub.unsubscribe_source == "page"


def test_unsubscribe_page_post_without_csrf_is_refused(client, themed):
    sub = create_subscriber()
    assert client.post(unsubscribe_url(sub), data={"confirm": "1"}).status_code == 400
    db.session.refresh(sub)
    assert sub.status == Status.ACTIVE


def test_rfc8058_one_click_twice_unsubscribes_once_and_confirms_once(
    client, themed, run_jobs, outbox
):
    sub = create_subscriber()
    url = unsubscribe_url(sub)
    for _ in range(2):
        response = client.post(
            url,
            data="List-Unsubscribe=One-Click",
            content_type="application/x-www-form-urlencoded",
        )
        assert 200 <= response.status_code < 300
    db.session.refresh(sub)
    assert sub.status == Status.UNSUBSCRIBED and sub.unsubscribe_source == "one_click"
    assert db.session.scalar(select(func.count(Suppression.id))) == 1
    run_jobs()
    [message] = outbox.to(sub.email)
    assert "left" in message["Subject"]
    assert (
        db.session.scalar(
            select(func.count(OutgoingEmail.id)).where(OutgoingEmail.kind == "unsubscribed")
        )
        == 1
    )


def test_one_click_multipart_body_also_works(client, themed):
    sub = create_subscriber()
    response = client.post(
        unsubscribe_url(sub),
        data={"List-Unsubscribe": "One-Click"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    db.session.refresh(sub)
    assert sub.status == Status.UNSUBSCRIBED


def test_nothing_is_sent_after_unsubscribe_except_the_confirmation(
    client, themed, run_jobs, outbox
):
    from service.subscriptions import emails

    sub = create_subscriber()
    emails.welcome_email("Ana", "learner", ["x"], "soon", None, key="w1", subscriber_id=sub.id)
    db.session.commit()  # queued before the unsubscribe, delivered after
    client.post(
        unsubscribe_url(sub),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    emails.welcome_email("Ana", "learner", ["x"], "soon", None, key="w2", subscriber_id=sub.id)
    db.session.commit()
    run_jobs()
    assert [m["Subject"] for m in outbox.to(sub.email)] == ["You have left Turnabout"]


# ------------------------------------------------------------------ bad links


def bad_tokens(sub):
    good = make_token("preferences", sub.id)
    return {
        "tampered": good[:-3] + ("AAA" if not good.endswith("AAA") else "BBB"),
        "wrong purpose": make_token("answer", sub.id),
        "garbage": "not-a-token",
    }


@pytest.mark.parametrize("prefix", ["c", "join", "p", "u"])
def test_tampered_and_wrong_purpose_tokens_get_a_4xx_page_with_advice(client, themed, prefix):
    sub = create_subscriber(status=Status.PENDING)
    for label, token in bad_tokens(sub).items():
        for method in ("get", "post"):
            kwargs = {}
            if method == "post":
                kwargs = {"data": {"csrf_token": csrf_token(client, "/")}}
            response = getattr(client, method)(f"/{prefix}/{token}", **kwargs)
            assert response.status_code == 400, (label, method)
            page = response.get_data(as_text=True)
            assert "does not work" in page and "Open the link" in page
    one_click = client.post(
        f"/u/{bad_tokens(sub)['tampered']}",
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert one_click.status_code == 400
    db.session.refresh(sub)
    assert sub.status == Status.PENDING


def test_expired_confirm_link_says_to_sign_up_again(client, themed, time_machine):
    time_machine.move_to(utcnow() - timedelta(days=8), tick=False)
    sub = create_subscriber(status=Status.PENDING)
    url = f"/c/{make_token('confirm', sub.id)}"
    time_machine.move_to(utcnow() + timedelta(days=8), tick=False)
    for response in (
        client.get(url),
        client.post(url, data={"csrf_token": csrf_token(client, "/")}),
    ):
        assert response.status_code == 410
        assert "Sign up again" in response.get_data(as_text=True)
    db.session.refresh(sub)
    assert sub.status == Status.PENDING


def test_links_of_a_deleted_subscriber_lead_to_a_404_page(client, themed):
    from service.subscriptions.actions import delete_personal_data

    sub = create_subscriber()
    delete_personal_data(sub.id)
    response = client.get(prefs_url(sub))
    assert response.status_code == 404
    assert "join again" in response.get_data(as_text=True)


# ------------------------------------------------------------------ rate limits


def test_burst_of_bad_csrf_posts_is_rate_limited(make_app, redis):
    app = make_app(SIGNUP_RATE_LIMIT="5/minute")
    client = app.test_client()
    codes = [
        client.post("/subscribe", data={"email": "x@example.org"}).status_code for _ in range(8)
    ]
    assert codes[:5] == [400] * 5
    assert codes[5:] == [429] * 3


def test_token_endpoints_are_rate_limited_even_with_bad_csrf(make_app, redis):
    app = make_app(TOKEN_RATE_LIMIT="4/minute")
    client = app.test_client()
    with app.app_context():
        token = make_token("preferences", 1)
    codes = [client.post(f"/p/{token}/leave").status_code for _ in range(4)]
    codes += [client.get("/p/garbage").status_code]
    assert codes == [400] * 4 + [429]


def test_landing_shows_the_programme_schedule(client, themed):
    from service.settings import set_setting

    set_setting("send_weekday", 1)
    set_setting("send_hour", 7)
    set_setting("recap_day", 4)
    db.session.commit()
    page = client.get("/").get_data(as_text=True)
    assert "Tuesday at 07:00, your time." in page and "Friday." in page


def test_pending_person_can_confirm_from_the_preferences_page(client, themed, run_jobs, outbox):
    sub = create_subscriber(status=Status.PENDING)
    url = prefs_url(sub)
    page = client.get(url).get_data(as_text=True)
    assert "Not confirmed yet" in page
    db.session.refresh(sub)
    assert sub.status == Status.PENDING
    client.post(f"{url}/rejoin", data={"csrf_token": csrf_token(client, url)})
    db.session.refresh(sub)
    assert sub.status == Status.ACTIVE
    run_jobs()
    assert ["You are in: welcome to Turnabout"] == [m["Subject"] for m in outbox.to(sub.email)]


def test_pending_person_without_choices_is_sent_to_the_confirm_page(client, themed):
    sub = create_subscriber(status=Status.PENDING, role=None, themes=())
    url = prefs_url(sub)
    response = client.post(f"{url}/rejoin", data={"csrf_token": csrf_token(client, url)})
    assert response.status_code == 302 and "/c/" in response.location
    db.session.refresh(sub)
    assert sub.status == Status.PENDING


def test_pages_behind_signed_links_are_private(client, themed):
    sub = create_subscriber()
    for url in (prefs_url(sub), unsubscribe_url(sub), f"/c/{make_token('confirm', sub.id)}"):
        response = client.get(url)
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")


def test_a_typed_time_zone_is_stored_as_the_database_spells_it(client, themed):
    assert sign_up(client, timezone=" america/sao_paulo ").status_code == 200
    assert subscribers()[0].timezone == "America/Sao_Paulo"


def test_an_unknown_time_zone_is_refused_with_an_example(client, themed):
    page = sign_up(client, timezone="Berlin")
    html = page.get_data(as_text=True)
    assert page.status_code == 400
    assert "Enter your time zone as a region and city, e.g. Europe/Berlin" in html
    assert 'value="Berlin"' in html, "the form keeps what the person typed"
    assert subscribers() == []


def test_the_landing_page_stays_light_and_the_zones_come_once_from_a_cached_list(client, themed):
    from zoneinfo import available_timezones

    page = client.get("/")
    assert len(page.data) < 20 * 1024
    assert "Europe/Berlin</option>" not in page.get_data(as_text=True)
    listed = client.get("/timezones.json")
    assert listed.status_code == 200
    assert set(listed.json) == available_timezones()
    assert listed.cache_control.public and listed.cache_control.max_age >= 24 * 3600
    again = client.get("/timezones.json", headers={"If-None-Match": listed.headers["ETag"]})
    assert again.status_code == 304
