"""A round end to end: plan (changes nothing), pair once, send, thread headers, preview."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from sqlalchemy import func, select

from service.cli import main
from service.extensions import db
from service.mail.models import EmailState, OutgoingEmail
from service.rounds.models import Challenge, Pairing, PairingStatus, Round, Standby
from service.rounds.plan_preview import plan_round
from service.rounds.planning import ensure_paired, rerun_pairing
from service.rounds.schedule import RoundLocked
from tests.factories_rounds import create_subscriber, seed
from tests.helpers import html_of, links_in, text_of

WEEK = "2026-W49"
pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def frozen():
    with time_machine.travel(datetime(2026, 11, 30, 10, tzinfo=UTC), tick=False):
        yield


def counts():
    return {
        model.__name__: db.session.scalar(select(func.count()).select_from(model))
        for model in (Round, Pairing, Standby, OutgoingEmail)
    }


def small_programme():
    seed()
    people = {
        "ana": create_subscriber(role="learner", team="sales", name="Ana Lopez"),
        "ben": create_subscriber(role="learner", team="it", name="Ben Okafor"),
        "cy": create_subscriber(role="learner", team="it", name="Cy Tan"),
        "dee": create_subscriber(role="giver", team="it", name="Dee Park"),
        "eli": create_subscriber(role="giver", team="sales", name="Eli Moss"),
    }
    db.session.commit()
    return people


def test_plan_prints_pairs_and_changes_nothing(ctx, runner):
    small_programme()
    before = counts()
    result = runner.invoke(main, args=["round", "plan", "--week", WEEK])
    assert result.exit_code == 0, result.output
    assert "Summary: 3 learners, 2 tip-givers, 2 pairs, 1 learners without" in result.output
    assert "Ana <- Dee" in result.output or "Ana Lopez <- Dee Park" in result.output
    assert "different teams" in result.output
    db.session.expire_all()
    assert counts() == before
    bad = runner.invoke(main, args=["round", "plan", "--week", "2026-49"])
    assert bad.exit_code == 2 and "2026-W49" in bad.output


def test_plan_matches_what_is_stored(ctx):
    small_programme()
    preview = plan_round(WEEK)
    round_ = ensure_paired(WEEK)
    stored = {
        (p.learner_id, p.giver_id)
        for p in db.session.scalars(select(Pairing).where(Pairing.round_id == round_.id))
    }
    assert {(p.learner_id, p.giver_id) for p in preview.pairs} | {
        (u.person_id, None) for u in preview.unmatched if u.role == "learner"
    } == stored
    again = plan_round(WEEK)
    assert again.stored and again.summary["pairs"] == preview.summary["pairs"]


def test_ensure_paired_is_idempotent_and_rerun_locks_after_sending(ctx, run_jobs, outbox):
    people = small_programme()
    round_ = ensure_paired(WEEK)
    first = counts()
    assert ensure_paired(WEEK).id == round_.id
    assert counts() == first
    assert first["Pairing"] == 3 and first["Standby"] == 0
    rerun = rerun_pairing(round_.id)
    assert rerun.status == "paired" and counts()["Pairing"] == 3
    from service.rounds.dispatch import send_round

    report = send_round(WEEK)
    assert report.challenges.queued == 5  # 3 learners + 2 tip-givers
    assert send_round(WEEK).challenges.queued == 0
    with pytest.raises(RoundLocked):
        rerun_pairing(round_.id)
    run_jobs()
    assert len(outbox) == 5
    unmatched = db.session.scalar(select(Pairing).where(Pairing.status == PairingStatus.UNMATCHED))
    lonely = db.session.get(type(people["ana"]), unmatched.learner_id)
    [msg] = outbox.to(lonely.email)
    starter = db.session.get(Challenge, round_.challenge_id).starter_tip.split()[0]
    assert starter in text_of(msg)


def test_challenge_emails_open_private_threads(ctx, run_jobs, outbox):
    people = small_programme()
    from service.rounds.dispatch import send_round

    send_round(WEEK)
    run_jobs()
    pairing = db.session.scalar(select(Pairing).where(Pairing.learner_id == people["ana"].id))
    [to_learner] = outbox.to(people["ana"].email)
    giver = db.session.get(type(people["ana"]), pairing.giver_id)
    [to_giver] = outbox.to(giver.email)
    assert to_learner["Message-ID"] == pairing.learner_thread_id
    assert to_giver["Message-ID"] == pairing.giver_thread_id
    assert pairing.learner_key in str(to_learner["Reply-To"])
    assert pairing.giver_key in str(to_giver["Reply-To"])
    # nobody sees the other's address
    assert giver.email not in to_learner.as_string()
    assert people["ana"].email not in to_giver.as_string()
    text = text_of(to_learner)
    assert "I tried it:" in text and "I need help:" in text and "Skip this week:" in text
    assert giver.first_name in text and pairing.explanation in text
    assert "Reply to this email with your tip" in text_of(to_giver)
    assert "Can't this week" in html_of(to_giver)
    answer_links = [link for link in links_in(to_learner) if "/a/" in link]
    assert len(answer_links) == 3
    assert to_learner["List-Unsubscribe"]


def test_preview_uses_the_real_templates(ctx):
    seed()
    challenge = db.session.scalars(select(Challenge)).first()
    preview = __import__("service.rounds.email_preview", fromlist=["x"]).preview_challenge_emails
    rendered = preview(challenge)
    assert challenge.title in rendered["learner"].subject
    assert "Reply to this email with your tip" in rendered["giver"].text
    draft = preview(
        {
            "theme_id": challenge.theme_id,
            "title": "Try <b>bold</b> things",
            "learner_task": "Do **this** <script>alert(1)</script>",
            "giver_prompt": "Share a tip",
            "links": [{"title": "x", "url": "javascript:alert(1)"}],
        }
    )
    assert "<script>" not in draft["learner"].html
    assert "<strong>this</strong>" in draft["learner"].html
    assert "javascript:" not in draft["learner"].html
    assert db.session.scalar(select(func.count(OutgoingEmail.id))) == 0


def test_skip_rules_apply_to_bulk_sends(ctx, run_jobs, outbox):
    from service.rounds.dispatch import send_round
    from service.subscriptions.models import Suppression, address_hash

    people = small_programme()
    ensure_paired(WEEK)
    db.session.add(Suppression(address_hash=address_hash(people["ben"].email), reason="bounced"))
    db.session.commit()
    send_round(WEEK)
    row = db.session.scalar(
        select(OutgoingEmail).where(OutgoingEmail.subscriber_id == people["ben"].id)
    )
    assert row.state == EmailState.SKIPPED and "suppressed" in row.error
    run_jobs()
    assert outbox.to(people["ben"].email) == []


def test_a_large_round_is_queued_by_parallel_slice_jobs(ctx, run_jobs, outbox, monkeypatch):
    from service.rounds import dispatch

    small_programme()
    monkeypatch.setattr(dispatch, "SLICE", 2)  # 3 pairings: two slices
    report = dispatch.send_round(WEEK, fan_out=None)
    assert report.challenges.slices == 2 and report.challenges.queued == 0
    assert "2 queueing jobs" in report.describe()
    run_jobs()  # the slices queue the emails, then the same burst delivers them
    assert len(outbox) == 5
    dispatch.send_round(WEEK, fan_out=True)  # a second run finds every key
    run_jobs()
    assert len(outbox) == 5
    assert db.session.scalar(select(func.count(OutgoingEmail.id))) == 5


def test_two_dispatchers_at_once_pair_once_and_queue_once(app, ctx):
    import threading

    from service.rounds.dispatch import send_round

    small_programme()
    barrier = threading.Barrier(2)
    results, errors = [], []

    def dispatcher():
        try:
            with app.app_context():
                barrier.wait()
                report = send_round(WEEK)
                results.append(report.challenges.queued)
        except Exception as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=dispatcher) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    db.session.expire_all()
    assert counts()["Round"] == 1
    assert counts()["Pairing"] == 3  # three learners, paired once
    assert counts()["OutgoingEmail"] == 5
    assert sorted(results)[-1] + sorted(results)[0] == 5


def test_unmatched_learners_read_tips_other_tip_givers_agreed_to_share(ctx, run_jobs, outbox):
    from service.admin.library.curation import approve
    from service.rounds.dispatch import send_round
    from service.rounds.models import SharedTip, ThreadMessage
    from service.rounds.schedule import challenge_for_week, schedule_challenge
    from service.rounds.tips import SHARE, record_choice

    people = small_programme()
    challenge = challenge_for_week(WEEK)
    earlier = Round(week="2026-W30", challenge_id=challenge.id, status="closed")
    db.session.add(earlier)
    db.session.flush()
    old = Pairing(
        round_id=earlier.id,
        learner_id=people["ben"].id,
        giver_id=people["eli"].id,
        learner_key="k" * 24,
        giver_key="g" * 24,
    )
    db.session.add(old)
    db.session.flush()
    db.session.add(
        ThreadMessage(
            pairing_id=old.id,
            author_id=people["eli"].id,
            direction="giver_to_learner",
            body="Start with the meeting you dread most: ask the assistant for an agenda.",
        )
    )
    db.session.flush()
    record_choice(old, people["eli"].id, SHARE)  # what the recap's "share my tip" does
    db.session.flush()
    approve(db.session.scalar(select(SharedTip.id)))  # an editor put it in the library
    db.session.commit()
    schedule_challenge(WEEK, challenge.id)
    send_round(WEEK)
    run_jobs()
    unmatched = db.session.scalar(select(Pairing).where(Pairing.status == PairingStatus.UNMATCHED))
    learner = db.session.get(type(people["ana"]), unmatched.learner_id)
    [msg] = outbox.to(learner.email)
    assert "the meeting you dread most" in text_of(msg)
    assert challenge.starter_tip.split()[0] not in text_of(msg).split("shared for this")[1]


def test_round_commands(ctx, runner, run_jobs, outbox):
    small_programme()
    result = runner.invoke(main, args=["round", "send", "--week", WEEK, "--yes"])
    assert result.exit_code == 0, result.output
    assert "Challenge emails: 5 queued" in result.output
    again = runner.invoke(main, args=["round", "send", "--week", WEEK, "--yes"])
    assert "Challenge emails: 0 queued" in again.output and "5 already" in again.output
    dispatch = runner.invoke(main, args=["round", "dispatch"])
    assert dispatch.exit_code == 0, dispatch.output
    assert "Nudges: 0 queued" in dispatch.output


def test_a_missed_hour_is_caught_up_but_a_missed_week_is_not_sent_late(ctx, run_jobs, outbox):
    from service.rounds.dispatch import dispatch_due

    seed()
    create_subscriber(role="learner", team="a", tz="Europe/Berlin")
    create_subscriber(role="giver", team="b", tz="Europe/Berlin")
    db.session.commit()
    # The scheduler was down from Monday 08:00 UTC (09:00 in Berlin) until 13:00.
    with time_machine.travel(datetime(2026, 11, 30, 13, tzinfo=UTC), tick=False):
        assert dispatch_due().challenges.queued == 2
        assert dispatch_due().challenges.queued == 0
    run_jobs()
    assert len(outbox) == 2
    # A service that comes back four days after the send moment does not start the week.
    with time_machine.travel(datetime(2026, 12, 11, 12, tzinfo=UTC), tick=False):
        report = dispatch_due()
    assert report.challenges.queued == 0 and "2026-W50" not in report.paired
    assert report.recaps.queued == 0  # last week's recap is not sent days late either
    assert db.session.scalar(select(Round).where(Round.week == "2026-W50")) is None
