"""People through the console: search and filters, the detail page and its actions, CSV
export and import (checked at once, invited by a background job)."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from service.admin.models import AuditEntry
from service.database import utcnow
from service.extensions import db
from service.mail.models import OutgoingEmail
from service.subscriptions.models import Subscriber, Suppression, address_hash
from tests.factories_admin import (
    admin_post as post,
)
from tests.factories_admin import (
    create_answer,
    create_pairing,
    create_round,
    create_sent_email,
    create_subscriber,
    create_theme,
    signed_in_client,
)
from tests.helpers import csrf_token


@pytest.fixture
def admin(app):
    client, email = signed_in_client(app)
    client.email = email
    return client


def audit(action):
    return db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)).all()


# ---------------------------------------------------------------- people


def test_people_search_and_filters(ctx, admin):
    tech, people = create_theme(name="Tech"), create_theme(name="People")
    create_subscriber(name="Ana Alpha", role="learner", themes=[tech], team="Sales")
    create_subscriber(name="Bo Beta", role="giver", themes=[people], team="Ops")
    create_subscriber(name="Cy Gamma", role="giver", status="pending", team="Sales")
    create_subscriber(name="Di Delta", status="unsubscribed", unsubscribed_at=utcnow())
    db.session.commit()

    def names(query):
        html = admin.get(f"/admin/subscribers?{query}").get_data(as_text=True)
        return {n for n in ("Ana Alpha", "Bo Beta", "Cy Gamma", "Di Delta") if n in html}

    assert names("") == {"Ana Alpha", "Bo Beta", "Cy Gamma", "Di Delta"}
    assert names("q=beta") == {"Bo Beta"}
    assert names("role=giver") == {"Bo Beta", "Cy Gamma"}
    assert names("state=pending") == {"Cy Gamma"}
    assert names("state=unsubscribed") == {"Di Delta"}
    assert names(f"theme={tech.id}") == {"Ana Alpha"}
    assert names("team=sales") == {"Ana Alpha", "Cy Gamma"}


def test_subscriber_detail_pause_resume_and_delete(ctx, admin):
    person = create_subscriber(name="Pat Person", email="pat@example.org")
    round_ = create_round(week="2026-W01")
    giver = create_subscriber(role="giver", name="Gus Giver")
    pairing = create_pairing(round_=round_, learner=person, giver=giver)
    create_answer(pairing=pairing, subscriber=person, question="outcome", value="help")
    create_sent_email(
        subscriber=person, kind="welcome", state="failed", error="550 mailbox unavailable"
    )
    db.session.commit()
    html = admin.get(f"/admin/subscribers/{person.id}").get_data(as_text=True)
    for text in ("pat@example.org", "2026-W01", "Gus Giver", "help", "550 mailbox unavailable"):
        assert text in html, text

    post(admin, f"/admin/subscribers/{person.id}/pause", weeks="2")
    db.session.refresh(person)
    assert person.paused_until == utcnow().date() + timedelta(weeks=2)
    assert "paused until" in admin.get(f"/admin/subscribers/{person.id}").get_data(as_text=True)
    post(admin, f"/admin/subscribers/{person.id}/resume")
    db.session.refresh(person)
    assert person.paused_until is None
    assert [
        e.action
        for e in db.session.scalars(
            select(AuditEntry).where(AuditEntry.object_type == "subscriber")
        )
    ] == ["subscriber.pause", "subscriber.resume"]

    post(admin, f"/admin/subscribers/{person.id}/delete")  # without the confirmation box
    db.session.refresh(person)
    assert person.email == "pat@example.org"
    post(admin, f"/admin/subscribers/{person.id}/delete", confirm="delete")
    db.session.refresh(person)
    assert person.email is None and person.status == "deleted"
    assert len(audit("subscriber.delete_data")) == 1


def test_resend_confirmation_only_for_pending(ctx, admin, run_jobs, outbox):
    pending = create_subscriber(status="pending", email="new@example.org")
    active = create_subscriber(email="old@example.org")
    db.session.commit()
    post(admin, f"/admin/subscribers/{pending.id}/resend")
    post(admin, f"/admin/subscribers/{active.id}/resend")
    run_jobs()
    assert len(outbox.to("new@example.org")) == 1
    assert outbox.to("old@example.org") == []
    assert len(audit("subscriber.resend_confirmation")) == 1


def test_csv_export_is_a_recorded_post_and_spreadsheet_safe(ctx, admin):
    create_subscriber(name='=HYPERLINK("http://evil")', email="x@example.org", team="Ops")
    create_subscriber(name="Plain", email="y@example.org", team="Sales")
    db.session.commit()
    assert admin.get("/admin/subscribers/export").status_code == 405
    response = post(admin, "/admin/subscribers/export", team="Ops")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert [r["email"] for r in rows] == ["x@example.org"]
    assert rows[0]["name"].startswith("'=")
    (entry,) = audit("subscriber.export")
    assert "1 rows" in entry.detail


# ---------------------------------------------------------------- CSV import (subscriptions)


def upload(client, text: str | bytes, name="people.csv"):
    data = text.encode() if isinstance(text, str) else text
    return client.post(
        "/admin/subscribers/import",
        data={
            "csrf_token": csrf_token(client, "/admin/subscribers/import"),
            "file": (io.BytesIO(data), name),
        },
        content_type="multipart/form-data",
    )


def counts():
    return (
        db.session.scalar(select(func.count()).select_from(Subscriber)),
        db.session.scalar(select(func.count()).select_from(OutgoingEmail)),
    )


def test_import_with_one_bad_row_imports_nothing_and_names_the_line(ctx, admin, run_jobs, outbox):
    create_theme(name="Tech")
    db.session.commit()
    before = counts()
    response = upload(
        admin,
        "email,name,role,themes\n"
        "ana@example.org,Ana,learner,Tech\n"
        "not-an-address,Bob,learner,\n"
        "cy@example.org,Cy,boss,Tech\n",
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Nothing was imported" in html
    assert "Line 3:" in html and "not-an-address" in html
    assert "Line 4:" in html and "boss" in html
    assert "Line 2:" not in html
    assert counts() == before
    run_jobs()
    assert len(outbox) == 0


def test_import_invites_new_people_and_reports_the_skipped(ctx, admin, run_jobs, outbox):
    from service.subscriptions.models import Status

    tech = create_theme(name="Tech-savvy prowess")
    create_subscriber(email="known@example.org")
    db.session.add(
        Suppression(address_hash=address_hash("gone@example.org"), reason="unsubscribed")
    )
    db.session.commit()
    text = (
        "Email;Name;Team;Role;Themes\n"
        f"New.One@Example.org;Nia New;Sales;tip-giver;{tech.slug}\n"
        "known@example.org;Kim;;;\n"
        "gone@example.org;Gil;;;\n"
        "\n"
        "new.one@example.org;Nia again;;;\n"
        "two@example.org;;;learner;Tech-savvy prowess\n"
    )
    response = upload(admin, text)
    assert response.status_code == 302
    report_page = response.headers["Location"]
    pending = admin.get(report_page).get_data(as_text=True)
    assert "Sending 4 invitations" in pending and 'http-equiv="refresh"' in pending
    assert counts()[0] == 1  # checked, not imported yet: the worker does that

    run_jobs()
    html = admin.get(report_page).get_data(as_text=True)
    assert 'http-equiv="refresh"' not in html
    report = html.split('id="import-report"')[1].split("</section>")[0]
    assert "<strong>2</strong> invited" in report
    assert "known@example.org (line 3)" in report
    assert "gone@example.org (line 4)" in report
    assert "line 6 repeats new.one@example.org from line 2" in report
    nia = db.session.scalar(select(Subscriber).where(Subscriber.email == "new.one@example.org"))
    assert (nia.status, nia.role, nia.team, nia.source) == (
        Status.PENDING,
        "giver",
        "Sales",
        "import",
    )
    assert [t.slug for t in nia.themes] == [tech.slug]
    assert len(outbox.to("new.one@example.org")) == 1
    assert len(outbox.to("two@example.org")) == 1
    assert outbox.to("gone@example.org") == [] and outbox.to("known@example.org") == []
    (entry,) = audit("subscriber.import")
    assert entry.detail.startswith("2 invited") and entry.admin_id is not None

    from service.admin.imports import run_import  # a second run (a retry) changes nothing

    run_import(report_page.rsplit("/", 1)[1])
    assert counts()[0] == 3 and len(audit("subscriber.import")) == 1


def test_a_failing_import_job_imports_nobody(ctx, admin, run_jobs, outbox, monkeypatch):
    from service.subscriptions import actions

    real_invite, calls = actions.invite, []

    def invite_then_fail(address, **kwargs):
        calls.append(address)
        if len(calls) == 3:
            raise RuntimeError("database went away")
        return real_invite(address, **kwargs)

    monkeypatch.setattr(actions, "invite", invite_then_fail)
    before = counts()
    rows = "".join(f"p{i}@example.org,P {i}\n" for i in range(5))
    report_page = upload(admin, "email,name\n" + rows).headers["Location"]
    run_jobs()
    assert counts() == before  # the two invitations before the failure were rolled back
    html = admin.get(report_page).get_data(as_text=True)
    assert "nothing was imported" in html and "database went away" in html
    run_jobs()
    assert len(outbox) == 0


def test_an_expired_import_report_is_a_clear_404(ctx, admin):
    response = admin.get("/admin/subscribers/import/no-such-import")
    assert response.status_code == 404
    assert "expired" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"name,team\nAna,Ops\n", "“email”"),
        ("email\nané@example.org\n".encode("latin-1"), "CSV UTF-8"),
        (b"", "Choose a CSV file"),
    ],
)
def test_import_file_problems(ctx, admin, content, message):
    before = counts()
    response = upload(admin, content)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert counts() == before
