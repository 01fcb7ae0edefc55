"""The Event Webhook never answers 5xx (issue 10, section 5): the signature's inputs are
checked strictly before any arithmetic, and signed bodies are parsed defensively."""

from __future__ import annotations

import json
import time

import pytest
from sqlalchemy import func, select

from service.extensions import db
from service.inbound.models import DeliveryEvent
from tests.factories_inbound import EVENTS_URL, EventSigner, event, post_events


@pytest.fixture
def signer():
    return EventSigner()


@pytest.fixture
def app(make_app, signer):
    return make_app(SENDGRID_EVENT_PUBLIC_KEY=signer.public_key_b64)


def stored() -> int:
    return db.session.scalar(select(func.count(DeliveryEvent.id)))


@pytest.mark.parametrize(
    "timestamp",
    [
        "1" + "0" * 400,  # passes str.isdigit(), then overflowed in the clock arithmetic
        "²",  # passes str.isdigit(), then int() raised
        "١٧٠٠٠٠٠٠٠٠",  # Arabic-Indic digits: int() accepts them, SendGrid never sends them
        " 1700000000",
        "-1",
    ],
)
def test_malformed_timestamps_are_refused_without_a_signature_check(ctx, client, timestamp):
    headers = {
        "X-Twilio-Email-Event-Webhook-Signature": "MEUCIQ" + "A" * 90,
        "X-Twilio-Email-Event-Webhook-Timestamp": timestamp,
    }
    body = json.dumps([event("delivered", email="a@example.org")]).encode()
    response = client.post(EVENTS_URL, data=body, content_type="application/json", headers=headers)
    assert response.status_code == 403
    assert "timestamp" in response.get_data(as_text=True)
    assert stored() == 0


def test_an_oversized_signature_is_refused(ctx, client, signer):
    body = json.dumps([event("delivered", email="a@example.org")]).encode()
    headers = signer.headers(body)
    headers["X-Twilio-Email-Event-Webhook-Signature"] += "A" * 10_000
    response = client.post(EVENTS_URL, data=body, content_type="application/json", headers=headers)
    assert response.status_code == 403


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 100_000 + b"]" * 100_000,  # RecursionError in json.loads on main
        json.dumps(
            [
                {
                    "event": "open",
                    "sg_event_id": "x",
                    "deep": [[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]],
                }
            ]
        ).encode(),
        b"not json at all",
    ],
)
def test_signed_bodies_that_are_not_event_batches_are_400(ctx, client, signer, body):
    response = post_events(client, signer, [], body=body)
    assert response.status_code == 400, response.get_data(as_text=True)
    assert stored() == 0


def test_nul_characters_in_a_signed_event_are_dropped_not_a_server_error(ctx, client, signer):
    item = event("bounce", email="a\x00@example.org", reason="550\x00 no such user")
    item["sg_event_id"] = "id-with-\x00-nul"
    item["extra"] = {"k\x00": ["v\x00"]}
    response = post_events(client, signer, [item], timestamp=int(time.time()))
    assert response.status_code == 200, response.get_data(as_text=True)
    row = db.session.scalar(select(DeliveryEvent))
    assert row.provider_event_id == "id-with--nul"
    assert "\x00" not in json.dumps(row.payload) and "\\u0000" not in json.dumps(row.payload)
