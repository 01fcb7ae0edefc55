"""Worst-case timings of the reply trimmer (service.inbound.trim).

    .venv/bin/python bench/bench_trim.py [--size 24000] [--only NAME]

Trims each hostile or merely large body once and prints its size, wall time and
CPU time (steadier on a shared machine), then the slowest by CPU time. The
inputs are the shapes that made regular expressions backtrack (long runs of
spaces, ``>``, ``*``, ``_``, dashes, letters, digits, address-like text), very
long lines and very many lines of every kind the trimmer classifies. Prints
numbers, asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from service.inbound.trim import trim_reply  # noqa: E402

HEADER = "On Mon, Nov 30, 2026 at 9:14 AM Ana <ana@example.com> wrote:\n"


def inputs(n: int) -> dict[str, str]:
    """Bodies of roughly ``n`` characters (runs) or ``n`` lines (line counts)."""
    lines = n // 4
    return {
        "reply line of spaces": "Thanks\n" + " " * n + "\n",
        "word, spaces, word": "Thanks" + " " * n + "x",
        "word, tabs, word": "Thanks" + "\t" * n + "x",
        "word, *, word": "Thanks" + "*" * n + "x",
        "word, _, word": "Thanks" + "_" * n + "x",
        "--, spaces, word": "--" + " " * n + "x",
        "run of '](' (link targets)": "](" * (n // 2),
        "spaces then a letter": " " * n + "x",
        "run of >": ">" * n + "x",
        "run of *": "*" * n + "x",
        "run of _": "_" * n + "x",
        "run of -": "-" * n + "x",
        "run of '* _'": "* _" * (n // 3) + "x",
        "run of '> '": "> " * (n // 2) + "x",
        "letters": "a" * n,
        "digits": "1" * n,
        "digit-colon pairs": "1:" * (n // 2),
        "address-like": "a.b@" * (n // 4),
        "dots and @": "." * n + "@" + "a" * 10,
        "On + digits, no verb": "On " + "1 " * (n // 2),
        "wrote at the end of a long line": "x " * (n // 2) + "wrote:",
        "long prose line": "word " * (n // 5),
        "many text lines": "line of text\n" * lines,
        "many quote lines": "> quoted\n" * lines,
        "long quote, then the answer": "> quoted\n" * lines + "answer\n",
        "many header fields": "From: x\n" * lines,
        "many attributions": (HEADER + "> q\nA\n") * (lines // 3),
        "alternating quote/text": "> q\nA\n" * (lines // 2),
        "many sign-offs": "Sent from my iPhone\n" * lines,
        "many fences": "```\n" * lines,
        "many short wrapped lines": "On 1\n" * lines,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=24_000, help="characters or ~4x lines")
    parser.add_argument("--only", help="run only the input with this name")
    args = parser.parse_args()
    timings = []
    for name, body in inputs(args.size).items():
        if args.only and name != args.only:
            continue
        start, cpu_start = time.perf_counter(), time.process_time()
        kept = trim_reply(body)
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
        timings.append((cpu, elapsed, name))
        print(
            f"{name:34} {len(body):>9,} chars  kept {len(kept):>9,}"
            f"  {elapsed * 1000:9.1f} ms  (cpu {cpu * 1000:7.1f} ms)"
        )
    cpu, elapsed, name = max(timings)
    print(f"slowest: {name} {elapsed * 1000:.1f} ms (cpu {cpu * 1000:.1f} ms)")


if __name__ == "__main__":
    main()
