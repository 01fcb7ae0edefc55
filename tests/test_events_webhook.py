"""SendGrid Event Webhook: ECDSA signatures as SendGrid makes them, replay protection,
each event once, and what bounces, complaints and opens change."""

from __future__ import annotations

import json
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from service.extensions import db
from service.inbound.models import DeliveryEvent
from service.mail.models import EmailEvent, EmailState, OutgoingEmail
from service.mail.transports.sendgrid.event_webhook import EVENT_NAMES
from service.rounds.models import PairingStatus
from service.subscriptions.models import SoftBounce, Status, Suppression, address_hash
from tests.factories_inbound import (
    EVENTS_URL,
    EventSigner,
    create_pair,
    create_subscriber,
    event,
    post_events,
)
from tests.helpers import text_of


@pytest.fixture
def signer():
    return EventSigner()


@pytest.fixture
def app(make_app, signer):
    return make_app(SENDGRID_EVENT_PUBLIC_KEY=signer.public_key_b64)


def events_stored() -> int:
    return db.session.scalar(select(func.count(DeliveryEvent.id)))


def suppression(address: str) -> Suppression | None:
    return db.session.scalar(
        select(Suppression).where(Suppression.address_hash == address_hash(address))
    )


def sent_email(subscriber, *, key: str = "check") -> OutgoingEmail:
    from service.mail.emails import mail_check

    row = mail_check(key=f"{key}:{subscriber.id}", subscriber_id=subscriber.id)
    db.session.commit()
    return row


# ------------------------------------------------------------------ signatures


