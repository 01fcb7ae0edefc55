"""The whole subscriber journey in a real browser against a real server: sign up, confirm
from the emailed link, change themes, pause, resume, unsubscribe.

Playwright's sync API runs an event loop in its thread, and Flask-SQLAlchemy-Lite's app
context teardown refuses to run beside one; rq's worker needs the main thread for its
signal handlers. So every browser call runs in one dedicated thread (`in_browser`), and
the test body (database checks, run_jobs) stays in the main thread.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from service.database import utcnow
from service.extensions import db
from service.subscriptions.models import Status, Subscriber
from tests.factories_subscriptions import create_themes
from tests.helpers import CHROMIUM_ARGS as ARGS
from tests.helpers import links_in, require

CHROMIUM = Path("/usr/bin/chromium")
OUTPUT = Path(__file__).parent / "output"


@pytest.fixture
def live_server(app):
    with app.app_context():
        create_themes()
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    app.config["BASE_URL"] = f"http://127.0.0.1:{server.port}"  # links in emails point here
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield app.config["BASE_URL"]
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def in_browser():
    """`in_browser(fn, *args)` runs fn(page, *args) in the browser thread and returns its result."""
    require(CHROMIUM.exists(), "Chromium is not installed at /usr/bin/chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    pool = ThreadPoolExecutor(max_workers=1)
    state = {}

    def start():
        state["playwright"] = sync_api.sync_playwright().start()
        state["browser"] = state["playwright"].chromium.launch(
            executable_path=str(CHROMIUM), args=ARGS
        )

    def call(fn, *args):
        return pool.submit(fn, *args).result(timeout=120)

    def run(fn, *args):
        return call(fn, state["page"], *args)

    def new_page(**options):
        def make():
            if "context" in state:
                state["context"].close()
            state["context"] = state["browser"].new_context(**options)
            state["page"] = state["context"].new_page()

        call(make)

    def stop():
        state["browser"].close()
        state["playwright"].stop()

    call(start)
    run.new_page = new_page
    yield run
    call(stop)
    pool.shutdown()


def subscriber(app, address: str) -> Subscriber:
    with app.app_context():
        return db.session.scalar(select(Subscriber).where(Subscriber.email == address))


def link(message, prefix: str) -> str:
    return next(u for u in links_in(message) if f"/{prefix}/" in u)


def sign_up(page, base: str, address: str) -> str:
    page.goto(base + "/")
    timezone = page.locator("#timezone").input_value()
    page.fill("#email", address)
    page.fill("#name", "Marta")
    page.check("input[name=role][value=learner]")
    page.check("input[name=themes][value=tech-savvy]")
    page.check("input[name=themes][value=social-media]")
    page.fill("#team", "Finance")
    page.screenshot(path=str(OUTPUT / "subscriptions-1-signup.png"), full_page=True)
    page.click("button[type=submit]")
    page.wait_for_selector("text=Check your inbox")
    return timezone


def confirm(page, url: str) -> None:
    page.goto(url)
    page.screenshot(path=str(OUTPUT / "subscriptions-2-confirm.png"), full_page=True)
    page.click("text=Confirm my subscription")
    page.wait_for_selector("text=You are in")


def change_themes(page) -> None:
    page.uncheck("input[name=themes][value=social-media]")
    page.check("input[name=themes][value=life-work]")
    page.click("text=Save my preferences")
    page.wait_for_selector("text=Your preferences are saved")


def pause_two_weeks(page) -> None:
    page.check("input[name=pause][value='2']")
    page.click("#pause button[type=submit]")
    page.wait_for_selector("text=Resume now")
    page.screenshot(path=str(OUTPUT / "subscriptions-3-paused.png"), full_page=True)


def resume(page) -> None:
    page.click("text=Resume now")
    page.wait_for_selector("text=Welcome back")


def unsubscribe(page, url: str, check_before) -> None:
    page.goto(url)
    check_before()
    page.click("button:has-text('Unsubscribe')")
    page.wait_for_selector("text=You are unsubscribed")
    page.screenshot(path=str(OUTPUT / "subscriptions-4-unsubscribed.png"), full_page=True)


@pytest.mark.browser
def test_subscriber_journey(app, live_server, in_browser, run_jobs, outbox):
    OUTPUT.mkdir(exist_ok=True)
    address = "marta.journey@example.org"
    in_browser.new_page(timezone_id="America/Sao_Paulo", viewport={"width": 1200, "height": 900})

    # Sign up. The browser fills in its own time zone.
    assert in_browser(sign_up, live_server, address) == "America/Sao_Paulo"
    assert subscriber(app, address).status == Status.PENDING

    # Open the confirmation from the outbox: the page only confirms on the button.
    run_jobs()
    [confirm_mail] = outbox.to(address)
    in_browser(confirm, link(confirm_mail, "c"))
    sub = subscriber(app, address)
    assert (sub.status, sub.timezone, sub.team) == (Status.ACTIVE, "America/Sao_Paulo", "Finance")

    in_browser(change_themes)
    assert {t.slug for t in subscriber(app, address).themes} == {"tech-savvy", "life-work"}

    in_browser(pause_two_weeks)
    assert subscriber(app, address).is_paused(utcnow().date())
    in_browser(resume)
    assert subscriber(app, address).paused_until is None

    # Unsubscribe from the footer link of the welcome email: one page, one button.
    run_jobs()
    welcome = next(m for m in outbox.to(address) if "welcome" in m["Subject"])
    seen = []
    in_browser(unsubscribe, link(welcome, "u"), lambda: seen.append(True))
    assert seen
    assert subscriber(app, address).status == Status.UNSUBSCRIBED
    run_jobs()
    assert any("left" in m["Subject"] for m in outbox.to(address))


def landing_on_phone(page, base: str):
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(base + "/")
    # The time zone suggestions arrive from /timezones.json after the page.
    page.wait_for_function("document.querySelectorAll('#timezone-list option').length > 300")
    width = page.evaluate("document.documentElement.scrollWidth")
    page.screenshot(path=str(OUTPUT / "subscriptions-landing-phone.png"), full_page=True)
    return width, requests


@pytest.mark.browser
def test_landing_page_fits_a_phone(live_server, in_browser):
    OUTPUT.mkdir(exist_ok=True)
    in_browser.new_page(viewport={"width": 375, "height": 740}, is_mobile=True)
    width, requests = in_browser(landing_on_phone, live_server)
    assert width <= 375
    assert requests and all(u.startswith(live_server) for u in requests)  # no CDN
