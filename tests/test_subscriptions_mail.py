"""Joining and leaving by email, admin invitations, bounces: the contract other features call."""

from __future__ import annotations

import re
from datetime import timedelta
from email import message_from_bytes, policy

import pytest
from sqlalchemy import func, select

from service.database import utcnow
from service.extensions import db
from service.mail.models import EmailState, OutgoingEmail
from service.mail.render import render_email
from service.subscriptions import actions, inbound_mail
from service.subscriptions.models import Status, Subscriber, Suppression
from service.tokens import short_signature
from tests.factories_subscriptions import create_subscriber, create_themes
from tests.helpers import csrf_token, links_in, text_of


@pytest.fixture
def themed(ctx):
    create_themes()
    db.session.commit()
    return ctx


def mime(sender: str, to: str, subject: str = "", body: str = "", **headers) -> bytes:
    extra = "".join(f"{k.replace('_', '-')}: {v}\r\n" for k, v in headers.items())
    raw = (
        f"From: {sender}\r\nTo: {to}\r\nSubject: {subject}\r\n"
        f"Message-ID: <{abs(hash((sender, subject, body)))}@mail.example.org>\r\n"
        f"Date: Thu, 26 Nov 2026 10:00:00 +0000\r\n{extra}"
        "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        f"{body}\r\n"
    )
    return raw.encode()


def parse(raw: bytes):
    return message_from_bytes(raw, policy=policy.default)


def subscriber(address: str) -> Subscriber | None:
    db.session.expire_all()
    return db.session.scalar(select(Subscriber).where(Subscriber.email == address))


# ------------------------------------------------------------------ join@


def test_join_by_email_creates_pending_and_the_confirm_page_asks_for_choices(
    client, themed, run_jobs, outbox
):
    assert inbound_mail.handle_join_message("Jonas@Example.org") == "confirmation sent"
    db.session.commit()
    sub = subscriber("jonas@example.org")
    assert (sub.status, sub.source, sub.name, sub.role) == (Status.PENDING, "email", "", None)
    run_jobs()
    [message] = outbox.to("jonas@example.org")
    assert "choose your role" in text_of(message).lower()
    url = [u for u in links_in(message) if "/c/" in u][0].replace("http://turnabout.test", "")
    page = client.get(url).get_data(as_text=True)
    assert 'name="role"' in page and 'name="themes"' in page
    # pressing confirm without choosing is refused with messages, nothing changes
    token = csrf_token(client, url)
    response = client.post(url, data={"csrf_token": token, "name": "Jonas"})
    assert response.status_code == 400
    assert 'id="role-error"' in response.get_data(as_text=True)
    assert subscriber("jonas@example.org").status == Status.PENDING
    response = client.post(
        url,
        data={
            "csrf_token": token,
            "name": "Jonas",
            "role": "giver",
            "themes": ["social-media"],
            "timezone": "Europe/Vienna",
        },
    )
    assert response.status_code == 302
    sub = subscriber("jonas@example.org")
    assert (sub.status, sub.role, sub.timezone) == (Status.ACTIVE, "giver", "Europe/Vienna")
    assert [t.slug for t in sub.themes] == ["social-media"]


def test_join_with_a_malformed_sender_is_ignored(themed):
    assert inbound_mail.handle_join_message("not an address").startswith("ignored")
    assert db.session.scalar(select(func.count(Subscriber.id))) == 0


def test_join_by_an_active_subscriber_sends_a_reminder_only(themed, run_jobs, outbox):
    sub = create_subscriber(email="ana@example.org", role="giver")
    outcome = inbound_mail.handle_join_message("ana@example.org")
    db.session.commit()
    assert outcome == "reminder sent"
    run_jobs()
    [message] = outbox.to("ana@example.org")
    assert "already subscribed" in message["Subject"]
    assert subscriber("ana@example.org").role == "giver"
    assert sub.status == Status.ACTIVE


# ------------------------------------------------------------------ unsubscribe by mail


