"""Score :func:`service.inbound.trim.trim_reply` against a reply-trimming corpus.

A corpus directory holds ``NAME.txt`` (a reply body) next to
``NAME.expected.txt`` (what should be kept). Both sides are normalised before
an exact comparison, as the corpus README prescribes: CRLF/CR -> LF, trailing
whitespace stripped on every line, runs of blank lines collapsed to one,
leading and trailing blank lines dropped. Leading whitespace stays significant.

``turnabout trim-eval DIR`` calls :func:`main`.
"""

from __future__ import annotations

import difflib
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from service.inbound.trim import trim_reply

EXPECTED_SUFFIX = ".expected.txt"
_MAX_DIFF_LINES = 40
_BLANK_RUNS = re.compile(r"\n{2,}")


def normalise(text: str) -> str:
    """The corpus comparison form of ``text``."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return _BLANK_RUNS.sub("\n\n", text).strip("\n")


@dataclass(frozen=True)
class CaseResult:
    name: str
    expected: str  # normalised
    actual: str  # normalised

    @property
    def passed(self) -> bool:
        return self.expected == self.actual


@dataclass(frozen=True)
class EvalResult:
    cases: list[CaseResult] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.cases)

    @property
    def passed(self) -> int:
        return sum(case.passed for case in self.cases)

    @property
    def accuracy(self) -> float:
        return self.passed / self.total if self.total else 0.0

    @property
    def failures(self) -> list[CaseResult]:
        return [case for case in self.cases if not case.passed]


def _read(path: Path) -> str:
    # Bytes, not read_text(): universal newlines would hide CRLF from the trimmer.
    return path.read_bytes().decode("utf-8", errors="replace")


def case_names(directory: Path) -> list[str]:
    """Names that have both an input and an expected file, sorted."""
    names = []
    for path in directory.glob("*.txt"):
        if path.name.endswith(EXPECTED_SUFFIX):
            continue
        name = path.name[: -len(".txt")]
        if (directory / f"{name}{EXPECTED_SUFFIX}").is_file():
            names.append(name)
    return sorted(names)


def evaluate(directory: Path) -> EvalResult:
    """Trim every case in ``directory`` and compare with its expected output."""
    directory = Path(directory)
    cases = []
    for name in case_names(directory):
        expected = normalise(_read(directory / f"{name}{EXPECTED_SUFFIX}"))
        actual = normalise(trim_reply(_read(directory / f"{name}.txt")))
        cases.append(CaseResult(name, expected, actual))
    return EvalResult(cases)


def _diff(case: CaseResult) -> list[str]:
    lines = list(
        difflib.unified_diff(
            case.expected.split("\n"),
            case.actual.split("\n"),
            fromfile=f"{case.name}.expected",
            tofile=f"{case.name}.trimmed",
            lineterm="",
            n=2,
        )
    )
    if len(lines) > _MAX_DIFF_LINES:
        more = len(lines) - _MAX_DIFF_LINES
        lines = lines[:_MAX_DIFF_LINES] + [f"... ({more} more diff lines)"]
    return lines


def format_report(result: EvalResult) -> str:
    """Failing cases with a short diff each; the last line is the accuracy."""
    out = []
    for case in result.failures:
        out.append(f"FAIL {case.name}")
        out.extend(f"    {line}" for line in _diff(case))
        out.append("")
    out.append(f"accuracy: {result.accuracy:.3f} ({result.passed}/{result.total})")
    return "\n".join(out)


def main(directory: Path | str) -> int:
    """Print the report; exit code 1 when ``directory`` holds no cases."""
    directory = Path(directory)
    if not directory.is_dir():
        print(f"trim-eval: {directory} is not a directory", file=sys.stderr)
        return 2
    result = evaluate(directory)
    print(format_report(result))
    if not result.total:
        print(
            f"trim-eval: no NAME.txt + NAME{EXPECTED_SUFFIX} pairs in {directory}", file=sys.stderr
        )
        return 1
    return 0
