"""The one interface every transport implements; the base class owns the send sequence."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass

from service.mail.message import OutgoingMessage


class DeliveryError(Exception):
    """Base of transport errors; the message is the provider's reason, kept for admins."""


class TransientError(DeliveryError):
    """Worth retrying later: rate limits, provider 5xx, timeouts, refused connections."""


class PermanentError(DeliveryError):
    """Retrying cannot help: a rejected address, a bad request, a wrong API key."""


class NotReady(Exception):
    """A transport's self-check failed: `problem` is what it saw, `fix` how to mend it."""

    def __init__(self, problem: str, fix: str):
        super().__init__(problem)
        self.problem, self.fix = problem, fix


@dataclass(frozen=True)
class SendResult:
    ref: int | None
    ok: bool
    provider_id: str | None = None
    error: str | None = None
    transient: bool = False


class Transport:
    """Subclasses implement `deliver_one`, and may override `connection` (open once per batch)
    or `send_many` (a provider that accepts many messages per request)."""

    name = "base"

    def __init__(self, config: dict):
        self.config = config

    @contextmanager
    def connection(self):
        yield None

    def deliver_one(self, message: OutgoingMessage, conn) -> str | None:
        raise NotImplementedError

    def check(self) -> str:
        """Try the configured provider without delivering mail (`turnabout doctor`):
        returns what passed, raises NotReady with the fix."""
        raise NotImplementedError

    def send(self, message: OutgoingMessage) -> str | None:
        """Send one message; raises TransientError or PermanentError."""
        with self.connection() as conn:
            return self.deliver_one(message.expanded(), conn)

    def send_many(self, messages: list[OutgoingMessage]) -> list[SendResult]:
        return [result for unit in self.iter_send(messages) for result in unit]

    def iter_send(self, messages: list[OutgoingMessage]):
        """Yield lists of SendResults, one list per provider round trip, as soon as the
        provider answered, so the caller can record them at once: the less time between
        "accepted" and "recorded", the smaller the window in which a killed worker leaves
        an email to be sent again."""
        done = set()
        try:
            with self.connection() as conn:
                for message in messages:
                    result = self._attempt(message, conn)
                    done.add(message.ref)
                    yield [result]
        except TransientError as exc:  # the connection itself failed: the rest wait for a retry
            yield [
                SendResult(m.ref, False, error=str(exc), transient=True)
                for m in messages
                if m.ref not in done
            ]

    def _attempt(self, message: OutgoingMessage, conn) -> SendResult:
        try:
            provider_id = self.deliver_one(message.expanded(), conn)
            return SendResult(message.ref, True, provider_id=provider_id)
        except TransientError as exc:
            return SendResult(message.ref, False, error=str(exc), transient=True)
        except PermanentError as exc:
            return SendResult(message.ref, False, error=str(exc))
