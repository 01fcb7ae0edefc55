"""Every email kind and every subscriber page in German, with no English left over; the
German emails pass SpamAssassin like the English ones."""

from __future__ import annotations

import re
import shutil
from email import policy
from email.parser import BytesParser

import pytest
from english_leftovers import english_leftovers, visible_text
from test_email_templates import SPAM_LIMIT, spam_scores

from service.extensions import db
from service.mail.catalog import KINDS, SAMPLES
from service.mail.compose import compose
from service.settings import set_setting
from service.tokens import make_token
from tests.factories_inbound import create_pair
from tests.factories_subscriptions import create_subscriber, create_themes
from tests.helpers import csrf_token, email_row, require

# Context values that are content, not ours to translate (names, challenge and tip text,
# what a person wrote, the sample's own English dates); the explanation, the unmatched
# reason and the confidence words are translated when the email is rendered.
TRANSLATED_KEYS = {"explanation", "reason_text", "words"}


def _strings(value, key=None):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, k)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _strings(v, key)
    elif isinstance(value, str) and key not in TRANSLATED_KEYS:
        yield value


@pytest.fixture
def german_samples(ctx):
    """(kind, parsed message, raw bytes) for every kind, composed for a German reader."""
    set_setting("default_language", "de")  # sample rows name no subscriber row
    db.session.commit()
    result = []
    for n, name in enumerate(sorted(KINDS), start=1):
        row = email_row(name, n, SAMPLES[name], subscriber_id=None)
        raw = bytes(compose(row).to_email_message())
        result.append((name, BytesParser(policy=policy.default).parsebytes(raw), raw))
    return result


def test_every_email_kind_is_german_through_and_through(german_samples):
    problems = {}
    for name, message, _raw in german_samples:
        text = message.get_body(("plain",)).get_content()
        markup = message.get_body(("html",)).get_content()
        seen = f"{message['Subject']}\n{text}\n{visible_text(markup)}"
        left = english_leftovers(seen, [*_strings(SAMPLES[name]), "Margaret", "Priya"])
        if left:
            problems[name] = left
    assert not problems, f"English left in German emails: {problems}"
    assert re.search(r"Hallo|Guten Tag", seen)


def test_german_emails_pass_spamassassin(german_samples, tmp_path):
    require(shutil.which("spamassassin") is not None, "spamassassin is not installed")
    scores = dict(
        zip(
            [s[0] for s in german_samples],
            spam_scores([s[2] for s in german_samples], tmp_path),
            strict=True,
        )
    )
    too_high = {name: s for name, s in scores.items() if s[0] > SPAM_LIMIT}
    assert not too_high, f"SpamAssassin score above {SPAM_LIMIT}: {too_high}"


def test_the_leftover_check_finds_english(ctx):
    """The check itself: an untranslated sentence and stray English words are caught."""
    assert english_leftovers("Hallo, please confirm your subscription", [])
    assert english_leftovers("Danke. Your themes: Technik", [])
    assert not english_leftovers("Hallo Margaret, Ihre Einstellungen für Turnabout", ["Margaret"])


# ------------------------------------------------------------------ pages


def _check_page(response, not_ours=()) -> None:
    assert response.headers["Content-Type"].startswith("text/html")
    page = response.get_data(as_text=True)
    assert '<html lang="de">' in page
    left = english_leftovers(visible_text(page), [*not_ours, *THEME_TEXT])
    assert not left, f"{response.request.path}: English left: {left}"


THEME_TEXT: list[str] = []  # theme names and descriptions: content (service.rounds)


