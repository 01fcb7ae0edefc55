"""Language selection, force_locale for emails and workers, and dates written per locale."""

from __future__ import annotations

from datetime import date, datetime

import flask_babel
import pytest
from flask import g

from service.extensions import db
from service.i18n import (
    _babel_state,
    best_language,
    dates,
    force_locale,
    language_of,
    select_locale,
)
from service.mail.render import _environment
from service.settings import set_setting


def test_public_page_language_follows_accept_language(app):
    with app.test_request_context("/", headers={"Accept-Language": "fr-CH, de;q=0.8, en;q=0.5"}):
        assert select_locale() == "de"
    with app.test_request_context("/", headers={"Accept-Language": "en-GB,en;q=0.9"}):
        assert select_locale() == "en"


def test_switch_beats_cookie_beats_accept_language(app):
    headers = {"Accept-Language": "de", "Cookie": "lang=en"}
    with app.test_request_context("/", headers=headers):
        assert select_locale() == "en"
    with app.test_request_context("/?lang=de", headers=headers):
        assert select_locale() == "de"
    with app.test_request_context("/?lang=xx", headers={"Accept-Language": "de"}):
        assert select_locale() == "de"  # an unknown switch value is ignored


def test_unknown_browser_language_gets_the_programme_default(app):
    with app.app_context():
        set_setting("default_language", "de")
        db.session.commit()
    with app.test_request_context("/", headers={"Accept-Language": "ja"}):
        assert select_locale() == "de"


def test_the_switch_is_remembered_in_a_cookie_and_pages_vary(client):
    response = client.get("/?lang=de")
    assert "lang=de" in response.headers.get("Set-Cookie", "")
    assert "Accept-Language" in response.headers.get("Vary", "")


def test_subscriber_language_falls_back_when_no_longer_offered(ctx):
    class Person:
        language = "fr"

    assert language_of(Person()) == "en"
    Person.language = "de"
    assert language_of(Person()) == "de"


@pytest.mark.parametrize(
    "header, expected",
    [("de-DE", "de"), ("fr, de;q=0.5", "de"), ("de_AT", "de"), ("fr", None), (None, None)],
)
def test_best_language_reads_content_language(ctx, header, expected):
    assert best_language(header) == expected


def test_dates_are_written_for_the_locale(ctx):
    monday = datetime(2026, 12, 7, 9, 0)
    with force_locale("de"):
        assert dates.moment(monday, "Europe/Berlin") == (
            "Montag, 7. Dezember, 09:00 Uhr (Ortszeit Berlin)"
        )
        assert dates.day_with_year(date(2026, 12, 7)) == "Montag, 7. Dezember 2026"
        assert dates.weekday(6) == "Sonntag"
    with force_locale("en"):
        assert dates.moment(monday, "America/New_York") == (
            "Monday 7 December, 09:00 (New York time)"
        )
        assert dates.moment(monday, "UTC") == "Monday 7 December, 09:00 (UTC)"


def test_email_templates_translate_in_the_forced_locale(ctx):
    template = _environment(ctx.config["EMAIL_TEMPLATES_DIR"]).from_string(
        "{{ _('EEEE d MMMM') }}|{{ when|day }}"
    )
    with force_locale("de"):
        assert template.render(when=date(2026, 12, 7)) == "EEEE, d. MMMM|Montag, 7. Dezember"
    with force_locale("en"):
        assert template.render(when=date(2026, 12, 7)) == "EEEE d MMMM|Monday 7 December"


def test_a_language_without_a_catalogue_stops_the_start(make_app):
    from service.config import ConfigError

    with pytest.raises(ConfigError, match="LANGUAGES names fr"):
        make_app(LANGUAGES="en,de,fr")


def test_join_by_email_takes_the_language_of_the_mail(ctx):
    from service.subscriptions.inbound_mail import handle_join_message
    from service.subscriptions.records import by_address

    set_setting("default_language", "de")
    db.session.commit()
    assert handle_join_message("anna@example.org", "en-GB") == "confirmation sent"
    assert handle_join_message("bernd@example.org", None) == "confirmation sent"
    assert handle_join_message("chloe@example.org", "fr-FR, de;q=0.5") == "confirmation sent"
    assert by_address("anna@example.org").language == "en"
    assert by_address("bernd@example.org").language == "de"  # the programme's default
    assert by_address("chloe@example.org").language == "de"


# ---------------------------------------------------------------- emails say their language


def _composed(kind: str, subscriber, from_name: str = "Priya", **context):
    from email import policy
    from email.parser import BytesParser

    from service.mail.catalog import SAMPLES
    from service.mail.compose import compose
    from tests.helpers import email_row

    context = {**SAMPLES[kind], **context}
    row = email_row(kind, subscriber.id, context, subscriber_id=subscriber.id, from_name=from_name)
    return BytesParser(policy=policy.default).parsebytes(bytes(compose(row).to_email_message()))