def test_valid_signature_is_accepted_and_the_event_applied(ctx, client, signer, run_jobs):
    person = create_subscriber(email="ana@example.org")
    row = sent_email(person)
    response = post_events(
        client, signer, [event("delivered", email=person.email, email_id=row.id)]
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    assert events_stored() == 1
    run_jobs()
    db.session.expire_all()
    assert row.last_event == EmailEvent.DELIVERED and row.delivered_at is not None
    stored = db.session.scalar(select(DeliveryEvent))
    assert stored.processed_at is not None
    assert stored.payload is None  # the address is not kept once applied
    assert stored.outgoing_email_id == row.id and stored.address_hash == address_hash(person.email)


def test_tampered_body_is_refused(ctx, client, signer):
    body = json.dumps([event("delivered", email="ana@example.org")]).encode()
    headers = signer.headers(body)
    tampered = body.replace(b"delivered", b"spamreport")
    response = client.post(
        EVENTS_URL, data=tampered, content_type="application/json", headers=headers
    )
    assert response.status_code == 403
    assert events_stored() == 0


@pytest.mark.parametrize("skew", [-301, 301, -3600])
def test_timestamp_more_than_five_minutes_off_is_refused(ctx, client, signer, skew):
    items = [event("delivered", email="ana@example.org")]
    response = post_events(client, signer, items, timestamp=int(time.time()) + skew)
    assert response.status_code == 403
    assert events_stored() == 0


def test_timestamp_within_five_minutes_is_accepted(ctx, client, signer):
    items = [event("delivered", email="ana@example.org")]
    response = post_events(client, signer, items, timestamp=int(time.time()) - 240)
    assert response.status_code == 200


def test_other_keys_garbage_signatures_and_missing_headers_are_refused(ctx, client, signer):
    body = json.dumps([event("open", email="ana@example.org")]).encode()
    stranger = EventSigner()
    now = str(int(time.time()))
    attempts = [
        stranger.headers(body),  # signed, but not by SendGrid's key
        {},
        {"X-Twilio-Email-Event-Webhook-Timestamp": now},
        {
            "X-Twilio-Email-Event-Webhook-Signature": "not base64!!",
            "X-Twilio-Email-Event-Webhook-Timestamp": now,
        },
        {
            "X-Twilio-Email-Event-Webhook-Signature": "AAAA",
            "X-Twilio-Email-Event-Webhook-Timestamp": now,
        },
        {**signer.headers(body), "X-Twilio-Email-Event-Webhook-Timestamp": "soon"},
    ]
    for headers in attempts:
        response = client.post(
            EVENTS_URL, data=body, content_type="application/json", headers=headers
        )
        assert response.status_code == 403, headers
    assert events_stored() == 0


def test_without_a_configured_key_every_request_is_refused(make_app, signer):
    app = make_app(SENDGRID_EVENT_PUBLIC_KEY=None)
    response = post_events(app.test_client(), signer, [event("open", email="a@example.org")])
    assert response.status_code == 403


def test_duplicate_events_are_stored_and_applied_once(ctx, client, signer, run_jobs):
    person = create_subscriber(email="ana@example.org")
    row = sent_email(person)
    batch = [
        event("delivered", email=person.email, email_id=row.id),
        event("open", email=person.email, email_id=row.id),
    ]
    assert post_events(client, signer, batch).get_data(as_text=True) == "2 new events\n"
    # SendGrid retries the batch, and one event also arrives in a later batch.
    assert post_events(client, signer, batch).get_data(as_text=True) == "0 new events\n"
    later = [batch[1], event("click", email=person.email, email_id=row.id, url="https://x.org")]
    assert post_events(client, signer, later).get_data(as_text=True) == "1 new events\n"
    assert events_stored() == 3
    run_jobs()
    db.session.expire_all()
    assert row.opened_at is not None and row.clicked_at is not None
    assert row.last_event == EmailEvent.CLICKED


def test_events_for_unknown_emails_are_kept_without_a_link(ctx, client, signer, run_jobs):
    items = [event("delivered", email="x@example.org", email_id=999999), {"no": "id"}]
    assert post_events(client, signer, items).status_code == 200
    run_jobs()
    stored = db.session.scalar(select(DeliveryEvent))
    assert stored.outgoing_email_id is None and stored.processed_at is not None


# ------------------------------------------------------------------ suppression


def test_hard_bounce_suppresses_at_once(ctx, client, signer, run_jobs):
    person = create_subscriber(email="gone@example.org")
    row = sent_email(person)
    bounce = event(
        "bounce",
        email=person.email,
        email_id=row.id,
        type="bounce",
        reason="550 5.1.1 The email account that you tried to reach does not exist.",
        status="5.1.1",
    )
    post_events(client, signer, [bounce])
    run_jobs()
    db.session.expire_all()
    entry = suppression(person.email)
    assert entry is not None and entry.reason == "bounced"
    assert "5.1.1" in entry.detail
    assert person.status == Status.UNSUBSCRIBED
    assert row.last_event == EmailEvent.BOUNCED
    assert row.state == EmailState.FAILED and "5.1.1" in row.error


def test_dropped_suppresses_at_once(ctx, client, signer, run_jobs):
    person = create_subscriber(email="dropped@example.org")
    post_events(client, signer, [event("dropped", email=person.email, reason="Bounced Address")])
    run_jobs()
    assert suppression(person.email).reason == "dropped"


def test_soft_bounces_suppress_after_three_in_a_row(ctx, client, signer, run_jobs):
    person = create_subscriber(email="full@example.org")
    blocked = dict(type="blocked", reason="452 4.2.2 Mailbox full")
    for _ in range(2):
        post_events(client, signer, [event("bounce", email=person.email, **blocked)])
    run_jobs()
    assert suppression(person.email) is None
    assert db.session.scalar(select(SoftBounce.count)) == 2
    # A delivery in between: the failures were not "in a row".
    post_events(client, signer, [event("delivered", email=person.email)])
    run_jobs()
    assert db.session.scalar(select(SoftBounce.count)) == 0
    for n in range(3):
        post_events(client, signer, [event("bounce", email=person.email, **blocked)])
        run_jobs()
        assert (suppression(person.email) is None) == (n < 2)
    assert suppression(person.email).reason == "bounced"


def test_repeated_deferrals_of_one_email_count_once(ctx, client, signer, run_jobs):
    person = create_subscriber(email="slow@example.org")
    row = sent_email(person)
    other = sent_email(person, key="other")
    for _ in range(4):  # SendGrid reports every retry of the same email
        post_events(client, signer, [event("deferred", email=person.email, email_id=row.id)])
    post_events(client, signer, [event("deferred", email=person.email, email_id=other.id)])
    run_jobs()
    assert db.session.scalar(select(SoftBounce.count)) == 2
    assert suppression(person.email) is None


def test_spam_report_unsubscribes_without_a_goodbye_email(ctx, client, signer, run_jobs, outbox):
    person = create_subscriber(email="angry@example.org")
    post_events(client, signer, [event("spamreport", email=person.email)])
    run_jobs()
    db.session.expire_all()
    assert person.status == Status.UNSUBSCRIBED
    assert suppression(person.email).reason == "complained"
    assert outbox.to(person.email) == []


def test_unsubscribe_event_unsubscribes(ctx, client, signer, run_jobs):
    person = create_subscriber(email="leaving@example.org")
    post_events(client, signer, [event("unsubscribe", email=person.email)])
    run_jobs()
    db.session.expire_all()
    assert person.status == Status.UNSUBSCRIBED


# ------------------------------------------------------------------ the partner


def test_learner_bounces_mid_round_and_the_tip_giver_is_told_in_thread(
    ctx, client, signer, run_jobs, outbox
):
    pair = create_pair()
    run_jobs()
    outbox.clear()
    post_events(client, signer, [event("bounce", email=pair.learner.email, type="bounce")])
    run_jobs()
    (notice,) = outbox.to(pair.giver.email)
    assert notice["In-Reply-To"] == pair.pairing.giver_thread_id
    assert pair.pairing.giver_thread_id in notice["References"]
    assert notice["Reply-To"] == pair.giver_address
    assert "Margaret has left this week's round" in text_of(notice)
    assert pair.learner.email not in notice.as_string()
    assert outbox.to(pair.learner.email) == []
    # A second bounce for the same address tells nobody again.
    post_events(client, signer, [event("bounce", email=pair.learner.email, type="bounce")])
    run_jobs()
    assert len(outbox.to(pair.giver.email)) == 1


def test_tip_giver_bounces_mid_round_and_the_learner_is_reassigned(
    ctx, client, signer, run_jobs, outbox
):
    """Depends on the rounds engineer's service.rounds.standby.reassign_learner."""
    pair = create_pair()
    run_jobs()
    outbox.clear()
    post_events(client, signer, [event("dropped", email=pair.giver.email, reason="Invalid")])
    run_jobs()
    db.session.expire_all()
    pairing = pair.pairing
    assert pairing.giver_id is None and pairing.status == PairingStatus.CANCELLED
    assert outbox.to(pair.giver.email) == []


# ------------------------------------------------------------------ garbage

_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
_event_like = st.fixed_dictionaries(
    {
        "sg_event_id": st.text(min_size=1, max_size=120),
        "event": st.sampled_from(sorted(EVENT_NAMES) + ["", "weird", "x" * 40]),
    },
    optional={
        "email": st.one_of(st.emails(), st.text(max_size=30), st.integers()),
        "email_id": st.one_of(st.integers(), st.text(max_size=10), st.none()),
        "timestamp": st.one_of(st.integers(), st.text(max_size=10), st.floats()),
        "type": st.sampled_from(["bounce", "blocked", "", "other"]),
        "reason": st.text(max_size=50),
        "custom_args": _json,
    },
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(batch=st.one_of(_json, st.lists(_event_like, max_size=5)))
def test_signed_garbage_never_5xx_and_applies_cleanly(ctx, client, signer, batch):
    from service.inbound.event_actions import apply_events

    response = post_events(client, signer, batch)
    assert response.status_code in (200, 400, 403)
    pending = list(
        db.session.scalars(select(DeliveryEvent.id).where(DeliveryEvent.processed_at.is_(None)))
    )
    apply_events(pending)
    assert (
        db.session.scalar(
            select(func.count(DeliveryEvent.id)).where(DeliveryEvent.processed_at.is_(None))
        )
        == 0
    )


def test_nan_and_infinity_in_a_signed_batch_are_stored_as_null(ctx, client, signer, run_jobs):
    """Python's json accepts NaN; PostgreSQL's json column does not."""
    body = b'[{"sg_event_id": "nan-1", "event": "open", "timestamp": NaN, "x": -Infinity}]'
    response = post_events(client, signer, [], body=body)
    assert response.status_code == 200
    run_jobs()
    assert db.session.scalar(select(DeliveryEvent.processed_at)) is not None


def test_unsubscribe_event_mid_round_tells_the_partner_once(ctx, client, signer, run_jobs, outbox):
    pair = create_pair()
    run_jobs()
    outbox.clear()
    items = [event("unsubscribe", email=pair.learner.email)]
    post_events(client, signer, items)
    post_events(client, signer, [event("unsubscribe", email=pair.learner.email)])
    run_jobs()
    (notice,) = outbox.to(pair.giver.email)
    assert notice["In-Reply-To"] == pair.pairing.giver_thread_id
    assert len(outbox.to(pair.learner.email)) == 1  # the one goodbye email
