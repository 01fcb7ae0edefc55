"""SendGrid's own sample Inbound Parse posts (shipped in the `sendgrid` package under
helpers/inbound/sample_data/), posted as its send.py posts them: the file read as text,
Content-Type multipart/form-data with boundary xYzZY, LF line endings."""

from __future__ import annotations

from pathlib import Path

import pytest
import sendgrid
from sqlalchemy import select

from service.extensions import db
from service.inbound.models import InboundMessage, InboundState

SAMPLES = Path(sendgrid.__file__).parent / "helpers" / "inbound" / "sample_data"
EXPECTED = {
    "default_data.txt": (200, "parsed"),
    "default_data_with_attachments.txt": (400, None),  # the file is empty
    "raw_data.txt": (200, "raw"),
    "raw_data_with_attachments.txt": (200, "raw"),
}


def test_every_sample_is_known():
    assert sorted(p.name for p in SAMPLES.glob("*.txt")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sendgrid_sample_post_is_answered_and_processed(ctx, client, run_jobs, name):
    data = (SAMPLES / name).read_text(encoding="utf-8")
    url = f"/webhooks/inbound/{ctx.config['INBOUND_SECRET']}"
    response = client.post(
        url,
        data=data.encode("utf-8"),
        headers={"User-Agent": "SendGrid-Test"},
        content_type="multipart/form-data; boundary=xYzZY",
    )
    status, mode = EXPECTED[name]
    assert response.status_code == status, response.get_data(as_text=True)
    run_jobs()
    rows = db.session.scalars(select(InboundMessage)).all()
    if mode is None:
        assert rows == []
        return
    (row,) = rows
    assert row.mode == mode
    assert row.state == InboundState.IGNORED  # addressed to SendGrid's example domain
    assert row.outcome == "unknown recipient"
    assert row.fields["SPF"] == "pass" and row.fields["envelope"]["from"] == "test@example.com"
