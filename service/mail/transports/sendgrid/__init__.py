"""Everything that speaks SendGrid, side by side (as django-anymail keeps a provider's
backend and webhooks together):

- transport.py: sending, v3 mail/send with up to 1,000 personalizations a request, and
  the account check `turnabout doctor` runs (key scopes, a sandbox-mode send);
- event_webhook.py: the signed Event Webhook's signature and SendGrid's event fields;
- inbound_parse.py: the Inbound Parse form, which field holds what (and how its `dkim`
  field reads);
- posted_json.py: the JSON SendGrid posts, read defensively.

The inbound webhooks (service.inbound.views, storage, events, parse, trust) store and act
on what these modules read.
"""

from service.mail.transports.sendgrid.transport import SendGridTransport

__all__ = ["SendGridTransport"]
