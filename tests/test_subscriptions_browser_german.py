"""The subscriber journey once more, in German: a browser that prefers German gets the
signup form in German with German preselected, and every page and email after it
(confirm, preferences, pause, unsubscribe) follows the person's language."""

from __future__ import annotations

import pytest
from english_leftovers import english_leftovers, visible_text
from test_subscriptions_browser import in_browser, link, live_server, subscriber  # noqa: F401

from service.database import utcnow
from service.rounds.starter_content import THEMES
from service.subscriptions.models import Status

# Theme names and descriptions are content (translated by the content side, or shown
# in the programme's language): not part of this check.
THEME_TEXT = [text for t in THEMES for text in (t["name"], t["tagline"], t["description"])]


def german_page(page) -> None:
    assert page.locator("html").get_attribute("lang") == "de"
    left = english_leftovers(visible_text(page.content()), ["Marta", "Finanzen", *THEME_TEXT])
    assert not left, f"{page.url}: English left: {left}"


def sign_up(page, base: str, address: str) -> str:
    page.goto(base + "/")
    german_page(page)
    assert page.locator("#language").input_value() == "de"  # from Accept-Language
    page.fill("#email", address)
    page.fill("#name", "Marta")
    page.check("input[name=role][value=learner]")
    page.check("input[name=themes][value=tech-savvy]")
    page.fill("#team", "Finanzen")
    page.click("button[type=submit]")
    page.wait_for_selector("text=Schauen Sie in Ihr Postfach")
    german_page(page)
    return page.locator("html").get_attribute("lang")


def confirm(page, url: str) -> None:
    page.goto(url)
    german_page(page)
    page.click("text=Anmeldung bestätigen")
    page.wait_for_selector("text=Sie sind dabei")
    german_page(page)


def pause_and_resume(page) -> None:
    page.check("input[name=pause][value='2']")
    page.click("#pause button[type=submit]")
    page.wait_for_selector("text=Jetzt fortsetzen")
    german_page(page)
    page.click("text=Jetzt fortsetzen")
    page.wait_for_selector("text=Willkommen zurück")


def unsubscribe(page, url: str) -> None:
    page.goto(url)
    german_page(page)
    page.click("button:has-text('Abmelden')")
    page.wait_for_selector("text=Sie sind abgemeldet")
    german_page(page)


@pytest.mark.browser
def test_subscriber_journey_in_german(app, live_server, in_browser, run_jobs, outbox):  # noqa: F811
    address = "marta.deutsch@example.org"
    in_browser.new_page(locale="de-DE", timezone_id="Europe/Berlin")
    assert in_browser(sign_up, live_server, address) == "de"
    assert subscriber(app, address).language == "de"

    run_jobs()
    [confirm_mail] = outbox.to(address)
    assert "Anmeldung" in confirm_mail["Subject"]
    in_browser(confirm, link(confirm_mail, "c"))
    assert subscriber(app, address).status == Status.ACTIVE

    run_jobs()
    welcome = next(m for m in outbox.to(address) if "Willkommen" in m["Subject"])
    assert "Ortszeit Berlin" in welcome.get_body(("plain",)).get_content()
    in_browser(lambda page: page.goto(link(welcome, "p")))
    in_browser(pause_and_resume)
    assert not subscriber(app, address).is_paused(utcnow().date())

    in_browser(unsubscribe, link(welcome, "u"))
    assert subscriber(app, address).status == Status.UNSUBSCRIBED
    run_jobs()
    assert any("abgemeldet" in m["Subject"] for m in outbox.to(address))
