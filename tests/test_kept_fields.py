"""Form fields kept per process and language (service/subscriptions/kept_fields.py): the
same markup as made for each page, new words when an admin renames a theme, each
language its own, and nothing kept that came from a person."""

from __future__ import annotations

import re

from sqlalchemy import select

from service.confidence.models import ConfidenceRating
from service.extensions import db
from service.rounds.models import Theme
from service.tokens import make_token
from tests.factories_subscriptions import create_subscriber
from tests.helpers import csrf_token


def confidence_label(page: str, slug: str) -> str:
    return re.search(rf'<label for="confidence-{slug}">([^<]*)</label>', page).group(1)


def test_a_renamed_theme_shows_its_new_name_at_once(app, ctx, client):
    ana = create_subscriber(themes=("tech-savvy",))
    url = f"/p/{make_token('preferences', ana.id)}"
    assert confidence_label(client.get(url).get_data(as_text=True), "tech-savvy") == (
        "Tech-savvy prowess"
    )
    theme = db.session.scalar(select(Theme).where(Theme.slug == "tech-savvy"))
    theme.name = "Digital <confidence>"
    db.session.commit()  # a new content version (service.content_cache)
    page = client.get(url).get_data(as_text=True)
    assert confidence_label(page, "tech-savvy") == "Digital &lt;confidence&gt;"
    assert "Tech-savvy prowess" not in page


def test_each_language_keeps_its_own_words(app, ctx, client):
    pages = {}
    for language in ("en", "de", "en"):
        person = create_subscriber(language=language)
        url = f"/p/{make_token('preferences', person.id)}"
        pages[language] = client.get(url).get_data(as_text=True)
    assert "1 &ndash; I avoid it" in pages["en"] and "Ich mache" not in pages["en"]
    assert "1 &ndash; Ich mache einen Bogen darum" in pages["de"]
    assert "I avoid it" not in pages["de"]


def test_a_persons_values_pick_kept_fields_but_are_never_kept(app, ctx, client):
    ana = create_subscriber(themes=("tech-savvy", "life-work"), team="Team Ana-7")
    theme_id = db.session.scalar(select(Theme.id).where(Theme.slug == "life-work"))
    db.session.add(
        ConfidenceRating(subscriber_id=ana.id, theme_id=theme_id, value=4, source="signup")
    )
    db.session.commit()
    url = f"/p/{make_token('preferences', ana.id)}"
    page = client.get(url).get_data(as_text=True)
    assert '<option value="4" selected>' in page
    form = {
        "csrf_token": csrf_token(client, url),
        "name": "",  # refused: the page comes back with what was typed
        "role": "<b>mentor</b>",
        "themes": ["life-work"],
        "timezone": "UTC",
        "language": "xx-secret",
        "confidence-life-work": "3 secret",
        "confidence-tech-savvy": "2",
    }
    refused = client.post(url, data=form)
    assert refused.status_code == 400
    shown = refused.get_data(as_text=True)
    assert '<option value="2" selected>' in shown  # the typed step, from a kept field
    assert 'id="confidence-life-work" name="confidence-life-work" aria-invalid="true"' in shown
    kept = app.extensions["kept_fields"]
    assert kept, "the page's fields are kept"
    for key, choices in kept.items():
        assert set(choices) == {"", "1", "2", "3", "4", "5"}  # every step, whoever asked
        text = repr(key) + "".join(choices.values())
        for personal in ("secret", "mentor", "Ana", "Team Ana-7"):
            assert personal not in text
