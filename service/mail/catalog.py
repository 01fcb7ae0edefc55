"""The catalogue of email kinds: each kind's sending rules, by template folder name, and a
sample context for the template tests and the admin previews.

Kinds are added by the `@email(...)` declarations (kinds.py); the sending core (compose,
rules, words, delivery) reads them here, so it never imports the declaring side.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class EmailKind:
    name: str  # the folder under email_templates/
    category: str  # SendGrid category and our stats bucket
    reason: str  # footer: why the person gets this email
    list_mail: bool = True  # newsletter-like: List-Unsubscribe, List-ID, suppression applies
    auto_submitted: bool = True  # False for mail a person wrote (relayed replies)
    # Sent even to a suppressed or unsubscribed address: only the one confirmation that
    # an unsubscribe worked, and the double opt-in mail a person just asked for.
    suppression_exempt: bool = False
    # Context keys that hold what a person wrote (a relayed reply, a comment, shared tips):
    # blanked once the email is sent or given up (service.mail.words).
    words: tuple[str, ...] = ()
    # Rewrites English a feature stored in the context (e.g. a pair explanation) for the
    # language being rendered; called by service.mail.compose inside force_locale.
    localize: Callable[[dict], dict] | None = None


KINDS: dict[str, EmailKind] = {}


def register_kind(kind: EmailKind) -> EmailKind:
    KINDS[kind.name] = kind
    return kind


# kind name -> sample context, used by the template tests and the admin previews.
SAMPLES: dict[str, dict] = {}