def test_list_unsubscribe_mailto_with_signature_unsubscribes(themed, run_jobs, outbox):
    sub = create_subscriber()
    local = f"unsubscribe+{sub.id}.{short_signature(str(sub.id), 'unsubscribe-mailto')}"
    # Forwarded mail: the From is another address, perhaps unauthenticated; the
    # signature names the subscriber.
    sender = "alias@other.example"
    outcome = inbound_mail.handle_unsubscribe_message(sender, local, authenticated=False)
    assert outcome == "unsubscribed"
    db.session.commit()
    outcome = inbound_mail.handle_unsubscribe_message(sender, local, authenticated=False)
    assert outcome == "already unsubscribed"
    db.session.commit()
    assert subscriber(sub.email).unsubscribe_source == "mailto"
    run_jobs()
    assert len(outbox.to(sub.email)) == 1


def test_mailto_from_the_real_headers_matches_the_handler(themed, run_jobs, outbox):
    """The address the mail core puts in List-Unsubscribe is one this handler accepts."""
    sub = create_subscriber()
    actions.confirm  # noqa: B018 - the welcome email is a list mail with the header
    from service.subscriptions import emails

    emails.welcome_email("Ana", "learner", ["T"], "soon", None, key="w", subscriber_id=sub.id)
    db.session.commit()
    run_jobs()
    [message] = outbox.to(sub.email)
    mailto = re.search(r"<mailto:([^?>]+)", message["List-Unsubscribe"]).group(1)
    local = mailto.split("@")[0]
    assert inbound_mail.handle_unsubscribe_message("x@y.org", local, authenticated=True) == (
        "unsubscribed"
    )


def test_forged_mailto_signature_changes_nothing(themed):
    sub = create_subscriber()
    for local in (
        f"unsubscribe+{sub.id}.0000000000000000",
        f"unsubscribe+{sub.id}",
        "unsubscribe+x.y",
    ):
        outcome = inbound_mail.handle_unsubscribe_message("a@b.org", local, authenticated=True)
        assert outcome.startswith("ignored")
    assert subscriber(sub.email).status == Status.ACTIVE


def test_plain_unsubscribe_address_uses_the_sender(themed):
    sub = create_subscriber(email="ana@example.org")
    outcome = inbound_mail.handle_unsubscribe_message(
        "ANA@example.org", "unsubscribe", authenticated=True
    )
    assert outcome == "unsubscribed"
    db.session.commit()
    assert subscriber("ana@example.org").status == Status.UNSUBSCRIBED
    stranger = inbound_mail.handle_unsubscribe_message(
        "nobody@example.org", "unsubscribe", authenticated=True
    )
    assert stranger.startswith("ignored")
    assert sub.id


# ------------------------------------------------------------------ contract functions


def test_unsubscribe_is_idempotent_and_confirms_once(themed, run_jobs, outbox):
    sub = create_subscriber()
    assert actions.unsubscribe(sub.id, source="reply") is True
    assert actions.unsubscribe(sub.id, source="reply") is False
    db.session.commit()
    run_jobs()
    assert len(outbox.to(sub.email)) == 1
    assert db.session.scalar(select(Suppression.reason)) == "unsubscribed"


def test_suppress_address_marks_the_subscriber_and_blocks_signup(client, themed, run_jobs, outbox):
    sub = create_subscriber(email="ana@example.org")
    actions.suppress_address("Ana@Example.org", "bounced", "550 no such user")
    actions.suppress_address("ana@example.org", "bounced", "550 no such user")
    db.session.commit()
    assert subscriber("ana@example.org").status == Status.UNSUBSCRIBED
    assert db.session.scalar(select(func.count(Suppression.id))) == 1
    run_jobs()
    assert len(outbox) == 0  # no goodbye email to a bouncing mailbox
    assert sub.id
    # a later signup for the address sends nothing
    data = {"email": "ana@example.org", "name": "Ana", "role": "learner", "themes": ["tech-savvy"]}
    client.post("/subscribe", data={**data, "csrf_token": csrf_token(client, "/")})
    run_jobs()
    assert len(outbox) == 0


