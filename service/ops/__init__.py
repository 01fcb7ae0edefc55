"""Running it in production: a request id and a JSON log line per request (access.py; the
formatter and the id live a layer down, in service/logs.py, for the queues to use),
Prometheus metrics (metrics.py, gauges.py, views.py), the probes for load balancers
(health.py: /healthz, /readyz), a log line per job (joblog.py), `turnabout serve`
(serve.py) and `turnabout doctor` (doctor.py, doctor_checks.py); and two per-request
costs of Flask's paid once per process (flask_costs.py)."""

from flask import Flask


def init_app(app: Flask) -> None:
    # Here, not at the top: importing the package for its models must not load its views.
    from service.ops import access, flask_costs, health, views

    flask_costs.init_app(app)
    access.init_app(app)
    app.register_blueprint(views.bp)
    app.register_blueprint(health.bp)
