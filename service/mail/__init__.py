"""Mail: declare an email, queue it once, render it, hand it to a transport.

kinds.py       the @email(...) decorator features declare their emails with
catalog.py     every declared kind and its sending rules, read by the sending core
queueing.py    queue_email() and email_row(), the one builder of outgoing_emails rows
bulk.py        queue_many(): a round's many drafts with set-based inserts
delivery.py    the deliver_emails job (exactly once), sweep_stalled
ready.py       deliver_soon(): a committed row's delivery without an rq job of its own
rules.py       skip rules (unsubscribed, suppressed) with their reasons
compose.py     row -> OutgoingMessage, with List-Unsubscribe and friends
subjects.py    each subject stored once; what a thread's later emails quote
render.py      the strict Jinja environment for email_templates/
message.py     the message as data, header checks
transports/    outbox, smtp, sendgrid/ (everything SendGrid-specific)
emails.py      the mail system's own email (mail_check)
outbox_viewer.py  /dev/outbox, the development outbox in a browser
"""

from flask import Flask


def init_app(app: Flask) -> None:
    # Here, not at the top: importing the package for its models must not load its views.
    from service.mail import emails  # noqa: F401  (declares the mail system's own emails)

    if not app.config["PRODUCTION"] and app.config["MAIL_BACKEND"] == "outbox":
        from service.mail.outbox_viewer import bp  # development only: never loaded in production

        app.register_blueprint(bp)
