"""Emails rendered together (service.mail.personalize) give each person what a direct
rendering gives them, even when a template branches on a per-person value: two relayed
replies keep their links, and a comparison falls back to rendering per email."""

from __future__ import annotations

import html

import pytest
from test_personalize import full

from service.extensions import db
from service.inbound.emails import relay_email
from service.mail.catalog import SAMPLES
from service.mail.delivery import deliver_emails
from service.mail.message import fill_tags
from service.mail.personalize import render_group
from service.mail.render import render_email
from tests.factories_inbound import create_subscriber
from tests.helpers import html_of


def test_two_relayed_replies_rendered_together_keep_their_links(ctx, outbox):
    # Same number of segments, a link where the other has text: one group on today's main.
    texts = {
        "a": "Read https://a.example/one then try it",
        "b": "https://b.example/two is good https://b.example/three",
    }
    rows = {}
    for name, text in texts.items():
        person = create_subscriber(name=f"Person {name}")
        rows[name] = relay_email(
            "Sam", "Re: this week", text, [], key=f"relay-{name}", subscriber_id=person.id
        )
    db.session.commit()
    assert deliver_emails([row.id for row in rows.values()])["sent"] == 2
    for name, urls in (
        ("a", ["https://a.example/one"]),
        ("b", ["https://b.example/two", "https://b.example/three"]),
    ):
        (message,) = outbox.to(rows[name].to_address)
        body = html_of(message)
        for url in urls:
            assert f'<a href="{url}"' in body, (name, url)


@pytest.mark.parametrize(
    ("kind", "key", "values"),
    [
        ("welcome", "role", ("giver", "learner")),
        ("recap_giver", "outcome", ("tried", "help")),
        ("not_relayed", "problem", ("not_owner", "closed")),
    ],
)
def test_a_template_comparing_a_personal_value_is_rendered_per_email(ctx, kind, key, values):
    contexts = [
        full({**SAMPLES[kind], key: value}, recipient_name=f"Ann {n}")
        for n, value in enumerate(values)
    ]
    for context, rendition in zip(
        contexts, render_group(kind, contexts, [None, None]), strict=True
    ):
        direct = render_email(kind, context)
        assert fill_tags(rendition.text, rendition.substitutions) == direct.text
        got = html.unescape(fill_tags(rendition.html, rendition.substitutions))
        assert got == html.unescape(direct.html)