@pytest.fixture
def german(app):
    """A German subscriber with a pair this week; theme content is left out of the check."""
    with app.app_context():
        for theme in create_themes():
            THEME_TEXT.extend([theme.name, theme.tagline or "", theme.description or ""])
        person = create_subscriber(
            name="Margarete", email="margarete@example.org", language="de", role="learner"
        )
        giver = create_subscriber(name="Jonas", role="giver", language="de")
        pair = create_pair(learner=person, giver=giver)
        title = pair.pairing.round.challenge.title
        tokens = {
            purpose: make_token(purpose, person.id)
            for purpose in ("preferences", "unsubscribe", "confirm")
        }
        answer = make_token("answer", [pair.pairing.id, person.id, "outcome"])
        db.session.commit()
    return {"tokens": tokens, "answer": answer, "not_ours": ["Margarete", title, "Jonas"]}


def test_public_pages_follow_the_browser_in_german(client, german):
    headers = {"Accept-Language": "de-DE,de;q=0.9,en;q=0.5"}
    landing = client.get("/", headers=headers)
    _check_page(landing)
    assert '<option value="de" lang="de" selected>Deutsch</option>' in landing.get_data(True)
    form = {
        "csrf_token": csrf_token(client, "/"),
        "email": "neu@example.org",
        "name": "Neu",
        "role": "learner",
        "themes": "tech-savvy",
        "timezone": "Europe/Berlin",
        "language": "de",
    }
    _check_page(client.post("/subscribe", data=form, headers=headers), ["Neu"])
    refused = client.post("/subscribe", data={**form, "email": "nope"}, headers=headers)
    assert refused.status_code == 400
    _check_page(refused, ["Neu", "nope"])
    _check_page(client.get("/nowhere", headers=headers))
    _check_page(client.get("/p/not-a-token", headers=headers))


def test_signed_link_pages_are_in_the_subscribers_language(client, german):
    tokens, not_ours = german["tokens"], german["not_ours"]
    english_browser = {"Accept-Language": "en"}  # the person's own language wins
    signed = ("preferences", "p"), ("unsubscribe", "u"), ("confirm", "c")
    for path in (f"/{prefix}/{tokens[purpose]}" for purpose, prefix in signed):
        _check_page(client.get(path, headers=english_browser), not_ours)
    answer = f"/a/{german['answer']}?v=tried"
    _check_page(client.get(answer, headers=english_browser), not_ours)
    done = client.post(answer, data={"csrf_token": csrf_token(client, answer), "value": "tried"})
    _check_page(done, not_ours)
    prefs = f"/p/{tokens['preferences']}"
    paused = client.post(
        f"{prefs}/pause", data={"csrf_token": csrf_token(client, prefs), "pause": "2"}
    )
    _check_page(client.get(paused.headers["Location"]), not_ours)
    left = client.post(f"{prefs}/leave", data={"csrf_token": csrf_token(client, prefs)})
    _check_page(left, not_ours)
    deleted = client.post(
        f"{prefs}/delete", data={"csrf_token": csrf_token(client, prefs), "confirm": "delete"}
    )
    _check_page(deleted, not_ours)
    _check_page(client.get(prefs), not_ours)  # "this subscription no longer exists"


def test_the_confirmation_page_of_a_pending_person_is_german(client, german):
    with client.application.app_context():
        pending = create_subscriber(
            name="Greta", email="greta@example.org", language="de", status="pending"
        )
        token = make_token("confirm", pending.id)
    page = client.get(f"/c/{token}", headers={"Accept-Language": "en"})
    assert "<form" in page.get_data(True)  # the confirm button
    _check_page(page, ["Greta"])


def test_the_preference_centre_changes_the_language(client, german):
    prefs = f"/p/{german['tokens']['preferences']}"
    page = client.get(prefs).get_data(True)
    assert '<option value="de" lang="de" selected>Deutsch</option>' in page
    form = {
        "csrf_token": csrf_token(client, prefs),
        "name": "Margarete",
        "role": "learner",
        "themes": "tech-savvy",
        "timezone": "Europe/Berlin",
        "language": "en",
    }
    client.post(prefs, data=form)
    assert '<html lang="en">' in client.get(prefs).get_data(True)
    refused = client.post(prefs, data={**form, "language": "xx"})
    assert refused.status_code == 400
