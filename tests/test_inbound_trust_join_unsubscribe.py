"""join@ and unsubscribe@ act only for authenticated senders; an unauthenticated request
to leave gets the subscriber's own address a one-button link (issue 10, section 1)."""

from __future__ import annotations

from sqlalchemy import func, select

from service.extensions import db
from service.inbound.models import InboundMessage
from service.subscriptions.inbound_mail import handle_join_message
from service.subscriptions.models import Status, Subscriber
from tests.factories_inbound import create_subscriber, post_raw, reply_mime, subscriber_by_email
from tests.helpers import links_in, text_of

UNSUBSCRIBE = "unsubscribe@reply.turnabout.test"
JOIN = "join@reply.turnabout.test"
FORGED = {"spf": "fail", "dkim": "none"}


def outcomes() -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(select(InboundMessage.outcome).order_by(InboundMessage.id)))


def test_forged_unsubscribe_sends_the_address_on_file_a_link_and_changes_nothing(
    ctx, client, run_jobs, outbox
):
    ana = create_subscriber(email="ana@example.org")
    db.session.commit()
    for n in range(2):
        raw = reply_mime(
            sender="ana@example.org", to=UNSUBSCRIBE, text="unsubscribe", subject=str(n)
        )
        assert (
            post_raw(client, raw, to=UNSUBSCRIBE, sender="ana@example.org", **FORGED).status_code
            == 200
        )
    run_jobs()
    assert db.session.get(Subscriber, ana.id).status == Status.ACTIVE
    assert all("unauthenticated sender" in o for o in outcomes())
    [message] = outbox.messages()  # one a day, to the address on file, nobody else
    assert message["To"].addresses[0].addr_spec == "ana@example.org"
    [link] = [u for u in links_in(message) if "/u/" in u]
    assert "could not confirm that it came from you" in " ".join(text_of(message).split())
    path = link.replace("http://turnabout.test", "")
    assert client.get(path).status_code == 200  # opening the link changes nothing
    db.session.expire_all()
    assert db.session.get(Subscriber, ana.id).status == Status.ACTIVE


def test_authenticated_unsubscribe_acts_at_once(ctx, client, run_jobs):
    ana = create_subscriber(email="ana@example.org")
    db.session.commit()
    raw = reply_mime(sender="ana@example.org", to=UNSUBSCRIBE, text="unsubscribe")
    post_raw(client, raw, to=UNSUBSCRIBE, sender="ana@example.org")
    run_jobs()
    assert outcomes() == ["unsubscribe address: unsubscribed"]
    assert db.session.get(Subscriber, ana.id).status == Status.UNSUBSCRIBED


def test_forged_join_creates_nobody_and_mails_nobody(ctx, client, run_jobs, outbox):
    raw = reply_mime(sender="victim@example.org", to=JOIN, text="join")
    post_raw(client, raw, to=JOIN, sender="victim@example.org", **FORGED)
    run_jobs()
    assert outcomes()[0].startswith("unauthenticated sender")
    assert subscriber_by_email("victim@example.org") is None
    assert len(outbox) == 0


def test_join_confirmation_never_repeats_the_unconfirmed_display_name(
    ctx, client, run_jobs, outbox
):
    text = "Click evil.example now"
    raw = reply_mime(sender="new@example.org", to=JOIN, text="join", sender_name=text)
    post_raw(client, raw, to=JOIN, sender="new@example.org")
    run_jobs()
    assert outcomes() == ["join: confirmation sent"]
    [message] = outbox.to("new@example.org")
    assert "evil.example" not in message.as_string()
    assert subscriber_by_email("new@example.org").name == ""


def test_join_by_email_is_limited_per_sender_domain_and_overall(make_app):
    app = make_app(JOIN_BY_EMAIL_PER_DOMAIN_PER_HOUR=2, JOIN_BY_EMAIL_PER_HOUR=5)
    with app.app_context():
        results = [handle_join_message(f"p{n}@one.example") for n in range(3)]
        results += [handle_join_message(f"p@{d}.example") for d in ("two", "three", "four")]
        db.session.commit()
        assert [r.split(":")[0] for r in results] == [
            "confirmation sent",
            "confirmation sent",
            "rate limited",  # a third from one.example within the hour
            "confirmation sent",
            "confirmation sent",
            "rate limited",  # the sixth request overall (refused ones count too)
        ]
        assert db.session.scalar(select(func.count(Subscriber.id))) == 4
