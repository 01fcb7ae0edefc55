"""Turn a stored OutgoingEmail row into an OutgoingMessage: render, add hygiene headers.

Newsletter hygiene (List-Unsubscribe, List-ID, Auto-Submitted) lives here, in one place,
not in templates or features.
"""

from __future__ import annotations

import secrets
from email.utils import formataddr, parseaddr
from functools import lru_cache

from flask import current_app
from flask_babel import gettext
from sqlalchemy import select

from service.database import inline_ids, utcnow
from service.extensions import db
from service.i18n import (
    current_language,
    force_locale,
    programme_language,
    stand_ins,
    supported_languages,
)
from service.links import external_url
from service.mail.catalog import KINDS
from service.mail.message import OutgoingMessage, check_header
from service.mail.models import OutgoingEmail
from service.mail.personalize import Rendition, render_group
from service.settings import all_settings
from service.subscriptions.models import Subscriber
from service.tokens import make_token, short_signature


def mail_domain() -> str:
    return _address_of(current_app.config["MAIL_FROM"]).rsplit("@", 1)[-1]


@lru_cache(maxsize=8)
def _address_of(value: str) -> str:
    return parseaddr(value)[1]


def new_message_id() -> str:
    """`<UTC-timestamp.random@domain>`: sorts by creation time, never repeats."""
    stamp = utcnow().strftime("%Y%m%d%H%M%S%f")
    return f"<{stamp}.{secrets.token_hex(6)}@{mail_domain()}>"


def reply_address(key: str) -> str:
    return f"reply+{key}@{current_app.config['INBOUND_DOMAIN']}"


def unsubscribe_mailto(subscriber_id: int) -> str:
    sid = str(subscriber_id)
    local = f"unsubscribe+{sid}.{short_signature(sid, 'unsubscribe-mailto')}"
    return f"mailto:{local}@{current_app.config['INBOUND_DOMAIN']}?subject=unsubscribe"


def subscriber_links(subscriber_id: int) -> dict:
    return {
        "preferences_url": external_url(
            "subscriptions.preferences", token=make_token("preferences", subscriber_id)
        ),
        "unsubscribe_url": external_url(
            "subscriptions.unsubscribe", token=make_token("unsubscribe", subscriber_id)
        ),
    }


def sender(from_name: str | None, settings: dict) -> str:
    address = _address_of(current_app.config["MAIL_FROM"])
    name = settings["sender_name"]
    if from_name:  # relayed mail: "Ana via Turnabout" from our own domain (DMARC-safe)
        # Translators: the From name of a relayed message; the name, then the programme's.
        name = gettext(
            "%(name)s via %(programme)s",
            name=stand_ins.written(from_name),
            programme=settings["sender_name"],
        )
    return formataddr((check_header("From name", name), address))


def common_context(row: OutgoingEmail, settings: dict) -> dict:
    kind = KINDS[row.kind]
    context = {
        "programme_name": settings["programme_name"],
        "base_url": current_app.config["BASE_URL"],
        "reason": str(kind.reason),  # a lazy string: in the language being rendered
        "recipient_name": row.to_name or "",
        "preferences_url": None,
        "unsubscribe_url": None,
    }
    if row.subscriber_id is not None:
        context.update(subscriber_links(row.subscriber_id))
    return context


def compose(row: OutgoingEmail, settings: dict | None = None) -> OutgoingMessage:
    (result,) = compose_many([row], settings)
    if isinstance(result, Exception):
        raise result
    return result


def compose_many(
    rows: list[OutgoingEmail], settings: dict | None = None, languages: dict | None = None
) -> list[OutgoingMessage | Exception]:
    """Messages for `rows`, in order; a row that cannot be composed gets the exception in
    its place. Rows of one kind and one language are rendered together
    (service.mail.personalize), each in its recipient's language (`languages` by
    subscriber id, if the caller read them already)."""
    settings = settings or all_settings()
    results: list[OutgoingMessage | Exception | None] = [None] * len(rows)
    if languages is None:
        languages = subscriber_languages(row.subscriber_id for row in rows)
    # A row without a subscriber (a test mail, an admin's preview) is in the language of
    # the moment: the programme's default in a worker, or the one a caller forced.
    offered, default = supported_languages(), programme_language(settings)
    current = current_language() if any(r.subscriber_id is None for r in rows) else default
    groups: dict[tuple[str, str], list[int]] = {}
    for index, row in enumerate(rows):
        language = languages.get(row.subscriber_id) if row.subscriber_id else current
        language = language if language in offered else default
        groups.setdefault((row.kind, language), []).append(index)
    senders: dict[tuple[str | None, str], str] = {}
    for (kind, language), indexes in groups.items():
        with force_locale(language):
            items = _contexts(rows, indexes, settings, results)
            contexts, reply_tos = [c for _, c in items], [rows[i].reply_to for i, _ in items]
            renditions = render_group(kind, contexts, reply_tos, KINDS[kind].words)
        for (index, context), rendition in zip(items, renditions, strict=True):
            if isinstance(rendition, Exception):
                results[index] = rendition
                continue
            row = rows[index]
            try:
                key = (row.from_name, language)
                if key not in senders:
                    with force_locale(language):  # "Ana via Turnabout" in the reader's words
                        senders[key] = sender(row.from_name, settings)
                results[index] = _message(row, context, rendition, senders[key], settings, language)
            except Exception as exc:  # a header that fails validation: this row only
                results[index] = exc
    return results


def _contexts(rows, indexes, settings, results) -> list[tuple[int, dict]]:
    items = []
    for index in indexes:
        row = rows[index]
        localize = KINDS[row.kind].localize
        try:
            context = stand_ins.with_stand_ins_written(
                {**common_context(row, settings), **row.context}
            )
            items.append((index, localize(context) if localize else context))
        except Exception as exc:  # e.g. a token that cannot be signed: this row only
            results[index] = exc
    return items


def subscriber_languages(subscriber_ids) -> dict[int, str]:
    ids = sorted({i for i in subscriber_ids if i is not None})
    if not ids:
        return {}
    query = select(Subscriber.id, Subscriber.language).where(Subscriber.id.in_(inline_ids(ids)))
    return dict(db.session.execute(query).all())


def _message(
    row: OutgoingEmail,
    context: dict,
    rendition: Rendition,
    from_: str,
    settings: dict,
    language: str,
) -> OutgoingMessage:
    kind = KINDS[row.kind]
    # The language it is written in (RFC 3282): screen readers, spam filters and the
    # recipient's client (a translate offer, spell-checking a reply) read it.
    headers = {"Content-Language": language}
    if kind.auto_submitted:
        headers["Auto-Submitted"] = "auto-generated"
    if kind.list_mail and row.subscriber_id is not None:
        headers["List-Unsubscribe"] = (
            f"<{context['unsubscribe_url']}>, <{unsubscribe_mailto(row.subscriber_id)}>"
        )
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        headers["List-ID"] = f"{settings['programme_name']} <weekly.{mail_domain()}>"
    return OutgoingMessage(
        to=formataddr((row.to_name or "", row.to_address)),
        from_=from_,
        subject=row.subject or rendition.subject,  # rendered once (service.mail.subjects)
        text=rendition.text,
        html=rendition.html,
        message_id=row.message_id,
        reply_to=rendition.reply_to,
        in_reply_to=row.in_reply_to,
        references=row.reference_list,
        headers=headers,
        category=kind.category,
        ref=row.id,
        substitutions=rendition.substitutions,
    )
