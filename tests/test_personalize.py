"""Rendering a group of emails once with tags must give every person exactly the email a
direct rendering gives them, for every kind; a template that does more with a personal
value than print it is caught and rendered per email."""

from __future__ import annotations

import html
import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from service.extensions import db
from service.mail.catalog import SAMPLES
from service.mail.compose import common_context, compose_many
from service.mail.models import OutgoingEmail
from service.mail.personalize import flatten, render_group, with_leaves
from service.mail.render import render_email, template_names
from service.settings import all_settings
from tests.helpers import email_row

TEMPLATES = Path(__file__).resolve().parent.parent / "email_templates"
# The kinds a weekly round sends in bulk: they must take the fast path.
ROUND_KINDS = ("challenge_learner", "challenge_giver", "challenge_unmatched", "nudge")


def variant(context: dict, n: int, shared: tuple = ("challenge", "tips")) -> dict:
    """The sample with every non-empty string changed the way real people's data differs:
    other names and links, HTML specials, quotes, non-ASCII, Markdown-looking text. What
    a round shares (the challenge, the tips) stays unless `shared` says otherwise."""
    changed = {
        path: f"{value}?n={n}&x=<y>"
        if str(path[-1]).endswith("url")
        else f"{value} <{n}> & 'Zoë' *{n}*"
        for path, value in flatten(context).items()
        if path[0] not in shared and isinstance(value, str) and value
    }
    return with_leaves(context, changed)


def row(kind_name: str, n: int, context: dict) -> OutgoingEmail:
    return email_row(
        kind_name,
        n,
        context,
        to_address=f"person{n}@example.org",
        to_name=f"Person {n} O'Hara" if n % 2 else "Zoë",
        from_name=None,
        reply_to=f"reply+key{n}@reply.turnabout.test",
    )


def same_html(a: str, b: str) -> bool:
    # The CSS inliner re-serialises entities (&#39; and ' are the same character).
    return html.unescape(a) == html.unescape(b)


@pytest.mark.parametrize("shared", [("challenge", "tips"), ()], ids=["round", "all-differ"])
@pytest.mark.parametrize("kind_name", template_names(str(TEMPLATES)))
def test_every_kind_renders_per_person_exactly_as_directly(ctx, time_machine, kind_name, shared):
    time_machine.move_to("2026-11-30 08:00", tick=False)  # the same signed links twice
    settings = all_settings()
    rows = [row(kind_name, n, variant(SAMPLES[kind_name], n, shared)) for n in range(1, 5)]
    messages = compose_many(rows)
    for r, message in zip(rows, messages, strict=True):
        assert not isinstance(message, Exception), message
        filled = message.expanded()
        direct = render_email(kind_name, {**common_context(r, settings), **r.context})
        assert filled.subject == direct.subject
        assert filled.text == direct.text
        assert same_html(filled.html, direct.html)
        assert filled.reply_to == r.reply_to
    if kind_name in ROUND_KINDS and shared:
        assert all(m.substitutions for m in messages), f"{kind_name} was rendered per email"
        assert len({m.html for m in messages}) == 1


def full(context: dict, recipient_name: str = "Ann") -> dict:
    """A context as compose() passes it: the kind's own values and the common ones."""
    common = {
        "programme_name": "Turnabout",
        "base_url": "https://turnabout.test",
        "reason": "You get this because you take part.",
        "recipient_name": recipient_name,
        "preferences_url": None,
        "unsubscribe_url": None,
    }
    return {**common, **context}


def test_names_are_escaped_and_differing_raw_html_is_rendered_per_email(ctx):
    sample = SAMPLES["challenge_unmatched"]
    contexts = [full(sample, recipient_name=f"<b>{n}") for n in (1, 2)]
    first, second = render_group("challenge_unmatched", contexts, [None, None])
    assert first.substitutions and second.substitutions
    assert "&lt;b&gt;1" in fill(first) and "<b>1" not in fill(first)
    # The tips are printed |safe: shared, they are rendered in; differing, they would
    # miss the CSS inliner, so the group is rendered per email.
    contexts = [full(variant(sample, n, shared=())) for n in (1, 2)]
    renditions = render_group("challenge_unmatched", contexts, [None, None])
    assert not any(r.substitutions for r in renditions)


def fill(rendition) -> str:
    from service.mail.message import fill_tags

    return fill_tags(rendition.html, rendition.substitutions)


@pytest.fixture
def shouting_templates(make_app, tmp_path):
    """A copy of the templates where the learner's email upper-cases the giver's name."""
    from service.mail.render import _environment

    copy = tmp_path / "email_templates"
    shutil.copytree(TEMPLATES, copy)
    subject = copy / "challenge_learner" / "subject.txt"
    subject.write_text(
        subject.read_text().replace("name=giver.first_name", "name=giver.first_name|upper")
    )
    assert "|upper" in subject.read_text()
    app = make_app(EMAIL_TEMPLATES_DIR=str(copy))
    with app.app_context():
        yield
    _environment.cache_clear()


def test_a_filter_on_a_personal_value_falls_back_to_rendering_per_email(shouting_templates):
    contexts = [full(variant(SAMPLES["challenge_learner"], n)) for n in (1, 2)]
    renditions = render_group("challenge_learner", contexts, [None, None])
    for context, rendition in zip(contexts, renditions, strict=True):
        assert not rendition.substitutions  # the probe caught |upper
        assert context["giver"]["first_name"].upper() in rendition.subject


