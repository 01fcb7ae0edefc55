"""Flask extensions, created unbound; `create_app()` binds them with init_app()."""

from flask import current_app, request
from flask_alembic import Alembic
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_sqlalchemy_lite import SQLAlchemy

from service.csrf import LinkAwareCSRFProtect
from service.database import Model

db = SQLAlchemy()
alembic = Alembic(metadatas=Model.metadata, run_mkdir=False)
csrf = LinkAwareCSRFProtect()  # Flask-WTF's, see service/csrf.py
login_manager = LoginManager()
limiter = Limiter(key_func=get_remote_address)


def unlimited(view):
    """Exempt from rate limits (the webhooks: SendGrid posts bursts from few addresses).
    As @limiter.exempt, and the limiter's before-request hook lets the route go at once:
    for an exempt route it still resolved every limit before finding none, 7.7% of a
    webhook worker's time under load (py-spy, bench/bench_inbound.py)."""
    view.unlimited = True
    return limiter.exempt(view)


@limiter.request_filter
def _unlimited_route() -> bool:
    return getattr(current_app.view_functions.get(request.endpoint), "unlimited", False)