def test_a_bounce_outranks_an_earlier_unsubscribe(themed):
    sub = create_subscriber(email="ana@example.org")
    actions.unsubscribe(sub.id, source="page")
    actions.suppress_address("ana@example.org", "complained")
    db.session.commit()
    assert db.session.scalar(select(Suppression.reason)) == "complained"
    with pytest.raises(PermissionError):
        actions.confirm(sub.id)


def test_invite_creates_pending_and_the_link_goes_through_the_confirm_page(
    client, themed, run_jobs, outbox
):
    outcome = actions.invite(
        "Lea@Example.org", name="Lea", team="Design", role="giver", themes=["social-media"]
    )
    db.session.commit()
    assert outcome == "invited"
    sub = subscriber("lea@example.org")
    assert (sub.status, sub.source, sub.team) == (Status.PENDING, "import", "Design")
    assert actions.invite("lea@example.org") == "exists"
    run_jobs()
    [message] = outbox.to("lea@example.org")
    url = [u for u in links_in(message) if "/join/" in u][0].replace("http://turnabout.test", "")
    page = client.get(url).get_data(as_text=True)
    assert 'value="giver" checked' in page and 'value="social-media" checked' in page
    assert subscriber("lea@example.org").status == Status.PENDING
    response = client.post(
        url,
        data={
            "csrf_token": csrf_token(client, url),
            "name": "Lea",
            "role": "giver",
            "themes": ["social-media"],
            "timezone": "Europe/Paris",
            "team": "Design",
        },
    )
    assert response.status_code == 302
    assert subscriber("lea@example.org").status == Status.ACTIVE


def test_invite_respects_suppression_and_checks_input(themed):
    gone = create_subscriber(email="gone@example.org")
    actions.unsubscribe(gone.id, source="page")
    assert actions.invite("gone@example.org") == "suppressed"
    with pytest.raises(actions.InvalidAddress):
        actions.invite("not-an-address")
    with pytest.raises(ValueError):
        actions.invite("x@example.org", role="boss")
    with pytest.raises(ValueError):
        actions.invite("x@example.org", themes=["no-such-theme"])


def test_resend_confirmation_respects_the_daily_limit(themed, time_machine):
    time_machine.move_to(utcnow(), tick=True)
    sub = create_subscriber(status=Status.PENDING)
    assert [actions.resend_confirmation(sub.id) for _ in range(4)] == [True, True, True, False]
    db.session.commit()
    active = create_subscriber()
    assert actions.resend_confirmation(active.id) is False


def test_normalise_email(ctx):
    assert actions.normalise_email("  Ana.Lopez@EXAMPLE.org ") == "ana.lopez@example.org"
    for bad in ("", "ana", "ana@", "a b@example.org", "ana@example.org\r\nBcc: x@y.z", "x" * 300):
        with pytest.raises(actions.InvalidAddress):
            actions.normalise_email(bad)


def test_purge_forgets_unconfirmed_signups_after_35_days(themed, time_machine):
    from service.subscriptions.maintenance import purge_expired_pending

    time_machine.move_to(utcnow() - timedelta(days=36), tick=False)
    old = create_subscriber(email="old@example.org", status=Status.PENDING)
    actions.resend_confirmation(old.id)
    db.session.commit()
    asked_again = create_subscriber(email="again@example.org", status=Status.PENDING)
    time_machine.move_to(utcnow() + timedelta(days=36), tick=False)
    actions.resend_confirmation(asked_again.id)  # a fresh confirmation today
    db.session.commit()
    fresh = create_subscriber(email="fresh@example.org", status=Status.PENDING)
    active = create_subscriber(email="active@example.org")
    assert purge_expired_pending() == 1
    assert purge_expired_pending() == 0
    assert subscriber("old@example.org") is None
    assert subscriber("fresh@example.org").id == fresh.id and active.id
    assert subscriber("again@example.org").id == asked_again.id
    rows = db.session.scalars(
        select(OutgoingEmail).where(OutgoingEmail.kind == "confirm").order_by(OutgoingEmail.id)
    ).all()
    assert [(r.to_address, r.state) for r in rows] == [
        (None, EmailState.SKIPPED),  # the purged person's: address erased
        ("again@example.org", EmailState.QUEUED),
    ]


