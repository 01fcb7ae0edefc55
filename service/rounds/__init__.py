"""Feature package: see views.py (blueprint), models.py, and the domain modules."""

from flask import Flask


def init_app(app: Flask) -> None:
    from service.rounds.views import bp

    app.register_blueprint(bp)
