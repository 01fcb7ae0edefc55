"""The recipes in deploy/: systemd units that systemd itself accepts, and a Procfile and
compose file whose every command is a real `turnabout` command."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from service.cli import main
from tests.helpers import require

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("*.service"))


def exec_start(unit: Path) -> str:
    [line] = re.findall(r"^ExecStart=(.+)$", unit.read_text(), re.MULTILINE)
    return line


def turnabout_args(command: str) -> list[str]:
    """`.../turnabout worker --name x` -> ["worker", "--name", "x"]."""
    words = shlex.split(command)
    assert Path(words[0]).name == "turnabout", command
    return words[1:]


def is_a_command(args: list[str], tmp_path, monkeypatch) -> bool:
    """True when `turnabout ARGS` names a command the CLI has (its --help answers)."""
    monkeypatch.setenv("TURNABOUT_INSTANCE", str(tmp_path))
    words = [word for word in args if not word.startswith(("-", "$", "%"))]
    words = words[:2] if words[:1] == ["db"] else words[:1]
    result = CliRunner().invoke(main, [*words, "--help"])
    return result.exit_code == 0


def test_systemd_accepts_the_units(tmp_path):
    require(shutil.which("systemd-analyze") is not None, "systemd-analyze (Debian: systemd)")
    # The units name the install folder /srv/turnabout; here the checkout stands in for it,
    # so systemd also checks that ExecStart points at an executable.
    names = []
    for unit in UNITS:
        name = unit.name.replace("@.service", "@1.service")  # an instance of the template
        text = unit.read_text().replace("/srv/turnabout", str(ROOT))
        (tmp_path / name).write_text(text)
        names.append(name)
    done = subprocess.run(
        ["systemd-analyze", "verify", *names], cwd=tmp_path, capture_output=True, text=True
    )
    assert done.returncode == 0 and not done.stdout.strip() and not done.stderr.strip(), (
        done.stdout + done.stderr
    )


def test_units_web_workers_and_exactly_one_scheduler(tmp_path, monkeypatch):
    by_command = {turnabout_args(exec_start(unit))[0]: unit.name for unit in UNITS}
    assert by_command == {
        "serve": "turnabout-web.service",
        "worker": "turnabout-worker@.service",  # a template: start as many as you like
        "cron": "turnabout-cron.service",  # not a template: one per deployment
    }
    for unit in UNITS:
        assert is_a_command(turnabout_args(exec_start(unit)), tmp_path, monkeypatch), unit


def test_procfile_commands_exist(tmp_path, monkeypatch):
    processes = dict(
        line.split(": ", 1)
        for line in (DEPLOY / "Procfile").read_text().splitlines()
        if line and not line.startswith("#")
    )
    assert set(processes) == {"release", "web", "worker", "cron"}
    for command in processes.values():
        for part in command.split("&&"):
            assert is_a_command(turnabout_args(part), tmp_path, monkeypatch), part


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def test_compose_runs_everything_with_postgres_redis_and_one_scheduler(
    compose, tmp_path, monkeypatch
):
    services = compose["services"]
    assert set(services) == {"postgres", "redis", "migrate", "web", "worker", "cron"}
    assert services["cron"]["deploy"]["replicas"] == 1
    assert "/readyz" in " ".join(services["web"]["healthcheck"]["test"])
    for name in ("web", "worker", "cron"):
        assert services[name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }
        assert services[name]["build"]["dockerfile"] == "deploy/Containerfile"
        assert is_a_command(services[name]["command"][1:], tmp_path, monkeypatch), name
    app_env = services["web"]["environment"]
    assert app_env["DATABASE_URL"].startswith("postgresql+psycopg://")
    assert app_env["REDIS_URL"].startswith("redis://redis:")
    assert (
        DEPLOY / services["web"]["env_file"].replace("turnabout.env", "turnabout.env.example")
    ).exists()
