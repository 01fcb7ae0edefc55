"""Admin access: sign-in, roles, CSRF, brute-force limits, the create-admin command."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from service.admin.models import AdminUser, AuditEntry
from service.extensions import db
from tests.factories_admin import PASSWORD, create_admin_user, login, signed_in_client
from tests.helpers import csrf_token

ADMIN_ONLY = [
    "/admin/subscribers",
    "/admin/subscribers/import",
    "/admin/delivery",
    "/admin/rounds",
    "/admin/settings",
    "/admin/audit",
]
EDITOR_PAGES = ["/admin/challenges", "/admin/challenges/new", "/admin/themes", "/admin/schedule"]


def test_logged_out_visitor_is_sent_to_login(client):
    response = client.get("/admin/challenges?theme=1")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/admin/login?next=")
    assert "challenges" in response.headers["Location"]
    assert client.post("/admin/themes/new", data={}).status_code in (302, 400)


def test_login_page_has_csrf_and_secure_cookie_flags(app, client):
    assert client.get("/admin/login").status_code == 200
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_secure_cookie_when_base_url_is_https(make_app):
    app = make_app(BASE_URL="https://turnabout.example")
    with app.app_context():
        create_admin_user(email="sec@example.org")
    client = app.test_client()
    response = login(client, "sec@example.org")
    cookie = response.headers.get("Set-Cookie", "")
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_admin_signs_in_and_out(ctx, client):
    create_admin_user(email="ana@example.org")
    response = login(client, "ANA@example.org ")
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/"
    page = client.get("/admin/")
    assert page.status_code == 200
    assert "Is it working?" in page.get_data(as_text=True)
    assert db.session.scalar(select(AdminUser.last_login_at)) is not None

    token = csrf_token(client, "/admin/")
    response = client.post("/admin/logout", data={"csrf_token": token})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 302


def test_logout_is_not_a_get(ctx, client):
    create_admin_user(email="ana@example.org")
    login(client, "ana@example.org")
    assert client.get("/admin/logout").status_code == 405
    assert client.get("/admin/").status_code == 200


def test_login_goes_back_to_the_page_asked_for_but_never_off_site(ctx, client):
    create_admin_user(email="ana@example.org")
    token = csrf_token(client, "/admin/login")
    data = {"email": "ana@example.org", "password": PASSWORD, "csrf_token": token}
    response = client.post("/admin/login?next=/admin/themes", data=data)
    assert response.headers["Location"] == "/admin/themes"
    client.post("/admin/logout", data={"csrf_token": csrf_token(client, "/admin/")})
    token = csrf_token(client, "/admin/login")
    response = client.post(
        "/admin/login?next=https://evil.example/admin", data={**data, "csrf_token": token}
    )
    assert response.headers["Location"] == "/admin/"


def test_bad_password_and_unknown_account_get_the_same_answer(ctx, client):
    create_admin_user(email="ana@example.org")
    wrong_password = login(client, "ana@example.org", "not the password")
    unknown = login(client, "nobody@example.org", "not the password")
    assert wrong_password.status_code == unknown.status_code == 401

    def message(response):
        html = response.get_data(as_text=True)
        return re.search(r'role="alert">([^<]+)<', html).group(1)

    assert message(wrong_password) == message(unknown)
    assert "do not match" in message(unknown)
    assert client.get("/admin/").status_code == 302


def test_post_without_csrf_token_is_refused(ctx, client):
    create_admin_user(email="ana@example.org")
    login(client, "ana@example.org")
    response = client.post("/admin/themes/new", data={"name": "No token"})
    assert response.status_code == 400
    response = client.post("/admin/login", data={"email": "ana@example.org", "password": PASSWORD})
    assert response.status_code == 400
    from service.rounds.models import Theme

    assert db.session.scalar(select(Theme).where(Theme.name == "No token")) is None


@pytest.mark.parametrize("path", ADMIN_ONLY)
def test_editor_cannot_open_admin_only_pages(app, path):
    client, _ = signed_in_client(app, role="editor")
    assert client.get(path).status_code == 403


def test_editor_cannot_post_to_admin_only_pages(app):
    client, _ = signed_in_client(app, role="editor")
    token = csrf_token(client, "/admin/challenges")
    response = client.post("/admin/settings", data={"csrf_token": token, "programme_name": "X"})
    assert response.status_code == 403


@pytest.mark.parametrize("path", EDITOR_PAGES)
def test_editor_can_use_content_and_schedule(app, path):
    client, _ = signed_in_client(app, role="editor")
    assert client.get(path).status_code == 200


def test_editor_lands_on_challenges_and_sees_no_admin_links(app):
    client, _ = signed_in_client(app, role="editor")
    response = client.get("/admin/")
    assert response.headers["Location"] == "/admin/challenges"
    html = client.get("/admin/challenges").get_data(as_text=True)
    assert "/admin/subscribers" not in html and "/admin/delivery" not in html


def test_brute_force_on_one_account_gets_429(make_app):
    app = make_app(ADMIN_LOGIN_ATTEMPTS_PER_ACCOUNT=3, ADMIN_LOGIN_ATTEMPTS_PER_IP=100)
    with app.app_context():
        create_admin_user(email="ana@example.org")
    client = app.test_client()
    codes = [login(client, "ana@example.org", f"guess {i}").status_code for i in range(3)]
    assert codes == [401, 401, 401]
    blocked = login(client, "ana@example.org", PASSWORD)  # even the right password now waits
    assert blocked.status_code == 429
    assert int(blocked.headers["Retry-After"]) > 0
    # Another account from the same address is not blocked by this account's counter.
    with app.app_context():
        create_admin_user(email="ben@example.org")
    assert login(client, "ben@example.org").status_code == 302


def test_requests_with_bad_csrf_tokens_still_count(make_app):
    app = make_app(ADMIN_LOGIN_ATTEMPTS_PER_ACCOUNT=100, ADMIN_LOGIN_ATTEMPTS_PER_IP=4)
    with app.app_context():
        create_admin_user(email="ana@example.org")
    client = app.test_client()
    bad = {"email": "ana@example.org", "password": "guess", "csrf_token": "forged"}
    codes = [client.post("/admin/login", data=bad).status_code for _ in range(4)]
    assert codes == [400, 400, 400, 400]
    assert client.post("/admin/login", data=bad).status_code == 429
    assert client.post("/admin/login", data={"email": "x@example.org"}).status_code == 429
    assert login(client, "ana@example.org").status_code == 429


def test_default_limits_stop_a_brute_force(ctx, client):
    create_admin_user(email="ana@example.org")
    codes = [login(client, "ana@example.org", f"guess {i}").status_code for i in range(12)]
    assert 429 in codes
    assert codes.index(429) == 10  # ten tries per account per window, then wait


def test_create_admin_command_reads_password_from_environment(ctx, runner, monkeypatch):
    monkeypatch.setenv("ADMIN_PASSWORD", "a long enough password")
    result = runner.invoke(args=["create-admin", "Lea@Example.org", "--role", "editor"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(AdminUser))
    assert (user.email, user.role) == ("lea@example.org", "editor")
    assert user.password_hash.startswith("$argon2id$")
    assert "a long enough password" not in user.password_hash
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "admin.create"))
    assert entry.after == {"email": "lea@example.org", "role": "editor"}


def test_create_admin_command_prompts_twice(ctx, runner, monkeypatch):
    monkeypatch.delenv("ADMIN_PASSWORD", raising=False)
    result = runner.invoke(
        args=["create-admin", "max@example.org"], input="twelve chars ok\ntwelve chars ok\n"
    )
    assert result.exit_code == 0, result.output
    client = ctx.test_client()
    assert login(client, "max@example.org", "twelve chars ok").status_code == 302


def test_create_admin_command_refuses_a_short_password(ctx, runner, monkeypatch):
    monkeypatch.setenv("ADMIN_PASSWORD", "short")
    result = runner.invoke(args=["create-admin", "max@example.org"])
    assert result.exit_code != 0
    assert "at least 12 characters" in result.output
    assert db.session.scalar(select(AdminUser)) is None


def test_cli_exposes_create_admin(app):
    assert "create-admin" in app.cli.commands
