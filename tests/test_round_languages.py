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
from service.rounds.dispatch import dispatch_due, send_round
from service.rounds.models import ChallengeTranslation, Pairing
from service.rounds.starter_content_de import CHALLENGES as CHALLENGES_DE
from tests.factories_rounds import create_subscriber, seed
from tests.helpers import text_of

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


def challenge_email(outbox, person):
    (message,) = outbox.to(person.email)
    return text_of(message)


def test_each_side_gets_the_challenge_in_their_own_language(mixed_pair, outbox):
    challenge = mixed_pair["pairing"].round.challenge
    german = next(c for c in CHALLENGES_DE if c["source_title"] == challenge.title)
    learner_text = challenge_email(outbox, mixed_pair["learner"])
    assert german["title"] in learner_text
    assert german["learner_task"].split(".")[0] in learner_text.replace("\n", " ")
    assert "Hallo Anna" in learner_text and challenge.title not in learner_text
    # The pair explanation names the themes in German too ("... Digital souverän ...").
    assert "Tech-savvy prowess" not in learner_text, learner_text
    assert "Digital souverän" in learner_text
    giver_text = challenge_email(outbox, mixed_pair["giver"])
    assert challenge.title in giver_text and "Hello Dee" in giver_text
    assert german["title"] not in giver_text


def test_a_missing_translation_falls_back_to_the_default_language(ctx, run_jobs, outbox):
    seed()
    for row in db.session.scalars(select(ChallengeTranslation)):
        db.session.delete(row)  # nothing translated: German readers get the default, English
    anna = create_subscriber(role="learner", team="sales", name="Anna Berg")
    anna.language = "de"
    create_subscriber(role="giver", team="it", name="Dee Park")
    db.session.commit()
    send_round(WEEK)
    run_jobs()
    title = db.session.scalar(select(Pairing)).round.challenge.title
    text = challenge_email(outbox, anna)
    assert title in text and "Hallo Anna" in text  # English words in the German email


def test_the_recap_names_the_challenge_in_the_readers_language(mixed_pair, run_jobs, outbox):
    pairing = mixed_pair["pairing"]
    english = pairing.round.challenge.title
    outbox.clear()
    with time_machine.travel(datetime(2026, 12, 4, 12, tzinfo=UTC), tick=False):
        assert dispatch_due().recaps.queued == 2
        run_jobs()
    learner_recap = text_of(outbox.to(mixed_pair["learner"].email)[-1])
    giver_recap = text_of(outbox.to(mixed_pair["giver"].email)[-1])
    assert GERMAN_TITLES[english] in learner_recap.replace("\n", " ")
    assert english in giver_recap.replace("\n", " ")


def test_the_admin_setting_makes_the_round_prefer_same_language_pairs(app, ctx):
    from service.rounds.planning import ensure_paired
    from service.settings import SPECS, get_setting
    from tests.factories_admin import signed_in_client
    from tests.helpers import csrf_token

    seed()
    people = {}
    for n, (role, language) in enumerate(
        [("learner", "de"), ("learner", "en"), ("giver", "en"), ("giver", "de")]
    ):
        person = create_subscriber(role=role, team=f"team{n}", name=f"{language} {role}")
        person.language = language
        people[person.id] = language
    db.session.commit()
    admin, _ = signed_in_client(app)
    settings = {key: str(spec.default) for key, spec in SPECS.items()}
    token = csrf_token(admin, "/admin/settings")
    saved = admin.post(
        "/admin/settings", data={"csrf_token": token, **settings, "prefer_same_language": "1"}
    )
    assert saved.status_code == 302 and get_setting("prefer_same_language") == 1
    refused = admin.post(
        "/admin/settings", data={"csrf_token": token, **settings, "prefer_same_language": "2"}
    )
    assert refused.status_code == 400 and get_setting("prefer_same_language") == 1

    ensure_paired(WEEK)
    pairs = db.session.scalars(select(Pairing)).all()
    assert len(pairs) == 2
    assert all(people[p.learner_id] == people[p.giver_id] for p in pairs)
