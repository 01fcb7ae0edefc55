"""The challenge editor's live preview and "send me a test": the real learner and
tip-giver emails of the form as typed, in the language chosen beside the preview.

A language with no translation in the form shows what its readers would get: the
emails in their language around the words of the fallback (the programme's default
language, then the text as written), with a note saying so."""

from __future__ import annotations

import secrets

from flask import flash, jsonify, request
from flask_babel import gettext
from flask_login import current_user

from service.admin.audit import record
from service.admin.blueprint import bp, editors_allowed
from service.admin.challenges import read_challenge_form, render_challenge_form
from service.admin.emails import admin_preview_email
from service.admin.forms import challenge_form
from service.admin.translations import (
    challenge_translations_form,
    default_language,
    language_label,
    offered_languages,
)
from service.extensions import db
from service.rounds.email_preview import preview_challenge_emails
from service.rounds.models import Challenge

FIELDS = ("theme_id", "title", "learner_task", "giver_prompt", "starter_tip", "links")


def preview_language(form, base_language: str) -> str:
    wanted = form.get("preview_language") or base_language
    return wanted if wanted in offered_languages() else base_language


def _choose_words(form, base_language: str, base: dict) -> tuple[dict, str | None, dict]:
    """(fields, note for the admin, errors): the words readers of the preview's language
    get, which may be another language's (the note says so)."""
    wanted = preview_language(form, base_language)
    if wanted == base_language:
        return base, None, {}
    fallback = default_language()
    asked = [code for code in dict.fromkeys((wanted, fallback)) if code != base_language]
    translations, errors = challenge_translations_form(form, asked)
    for code in asked:
        if translations[code] is not None:
            note = None if code == wanted else _fallback_note(wanted, code)
            return translations[code], note, errors
    return base, _fallback_note(wanted, base_language), errors


def _fallback_note(wanted: str, shown: str) -> str:
    return gettext(
        "No %(wanted)s translation yet: its readers get the %(shown)s text shown here.",
        wanted=language_label(wanted),
        shown=language_label(shown),
    )


def preview_input(form) -> tuple[dict | None, dict, str, str | None]:
    """(content to render, errors, the preview's language, note): the form as typed,
    even when a field is still empty."""
    challenge_id = form.get("challenge_id", type=int)
    challenge = db.session.get(Challenge, challenge_id) if challenge_id else None
    base_language = challenge.language if challenge else default_language()
    data, errors = challenge_form(form, challenge_id=challenge_id)
    if "theme_id" in errors:
        return None, errors, base_language, None
    words, note, more_errors = _choose_words(form, base_language, data)
    content = {key: words.get(key, data[key]) for key in FIELDS} | {"theme_id": data["theme_id"]}
    content["title"] = content["title"] or gettext("(no title yet)")
    return content, errors | more_errors, preview_language(form, base_language), note


@bp.post("/challenges/preview")
@editors_allowed
def challenge_preview():
    """The learner and tip-giver emails exactly as they would be sent, as JSON.
    POST only because it carries the form (and its CSRF token); it stores nothing."""

    content, errors, language, note = preview_input(request.form)
    if content is None:
        return jsonify(errors=errors, emails=None), 422
    emails = preview_challenge_emails(content, language)
    return jsonify(
        errors=errors,
        language=language,
        note=note,
        emails={
            audience: {"subject": e.subject, "text": e.text, "html": e.html}
            for audience, e in emails.items()
        },
    )


@bp.post("/challenges/test")
@editors_allowed
def challenge_test():
    """Send the learner and tip-giver emails, as currently typed and in the language chosen
    for the preview, to the admin's own address."""

    challenge_id = request.form.get("challenge_id", type=int)
    challenge = db.session.get(Challenge, challenge_id) if challenge_id else None
    data, translations, errors = read_challenge_form(challenge)
    if errors:
        flash(gettext("Fix the fields marked below, then send the test again."), "error")
        return render_challenge_form(challenge, data, errors, 400, translations)
    content, _errors, language, _note = preview_input(request.form)
    batch = secrets.token_hex(6)
    for audience, rendered in preview_challenge_emails(content, language).items():
        admin_preview_email(
            audience,
            rendered,
            key=f"admin-preview:{current_user.id}:{batch}:{audience}",
            to=current_user.email,
        )
    record(
        "challenge.test_send",
        "challenge",
        challenge_id,
        detail=f"test emails ({language}) sent to {current_user.email}",
    )
    db.session.commit()
    flash(
        gettext(
            "Test emails (learner and tip-giver, %(language)s) are on their way to "
            "%(email)s. Your changes are not saved yet.",
            language=language_label(language),
            email=current_user.email,
        ),
        "success",
    )
    return render_challenge_form(challenge, data, {}, 200, translations)
