"""A tip written to one learner reaches another only after its author pressed "share my
tip"; each shared tip records its source; withdrawal, deletion and retention erase it."""

from __future__ import annotations

import secrets
from datetime import timedelta

import time_machine
from sqlalchemy import func, select

from service.admin.library.curation import approve
from service.database import utcnow
from service.extensions import db
from service.inbound.retention import erase_expired
from service.rounds.answers import record_answer
from service.rounds.due import recap_moment
from service.rounds.followups import recap_drafts
from service.rounds.models import Answer, Pairing, Round, RoundStatus, SharedTip, ThreadMessage
from service.settings import all_settings
from service.subscriptions.privacy import delete_personal_data
from tests.factories_inbound import create_pair, create_subscriber, post_raw, reply_mime
from tests.helpers import csrf_token, text_of

MARKER = "call me on 0176 5550 1234"
TIP = f"Ask it for decisions, owners and deadlines, one page max; {MARKER} if it gets stuck."
STARTER = "Start with last week's notes: you know what the summary should say."


def send_tip(client, run_jobs, pair, text=TIP):
    mail = reply_mime(sender=pair.giver.email, to=pair.giver_address, text=text)
    assert post_raw(client, mail, to=pair.giver_address, sender=pair.giver.email).status_code == 200
    run_jobs()


def later_pair(challenge_id: int, n: int):
    """A new learner and tip-giver paired in a later round of the same challenge, with
    their real challenge emails queued."""
    from service.mail.compose import new_message_id
    from service.rounds.dispatch import send_challenges
    from service.weeks import shift_week
    from tests.factories_inbound import Pair

    week = f"2031-W{10 + n:02d}"
    # factories_inbound.create_round numbers its weeks from a session-wide counter: skip
    # any week it already used, whatever order the tests ran in.
    while db.session.scalar(select(Round.id).where(Round.week == week)) is not None:
        week = shift_week(week, 1)
    rnd = Round(week=week, challenge_id=challenge_id, status=RoundStatus.PAIRED)
    db.session.add(rnd)
    learner = create_subscriber(name=f"Learner{n} Hale", role="learner")
    giver = create_subscriber(name=f"Giver{n} Okafor", role="giver")
    db.session.flush()
    pairing = Pairing(
        round_id=rnd.id,
        learner_id=learner.id,
        giver_id=giver.id,
        learner_key=secrets.token_hex(12),
        giver_key=secrets.token_hex(12),
        learner_thread_id=new_message_id(),
        giver_thread_id=new_message_id(),
    )
    db.session.add(pairing)
    db.session.commit()
    send_challenges(rnd, None)
    db.session.commit()
    return Pair(pairing, learner, giver)


def tips_read_by_an_unmatched_learner(challenge_id, n, run_jobs, outbox) -> str:
    """A later learner whose tip-giver can't this week, with no standby: the email they get."""
    pair = later_pair(challenge_id, n)
    run_jobs()
    outbox.clear()
    record_answer(pair.pairing.id, pair.giver.id, "outcome", "cant")
    run_jobs()
    (notice,) = outbox.to(pair.learner.email)
    return text_of(notice)


def share_url(pair) -> str | None:
    """The share link in the tip-giver's recap, from the real recap builder."""
    week, tz = pair.pairing.round.week, pair.giver.timezone
    settings = all_settings()
    drafts = recap_drafts(pair.pairing.round, recap_moment(week, tz, settings), settings, {tz})
    (recap,) = [d for d in drafts if d.kind.name == "recap_giver"]
    url = recap.context["share_url"]
    return url.replace("http://turnabout.test", "") if url else None


