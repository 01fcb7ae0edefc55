"""Mail: declare an email, queue it once, render it, hand it to a transport.

kinds.py       @email(...) declarations and their sending rules
delivery.py    queue_email() and the deliver_emails job (exactly once)
compose.py     row -> OutgoingMessage, with List-Unsubscribe and friends
render.py      the strict Jinja environment for email_templates/
message.py     the message as data, header checks
transports/    outbox, smtp, sendgrid
"""
