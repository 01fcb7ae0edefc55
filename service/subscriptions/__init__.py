"""Subscriptions: join, confirm, preferences, pause, unsubscribe."""

from flask import Flask


def init_app(app: Flask) -> None:
    from service.subscriptions import emails  # noqa: F401  (declares the email kinds)
    from service.subscriptions.ratelimit import DEFAULTS
    from service.subscriptions.views import bp

    for name, default in DEFAULTS.items():
        app.config.setdefault(name, default)
    app.register_blueprint(bp)
