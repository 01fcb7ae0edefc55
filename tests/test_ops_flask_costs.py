"""Flask's per-request costs paid once per process (service/ops/flask_costs.py) keep
Flask's behaviour: the session cookie follows a new secret key, hooks run as before."""

from __future__ import annotations

from flask import Response, flash, render_template_string, session, url_for
from flask.templating import _default_template_ctx_processor

from service.ops import flask_costs
from service.response_headers import add_vary


def test_the_session_serializer_is_kept_until_the_secret_key_changes(app):
    interface = app.session_interface
    first = interface.get_signing_serializer(app)
    assert interface.get_signing_serializer(app) is first

    app.secret_key = "a-rotated-secret-" + "y" * 40
    rotated = interface.get_signing_serializer(app)
    assert rotated is not first
    assert rotated.secret_keys[-1] == app.secret_key.encode()


def test_a_session_written_in_one_request_is_read_in_the_next(app):
    @app.get("/_costs/set")
    def set_value():
        session["seen"] = "yes"
        return "set"

    @app.get("/_costs/get")
    def get_value():
        return session.get("seen", "no")

    client = app.test_client()
    client.get("/_costs/set")
    assert client.get("/_costs/get").get_data(as_text=True) == "yes"
    app.secret_key = "a-rotated-secret-" + "z" * 40  # an old cookie no longer counts
    assert client.get("/_costs/get").get_data(as_text=True) == "no"


def test_ensure_sync_answers_once_per_function(app):
    def view():
        return "plain"

    assert app.ensure_sync(view) is view
    assert app.ensure_sync(view) is view


def test_sessions_without_a_cookie_and_left_empty_as_flask_has_them(app):
    @app.get("/_costs/read")
    def read_only():
        return session.get("seen", "no")

    @app.get("/_costs/untouched")
    def untouched():
        return "plain"

    @app.get("/_costs/clear")
    def clear():
        session.clear()
        return "cleared"

    @app.get("/_costs/set")
    def set_value():
        session["seen"] = "yes"
        return "set"

    client = app.test_client()
    read = client.get("/_costs/read")
    assert read.get_data(as_text=True) == "no"
    assert "Set-Cookie" not in read.headers and "Cookie" in read.headers.get("Vary", "")
    plain = client.get("/_costs/untouched")
    assert "Set-Cookie" not in plain.headers
    client.get("/_costs/set")
    cleared = client.get("/_costs/clear")  # emptied: the cookie is deleted, as Flask does
    assert "session=;" in cleared.headers["Set-Cookie"]
    assert client.get("/_costs/read").get_data(as_text=True) == "no"


def test_templates_build_fixed_urls_as_flask_does_under_any_script_root(app):
    template = (
        "{{ url_for('static', filename='site.css') }} {{ url_for('subscriptions.landing') }} "
        "{{ url_for('subscriptions.preferences', token=t) }} {{ url_for('.landing') }} "
        "{{ url_for('subscriptions.landing', token=t) }}"  # no such argument: a query
    )
    tokens = ("abc", "Wzk.aB-c_d.Xy", "a b/ü", "", 7)  # the last three are built as before
    for root in ("", "/mounted", ""):
        for token in tokens:
            with app.test_request_context("/", environ_overrides={"SCRIPT_NAME": root}):
                expected = " ".join(
                    [
                        url_for("static", filename="site.css"),
                        url_for("subscriptions.landing"),
                        url_for("subscriptions.preferences", token=token),
                        url_for(".landing"),
                        url_for("subscriptions.landing", token=token),
                    ]
                )
                assert render_template_string(template, t=token) == expected
                assert expected.startswith(f"{root}/static/site.css {root}/ {root}/p/")


def test_add_vary_sets_a_missing_header_and_merges_with_one_already_there():
    fresh = Response("x")
    add_vary(fresh, "Accept-Language", "Cookie")
    assert fresh.headers.getlist("Vary") == ["Accept-Language, Cookie"]

    merged = Response("x", headers={"Vary": "Origin, cookie"})
    add_vary(merged, "Accept-Language", "Cookie")
    assert merged.headers.getlist("Vary") == ["Origin, cookie, Accept-Language"]


def test_each_render_runs_the_default_context_processor_once(app):
    copies = [
        processor
        for processors in app.template_context_processors.values()
        for processor in processors
        if processor is _default_template_ctx_processor
    ]
    assert copies == [_default_template_ctx_processor]
    assert _default_template_ctx_processor in app.template_context_processors[None]


def test_templates_get_flashed_messages_as_flask_gives_them(app):
    @app.get("/_costs/flash")
    def flash_some():
        flash("one", "info")
        flash("two", "error")
        return "flashed"

    @app.get("/_costs/show")
    def show():
        return render_template_string(
            "{{ get_flashed_messages()|join(',') }}|"
            "{% for c, m in get_flashed_messages(with_categories=true, category_filter=['error'])"
            " %}{{ c }}={{ m }}{% endfor %}"
        )

    assert app.jinja_env.globals["get_flashed_messages"] is flask_costs.get_flashed_messages
    client = app.test_client()
    client.get("/_costs/flash")
    assert client.get("/_costs/show").text == "one,two|error=two"
    assert client.get("/_costs/show").text == "|"  # shown once, then gone
    # A request without a session still read it: the page varies on the cookie.
    fresh = app.test_client().get("/_costs/show")
    assert "Cookie" in fresh.headers.get("Vary", "")


def test_an_unchanged_session_is_not_written_again_unless_refreshed(app):
    @app.get("/_costs/set")
    def set_value():
        session["seen"] = "yes"
        return "set"

    @app.get("/_costs/read")
    def read_only():
        return session.get("seen", "no")

    @app.get("/_costs/keep")
    def keep():
        session.permanent = True
        return "kept"

    client = app.test_client()
    client.get("/_costs/set")
    read = client.get("/_costs/read")
    assert read.get_data(as_text=True) == "yes"
    assert "Set-Cookie" not in read.headers and "Cookie" in read.headers.get("Vary", "")
    client.get("/_costs/keep")  # permanent: Flask refreshes the cookie on every request
    assert app.config["SESSION_REFRESH_EACH_REQUEST"]
    refreshed = client.get("/_costs/read")
    assert (
        "session=" in refreshed.headers["Set-Cookie"]
        and "Expires=" in refreshed.headers["Set-Cookie"]
    )
    app.config["SESSION_REFRESH_EACH_REQUEST"] = False
    assert "Set-Cookie" not in client.get("/_costs/read").headers
