"""The webhook's multipart/form-data parser (service.inbound.multipart): exact bytes,
both line ends, what it refuses, its limits, and the same fields as werkzeug's parser
on seeded random forms."""

from __future__ import annotations

import io
import random

import pytest
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.formparser import MultiPartParser

from service.inbound.multipart import MultipartError, parameters, parse
from tests.factories_inbound import INBOUND_URL

B = "xYzZY"


def body_of(parts: list[tuple[str, bytes]], *, eol: bytes = b"\r\n", boundary: str = B) -> bytes:
    """parts: (Content-Disposition parameters, value)."""
    out = b""
    for params, value in parts:
        out += b"--" + boundary.encode() + eol
        out += b"Content-Disposition: form-data; " + params.encode() + eol + eol
        out += value + eol
    return out + b"--" + boundary.encode() + b"--" + eol


def fields_of(body: bytes, boundary: str = B, **limits):
    limits = {"max_field": 10**7, "max_parts": 1000} | limits
    return parse(body, boundary, **limits)


@pytest.mark.parametrize("eol", [b"\r\n", b"\n"])
def test_values_come_back_as_the_exact_bytes_sent(eol):
    eight_bit = bytes(range(256)) + b"Ol\xe1, reuni\xe3o \xff\xfe\x00"
    body = body_of(
        [('name="email"', eight_bit), ('name="to"', b"a@example.org"), ('name="e"', b"")], eol=eol
    )
    form = fields_of(body)
    assert form.fields == {"email": eight_bit, "to": b"a@example.org", "e": b""}
    assert form.files == []


def test_a_value_may_hold_dashes_and_pieces_of_the_boundary():
    tricky = (
        b"-- signature\r\n--\r\n--xYz\r\n--xYzZ\n--xYzZYand more on the line\r\n"
        b"a --xYzZY mid-line --xYzZY--\r\n\r\n--"
    )
    form = fields_of(body_of([('name="text"', tricky), ('name="x"', b"--")]))
    assert form.fields == {"text": tricky, "x": b"--"}


def test_preamble_and_epilogue_are_ignored():
    body = b"This is the preamble.\r\n" + body_of([('name="a"', b"1")]) + b"epilogue\r\n--xYzZY\r\n"
    assert fields_of(body).fields == {"a": b"1"}


def test_blanks_after_a_delimiter_and_folded_headers():
    body = (
        b'--xYzZY \t\r\nContent-Disposition: form-data;\r\n\tname="a"\r\nX-Other: 1\r\n\r\n'
        b"one\r\n--xYzZY--  \r\n"
    )
    assert fields_of(body).fields == {"a": b"one"}


def test_quoted_and_bare_names_and_a_file_part():
    body = body_of(
        [
            ('name="quoted"', b"1"),
            ("name=bare", b"2"),
            ('name="semi;colon = x"', b"3"),
            ('name="attachment1"; filename="notes \\"v2\\".pdf"', b"%PDF-1.4 fake"),
            ('name=nofile; filename=""', b"xx"),
            ('name="quoted"', b"a second value: the first counts"),
            ('filename="no-name.txt"', b"skipped"),
        ]
    )
    form = fields_of(body)
    assert form.fields == {"quoted": b"1", "bare": b"2", "semi;colon = x": b"3"}
    assert form.files == [("attachment1", 'notes "v2".pdf', 13), ("nofile", "", 2)]


def test_parameters():
    assert parameters('form-data; name="a\\"b"; x; FileName*=UTF-8\'\'%C3%A9.pdf; y = 1') == {
        "name": 'a"b',
        "filename": "é.pdf",
        "y": "1",
    }
    assert parameters('form-data; name="%22quoted%22"') == {"name": '"quoted"'}
    assert parameters('form-data; name="never closed') == {"name": "never closed"}
    assert parameters("form-data") == {}


def test_an_empty_body_is_an_empty_form():
    form = fields_of(b"")
    assert form.fields == {} and form.files == []


def test_a_body_cut_anywhere_before_its_closing_delimiter_is_refused():
    body = b"preamble\r\n" + body_of([('name="a"', b"one\r\ntwo"), ('name="b"', b"")])
    closing = body.rindex(b"--xYzZY--") + len(b"--xYzZY--")
    for cut in range(1, closing):
        with pytest.raises(MultipartError):
            fields_of(body[:cut])
    assert fields_of(body[:closing]).fields == {"a": b"one\r\ntwo", "b": b""}


@pytest.mark.parametrize(
    ("body", "boundary"),
    [
        (body_of([('name="a"', b"1")]), ""),  # no boundary parameter
        (body_of([('name="a"', b"1")]), "x" * 201),
        (body_of([('name="a"', b"1")]), "bad\r\nboundary"),
        (body_of([('name="a"', b"1")]), "ünïcode"),
        (body_of([('name="a"', b"1")]), "other"),  # not the body's boundary
        (b"--xYzZY\r\n\r\nno headers\r\n--xYzZY--\r\n", B),  # no Content-Disposition
        (b'--xYzZY\r\nContent-Disposition: form-data; name="\xff"\r\n\r\n1\r\n--xYzZY--', B),
        (b"--xYzZY\rContent-Disposition: form-data; name=a\r\r1\r--xYzZY--\r", B),  # bare CR
    ],
)
def test_what_is_refused(body, boundary):
    with pytest.raises(MultipartError):
        fields_of(body, boundary)


