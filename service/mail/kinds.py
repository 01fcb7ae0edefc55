"""Every kind of email the service sends is declared once, with its sending rules.

A feature declares its email with `@email(...)` on a function that returns only the template
context; calling the decorated function queues the email through the one shared path
(`queueing.queue_email`), which applies the skip rules and enqueues delivery. The declared
kinds are kept in catalog.py.
"""

from __future__ import annotations

from functools import wraps

from service.mail.catalog import SAMPLES, EmailKind, register_kind
from service.mail.queueing import queue_email
from service.queues import MAIL


def email(name: str, *, category: str, reason: str, sample: dict | None = None, **rules):
    """Declare an email: the decorated function builds its context from plain values.

    `sample` is a context with realistic values: every template is rendered with it in
    tests, so a template can never reference a variable its builder does not provide.

    The returned callable takes the same arguments plus the sending options of
    `queue_email`, by keyword: key=..., to=..., subscriber_id=..., thread_root=..., ...
    """
    kind = register_kind(EmailKind(name=name, category=category, reason=reason, **rules))
    SAMPLES[name] = sample or {}

    def decorator(build_context):
        @wraps(build_context)
        def send(
            *args,
            key: str,
            to: str | None = None,
            to_name: str | None = None,
            subscriber_id: int | None = None,
            from_name: str | None = None,
            reply_to: str | None = None,
            message_id: str | None = None,
            thread_root: str | None = None,
            pairing_id: int | None = None,
            queue: str = MAIL,
            **context_options,
        ):
            return queue_email(
                kind,
                key=key,
                context=build_context(*args, **context_options),
                to=to,
                to_name=to_name,
                subscriber_id=subscriber_id,
                from_name=from_name,
                reply_to=reply_to,
                message_id=message_id,
                thread_root=thread_root,
                pairing_id=pairing_id,
                queue=queue,
            )

        send.kind = kind
        send.build_context = build_context
        return send

    return decorator
