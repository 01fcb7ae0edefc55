"""The curated tips library: editors approve, edit (the original kept in the audit log),
attach and hide shared tips; only approved tips reach learners without a partner, never
twice to one person, credited by first name only if allowed; authors see their shared tips
in the preference centre and withdraw each at once."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from service.admin.models import AuditEntry
from service.extensions import db
from service.rounds.models import SharedTip, TipDelivery
from service.rounds.tips import note_delivered, shared_tips
from service.tokens import make_token
from tests.factories_admin import signed_in_client
from tests.factories_rounds import create_challenge, create_subscriber, seed
from tests.helpers import csrf_token

TEXT = "Tell the assistant who reads the draft and what it is for; it changes everything."


def create_tip(challenge, author, text=TEXT, **states) -> SharedTip:
    tip = SharedTip(
        author_id=author.id,
        challenge_id=challenge.id,
        theme_id=challenge.theme_id,
        text=text,
        **states,
    )
    db.session.add(tip)
    db.session.commit()
    return tip


@pytest.fixture
def library(ctx):
    seed()
    challenge = create_challenge()
    other = create_challenge(title="Another challenge")
    sam = create_subscriber(role="giver", name="Sam Ito")
    db.session.commit()
    return challenge, other, sam


def test_an_editor_approves_edits_attaches_and_hides(app, library):
    challenge, other, sam = library
    tip = create_tip(challenge, sam)
    editor, _ = signed_in_client(app, role="editor")
    before = db.session.scalar(select(func.count(AuditEntry.id)))
    page = editor.get("/admin/tips")
    assert page.status_code == 200 and TEXT in page.get_data(as_text=True)
    assert "Sam" not in page.get_data(as_text=True)  # the tip, never who wrote it
    assert db.session.scalar(select(func.count(AuditEntry.id))) == before  # GET changed nothing
    token = csrf_token(editor, "/admin/tips")

    assert (
        editor.post(f"/admin/tips/{tip.id}/approve", data={"csrf_token": token}).status_code == 302
    )
    clearer = "Tell the assistant who will read the draft and what it is for."
    editor.post(f"/admin/tips/{tip.id}/edit", data={"csrf_token": token, "text": clearer})
    editor.post(
        f"/admin/tips/{tip.id}/attach", data={"csrf_token": token, "challenge_id": other.id}
    )
    db.session.expire_all()
    tip = db.session.get(SharedTip, tip.id)
    assert tip.approved_at and tip.text == clearer and tip.challenge_id == other.id
    edit = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "tip.edit"))
    assert edit.before == {"text": TEXT} and edit.after == {"text": clearer}

    empty = editor.post(f"/admin/tips/{tip.id}/edit", data={"csrf_token": token, "text": " "})
    assert empty.status_code == 400
    db.session.expire_all()
    assert db.session.get(SharedTip, tip.id).text == clearer  # nothing half-stored

    editor.post(f"/admin/tips/{tip.id}/hide", data={"csrf_token": token})
    db.session.expire_all()
    assert db.session.get(SharedTip, tip.id).hidden_at is not None
    assert [t["tip_id"] for t in shared_tips(other)] == [None]  # the starter tip only


def test_a_withdrawn_tip_cannot_be_approved(app, library):
    from service.rounds.tips import withdraw_tip

    challenge, _, sam = library
    tip = create_tip(challenge, sam)
    withdraw_tip(tip.id, sam.id)
    db.session.commit()
    admin, _ = signed_in_client(app)
    token = csrf_token(admin, "/admin/tips")
    response = admin.post(f"/admin/tips/{tip.id}/approve", data={"csrf_token": token})
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(SharedTip, tip.id).approved_at is None


def test_approved_tips_go_once_to_each_learner_credited_only_if_allowed(library):
    from service.database import utcnow

    challenge, _, sam = library
    challenge.starter_tip = "A starter tip."
    lea = create_subscriber(role="giver", name="Lea Park")
    ana = create_subscriber(role="learner", name="Ana")
    ben = create_subscriber(role="learner", name="Ben")
    db.session.commit()
    create_tip(challenge, sam, text="Waiting for an editor, not sent.")
    create_tip(challenge, sam, approved_at=utcnow())
    named = create_tip(
        challenge,
        lea,
        text="Name the reader first.",
        approved_at=utcnow(),
        credit_allowed_at=utcnow(),
    )
    first = shared_tips(challenge, ana.id)
    assert {t["text"] for t in first} == {TEXT, "Name the reader first."}
    credits = {t["text"]: t["credit"] for t in first}
    assert credits == {TEXT: "", "Name the reader first.": "Lea"}
    note_delivered(ana.id, first)
    note_delivered(ana.id, first)  # a repeated note adds nothing
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(TipDelivery)) == 2
    assert [t["text"] for t in shared_tips(challenge, ana.id)] == ["A starter tip."]
    assert len(shared_tips(challenge, ben.id)) == 2  # Ben has not had them yet
    assert named.id in {t["tip_id"] for t in shared_tips(challenge, ben.id)}


def test_a_learner_gets_only_library_tips_written_in_their_language(library):
    """A tip is never translated: a German learner gets German tips, else the starter tip
    in German (its translation, or the default language's text)."""
    from service.database import utcnow

    challenge, _, sam = library  # Sam writes English
    challenge.starter_tip = "A starter tip."
    jonas = create_subscriber(role="giver", name="Jonas Weber")
    jonas.language = "de"
    db.session.commit()
    create_tip(challenge, sam, approved_at=utcnow())
    create_tip(challenge, jonas, text="Sagen Sie dem Assistenten, wer liest.", approved_at=utcnow())
    assert [t["text"] for t in shared_tips(challenge, None, "en", "en")] == [TEXT]
    german = [t["text"] for t in shared_tips(challenge, None, "de", "en")]
    assert german == ["Sagen Sie dem Assistenten, wer liest."]
    jonas.language = "en"  # no German tip any more: the starter tip, never Sam's English
    db.session.commit()
    assert [t["tip_id"] for t in shared_tips(challenge, None, "de", "en")] == [None]


def test_the_author_sees_and_withdraws_a_shared_tip_at_once(client, library):
    from service.database import utcnow

    challenge, _, sam = library
    tip = create_tip(challenge, sam, approved_at=utcnow())
    path = f"/p/{make_token('preferences', sam.id)}"
    page = client.get(path).get_data(as_text=True)
    assert "Tips you shared" in page and TEXT in page and "Shown without your name." in page
    token = csrf_token(client, path)
    client.post(f"{path}/tips/{tip.id}/credit", data={"csrf_token": token, "credit": "yes"})
    db.session.expire_all()
    assert db.session.get(SharedTip, tip.id).credit_allowed_at is not None
    assert shared_tips(challenge)[0]["credit"] == "Sam"

    someone_else = create_subscriber(role="giver", name="Eve")
    db.session.commit()
    other_path = f"/p/{make_token('preferences', someone_else.id)}"
    client.post(f"{other_path}/tips/{tip.id}/withdraw", data={"csrf_token": token})
    db.session.expire_all()
    assert db.session.get(SharedTip, tip.id).text == TEXT  # not theirs: nothing happens

    response = client.post(f"{path}/tips/{tip.id}/withdraw", data={"csrf_token": token})
    assert response.status_code == 302
    db.session.expire_all()
    tip = db.session.get(SharedTip, tip.id)
    assert tip.text is None and tip.withdrawn_at is not None
    assert [t["tip_id"] for t in shared_tips(challenge)] == [None]  # the starter tip only
    assert TEXT not in client.get(path).get_data(as_text=True)


def test_an_edited_tip_leaves_no_text_in_the_audit_log_once_erased(app, library):
    """The audit log keeps an edit's before/after text; deleting the author's data (or
    retention, or withdrawal: all go through one eraser) must erase those copies too."""
    from service.rounds.tips import erase_tips_of

    challenge, _, sam = library
    tip = create_tip(challenge, sam)
    editor, _ = signed_in_client(app, role="editor")
    token = csrf_token(editor, "/admin/tips")
    clearer = "Say who will read the draft, and what it is for."
    editor.post(f"/admin/tips/{tip.id}/edit", data={"csrf_token": token, "text": clearer})

    erase_tips_of(sam.id)
    db.session.commit()
    db.session.expire_all()
    edit = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "tip.edit"))
    assert edit is not None  # who edited it, and when, stays
    assert TEXT not in str(edit.before) and clearer not in str(edit.after)
    assert edit.before == {"text": None} and edit.after == {"text": None}
