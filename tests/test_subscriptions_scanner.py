"""Link scanners open every link in every email: nothing may change when they do."""

from __future__ import annotations

from service.extensions import db
from service.subscriptions import actions
from service.subscriptions.models import Status
from tests.factories_subscriptions import create_subscriber, create_themes
from tests.helpers import csrf_token
from tests.helpers_scanner import assert_links_are_safe


def send_every_subscription_email(app, client):
    """Drive each flow once, so the outbox holds every kind of email this feature sends."""
    with app.app_context():
        create_themes()
        db.session.commit()
        active = create_subscriber(email="active@example.org")
        pending = create_subscriber(email="pending@example.org", status=Status.PENDING)
        leaving = create_subscriber(email="leaving@example.org")
        actions.invite("invited@example.org", name="Ivo", role="learner", themes=["tech-savvy"])
        actions.confirm(pending.id)  # welcome
        actions.unsubscribe(leaving.id, source="page")  # goodbye
        db.session.commit()
        active_id = active.id
    form = {"name": "Ana", "role": "learner", "themes": ["life-work"], "timezone": "UTC"}
    for address in ("new@example.org", "active@example.org"):  # confirm, already subscribed
        client.post(
            "/subscribe", data={**form, "email": address, "csrf_token": csrf_token(client, "/")}
        )
    return active_id


def test_scanning_every_link_of_every_email_changes_nothing(make_app, run_jobs, outbox):
    app = make_app(TOKEN_RATE_LIMIT="1000/minute", UNSUBSCRIBE_RATE_LIMIT="1000/minute")
    client = app.test_client()
    send_every_subscription_email(app, client)
    run_jobs()
    messages = outbox.messages()
    subjects = " | ".join(sorted(m["Subject"] for m in messages))
    for expected in ("Confirm", "already subscribed", "welcome", "left", "invited"):
        assert expected in subjects
    results = assert_links_are_safe(client, messages)
    paths = {link.split("/")[3] for link in results}
    assert {"c", "join", "p", "u"} <= paths
    assert all(codes == (200, 200) for codes in results.values()), results


def test_the_scanner_notices_a_change(make_app, run_jobs, outbox):
    """The helper must be able to fail: a GET that changed state would be caught."""
    import pytest
    from flask import Blueprint

    app = make_app()
    bad = Blueprint("bad", __name__)

    @bad.get("/bad/<int:sid>")
    def unsafe(sid):
        actions.unsubscribe(sid, source="scanner")
        db.session.commit()
        return "done"

    app.register_blueprint(bad)
    with app.app_context():
        sub = create_subscriber()
        sid = sub.id

    class Fake:
        def get_body(self, preferencelist):
            text = f"Open http://turnabout.test/bad/{sid}"

            class Part:
                def get_content(self_inner):
                    return text if preferencelist == ("plain",) else f'<a href="{text[5:]}">x</a>'

            return Part()

    with pytest.raises(AssertionError, match="changed subscribers"):
        assert_links_are_safe(app.test_client(), [Fake()])


def test_scanning_the_weekly_challenge_emails_changes_nothing(make_app, run_jobs, outbox):
    """The same check over another feature's emails: a real round's challenge emails,
    with their one-click answer links and footers (pairings and answers must not change)."""
    from service.rounds.content import seed_content
    from service.rounds.dispatch import send_round
    from service.weeks import current_week

    app = make_app(TOKEN_RATE_LIMIT="1000/minute", UNSUBSCRIBE_RATE_LIMIT="1000/minute")
    with app.app_context():
        seed_content()
        db.session.commit()
        create_subscriber(email="learner@example.org", role="learner", team="A")
        create_subscriber(email="giver@example.org", role="giver", team="B")
        send_round(current_week())
        db.session.commit()
    run_jobs()
    messages = outbox.messages()
    assert {str(m["To"]).split("<")[-1].rstrip(">") for m in messages} >= {
        "learner@example.org",
        "giver@example.org",
    }
    results = assert_links_are_safe(app.test_client(), messages)
    assert any("/a/" in link for link in results), "one-click answer links were scanned"
    assert all(head < 400 and get < 400 for head, get in results.values()), results
