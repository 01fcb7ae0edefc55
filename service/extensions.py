"""Flask extensions, created unbound; `create_app()` binds them with init_app()."""

from flask import request
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
    As @limiter.exempt, and the limiter's before-request hook is not run for the route
    (skip_limiter_for_unlimited_routes): for an exempt route it still resolved every limit
    and evaluated none, 7.7% of a webhook worker's time under load (py-spy)."""
    view.unlimited = True
    return limiter.exempt(view)


def skip_limiter_for_unlimited_routes(app) -> None:
    """After limiter.init_app(app): its before-request hook, wrapped to let @unlimited
    routes go at once."""
    hooks = app.before_request_funcs.get(None, [])
    if limiter._check_request_limit not in hooks:  # RATELIMIT_ENABLED off: no hook at all
        return
    index = hooks.index(limiter._check_request_limit)
    check = hooks[index]

    def check_unless_unlimited():
        if getattr(app.view_functions.get(request.endpoint), "unlimited", False):
            return None
        return check()

    hooks[index] = check_unless_unlimited
