"""The relay: a whole exchange through the real webhook and worker, real clients' replies
in several languages, and what the partner sees (and never sees)."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from service.extensions import db
from service.inbound.models import InboundMessage
from service.mail.models import EmailState, OutgoingEmail
from service.rounds.models import ThreadMessage
from tests.factories_inbound import (
    DATA,
    create_pair,
    post_raw,
    reply_mime,
    sample,
)
from tests.helpers import html_of, text_of

CASES = json.loads((DATA / "cases.json").read_text())


def open_round(pair, run_jobs, outbox):
    """Send the round's real challenge emails (the rounds feature) as the threads' roots."""
    from service.mail.compose import new_message_id
    from service.rounds.dispatch import send_challenges

    pair.pairing.learner_thread_id = new_message_id()
    pair.pairing.giver_thread_id = new_message_id()
    db.session.commit()
    send_challenges(pair.pairing.round, None)
    db.session.commit()
    run_jobs()
    (learner_mail,) = outbox.to(pair.learner.email)
    (giver_mail,) = outbox.to(pair.giver.email)
    outbox.clear()
    return learner_mail, giver_mail


def relayed(outbox, address):
    return [m for m in outbox.to(address) if "via Turnabout" in str(m["From"])]


def subject(message) -> str:
    return " ".join(str(message["Subject"]).split())


def assert_private(message, *addresses):
    whole = message.as_string().lower()
    for address in addresses:
        assert address.lower() not in whole, f"{address} leaked into the relayed message"


def test_whole_exchange_in_both_threads(ctx, client, run_jobs, outbox):
    pair = create_pair(open_threads=False)
    learner_challenge, giver_challenge = open_round(pair, run_jobs, outbox)
    assert learner_challenge["Message-ID"] == pair.pairing.learner_thread_id
    assert giver_challenge["Reply-To"] == pair.giver_address

    # 1. The tip-giver replies to their challenge email (top-posted, challenge quoted).
    tip = (
        "Hi Margaret,\n\nAsk it for decisions, owners and deadlines, one page max.\n"
        "Then fix what it got wrong: that is the real skill.\n\nSam"
    )
    quoted = "\n".join("> " + line for line in text_of(giver_challenge).splitlines()[:8])
    giver_reply = reply_mime(
        sender=pair.giver.email,
        sender_name="Sam Okafor",
        to=str(giver_challenge["Reply-To"]),
        subject="Re: " + str(giver_challenge["Subject"]),
        in_reply_to=str(giver_challenge["Message-ID"]),
        text=f"{tip}\n\nOn Mon, 30 Nov 2026 at 09:02, Turnabout <hello@turnabout.test> wrote:\n"
        f"{quoted}\n",
    )
    assert (
        post_raw(client, giver_reply, to=pair.giver_address, sender=pair.giver.email).status_code
        == 200
    )
    run_jobs()

    # 2. The learner receives it in their own thread, from "Sam via Turnabout".
    (to_learner,) = relayed(outbox, pair.learner.email)
    assert str(to_learner["From"]) == "Sam via Turnabout <hello@turnabout.test>"
    assert to_learner["Reply-To"] == pair.learner_address
    assert to_learner["In-Reply-To"] == pair.pairing.learner_thread_id
    assert to_learner["References"].split() == [pair.pairing.learner_thread_id]
    assert subject(to_learner) == "Re: " + subject(learner_challenge)
    assert to_learner["Auto-Submitted"] is None  # a person wrote it
    assert to_learner["List-Unsubscribe"] is None
    body = text_of(to_learner)
    assert tip in body
    assert "wrote:" not in body and "> " not in body.split("--")[0]
    assert_private(to_learner, pair.giver.email, pair.giver_address)
    db.session.expire_all()
    assert pair.pairing.tip_received_at is not None
    giver_root = db.session.scalar(
        select(OutgoingEmail).where(OutgoingEmail.message_id == pair.pairing.giver_thread_id)
    )
    assert giver_root.last_event == "replied"

    # 3. The learner replies to the relayed message; the tip-giver gets it in theirs.
    learner_reply = reply_mime(
        sender=pair.learner.email,
        sender_name="Margaret Hale",
        to=str(to_learner["Reply-To"]),
        subject="Re: " + str(to_learner["Subject"]),
        in_reply_to=str(to_learner["Message-ID"]),
        text="It worked! The summary took two minutes.\n\n"
        f"On Mon, 30 Nov 2026, Sam via Turnabout <{pair.learner_address}> wrote:\n> {tip[:40]}\n",
    )
    post_raw(client, learner_reply, to=pair.learner_address, sender=pair.learner.email)
    run_jobs()
    (to_giver,) = relayed(outbox, pair.giver.email)
    assert str(to_giver["From"]) == "Margaret via Turnabout <hello@turnabout.test>"
    assert to_giver["Reply-To"] == pair.giver_address
    assert to_giver["In-Reply-To"] == pair.pairing.giver_thread_id
    assert to_giver["References"].split() == [pair.pairing.giver_thread_id]
    assert subject(to_giver) == "Re: " + subject(giver_challenge)
    assert text_of(to_giver).startswith("It worked! The summary took two minutes.")
    assert_private(to_giver, pair.learner.email, pair.learner_address)

    # Stored per thread with direction and delivery state.
    messages = list(db.session.scalars(select(ThreadMessage).order_by(ThreadMessage.id)))
    assert [m.direction for m in messages] == ["giver_to_learner", "learner_to_giver"]
    for message in messages:
        email = db.session.get(OutgoingEmail, message.outgoing_email_id)
        assert email.state == EmailState.SENT and email.pairing_id == pair.pairing.id
        assert message.inbound_id is not None and message.body


@pytest.mark.parametrize("name", sorted(CASES))
def test_real_client_replies_are_trimmed_and_relayed_in_thread(ctx, client, run_jobs, outbox, name):
    case = CASES[name]
    pair = create_pair()
    run_jobs()
    outbox.clear()
    author, partner = (
        (pair.giver, pair.learner) if case["author"] == "giver" else (pair.learner, pair.giver)
    )
    author_address = pair.giver_address if case["author"] == "giver" else pair.learner_address
    partner_root = (
        pair.pairing.learner_thread_id
        if case["author"] == "giver"
        else pair.pairing.giver_thread_id
    )
    raw = sample(
        name,
        FROM=author.email,
        TO=author_address,
        ROOT=getattr(pair.pairing, f"{case['author']}_thread_id"),
        MSGID=f"<{name}.{pair.pairing.id}@mail.example.org>",
    )
    assert post_raw(client, raw, to=author_address, sender=author.email).status_code == 200
    run_jobs()
    row = db.session.scalar(select(InboundMessage))
    assert row.outcome.startswith("relayed"), row.outcome
    (received,) = relayed(outbox, partner.email)
    assert received["In-Reply-To"] == partner_root
    text = text_of(received)
    relayed_text = text.split("\n\n[")[0].split("\n--\n")[0].strip()
    assert relayed_text == case["expected"]
    for filename in case["attachments"]:
        assert f"attached {filename}" in text and filename in html_of(received)
    html = html_of(received)
    assert "<script" not in html.lower()
    for url in re.findall(r"https?://\S+", case["expected"]):
        url = url.rstrip(").,")
        assert f'href="{url.replace("&", "&amp;")}"' in html
    assert_private(received, author.email, author_address)
    message = db.session.scalar(select(ThreadMessage))
    assert message.had_attachments == bool(case["attachments"])


def test_html_in_a_reply_is_escaped_and_links_kept(ctx, client, run_jobs, outbox):
    pair = create_pair()
    run_jobs()
    outbox.clear()
    text = (
        'Try <b>this</b> & <script>alert("x")</script> <img src=x onerror=alert(1)>\n'
        "Guide: https://example.org/guide?a=1&b=2.\n"
        "Not a link: javascript:alert(1)"
    )
    raw = reply_mime(sender=pair.giver.email, to=pair.giver_address, text=text)
    post_raw(client, raw, to=pair.giver_address, sender=pair.giver.email)
    run_jobs()
    (received,) = relayed(outbox, pair.learner.email)
    html = html_of(received)
    assert "<script" not in html and "<img" not in html and "<b>this" not in html
    assert "&lt;script&gt;" in html and "&lt;b&gt;this&lt;/b&gt; &amp;" in html
    assert '<a href="https://example.org/guide?a=1&amp;b=2"' in html
    assert 'href="javascript' not in html
    assert '<script>alert("x")</script>' in text_of(received)  # plain text stays as written


def test_the_authors_own_address_in_the_text_is_hidden(ctx, client, run_jobs, outbox):
    pair = create_pair()
    run_jobs()
    outbox.clear()
    text = f"My tip: use templates.\n\nSam Okafor | {pair.giver.email.upper()} | +44 20 7946 0000"
    raw = reply_mime(sender=pair.giver.email, to=pair.giver_address, text=text)
    post_raw(client, raw, to=pair.giver_address, sender=pair.giver.email)
    run_jobs()
    (received,) = relayed(outbox, pair.learner.email)
    assert "[address hidden]" in text_of(received)
    assert_private(received, pair.giver.email)


def test_relay_limit_per_pair_per_day(ctx, client, run_jobs, outbox):
    from service.settings import set_setting

    set_setting("relay_limit_per_day", 2)
    pair = create_pair()
    run_jobs()
    outbox.clear()
    for n in range(4):
        raw = reply_mime(sender=pair.giver.email, to=pair.giver_address, text=f"Message {n}")
        post_raw(client, raw, to=pair.giver_address, sender=pair.giver.email)
    run_jobs()
    assert len(relayed(outbox, pair.learner.email)) == 2
    outcomes = list(db.session.scalars(select(InboundMessage.outcome).order_by(InboundMessage.id)))
    assert outcomes[2:] == ["relay limit reached"] * 2
    notes = [m for m in outbox.to(pair.giver.email) if "not passed on" in str(m["Subject"])]
    assert len(notes) == 1  # one explanation a day, not one per message
    assert "limit" in text_of(notes[0])


def test_reply_without_sub_address_is_routed_by_references(ctx, client, run_jobs, outbox):
    """Some servers drop the +key; In-Reply-To still names our own message."""
    pair = create_pair()
    run_jobs()
    outbox.clear()
    raw = reply_mime(
        sender=pair.learner.email,
        to="reply@reply.turnabout.test",
        in_reply_to=pair.pairing.learner_thread_id,
        text="Found it by references.",
    )
    post_raw(client, raw, to="reply@reply.turnabout.test", sender=pair.learner.email)
    run_jobs()
    (received,) = relayed(outbox, pair.giver.email)
    assert "Found it by references." in text_of(received)


def test_upper_cased_reply_address_still_routes(ctx, client, run_jobs, outbox):
    pair = create_pair()
    run_jobs()
    outbox.clear()
    address = pair.giver_address.upper()
    raw = reply_mime(sender=pair.giver.email, to=address, text="Shouting servers.")
    post_raw(client, raw, to=address, sender=pair.giver.email)
    run_jobs()
    assert len(relayed(outbox, pair.learner.email)) == 1


def test_an_attachment_only_reply_is_relayed_with_the_note(ctx, client, run_jobs, outbox):
    from email.message import EmailMessage

    pair = create_pair()
    run_jobs()
    outbox.clear()
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = pair.giver.email, pair.giver_address, "Re: x"
    msg["Message-ID"] = "<attach-only@example.org>"
    msg.set_content("")
    msg.add_attachment(b"%PDF-1.4", maintype="application", subtype="pdf", filename="tips.pdf")
    post_raw(client, bytes(msg), to=pair.giver_address, sender=pair.giver.email)
    run_jobs()
    (received,) = relayed(outbox, pair.learner.email)
    assert "Sam attached tips.pdf" in text_of(received)


def test_counts_stay_when_bodies_are_erased_after_retention(ctx, client, run_jobs, outbox):
    import time_machine

    from service.inbound.retention import erase_expired
    from service.settings import set_setting

    set_setting("retention_days", 30)
    pair = create_pair()
    run_jobs()
    with time_machine.travel("2026-01-05 10:00 +0000"):
        old = reply_mime(sender=pair.giver.email, to=pair.giver_address, text="Old tip.")
        post_raw(client, old, to=pair.giver_address, sender=pair.giver.email)
        run_jobs()
    new = reply_mime(sender=pair.giver.email, to=pair.giver_address, text="New tip.")
    post_raw(client, new, to=pair.giver_address, sender=pair.giver.email)
    run_jobs()
    first, again = erase_expired(), erase_expired()
    assert (first["thread_messages"], first["inbound_messages"]) == (1, 1)
    assert set(again.values()) == {0}
    db.session.expire_all()
    rows = list(db.session.scalars(select(ThreadMessage).order_by(ThreadMessage.id)))
    assert [r.body for r in rows] == [None, "New tip."]
    assert rows[0].erased_at is not None and rows[0].direction == "giver_to_learner"
    raws = list(db.session.scalars(select(InboundMessage.raw).order_by(InboundMessage.id)))
    assert raws[0] is None and raws[1] is not None
    assert db.session.scalar(select(func.count(ThreadMessage.id))) == 2


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=st.text(max_size=400))
def test_any_text_a_person_writes_is_relayed_safely(ctx, client, text):
    """Whatever the owner writes ends in a recorded outcome; a relay renders, keeps the
    trimmed words in the text part and escapes them in the HTML part."""
    from service.inbound.groups import process_inbound
    from service.inbound.parse import parse_inbound
    from service.inbound.trim import trim_reply
    from service.mail.compose import compose
    from service.settings import set_setting

    set_setting("relay_limit_per_day", 200)
    db.session.commit()
    pair = create_pair(open_threads=False)
    raw = reply_mime(sender=pair.giver.email, to=pair.giver_address, text=text)
    post_raw(client, raw, to=pair.giver_address, sender=pair.giver.email)
    row = db.session.scalars(select(InboundMessage).order_by(InboundMessage.id.desc())).first()
    outcome = process_inbound(row.id)
    assert outcome in ("relayed giver_to_learner", "empty reply") or outcome.startswith(
        "command:"
    ), outcome
    if outcome.startswith("relayed"):
        message = db.session.scalar(select(ThreadMessage).where(ThreadMessage.inbound_id == row.id))
        rendered = compose(db.session.get(OutgoingEmail, message.outgoing_email_id))
        assert message.body == trim_reply(parse_inbound(row).text)
        assert "<script" not in rendered.html.lower().replace("&lt;script", "")


def test_nul_characters_never_reach_the_database(ctx, client, run_jobs, outbox):
    """PostgreSQL text cannot hold NUL; a reply that contains one is still relayed."""
    pair = create_pair()
    run_jobs()
    outbox.clear()
    raw = reply_mime(
        sender=pair.giver.email, to=pair.giver_address, subject="Re: tip\x00", text="Tip\x00 one"
    )
    post_raw(client, raw, to=pair.giver_address, sender=pair.giver.email)
    run_jobs()
    (received,) = relayed(outbox, pair.learner.email)
    assert "Tip one" in text_of(received)


def test_attachments_noted_forwarded_emails_too_but_not_signature_logos():
    from email import policy
    from email.message import EmailMessage
    from email.parser import BytesParser

    from service.inbound.bodies import attachment_names

    forwarded = EmailMessage()
    forwarded["Subject"] = "the slides"
    forwarded.set_content("inner")
    reply = EmailMessage()
    reply.set_content("See the forwarded mail.")
    reply.add_related(b"\x89PNG", maintype="image", subtype="png", cid="<logo@corp>")
    reply.make_mixed()
    reply.attach(forwarded_part := EmailMessage())
    forwarded_part.set_content(forwarded)
    reply.add_attachment(b"%PDF", maintype="application", subtype="pdf", filename="plan.pdf")
    parsed = BytesParser(policy=policy.default).parsebytes(bytes(reply))
    assert attachment_names(parsed) == ["a forwarded email", "plan.pdf"]


def test_reply_address_only_in_the_envelope_still_routes(ctx, client, run_jobs, outbox):
    """Bcc'd, or a client that rewrote To: the SMTP envelope (and Delivered-To) decide."""
    pair = create_pair()
    run_jobs()
    outbox.clear()
    raw = reply_mime(
        sender=pair.giver.email,
        to="Sam's notes <notes@example.org>",
        headers={"Delivered-To": pair.giver_address},
        text="Routed by the envelope.",
    )
    post_raw(client, raw, to=pair.giver_address, sender=pair.giver.email)
    run_jobs()
    (received,) = relayed(outbox, pair.learner.email)
    assert "Routed by the envelope." in text_of(received)
