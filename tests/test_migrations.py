"""The Alembic migrations build exactly the schema the models describe, on SQLite and
PostgreSQL, and `turnabout db upgrade` runs from the command line."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from service import create_app
from service.database import Model
from service.extensions import alembic, db


def test_upgrade_matches_the_models_and_downgrades_cleanly(fresh_database, tmp_path, redis_url):
    app = create_app(
        {"INSTANCE_PATH": str(tmp_path), "DATABASE_URL": fresh_database, "REDIS_URL": redis_url}
    )
    with app.app_context():
        alembic.upgrade()
        with db.engine.connect() as conn:
            differences = compare_metadata(MigrationContext.configure(conn), Model.metadata)
        assert differences == [], "models changed without a migration: run `turnabout db revision`"
        if db.engine.dialect.name == "postgresql":
            assert context_storage(db.engine) == ("e", ["toast_tuple_target=128"])
        alembic.downgrade("base")
        remaining = set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert remaining == set()
        db.engine.dispose()


def context_storage(engine) -> tuple:
    """How PostgreSQL stores outgoing_emails.context: (attstorage, table options)."""
    with engine.connect() as conn:
        return conn.execute(
            sa.text(
                "SELECT a.attstorage, c.reloptions FROM pg_attribute a "
                "JOIN pg_class c ON c.oid = a.attrelid "
                "WHERE c.relname = 'outgoing_emails' AND a.attname = 'context'"
            )
        ).one()


@pytest.mark.parametrize("fresh_database", ["postgresql"], indirect=True)
def test_create_all_keeps_the_context_out_of_line_as_the_migration_does(fresh_database):
    engine = sa.create_engine(sa.make_url(fresh_database))
    Model.metadata.create_all(engine)
    assert context_storage(engine) == ("e", ["toast_tuple_target=128"])
    engine.dispose()


def test_db_upgrade_command(tmp_path, redis_url):
    app = create_app(
        {
            "INSTANCE_PATH": str(tmp_path),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
            "REDIS_URL": redis_url,
        }
    )
    with app.app_context():  # the real `turnabout` CLI pushes one; the test runner does not
        result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert "subscribers" in sa.inspect(db.engine).get_table_names()
        db.engine.dispose()
