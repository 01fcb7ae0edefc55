"""Whole profile and self-rating fields kept with slots (service/subscriptions/kept_fields.py):
the same markup as the macros make, for any form a page shows without errors, in each
language; kept only under offered choices, never with a typed or sent value."""

from __future__ import annotations

import pytest
from flask_babel import force_locale

from service.confidence.models import STEPS
from service.subscriptions.forms import active_themes
from service.subscriptions.kept_fields import kept_profile_fields, kept_self_rating_fields
from service.subscriptions.models import Role
from service.tokens import make_token
from tests.factories_subscriptions import create_subscriber, create_themes

FORMS = [
    {},
    {"name": "Ana", "role": "learner", "themes": ["tech-savvy"], "timezone": "UTC"},
    {
        "name": "Bö <b>&\"'",
        "role": "giver",
        "themes": ["tech-savvy", "life-work", "no-such-theme"],
        "timezone": "",
        "language": "de",
        "team": "R&D <x>",
        "about": None,
        "home_themes": ["life-work", "<gone>"],
        "confidence-life-work": "3",
        "confidence-tech-savvy": "9",
    },
    {"name": "", "role": "<b>mentor</b>", "themes": [], "language": "xx", "team": "", "about": ""},
    {"role": None, "language": "", "themes": ["life-work"], "home_themes": []},
]


def fields_module(app):
    return app.jinja_env.get_template("subscriptions/_fields.html").module


@pytest.mark.parametrize("language", ["en", "de"])
def test_kept_fields_are_the_macros_markup(app, ctx, language):
    create_themes()
    with app.test_request_context("/"), force_locale(language):
        fields, themes = fields_module(app), active_themes()
        for form in FORMS * 2:  # made, then kept
            for prefill in (False, True):
                made = fields.profile_fields(form, {}, themes, Role, prefill=prefill)
                assert (
                    kept_profile_fields(fields.profile_fields, form, {}, themes, Role, prefill)
                    == made
                )
            for open_ in (False, True):
                made = fields.self_rating_fields(form, {}, themes, STEPS, open=open_)
                kept = kept_self_rating_fields(
                    fields.self_rating_fields, form, {}, themes, STEPS, open_
                )
                assert kept == made
    assert app.extensions["kept_slotted_fields"], "the fields are kept"


def test_nothing_typed_or_sent_is_kept(app, ctx, client):
    create_themes()
    with app.test_request_context("/"):
        fields, themes = fields_module(app), active_themes()
        for form in FORMS:
            kept_profile_fields(fields.profile_fields, form, {}, themes, Role)
            kept_self_rating_fields(fields.self_rating_fields, form, {}, themes, STEPS)
    person = create_subscriber(name="Zephyrine", team="Team Zeta-9", about="Secret lead")
    assert client.get(f"/p/{make_token('preferences', person.id)}").status_code == 200
    kept = app.extensions["kept_slotted_fields"]
    text = repr(list(kept)) + "".join(made.head + repr(made.fill) for made in kept.values())
    for personal in ("Zephyrine", "Zeta", "Secret", "Ana", "mentor", "R&amp;D", "xx", "gone"):
        assert personal not in text


def test_a_form_with_errors_is_made_for_its_request(app, ctx):
    create_themes()
    with app.test_request_context("/"):
        fields, themes = fields_module(app), active_themes()
        errors = {"name": "Tell us your first name."}
        form = {"name": "", "role": "giver"}
        shown = kept_profile_fields(fields.profile_fields, form, errors, themes, Role)
        assert shown == fields.profile_fields(form, errors, themes, Role)
        assert 'aria-invalid="true"' in shown
    assert not app.extensions.get("kept_slotted_fields")
