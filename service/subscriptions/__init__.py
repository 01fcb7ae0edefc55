"""Subscriptions: join, confirm, preferences, pause, unsubscribe."""

from flask import Flask


def init_app(app: Flask) -> None:
    # Here, not at the top: importing the package for its models must not load its views.
    from service.subscriptions import (  # noqa: F401  (importing them declares what they hold)
        confirm_views,  # routes on views.bp
        emails,  # the email kinds
        kept_fields,  # field_choices, a template global on views.bp
        preference_views,  # routes on views.bp
    )
    from service.subscriptions.ratelimit import DEFAULTS
    from service.subscriptions.views import bp

    for name, default in DEFAULTS.items():
        app.config.setdefault(name, default)
    app.register_blueprint(bp)
