"""Every kind of email the service sends is declared once, with its sending rules.

A feature declares its email with `@email(...)` on a function that returns only the template
context; calling the decorated function queues the email through the one shared path
(`service.mail.delivery.queue_email`), which applies the skip rules and enqueues delivery.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps


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


def email(name: str, *, category: str, reason: str, sample: dict | None = None, **rules):
    """Declare an email: the decorated function builds its context from plain values.

    `sample` is a context with realistic values: every template is rendered with it in
    tests, so a template can never reference a variable its builder does not provide.

    The returned callable takes the same arguments plus the sending options of
    `queue_email` (key=..., to=..., subscriber_id=..., thread_root=..., ...).
    """
    kind = register_kind(EmailKind(name=name, category=category, reason=reason, **rules))
    SAMPLES[name] = sample or {}

    def decorator(build_context):
        @wraps(build_context)
        def queue(*args, key: str, **options):
            from service.mail.delivery import QUEUE_OPTIONS, queue_email

            send_options = {k: options.pop(k) for k in list(options) if k in QUEUE_OPTIONS}
            context = build_context(*args, **options)
            return queue_email(kind, key=key, context=context, **send_options)

        queue.kind = kind
        queue.build_context = build_context
        return queue

    return decorator
