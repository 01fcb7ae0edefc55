"""Running it in production: request ids and JSON logs (logs.py, access.py), Prometheus
metrics (metrics.py, gauges.py, views.py), job logs (joblog.py) and `turnabout doctor`."""

from flask import Flask


def init_app(app: Flask) -> None:
    from service.ops import access, views

    access.init_app(app)
    app.register_blueprint(views.bp)
