"""The admin console in a real browser: Playwright drives /usr/bin/chromium against a real
server (werkzeug, threaded) on 127.0.0.1 with the test app, database, Redis and outbox."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from tests.factories_admin import (
    PASSWORD,
    create_admin_user,
    create_challenge,
    create_history,
    create_theme,
)
from tests.helpers import CHROMIUM_ARGS as ARGS
from tests.helpers import require

CHROMIUM = Path("/usr/bin/chromium")
OUTPUT = Path(__file__).resolve().parent / "output" / "admin"


def off_loop(func, *args):
    """Run `func` in a plain thread. Playwright's sync API keeps an asyncio loop running in
    the test's thread, and an app context popped there would run Flask-SQLAlchemy-Lite's
    async teardown through asgiref, which refuses to run inside a running loop."""
    result = {}

    def run():
        try:
            result["value"] = func(*args)
        except BaseException as exc:  # handed back to the test thread
            result["error"] = exc

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=60)
    if "error" in result:
        raise result["error"]
    return result["value"]


@pytest.fixture
def live_server(app):
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()


@pytest.fixture
def browser_page():
    require(CHROMIUM.exists(), "Chromium is not installed at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(15_000)
        yield page
        browser.close()


@pytest.mark.browser
def test_admin_console_end_to_end(app, live_server, browser_page, runner):
    from service.extensions import db
    from service.weeks import current_week, shift_week

    def setup():
        with app.app_context():
            email = create_admin_user(email="hr@example.org").email
            tech = create_theme(name="Tech-savvy prowess")
            life = create_theme(name="Life-work integration")
            create_challenge(theme=tech, title="Pin your three most-used tools")
            create_history(weeks=8, themes=[tech, life])
            db.session.commit()
            return email, tech.id, shift_week(current_week(), 1)

    email, tech_id, next_week = off_loop(setup)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    page = browser_page
    console_errors = []
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)

    # Logged out: the console sends us to the sign-in form.
    page.goto(f"{live_server}/admin/")
    assert "/admin/login" in page.url
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("text=Is it working?")
    assert page.locator("svg.chart").count() == 4
    page.screenshot(path=str(OUTPUT / "dashboard.png"), full_page=True)

    # A new challenge, with the real emails updating as we type.
    page.click("nav >> text=Challenges")
    page.click("text=New challenge")
    page.select_option("#theme_id", str(tech_id))
    page.fill("#title", "Dictate a reply with your phone")
    page.fill("#learner_task", "Answer one email this week by **dictating** it on your phone.")
    page.fill("#giver_prompt", "Which dictation trick saves you the most time?")
    # Function predicates, not expression strings: the console's CSP forbids eval.
    srcdoc_has = "text => document.getElementById('learner-html').srcdoc.includes(text)"
    srcdoc = "() => document.getElementById('learner-html').srcdoc"
    page.wait_for_function(srcdoc_has, arg="<strong>dictating</strong>")
    assert "Dictate a reply with your phone" in page.inner_text("#learner-subject")
    first_preview = page.evaluate(srcdoc)

    page.locator("#learner_task").press_sequentially(" Then fix the typos by hand.", delay=15)
    page.wait_for_function(srcdoc_has, arg="fix the typos by hand")
    assert page.evaluate(srcdoc) != first_preview
    frame = page.frame_locator("#learner-html")
    assert "fix the typos by hand" in frame.locator("body").inner_text()
    page.click("[data-pane=giver-text]")
    page.wait_for_function(
        "document.getElementById('giver-text').textContent.includes('dictation trick')"
    )
    page.click("[data-pane=learner-html]")
    page.screenshot(path=str(OUTPUT / "challenge_editor.png"), full_page=True)
    page.click("text=Save challenge")
    page.wait_for_selector("text=Schedule it on the Schedule page")

    # Schedule it for next week.
    page.click("nav >> text=Schedule")
    row = page.locator(f"#week-{next_week}")
    row.locator("select").select_option(label="Dictate a reply with your phone")
    row.locator("button", has_text="Schedule").click()
    page.wait_for_selector(f"text={next_week} will send")
    row = page.locator(f"#week-{next_week}")
    assert "Dictate a reply with your phone" in row.inner_text()
    assert "an admin" in row.inner_text()
    page.screenshot(path=str(OUTPUT / "schedule.png"), full_page=True)

    # `turnabout round plan` for that week uses it, and so does the round page.
    result = off_loop(lambda: runner.invoke(args=["round", "plan", "--week", next_week]))
    assert result.exit_code == 0, result.output
    assert f"Round {next_week}: Dictate a reply with your phone" in result.output
    page.goto(f"{live_server}/admin/rounds/{next_week}")
    assert "Dictate a reply with your phone" in page.inner_text("main")

    # Import a list with one broken row: its line is reported and nothing is imported.
    page.click("nav >> text=People")
    page.click("text=Import a CSV list")
    csv_text = (
        "email,name,team,role,themes\n"
        "ana@example.org,Ana,Sales,learner,Tech-savvy prowess\n"
        "ben(at)example.org,Ben,Ops,tip-giver,\n"
        "cleo@example.org,Cleo,Ops,tip-giver,\n"
    )
    page.set_input_files(
        "#file", files=[{"name": "staff.csv", "mimeType": "text/csv", "buffer": csv_text.encode()}]
    )
    page.click("text=Check and send invitations")
    errors = page.locator("#import-errors")
    errors.wait_for()
    assert "Line 3:" in errors.inner_text() and "ben(at)example.org" in errors.inner_text()
    page.screenshot(path=str(OUTPUT / "import_report.png"), full_page=True)
    page.goto(f"{live_server}/admin/subscribers")
    assert "ana@example.org" not in page.inner_text("main")

    # The corrected file is imported by the worker; the report page updates by itself.
    page.goto(f"{live_server}/admin/subscribers/import")
    fixed = csv_text.replace("ben(at)example.org", "ben@example.org")
    page.set_input_files(
        "#file", files=[{"name": "staff.csv", "mimeType": "text/csv", "buffer": fixed.encode()}]
    )
    page.click("text=Check and send invitations")
    page.wait_for_selector("text=Sending 3 invitations")

    def work_as_the_worker(import_id):  # rq's worker wants the main thread for signals
        from service.admin.imports import run_import

        with app.app_context():
            run_import(import_id)

    off_loop(work_as_the_worker, page.url.rsplit("/", 1)[1])
    # The page reloads itself every 2 s while the import is pending. Once in a full CI run
    # (2 of 1,808 tests) the report had not shown after 15 s and never reproduced alone:
    # wait longer, and say what the page showed instead if it still does not come.
    try:
        page.wait_for_selector("#import-report", timeout=60_000)
    except Exception as exc:
        raise AssertionError(
            f"no import report; the page shows: {page.inner_text('body')[:600]}"
        ) from exc
    assert "3 invited" in page.inner_text("#import-report")
    page.screenshot(path=str(OUTPUT / "import_done.png"), full_page=True)

    # Sign out; the console is closed again.
    page.click("text=Sign out")
    page.wait_for_selector("text=You are signed out.")
    page.goto(f"{live_server}/admin/subscribers")
    assert "/admin/login" in page.url
    # No script error and nothing blocked by the CSP. (The import's 400 answer and the
    # missing favicon show up as "Failed to load resource": expected.)
    problems = [m for m in console_errors if not m.startswith("Failed to load resource")]
    assert problems == []


@pytest.mark.browser
def test_challenge_preview_switches_between_languages(app, live_server, browser_page):
    from service.extensions import db
    from service.rounds.content import seed_content
    from service.rounds.models import Challenge
    from service.rounds.starter_content import CHALLENGES
    from service.rounds.starter_content_de import CHALLENGES as CHALLENGES_DE

    def setup():
        with app.app_context():
            email = create_admin_user(email="content@example.org", role="editor").email
            seed_content()
            title = CHALLENGES[0]["title"]
            return email, db.session.query(Challenge.id).filter_by(title=title).scalar()

    email, challenge_id = off_loop(setup)
    page = browser_page
    page.goto(f"{live_server}/admin/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server}/admin/challenges/{challenge_id}")
    subject_has = "text => document.getElementById('learner-subject').textContent.includes(text)"
    page.wait_for_function(subject_has, arg=CHALLENGES[0]["title"])
    assert page.locator("#language-de legend .badge-ok").inner_text() == "translated"

    page.select_option("#preview-language", "de")
    page.wait_for_function(subject_has, arg=CHALLENGES_DE[0]["title"])
    frame = page.frame_locator("#learner-html")
    assert "Wählen Sie ein Dokument" in frame.locator("body").inner_text()
    assert page.locator("#preview-note").is_hidden()

    # Typing in the German column updates the German preview; emptying it shows the fallback.
    page.fill("#tr-de-title", "Ein Dokument mit KI entwerfen")
    page.wait_for_function(subject_has, arg="Ein Dokument mit KI entwerfen")
    for field in ("title", "learner_task", "giver_prompt", "starter_tip", "links"):
        page.fill(f"#tr-de-{field}", "")
    page.wait_for_function(subject_has, arg=CHALLENGES[0]["title"])
    assert "No German translation yet" in page.inner_text("#preview-note")
    page.screenshot(path=str(OUTPUT / "challenge-preview-language.png"), full_page=True)
