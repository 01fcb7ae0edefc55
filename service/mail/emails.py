"""Emails that belong to the mail system itself."""

from flask import current_app
from flask_babel import lazy_gettext as _l

from service.mail.kinds import email


@email(
    "mail_check",
    category="operations",
    reason=_l(
        "You get this because an operator of this service asked to send a test message here."
    ),
    list_mail=False,
    suppression_exempt=True,
    sample={"backend": "outbox"},
)
def mail_check() -> dict:
    return {"backend": current_app.config["MAIL_BACKEND"]}
