"""What bench_web.py prints: the table of rows against bare Flask, the goals of issue 13
and whether each row met them, and the rows the POSTs stored."""

from __future__ import annotations

import os

from web_load import Endpoint, Result

P99_GOAL_MS = 50.0
LANDING_GOAL_BYTES = 20 * 1024
ANSWER_PRESS = "POST /a/<token> one-click answer"
BARE_SIGNUP = "bare Flask signup (yardstick)"


def report(args, bares, rows, landing_bytes: int, before: dict, after: dict) -> None:
    load = os.getloadavg()
    print(
        f"\nwrk -t{args.threads} -c{args.connections} -d{args.duration}s, gunicorn -w 4 sync,"
        f" {os.cpu_count()} CPUs, load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}"
    )
    all_met = print_table(bares, rows)
    posts = {e.name: r.requests for e, r in rows if e.method == "POST"}
    light = landing_bytes < LANDING_GOAL_BYTES
    print(
        f"\nlanding page HTML: {landing_bytes:,} bytes "
        f"(goal < {LANDING_GOAL_BYTES:,}: {'yes' if light else 'NO'})"
    )
    print(
        f"POST /subscribe: {posts.get('POST /subscribe', 0):,} requests, "
        f"{after['signups'] - before['signups']:,} pending signups stored, "
        f"{after['confirmations'] - before['confirmations']:,} confirmations queued"
    )
    print(
        f"POST /a/<token>: {posts.get(ANSWER_PRESS, 0):,} requests, "
        f"{after['ratings']:,} learners' ratings stored (changed on every request)"
    )
    print(
        f"bare Flask signup (yardstick): {posts.get(BARE_SIGNUP, 0):,} requests, "
        f"{after['bare signups'] - before['bare signups']:,} signups stored"
    )
    if not all_met or not light:
        print("goals NOT met")
    elif args.only:
        with_goal = any(endpoint.goal for endpoint, _ in rows)
        print(
            "the chosen rows met their goals (a full run checks them all)"
            if with_goal
            else "no row with a goal was chosen"
        )
    else:
        print("all goals met")


def print_table(bares: list[Result], rows: list[tuple[Endpoint, Result]]) -> bool:
    """bares[i] and bares[i + 1] ran just before and just after rows[i]: each row's ratio is
    to the mean of those two, so a machine that drifts (it does here, by 10-50% over
    minutes) moves a row and its bare Flask together. CPU: the gunicorn workers' CPU time
    per request, the steadier figure when others load the machine."""
    rates = [b.rps for b in bares]
    print(
        f"\nbare Flask GET /: {len(bares)} runs, one before and after each row: "
        f"{min(rates):,.0f}-{max(rates):,.0f} req/s, "
        f"CPU {min(b.cpu_ms for b in bares):.2f}-{max(b.cpu_ms for b in bares):.2f} ms/req, "
        f"p99 {min(b.p99_ms for b in bares):.1f}-{max(b.p99_ms for b in bares):.1f} ms"
    )
    print(
        f"\n{'endpoint':<36} {'req/s':>8} {'p50':>9} {'p99':>9} {'CPU/req':>9} {'DB CPU':>8}"
        f" {'bare':>7} {'x bare':>7} {'goal':>12}  met"
    )
    all_met = True
    for (endpoint, result), before, after in zip(rows, bares, bares[1:], strict=False):
        bare_rps = (before.rps + after.rps) / 2
        ratio = result.rps / bare_rps
        line = _row(endpoint.name, result, bare_rps, ratio)
        errors = f" ({result.errors} errors)" if result.errors else ""
        if not endpoint.goal:
            print(line + (f" {'':>12}  {errors}" if errors else ""))
            continue
        met = ratio >= endpoint.goal and result.p99_ms < P99_GOAL_MS and not result.errors
        all_met &= met
        print(line + f" {f'>={endpoint.goal}x, <50ms':>12}  {'yes' if met else 'NO'}{errors}")
    return all_met


def _row(name: str, result: Result, bare_rps: float, ratio: float) -> str:
    return (
        f"{name:<36} {result.rps:>8,.0f} {result.p50_ms:>7.1f}ms {result.p99_ms:>7.1f}ms "
        f"{result.cpu_ms:>7.2f}ms {result.db_cpu_ms:>6.2f}ms {bare_rps:>7,.0f} {ratio:>7.2f}"
    )
