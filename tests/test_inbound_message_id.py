"""The webhook reads a message's Message-ID (its de-duplication key) with a line reader of
its own instead of the email package's parser: it must give the parser's answer for
every input, ordinary, malformed or hostile."""

from __future__ import annotations

import random
from email.parser import BytesParser

import pytest
from hostile_inbound import Addresses, hostile_posts

from service.inbound.bounds import BOUNDED_POLICY
from service.inbound.parse import first_raw_header, message_id_of, message_ids
from tests.factories_inbound import DATA, reply_mime


def parser_message_id(data: bytes) -> str | None:
    """What the webhook stored before: the email package's first raw Message-ID."""
    message = BytesParser(policy=BOUNDED_POLICY).parsebytes(data, headersonly=True)
    values = [
        str(v).encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        for k, v in message.raw_items()
        if k.lower() == "message-id"
    ]
    ids = message_ids(values[0]) if values else []
    return ids[0][:250] if ids else None


HEADER_BLOCKS = [
    b"Message-ID: <a@b>\r\nSubject: x\r\n\r\nbody",
    b"Subject: x\nMessage-Id:\n <folded@b>\n\nbody",
    b"From someone@example.org Mon Dec  7 09:00:00 2026\nMessage-ID: <after-envelope@b>\n\n",
    b"Subject: x\nFrom misplaced envelope\nMessage-ID: <m@b>\n\n",
    b"Subject: x\nMessage-ID: <last@b>\nFrom the body start\n",
    b": no name\n <continued@b>\nMessage-ID: <real@b>\n\n",
    b" first line folded <no@b>\nMessage-ID: <ok@b>\n\n",
    b"Subject: x\nNot a header line\nMessage-ID: <in-body@b>\n\n",
    b"Message-ID : <space-before-colon@b>\nMessage-ID: <second@b>\n\n",
    b"message-id: <lower@b>\nMESSAGE-ID: <upper@b>\n\n",
    b"Subject: x\rMessage-ID: <cr-only@b>\r\rbody",
    b"Subject: x\x0bMessage-ID: <vertical-tab@b>\n\n",
    b"Subject: \xff\xfe\nMessage-ID: <\xc3\xa9t\xc3\xa9@b>\n\n",
    b"Message-ID: <\xff@b> <two@b>\n\n",
    b"Message-ID: no angle brackets\n\n",
    b"Message-ID: <a@b>",  # no line end at all
    b"",
    b"\n\nMessage-ID: <after-blank@b>\n",
    b"X: " + b"y" * 70_000 + b"\nMessage-ID: <after-long@b>\n\n",
    b"Message-ID: <" + b"z" * 400 + b"@b>\n\n",
]


@pytest.mark.parametrize("data", HEADER_BLOCKS, ids=range(len(HEADER_BLOCKS)))
def test_the_line_reader_gives_the_parsers_message_id(data):
    assert message_id_of(data) == parser_message_id(data[: 256 * 1024])


def test_the_line_reader_agrees_on_real_and_hostile_mail():
    samples = [path.read_bytes() for path in DATA.glob("*.eml")]
    samples.append(reply_mime(sender="a@example.org", to="reply+k@x.test", text="Hi"))
    where = Addresses(replies=["reply+abcdef12@x.test"], senders=["a@example.org"], domain="x")
    for post in hostile_posts(7, 300, where):
        samples.append(post.body)  # a whole multipart form: headers of its own kind
        if b"\r\n\r\n" in post.body:
            samples.append(post.body.split(b"\r\n\r\n", 1)[1])  # the first field's value
    rng = random.Random(3)
    for sample in list(samples[:40]):
        for _ in range(5):  # cut and spliced at random places
            cut = rng.randrange(len(sample) + 1)
            samples.append(sample[:cut] + rng.choice([b"\r", b"\n", b" ", b":", b"\x00"]))
            samples.append(sample[cut:])
    assert len(samples) > 600
    for data in samples:
        assert message_id_of(data) == parser_message_id(data[: 256 * 1024]), data[:200]


def test_first_raw_header_keeps_folding_and_reads_only_the_first_field():
    data = b"Subject: a\r\nReferences: <1@b>\r\n <2@b>\r\nReferences: <3@b>\r\n\r\n"
    assert first_raw_header(data, b"references") == b"<1@b>\r\n <2@b>"
    assert first_raw_header(data, b"message-id") is None
