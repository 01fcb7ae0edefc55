"""Running the programme through the console: schedule, rounds, delivery health, the
dashboard, and what every page may (not) show. Real database, Redis, rq worker and outbox."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from service.admin.models import AuditEntry
from service.database import utcnow
from service.extensions import db
from service.inbound.models import DeliveryEvent
from service.rounds.models import Pairing, Round, Standby, ThreadMessage
from service.subscriptions.models import Subscriber, Suppression, address_hash
from tests.factories_admin import (
    admin_post as post,
)
from tests.factories_admin import (
    create_answer,
    create_challenge,
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


def weeks():
    from service.weeks import current_week, shift_week

    this = current_week()
    return this, shift_week(this, 1), shift_week(this, -1)


def audit(action):
    return db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)).all()


# ---------------------------------------------------------------- schedule (rounds contract)


def test_schedule_lists_12_weeks_and_an_editor_can_assign_one(ctx, app):
    theme = create_theme(name="Tech")
    create_challenge(theme=theme, title="Rotation pick")
    chosen = create_challenge(theme=theme, title="Chosen by hand")
    db.session.commit()
    editor, _ = signed_in_client(app, role="editor")
    this, following, _ = weeks()
    html = editor.get("/admin/schedule").get_data(as_text=True)
    assert len(re.findall(r'<tr id="week-', html)) == 12
    assert this in html and "rotation" in html
    token = csrf_token(editor, "/admin/schedule")
    response = editor.post(
        "/admin/schedule", data={"csrf_token": token, "week": following, "challenge_id": chosen.id}
    )
    assert response.status_code == 302
    round_ = db.session.scalar(select(Round).where(Round.week == following))
    assert round_.challenge_id == chosen.id and round_.scheduled_by_admin
    (entry,) = audit("schedule.set")
    assert entry.after == {"week": following, "challenge": "Chosen by hand"}
    html = editor.get("/admin/schedule").get_data(as_text=True)
    row = html.split(f'id="week-{following}"')[1].split("</tr>")[0]
    assert "Chosen by hand" in row and "an admin" in row


def test_schedule_refuses_a_round_that_started_sending(ctx, admin):
    this, _, _ = weeks()
    theme = create_theme()
    old, new = create_challenge(theme=theme), create_challenge(theme=theme, title="Newer")
    round_ = create_round(week=this, challenge=old)
    learner = create_subscriber()
    pairing = create_pairing(round_=round_, learner=learner)
    create_sent_email(pairing=pairing, subscriber=learner)
    db.session.commit()
    response = post(admin, "/admin/schedule", week=this, challenge_id=new.id)
    assert response.status_code == 302
    page = admin.get("/admin/schedule").get_data(as_text=True)
    assert "can no longer change" in page or "challenge is final" in page
    db.session.refresh(round_)
    assert round_.challenge_id == old.id
    assert audit("schedule.set") == []


# ---------------------------------------------------------------- rounds


def test_round_page_shows_pair_states_but_never_message_text(ctx, admin):
    this, _, _ = weeks()
    theme = create_theme(name="Tech")
    round_ = create_round(week=this, challenge=create_challenge(theme=theme, title="Voice memo"))
    ana, ben = create_subscriber(name="Ana Learner"), create_subscriber(name="Ben Learner")
    cleo = create_subscriber(name="Cleo Unmatched")
    gia, hal = (
        create_subscriber(role="giver", name="Gia Giver"),
        create_subscriber(role="giver", name="Hal Giver"),
    )
    spare = create_subscriber(role="giver", name="Sol Standby")
    p1 = create_pairing(round_=round_, learner=ana, giver=gia, tip_received_at=utcnow())
    create_pairing(round_=round_, learner=ben, giver=hal)
    create_pairing(round_=round_, learner=cleo, explanation="no tip-giver shares this theme")
    db.session.add(Standby(round_id=round_.id, subscriber_id=spare.id, reason="more givers"))
    create_sent_email(pairing=p1, subscriber=ana, kind="challenge_learner")
    create_answer(pairing=p1, subscriber=ana, question="outcome", value="tried")
    create_answer(pairing=p1, subscriber=ana, question="rating", value="5")
    db.session.add(
        ThreadMessage(
            pairing_id=p1.id, author_id=gia.id, direction="giver_to_learner", body="SECRET TIP TEXT"
        )
    )
    db.session.commit()

    html = admin.get(f"/admin/rounds/{this}").get_data(as_text=True)
    for text in (
        "Ana Learner",
        "Gia Giver",
        "tried it",
        "Cleo Unmatched",
        "no tip-giver shares this theme",
        "Sol Standby",
        "Move to a standby",
    ):
        assert text in html, text
    assert "SECRET TIP TEXT" not in html
    row = html.split(f'id="pairing-{p1.id}"')[1].split("</tr>")[0]
    assert ">sent<" in row and ">5" in row
    listing = admin.get("/admin/rounds").get_data(as_text=True)
    assert this in listing and "Voice memo" in listing and "sending" in listing


def _pool(n_learners=2, n_givers=3):
    theme = create_theme(name="Tech")
    create_challenge(theme=theme, title="Pinned tools")
    for i in range(n_learners):
        create_subscriber(name=f"Learner {i}", themes=[theme], team=f"team {i}")
    for i in range(n_givers):
        create_subscriber(role="giver", name=f"Giver {i}", themes=[theme], team=f"crew {i}")
    db.session.commit()


def test_pair_rerun_and_lock_after_sending(ctx, admin):
    _pool()
    _, following, _ = weeks()
    projection = admin.get(f"/admin/rounds/{following}").get_data(as_text=True)
    assert "who would be paired" in projection
    assert db.session.scalar(select(func.count()).select_from(Round)) == 0  # GET stored nothing

    assert post(admin, f"/admin/rounds/{following}/pair").status_code == 302
    round_ = db.session.scalar(select(Round).where(Round.week == following))
    assert round_.status == "paired"
    assert db.session.scalar(select(func.count()).select_from(Pairing)) == 2
    page = admin.get(f"/admin/rounds/{following}").get_data(as_text=True)
    assert "Re-run pairing" in page

    assert post(admin, f"/admin/rounds/{following}/rerun").status_code == 302
    assert len(audit("round.rerun_pairing")) == 1
    pairing = db.session.scalar(select(Pairing).where(Pairing.round_id == round_.id))
    create_sent_email(pairing=pairing, subscriber=db.session.get(Subscriber, pairing.learner_id))
    db.session.commit()
    before = set(db.session.scalars(select(Pairing.id)))
    page = admin.get(f"/admin/rounds/{following}").get_data(as_text=True)
    assert "Re-run pairing" not in page
    post(admin, f"/admin/rounds/{following}/rerun")
    assert set(db.session.scalars(select(Pairing.id))) == before
    assert len(audit("round.rerun_pairing")) == 1  # the refused attempt left no entry
    assert "pairs are final" in admin.get(f"/admin/rounds/{following}").get_data(as_text=True)


def test_move_a_learner_to_a_standby_tip_giver(ctx, admin):
    this, _, _ = weeks()
    round_ = create_round(week=this)
    learner = create_subscriber(name="Lou", team="Sales")
    gone, spare = create_subscriber(role="giver"), create_subscriber(role="giver", team="Ops")
    pairing = create_pairing(round_=round_, learner=learner, giver=gone)
    db.session.add(Standby(round_id=round_.id, subscriber_id=spare.id, reason="spare"))
    db.session.commit()
    response = post(admin, f"/admin/pairings/{pairing.id}/move", reason="cant")
    assert response.status_code == 302
    db.session.refresh(pairing)
    assert pairing.giver_id == spare.id
    (entry,) = audit("pairing.move_learner")
    assert entry.before["giver_id"] == gone.id and "can't this week" in entry.detail


# ---------------------------------------------------------------- delivery health


def test_failed_job_is_shown_with_its_error_and_can_be_retried(ctx, admin, run_jobs):
    from rq.registry import FailedJobRegistry

    from service.queues import DEFAULT, enqueue, get_queue

    enqueue(DEFAULT, "operator.truediv", 1, 0)
    run_jobs()
    queue = get_queue(DEFAULT)
    assert FailedJobRegistry(queue=queue).count == 1
    html = admin.get("/admin/delivery").get_data(as_text=True)
    assert "ZeroDivisionError" in html and "truediv" in html
    job_id = FailedJobRegistry(queue=queue).get_job_ids()[0]
    response = admin.post(
        f"/admin/delivery/jobs/{job_id}/retry",
        data={"csrf_token": csrf_token(admin, "/admin/delivery"), "queue": DEFAULT},
    )
    assert response.status_code == 302
    assert FailedJobRegistry(queue=queue).count == 0
    assert queue.count == 1
    assert len(audit("job.retry")) == 1


def test_delivery_shows_suppressions_failed_mail_and_bounces_per_week(ctx, admin):
    from service.weeks import current_week

    person = create_subscriber()
    row = create_sent_email(subscriber=person, state="failed", error="550 5.1.1 no such user")
    db.session.add(
        Suppression(
            address_hash=address_hash("b@example.org"), reason="bounced", detail="550 5.1.1"
        )
    )
    for i, event in enumerate(("bounced", "bounced", "complained")):
        db.session.add(
            DeliveryEvent(
                provider_event_id=f"ev{i}",
                event=event,
                outgoing_email_id=row.id,
                occurred_at=utcnow(),
            )
        )
    db.session.commit()
    html = admin.get("/admin/delivery").get_data(as_text=True)
    assert "550 5.1.1 no such user" in html
    assert address_hash("b@example.org")[:12] in html and "b@example.org" not in html
    table = html.split("Per week as a table")[1]
    this_week_row = table.split(f"<td>{current_week()}</td>")[1].split("</tr>")[0]
    assert re.findall(r"<td>(\d+)</td>", this_week_row)[:3] == ["0", "2", "1"]
    for queue in ("mail", "inbound", "rounds", "default"):
        assert f"<td><code>{queue}</code></td>" in html  # identifiers


# ---------------------------------------------------------------- dashboard


def test_dashboard_numbers_and_charts(ctx, admin):
    this, _, last = weeks()
    tech = create_theme(name="Tech")
    learners = [create_subscriber(name=f"L{i}") for i in range(4)]
    givers = [create_subscriber(role="giver") for _ in range(3)]
    create_subscriber(status="unsubscribed", unsubscribed_at=utcnow())
    round_ = create_round(week=this, challenge=create_challenge(theme=tech))
    sent = utcnow() - timedelta(hours=60)
    fast = create_pairing(
        round_=round_,
        learner=learners[0],
        giver=givers[0],
        tip_received_at=sent + timedelta(hours=5),
    )
    slow = create_pairing(
        round_=round_,
        learner=learners[1],
        giver=givers[1],
        tip_received_at=sent + timedelta(hours=50),
    )
    create_pairing(round_=round_, learner=learners[2], giver=givers[2])
    create_pairing(round_=round_, learner=learners[3])  # unmatched
    for p, learner in ((fast, learners[0]), (slow, learners[1])):
        create_sent_email(pairing=p, subscriber=learner, sent_at=sent)
    create_answer(pairing=fast, subscriber=learners[0], question="outcome", value="tried")
    create_answer(pairing=fast, subscriber=learners[0], question="rating", value="4")
    create_answer(pairing=slow, subscriber=learners[1], question="rating", value="5")
    db.session.commit()

    html = admin.get("/admin/").get_data(as_text=True)
    kpis = {
        label.strip(): value
        for value, label in re.findall(
            r'kpi-value">([^<]+)</span><span class="kpi-label">([a-z -]+)', html
        )
    }
    assert kpis["active learners"] == "4"
    assert kpis["active tip-givers"] == "3"
    assert kpis["pairs this week"] == "3"
    assert "tips within 48 h this week (1 of 3)" in html
    assert "tried it this week (1 of 4)" in html
    assert kpis["unsubscribes this week"] == "1"
    assert "Tech" in html and "4.5" in html  # average rating per theme
    assert html.count("<svg") == 4
    svgs = re.findall(r"<svg.*?</svg>", html, re.S)
    assert all("http" not in s.replace("http://www.w3.org/2000/svg", "") for s in svgs)
    assert "<script" not in "".join(svgs)
    assert 'src="http' not in html and 'href="http' not in html  # no CDN anywhere


def test_dashboard_with_no_data_yet(ctx, admin):
    html = admin.get("/admin/").get_data(as_text=True)
    assert "No ratings in the last 12 weeks yet." in html
    assert html.count("<svg") == 4


# ---------------------------------------------------------------- GETs change nothing


def test_opening_every_admin_page_changes_nothing(ctx, admin):
    this, following, _ = weeks()
    theme = create_theme()
    challenge = create_challenge(theme=theme)
    person = create_subscriber(themes=[theme])
    create_subscriber(role="giver", themes=[theme])
    round_ = create_round(week=this, challenge=challenge)
    create_pairing(round_=round_, learner=person)
    db.session.commit()
    from service.database import Model

    def snapshot():
        return {
            t.name: db.session.scalar(select(func.count()).select_from(t))
            for t in Model.metadata.sorted_tables
        }

    before = snapshot()
    pages = [
        "/admin/",
        "/admin/challenges",
        "/admin/challenges/new",
        f"/admin/challenges/{challenge.id}",
        "/admin/themes",
        "/admin/themes/new",
        f"/admin/themes/{theme.id}",
        "/admin/schedule",
        "/admin/rounds",
        f"/admin/rounds/{this}",
        f"/admin/rounds/{following}",
        "/admin/subscribers",
        f"/admin/subscribers/{person.id}",
        "/admin/subscribers/import",
        "/admin/delivery",
        "/admin/settings",
        "/admin/audit",
        "/admin/impact",
        "/admin/impact.csv",
        "/admin/impact/print",
        "/admin/tips",
        "/admin/tips?show=all",
    ]
    for page in pages:
        response = admin.get(page)
        assert response.status_code == 200, page
        assert response.headers["Cache-Control"] == "no-store"
        assert admin.head(page).status_code == 200
    db.session.expire_all()
    assert snapshot() == before


# ---------------------------------------------------------------- safety of what is shown


def test_names_typed_by_subscribers_are_escaped_everywhere(ctx, admin):
    this, _, _ = weeks()
    evil = create_subscriber(name="<script>alert(1)</script>", team="<b>x</b>")
    round_ = create_round(week=this)
    create_pairing(round_=round_, learner=evil, explanation="<img src=x onerror=alert(1)>")
    db.session.commit()
    for page in ("/admin/subscribers", f"/admin/subscribers/{evil.id}", f"/admin/rounds/{this}"):
        html = admin.get(page).get_data(as_text=True)
        assert "<script>alert(1)</script>" not in html, page
        assert "<img src=x" not in html and "<b>x</b>" not in html, page
        assert "&lt;script&gt;" in html, page


def test_audit_log_page_shows_who_when_and_the_change(ctx, app, admin):
    theme = create_theme(name="Before name")
    db.session.commit()
    token = csrf_token(admin, f"/admin/themes/{theme.id}")
    admin.post(
        f"/admin/themes/{theme.id}",
        data={
            "csrf_token": token,
            "name": "After name",
            "tagline": "",
            "description": "",
            "position": "0",
        },
    )
    html = admin.get("/admin/audit?type=theme").get_data(as_text=True)
    assert admin.email in html and "theme.edit" in html
    assert "<del>Before name</del>" in html and "<ins>After name</ins>" in html


def test_a_past_week_without_a_round_is_not_projected(ctx, admin):
    _, _, last = weeks()
    create_challenge()
    db.session.commit()
    response = admin.get(f"/admin/rounds/{last}")
    assert response.status_code == 302
    assert admin.get("/admin/rounds/not-a-week").status_code == 404
    assert post(admin, f"/admin/rounds/{last}/pair").status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Round)) == 0


def test_round_page_can_show_only_pairs_needing_attention(ctx, admin):
    this, _, _ = weeks()
    round_ = create_round(week=this)
    fine_l, help_l, quiet_l = (create_subscriber(name=n) for n in ("Fine L", "Help L", "Quiet L"))
    g1, g2, g3 = (create_subscriber(role="giver") for _ in range(3))
    create_pairing(round_=round_, learner=fine_l, giver=g1, tip_received_at=utcnow())
    helped = create_pairing(round_=round_, learner=help_l, giver=g2, tip_received_at=utcnow())
    create_answer(pairing=helped, subscriber=help_l, question="outcome", value="help")
    create_pairing(round_=round_, learner=quiet_l, giver=g3)
    db.session.commit()
    html = admin.get(f"/admin/rounds/{this}?show=attention").get_data(as_text=True)
    pairs_table = html.split("<h2>Pairs</h2>")[1].split("</table>")[0]
    assert "Help L" in pairs_table and "Quiet L" in pairs_table
    assert "Fine L" not in pairs_table
    assert "Fine L" in admin.get(f"/admin/rounds/{this}").get_data(as_text=True)
