"""Development transport: each message becomes an .eml file any mail client can open."""

from __future__ import annotations

import os
from pathlib import Path

from service.mail.message import OutgoingMessage
from service.mail.transports.base import Transport


def outbox_filename(message_id: str) -> str:
    # Our message ids start with a UTC timestamp, so names sort by time; the same message
    # always maps to the same file, so a re-run after a crash cannot create a second copy.
    return message_id.strip("<>").split("@")[0] + ".eml"


class OutboxTransport(Transport):
    name = "outbox"

    def deliver_one(self, message: OutgoingMessage, conn) -> str:
        directory = Path(self.config["OUTBOX_DIR"])
        directory.mkdir(parents=True, exist_ok=True)
        final = directory / outbox_filename(message.message_id)
        tmp = directory / f".{final.name}.{os.getpid()}.tmp"
        tmp.write_bytes(bytes(message.to_email_message()))
        os.replace(tmp, final)  # atomic: a reader never sees half a file
        return final.name

    def check(self) -> str:
        folder = Path(self.config["OUTBOX_DIR"])
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / ".doctor"
        probe.write_text("ok")
        probe.unlink()
        return f"outbox: mail is written to {folder}"
