"""The console's own email: a test copy of a challenge email, sent to the admin who asked."""

from service.mail.kinds import email


@email(
    "admin_preview",
    category="operations",
    reason="You get this because you asked for a test of this challenge in the admin console.",
    list_mail=False,
    suppression_exempt=True,  # the admin asked for it just now, at their own address
    sample={
        "audience": "learner",
        "subject": "This week: turn your meeting notes into a one-page summary",
        "text": "Hello Ana,\n\nThis week's challenge: ask an AI assistant to summarise...\n",
        "html": "<!doctype html><html><body><p>Hello Ana,</p><p>This week's challenge</p>"
        "</body></html>",
    },
)
def admin_preview_email(audience: str, rendered) -> dict:
    """`rendered` is a RenderedEmail from rounds.emails.preview_challenge_emails()."""
    return {
        "audience": audience,
        "subject": rendered.subject,
        "text": rendered.text,
        "html": rendered.html,
    }