def test_a_template_error_fails_only_that_kind(ctx):
    good = [row("challenge_learner", n, variant(SAMPLES["challenge_learner"], n)) for n in (1, 2)]
    broken = [row("challenge_giver", n, {"challenge": {}}) for n in (3, 4)]
    results = compose_many([good[0], broken[0], good[1], broken[1]])
    assert [isinstance(r, Exception) for r in results] == [False, True, False, True]


def sendgrid_fills_in(template: str, substitutions: dict[str, str]) -> str:
    """What SendGrid does with a personalization's substitutions: replace each tag."""
    for tag, value in substitutions.items():
        template = template.replace(tag, value)
    return template


def test_a_round_through_sendgrid_is_the_mail_a_direct_render_gives(
    make_app, httpserver, time_machine
):
    from email.utils import parseaddr

    from werkzeug import Response

    from service.mail.compose import compose
    from service.mail.delivery import deliver_emails
    from service.rounds.dispatch import send_round
    from tests.factories_rounds import create_subscriber, seed

    time_machine.move_to("2026-11-30 08:00", tick=False)  # the same signed links twice
    httpserver.expect_request("/v3/mail/send").respond_with_response(Response(status=202))
    app = make_app(
        MAIL_BACKEND="sendgrid",
        SENDGRID_API_KEY="SG.key",
        SENDGRID_API_HOST=httpserver.url_for("").rstrip("/"),
    )
    with app.app_context():
        seed()
        for i in range(5):
            create_subscriber(name=f"Ann O'Brien-{i}", team=f"l{i}", about=f"Sales <{i}> & more")
            create_subscriber(role="giver", name=f"Bo {i}", team=f"g{i}")
        db.session.commit()
        assert send_round("2026-W49").challenges.queued == 10
        rows = db.session.scalars(select(OutgoingEmail).order_by(OutgoingEmail.id)).all()
        direct = {row.message_id: compose(row) for row in rows}  # rendered one by one
        assert deliver_emails([row.id for row in rows])["sent"] == 10

    bodies = [json.loads(request.data) for request, _ in httpserver.log]
    assert len(bodies) == 2  # the learners' emails in one request, the tip-givers' in another
    for body in bodies:
        text, markup = (part["value"] for part in body["content"])
        for person in body["personalizations"]:
            substitutions = person["substitutions"]
            expected = direct[person["headers"]["Message-ID"]]
            assert person["subject"] == expected.subject
            assert sendgrid_fills_in(text, substitutions) == expected.text
            assert same_html(sendgrid_fills_in(markup, substitutions), expected.html)
            reply_to = sendgrid_fills_in(body["reply_to"]["email"], substitutions)
            assert reply_to == parseaddr(expected.reply_to)[1]
            assert person["headers"] == expected.all_headers()


def test_a_checked_template_serves_later_groups_of_the_same_kind_and_values(ctx, monkeypatch):
    """The inbound job hands over a group of relays every 25 replies: the template made
    and checked for the first group serves the next ones, each filled with its own values,
    but not a group whose rendered-in values or language differ."""
    from service.i18n import force_locale
    from service.mail import personalize

    monkeypatch.setattr(personalize, "_CHECKED", {})
    made = []
    template = personalize._Group._template
    monkeypatch.setattr(personalize._Group, "_template", lambda g: made.append(1) or template(g))
    sample = SAMPLES["challenge_unmatched"]

    def group(first: int, programme: str = "Turnabout") -> list:
        contexts = [
            {**full(sample, recipient_name=f"Ann {n}"), "programme_name": programme}
            for n in (first, first + 1)
        ]
        renditions = render_group("challenge_unmatched", contexts, [None, None])
        for context, rendition in zip(contexts, renditions, strict=True):
            assert rendition.substitutions
            direct = render_email("challenge_unmatched", context)
            assert same_html(fill(rendition), direct.html) and rendition.subject == direct.subject
        return renditions

    group(1)
    group(3)
    assert len(made) == 1
    group(5, programme="Another programme")
    with force_locale("de"):
        group(7)
    assert len(made) == 3


def test_no_template_with_someones_words_rendered_in_is_kept(ctx, monkeypatch):
    """Two relays of the same words ("Done!" from both sides) render those words into the
    group's template: it serves that group only and is never kept for the process, whose
    copies would outlive the words' retention."""
    from service.inbound.emails import linkified
    from service.mail import personalize
    from service.mail.catalog import KINDS

    monkeypatch.setattr(personalize, "_CHECKED", {})

    def relays(*bodies: str) -> None:
        contexts = [  # as the relay's builder makes them
            full({"author_name": name, "thread_subject": "This week", "body_text": body})
            | {"paragraphs": linkified(body), "left_out": []}
            for name, body in zip(("Ann", "Bo"), bodies, strict=True)
        ]
        renditions = render_group("relay", contexts, [None, None], KINDS["relay"].words)
        for context, rendition in zip(contexts, renditions, strict=True):
            assert rendition.substitutions  # rendered once for the group, names as tags
            assert same_html(fill(rendition), render_email("relay", context).html)

    relays("Done!", "Done!")
    relays("Done!", "Done!")
    assert personalize._CHECKED == {}
    relays("Done!", "Okay!")  # the words differ: each is a tag, and the template is kept
    assert len(personalize._CHECKED) == 1
