"""/readyz: ready only when the database and Redis answer and the schema is at head."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from service import create_app
from service.extensions import alembic, db
from tests.conftest import base_config


@pytest.fixture
def make_ready_app(tmp_path, fresh_database, redis, redis_url):
    apps = []

    def factory(*, migrate: bool = True, **overrides):
        config = {**base_config(tmp_path, fresh_database, redis_url), **overrides}
        app = create_app(config)
        if migrate:
            with app.app_context():
                alembic.upgrade()  # the real migrations, as `turnabout db upgrade` runs them
        apps.append(app)
        return app

    yield factory
    for app in apps:
        with app.app_context():
            db.engine.dispose()


def test_ready_when_database_redis_and_migrations_are(make_ready_app):
    response = make_ready_app().test_client().get("/readyz")
    assert response.status_code == 200, response.json
    assert response.json == {
        "status": "ok",
        "checks": {"database": "ok", "redis": "ok", "migrations": "ok"},
    }


def test_not_ready_before_the_migrations_ran(make_ready_app):
    app = make_ready_app(migrate=False)
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["failing"] == ["migrations"]
    assert "turnabout db upgrade" in response.json["checks"]["migrations"]


def test_not_ready_when_a_migration_is_missing(make_ready_app):
    app = make_ready_app()
    with app.app_context():
        heads = alembic.script_directory.get_heads()
        alembic.downgrade("-1")  # as if the code moved on and nobody upgraded
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["failing"] == ["migrations"]
    with app.app_context():
        alembic.upgrade(heads[0])
    assert app.test_client().get("/readyz").status_code == 200


def test_old_code_stays_ready_on_a_newer_schema(make_ready_app):
    """During an upgrade the migrations run first; old processes serve until restarted."""
    app = make_ready_app()
    with app.app_context():
        with db.engine.begin() as conn:  # a revision this code does not know yet
            conn.execute(sa.text("UPDATE alembic_version SET version_num = 'ffffnewer'"))
    assert app.test_client().get("/readyz").status_code == 200


def test_not_ready_names_redis_when_it_is_down(make_ready_app):
    # Port 1 on loopback: nothing listens there.
    app = make_ready_app(REDIS_URL="redis://127.0.0.1:1/0")
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["failing"] == ["redis"]
    assert response.json["checks"]["redis"].startswith("error: ")
    assert response.json["checks"]["database"] == "ok"


def test_not_ready_names_the_database_when_it_is_down(make_ready_app):
    app = make_ready_app(migrate=False, DATABASE_URL="postgresql+psycopg://nobody@127.0.0.1:1/x")
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["failing"] == ["database"]
    assert "migrations" not in response.json["checks"]
