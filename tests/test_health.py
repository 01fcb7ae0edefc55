def test_healthz_only_says_the_process_answers(make_app):
    # Port 1 on loopback: nothing listens there, so Redis is down; liveness ignores it
    # (restarting the web process would not bring Redis back). /readyz reports it.
    app = make_app(REDIS_URL="redis://127.0.0.1:1/0")
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_error_pages_keep_retry_after(app):
    from werkzeug.exceptions import TooManyRequests

    @app.get("/busy")
    def busy():
        raise TooManyRequests(retry_after=30)

    response = app.test_client().get("/busy")
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "30"
    assert "Slow down" in response.get_data(as_text=True)
