"""Admin console: login, content, schedule, rounds, subscribers, delivery health."""

from flask import Flask


def init_app(app: Flask) -> None:
    from service.admin import emails  # noqa: F401  (declares the admin_preview email)
    from service.admin.models import AdminUser
    from service.admin.views import bp
    from service.extensions import db, login_manager

    login_manager.login_view = "admin.login"
    login_manager.login_message = "Please sign in to open that page."
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def load_admin(user_id: str):
        return db.session.get(AdminUser, int(user_id)) if user_id.isdigit() else None

    app.register_blueprint(bp)
