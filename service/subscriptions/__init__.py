"""Subscriptions: join, confirm, preferences, pause, unsubscribe."""

from flask import Flask


def init_app(app: Flask) -> None:
    from service.subscriptions.views import bp

    app.register_blueprint(bp)
