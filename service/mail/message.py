"""An email as data: built once, validated once, handed to any transport."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

from service.database import utcnow


class HeaderInjectionError(ValueError):
    """A header value contained CR or LF: refused, never passed through."""


_CRLF = re.compile(r"[\r\n]")
_MESSAGE_ID = re.compile(r"^<[^<>\s@]+@[^<>\s@]+>$")
LOCAL_PART = re.compile(r"^[A-Za-z0-9.+_=-]+$")


def check_header(name: str, value: str) -> str:
    if _CRLF.search(value or ""):
        raise HeaderInjectionError(
            f"The {name} header contains a line break; refusing to send "
            "(possible header injection)."
        )
    return value


def fill_tags(value: str | None, substitutions: dict[str, str]) -> str | None:
    """Replace every tag in one pass: a value that happens to contain a tag stays as is."""
    if not value or not substitutions:
        return value
    pattern = re.compile("|".join(map(re.escape, substitutions)))
    return pattern.sub(lambda m: substitutions[m.group()], value)


# "Name <a@b>" as formataddr writes it when the name needs no quoting.
_PLAIN_NAME_ADDRESS = re.compile(r'^([^"()<>@,:;.\\\[\]]*) <([^<>\s@]+@[^<>\s@]+)>$')


def split_address(value: str) -> tuple[str, str]:
    """(name, address), as email.utils.parseaddr gives, without its full parser for the
    plain forms a bulk send is made of (parseaddr was a tenth of a send's time)."""
    if "<" not in value and '"' not in value and " " not in value.strip():
        return "", value.strip()
    plain = _PLAIN_NAME_ADDRESS.match(value)
    # parseaddr joins a name's words with single spaces: any other spacing is left to it.
    if plain and " ".join(plain.group(1).split()) == plain.group(1):
        return plain.group(1), plain.group(2)
    return parseaddr(value)


@dataclass(frozen=True)
class OutgoingMessage:
    to: str  # "Name <addr>" or "addr"
    from_: str
    subject: str
    text: str
    html: str
    message_id: str
    reply_to: str | None = None
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()
    headers: dict[str, str] = field(default_factory=dict)
    category: str = "transactional"
    # Our own id (OutgoingEmail.id) so transports can report per-message outcomes.
    ref: int | None = None
    # tag -> value: `text`, `html` and `reply_to` may hold tags shared by many messages
    # (see service.mail.personalize); expanded() fills them in. SendGrid fills them in
    # itself, so a thousand such messages travel in one request.
    substitutions: dict[str, str] = field(default_factory=dict)

    def __post_init__(self):
        for name, value in (
            ("To", self.to),
            ("From", self.from_),
            ("Subject", self.subject),
            ("Reply-To", self.reply_to or ""),
            ("Category", self.category),
            *self.headers.items(),
        ):
            check_header(name, value)
        for mid in (self.message_id, self.in_reply_to, *self.references):
            if mid is not None and not _MESSAGE_ID.match(mid):
                raise HeaderInjectionError(f"{mid!r} is not a valid <id@domain> message id.")
        if "@" not in split_address(self.to)[1]:
            raise ValueError(f"{self.to!r} is not an email address.")
        for tag, value in self.substitutions.items():
            if self.reply_to and tag in self.reply_to and not LOCAL_PART.match(value):
                raise HeaderInjectionError(f"{value!r} cannot be part of a Reply-To address.")

    def expanded(self) -> OutgoingMessage:
        """The message with every tag replaced by its value: what the recipient gets."""
        if not self.substitutions:
            return self
        return replace(
            self,
            text=fill_tags(self.text, self.substitutions),
            html=fill_tags(self.html, self.substitutions),
            reply_to=fill_tags(self.reply_to, self.substitutions),
            substitutions={},
        )

    @property
    def to_address(self) -> str:
        return split_address(self.to)[1]

    def all_headers(self) -> dict[str, str]:
        """Threading and list headers, in the order mail clients expect them."""
        headers = {"Message-ID": self.message_id}
        if self.in_reply_to:
            headers["In-Reply-To"] = self.in_reply_to
        if self.references:
            headers["References"] = " ".join(self.references)
        headers.update(self.headers)
        return headers

    def to_email_message(self) -> EmailMessage:
        if self.substitutions:
            return self.expanded().to_email_message()
        msg = EmailMessage()
        msg["From"] = _address_header(self.from_)
        msg["To"] = _address_header(self.to)
        if self.reply_to:
            msg["Reply-To"] = _address_header(self.reply_to)
        msg["Subject"] = self.subject
        msg["Date"] = format_datetime(utcnow())
        headers = self.all_headers()
        for name, value in headers.items():
            if not name.lower().startswith("content-"):
                msg[name] = value
        msg.set_content(self.text)
        msg.add_alternative(self.html, subtype="html")
        # After the body: set_content() moves Content-* headers (Content-Language) into
        # the first part, and they belong to the whole message.
        for name, value in headers.items():
            if name.lower().startswith("content-"):
                msg[name] = value
        return msg


def _address_header(value: str):
    name, addr = parseaddr(value)
    if "@" not in addr:
        raise ValueError(f"{value!r} is not an email address.")
    local, domain = addr.rsplit("@", 1)
    return Address(display_name=name, username=local, domain=domain)
