"""A press of the one-click page's button for a question without side effects is read
and stored by one statement in autocommit on the kept connection (service.rounds.
answer_press); every other outcome of a press is as before."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from service.csrf import link_form_token
from service.extensions import db
from service.rounds.models import Answer, Round, RoundStatus
from service.tokens import make_token
from tests.factories_inbound import create_pair, create_subscriber
from tests.helpers import ON_POSTGRESQL, csrf_token, each_statement_during

# PostgreSQL only: elsewhere a press reads and stores in the session's transaction.
pytestmark = ON_POSTGRESQL


@pytest.fixture
def pair(app):
    """Ids only: the requests below must not share a test's session (they would keep
    to its transaction, service.autocommit)."""
    with app.app_context():
        made = create_pair(open_threads=True)
        spare = create_subscriber(name="Eli Moss", role="giver")
        db.session.commit()
        return {
            "app": app,
            "pairing": made.pairing.id,
            "round": made.pairing.round_id,
            "learner": made.learner.id,
            "giver": made.giver.id,
            "spare": spare.id,
        }


def path(pair, person: str, question: str, pairing_id: int | None = None) -> str:
    with pair["app"].app_context():
        payload = [pairing_id or pair["pairing"], pair[person], question]
        return f"/a/{make_token('answer', payload)}"


def run(app, fn) -> list:
    """(statement, connection) for each statement `fn` runs."""
    return each_statement_during(app, fn, lambda conn, statement: (statement, conn))


def stored(app, question: str) -> list[tuple]:
    with app.app_context():  # a session of its own: sees only what was committed
        rows = db.session.execute(
            sa.select(Answer.subscriber_id, Answer.value, Answer.comment).where(
                Answer.question == question
            )
        ).all()
        db.session.rollback()
        return [tuple(row) for row in rows]


def press(client, url: str, **form):
    """POST with the form token the page carries (derived from its link), even where
    the page shows no form."""
    with client.application.app_context():
        token = link_form_token(url.removeprefix("/a/"))
    return client.post(url, data={"csrf_token": token, **form})


def test_a_rating_is_one_statement_that_commits(app, pair):
    client = app.test_client()
    url = path(pair, "learner", "rating")
    token = csrf_token(client, url)
    responses = []
    form = {"csrf_token": token, "value": "4", "comment": " Useful "}
    used = run(app, lambda: responses.append(client.post(url, data=form)))
    assert responses[0].status_code == 200 and "Thank you" in responses[0].get_data(as_text=True)
    [(statement, connection)] = used
    assert statement.lstrip().startswith("WITH page AS")
    assert connection.get_execution_options()["isolation_level"] == "AUTOCOMMIT"
    assert not connection.in_transaction()
    assert stored(app, "rating") == [(pair["learner"], "4", "Useful")]

    # The tip-giver rates too (their own row), and the learner changes theirs.
    assert press(client, path(pair, "giver", "rating"), value="5").status_code == 200
    form = {"csrf_token": token, "value": "2", "comment": ""}
    assert len(run(app, lambda: client.post(url, data=form))) == 1
    assert sorted(stored(app, "rating")) == sorted(
        [(pair["learner"], "2", "Useful"), (pair["giver"], "5", None)]
    )


def test_presses_the_page_would_refuse_store_nothing(app, pair):
    client = app.test_client()
    rating = path(pair, "learner", "rating")
    assert press(client, rating, value="9").status_code == 400  # not one of the choices
    assert press(client, path(pair, "learner", "clear"), value="yes").status_code == 410
    assert press(client, path(pair, "giver", "tried"), value="yes").status_code == 410
    assert press(client, path(pair, "spare", "rating"), value="3").status_code == 410
    assert stored(app, "rating") == stored(app, "clear") == stored(app, "tried") == []
    missing = path(pair, "learner", "rating", pairing_id=pair["pairing"] + 99)
    assert client.post(missing, data={"value": "3"}).status_code == 400  # no CSRF token
    assert press(client, missing, value="3").status_code == 404

    assert press(client, rating, value="3").status_code == 200
    with app.app_context():
        db.session.get(Round, pair["round"]).status = RoundStatus.CLOSED
        db.session.commit()
    response = press(client, rating, value="5")
    assert response.status_code == 410 and "closed" in response.get_data(as_text=True)
    assert stored(app, "rating") == [(pair["learner"], "3", None)]


def test_someone_no_longer_in_the_pair_may_repeat_their_answer_only(app, pair):
    """As record_answer decides: the same answer again is thanked for, another refused."""
    with app.app_context():
        db.session.add(
            Answer(
                pairing_id=pair["pairing"],
                subscriber_id=pair["spare"],
                question="keep",
                value="yes",
            )
        )
        db.session.commit()
    client = app.test_client()
    url = path(pair, "spare", "keep")
    assert press(client, url, value="yes").status_code == 200
    assert press(client, url, value="no").status_code == 400
    assert stored(app, "keep") == [(pair["spare"], "yes", None)]


def test_an_answer_with_side_effects_keeps_its_transaction(app, pair):
    client = app.test_client()
    url = path(pair, "learner", "outcome")
    token = csrf_token(client, url)
    kept = run(app, lambda: client.get(url))[0][1]
    used = run(app, lambda: client.post(url, data={"csrf_token": token, "value": "help"}))
    assert len(used) > 2 and all(connection is not kept for _, connection in used)
    assert stored(app, "outcome") == [(pair["learner"], "help", None)]


def test_a_press_is_not_run_twice_when_the_kept_connection_is_lost(app, pair):
    """It may have committed before the connection broke: the person presses again."""
    client = app.test_client()
    url = path(pair, "learner", "rating")
    token = csrf_token(client, url)
    kept = run(app, lambda: client.get(url))[0][1]
    with app.app_context():
        pid = kept.connection.driver_connection.info.backend_pid
        db.session.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        db.session.commit()

    form = {"csrf_token": token, "value": "4"}
    with pytest.raises(sa.exc.OperationalError):  # TESTING: raised, not a 500 page
        used = run(app, lambda: client.post(url, data=form))
    used = run(app, lambda: client.post(url, data=form))
    assert len(used) == 1 and used[0][1] is not kept and kept.closed
    assert stored(app, "rating") == [(pair["learner"], "4", None)]
