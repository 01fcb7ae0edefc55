"""Pages kept rendered with slots (service/kept_markup.kept_page): the one-click page
(rounds/kept_answer_page.py), the unsubscribe page and the confirm page's summary answer
as a full render does (status, headers, HTML) for every state they show, in each
language, and never keep a comment, an answer or an address."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from sqlalchemy import select, update

from service.extensions import db
from service.rounds import views
from service.rounds.answer_links import answer_url
from service.rounds.answers import QUESTIONS, record_answer
from service.rounds.dispatch import send_round
from service.rounds.models import Pairing, Round, RoundStatus
from service.subscriptions import confirm_views
from service.subscriptions import views as subscription_views
from service.subscriptions.models import Status, Subscriber
from service.tokens import make_token
from tests.factories_rounds import create_subscriber, seed
from tests.factories_subscriptions import create_subscriber as create_person

WEEK = "2026-W49"
COMMENT = 'Zephyrine\'s <b>R&D</b> "notes"'


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime(2026, 11, 30, 10, tzinfo=UTC), tick=False):
        yield


@pytest.fixture
def pairing(ctx, run_jobs):
    seed()
    create_subscriber(role="learner", team="sales", name="Ana Lopez")
    create_subscriber(role="giver", team="it", name="Dee Park", themes=("tech-savvy",))
    db.session.commit()
    send_round(WEEK)
    run_jobs()
    return db.session.scalar(select(Pairing))


def paths(pairing) -> list[str]:
    """Every question each side is asked, each offered answer preselected, and one that
    is not offered."""
    found = []
    for role, person in (("learner", pairing.learner_id), ("giver", pairing.giver_id)):
        for question, choices in QUESTIONS.items():
            for value in (*choices.get(role, ()), "nope"):
                url = answer_url(pairing.id, person, question, value)
                found.append(url.replace("http://turnabout.test", ""))
    return found


def answered(response) -> tuple:
    """What a response says, but its request id."""
    headers = sorted((k, v) for k, v in response.headers.items() if k != "X-Request-ID")
    return response.status_code, headers, response.data


def rendered(client, monkeypatch, urls: list[str]) -> tuple[list[bytes], list[bytes]]:
    """Each page kept (made, then read), and each rendered in full."""
    kept = []
    for url in urls:
        first, second = answered(client.get(url)), answered(client.get(url))
        assert first == second
        kept.append(second)
    with monkeypatch.context() as patched:
        patched.setattr(views, "kept_answer_page", lambda context, comment: None)
        full = [answered(client.get(url)) for url in urls]
    return kept, full


def test_kept_pages_are_the_full_render(app, pairing, client, monkeypatch):
    urls = paths(pairing)
    kept, full = rendered(client, monkeypatch, urls)
    assert kept == full
    assert len(app.extensions["kept_pages"]) > 10, "the pages are kept"


def test_stored_answers_closed_rounds_and_german(app, pairing, client, monkeypatch):
    for question, value in (("rating", "4"), ("tried", "yes"), ("keep", "no")):
        record_answer(pairing.id, pairing.learner_id, question, value, COMMENT)
    record_answer(pairing.id, pairing.giver_id, "rating", "2", "")
    urls = paths(pairing)
    kept, full = rendered(client, monkeypatch, urls)
    assert kept == full
    assert any(b"Zephyrine&#39;s &lt;b&gt;R&amp;D&lt;/b&gt;" in page[2] for page in kept)

    db.session.execute(update(Subscriber).values(language="de"))
    db.session.commit()
    kept, full = rendered(client, monkeypatch, urls)
    assert kept == full
    assert any(b'lang="de"' in page[2] for page in kept)

    db.session.execute(update(Round).values(status=RoundStatus.CLOSED))
    db.session.commit()
    kept, full = rendered(client, monkeypatch, urls)
    assert kept == full


def test_the_comment_is_never_kept(app, pairing, client):
    record_answer(pairing.id, pairing.learner_id, "rating", "5", COMMENT)
    url = answer_url(pairing.id, pairing.learner_id, "rating", "5")
    page = client.get(url.replace("http://turnabout.test", ""))
    assert b"Zephyrine" in page.data
    text = kept_text(app)
    assert "Zephyrine" not in text and "R&amp;D" not in text


def test_a_flashed_message_is_shown_once(app, pairing, client):
    url = paths(pairing)[0]
    client.get(url)  # kept
    with client.session_transaction() as session:
        session["_flashes"] = [("message", "Your answer was saved.")]
    assert b"Your answer was saved." in client.get(url).data
    assert b"Your answer was saved." not in client.get(url).data


def kept_and_full(client, monkeypatch, kept_path: tuple, urls: list[str]) -> list[tuple]:
    """Each page twice (made, then kept); asserted the same as with the kept path off."""
    kept = [answered(client.get(url)) for url in urls * 2]
    with monkeypatch.context() as patched:
        patched.setattr(*kept_path, lambda *args: None)
        assert [answered(client.get(url)) for url in urls * 2] == kept
    return kept


def kept_text(app) -> str:
    stored = app.extensions["kept_pages"]
    return repr(list(stored)) + "".join(made.head + repr(made.fill) for made in stored.values())


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_unsubscribe_page_kept_is_the_full_render(app, ctx, client, monkeypatch, language):
    people = [
        create_person(email=f"o'brien+{language}@example.org", language=language),
        create_person(email=f"ana.{language}@example.org", language=language),
    ]
    db.session.commit()
    urls = [f"/u/{make_token('unsubscribe', person.id)}" for person in people]
    kept = kept_and_full(client, monkeypatch, (subscription_views, "kept_page"), urls)
    assert b"o&#39;brien+" in kept[0][2] and b'name="csrf_token"' in kept[0][2]
    assert len(app.extensions["kept_pages"]) == 1, "one page a language"
    text = kept_text(app)
    assert "brien" not in text and "ana." not in text


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_confirm_summary_kept_is_the_full_render(app, ctx, client, monkeypatch, language):
    people = [
        create_person(email=f"o'brien+{language}@example.org", name="Bö <b>&\"'", role="giver"),
        create_person(name="Ana", team="R&D <x>", about="Sales & <i>ops</i>", tz="Asia/Tokyo"),
        create_person(name="Eli", team="Ops", about=None, status=Status.UNSUBSCRIBED),
        create_person(name="Dee", team=None, about="Likes tea"),
    ]
    for person in people:
        person.language = language
        if person.status != Status.UNSUBSCRIBED:
            person.status = Status.PENDING
    db.session.commit()
    urls = [f"/c/{make_token('confirm', person.id)}" for person in people]
    kept = kept_and_full(client, monkeypatch, (confirm_views, "kept_summary_page"), urls)
    assert all(page[0] == 200 and b'<dl class="summary">' in page[2] for page in kept)
    assert b"R&amp;D &lt;x&gt;" in kept[1][2]
    stored = app.extensions["kept_pages"]
    summaries = [made for key, made in stored.items() if key[0] == confirm_views.TEMPLATE]
    assert len(summaries) == 4 and all(made.complete for made in summaries), "all kept"
    text = kept_text(app)
    for personal in ("brien", "Bö", "Ana", "R&amp;D", "Sales", "Tokyo", "Eli", "Likes tea"):
        assert personal not in text
