"""Web parts of the mail system: the development outbox viewer."""

from flask import Flask


def init_app(app: Flask) -> None:
    if not app.config["PRODUCTION"] and app.config["MAIL_BACKEND"] == "outbox":
        from service.mail.outbox_viewer import bp

        app.register_blueprint(bp)
