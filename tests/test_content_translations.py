"""Theme and challenge translations: the seed stores the German starter library, a reader
gets their language, then the programme's default, then the text as written, and the
console can list what is missing."""

from __future__ import annotations

from sqlalchemy import func, select

from service.extensions import db
from service.rounds import starter_content as en
from service.rounds import starter_content_de as de
from service.rounds.content import rendered_challenge, seed_content
from service.rounds.models import Challenge, ChallengeTranslation, Theme, ThemeTranslation
from service.rounds.starter_translations import starter_libraries
from service.rounds.translations import challenge_text, missing_languages, theme_text


def challenge_titled(title: str) -> Challenge:
    return db.session.scalar(select(Challenge).where(Challenge.title == title))


def test_the_german_library_is_found_without_being_named_in_code():
    assert starter_libraries() == {"de": de}


def test_seed_stores_a_german_translation_for_every_theme_and_challenge(ctx):
    result = seed_content()
    assert (result.themes_added, result.challenges_added) == (len(en.THEMES), len(en.CHALLENGES))
    assert result.translations_added == len(de.THEMES) + len(de.CHALLENGES)
    for theme in db.session.scalars(select(Theme)):
        assert missing_languages(theme, ("en", "de")) == []
    for challenge in db.session.scalars(select(Challenge)):
        assert missing_languages(challenge, ("en", "de")) == []
    german = {c["source_title"]: c for c in de.CHALLENGES}
    for challenge in db.session.scalars(select(Challenge)):
        row = challenge.translations["de"]
        expected = german[challenge.title]
        assert (row.title, row.learner_task, row.links) == (
            expected["title"],
            expected["learner_task"],
            expected["links"],
        )


def test_seed_again_changes_nothing_and_restores_an_edited_starter_translation(ctx):
    seed_content()
    row = db.session.get(ThemeTranslation, (1, "de"))
    row.name = "Verändert"
    db.session.commit()
    again = seed_content()
    assert (again.translations_added, again.translations_updated) == (0, 1)
    assert db.session.get(ThemeTranslation, (1, "de")).name == de.THEMES[0]["name"]
    assert seed_content().translations_updated == 0
    assert db.session.scalar(select(func.count()).select_from(ChallengeTranslation)) == 30


def test_reader_gets_their_language_then_the_default_then_the_original(ctx):
    seed_content()
    challenge = challenge_titled(en.CHALLENGES[0]["title"])
    german_title = de.CHALLENGES[0]["title"]
    assert challenge_text(challenge, "de", "en").title == german_title
    assert challenge_text(challenge, "en", "de").title == challenge.title
    # A language nobody translated into: the programme's default, here German.
    assert challenge_text(challenge, "fr", "de").title == german_title
    assert challenge_text(challenge, "fr", "de").language == "de"
    # No German words for this challenge: the German reader gets it as written.
    del challenge.translations["de"]
    db.session.commit()
    db.session.expire_all()
    challenge = challenge_titled(en.CHALLENGES[0]["title"])
    text = challenge_text(challenge, "de", "de")
    assert (text.language, text.title) == ("en", challenge.title)
    assert missing_languages(challenge, ("en", "de")) == ["de"]
    assert theme_text(challenge.theme, "de", "en").name == de.THEMES[0]["name"]


def test_rendered_challenge_in_german_names_the_german_theme(ctx):
    seed_content()
    challenge = challenge_titled(en.CHALLENGES[0]["title"])
    content = rendered_challenge(challenge, "de", "en")
    assert content["theme"] == "Digital souverän"
    assert content["title"] == de.CHALLENGES[0]["title"]
    assert "Wählen Sie ein Dokument" in content["task_html"]
    assert rendered_challenge(challenge)["title"] == challenge.title


def test_a_challenge_written_in_german_needs_an_english_translation(ctx):
    seed_content()
    theme = db.session.scalar(select(Theme).where(Theme.slug == "life-work"))
    challenge = Challenge(
        theme_id=theme.id,
        title="Mittagspause wirklich machen",
        learner_task="Machen Sie diese Woche jeden Tag eine echte Mittagspause.",
        giver_prompt="Wie schützen Sie Ihre Pause?",
        language="de",
    )
    db.session.add(challenge)
    db.session.commit()
    assert missing_languages(challenge, ("en", "de")) == ["en"]
    assert challenge_text(challenge, "en", "en").title == "Mittagspause wirklich machen"


def test_deleting_a_challenge_deletes_its_translations(ctx):
    seed_content()
    challenge = challenge_titled(en.CHALLENGES[1]["title"])
    challenge_id = challenge.id
    db.session.delete(challenge)
    db.session.commit()
    left = select(func.count()).where(ChallengeTranslation.challenge_id == challenge_id)
    assert db.session.scalar(left) == 0


def test_a_learner_without_a_partner_gets_the_starter_tip_in_their_language(ctx):
    from service.rounds.tips import shared_tips

    seed_content()
    challenge = challenge_titled(en.CHALLENGES[0]["title"])
    german = shared_tips(challenge, None, "de", "en")
    assert [tip["tip_id"] for tip in german] == [None]
    assert "Geben Sie dem Assistenten" in german[0]["html"]
    english = shared_tips(challenge)
    assert "Give the assistant a role" in english[0]["html"]


def test_themes_on_offer_are_worded_in_the_pages_language(app, ctx):
    from service.subscriptions.forms import active_themes

    seed_content()
    with app.test_request_context("/?lang=de"):
        german = active_themes()  # the page's language
        english = active_themes("en")
    assert [t.name for t in german] == [t["name"] for t in de.THEMES]
    assert [t.name for t in english] == [t["name"] for t in en.THEMES]
    assert [t.slug for t in german] == [t.slug for t in english]
    # An admin's edit of a translation shows at once (the cache watches translations).
    db.session.get(ThemeTranslation, (1, "de")).name = "Digital sicher"
    db.session.commit()
    with app.test_request_context("/"):
        assert active_themes("de")[0].name == "Digital sicher"


def test_the_csv_import_knows_the_translated_theme_names(ctx):
    from service.admin.people_csv import _theme_lookup

    seed_content()
    lookup = _theme_lookup()
    assert lookup["digital souverän"] == lookup["tech-savvy prowess"] == "tech-savvy"
    assert lookup["vielfalt und inklusion"] == "diversity-inclusion"
