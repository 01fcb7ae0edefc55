"""Sender addresses read as mail servers read them, domains compared label by label, and
no notice that echoes a stranger's words to someone else (issue 10, section 1)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from service.extensions import db
from service.inbound.models import InboundMessage
from service.inbound.trust import aligned, sender_mailbox, verdict, within
from service.rounds.models import ThreadMessage
from tests.factories_inbound import create_pair, post_form, raw_form, reply_mime


@pytest.mark.parametrize(
    "header, expected",
    [
        ("victim@example.org <attacker@evil.example>", "attacker@evil.example"),
        ('"victim@example.org" <attacker@evil.example>', "attacker@evil.example"),
        ('"Bob <bob@example.org>" <real@example.net>', "real@example.net"),
        ("Ana (ana@example.org) <ana@example.net>", "ana@example.net"),
        ("Ana Example <Ana@Example.ORG>", "ana@example.org"),
        ("ana@example.org", "ana@example.org"),
        ("ana@example.org (Ana)", "ana@example.org"),
    ],
)
def test_from_header_resolves_to_the_mailbox_a_server_would_use(header, expected):
    assert sender_mailbox(header)[1] == expected


@pytest.mark.parametrize(
    "header",
    ["", "not an address", "a@example.org, b@example.org", "<a@example.org> <b@example.org>"],
)
def test_from_header_without_exactly_one_mailbox_has_no_sender(header):
    assert sender_mailbox(header) is None


def test_domains_compare_on_label_boundaries():
    assert within("example.org", "example.org")
    assert within("mail.example.org", "example.org")
    assert not within("notexample.org", "example.org")
    assert not within("example.org", "org")  # nobody signs for a whole TLD
    assert aligned("bounces.example.org", "example.org")
    assert aligned("example.org", "bounces.example.org")
    assert not aligned("notexample.org", "example.org")


def test_spf_pass_for_a_lookalike_envelope_domain_is_not_authentication():
    result = verdict(
        "victim@example.org",
        dkim_field=None,
        spf_field="pass",
        envelope_from="bounce@notexample.org",
    )
    assert not result.authenticated
    assert (
        verdict(
            "victim@example.org",
            dkim_field="{@mple.org : pass}",
            spf_field=None,
            envelope_from=None,
        ).authenticated
        is False
    )


def test_display_name_that_looks_like_the_owner_does_not_make_the_attacker_the_owner(
    ctx, client, run_jobs, outbox
):
    pair = create_pair()
    run_jobs()
    outbox.clear()
    attacker = "attacker@evil.example"
    raw = reply_mime(sender=attacker, to=pair.giver_address, text="stop")
    raw = raw.replace(
        f"From: {attacker}".encode(), f"From: {pair.giver.email} <{attacker}>".encode()
    )
    fields = raw_form(raw, to=pair.giver_address, sender=attacker)  # DKIM pass: evil.example
    assert post_form(client, fields).status_code == 200
    run_jobs()
    db.session.expire_all()
    row = db.session.scalar(select(InboundMessage))
    assert row.outcome == "sender is not the owner of this reply address"
    assert row.sender_id is None
    assert db.session.scalar(select(ThreadMessage)) is None
    assert outbox.to(pair.giver.email) == [] and outbox.to(pair.learner.email) == []


def test_no_notice_echoes_an_attackers_subject_to_a_lookalike_victim(ctx, client, run_jobs, outbox):
    """Envelope on notexample.org with SPF pass, From: victim@example.org, to a reply
    address that does not exist: main sent the victim "Your message was not passed on:
    <the attacker's subject>" from the programme's domain."""
    victim = "victim@example.org"
    to = "reply+0123456789abcdef01234567@reply.turnabout.test"
    raw = reply_mime(sender=victim, to=to, text="hi", subject="Claim your prize at evil.example")
    fields = raw_form(raw, to=to, sender=victim, dkim="none")
    fields["envelope"] = json.dumps({"to": [to], "from": "bounce@notexample.org"})
    assert post_form(client, fields).status_code == 200
    run_jobs()
    assert len(outbox) == 0
    db.session.expire_all()
    assert db.session.scalar(select(InboundMessage.outcome)) == "unknown recipient"
