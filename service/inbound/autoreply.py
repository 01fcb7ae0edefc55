"""Recognise mail no person wrote: bounces, out-of-office notices, other auto-replies.

Such mail is never relayed and never answered (answering an auto-reply is how mail
loops start). An out-of-office notice is still useful: it tells us the person is away.
"""

from __future__ import annotations

import re

from service.inbound.parse import ParsedMail

BOUNCE = "bounce"
OUT_OF_OFFICE = "out-of-office"
AUTO_REPLY = "auto-reply"
BULK = "bulk"

_DAEMON_LOCALS = re.compile(
    r"^(mailer-daemon|postmaster|mail-daemon|mailerdaemon|noreply|no-reply|do-not-reply|"
    r"donotreply|bounce[s]?|bounce[-+].*|auto-?reply|autoresponder)$",
    re.I,
)
_BOUNCE_SUBJECT = re.compile(
    r"(undeliver|delivery status notification|delivery (has )?failed|failure notice|"
    r"returned mail|mail delivery (failed|system)|non[- ]?delivery|unzustellbar|"
    r"non remis|no entregado|onbestelbaar|não entregue|impossibile recapitare)",
    re.I,
)
# Subjects of out-of-office notices, in en, de, fr, es, nl, it, pt.
_OOO_SUBJECT = re.compile(
    r"(out of (the )?office|out-of-office|\booo\b|away from (the )?office|on (annual )?leave|"
    r"on vacation|on holiday|automatic reply|auto(matic)?[- ]?reply|autoreply|"
    r"abwesenheit|abwesend|nicht im büro|außer haus|ausser haus|automatische antwort|"
    r"absence|absent(e)?( du bureau)?|réponse automatique|reponse automatique|"
    r"en congé|en vacances|hors du bureau|"
    r"fuera de la oficina|respuesta automática|respuesta automatica|ausente|de vacaciones|"
    r"afwezig|buiten kantoor|automatisch antwoord|niet aanwezig|met vakantie|"
    r"fuori ufficio|fuori sede|risposta automatica|assente|in ferie|"
    r"fora do escritório|fora do escritorio|resposta automática|resposta automatica|"
    r"ausente do escritório|de férias)",
    re.I,
)


def classify(mail: ParsedMail) -> str | None:
    """BOUNCE, OUT_OF_OFFICE, AUTO_REPLY, BULK, or None for mail a person wrote."""
    local = mail.from_address.split("@")[0] if mail.from_address else ""
    content_type = mail.header("content-type").lower()
    if (
        "multipart/report" in content_type
        or _DAEMON_LOCALS.match(local)
        and _BOUNCE_SUBJECT.search(mail.subject)
        or local.lower() in ("mailer-daemon", "postmaster")
        or mail.envelope_from in ("", "<>")
        and _BOUNCE_SUBJECT.search(mail.subject)
    ):
        return BOUNCE
    auto_submitted = mail.header("auto-submitted").lower()
    precedence = mail.header("precedence").lower()
    flagged = (
        (auto_submitted and auto_submitted != "no")
        or any(mail.header(h) for h in ("x-autoreply", "x-autorespond", "x-autoresponder"))
        or mail.header("x-auto-response-suppress").lower() in ("all", "oof")
        and _OOO_SUBJECT.search(mail.subject)
        or precedence in ("auto_reply",)
    )
    ooo_subject = bool(_OOO_SUBJECT.search(mail.subject))
    if flagged and (ooo_subject or auto_submitted == "auto-replied"):
        return OUT_OF_OFFICE  # RFC 3834 "auto-replied" is what vacation responders send
    if _OOO_SUBJECT.match(_strip_prefixes(mail.subject)):
        # No header, but the subject starts with the notice ("Abwesenheitsnotiz: ...");
        # a person replying in our thread keeps the thread's subject instead.
        return OUT_OF_OFFICE
    if flagged:
        return AUTO_REPLY
    if precedence in ("bulk", "junk", "list") or mail.header("list-id"):
        return BULK
    if _DAEMON_LOCALS.match(local):
        return AUTO_REPLY
    return None


_PREFIX = re.compile(r"^\s*((re|aw|sv|antw|r|rif|res|wg|fw|fwd|tr)\s*:\s*)+", re.I)


def _strip_prefixes(subject: str) -> str:
    return _PREFIX.sub("", subject or "")