def test_tips_reach_other_learners_only_once_their_author_shares_them(
    ctx, client, run_jobs, outbox
):
    pair = create_pair(challenges=True)
    challenge = pair.pairing.round.challenge
    challenge.starter_tip = STARTER
    db.session.commit()
    run_jobs()
    assert share_url(pair) is None  # no tip yet: nothing to share, no button
    send_tip(client, run_jobs, pair)

    # Not shared by default: the next learner without a partner gets the starter tip only.
    text = tips_read_by_an_unmatched_learner(challenge.id, 1, run_jobs, outbox)
    assert STARTER in text and MARKER not in text

    # The recap offers the one-click choice; opening it shows the tip and changes nothing.
    path = share_url(pair)
    page = client.get(path)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert MARKER in html and html.count("<button") == 1 and 'name="comment"' not in html
    assert db.session.scalar(select(func.count(SharedTip.id))) == 0
    assert db.session.scalar(select(func.count(Answer.id)).where(Answer.question == "share")) == 0

    token = csrf_token(client, path)
    done = client.post(path, data={"csrf_token": token, "value": "share"})
    assert done.status_code == 200
    (tip,) = db.session.scalars(select(SharedTip))
    source = db.session.scalar(select(ThreadMessage).where(ThreadMessage.kind == "reply"))
    assert (tip.source_message_id, tip.author_id, tip.pairing_id) == (
        source.id,
        pair.giver.id,
        pair.pairing.id,
    )
    assert (tip.challenge_id, tip.theme_id) == (challenge.id, challenge.theme_id)
    assert tip.text == TIP and tip.consented_at is not None

    # Shared, but the library offers it only once an editor approved it (issue 14).
    text = tips_read_by_an_unmatched_learner(challenge.id, 2, run_jobs, outbox)
    assert STARTER in text and MARKER not in text
    approve(tip.id)
    db.session.commit()
    text = tips_read_by_an_unmatched_learner(challenge.id, 5, run_jobs, outbox)
    assert MARKER in text and STARTER not in text

    # Taking it back erases the copy; the next learner reads the starter tip again.
    client.post(path, data={"csrf_token": token, "value": "private"})
    db.session.expire_all()
    tip = db.session.get(SharedTip, tip.id)
    assert tip.text is None and tip.withdrawn_at is not None and tip.erased_at is not None
    text = tips_read_by_an_unmatched_learner(challenge.id, 3, run_jobs, outbox)
    assert STARTER in text and MARKER not in text


def share(pair):
    record_answer(pair.pairing.id, pair.giver.id, "share", "share")
    return db.session.scalar(select(SharedTip).where(SharedTip.author_id == pair.giver.id))


def test_deleting_the_authors_data_erases_their_shared_tips(ctx, client, run_jobs, outbox):
    pair = create_pair(challenges=True)
    run_jobs()
    send_tip(client, run_jobs, pair)
    tip = share(pair)
    assert tip.text == TIP
    delete_personal_data(pair.giver.id)
    db.session.expire_all()
    tip = db.session.get(SharedTip, tip.id)
    assert tip.text is None and tip.erased_at is not None and tip.withdrawn_at is None
    challenge_id = pair.pairing.round.challenge_id
    text = tips_read_by_an_unmatched_learner(challenge_id, 4, run_jobs, outbox)
    assert MARKER not in text


def test_retention_erases_shared_tips_counted_from_the_consent(ctx, client, run_jobs, outbox):
    from service.settings import set_setting

    set_setting("retention_days", 30)
    pair = create_pair(challenges=True)
    run_jobs()
    send_tip(client, run_jobs, pair)
    tip = share(pair)
    assert erase_expired()["shared_tips"] == 0
    with time_machine.travel(utcnow() + timedelta(days=31)):
        assert erase_expired()["shared_tips"] == 1
        assert erase_expired()["shared_tips"] == 0
    db.session.expire_all()
    assert db.session.get(SharedTip, tip.id).text is None
    assert db.session.scalar(select(func.count(SharedTip.id))) == 1  # the count stays


def test_a_tip_sent_after_sharing_is_shared_by_pressing_again(ctx, client, run_jobs, outbox):
    pair = create_pair(challenges=True)
    run_jobs()
    send_tip(client, run_jobs, pair)
    share(pair)
    second = "One more: ask it to list open questions at the end of the summary."
    send_tip(client, run_jobs, pair, text=second)
    texts = lambda: sorted(db.session.scalars(select(SharedTip.text)))  # noqa: E731
    assert texts() == [TIP]
    share(pair)
    assert texts() == sorted([TIP, second])
