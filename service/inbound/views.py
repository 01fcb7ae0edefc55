"""Webhooks: SendGrid Inbound Parse (replies) and the Event Webhook (delivery events).

Both are thin: check who is calling, store, answer. Processing happens in jobs.
"""

from __future__ import annotations

import hmac
import logging

from flask import Blueprint, abort, current_app, request
from werkzeug.exceptions import RequestEntityTooLarge

from service.extensions import csrf, db, unlimited
from service.inbound.events import EventMalformed, receive_events
from service.inbound.storage import read_form, store
from service.mail.transports.sendgrid.event_webhook import EventRejected

log = logging.getLogger(__name__)

bp = Blueprint("inbound", __name__)


@bp.post("/webhooks/inbound/<secret>")
@csrf.exempt
@unlimited
def inbound_webhook(secret: str):
    expected = current_app.config["INBOUND_SECRET"] or ""
    if not expected or not hmac.compare_digest(secret.encode(), expected.encode()):
        abort(404)
    max_bytes = current_app.config["MAX_INBOUND_BYTES"]
    try:
        form = read_form(request, max_bytes)
    except RequestEntityTooLarge:
        raise
    except Exception:  # a broken upload: nothing to store, and a retry would not help
        log.warning("unreadable inbound POST", exc_info=True)
        return "unreadable request\n", 400
    try:
        _, outcome = store(form, max_bytes)
    except RequestEntityTooLarge:
        raise
    except Exception:
        db.session.rollback()
        log.exception("could not store an inbound message; SendGrid will retry")
        return "could not store the message, please retry\n", 503
    if outcome == "empty":
        return "no message in this request\n", 400
    return f"{outcome}\n", 200


@bp.post("/webhooks/sendgrid/events")
@csrf.exempt
@unlimited
def sendgrid_events():
    try:
        count = receive_events(request.get_data(cache=False), request.headers)
    except EventRejected as exc:
        return f"{exc}\n", 403
    except EventMalformed as exc:
        return f"{exc}\n", 400
    return f"{count} new events\n", 200
