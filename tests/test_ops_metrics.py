"""/metrics: request counts and latency per endpoint, the service's own numbers read at
scrape time, and the token that protects it."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families
from rq import Queue
from sqlalchemy import select

from service.extensions import db
from service.mail.models import OutgoingEmail
from service.queues import DEFAULT
from service.scheduler import build_scheduler
from tests.factories_inbound import create_pair, post_raw, reply_mime

PRODUCTION = {
    "TURNABOUT_ENV": "production",
    "BASE_URL": "https://turnabout.test",
    "SECRET_KEY": "s" * 48,
}


def scrape(client, **headers) -> dict:
    """{(metric sample name, frozenset of labels): value} of one scrape."""
    response = client.get("/metrics", headers=headers)
    assert response.status_code == 200, response.status_code
    assert response.content_type.startswith("text/plain")
    values = {}
    for family in text_string_to_metric_families(response.get_data(as_text=True)):
        for sample in family.samples:
            values[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return values


def value(values: dict, name: str, **labels) -> float:
    return values.get((name, frozenset(labels.items())), 0.0)


def test_requests_are_counted_and_timed_per_endpoint(client):
    labels = {"method": "GET", "endpoint": "health.healthz", "status": "200"}
    before = scrape(client)
    for _ in range(3):
        client.get("/healthz")
    client.get("/no/such/page")
    after = scrape(client)
    count = "turnabout_http_requests_total"
    assert value(after, count, **labels) - value(before, count, **labels) == 3
    missing = {"method": "GET", "endpoint": "unmatched", "status": "404"}
    assert value(after, count, **missing) - value(before, count, **missing) == 1
    timed = "turnabout_http_request_duration_seconds_count"
    assert (
        value(after, timed, endpoint="health.healthz")
        - value(before, timed, endpoint="health.healthz")
        == 3
    )
    slow_bucket = {"endpoint": "health.healthz", "le": "+Inf"}
    bucket = "turnabout_http_request_duration_seconds_bucket"
    assert value(after, bucket, **slow_bucket) >= value(after, timed, endpoint="health.healthz")


def test_queues_emails_inbound_and_the_round_are_read_at_scrape_time(ctx, client, run_jobs, redis):
    pair = create_pair(open_threads=False, challenges=True)
    week = pair.pairing.round.week
    values = scrape(client)
    assert (
        value(values, "turnabout_queue_jobs", queue="rounds")
        + value(values, "turnabout_queue_jobs", queue="mail")
        >= 1
    )  # the challenge emails wait for a worker
    assert value(values, "turnabout_round_emails", week=week, state="queued") == 2
    assert value(values, "turnabout_round_pairings", week=week, status="active") == 1

    run_jobs()
    Queue(DEFAULT, connection=redis).enqueue("builtins.int", "not a number")
    run_jobs()
    reply = reply_mime(sender=pair.giver.email, to=pair.giver_address, text="A tip.")
    assert (
        post_raw(client, reply, to=pair.giver_address, sender=pair.giver.email).status_code == 200
    )
    build_scheduler(client.application).register_birth()

    values = scrape(client)
    assert value(values, "turnabout_round_emails", week=week, state="sent") == 2
    assert value(values, "turnabout_round_emails", week=week, state="queued") == 0
    sent_by_kind = {
        dict(labels)["kind"]: count
        for (name, labels), count in values.items()
        if name == "turnabout_emails" and dict(labels)["state"] == "sent"
    }
    kinds = set(db.session.scalars(select(OutgoingEmail.kind)))
    assert set(sent_by_kind) == kinds and sum(sent_by_kind.values()) == 2
    assert value(values, "turnabout_inbound_messages", state="stored") == 1
    assert value(values, "turnabout_queue_jobs", queue="inbound") == 1
    assert value(values, "turnabout_queue_failed_jobs", queue=DEFAULT) == 1
    assert value(values, "turnabout_schedulers") == 1
    assert ("turnabout_workers", frozenset()) in values


def test_metrics_need_the_token_when_one_is_set(make_app):
    client = make_app(**PRODUCTION, METRICS_TOKEN="m" * 32).test_client()
    unauthorised = client.get("/metrics")
    assert unauthorised.status_code == 401
    assert unauthorised.headers["WWW-Authenticate"].startswith("Bearer")
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 403
    assert scrape(client, Authorization="Bearer " + "m" * 32)


def test_production_without_a_token_publishes_nothing(make_app):
    client = make_app(**PRODUCTION).test_client()
    assert client.get("/metrics").status_code == 404
