"""The console's own email: a test copy of a challenge email, sent to the admin who asked."""

from __future__ import annotations

import re

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from markupsafe import escape

from service.mail.kinds import email

REASON = _l("You get this because you asked for a test of this challenge in the admin console.")

_SAMPLE_TEXT = """Hello Margaret,

This week's challenge: Turn your meeting notes into a one-page summary

Ask an AI assistant to turn the notes of your last meeting into a one-page summary,
then fix what it got wrong.

Your tip-giver this week is Sam, a product designer who lives in Figma.
Sam will reply in this thread with a tip. Reply to this email to write back.

How did it go? Tell us in one click:
I tried it: http://turnabout.test/a/tried
I need help: http://turnabout.test/a/help
"""

_SAMPLE_HTML = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8">'
    "<title>Turnabout</title></head>"
    '<body style="margin: 0;background: #f4f1ec;font-family: Helvetica, Arial, sans-serif;">'
    '<div style="max-width: 560px;margin: 0 auto;padding: 16px;">'
    '<div style="background: #ffffff;border-radius: 8px;padding: 20px;">'
    '<p style="margin: 0 0 12px 0;">Hello Margaret,</p>'
    '<p style="color: #5f6b76;">This week\'s challenge</p>'
    '<h1 style="font-size: 22px;">Turn your meeting notes into a one-page summary</h1>'
    '<p style="margin: 0 0 12px 0;">Ask an AI assistant to turn the notes of your last '
    "meeting into a one-page summary, then fix what it got wrong.</p>"
    '<p style="margin: 0 0 12px 0;">Your tip-giver this week is Sam, a product designer who '
    "lives in Figma. Sam will reply in this thread with a tip. Reply to this email to write "
    "back.</p>"
    '<p style="margin: 0 0 12px 0;">How did it go? Tell us in one click: '
    '<a href="http://turnabout.test/a/tried" style="color: #b4451f;">I tried it</a> · '
    '<a href="http://turnabout.test/a/help" style="color: #b4451f;">I need help</a></p>'
    "</div></div></body></html>"
)


def with_banner(html: str, audience: str) -> str:
    """Put a "this is a test" notice at the top of an email rendered by our own renderer."""
    notice = (
        gettext("Test of the tip-giver email: nobody else received it.")
        if audience == "giver"
        else gettext("Test of the learner email: nobody else received it.")
    )
    banner = (
        '<p style="margin: 0;padding: 10px 16px;background: #fdf0d5;color: #7a4b00;'
        'font-family: Helvetica, Arial, sans-serif;font-size: 14px;">'
        f"{escape(notice)} {escape(str(REASON))}</p>"
    )
    return re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + banner, html, count=1)


@email(
    "admin_preview",
    category="operations",
    reason=REASON,
    list_mail=False,
    suppression_exempt=True,  # the admin asked for it just now, at their own address
    sample={
        "audience": "learner",
        "subject": "This week: Turn your meeting notes into a one-page summary (with Sam)",
        "text": _SAMPLE_TEXT,
        "html": with_banner(_SAMPLE_HTML, "learner"),
    },
)
def admin_preview_email(audience: str, rendered) -> dict:
    """`rendered` is a RenderedEmail from rounds.email_preview.preview_challenge_emails()."""
    return {
        "audience": "tip-giver" if audience == "giver" else audience,
        "subject": rendered.subject,
        "text": rendered.text,
        "html": with_banner(rendered.html, audience),
    }
