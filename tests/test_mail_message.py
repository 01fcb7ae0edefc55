from email.utils import formataddr, parseaddr

import pytest
from hypothesis import given
from hypothesis import strategies as st

from service.mail.message import HeaderInjectionError, OutgoingMessage, split_address


def make(**overrides):
    values = {
        "to": "Ana <ana@example.org>",
        "from_": "Turnabout <hello@turnabout.test>",
        "subject": "Hello",
        "text": "Hi\n",
        "html": "<p>Hi</p>",
        "message_id": "<1.abc@turnabout.test>",
    }
    values.update(overrides)
    return OutgoingMessage(**values)


@pytest.mark.parametrize(
    "field,value",
    [
        ("subject", "Hello\r\nBcc: victim@example.org"),
        ("subject", "Hello\nX-Injected: 1"),
        ("to", "Ana\r\n <ana@example.org>"),
        ("reply_to", "reply@x.test\nBcc: a@b.c"),
        ("from_", "Eve\n <hello@turnabout.test>"),
    ],
)
def test_line_breaks_in_headers_are_refused(field, value):
    with pytest.raises(HeaderInjectionError, match="line break"):
        make(**{field: value})


def test_line_break_in_custom_header_is_refused():
    with pytest.raises(HeaderInjectionError):
        make(headers={"List-ID": "x\r\nBcc: a@b.c"})


def test_message_ids_need_angle_brackets():
    with pytest.raises(HeaderInjectionError):
        make(in_reply_to="1.abc@turnabout.test")


def test_email_message_is_multipart_alternative_with_threading():
    msg = make(
        in_reply_to="<root@turnabout.test>",
        references=("<root@turnabout.test>",),
        reply_to="reply+k@reply.turnabout.test",
    ).to_email_message()
    assert msg.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in msg.iter_parts()] == ["text/plain", "text/html"]
    assert msg["In-Reply-To"] == "<root@turnabout.test>"
    assert msg["References"] == "<root@turnabout.test>"
    assert msg["Date"]
    assert msg["Reply-To"] == "reply+k@reply.turnabout.test"


@given(
    name=st.text(max_size=30),
    local=st.from_regex(r"[a-z0-9.+_-]{1,20}", fullmatch=True),
    domain=st.from_regex(r"[a-z0-9-]{1,15}\.[a-z]{2,6}", fullmatch=True),
)
def test_split_address_reads_what_formataddr_writes_as_parseaddr_does(name, local, domain):
    value = formataddr((name, f"{local}@{domain}"))
    assert split_address(value) == parseaddr(value)


@pytest.mark.parametrize("name", [" ", "\t", " Ana", "Ana ", "Ana  Maria", "Ana\tB", "Ana\xa0B"])
def test_split_address_reads_odd_spacing_in_a_name_as_parseaddr_does(name):
    # Found by the property test above: a name of one space came back as " ", not "".
    value = formataddr((name, "ana@example.org"))
    assert split_address(value) == parseaddr(value)
