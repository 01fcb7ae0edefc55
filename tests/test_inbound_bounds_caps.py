"""What one inbound message may cost is bounded (issue 10, section 2): the parser reads a
message cut to size, the stored original stays whole, the cut is noted, HTML becomes text
in one linear pass, and the partner gets at most 20 KB with a note that it was shortened."""

from __future__ import annotations

import json
import random

from hostile_inbound import (
    Addresses,
    content_type_parameters,
    deep_nesting,
    eight_bit_headers,
    many_recipients,
)
from sqlalchemy import select

from service.extensions import db
from service.inbound import bounds
from service.inbound.htmltext import html_to_text, tokens
from service.inbound.models import InboundMessage, InboundState
from service.rounds.models import ThreadMessage
from tests.factories_inbound import (
    create_pair,
    only_inbound_row,
    post_form,
    post_raw,
    quiet_pair,
    reply_mime,
)
from tests.helpers import text_of


def test_relayed_text_is_capped_with_a_note_and_the_original_kept(ctx, client, run_jobs, outbox):
    pair = quiet_pair(run_jobs, outbox)
    paragraph = "I tried the summary prompt on last week's notes and it worked well. " * 10
    text = "\n\n".join(f"{n}. {paragraph}" for n in range(60))  # about 42 KB, no quote
    raw = reply_mime(sender=pair.giver.email, to=pair.giver_address, text=text)
    post_raw(client, raw, to=pair.giver_address, sender=pair.giver.email)
    run_jobs()
    row = only_inbound_row()
    assert row.outcome == "relayed giver_to_learner" and row.raw == raw
    body = db.session.scalar(select(ThreadMessage.body))
    assert len(body) <= bounds.MAX_RELAYED_TEXT + len(bounds.SHORTENED_NOTE) + 2
    assert body.endswith(bounds.SHORTENED_NOTE) and body.startswith("0. I tried")
    [relayed] = outbox.to(pair.learner.email)
    assert "Turnabout shortened this message" in " ".join(text_of(relayed).split())


def test_parsed_mode_text_of_200_kb_is_not_relayed_in_full(ctx, client, run_jobs, outbox):
    pair = quiet_pair(run_jobs, outbox)
    text = ("A long line of text that goes on. " * 3 + "\n") * 2000  # ~200 KB
    fields = {
        "headers": f"From: {pair.giver.email}\nTo: {pair.giver_address}\nSubject: Re: tip\n",
        "text": text,
        "to": pair.giver_address,
        "from": pair.giver.email,
        "envelope": json.dumps({"to": [pair.giver_address], "from": pair.giver.email}),
        "SPF": "pass",
        "dkim": "{@example.org : pass}",
    }
    post_form(client, fields)
    run_jobs()
    assert only_inbound_row().outcome == "relayed giver_to_learner"
    body = db.session.scalar(select(ThreadMessage.body))
    assert len(body) < bounds.MAX_RELAYED_TEXT + 200


def test_oversized_headers_are_cut_before_parsing_and_the_cut_noted(ctx, client, run_jobs):
    pair = create_pair()
    where = Addresses([pair.giver_address], [pair.giver.email], "reply.turnabout.test")
    rng = random.Random(3)
    for n, family in enumerate((content_type_parameters, many_recipients, deep_nesting)):
        post = family(rng, n, where)  # n: a Message-ID of its own
        assert (
            client.post(
                f"/webhooks/inbound/{ctx.config['INBOUND_SECRET']}",
                data=post.body,
                content_type=post.content_type,
            ).status_code
            == 200
        )
    run_jobs()
    db.session.expire_all()
    rows = db.session.scalars(select(InboundMessage).order_by(InboundMessage.id)).all()
    assert len(rows) == 3 and InboundState.FAILED not in [r.state for r in rows]
    cuts = [" ".join(r.fields.get("cuts", [])) for r in rows]
    assert "content-type header over" in cuts[0]
    assert "to header over" in cuts[1]
    assert "multipart" in cuts[2]  # deep nesting: cut, not a RecursionError
    assert rows[0].size == len(rows[0].raw)  # the originals are stored whole


def test_a_thread_over_its_limit_reads_only_the_start_of_a_message(
    ctx, client, run_jobs, outbox, monkeypatch
):
    from service.inbound import actions

    pair = quiet_pair(run_jobs, outbox)
    monkeypatch.setattr(actions, "over_limit", lambda pairing_id: True)
    seen = []
    monkeypatch.setattr(actions, "trim_reply", lambda text: seen.append(len(text)) or text)
    text = "A reply of many lines.\n" * 5000
    raw = reply_mime(sender=pair.giver.email, to=pair.giver_address, text=text)
    post_raw(client, raw, to=pair.giver_address, sender=pair.giver.email)
    run_jobs()
    assert only_inbound_row().outcome == "relay limit reached"
    assert seen and max(seen) <= bounds.MAX_COMMAND_INPUT


def test_html_to_text_reads_mail_html_as_before():
    html = (
        "<html><head><style>p {color: red}</style><title>x</title></head><body>"
        "<p>Hello &amp; <b>welcome</b></p><p>a < b and c > d</p>"
        "<blockquote><p>quoted</p><blockquote>deeper</blockquote></blockquote>"
        '<a href="https://example.org/x">the guide</a><ul><li>one<li>two</ul>'
        '<!-- a comment --><img alt="logo" src="x.png"><br>end'
    )
    assert html_to_text(html).split("\n") == [
        "Hello & welcome",
        "",
        "a < b and c > d",
        "",
        "> quoted",
        ">",
        "> > deeper",
        "the guide (https://example.org/x)",
        "- one",
        "- two",
        "logo",
        "end",
    ]


def test_html_tokens_never_revisit_an_unfinished_tag():
    """The standard library's HTMLParser took 6 s on 82 KB of "<a<a<a...": each unfinished
    tag was scanned again from its start. The tokenizer moves forward only."""
    assert list(tokens("<p>hi</p>" + "<a" * 50_000)) == [
        ("start", "p", []),
        ("data", "hi"),
        ("end", "p"),
    ]
    assert list(tokens("x <3 y")) == [("data", "x <3 y")]


def test_eight_bit_header_bytes_are_stored_and_processed_not_a_server_error(ctx, client, run_jobs):
    """Raw Latin-1 or UTF-8 bytes in From / Message-ID: the parser keeps them as lone
    surrogates, which PostgreSQL cannot store (on main: 503 at the webhook, or a failed
    job when the address was looked up)."""
    pair = create_pair()
    where = Addresses([pair.giver_address], [pair.giver.email], "reply.turnabout.test")
    rng = random.Random(8)
    url = f"/webhooks/inbound/{ctx.config['INBOUND_SECRET']}"
    for n in range(12):
        post = eight_bit_headers(rng, n, where)
        response = client.post(url, data=post.body, content_type=post.content_type)
        assert response.status_code == 200, response.get_data(as_text=True)
    run_jobs()
    db.session.expire_all()
    states = [r.state for r in db.session.scalars(select(InboundMessage))]
    assert states and InboundState.FAILED not in states and InboundState.STORED not in states
