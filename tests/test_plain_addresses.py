"""normalise_email's shortcut for everyday addresses (addresses.plain_address) answers
exactly what email_validator answers: over a corpus of odd addresses and many generated
ones, it gives validate_email's normalised address or stands aside, and never accepts
what validate_email refuses."""

from __future__ import annotations

import pytest
from email_validator import EmailNotValidError, validate_email
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service.subscriptions import addresses
from service.subscriptions.addresses import plain_address

CORPUS = [
    "ana@example.org",
    "Ana.Lopez@EXAMPLE.org",
    "INFO@Example.COM",
    "o'neil+tag@mail.co.uk",
    "a@b.co",
    "a@b.c",
    "a@b",
    "a@b.c1",
    "a@1.2.3.4",
    "a@[1.2.3.4]",
    "a..b@x.org",
    ".a@x.org",
    "a.@x.org",
    "a@.x.org",
    "a@x..org",
    "a@x.org.",
    "a@-x.org",
    "a@x-.org",
    "a@x.-org",
    "a@ab--cd.org",
    "a@xn--bcher-kva.example",
    "a@XN--BCHER-KVA.example",
    "a@xn--a.org",
    "a@localhost",
    "a@x.localhost",
    "a@x.test",
    "a@test",
    "a@x.local",
    "a@x.invalid",
    "a@x.onion",
    "a@x.arpa",
    "a@x.arpa.org",
    "a@x.testing",
    "a@" + "x" * 63 + ".org",
    "a@" + "x" * 64 + ".org",
    "x" * 64 + "@example.org",
    "x" * 65 + "@example.org",
    "x" * 64 + "@" + ("y" * 60 + ".") * 3 + "org",
    "a" * 200 + "@" + "b" * 50 + ".org",
    "a@b@c.org",
    '"a b"@x.org',
    '"ab"@x.org',
    "a\\b@x.org",
    "Ana <ana@x.org>",
    "<ana@x.org>",
    "ana@x.org>",
    "ana @x.org",
    "ana@ x.org",
    "ana@x .org",
    "ünï@x.org",
    "ana@bücher.de",
    "ana@BÜCHER.de",
    "ana＠x.org",
    "ana﹫x.org",
    "a\u0301@x.org",
    "ana@x.org\u0301",
    "ana@x\u200b.org",
    "{}|~!#$%&*=?^`@x.org",
    "a/b@x.org",
    "a_b@x_y.org",
    "a@x.o_g",
    "a@x.org-",
    "a@x.or-g",
    "a@123.456",
    "a@x.123",
    "a@x.1a",
    "a@x.a1",
    "",
    "@",
    "@x.org",
    "a@",
]


def _reference(value: str) -> str | None:
    try:
        return validate_email(value, check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        return None


@pytest.mark.parametrize("value", CORPUS)
def test_the_shortcut_agrees_with_the_validator_on_odd_addresses(value):
    shortcut = plain_address(value)
    assert shortcut is None or shortcut == _reference(value)


def test_the_shortcut_takes_everyday_addresses():
    for value in ["ana@example.org", "Ana.Lopez@EXAMPLE.org", "o'neil+tag@mail.co.uk"]:
        assert plain_address(value) == _reference(value)


# Mostly everyday shapes, some with one odd character, so both sides are exercised.
CLEAN_LOCAL = st.from_regex(r"[a-zA-Z0-9_'+-]{1,12}(\.[a-zA-Z0-9+-]{1,12}){0,2}", fullmatch=True)
ODD_LOCAL = st.text(alphabet=st.sampled_from("aZ0._+-'!#{}~\"@ \\<>ü\u0301"), max_size=70)
LOCAL = st.one_of(CLEAN_LOCAL, CLEAN_LOCAL, CLEAN_LOCAL, ODD_LOCAL)
CLEAN_LABEL = st.from_regex(r"[a-zA-Z0-9]([a-zA-Z0-9-]{0,12}[a-zA-Z0-9])?", fullmatch=True)
ODD_LABEL = st.one_of(
    st.text(alphabet=st.sampled_from("aZ09-_üK\u200b."), max_size=66),
    st.sampled_from(["xn--bcher-kva", "XN--p1ai", "ab--cd", "a-", "-a", "", "x" * 64]),
)
LABELS = st.lists(st.one_of(CLEAN_LABEL, CLEAN_LABEL, CLEAN_LABEL, ODD_LABEL), max_size=4)
TOP = st.sampled_from(["org", "COM", "de", "x1", "1", "a-b", "test", "local", "arpa", "onion"])
DOMAIN = st.tuples(LABELS, TOP).map(lambda parts: ".".join([*parts[0], parts[1]]))


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(local=LOCAL, domain=DOMAIN, join=st.sampled_from(["@"] * 6 + ["@@", "＠", "", " @"]))
def test_the_shortcut_agrees_with_the_validator_on_generated_addresses(local, domain, join):
    value = local + join + domain
    shortcut = plain_address(value)
    assert shortcut is None or shortcut == _reference(value), value


@settings(max_examples=1000, deadline=None)
@given(st.text(min_size=1, max_size=40))
def test_the_shortcut_never_takes_what_the_validator_refuses(value):
    shortcut = plain_address(value)
    assert shortcut is None or shortcut == _reference(value), value


def test_normalise_email_answers_as_before(ctx):
    for value in CORPUS:
        try:
            expected = validate_email(value.strip(), check_deliverability=False)
            expected = expected.normalized.lower()
        except EmailNotValidError:
            expected = None
        try:
            got = addresses.normalise_email(value)
        except addresses.InvalidAddress:
            got = None
        if value.strip() and len(value.strip()) <= addresses.MAX_ADDRESS:
            assert got == expected, value