def test_every_email_carries_its_language_in_content_language(ctx):
    from tests.factories_subscriptions import create_subscriber

    german = create_subscriber(email="greta@example.org", language="de")
    english = create_subscriber(email="ed@example.org", language="en")
    assert _composed("welcome", german)["Content-Language"] == "de"
    assert _composed("welcome", english)["Content-Language"] == "en"
    assert 'lang="de"' in _composed("relay", german).get_body(("html",)).get_content()


def test_a_name_stand_in_is_written_in_the_readers_language(ctx):
    """A partner whose data was deleted is "Your tip-giver" in the email's context and
    From name; a German reader reads it in German, an English one as stored."""
    from service.i18n import stand_ins
    from tests.factories_subscriptions import create_subscriber

    german = create_subscriber(email="greta@example.org", language="de")
    with force_locale("de"):
        in_german = stand_ins.written(stand_ins.TIP_GIVER)
    assert in_german != stand_ins.TIP_GIVER
    message = _composed(
        "relay", german, from_name=stand_ins.TIP_GIVER, author_name=stand_ins.TIP_GIVER
    )
    assert in_german in str(message["From"]) and "via" in str(message["From"])
    text = message.get_body(("plain",)).get_content()
    assert in_german in text and stand_ins.TIP_GIVER not in text
    english = create_subscriber(email="ed@example.org", language="en")
    message = _composed("relay", english, author_name=stand_ins.TIP_GIVER)
    assert stand_ins.TIP_GIVER in message.get_body(("plain",)).get_content()


def test_a_continuation_note_names_an_absent_partner_without_a_name(ctx):
    from service.i18n import stand_ins
    from service.rounds.explanations import explanation

    note = f"you both asked to continue; {stand_ins.PARTNER} is paused this week"
    assert explanation(note) == note  # English: exactly the engine's words
    with force_locale("de"):
        german = explanation(note)
    assert "your" not in german and "paused" not in german


# ---------------------------------------------------------------- signing up again


def test_signing_up_again_changes_the_language_only_when_the_owner_confirms(
    client, ctx, run_jobs, outbox
):
    """Anyone can type an address: an active person's language stays (their reminder is in
    it); a former subscriber's new choice rides in the confirmation link, whose page is
    in that language, and is stored when they confirm there."""
    from sqlalchemy import select

    from service.subscriptions.models import Status, Subscriber
    from tests.factories_subscriptions import create_subscriber
    from tests.helpers import csrf_token, links_in

    active = create_subscriber(email="ana@example.org", language="en")
    gone = create_subscriber(email="ben@example.org", language="en", status=Status.UNSUBSCRIBED)
    for address in (active.email, gone.email):
        form = {
            "csrf_token": csrf_token(client, "/"),
            "email": address,
            "name": "Someone",
            "role": "learner",
            "themes": "tech-savvy",
            "timezone": "Europe/Berlin",
            "language": "de",
        }
        assert client.post("/subscribe", data=form).status_code == 200
    run_jobs()
    [reminder] = outbox.to("ana@example.org")
    assert reminder["Content-Language"] == "en"
    [confirmation] = outbox.to("ben@example.org")
    assert confirmation["Content-Language"] == "en"  # the language they last chose
    db.session.expire_all()
    assert {s.language for s in db.session.scalars(select(Subscriber))} == {"en"}

    link = next(u for u in links_in(confirmation) if "/c/" in u)
    url = link.replace("http://turnabout.test", "")
    page = client.get(url).get_data(True)
    assert '<html lang="de">' in page  # the language asked for, before anything is stored
    assert '<option value="de" lang="de" selected>' in page
    client.post(
        url,
        data={
            "csrf_token": csrf_token(client, url),
            "name": "Ben",
            "role": "learner",
            "themes": "tech-savvy",
            "timezone": "Europe/Berlin",
            "language": "de",
        },
    )
    db.session.expire_all()
    assert db.session.get(Subscriber, gone.id).language == "de"
    assert db.session.get(Subscriber, active.id).language == "en"


def test_flask_babel_state_lives_in_g_one_request_at_a_time(app):
    # service.i18n replaces Flask-Babel's _get_current_context with a cheaper one: the
    # locale is still chosen once per request, forced and restored, and forgotten after.
    assert flask_babel._get_current_context is _babel_state
    assert _babel_state() is None  # no app context: Flask-Babel's "outside a request"
    with app.test_request_context("/?lang=de"):
        assert str(flask_babel.get_locale()) == "de"
        assert g._flask_babel.babel_locale is flask_babel.get_locale()
        with force_locale("en"):
            assert str(flask_babel.get_locale()) == "en"
        assert str(flask_babel.get_locale()) == "de"
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        assert str(flask_babel.get_locale()) == "en"
