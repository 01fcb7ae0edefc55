"""Pages kept rendered with slots (service/kept_markup.kept_page): the one-click page
(rounds/kept_answer_page.py) and the unsubscribe page give the same HTML as a full render
for every state they show, in each language, and never keep a comment or an address."""

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
from service.subscriptions import views as subscription_views
from service.subscriptions.models import Subscriber
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
    kept = app.extensions["kept_pages"]
    text = repr(list(kept)) + "".join(made.head + repr(made.fill) for made in kept.values())
    assert "Zephyrine" not in text and "R&amp;D" not in text


def test_a_flashed_message_is_shown_once(app, pairing, client):
    url = paths(pairing)[0]
    client.get(url)  # kept
    with client.session_transaction() as session:
        session["_flashes"] = [("message", "Your answer was saved.")]
    assert b"Your answer was saved." in client.get(url).data
    assert b"Your answer was saved." not in client.get(url).data


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_unsubscribe_page_kept_is_the_full_render(app, ctx, client, monkeypatch, language):
    people = [
        create_person(email=f"o'brien+{language}@example.org", language=language),
        create_person(email=f"ana.{language}@example.org", language=language),
    ]
    db.session.commit()
    urls = [f"/u/{make_token('unsubscribe', person.id)}" for person in people]
    kept = [answered(client.get(url)) for url in urls * 2]
    with monkeypatch.context() as patched:
        patched.setattr(subscription_views, "kept_page", lambda *args: None)
        full = [answered(client.get(url)) for url in urls * 2]
    assert kept == full
    assert b"o&#39;brien+" in kept[0][2] and b'name="csrf_token"' in kept[0][2]
    stored = app.extensions["kept_pages"]
    assert len(stored) == 1, "one page a language"
    text = repr(list(stored)) + "".join(made.head + repr(made.fill) for made in stored.values())
    assert "brien" not in text and "ana." not in text
