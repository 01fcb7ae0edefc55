"""Only the real sender can speak as a subscriber: a reply or an email command acts only
when SendGrid's verdict authenticates the From domain (issue 10, section 1)."""

from __future__ import annotations

import io
import json

import pytest
from sqlalchemy import select

from service.extensions import db
from service.inbound.models import InboundMessage, InboundState
from service.rounds.models import ThreadMessage
from service.subscriptions.models import Status, Subscriber
from tests.factories_inbound import (
    create_pair,
    only_inbound_row,
    post_form,
    post_raw,
    quiet_pair,
    raw_form,
    reply_mime,
)


def forged(pair, text: str, **verdict):
    """A reply with the owner's From, as a stranger who saw the key would send it."""
    raw = reply_mime(sender=pair.giver.email, to=pair.giver_address, text=text)
    verdict = {k: v for k, v in verdict.items() if v is not None}
    return raw, {"to": pair.giver_address, "sender": pair.giver.email, **verdict}


@pytest.mark.parametrize(
    "verdict",
    [
        {"spf": "fail", "dkim": "none"},  # the case: SPF fail, no DKIM
        {"spf": "softfail", "dkim": "{@example.org : fail}"},
        {"spf": "neutral", "dkim": "{@attacker.example : pass}"},  # signed, by someone else
        {"spf": None, "dkim": None},  # no verdict fields at all
    ],
)
def test_unauthenticated_reply_is_stored_not_relayed_and_nobody_is_mailed(
    ctx, client, run_jobs, outbox, verdict
):
    pair = quiet_pair(run_jobs, outbox)
    raw, options = forged(pair, "Here is the tip, from me, honestly.", **verdict)
    fields = raw_form(raw, **options)
    for name, key in (("SPF", "spf"), ("dkim", "dkim")):
        if verdict[key] is None:
            del fields[name]
    assert post_form(client, fields).status_code == 200
    run_jobs()
    row = only_inbound_row()
    assert row.state == InboundState.IGNORED
    assert row.outcome.startswith("unauthenticated sender:"), row.outcome
    assert row.raw == raw  # kept for a person to look at
    assert db.session.scalar(select(ThreadMessage)) is None
    assert len(outbox) == 0  # no relay, and no note to the claimed sender (backscatter)


def test_forged_stop_command_does_not_unsubscribe_the_owner(ctx, client, run_jobs, outbox):
    pair = quiet_pair(run_jobs, outbox)
    raw, options = forged(pair, "stop", spf="fail", dkim="none")
    post_raw(client, raw, **options)
    run_jobs()
    db.session.expire_all()
    assert db.session.get(Subscriber, pair.giver.id).status == Status.ACTIVE
    assert only_inbound_row().outcome.startswith("unauthenticated sender")
    assert len(outbox) == 0  # neither a goodbye nor a word to the partner


def test_authenticated_by_dkim_of_a_parent_domain_or_aligned_spf_is_relayed(
    ctx, client, run_jobs, outbox
):
    pair = create_pair()
    giver = pair.giver.email  # person…@example.org
    cases = [
        {"spf": "fail", "dkim": "{@example.org : pass}"},
        {"spf": "pass", "dkim": "none", "envelope_from": "bounces+123@mail.example.org"},
    ]
    for n, case in enumerate(cases):
        envelope_from = case.pop("envelope_from", giver)
        raw = reply_mime(sender=giver, to=pair.giver_address, text=f"Tip number {n}, honestly.")
        fields = raw_form(raw, to=pair.giver_address, sender=giver, **case)
        fields["envelope"] = json.dumps({"to": [pair.giver_address], "from": envelope_from})
        assert post_form(client, fields).status_code == 200
    run_jobs()
    db.session.expire_all()
    outcomes = [r.outcome for r in db.session.scalars(select(InboundMessage))]
    assert outcomes == ["relayed giver_to_learner"] * 2


def test_parsed_mode_reads_the_same_verdict_fields(ctx, client, run_jobs, outbox):
    pair = quiet_pair(run_jobs, outbox)
    headers = (
        f"From: Sam <{pair.giver.email}>\nTo: {pair.giver_address}\n"
        "Subject: Re: tip\nMessage-ID: <parsed-forged@example.org>\n"
    )
    fields = {
        "headers": headers,
        "text": "stop",
        "from": f"Sam <{pair.giver.email}>",
        "to": pair.giver_address,
        "envelope": json.dumps({"to": [pair.giver_address], "from": "x@attacker.example"}),
        "SPF": "pass",  # a pass for the attacker's envelope domain, not the From domain
        "dkim": "{@attacker.example : pass}",
        "charsets": json.dumps({"text": "utf-8", "headers": "utf-8"}),
    }
    assert post_form(client, fields).status_code == 200
    run_jobs()
    assert only_inbound_row().outcome.startswith("unauthenticated sender")
    assert db.session.get(Subscriber, pair.giver.id).status == Status.ACTIVE
    assert len(outbox) == 0


def test_authentication_results_count_only_from_a_trusted_server(make_app):
    from service.jobs import build_worker

    app = make_app(INBOUND_AUTHSERV_IDS="mx.inbound.test")
    client = app.test_client()
    with app.app_context():
        pair = create_pair()
        results = {
            "mx.inbound.test": "relayed giver_to_learner",
            "mx.attacker.example": "unauthenticated sender",
        }
        for n, authserv in enumerate(results):
            header = f"{authserv}; dkim=pass header.d=example.org; spf=fail"
            raw = reply_mime(
                sender=pair.giver.email,
                to=pair.giver_address,
                text=f"Tip {n}: ask for decisions and owners.",
                headers={"Authentication-Results": header},
            )
            fields = raw_form(raw, to=pair.giver_address, sender=pair.giver.email, spf="none")
            fields["dkim"] = "none"
            fields["email"] = (io.BytesIO(raw), None)
            post_form(client, fields)
        build_worker(app, simple=True).work(burst=True, with_scheduler=False)
        db.session.expire_all()
        rows = db.session.scalars(select(InboundMessage).order_by(InboundMessage.id)).all()
        for row, expected in zip(rows, results.values(), strict=True):
            assert row.outcome.startswith(expected), row.outcome


def test_admin_delivery_page_counts_unauthenticated_mail(app, client, run_jobs):
    from tests.factories_admin import signed_in_client

    with app.app_context():
        pair = create_pair()
        for text in ("stop", "hello there, it is me"):
            raw, options = forged(pair, text, spf="fail", dkim="none")
            post_raw(client, raw, **options)
        run_jobs()
        giver_email = pair.giver.email
    admin, _ = signed_in_client(app)
    page = admin.get("/admin/delivery").get_data(as_text=True)
    section = page.split("Inbound mail from unauthenticated senders", 1)[1]
    section = section.split("</table>", 1)[0]
    assert "unauthenticated sender: no DKIM or SPF pass</td><td>2</td>" in section
    assert giver_email not in page


def test_dev_simulated_mail_carries_a_passing_verdict(ctx, runner, run_jobs, outbox):
    """`make dev` has no SendGrid: `turnabout inbound simulate` stands in for it."""
    pair = quiet_pair(run_jobs, outbox)
    args = ["--from", pair.giver.email, "--to", pair.giver_address, "Try the summary prompt."]
    result = runner.invoke(args=["inbound", "simulate", *args])
    assert result.exit_code == 0, result.output
    run_jobs()
    assert only_inbound_row().outcome == "relayed giver_to_learner"
    assert len(outbox.to(pair.learner.email)) == 1
