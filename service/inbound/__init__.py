"""Replies by email: the inbound webhook, routing, commands, the relay, provider events."""

from flask import Flask


def init_app(app: Flask) -> None:
    from service.inbound import emails  # noqa: F401  (declares the relay's email kinds)
    from service.inbound.views import bp

    app.register_blueprint(bp)
