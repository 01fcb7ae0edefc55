"""The admin console's live preview of a challenge: the real learner and tip-giver emails,
rendered for sample people through the same compose() path as real sends."""

from __future__ import annotations

from service.i18n import force_locale, programme_language
from service.mail.compose import compose
from service.mail.models import OutgoingEmail
from service.mail.render import RenderedEmail
from service.rounds.content import rendered_challenge
from service.rounds.email_samples import SAMPLE_ANSWERS, SAMPLE_URL
from service.rounds.emails import (
    challenge_giver_email,
    challenge_learner_email,
    partner,
)


def preview_challenge_emails(challenge, language: str | None = None) -> dict[str, RenderedEmail]:
    """The real learner and tip-giver emails of `challenge` (a Challenge, or the editor's
    dict, whose words are already in `language`), rendered for sample people through the
    same compose() path as real sends."""
    content = rendered_challenge(challenge, language, language)
    contexts = {
        "learner": (
            challenge_learner_email,
            challenge_learner_email.build_context(
                content,
                partner(
                    "Sam",
                    "Product designer, lives in Figma",
                    "you both chose this theme; different teams; 1 hour apart",
                ),
                SAMPLE_ANSWERS,
            ),
            "Maria",
        ),
        "giver": (
            challenge_giver_email,
            challenge_giver_email.build_context(
                content,
                partner(
                    "Maria",
                    "Head of marketing, 20 years in print",
                    "you both chose this theme; different teams; same timezone",
                ),
                SAMPLE_URL,
            ),
            "Sam",
        ),
    }
    out = {}
    for role, (declared, context, name) in contexts.items():
        row = OutgoingEmail(
            id=0,
            key=f"preview:{role}",
            kind=declared.kind.name,
            subscriber_id=None,
            to_address="preview@example.org",
            to_name=name,
            message_id="<preview@turnabout.invalid>",
            context=context,
        )
        with force_locale(language or programme_language()):
            message = compose(row)
        out[role] = RenderedEmail(subject=message.subject, text=message.text, html=message.html)
    return out