def test_every_subscription_template_renders_its_sample(ctx):
    from service.mail.catalog import SAMPLES

    common = {
        "programme_name": "Turnabout",
        "base_url": "http://turnabout.test",
        "reason": "why",
        "recipient_name": "Ana",
        "preferences_url": "http://turnabout.test/p/x",
        "unsubscribe_url": "http://turnabout.test/u/x",
    }
    for kind in ("confirm", "already_subscribed", "welcome", "unsubscribed", "invite"):
        rendered = render_email(kind, {**common, **SAMPLES[kind]})
        assert "\n" not in rendered.subject and len(rendered.subject) < 90
        assert rendered.text.strip() and "<h1" in rendered.html
        assert "{{" not in rendered.text + rendered.html


def test_a_parallel_signup_for_the_same_address_does_not_fail(themed):
    """Two requests for one new address: the second insert hits the unique email, inserts
    nothing (ON CONFLICT DO NOTHING: the signup tries the insert before any lookup, so
    the first request's row stands for the row a parallel request inserted first), and
    the signup uses the first row."""
    first = create_subscriber(email="race@example.org", status=Status.PENDING)
    values = {"email": "race@example.org", "name": "Ra", "role": "learner", "themes": []}
    assert actions.request_subscription(values) == "confirmation sent"
    db.session.commit()
    assert db.session.scalar(select(func.count(Subscriber.id))) == 1
    row = db.session.scalar(select(OutgoingEmail).where(OutgoingEmail.kind == "confirm"))
    assert row.subscriber_id == first.id


def test_leaving_mid_round_tells_the_partner(make_app, run_jobs, outbox):
    """A tip-giver who unsubscribes with one click: their learner is looked after (the
    inbound feature's partner_gone), and the learner hears about it."""
    from service.rounds.content import seed_content
    from service.rounds.dispatch import send_round
    from service.rounds.models import Pairing
    from service.tokens import make_token
    from service.weeks import current_week

    app = make_app()
    with app.app_context():
        seed_content()
        db.session.commit()
        learner = create_subscriber(email="learner@example.org", role="learner", team="A")
        giver = create_subscriber(email="giver@example.org", role="giver", team="B")
        send_round(current_week())
        db.session.commit()
        url = f"/u/{make_token('unsubscribe', giver.id)}"
        learner_id = learner.id
    run_jobs()
    outbox.clear()
    client = app.test_client()
    for _ in range(2):
        response = client.post(
            url, data="List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
        )
        assert response.status_code == 200
    run_jobs()
    with app.app_context():
        pairing = db.session.scalar(select(Pairing).where(Pairing.learner_id == learner_id))
        assert pairing.giver_id is None  # no standby tip-giver was free
    assert len(outbox.to("giver@example.org")) == 1  # only the goodbye
    assert len(outbox.to("learner@example.org")) == 1  # told once, despite two POSTs


def test_dns_checks_only_when_configured(ctx, monkeypatch):
    from service.subscriptions import addresses

    seen = []

    def no_mail_servers(value, **options):  # no network in tests: a domain without MX
        seen.append(options["check_deliverability"])
        if options["check_deliverability"]:
            raise addresses.EmailNotValidError("The domain does not accept email.")
        return real(value, **options)

    real = addresses.validate_email
    monkeypatch.setattr(addresses, "validate_email", no_mail_servers)
    assert actions.normalise_email("ana@example.org") == "ana@example.org"
    assert actions.normalise_email("Ana@a--b.example.org") == "ana@a--b.example.org"
    # (an everyday address is checked without the validator: addresses.plain_address)
    ctx.config["EMAIL_CHECK_DELIVERABILITY"] = True
    with pytest.raises(actions.InvalidAddress, match="does not accept email"):
        actions.normalise_email("ana@example.org")
    assert seen == [False, True]
