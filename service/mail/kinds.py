"""Every kind of email the service sends is declared once, with its sending rules.

A feature declares its email with `@email(...)` on a function that returns only the template
context; calling the decorated function queues the email through the one shared path
(`queueing.queue_email`), which applies the skip rules and enqueues delivery. The declared
kinds are kept in catalog.py.
"""

from __future__ import annotations

import inspect
from functools import wraps

from service.mail.catalog import SAMPLES, EmailKind, register_kind
from service.mail.queueing import prepared_email, queue_email

# queue_email's sending options (key=, to=, subscriber_id=, thread_root=, queue=, ...):
# named once, in its signature; a declared email takes them by keyword.
SENDING = [
    p
    for p in inspect.signature(queue_email).parameters.values()
    if p.kind is p.KEYWORD_ONLY and p.name != "context"
]


def email(name: str, *, category: str, reason: str, sample: dict | None = None, **rules):
    """Declare an email: the decorated function builds its context from plain values.

    `sample` is a context with realistic values: every template is rendered with it in
    tests, so a template can never reference a variable its builder does not provide.

    The returned callable takes the builder's arguments plus queue_email's sending
    options, by keyword (key=..., to=..., subscriber_id=..., thread_root=..., ...); its
    signature says both, and a missing key= or an unknown keyword is a TypeError.
    """
    kind = register_kind(EmailKind(name=name, category=category, reason=reason, **rules))
    SAMPLES[name] = sample or {}

    def decorator(build_context):
        builds = inspect.signature(build_context)
        shared = set(builds.parameters) & {p.name for p in SENDING}
        if shared:
            raise TypeError(f"{name}: {sorted(shared)} are sending options of queue_email")
        signature = builds.replace(parameters=[*builds.parameters.values(), *SENDING])

        builder_names = frozenset(builds.parameters)
        known = builder_names | {p.name for p in SENDING}

        def split(args, keywords) -> tuple[dict, dict]:
            if not args and keywords.keys() <= known:  # all by keyword: no binding needed
                given = keywords  # a missing argument is still a TypeError, at the call
            else:
                given = signature.bind(*args, **keywords).arguments
            context = build_context(**{n: v for n, v in given.items() if n in builder_names})
            return context, {n: v for n, v in given.items() if n not in builder_names}

        @wraps(build_context)
        def send(*args, **keywords):
            context, options = split(args, keywords)
            return queue_email(kind, context=context, **options)

        def row(*args, **keywords) -> dict:
            """The same arguments: the row send() would write (queueing.prepared_email)."""
            context, options = split(args, keywords)
            return prepared_email(kind, context=context, **options)

        send.__signature__ = signature
        send.kind = kind
        send.build_context = build_context
        send.row = row
        return send

    return decorator
