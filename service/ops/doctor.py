"""`turnabout doctor`: is this deployment able to run the programme? Each check prints
OK, WARN or FAIL with what to do; the exit code is 1 when anything failed, so scripts and
deploy pipelines can stop on it.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask

from service.config import ConfigError
from service.ops.doctor_checks import CHECKS, Finding

MARKS = {"ok": "OK  ", "warn": "WARN", "fail": "FAIL"}


def run_doctor(
    echo: Callable[[str], None], create_app: Callable[..., Flask], config: dict | None = None
) -> int:
    """Run every check on an app built by `create_app` (the factory, passed in by the
    command: this module sits below it), print each finding, return the exit code (0
    fine, 1 failed)."""
    findings = list(diagnose(create_app, config))
    for finding in findings:
        echo(f"{MARKS[finding.state]} {finding.check}: {finding.summary}")
        if finding.fix and finding.state != "ok":
            echo(f"     fix: {finding.fix}")
    failed = [f for f in findings if f.state == "fail"]
    echo(f"\n{len(failed)} problem(s) found." if failed else "\nAll checks passed.")
    return 1 if failed else 0


def diagnose(create_app: Callable[..., Flask], config: dict | None = None):
    try:
        app = create_app(config)
    except ConfigError as exc:
        yield Finding("configuration", "fail", str(exc), "set the variables named above")
        return
    with app.app_context():
        for check in CHECKS:
            try:
                yield from check(app)
            except Exception as exc:  # a check that breaks is itself a finding
                name = check.__name__.removeprefix("check_")
                yield Finding(name, "fail", f"the check itself failed: {exc!r}", "")
