"""Turnabout: reverse mentoring by email.

create_app() reads like a table of contents: configuration, extensions, features, commands.
wsgi.py and the `turnabout` command (web, `turnabout worker`, cron) all build the app here.
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

from service import (
    admin,
    content_cache,
    i18n,
    inbound,
    mail,
    models,  # noqa: F401  (complete metadata before anything uses it)
    ops,
    rounds,
    subscriptions,
)
from service.autocommit import give_back
from service.cli import register_commands
from service.config import check_config, load_config
from service.database import skip_async_session_teardown, tune_sqlite
from service.extensions import (
    alembic,
    csrf,
    db,
    limiter,
    login_manager,
    skip_limiter_for_unlimited_routes,
)
from service.i18n.templates import CatalogueEnvironment
from service.links import private_pages
from service.logs import use_hash_key
from service.ops import flask_costs
from service.queues import install_session_hooks
from service.redis_conn import init_redis
from service.settings import get_setting


def create_app(config: dict | None = None) -> Flask:
    config = dict(config or {})
    instance = config.pop("INSTANCE_PATH", None) or os.environ.get("TURNABOUT_INSTANCE")
    app = Flask(__name__, instance_path=str(Path(instance or Path.cwd() / "instance").resolve()))
    app.jinja_environment = CatalogueEnvironment  # templates compiled once per language
    app.config.update(load_config(app.instance_path, config))
    check_config(app.config)
    use_hash_key(app.config["ADDRESS_HASH_KEYS"][0])  # addresses in logs: keyed hashes
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    if app.config["TRUSTED_PROXIES"]:
        # Behind a load balancer: take the client address and scheme from the proxy's
        # headers, so rate limits count real clients and not the proxy.
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    register_extensions(app)
    register_features(app)
    register_error_pages(app)
    register_commands(app)
    flask_costs.drop_repeated_context_processors(app)
    return app


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    skip_async_session_teardown(app)
    alembic.init_app(app)
    csrf.init_app(app)
    # Only the admin console signs people in: its blueprint runs Flask-Login's remember-
    # cookie hook and gives its templates current_user (service/admin/blueprint.py).
    # Registered for the whole app, they read the session (Vary: Cookie) and loaded the
    # user on every page of the site.
    login_manager.init_app(app, add_context_processor=False)
    app.after_request_funcs[None].remove(login_manager._update_remember_cookie)
    limiter.init_app(app)
    skip_limiter_for_unlimited_routes(app)
    init_redis(app)
    with app.app_context():
        install_session_hooks(db.sessionmaker)
        content_cache.install_session_hooks(db.sessionmaker)
        for engine in db.engines.values():
            tune_sqlite(engine)


def register_features(app: Flask) -> None:
    ops.init_app(app)  # first: its request id and timing wrap every other hook
    i18n.init_app(app)
    for feature in (mail, subscriptions, rounds, inbound, admin):
        feature.init_app(app)
    app.after_request(private_pages)
    app.teardown_request(give_back)  # the connection a signed link's page read on

    @app.context_processor
    def programme():
        return {"programme_name": get_setting("programme_name")}


def register_error_pages(app: Flask) -> None:
    from flask import render_template
    from flask_babel import lazy_gettext as _l

    pages = {
        400: (_l("That did not work"), _l("The request was not understood.")),
        403: (_l("Not allowed"), _l("You do not have access to this page.")),
        404: (_l("Page not found"), _l("This page does not exist, or the link was cut short.")),
        405: (_l("Not allowed"), _l("This page cannot be used that way.")),
        413: (_l("Too large"), _l("What you sent is larger than this service accepts.")),
        429: (
            _l("Slow down"),
            _l("Too many attempts in a short time. Please wait a minute and try again."),
        ),
        500: (
            _l("Something went wrong"),
            _l("The problem is on our side. Please try again later."),
        ),
    }

    def handler(error):
        code = getattr(error, "code", 500) or 500
        title, message = (str(text) for text in pages.get(code, pages[500]))
        description = getattr(error, "description", None)
        if code in (400, 403) and description and not description.startswith("The "):
            message = description  # our own aborts carry a sentence for the person
        # Keep headers the error carries (Retry-After on 429, Allow on 405).
        headers = {}
        if hasattr(error, "get_response"):
            original = error.get_response()
            headers = {k: v for k, v in original.headers.items() if k in ("Retry-After", "Allow")}
        return render_template("error.html", title=title, message=message), code, headers

    for code in pages:
        app.register_error_handler(code, handler)
