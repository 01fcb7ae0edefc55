"""Who really sent an inbound message: the From mailbox as mail servers read it, and
whether the receiving server's verdict authenticates its domain.

Anyone can write any From header. What SendGrid's MX measured cannot be forged: the
`dkim` field ("{@example.org : pass}", one entry per signature; read by
service.mail.transports.sendgrid.inbound_parse), the `SPF` field (the verdict for the
envelope sender) and the envelope's `from`. A message counts as
authenticated only when one of them vouches for the From domain (DMARC's alignment):

- a DKIM signature that passed, signed by the From domain or a parent of it, or
- an SPF pass for an envelope sender whose domain is the From domain, or one of them
  a sub-domain of the other (bounce.example.org for example.org).

Domains are compared label by label, never as strings: notexample.org is not
example.org. `Authentication-Results` headers are read only when written by a server
named in INBOUND_AUTHSERV_IDS (anyone can add that header to the mail they send).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from service.mail.transports.sendgrid.inbound_parse import dkim_passes

# Linear patterns only: each has one bounded or non-overlapping repeat.
_QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"')
_COMMENT = re.compile(r"\([^()]*\)")
_ANGLE = re.compile(r"<([^<>]*)>")
_AR_RESULT = re.compile(r"\b(dkim|spf)=([a-z]{1,20})([^;]*)", re.I)
_AR_PROPERTY = re.compile(r"\b(header\.d|header\.i|smtp\.mailfrom)=([^\s;]{1,300})", re.I)
MAX_FROM_HEADER = 2000


def sender_mailbox(header: str) -> tuple[str, str] | None:
    """(display name, address) of a From header, read as an MTA reads it.

    `victim@example.org <attacker@evil.example>` is the attacker: the angle address is
    the mailbox, whatever the display name looks like. Python's parser returns the
    victim. None for no mailbox, or for several (nobody can reply to "both").
    """
    header = (header or "")[:MAX_FROM_HEADER].replace("\r", " ").replace("\n", " ")
    unquoted = _COMMENT.sub(" ", _QUOTED.sub('""', header))
    angles = _ANGLE.findall(unquoted)
    if len(angles) > 1 or "," in _ANGLE.sub("", unquoted):
        return None
    if angles:
        address = angles[0].strip()
        name = header[: header.find("<")] if "<" in header else ""
    else:
        address, name = unquoted.strip(), ""
    if address.count("@") != 1 or any(c.isspace() for c in address):
        return None
    local, domain = address.rsplit("@", 1)
    if not local or not domain or "." not in domain:
        return None
    return _clean_name(name), address.lower()


def _clean_name(name: str) -> str:
    name = name.strip().strip('"').strip()
    return " ".join(name.split())[:200]


def domain_of(address: str | None) -> str:
    return (address or "").rsplit("@", 1)[-1].strip().strip(".").lower() if address else ""


def _labels(domain: str) -> list[str]:
    return [label for label in domain.lower().strip(".").split(".")]


def within(domain: str, parent: str) -> bool:
    """`domain` is `parent` or one of its sub-domains, compared label by label. A
    single-label parent ("org") never counts: nobody can sign for a whole TLD."""
    child, ancestor = _labels(domain), _labels(parent)
    if len(ancestor) < 2 or not all(ancestor) or not all(child):
        return False
    return len(child) >= len(ancestor) and child[-len(ancestor) :] == ancestor


def aligned(a: str, b: str) -> bool:
    """Relaxed alignment: the same domain, or one a sub-domain of the other."""
    return within(a, b) or within(b, a)


@dataclass(frozen=True)
class Verdict:
    authenticated: bool
    reason: str  # how it was authenticated, or why not (short; grouped on admin pages)


def authentication_results(headers: list[str], trusted_ids: tuple[str, ...]) -> tuple:
    """(DKIM-pass domains, SPF-pass envelope domains) from Authentication-Results headers
    written by a trusted server (the authserv-id before the first ";")."""
    dkim, spf = [], []
    for value in headers[:20]:
        value = value[:4000]
        authserv = value.split(";", 1)[0].strip().split()[:1]
        if not authserv or authserv[0].lower() not in trusted_ids:
            continue
        for method, result, rest in _AR_RESULT.findall(value):
            if result.lower() != "pass":
                continue
            properties = {k.lower(): v.strip('"').lower() for k, v in _AR_PROPERTY.findall(rest)}
            if method.lower() == "dkim" and properties.get("header.d"):
                dkim.append(properties["header.d"])
            elif method.lower() == "dkim" and properties.get("header.i"):
                dkim.append(domain_of(properties["header.i"]))
            elif method.lower() == "spf" and properties.get("smtp.mailfrom"):
                spf.append(domain_of(properties["smtp.mailfrom"]))
    return dkim, spf


def verdict(
    from_address: str,
    *,
    dkim_field: str | None,
    spf_field: str | None,
    envelope_from: str | None,
    auth_results: tuple[list[str], list[str]] = ([], []),
) -> Verdict:
    domain = domain_of(from_address)
    if not domain:
        return Verdict(False, "no From domain")
    ar_dkim, ar_spf = auth_results
    if any(within(domain, signer) for signer in dkim_passes(dkim_field) + ar_dkim):
        return Verdict(True, "DKIM pass")
    envelope_domain = domain_of(envelope_from)
    spf_pass = (spf_field or "").strip().lower() == "pass"
    if spf_pass and envelope_domain and aligned(envelope_domain, domain):
        return Verdict(True, "SPF pass, aligned")
    if any(aligned(d, domain) for d in ar_spf if d):
        return Verdict(True, "SPF pass, aligned")
    if spf_pass and envelope_domain:
        return Verdict(False, "SPF pass for another domain, no DKIM pass for the From domain")
    if dkim_passes(dkim_field):
        return Verdict(False, "DKIM pass for another domain only, no SPF pass")
    return Verdict(False, "no DKIM or SPF pass")
