"""Admin console: login, content, schedule, rounds, subscribers, delivery health."""

from flask import Flask
from flask_babel import gettext

from service.admin.models import AdminUser
from service.admin.words import skip_reason, unauthenticated, word
from service.extensions import db, login_manager
from service.i18n.marker import N_
from service.rounds.explanations import explanation


def init_app(app: Flask) -> None:
    # Here, not at the top: importing the package for its models must not load its views.
    from service.admin import emails  # noqa: F401  (declares the admin_preview email)
    from service.admin.views import bp

    login_manager.login_view = "admin.login"
    login_manager.login_message = N_("Please sign in to open that page.")
    login_manager.localize_callback = gettext  # written in the language of the request
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def load_admin(session_id: str):
        """The session names "<id>:<session version>"; a cookie from before a sign-out
        or a password change names an older version and is refused."""
        user_id, _, version = session_id.partition(":")
        if not (user_id.isdigit() and version.isdigit()):
            return None
        user = db.session.get(AdminUser, int(user_id))
        return user if user is not None and user.session_version == int(version) else None

    # Stored English words and sentences, written in the reader's language when shown.
    app.jinja_env.filters.update(
        word=word,
        skip_reason=skip_reason,
        unauthenticated=unauthenticated,
        explained=explanation,
    )
    app.register_blueprint(bp)
