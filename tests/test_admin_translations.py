"""Translations in the console: the theme and challenge forms edit English and German side
by side, a half-filled language is refused with nothing stored, the preview switches
language, and the lists show what is missing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from service.admin.models import AuditEntry
from service.extensions import db
from service.rounds.content import seed_content
from service.rounds.models import Challenge, ChallengeTranslation, Theme, ThemeTranslation
from service.rounds.starter_content import CHALLENGES
from service.rounds.starter_content_de import CHALLENGES as CHALLENGES_DE
from tests.factories_admin import create_challenge, create_theme, signed_in_client
from tests.helpers import csrf_token

GERMAN = {
    "tr-de-title": "Besprechungsnotizen zusammenfassen",
    "tr-de-learner_task": "Lassen Sie einen **KI-Assistenten** Ihre Notizen zusammenfassen.",
    "tr-de-giver_prompt": "Welchen Prompt hätten Sie gern am ersten Tag gekannt?",
    "tr-de-starter_tip": "Beginnen Sie mit einem Absatz.",
    "tr-de-links": "Anleitung | https://example.org/de",
}


@pytest.fixture
def editor(app):
    client, _email = signed_in_client(app, role="editor")
    return client


def english(theme_id: int, **overrides) -> dict:
    return {
        "theme_id": str(theme_id),
        "title": "Turn meeting notes into a summary",
        "learner_task": "Ask an **AI assistant** to turn your notes into a summary.",
        "giver_prompt": "What is the one prompt you wish someone had shown you?",
        "starter_tip": "",
        "links": "",
        **overrides,
    }


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_new_challenge_is_saved_with_its_german_translation_and_audited(ctx, editor):
    theme = create_theme()
    db.session.commit()
    token = csrf_token(editor, "/admin/challenges/new")
    page = editor.get("/admin/challenges/new").get_data(as_text=True)
    assert 'name="tr-de-title"' in page and 'lang="de"' in page
    response = editor.post(
        "/admin/challenges/new", data={"csrf_token": token, **english(theme.id), **GERMAN}
    )
    assert response.status_code == 302
    challenge = db.session.scalar(select(Challenge))
    row = challenge.translations["de"]
    assert (challenge.language, row.title) == ("en", GERMAN["tr-de-title"])
    assert row.links == [{"title": "Anleitung", "url": "https://example.org/de"}]
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "challenge.create"))
    assert entry.after["translations"]["de"]["title"] == GERMAN["tr-de-title"]


@pytest.mark.parametrize(
    ("german", "field", "message"),
    [
        ({"tr-de-title": "Nur ein Titel"}, "tr-de-learner_task", "learner’s task in German"),
        ({**GERMAN, "tr-de-title": ""}, "tr-de-title", "German title too"),
        ({**GERMAN, "tr-de-links": "Seite | http://example.org"}, "tr-de-links", "https://"),
        ({**GERMAN, "tr-de-giver_prompt": "<b>fett</b>"}, "tr-de-giver_prompt", "HTML tags"),
    ],
)
def test_a_half_filled_or_broken_translation_stores_nothing(ctx, editor, german, field, message):
    theme = create_theme()
    db.session.commit()
    token = csrf_token(editor, "/admin/challenges/new")
    response = editor.post(
        "/admin/challenges/new", data={"csrf_token": token, **english(theme.id), **german}
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page and message in page
    assert (count(Challenge), count(ChallengeTranslation)) == (0, 0)


def test_editing_replaces_and_emptying_removes_a_translation(ctx, editor):
    challenge = create_challenge(title="Turn meeting notes into a summary")
    db.session.commit()
    path = f"/admin/challenges/{challenge.id}"
    token = csrf_token(editor, path)
    base = english(challenge.theme_id)
    assert editor.post(path, data={"csrf_token": token, **base, **GERMAN}).status_code == 302
    changed = {**GERMAN, "tr-de-title": "Notizen auf eine Seite bringen"}
    assert editor.post(path, data={"csrf_token": token, **base, **changed}).status_code == 302
    db.session.expire_all()
    assert challenge.translations["de"].title == "Notizen auf eine Seite bringen"
    page = editor.get(path).get_data(as_text=True)
    assert "Notizen auf eine Seite bringen" in page and 'badge-ok">translated' in page

    emptied = {key: "" for key in GERMAN}
    assert editor.post(path, data={"csrf_token": token, **base, **emptied}).status_code == 302
    db.session.expire_all()
    assert challenge.translations == {} and count(ChallengeTranslation) == 0
    listing = editor.get("/admin/challenges").get_data(as_text=True)
    assert "German missing" in listing and "1 missing a translation" in listing


def test_lists_show_complete_translations_after_the_seed(ctx, editor):
    seed_content()
    challenges = editor.get("/admin/challenges").get_data(as_text=True)
    assert "German missing" not in challenges and "missing a translation" not in challenges
    assert challenges.count('badge-ok">complete') == len(CHALLENGES)
    themes = editor.get("/admin/themes").get_data(as_text=True)
    assert "German missing" not in themes and themes.count('badge-ok">complete') == 6


def test_preview_switches_language_and_says_when_readers_get_a_fallback(ctx, editor):
    seed_content()
    first = select(Challenge).where(Challenge.title == CHALLENGES[0]["title"])
    challenge = db.session.scalar(first)
    token = csrf_token(editor, f"/admin/challenges/{challenge.id}")
    form = {
        "csrf_token": token,
        "challenge_id": str(challenge.id),
        **english(challenge.theme_id, title=challenge.title),
        "tr-de-title": CHALLENGES_DE[0]["title"],
        "tr-de-learner_task": CHALLENGES_DE[0]["learner_task"],
        "tr-de-giver_prompt": CHALLENGES_DE[0]["giver_prompt"],
    }
    german = editor.post("/admin/challenges/preview", data={**form, "preview_language": "de"})
    body = german.get_json()
    assert (body["language"], body["note"]) == ("de", None)
    assert CHALLENGES_DE[0]["title"] in body["emails"]["learner"]["subject"]
    assert "Wählen Sie ein Dokument" in body["emails"]["learner"]["html"]
    assert "Digital souverän" in body["emails"]["learner"]["text"]
    assert "Hallo Maria" in body["emails"]["learner"]["text"]  # the template in German too

    english_preview = editor.post(
        "/admin/challenges/preview", data={**form, "preview_language": "en"}
    ).get_json()
    assert english_preview["language"] == "en"
    assert challenge.title in english_preview["emails"]["learner"]["subject"]
    assert "Hello Maria" in english_preview["emails"]["learner"]["text"]

    untranslated = {**form, "tr-de-title": "", "tr-de-learner_task": "", "tr-de-giver_prompt": ""}
    fallback = editor.post(
        "/admin/challenges/preview", data={**untranslated, "preview_language": "de"}
    ).get_json()
    assert fallback["language"] == "de" and "No German translation yet" in fallback["note"]
    assert challenge.title in fallback["emails"]["learner"]["subject"]
    assert "Hallo Maria" in fallback["emails"]["learner"]["text"]  # German readers' email
    db.session.expire_all()
    assert challenge.translations["de"].title == CHALLENGES_DE[0]["title"]  # stored nothing


def test_theme_form_edits_the_german_translation_and_refuses_one_without_a_name(ctx, editor):
    theme = create_theme(name="Public speaking")
    db.session.commit()
    path = f"/admin/themes/{theme.id}"
    token = csrf_token(editor, path)
    base = {"csrf_token": token, "name": "Public speaking", "tagline": "Talks", "position": "1"}
    refused = editor.post(path, data={**base, "tr-de-tagline": "Vorträge halten"})
    assert refused.status_code == 400 and "German name too" in refused.get_data(as_text=True)
    assert count(ThemeTranslation) == 0
    saved = editor.post(
        path, data={**base, "tr-de-name": "Frei sprechen", "tr-de-tagline": "Vorträge halten"}
    )
    assert saved.status_code == 302
    db.session.expire_all()
    row = db.session.get(Theme, theme.id).translations["de"]
    assert (row.name, row.tagline, row.description) == ("Frei sprechen", "Vorträge halten", "")
    assert "Frei sprechen" in editor.get(path).get_data(as_text=True)
