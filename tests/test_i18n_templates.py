"""Templates compiled once per language (service/i18n/templates.py) render exactly what
Flask-Babel's translation at render time gives, in every language, for every page."""

from __future__ import annotations

import jinja2
import pytest
from flask import render_template_string
from flask_babel import force_locale
from markupsafe import Markup

from service import tokens
from service.extensions import db
from service.i18n.templates import CatalogueEnvironment, CompiledTrans
from service.tokens import make_token
from tests.factories_inbound import create_pair
from tests.factories_subscriptions import create_subscriber, create_themes

FOR_EMAIL = (
    "{% trans email=email %}For {{ email }}. This page opens from the link in any of our "
    "emails; keep that link to yourself.{% endtrans %}"
)
SNIPPET = (
    "{% trans %}Unsubscribe{% endtrans %}|{% trans %}Your preferences{% endtrans %}|"
    + FOR_EMAIL
    + "|{% trans count=n %}Your tip this week:{% pluralize %}Your tips this week:{% endtrans %}"
    + '|{% trans %}100%% yours{% endtrans %}|{{ _("Language") }}|{{ gettext("Themes") }}|'
    + "{% autoescape false %}"
    + FOR_EMAIL
    + "{% endautoescape %}|{{ current_language() }}"
)


def rendered_both_ways(app, language: str, template: str, **context) -> tuple[str, str]:
    """(compiled for the language, translated while rendering) of one template string."""
    with app.test_request_context("/"), force_locale(language):
        compiled = app.jinja_env.for_current_language().from_string(template)
        at_render = jinja2.Environment.from_string(app.jinja_env, template)  # the shared one
        return compiled.render(**context), at_render.render(**context)


@pytest.mark.parametrize("language", ["en", "de"])
def test_a_compiled_template_says_what_render_time_translation_says(app, language):
    for n in (1, 2):
        compiled, at_render = rendered_both_ways(app, language, SNIPPET, email="<a@b.c>", n=n)
        assert compiled == at_render
        assert "&lt;a@b.c&gt;" in compiled and "<a@b.c>" in compiled  # escaped, then not
    if language == "de":
        assert "Abmelden" in compiled and "Unsubscribe" not in compiled


def test_each_language_compiles_its_own_copy_once(app):
    env = app.jinja_env
    assert isinstance(env, CatalogueEnvironment)
    with app.test_request_context("/"):
        with force_locale("de"):
            german = env.for_current_language()
            assert env.for_current_language() is german
            template = env.get_template("subscriptions/unsubscribe.html")
            assert template.environment is german
            assert "gettext" not in german.compile(
                german.loader.get_source(german, "subscriptions/unsubscribe.html")[0], raw=True
            )  # every block of that page was translated when it compiled
        with force_locale("en"):
            assert env.for_current_language() is not german
    assert env.for_current_language() is env  # no app context: the shared environment


@pytest.fixture
def pages(app):
    """The signed-link pages of a German and an English subscriber."""
    with app.app_context():
        create_themes()
        paths = []
        for language in ("de", "en"):
            person = create_subscriber(language=language, role="learner")
            giver = create_subscriber(name="Jonas", role="giver", language=language)
            pair = create_pair(learner=person, giver=giver)
            paths += [
                f"/p/{make_token('preferences', person.id)}",
                f"/u/{make_token('unsubscribe', person.id)}",
                f"/c/{make_token('confirm', person.id)}",
                f"/a/{make_token('answer', [pair.pairing.id, person.id, 'outcome'])}?v=tried",
                f"/a/{make_token('answer', [pair.pairing.id, giver.id, 'share'])}",
            ]
        db.session.commit()
    return paths


def test_every_signed_link_page_is_the_same_as_translated_while_rendering(app, pages, monkeypatch):
    # Links made while rendering (the unsubscribe page's to the preferences) carry the
    # second they were signed in: the same second for both renderings.
    monkeypatch.setattr(tokens, "signing_time", lambda: 1_800_000_000)
    client = app.test_client(use_cookies=False)
    compiled = {path: client.get(path).get_data(as_text=True) for path in pages}
    monkeypatch.setattr(CatalogueEnvironment, "for_current_language", lambda env: env)
    for path in pages:
        assert client.get(path).get_data(as_text=True) == compiled[path], path
    assert any('lang="de"' in page for page in compiled.values())


def test_a_string_rendered_outside_a_template_file_still_translates(app):
    with app.test_request_context("/"), force_locale("de"):
        assert render_template_string("{% trans %}Unsubscribe{% endtrans %}") == "Abmelden"


class _Catalogue:
    """A catalogue with chosen translations, as a translator might write them."""

    def __init__(self, translations: dict):
        self.translations = translations

    def ugettext(self, text: str) -> str:
        return self.translations.get(text, text)


@pytest.mark.parametrize(
    "translation, interleaved",
    [
        ("A %(a)s B %(b)s", True),
        ("B %(b)s, then A %(a)s", True),  # reordered
        ("%(a)s is 100%% %(b)s%%", True),
        ("%(a)s %(a)s %(b)s", False),  # twice: formatted at render time
        ("only %(a)s", False),  # a value left out: formatted at render time
    ],
)
@pytest.mark.parametrize("autoescape", [True, False])
def test_values_are_written_into_a_translation_as_formatting_would(
    translation, interleaved, autoescape
):
    source = "{% trans a=a, b=b %}A {{ a }} B {{ b }}{% endtrans %}"
    env = jinja2.Environment(extensions=[CompiledTrans], autoescape=autoescape)
    env.catalogue = _Catalogue({"A %(a)s B %(b)s": translation})
    values = {"a": "<x>", "b": Markup("<i>ok</i>")}
    expected = (Markup(translation) if autoescape else translation) % values
    assert env.from_string(source).render(**values) == expected
    assert ("%(" not in env.compile(source, raw=True)) is interleaved


def test_a_broken_translation_still_fails_as_formatting_fails():
    env = jinja2.Environment(extensions=[CompiledTrans], autoescape=True)
    env.catalogue = _Catalogue({"A %(a)s": "A %(a)s and 5%"})
    with pytest.raises(ValueError):
        env.from_string("{% trans a=a %}A {{ a }}{% endtrans %}").render(a="x")


def test_a_language_copys_templates_get_the_globals_as_a_plain_dict(app):
    # Every render copies a template's globals into its context: a ChainMap cost ~50x more.
    with app.test_request_context("/"), force_locale("de"):
        template = app.jinja_env.get_template("subscriptions/unsubscribe.html")
        assert type(template.globals) is dict
        assert template.globals["url_for"] is app.jinja_env.globals["url_for"]
        assert template.globals["current_language"]() == "de"
