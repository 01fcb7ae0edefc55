import pytest

from service import create_app
from service.config import ConfigError


def test_production_refuses_default_secret_key(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError) as excinfo:
        create_app(
            {
                "INSTANCE_PATH": str(tmp_path),
                "TURNABOUT_ENV": "production",
                "REDIS_URL": "redis://127.0.0.1:6379/0",
                "BASE_URL": "https://mentoring.example.org",
            }
        )
    assert "SECRET_KEY" in str(excinfo.value)
    assert "secrets.token_urlsafe" in str(excinfo.value)  # says how to make one


def test_production_starts_with_real_settings(tmp_path):
    app = create_app(
        {
            "INSTANCE_PATH": str(tmp_path),
            "TURNABOUT_ENV": "production",
            "SECRET_KEY": "s" * 48,
            "REDIS_URL": "redis://127.0.0.1:6379/0",
            "BASE_URL": "https://mentoring.example.org",
        }
    )
    assert app.config["PRODUCTION"]
    assert app.config["SESSION_COOKIE_SECURE"]
    # The outbox viewer exists only outside production.
    assert "outbox_viewer" not in app.blueprints


def test_unknown_mail_backend_is_named(tmp_path):
    with pytest.raises(ConfigError, match="MAIL_BACKEND='pigeon'"):
        create_app({"INSTANCE_PATH": str(tmp_path), "MAIL_BACKEND": "pigeon"})


def test_environment_overrides_defaults(tmp_path, monkeypatch):
    monkeypatch.setenv("BASE_URL", "https://example.org/")
    monkeypatch.setenv("MAIL_FROM", "Mentoring <team@example.org>")
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["BASE_URL"] == "https://example.org"
    assert app.config["MAIL_FROM"] == "Mentoring <team@example.org>"
    assert app.config["DATABASE_URL"].startswith("sqlite:///")


def test_trusted_proxies_give_rate_limits_the_real_client_address(tmp_path):
    from flask import request

    app = create_app({"INSTANCE_PATH": str(tmp_path), "TRUSTED_PROXIES": "1"})

    @app.get("/whoami")
    def whoami():
        return request.remote_addr

    client = app.test_client()
    response = client.get("/whoami", headers={"X-Forwarded-For": "203.0.113.9"})
    assert response.get_data(as_text=True) == "203.0.113.9"

    direct = create_app({"INSTANCE_PATH": str(tmp_path)})
    direct.add_url_rule("/whoami", view_func=whoami)
    response = direct.test_client().get("/whoami", headers={"X-Forwarded-For": "203.0.113.9"})
    assert response.get_data(as_text=True) == "127.0.0.1"  # not trusted without the setting
