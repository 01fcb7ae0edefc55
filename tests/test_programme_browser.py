"""The programme features in a real browser (Playwright driving /usr/bin/chromium against
a live server with the test app): a learner rates confidence at signup and keeps a
partner from the recap's one-click page; an admin opens the impact report, filters it by
theme and by a team of 4 (withheld), prints it to PDF, and approves a shared tip."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from service.extensions import db
from service.subscriptions.models import Subscriber
from tests.factories_admin import PASSWORD, create_admin_user
from tests.factories_rounds import create_subscriber, seed
from tests.test_admin_browser import browser_page, live_server, off_loop  # noqa: F401

OUTPUT = Path(__file__).resolve().parent / "output" / "programme"
WEEKS = ["2026-W47", "2026-W48"]
TIP = "Dictate the first draft into your phone; fixing a draft beats facing a blank page."


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


@pytest.mark.browser
def test_a_learner_rates_confidence_and_keeps_a_partner(app, live_server, browser_page):  # noqa: F811
    from service.confidence.models import ConfidenceRating
    from service.rounds.answer_links import keep_urls
    from service.rounds.answers import find_answer
    from service.rounds.models import Pairing
    from service.rounds.planning import ensure_paired

    def setup():
        with app.app_context():
            seed()
            learner = create_subscriber(role="learner", team="a", name="Maria Keller")
            create_subscriber(role="giver", team="b", name="Sam Ito")
            db.session.commit()
            round_ = ensure_paired(WEEKS[0])
            pairing = db.session.scalar(select(Pairing).where(Pairing.round_id == round_.id))
            return learner.id, pairing.id, path_of(keep_urls(pairing.id, learner.id)["yes"])

    learner_id, pairing_id, keep_path = off_loop(setup)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    page = browser_page

    page.goto(f"{live_server}/#join")
    page.fill("#email", "lena.brandt@example.org")
    page.fill("#name", "Lena")
    page.check("input[name=role][value=learner]")
    page.check("input[name=themes][value=tech-savvy]")
    page.click("text=Optional: where you stand today")
    page.select_option("#confidence-tech-savvy", "2")
    page.screenshot(path=str(OUTPUT / "signup_confidence.png"), full_page=True)
    page.click("text=Send me the confirmation link")
    page.wait_for_selector("text=Check your inbox")

    def stored_rating():
        with app.app_context():
            lena = db.session.scalar(
                select(Subscriber).where(Subscriber.email == "lena.brandt@example.org")
            )
            return [
                r.value
                for r in db.session.scalars(
                    select(ConfidenceRating).where(ConfidenceRating.subscriber_id == lena.id)
                )
            ]

    assert off_loop(stored_rating) == [2]

    page.goto(f"{live_server}{keep_path}")
    page.wait_for_selector("text=Keep this partner next week?")
    assert page.is_checked("input[name=value][value=yes]")

    def kept():
        with app.app_context():
            answer = find_answer(pairing_id, learner_id, "keep")
            return answer.value if answer else None

    assert off_loop(kept) is None  # opening the page changed nothing
    page.click("text=Send my answer")
    page.wait_for_selector("text=Thank you")
    assert "Yes, let's keep going" in page.inner_text("main")
    assert off_loop(kept) == "yes"


def impact_programme():
    """6 learners on team "sales", 4 on team "tiny", 10 tip-givers; two rounds; ratings."""
    from service.confidence.models import ConfidenceRating, Source
    from service.rounds.models import Round, Theme
    from service.rounds.planning import ensure_paired

    seed()
    themes = tuple(db.session.scalars(select(Theme.slug)))
    learners = [
        create_subscriber(role="learner", team="sales" if i < 6 else "tiny", themes=themes)
        for i in range(10)
    ]
    for i in range(10):
        create_subscriber(role="giver", team=f"ops-{i}", themes=themes)
    db.session.commit()
    for week in WEEKS:
        ensure_paired(week)
    theme = db.session.scalar(select(Round).where(Round.week == WEEKS[0])).challenge.theme
    for i, person in enumerate(learners):
        for day, value in ((1, 2), (8, 3)):
            db.session.add(
                ConfidenceRating(
                    subscriber_id=person.id,
                    theme_id=theme.id,
                    value=value,
                    source=Source.CHECKIN,
                    created_at=datetime(2026, 11, 16, tzinfo=UTC) + timedelta(days=day + i % 2),
                )
            )
    db.session.commit()
    return theme.slug, theme.name


@pytest.mark.browser
def test_an_admin_filters_and_prints_the_impact_report(app, live_server, browser_page):  # noqa: F811
    def setup():
        from service.rounds.models import Challenge, SharedTip

        with app.app_context():
            email = create_admin_user(email="sponsor@example.org").email
            found = impact_programme()
            challenge = db.session.scalars(select(Challenge)).first()
            giver = db.session.scalar(
                select(Subscriber).where(Subscriber.role == "giver").order_by(Subscriber.id)
            )
            db.session.add(
                SharedTip(
                    author_id=giver.id,
                    challenge_id=challenge.id,
                    theme_id=challenge.theme_id,
                    text=TIP,
                )
            )
            db.session.commit()
            return email, *found

    email, theme_slug, theme_name = off_loop(setup)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    page = browser_page
    page.goto(f"{live_server}/admin/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.click("nav >> text=Impact")
    page.wait_for_selector("text=Impact report")
    assert "no names" in page.inner_text(".privacy-note")

    page.fill("#from", WEEKS[0])
    page.fill("#to", WEEKS[1])
    page.select_option("#theme", theme_slug)
    page.click("form.filters >> text=Show")
    page.wait_for_url(f"**theme={theme_slug}**")
    content = page.inner_text("#content")
    assert theme_name in content
    learning = page.inner_text("#learning")
    assert theme_name in learning and "10" in learning  # ten people rated twice
    page.screenshot(path=str(OUTPUT / "impact.png"), full_page=True)

    page.click("text=Printable page")
    page.wait_for_selector("text=impact report")
    assert page.locator("script").count() == 0
    for paper, width in (("A4", 794), ("Letter", 816)):  # CSS pixels at 96 dpi
        page.set_viewport_size({"width": width, "height": 1100})
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= width, (paper, overflow)
        # One file per database: make test runs the two in parallel processes, and each
        # reads back the file it wrote.
        database = app.config["DATABASE_URL"].split(":")[0].split("+")[0]
        pdf = OUTPUT / f"impact-{paper.lower()}-{database}.pdf"
        page.pdf(path=str(pdf), format=paper, print_background=True)
        assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 5_000

    # The small-group rule: team "tiny" has 4 learners, so no figure about them is shown.
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(f"{live_server}/admin/impact?from={WEEKS[0]}&to={WEEKS[1]}&team=tiny")
    participation = page.inner_text("#participation")
    assert "fewer than 5" in participation
    cells = page.locator("#participation td").all_inner_texts()
    assert "fewer than 5" in cells and set(cells) <= {"fewer than 5", "0", "–"}
    page.screenshot(path=str(OUTPUT / "impact_team_of_four.png"), full_page=True)

    # The tips library: a shared tip waits for an editor; approving it puts it in the library.
    page.click("nav >> text=Tips")
    page.wait_for_selector("text=Tips library")
    assert page.input_value("article.tip textarea") == TIP
    page.click("article.tip >> button:has-text('Approve')")
    page.wait_for_selector("text=Approved: learners without a partner can get it.")
    page.goto(f"{live_server}/admin/tips?show=approved")
    assert page.input_value("article.tip textarea") == TIP
    page.screenshot(path=str(OUTPUT / "tips_library.png"), full_page=True)
