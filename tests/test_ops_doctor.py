"""`turnabout doctor` against real parts: a migrated database, Redis, a SendGrid stand-in
over HTTP, an aiosmtpd server, the app serving its webhook on a real port, and rq's own
registries of schedulers and workers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from rq import Queue, Worker
from werkzeug.serving import make_server
from werkzeug.wrappers import Response

from service import create_app
from service.extensions import alembic, db
from service.ops.doctor import run_doctor
from service.queues import MAIL
from service.redis_conn import get_redis
from service.scheduler import build_scheduler
from tests.conftest import base_config
from tests.test_ops_gunicorn import free_port

ROOT = Path(__file__).resolve().parents[1]
KEY = "SG.doctor-test-key"


@pytest.fixture
def deployment(tmp_path, redis, redis_url, httpserver):
    """A migrated database, the app serving on a real port, a SendGrid stand-in; returns
    the config `turnabout doctor` reads, and what the stand-in received."""
    config = base_config(tmp_path, f"sqlite:///{tmp_path / 'doctor.db'}", redis_url)
    config.update(MAIL_BACKEND="sendgrid", SENDGRID_API_KEY=KEY,
                  SENDGRID_API_HOST=httpserver.url_for("/").rstrip("/"))  # fmt: skip
    served = create_app(config)
    with served.app_context():
        alembic.upgrade()
    server = make_server("127.0.0.1", 0, served, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    received = []

    def sendgrid(request):
        received.append((request.path, request.headers.get("Authorization"), request.data))
        if request.path == "/v3/scopes":
            return Response(json.dumps({"scopes": config.get("scopes", ["mail.send"])}))
        return Response("", status=202 if not json.loads(request.data) else 200)

    httpserver.expect_request("/v3/scopes", method="GET").respond_with_handler(sendgrid)
    httpserver.expect_request("/v3/mail/send", method="POST").respond_with_handler(sendgrid)
    config["BASE_URL"] = f"http://127.0.0.1:{server.server_port}"
    config["received"] = received
    yield config
    server.shutdown()
    with served.app_context():
        db.engine.dispose()


def running(config, *, schedulers: int = 1, workers: int = 1):
    """Register live schedulers and workers in Redis, as `turnabout cron`/`worker` do."""
    app = create_app(without_extras(config))
    for _ in range(schedulers):
        build_scheduler(app).register_birth()
    redis = get_redis(app)
    for n in range(workers):
        worker = Worker([Queue(MAIL, connection=redis)], connection=redis, name=f"doctor-{n}")
        worker.register_birth()


def without_extras(config: dict) -> dict:
    return {k: v for k, v in config.items() if k not in ("received", "scopes")}


def doctor(config) -> tuple[int, str]:
    lines = []
    code = run_doctor(lines.append, create_app, without_extras(config))
    return code, "\n".join(lines)


def test_a_healthy_deployment_passes_every_check(deployment):
    running(deployment)
    code, output = doctor(deployment)
    assert code == 0, output
    for check in ("configuration", "database", "redis", "mail transport", "scheduler",
                  "workers", "inbound webhook"):  # fmt: skip
        assert f"OK   {check}:" in output
    assert "FAIL" not in output and "All checks passed." in output
    [scopes, send] = deployment["received"]
    assert scopes[:2] == ("/v3/scopes", f"Bearer {KEY}")
    payload = json.loads(send[2])
    assert send[0] == "/v3/mail/send" and payload["mail_settings"]["sandbox_mode"]["enable"]
    assert "inbound-test-secret" not in output  # the webhook secret is never printed


def test_each_problem_is_named_with_its_fix(deployment):
    running(deployment, schedulers=0, workers=0)
    deployment["scopes"] = ["stats.read"]
    code, output = doctor({**deployment, "INBOUND_SECRET": "not-what-the-server-has"})
    assert code == 1
    assert "FAIL mail transport: the SendGrid key lacks the mail.send scope" in output
    assert "FAIL scheduler: 0 schedulers running" in output
    assert "start exactly one `turnabout cron`" in output
    assert "FAIL workers: no worker is running" in output
    assert "FAIL inbound webhook:" in output and "answered 404" in output
    assert "INBOUND_SECRET or BASE_URL differs" in output
    assert "OK   database:" in output and "OK   redis:" in output
    assert "4 problem(s) found." in output


def test_a_full_access_key_with_kilobytes_of_scopes_passes(deployment):
    """A full-access key lists hundreds of scopes: the check reads the whole answer (it
    once read only its first 300 characters and failed to parse them)."""
    running(deployment)
    deployment["scopes"] = [f"user.setting.{n}.read" for n in range(200)] + ["mail.send"]
    code, output = doctor(deployment)
    assert "OK   mail transport: SendGrid key has mail.send" in output, output
    assert code == 0, output


def test_two_schedulers_and_an_unreachable_webhook(deployment):
    running(deployment, schedulers=2)
    code, output = doctor({**deployment, "BASE_URL": f"http://127.0.0.1:{free_port()}"})
    assert code == 1
    assert "FAIL scheduler: 2 schedulers running" in output
    assert "stop all but one" in output
    assert "FAIL inbound webhook:" in output and "unreachable" in output


def test_a_database_behind_its_migrations_fails(deployment, tmp_path):
    running(deployment)
    code, output = doctor({**deployment, "DATABASE_URL": f"sqlite:///{tmp_path / 'new.db'}"})
    assert code == 1
    assert "FAIL database: schema is not at the latest migration" in output
    assert "run `turnabout db upgrade`" in output


@pytest.mark.parametrize("password, state", [("s3cret", "OK  "), ("wrong", "FAIL")])
def test_smtp_login_is_tried(deployment, password, state):
    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.password == b"s3cret"
        return AuthResult(success=ok, handled=False)

    port = free_port()
    smtp = Controller(object(), hostname="127.0.0.1", port=port, authenticator=authenticator,
                      auth_require_tls=False)  # fmt: skip
    smtp.start()
    try:
        running(deployment)
        url = f"smtp://mailer:{password}@127.0.0.1:{port}"
        code, output = doctor({**deployment, "MAIL_BACKEND": "smtp", "SMTP_URL": url})
    finally:
        smtp.stop()
    assert f"{state} mail transport:" in output, output
    assert code == (0 if state == "OK  " else 1)
    if state == "FAIL":
        assert "login refused" in output and "check SMTP_URL" in output


def test_the_command_exits_1_on_a_configuration_error(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "BASE_URL")}
    env.update(TURNABOUT_ENV="production", TURNABOUT_INSTANCE=str(tmp_path))
    done = subprocess.run([sys.executable, "-m", "service", "doctor"], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 1, done.stdout + done.stderr
    assert "FAIL configuration:" in done.stdout and "SECRET_KEY" in done.stdout
