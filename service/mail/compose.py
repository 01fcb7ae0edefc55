"""Turn a stored OutgoingEmail row into an OutgoingMessage: render, add hygiene headers.

Newsletter hygiene (List-Unsubscribe, List-ID, Auto-Submitted) lives here, in one place,
not in templates or features.
"""

from __future__ import annotations

import secrets
from email.utils import formataddr, parseaddr

from flask import current_app

from service.database import utcnow
from service.links import external_url
from service.mail.kinds import KINDS
from service.mail.message import OutgoingMessage, check_header
from service.mail.models import OutgoingEmail
from service.mail.render import render_email
from service.settings import all_settings
from service.tokens import make_token, short_signature


def mail_domain() -> str:
    return parseaddr(current_app.config["MAIL_FROM"])[1].rsplit("@", 1)[-1]


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
    address = parseaddr(current_app.config["MAIL_FROM"])[1]
    name = settings["sender_name"]
    if from_name:  # relayed mail: "Ana via Turnabout" from our own domain (DMARC-safe)
        name = f"{from_name} via {settings['sender_name']}"
    return formataddr((check_header("From name", name), address))


def common_context(row: OutgoingEmail, settings: dict) -> dict:
    kind = KINDS[row.kind]
    context = {
        "programme_name": settings["programme_name"],
        "base_url": current_app.config["BASE_URL"],
        "reason": kind.reason,
        "recipient_name": row.to_name or "",
        "preferences_url": None,
        "unsubscribe_url": None,
    }
    if row.subscriber_id is not None:
        context.update(subscriber_links(row.subscriber_id))
    return context


def compose(row: OutgoingEmail, settings: dict | None = None) -> OutgoingMessage:
    settings = settings or all_settings()
    kind = KINDS[row.kind]
    context = {**common_context(row, settings), **row.context}
    rendered = render_email(row.kind, context)
    headers = {}
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
        from_=sender(row.from_name, settings),
        subject=rendered.subject,
        text=rendered.text,
        html=rendered.html,
        message_id=row.message_id,
        reply_to=row.reply_to,
        in_reply_to=row.in_reply_to,
        references=row.reference_list,
        headers=headers,
        category=kind.category,
        ref=row.id,
    )