def test_header_lines_are_bounded():
    many = (
        b"--xYzZY\r\n" + b"X-Header: 1\r\n" * 17 + b"Content-Disposition: form-data; name=a\r\n\r\n"
    )
    with pytest.raises(MultipartError):
        fields_of(many + b"1\r\n--xYzZY--\r\n")
    endless = b"--xYzZY\r\nContent-Disposition: form-data; name=a; x=" + b"y" * 20_000
    with pytest.raises(MultipartError):
        fields_of(endless + b"\r\n\r\n1\r\n--xYzZY--\r\n")


def test_limits_answer_413():
    body = body_of([(f'name="f{i}"', b"v") for i in range(5)])
    assert len(fields_of(body, max_parts=5).fields) == 5
    with pytest.raises(RequestEntityTooLarge):
        fields_of(body, max_parts=4)
    big = body_of([('name="email"', b"x" * 1001), ('name="file"; filename="a"', b"y" * 5000)])
    with pytest.raises(RequestEntityTooLarge):
        fields_of(big, max_field=1000)
    assert fields_of(big, max_field=1001).files == [("file", "a", 5000)]  # files: size only


def test_the_webhook_answers_400_to_a_broken_upload_and_413_when_too_large(make_app):
    app = make_app(MAX_INBOUND_BYTES=10_000, MAX_FORM_PARTS=20)
    client = app.test_client()
    url, content_type = INBOUND_URL, f"multipart/form-data; boundary={B}"
    truncated = body_of([('name="email"', b"Subject: hi\r\n\r\nhello")])[:-12]
    response = client.post(url, data=truncated, content_type=content_type)
    assert (response.status_code, response.get_data()) == (400, b"unreadable request\n")
    response = client.post(url, data=body_of([]), content_type="multipart/form-data")
    assert (response.status_code, response.get_data()) == (400, b"unreadable request\n")
    too_long = body_of([('name="email"', b"x" * (10_000 + 1024 * 1024))])
    assert client.post(url, data=too_long, content_type=content_type).status_code == 413
    parts = body_of([(f'name="f{i}"', b"v") for i in range(21)])
    assert client.post(url, data=parts, content_type=content_type).status_code == 413


# ------------------------------------------------------------------ against werkzeug


class _Latin1Parts(MultiPartParser):
    def get_part_charset(self, headers) -> str:
        return "latin-1"  # so werkzeug's values are bytes too, once encoded back


def werkzeug_form(body: bytes, boundary: str):
    parser = _Latin1Parts(max_form_memory_size=None)
    form, files = parser.parse(io.BytesIO(body), boundary.encode(), len(body))
    fields = {k: v.encode("latin-1") for k, v in form.items(multi=False)}
    attached = []
    for name, storage in files.items(multi=True):
        attached.append((name, storage.filename or "", len(storage.stream.read())))
        storage.close()
    return fields, attached


NAME_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-"


def random_value(rng: random.Random, boundary: bytes) -> bytes:
    pieces = [
        lambda: rng.randbytes(rng.randrange(0, 200)),
        lambda: b"--",
        lambda: rng.choice([b"\r\n", b"\n", b"\r"]),
        lambda: rng.choice([b"\r\n", b"\n"]) + b"--" + boundary[: rng.randrange(len(boundary))],
        lambda: b"\r\n--" + boundary + b"x",
        lambda: b"a--" + boundary + b"--",
        lambda: "Grüße".encode(rng.choice(["utf-8", "latin-1"])),
    ]
    value = b"".join(rng.choice(pieces)() for _ in range(rng.randrange(0, 8)))
    if b"\n--" + boundary in value or b"\r--" + boundary in value:
        return b"clean"  # a line starting with the delimiter is not content in any parser
    return value


def random_form(rng: random.Random) -> tuple[bytes, str]:
    boundary = "xYzZY" + rng.randbytes(6).hex() if rng.random() < 0.8 else B
    delimiter = b"--" + boundary.encode()
    eol = rng.choice([b"\r\n", b"\n"])
    out = [rng.choice([b"", b"preamble" + eol, b"a preamble\r\nof lines" + eol])]
    for _ in range(rng.randrange(0, 9)):
        name = "".join(rng.choice(NAME_CHARS) for _ in range(rng.randrange(1, 12)))
        if rng.random() < 0.3:
            disposition = f"form-data; name={name}"
        else:
            name += rng.choice(["", " with space", "; semi", "é"])
            disposition = f'form-data; name="{name}"'
        if rng.random() < 0.2:
            disposition += f'; filename="{rng.choice(["a.pdf", "my notes.txt", ""])}"'
        out.append(delimiter + rng.choice([b"", b" ", b"\t "]) + eol)
        out.append(b"Content-Disposition: " + disposition.encode() + eol)
        if rng.random() < 0.3:
            out.append(b"Content-Type: text/plain; charset=utf-8" + eol)
        out.append(eol + random_value(rng, boundary.encode()) + eol)
    out.append(delimiter + b"--" + eol + rng.choice([b"", b"epilogue" + eol]))
    return b"".join(out), boundary


def test_the_same_fields_as_werkzeug_on_random_forms():
    rng = random.Random(20261207)
    for n in range(300):
        body, boundary = random_form(rng)
        fields, files = werkzeug_form(body, boundary)
        form = fields_of(body, boundary)
        assert (form.fields, form.files) == (fields, files), (n, body)
