"""Web parts of the mail system: the development outbox viewer."""

from flask import Flask


def init_app(app: Flask) -> None:
    from service.mail import emails  # noqa: F401  (declares the mail system's own emails)

    if not app.config["PRODUCTION"] and app.config["MAIL_BACKEND"] == "outbox":
        from service.mail.outbox_viewer import bp

        app.register_blueprint(bp)
