"""Replies by email: the inbound webhook, routing, commands, the relay, provider events."""

from flask import Flask


def init_app(app: Flask) -> None:
    # Imported here, not at the top: every `service.inbound.x` import runs this package
    # first, and the views pull in the whole feature (and rounds, subscriptions) with them.
    from service.inbound import emails  # noqa: F401  (declares the relay's email kinds)
    from service.inbound.views import bp

    app.register_blueprint(bp)
