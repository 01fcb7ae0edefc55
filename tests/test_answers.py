"""One-click answers: GET changes nothing, POST records, idempotent, changeable until the
round closes, and each side effect (help, can't, skip) happens exactly once."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from sqlalchemy import func, select

from service.extensions import db
from service.mail.models import OutgoingEmail
from service.rounds import answers
from service.rounds.answer_links import answer_url
from service.rounds.answers import (
    AnswerRefused,
    RoundClosed,
    apply_answer,
    find_answer,
    record_answer,
)
from service.rounds.dispatch import send_round
from service.rounds.models import Answer, Pairing, PairingStatus, Round, RoundStatus, Standby
from service.subscriptions.models import Subscriber
from tests.factories_rounds import create_subscriber, seed
from tests.helpers import csrf_token, links_in, text_of

WEEK = "2026-W49"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime(2026, 11, 30, 10, tzinfo=UTC), tick=False):
        yield


def state():
    return (
        db.session.scalar(select(func.count(Answer.id))),
        db.session.scalar(select(func.count(OutgoingEmail.id))),
        tuple(db.session.scalars(select(Pairing.status).order_by(Pairing.id))),
    )


@pytest.fixture
def pair(ctx, run_jobs, outbox):
    """Ana (learner) paired with Dee; Eli is a spare tip-giver on standby."""
    seed()
    ana = create_subscriber(role="learner", team="sales", name="Ana Lopez")
    dee = create_subscriber(role="giver", team="it", name="Dee Park", themes=("tech-savvy",))
    eli = create_subscriber(role="giver", team="ops", name="Eli Moss", themes=("life-work",))
    db.session.commit()
    send_round(WEEK)
    run_jobs()
    pairing = db.session.scalar(select(Pairing))
    standby = db.session.scalar(select(Standby))
    assert standby is not None and pairing.giver_id != standby.subscriber_id
    giver = db.session.get(Subscriber, pairing.giver_id)
    spare = db.session.get(Subscriber, standby.subscriber_id)
    outbox.clear()
    return {"pairing": pairing, "learner": ana, "giver": giver, "spare": spare, "all": (dee, eli)}


def path_of(url: str) -> str:
    return url.replace("http://turnabout.test", "")


def test_links_in_the_email_open_the_answer_page(pair, client, outbox):
    from service.rounds.notices import challenge_row

    row = challenge_row(pair["pairing"], pair["learner"].id)
    assert row.context["answers"]["help"].startswith("http://turnabout.test/a/")


def test_get_shows_the_preselected_answer_and_changes_nothing(pair, client):
    url = path_of(answer_url(pair["pairing"].id, pair["learner"].id, "outcome", "help"))
    before = state()
    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert 'value="help" checked' in html
        assert 'value="tried"' in html and 'value="skip"' in html
        assert '<textarea id="comment" name="comment"' in html
        assert html.count("<button") == 1
    assert client.head(url).status_code == 200
    db.session.expire_all()
    assert state() == before


def test_post_records_once_and_tells_the_tip_giver_in_the_thread(pair, client, run_jobs, outbox):
    p = pair["pairing"]
    url = path_of(answer_url(p.id, pair["learner"].id, "outcome", "help"))
    token = csrf_token(client, url)
    form = {"csrf_token": token, "value": "help", "comment": "Where do I paste my notes?"}
    response = client.post(url, data=form)
    assert response.status_code == 200
    assert "We recorded" in response.get_data(as_text=True)
    assert client.post(url, data=form).status_code == 200  # a double click
    run_jobs()
    [note] = outbox.to(pair["giver"].email)
    assert note["In-Reply-To"] == p.giver_thread_id == note["References"]
    assert "Where do I paste my notes?" in text_of(note)
    assert p.giver_key in str(note["Reply-To"])
    answer = db.session.scalar(select(Answer))
    assert (answer.value, answer.comment) == ("help", "Where do I paste my notes?")
    assert db.session.scalar(select(func.count(Answer.id))) == 1

    # change it, then change it back: still one help message, one row
    client.post(url, data={**form, "value": "tried"})
    db.session.expire_all()
    assert db.session.scalar(select(Answer.value)) == "tried"
    client.post(url, data=form)
    run_jobs()
    assert len(outbox.to(pair["giver"].email)) == 1
    assert db.session.scalar(select(func.count(Answer.id))) == 1


def test_bad_input_is_refused_and_nothing_stored(pair, client):
    url = path_of(answer_url(pair["pairing"].id, pair["learner"].id, "outcome", "tried"))
    token = csrf_token(client, url)
    before = state()
    assert client.post(url, data={"csrf_token": token, "value": "cant"}).status_code == 400
    assert client.post(url, data={"value": "tried"}).status_code == 400  # no CSRF token
    bad = client.get("/a/not-a-token")
    assert bad.status_code == 400 and "does not work" in bad.get_data(as_text=True)
    db.session.expire_all()
    assert state() == before
    with pytest.raises(AnswerRefused):
        record_answer(pair["pairing"].id, pair["learner"].id, "outcome", "cant")
    with pytest.raises(AnswerRefused):
        record_answer(pair["pairing"].id, pair["spare"].id, "outcome", "tried")


def test_answers_freeze_when_the_round_closes(pair, client):
    p = pair["pairing"]
    record_answer(p.id, pair["learner"].id, "outcome", "tried")
    url = path_of(answer_url(p.id, pair["learner"].id, "outcome", "skip"))
    token = csrf_token(client, url)
    db.session.get(Round, p.round_id).status = RoundStatus.CLOSED
    db.session.commit()
    assert "closed" in client.get(url).get_data(as_text=True)
    response = client.post(url, data={"csrf_token": token, "value": "skip"})
    assert response.status_code == 410
    db.session.expire_all()
    assert db.session.scalar(select(Answer.value)) == "tried"
    with pytest.raises(RoundClosed):
        record_answer(p.id, pair["learner"].id, "outcome", "skip")


def test_cant_moves_the_learner_to_a_standby_tip_giver(pair, run_jobs, outbox):
    p = pair["pairing"]
    old_key = p.giver_key
    record_answer(p.id, pair["giver"].id, "outcome", "cant")
    record_answer(p.id, pair["giver"].id, "outcome", "cant")  # idempotent
    db.session.expire_all()
    p = db.session.get(Pairing, p.id)
    assert p.giver_id == pair["spare"].id and p.status == PairingStatus.ACTIVE
    assert p.giver_key != old_key
    assert db.session.scalar(select(Standby.used))
    run_jobs()
    [to_spare] = outbox.to(pair["spare"].email)
    assert to_spare["Message-ID"] == p.giver_thread_id  # opens the new tip-giver's thread
    assert "stepping in" in text_of(to_spare)
    [to_learner] = outbox.to(pair["learner"].email)
    assert to_learner["In-Reply-To"] == p.learner_thread_id
    assert "Eli" in text_of(to_learner)
    assert outbox.to(pair["giver"].email) == []
    # the old tip-giver can no longer change anything
    with pytest.raises(AnswerRefused):
        record_answer(p.id, pair["giver"].id, "rating", "5")


def test_cant_without_standby_sends_the_shared_tips(pair, run_jobs, outbox):
    p = pair["pairing"]
    db.session.execute(Standby.__table__.update().values(used=True))
    db.session.commit()
    record_answer(p.id, pair["giver"].id, "outcome", "cant")
    db.session.expire_all()
    p = db.session.get(Pairing, p.id)
    assert p.status == PairingStatus.CANCELLED and p.giver_id is None
    run_jobs()
    [to_learner] = outbox.to(pair["learner"].email)
    assert to_learner["In-Reply-To"] == p.learner_thread_id
    starter = db.session.get(Round, p.round_id).challenge.starter_tip.split()[0]
    assert starter in text_of(to_learner)


def test_skip_quietly_leaves_and_frees_the_tip_giver(pair, run_jobs, outbox):
    p = pair["pairing"]
    record_answer(p.id, pair["learner"].id, "outcome", "skip")
    run_jobs()
    assert len(outbox) == 0  # quietly
    db.session.expire_all()
    assert db.session.get(Pairing, p.id).status == PairingStatus.SKIPPED
    freed = db.session.scalar(select(Standby).where(Standby.subscriber_id == pair["giver"].id))
    assert freed is not None and not freed.used
    record_answer(p.id, pair["learner"].id, "outcome", "tried")  # changed their mind
    db.session.expire_all()
    assert db.session.get(Pairing, p.id).status == PairingStatus.ACTIVE


def test_recap_links_record_ratings(pair, client):
    p = pair["pairing"]
    url = path_of(answer_url(p.id, pair["giver"].id, "rating", "4"))
    html = client.get(url).get_data(as_text=True)
    assert 'value="4" checked' in html
    done = client.post(url, data={"csrf_token": csrf_token(client, url), "value": "4"})
    assert db.session.scalar(select(Answer.value).where(Answer.question == "rating")) == "4"
    # The thank-you page links back to the page, to change the answer.
    assert f'<a href="{url.partition("?")[0]}">' in done.get_data(as_text=True)


def test_every_link_in_a_challenge_email_is_safe_to_open(pair, client, outbox, run_jobs):
    send_round(WEEK)  # nothing new: everyone was sent
    run_jobs()
    assert len(outbox) == 0
    before = state()
    row = db.session.scalar(select(OutgoingEmail).where(OutgoingEmail.kind == "challenge_learner"))
    from service.mail.compose import compose

    message = compose(row).to_email_message()
    for link in links_in(message):
        if link.startswith("http://turnabout.test/a/"):
            assert client.get(path_of(link)).status_code == 200
    db.session.expire_all()
    assert state() == before


def test_a_rating_is_stored_in_one_statement_like_record_answer(pair, client):
    """The page stores answers without side effects with one INSERT ... ON CONFLICT: one
    row per question, a comment kept when the next press brings none, and updated_at
    moved only by a change."""
    p = pair["pairing"]
    url = path_of(answer_url(p.id, pair["learner"].id, "rating", "4"))
    token = csrf_token(client, url)

    def stored():
        db.session.expire_all()
        return db.session.execute(
            select(Answer.value, Answer.comment, Answer.updated_at).where(
                Answer.question == "rating"
            )
        ).all()

    assert (
        client.post(url, data={"csrf_token": token, "value": "4", "comment": " Good "}).status_code
        == 200
    )
    [(value, comment, first)] = stored()
    assert (value, comment) == ("4", "Good")
    with time_machine.travel(datetime(2026, 11, 30, 11, tzinfo=UTC), tick=False):
        client.post(url, data={"csrf_token": token, "value": "4", "comment": ""})
        assert stored() == [("4", "Good", first)]  # nothing changed, nothing moved
        client.post(url, data={"csrf_token": token, "value": "2", "comment": ""})
        [(value, comment, changed)] = stored()
    assert (value, comment) == ("2", "Good") and changed > first
    assert client.post(url, data={"csrf_token": token, "value": "9"}).status_code == 400
    assert stored()[0][0] == "2"


def test_a_duplicate_answer_undoes_only_its_own_insert_not_the_callers_work(pair, monkeypatch):
    """Two presses at once: the later INSERT fails on the unique key. Only its savepoint is
    undone, not what the caller (the inbound job, for an emailed command) did before."""
    p, learner = pair["pairing"], pair["learner"]
    db.session.add(
        Answer(pairing_id=p.id, subscriber_id=learner.id, question="outcome", value="tried")
    )
    db.session.flush()  # the other press's row, not seen by this press's first look-up
    learner.team = "changed earlier in the same transaction"
    looked_up = []

    def first_look_misses(*args):
        looked_up.append(args)
        return None if len(looked_up) == 1 else find_answer(*args)

    monkeypatch.setattr(answers, "find_answer", first_look_misses)
    assert apply_answer(p.id, learner.id, "outcome", "tried").value == "tried"
    assert len(looked_up) == 2  # the insert failed once, the second look found the row
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Subscriber, learner.id).team == "changed earlier in the same transaction"
    assert db.session.scalar(select(func.count(Answer.id))) == 1


def test_presses_are_limited_per_address_and_opening_the_page_is_not(pair, client):
    """30 presses a minute from one address (rounds.views); a mail scanner's GETs of the
    same link are not counted."""
    url = path_of(answer_url(pair["pairing"].id, pair["learner"].id, "rating", "4"))
    token = csrf_token(client, url)
    assert all(client.get(url).status_code == 200 for _ in range(40))
    codes = [
        client.post(url, data={"csrf_token": token, "value": str(n % 5 + 1)}).status_code
        for n in range(31)
    ]
    assert codes == [200] * 30 + [429]
    limited = client.post(url, data={"csrf_token": token, "value": "3"})
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1
    assert client.get(url).status_code == 200
