"""The trimmer on replies written from mail-client conventions (tests/data/reply-trimming).

The cases were collected before the trimmer was changed for them (issue 10 §6); each
must come out exactly as its ``.expected.txt`` says.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from service.inbound.trim import trim_reply
from service.inbound.trim_eval import case_names, evaluate, normalise

CASES = Path(__file__).parent / "data" / "reply-trimming"


@pytest.mark.parametrize("name", case_names(CASES))
def test_trim_client_case(name):
    body = (CASES / f"{name}.txt").read_bytes().decode("utf-8")
    expected = (CASES / f"{name}.expected.txt").read_bytes().decode("utf-8")
    assert normalise(trim_reply(body)) == normalise(expected)


def test_trim_client_cases_cover_the_conventions():
    """At least 40 cases, with the families the issue names."""
    names = case_names(CASES)
    assert len(names) >= 40
    for family in ("gmail_vi", "gmail_pl", "gmail_pt", "gmail_de", "ios_", "android_", "outlook_"):
        assert any(name.startswith(family) for name in names), family
    assert evaluate(CASES).accuracy == 1.0
