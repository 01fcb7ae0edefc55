"""Admin sessions: a new session at sign-in, and a cookie copied earlier stops working
after signing out or a password change (a per-account version checked on every request).

No app context stays pushed around the requests here: Flask-Login caches the signed-in
user in `g`, which would then outlive a request and hide what each cookie is worth."""

from __future__ import annotations

from service.admin.passwords import create_admin
from service.extensions import db
from tests.factories_admin import PASSWORD, create_admin_user, login
from tests.helpers import csrf_token

EMAIL = "ana@example.org"


def session_cookie(client) -> str:
    return client.get_cookie("session").value


def client_with(app, cookie: str):
    other = app.test_client()
    other.set_cookie("session", cookie)
    return other


def signed_in(client) -> bool:
    return client.get("/admin/").status_code == 200


def admin(app):
    with app.app_context():
        return create_admin_user(email=EMAIL).id


def test_sign_in_starts_a_new_session(app, client):
    admin(app)
    client.get("/admin/login")
    with client.session_transaction() as session:
        session["planted"] = "set before sign-in"
    before = session_cookie(client)
    login(client, EMAIL)
    with client.session_transaction() as session:
        assert "planted" not in session
    assert session_cookie(client) != before
    assert signed_in(client)


def test_a_copied_cookie_stops_working_after_sign_out(app, client):
    admin(app)
    login(client, EMAIL)
    copied = session_cookie(client)
    assert signed_in(client_with(app, copied))
    client.post("/admin/logout", data={"csrf_token": csrf_token(client, "/admin/")})
    assert not signed_in(client)
    assert not signed_in(client_with(app, copied))
    # Signing in again works, with a new cookie.
    login(client, EMAIL)
    assert signed_in(client) and not signed_in(client_with(app, copied))


def test_a_password_change_ends_every_session(app, client):
    admin(app)
    login(client, EMAIL)
    copied = session_cookie(client)
    with app.app_context():
        create_admin(EMAIL, "a brand new passphrase")
        db.session.commit()
    assert not signed_in(client) and not signed_in(client_with(app, copied))
    assert login(client, EMAIL, PASSWORD).status_code == 401
    login(client, EMAIL, "a brand new passphrase")
    assert signed_in(client)


def test_a_forged_or_old_style_session_id_is_refused(app, client):
    user_id = admin(app)
    with client.session_transaction() as session:
        session["_user_id"] = str(user_id)  # what sessions held before versions
        session["_fresh"] = True
    assert not signed_in(client)
