"""Content through the console: themes, challenges (with the live preview and the test
send), programme settings; every change in the audit log, bad input stores nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from service.admin.models import AuditEntry
from service.extensions import db
from service.rounds.models import Challenge, Theme
from service.settings import get_setting
from tests.factories_admin import (
    create_answer,
    create_challenge,
    create_pairing,
    create_round,
    create_subscriber,
    create_theme,
    signed_in_client,
)
from tests.helpers import csrf_token, html_of, text_of


@pytest.fixture
def editor(app):
    client, email = signed_in_client(app, role="editor")
    client.email = email
    return client


def audit(action):
    return db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
    ).all()


def challenge_data(theme, **overrides):
    return {
        "theme_id": str(theme),
        "title": "Turn meeting notes into a summary",
        "learner_task": "Ask an **AI assistant** to turn your notes into a one-page summary.",
        "giver_prompt": "What is the one prompt you wish someone had shown you?",
        "starter_tip": "Start with one paragraph.",
        "links": "Prompting guide | https://example.org/guide",
        **overrides,
    }


# ---------------------------------------------------------------- themes


def test_theme_create_edit_retire_with_audit(ctx, editor):
    token = csrf_token(editor, "/admin/themes/new")
    response = editor.post(
        "/admin/themes/new",
        data={"csrf_token": token, "name": "Public speaking", "tagline": "Talks", "position": ""},
    )
    assert response.status_code == 302
    theme = db.session.scalar(select(Theme).where(Theme.name == "Public speaking"))
    assert theme.slug == "public-speaking"
    editor.post(
        f"/admin/themes/{theme.id}",
        data={
            "csrf_token": token,
            "name": "Public speaking",
            "tagline": "Short talks",
            "description": "",
            "position": "3",
        },
    )
    editor.post(f"/admin/themes/{theme.id}/retire", data={"csrf_token": token, "retired": "1"})
    db.session.refresh(theme)
    assert theme.retired and theme.tagline == "Short talks" and theme.position == 3
    (edit,) = audit("theme.edit")
    assert edit.before["tagline"] == "Talks" and edit.after["tagline"] == "Short talks"
    (retire,) = audit("theme.retire")
    assert retire.before["retired"] is False and retire.after["retired"] is True
    assert retire.admin_id is not None
    html = editor.get("/admin/themes").get_data(as_text=True)
    assert "retired" in html and "Offer again" in html


def test_theme_form_errors_are_next_to_the_field_and_nothing_is_stored(ctx, editor):
    create_theme(name="Existing")
    db.session.commit()
    token = csrf_token(editor, "/admin/themes/new")
    response = editor.post(
        "/admin/themes/new", data={"csrf_token": token, "name": "existing", "position": "x"}
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="name-error"' in html and "already has this name" in html
    assert 'id="position-error"' in html
    assert db.session.scalar(select(func.count()).select_from(Theme)) == 1


# ---------------------------------------------------------------- challenges


def test_create_and_edit_a_challenge_records_before_and_after(ctx, editor):
    theme = create_theme(name="Tech")
    db.session.commit()
    token = csrf_token(editor, "/admin/challenges/new")
    response = editor.post(
        "/admin/challenges/new", data={"csrf_token": token, **challenge_data(theme.id)}
    )
    assert response.status_code == 302
    challenge = db.session.scalar(select(Challenge))
    assert challenge.links == [{"title": "Prompting guide", "url": "https://example.org/guide"}]
    response = editor.post(
        f"/admin/challenges/{challenge.id}",
        data={"csrf_token": token, **challenge_data(theme.id, title="Summarise with AI")},
    )
    assert response.status_code == 302
    db.session.refresh(challenge)
    assert challenge.title == "Summarise with AI"
    (created,) = audit("challenge.create")
    assert created.after["title"] == "Turn meeting notes into a summary"
    (edited,) = audit("challenge.edit")
    assert edited.before["title"] == "Turn meeting notes into a summary"
    assert edited.after["title"] == "Summarise with AI"
    log = editor.get("/admin/audit")
    assert log.status_code == 403  # the audit log page is for admins


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "", "short title"),
        ("learner_task", "", "what the learner should try"),
        ("giver_prompt", "<script>alert(1)</script>Hi", "HTML tags are not allowed"),
        ("learner_task", "Try <style>body{display:none}</style>", "HTML tags are not allowed"),
        ("links", "Guide | http://insecure.example", "https://"),
        ("theme_id", "999", "Choose the theme"),
    ],
)
def test_challenge_validation(ctx, editor, field, value, message):
    theme = create_theme()
    db.session.commit()
    token = csrf_token(editor, "/admin/challenges/new")
    response = editor.post(
        "/admin/challenges/new",
        data={"csrf_token": token, **challenge_data(theme.id, **{field: value})},
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert f'id="{field}-error"' in html
    assert message in html
    assert "<script>alert" not in html  # the typed value is shown escaped
    assert db.session.scalar(select(func.count()).select_from(Challenge)) == 0


def test_challenge_list_filters(ctx, editor):
    tech, people = create_theme(name="Tech"), create_theme(name="People")
    used = create_challenge(theme=tech, title="Used and loved")
    create_challenge(theme=tech, title="Never used")
    low = create_challenge(theme=people, title="Used, rated low")
    create_challenge(theme=people, title="Old one", retired=True)
    for week, challenge, rating in (("2026-W40", used, "5"), ("2026-W41", low, "2")):
        round_ = create_round(week=week, challenge=challenge)
        learner, giver = create_subscriber(), create_subscriber(role="giver")
        pairing = create_pairing(round_=round_, learner=learner, giver=giver)
        create_answer(pairing=pairing, subscriber=learner, question="rating", value=rating)
    db.session.commit()

    def titles(query):
        html = editor.get(f"/admin/challenges?{query}").get_data(as_text=True)
        return {
            t for t in ("Used and loved", "Never used", "Used, rated low", "Old one") if t in html
        }

    assert titles("") == {"Used and loved", "Never used", "Used, rated low"}
    assert titles(f"theme={tech.id}") == {"Used and loved", "Never used"}
    assert titles("used=unused") == {"Never used"}
    assert titles("used=used") == {"Used and loved", "Used, rated low"}
    assert titles("rating=4") == {"Used and loved"}
    assert titles("rating=low") == {"Used, rated low"}
    assert titles("rating=none") == {"Never used"}
    assert "Old one" in titles("retired=1")


# ---------------------------------------------------------------- preview (rounds contract)


def test_preview_renders_the_real_emails_from_the_typed_text(ctx, editor):
    theme = create_theme(name="Tech-savvy prowess")
    db.session.commit()
    token = csrf_token(editor, "/admin/challenges/new")
    data = challenge_data(
        theme.id,
        title="Pin your top three tools",
        learner_task="Pin the **three tools** you open most.",
    )
    response = editor.post("/admin/challenges/preview", data={"csrf_token": token, **data})
    assert response.status_code == 200
    emails = response.get_json()["emails"]
    assert set(emails) == {"learner", "giver"}
    assert "Pin your top three tools" in emails["learner"]["subject"]
    assert "<strong>three tools</strong>" in emails["learner"]["html"]
    assert "three tools" in emails["learner"]["text"]
    assert "prompt you wish" in emails["giver"]["html"]

    changed = {**data, "learner_task": "Something else entirely"}
    emails = editor.post(
        "/admin/challenges/preview", data={"csrf_token": token, **changed}
    ).get_json()["emails"]
    assert "Something else entirely" in emails["learner"]["html"]
    assert "<strong>three tools</strong>" not in emails["learner"]["html"]
    assert db.session.scalar(select(func.count()).select_from(Challenge)) == 0  # stores nothing


def test_preview_never_carries_script_or_style(ctx, editor):
    theme = create_theme()
    db.session.commit()
    token = csrf_token(editor, "/admin/challenges/new")
    data = challenge_data(
        theme.id,
        learner_task='<script>alert("x")</script> [click](javascript:alert(1)) '
        "<img src=x onerror=alert(1)> <style>p{}</style>",
        giver_prompt='<iframe src="https://evil.example"></iframe>',
    )
    response = editor.post("/admin/challenges/preview", data={"csrf_token": token, **data})
    assert response.status_code == 200  # shown (escaped) while typing; saving is refused
    for email in response.get_json()["emails"].values():
        html = email["html"].lower()
        assert "<script" not in html and "<iframe" not in html and "<img" not in html
        assert 'href="javascript' not in html  # the text may show, never as a link
        assert "<style>p{}" not in html and "&lt;script&gt;" in html


def test_preview_needs_a_theme_and_a_csrf_token(ctx, editor):
    token = csrf_token(editor, "/admin/challenges/new")
    response = editor.post("/admin/challenges/preview", data={"csrf_token": token, "title": "x"})
    assert response.status_code == 422
    assert "theme_id" in response.get_json()["errors"]
    assert editor.post("/admin/challenges/preview", data={"title": "x"}).status_code == 400


def test_send_me_a_test_mails_both_emails_to_the_admin(ctx, editor, run_jobs, outbox):
    theme = create_theme(name="Tech")
    db.session.commit()
    token = csrf_token(editor, "/admin/challenges/new")
    response = editor.post(
        "/admin/challenges/test",
        data={"csrf_token": token, **challenge_data(theme.id, title="Try a voice memo")},
    )
    assert response.status_code == 200
    assert "on their way to" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Challenge)) == 0  # not saved
    run_jobs()
    messages = outbox.to(editor.email)
    assert len(messages) == 2
    subjects = sorted(str(m["Subject"]) for m in messages)
    assert subjects[0].startswith("[Test, learner email]")
    assert subjects[1].startswith("[Test, tip-giver email]")
    assert all("Try a voice memo" in s for s in subjects)
    learner = next(m for m in messages if "learner email" in str(m["Subject"]))
    assert "AI assistant" in html_of(learner) and "AI assistant" in text_of(learner)
    assert "asked for a test of this challenge" in text_of(learner)
    assert "Test of the learner email" in html_of(learner)
    assert len(outbox) == 2  # nobody else


def test_send_me_a_test_refuses_invalid_content(ctx, editor, run_jobs, outbox):
    theme = create_theme()
    db.session.commit()
    token = csrf_token(editor, "/admin/challenges/new")
    response = editor.post(
        "/admin/challenges/test", data={"csrf_token": token, **challenge_data(theme.id, title="")}
    )
    assert response.status_code == 400
    run_jobs()
    assert len(outbox) == 0


# ---------------------------------------------------------------- settings


@pytest.fixture
def admin(app):
    client, _ = signed_in_client(app)
    return client


def settings_data(**overrides):
    from service.settings import SPECS

    return {key: str(spec.default) for key, spec in SPECS.items()} | overrides


def test_settings_form_saves_valid_values_with_audit(ctx, admin):
    token = csrf_token(admin, "/admin/settings")
    response = admin.post(
        "/admin/settings",
        data={"csrf_token": token, **settings_data(programme_name="Acme Turnabout", send_hour="8")},
    )
    assert response.status_code == 302
    assert get_setting("programme_name") == "Acme Turnabout"
    assert get_setting("send_hour") == 8
    (entry,) = audit("settings.edit")
    assert entry.before == {"programme_name": "Turnabout", "send_hour": 9}
    assert entry.after == {"programme_name": "Acme Turnabout", "send_hour": 8}


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("send_hour", "24"),
        ("giver_capacity", "0"),
        ("retention_days", "abc"),
        ("programme_name", " "),
        ("sender_name", "Evil <x@y>"),
    ],
)
def test_settings_out_of_bounds_are_refused(ctx, admin, key, value):
    token = csrf_token(admin, "/admin/settings")
    response = admin.post(
        "/admin/settings",
        data={
            "csrf_token": token,
            **settings_data(**{key: value}),
            "send_hour": "7" if key != "send_hour" else value,
        },
    )
    assert response.status_code == 400
    assert f'id="{key}-error"' in response.get_data(as_text=True)
    assert get_setting("send_hour") == 9  # nothing stored, not even the valid fields
    assert audit("settings.edit") == []
