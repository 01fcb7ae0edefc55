"""Language selection, force_locale for emails and workers, and dates written per locale."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from service.extensions import db
from service.i18n import best_language, dates, force_locale, language_of, select_locale
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
