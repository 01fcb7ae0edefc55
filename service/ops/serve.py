"""`turnabout serve`: gunicorn with the project's gunicorn.conf.py and wsgi.py.

Both files sit at the top of the checkout, beside `service/`, where deployments run from
(the email templates live there too).
"""

from __future__ import annotations

import os
import sys

from service.config import PROJECT_ROOT

GUNICORN_CONF = PROJECT_ROOT / "gunicorn.conf.py"


def gunicorn_argv(extra: list[str]) -> list[str]:
    return [
        sys.executable, "-m", "gunicorn",
        "--config", str(GUNICORN_CONF),
        "--chdir", str(PROJECT_ROOT),
        *extra,
        "wsgi:app",
    ]  # fmt: skip


def exec_gunicorn(extra: list[str]) -> None:
    """Replace this process with gunicorn, so signals from systemd reach it directly."""
    argv = gunicorn_argv(extra)
    os.execv(argv[0], argv)
