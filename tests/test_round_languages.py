"""A round in two languages: each person's challenge words (title, task, prompt, theme,
starter tip) are in their own language, with the programme's default for a language the
challenge has no translation in."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from sqlalchemy import select

from service.extensions import db
from service.rounds.answer_links import answer_url
from service.rounds.dispatch import send_round
from service.rounds.models import Pairing
from service.rounds.starter_content_de import CHALLENGES as CHALLENGES_DE
from tests.factories_rounds import create_subscriber, seed

WEEK = "2026-W49"
GERMAN_TITLES = {c["source_title"]: c["title"] for c in CHALLENGES_DE}


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime(2026, 11, 30, 10, tzinfo=UTC), tick=False):
        yield


@pytest.fixture
def mixed_pair(ctx, run_jobs, outbox):
    """Anna (learner) reads German, Dee (tip-giver) English."""
    seed()
    anna = create_subscriber(role="learner", team="sales", name="Anna Berg")
    anna.language = "de"
    dee = create_subscriber(role="giver", team="it", name="Dee Park")
    db.session.commit()
    send_round(WEEK)
    run_jobs()
    pairing = db.session.scalar(select(Pairing))
    return {"pairing": pairing, "learner": anna, "giver": dee}


def test_the_answer_page_names_the_challenge_in_the_readers_language(mixed_pair, client):
    pairing = mixed_pair["pairing"]
    english = pairing.round.challenge.title
    german = GERMAN_TITLES[english]
    for person, title in ((mixed_pair["learner"], german), (mixed_pair["giver"], english)):
        url = answer_url(pairing.id, person.id, "outcome", "tried")
        html = client.get(url.replace("http://turnabout.test", "")).get_data(as_text=True)
        assert title in html, person.language
