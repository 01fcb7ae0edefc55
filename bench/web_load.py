"""Serving and load for bench_web.py: gunicorn servers, wrk runs and their parsed numbers,
and the wrk scripts of the two POSTs (each request stores real rows)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Endpoint:
    name: str
    method: str
    path: str
    goal: float  # minimum req/s as a fraction of bare Flask
    body_lua: str = ""  # a wrk `request()` function for POSTs


@dataclass
class Result:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    requests: int
    cpu_ms: float = 0.0  # the gunicorn workers' CPU time per request
    db_cpu_ms: float = 0.0  # PostgreSQL's (every server process on the machine) per request


def workers_cpu_seconds(server: subprocess.Popen) -> float:
    """User + system CPU time of a gunicorn master's worker processes so far (Linux /proc).
    Steadier than requests a second on a machine other people load."""
    ticks = os.sysconf("SC_CLK_TCK")
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    total = 0
    for pid in children:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:  # a worker restarted meanwhile
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def postgres_cpu_ticks() -> dict[int, int]:
    """User + system CPU ticks so far of each PostgreSQL server process on this machine:
    its share of the two cores is work a page's statements cost beyond its own worker's."""
    ticks = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            head, tail = stat.read_text().rsplit(")", 1)
        except (FileNotFoundError, ProcessLookupError):  # ended meanwhile
            continue
        if head.endswith("(postgres"):
            fields = tail.split()
            ticks[int(stat.parent.name)] = int(fields[11]) + int(fields[12])
    return ticks


def postgres_cpu_seconds_since(before: dict[int, int]) -> float:
    """Per process, so one that ended meanwhile (another program's) subtracts nothing."""
    after = postgres_cpu_ticks()
    spent = sum(ticks - before.get(pid, 0) for pid, ticks in after.items())
    return spent / os.sysconf("SC_CLK_TCK")


# ------------------------------------------------------------------ the database


def start_gunicorn(target: str, port: int, env: dict, log: Path) -> subprocess.Popen:
    command = [
        sys.executable, "-m", "gunicorn", "-w", "4", "-k", "sync",
        "-b", f"127.0.0.1:{port}", "--chdir", str(ROOT), "--pythonpath", str(ROOT / "bench"),
        target,
    ]  # fmt: skip
    return subprocess.Popen(command, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)


def wait_until_up(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.time() + 60
    while time.time() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited:\n{log.read_text()[-3000:]}")
        try:
            urllib.request.urlopen(url, timeout=5).read()
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not answer within 60 s:\n{log.read_text()[-3000:]}")


def session_and_csrf(base: str, path: str) -> tuple[str, str]:
    """A session cookie and the CSRF token of the form on `path`, as a browser has them."""
    with urllib.request.urlopen(base + path) as response:
        cookie = response.headers["Set-Cookie"].split(";", 1)[0]
        html = response.read().decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    return cookie, token


def subscribe_lua(cookie: str, csrf: str, themes: list[str]) -> str:
    """Every request a new address, so each one stores a pending signup."""
    picked = "".join(f"&themes={t}" for t in themes[:2])
    return f"""
local counter = 0
local id = 0
local threads = 0
setup = function(thread) threads = threads + 1; thread:set("id", threads) end
init = function(args) id = wrk.thread:get("id") end
request = function()
  counter = counter + 1
  local body = "csrf_token={csrf}&email=wrk-" .. id .. "-" .. counter .. "-" ..
    math.random(1, 1000000000) .. "%40example.org&name=Bench&role=learner{picked}" ..
    "&timezone=Europe%2FBerlin&team=&about=&website="
  return wrk.format("POST", "/subscribe", {{
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "{cookie}"}}, body)
end
"""


def answer_lua(forms: dict[str, str]) -> str:
    """Walks the learners' rating links, each with the form token its page carries (no
    cookie: the one-click pages set none); each pass gives a new value, so every POST
    changes a stored answer."""
    listed = ",\n".join(f'{{"{token}", "{csrf}"}}' for token, csrf in forms.items())
    return f"""
local forms = {{
{listed}
}}
local counter = 0
local offset = 0
local threads = 0
setup = function(thread) threads = threads + 1; thread:set("id", threads) end
init = function(args) offset = tonumber(wrk.thread:get("id")) * 7919 end
request = function()
  counter = counter + 1
  local n = counter + offset
  local form = forms[(n % #forms) + 1]
  local value = (math.floor(n / #forms) % 5) + 1
  return wrk.format("POST", "/a/" .. form[1], {{
    ["Content-Type"] = "application/x-www-form-urlencoded"}},
    "csrf_token=" .. form[2] .. "&value=" .. value .. "&comment=")
end
"""


def run_wrk(
    base: str, endpoint: Endpoint, args, workdir: Path, seconds: int, server=None
) -> Result:
    """One wrk run; with `server` (its gunicorn process) also the workers' CPU a request."""
    command = [
        "wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{seconds}s", "--latency",
        "--timeout", "10s",
    ]  # fmt: skip
    if endpoint.body_lua:
        script = workdir / f"{endpoint.name.split()[1].strip('/').replace('/', '_')}.lua"
        script.write_text(endpoint.body_lua)
        command += ["-s", str(script)]
    cpu_before = workers_cpu_seconds(server) if server else 0.0
    db_before = postgres_cpu_ticks() if server else {}
    out = subprocess.run(
        command + [base + endpoint.path], capture_output=True, text=True, check=True
    ).stdout
    result = parse_wrk(out)
    if server and result.requests:
        result.cpu_ms = (workers_cpu_seconds(server) - cpu_before) / result.requests * 1000
        result.db_cpu_ms = postgres_cpu_seconds_since(db_before) / result.requests * 1000
    return result


def parse_wrk(out: str) -> Result:
    def ms(text: str) -> float:
        value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return Result(
        rps=float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        p50_ms=ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1)),
        p99_ms=ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1)),
        errors=(int(errors.group(1)) if errors else 0)
        + (int(socket.group(1)) + int(socket.group(4)) if socket else 0),
        requests=int(re.search(r"(\d+) requests in", out).group(1)),
    )
