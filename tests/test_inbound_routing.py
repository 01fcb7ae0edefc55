"""Who may write through a reply address, what is never relayed (auto-replies, bounces,
strangers), email commands, and the join/unsubscribe addresses."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from service.extensions import db
from service.inbound.email_commands import Command, parse_command
from service.inbound.models import InboundMessage, InboundState
from service.rounds.models import Answer, PairingStatus, RoundStatus, ThreadMessage
from service.subscriptions.models import Status, Subscriber
from tests.factories_inbound import (
    create_pair,
    create_subscriber,
    post_form,
    post_raw,
    raw_form,
    reply_mime,
    sample,
)
from tests.helpers import text_of


@pytest.fixture
def pair(ctx, run_jobs, outbox):
    made = create_pair()
    run_jobs()
    outbox.clear()
    return made


def send(client, run_jobs, *, sender, to, text="A real message.", **options) -> InboundMessage:
    spf = options.pop("spf", "pass")
    dkim = options.pop("dkim", None)
    raw = reply_mime(sender=sender, to=to, text=text, **options)
    assert post_raw(client, raw, to=to, sender=sender, spf=spf, dkim=dkim).status_code == 200
    run_jobs()
    row = db.session.scalars(select(InboundMessage).order_by(InboundMessage.id.desc())).first()
    db.session.refresh(row)
    return row


def relayed_count() -> int:
    return db.session.scalar(select(func.count(ThreadMessage.id)))


def notes(outbox, address):
    return [m for m in outbox.to(address) if "not passed on" in str(m["Subject"])]


# ------------------------------------------------------------------ trust


def test_spoofed_sender_with_a_valid_key_is_not_relayed(client, run_jobs, outbox, pair):
    row = send(client, run_jobs, sender="mallory@example.net", to=pair.giver_address)
    assert row.state == InboundState.IGNORED
    assert row.outcome == "sender is not the owner of this reply address"
    assert relayed_count() == 0
    assert outbox.to(pair.learner.email) == []
    (note,) = notes(outbox, "mallory@example.net")
    assert "only accepts mail from the address" in text_of(note)
    assert pair.learner.email not in note.as_string() and pair.giver.email not in note.as_string()
    # Again the same day: still not relayed, and no second note.
    send(client, run_jobs, sender="mallory@example.net", to=pair.giver_address)
    assert len(notes(outbox, "mallory@example.net")) == 1


def test_the_partner_cannot_write_through_the_other_sides_key(client, run_jobs, outbox, pair):
    row = send(client, run_jobs, sender=pair.learner.email, to=pair.giver_address)
    assert row.state == InboundState.IGNORED and relayed_count() == 0


def test_unauthenticated_strangers_get_no_note(client, run_jobs, outbox, pair):
    """A forged From would make our note backscatter: only SPF/DKIM-passing senders."""
    send(
        client,
        run_jobs,
        sender="victim@example.com",
        to=pair.giver_address,
        spf="fail",
        dkim="{@example.com : fail}",
    )
    assert relayed_count() == 0 and len(outbox) == 0


def test_a_dkim_pass_for_another_domain_does_not_count(client, run_jobs, outbox, pair):
    send(
        client,
        run_jobs,
        sender="victim@example.com",
        to=pair.giver_address,
        spf="softfail",
        dkim="{@bulkmailer.example : pass}",
    )
    assert len(outbox) == 0


def test_spam_gets_no_note(ctx, client, run_jobs, outbox, pair):
    raw = reply_mime(sender="seller@example.net", to=pair.giver_address, text="Cheap watches")
    fields = raw_form(raw, to=pair.giver_address, sender="seller@example.net")
    fields["spam_score"] = "9.7"
    post_form(client, fields)
    run_jobs()
    assert relayed_count() == 0 and len(outbox) == 0


def test_our_own_mail_coming_back_is_dropped_without_a_note(client, run_jobs, outbox, pair):
    """A partner's auto-forward sends a relayed message back to the reply address."""
    row = send(client, run_jobs, sender="hello@turnabout.test", to=pair.learner_address)
    assert row.outcome == "from our own domain (loop)"
    assert relayed_count() == 0 and len(outbox) == 0


def test_colleagues_on_the_sending_domain_are_not_taken_for_our_own_mail(
    ctx, client, run_jobs, outbox
):
    """An organisation sends from hello@its-domain, and its people write from there too."""
    pair = create_pair(
        learner=create_subscriber(name="Margaret Hale", email="margaret@turnabout.test")
    )
    run_jobs()
    row = send(client, run_jobs, sender="margaret@turnabout.test", to=pair.learner_address)
    assert row.outcome == "relayed learner_to_giver"


def test_unknown_key_is_not_relayed(client, run_jobs, outbox, pair):
    row = send(
        client,
        run_jobs,
        sender=pair.giver.email,
        to="reply+0123456789abcdef01234567@reply.turnabout.test",
    )
    assert row.outcome == "unknown recipient" and relayed_count() == 0
    (note,) = notes(outbox, pair.giver.email)
    assert "could not tell which" in text_of(note)


def test_closed_round_is_not_relayed(client, run_jobs, outbox, pair):
    pair.pairing.round.status = RoundStatus.CLOSED
    db.session.commit()
    row = send(client, run_jobs, sender=pair.giver.email, to=pair.giver_address)
    assert row.outcome == "thread closed" and relayed_count() == 0
    assert "has ended" in text_of(notes(outbox, pair.giver.email)[0])


def test_learner_without_a_partner_is_told_so(ctx, client, run_jobs, outbox):
    made = create_pair()
    made.pairing.giver_id = None
    made.pairing.status = PairingStatus.UNMATCHED
    db.session.commit()
    row = send(client, run_jobs, sender=made.learner.email, to=made.learner_address)
    assert row.outcome == "no partner to relay to"


def test_sender_address_is_compared_without_case(client, run_jobs, outbox, pair):
    row = send(client, run_jobs, sender=pair.giver.email.upper(), to=pair.giver_address)
    assert row.outcome == "relayed giver_to_learner"


# ------------------------------------------------------------------ automated mail

AUTOMATED = [
    ({"Auto-Submitted": "auto-generated"}, "Re: this week", "automated: auto-reply"),
    ({"Precedence": "bulk"}, "Re: this week", "automated: bulk"),
    ({"Precedence": "junk"}, "Re: this week", "automated: bulk"),
    ({"Precedence": "list"}, "Re: this week", "automated: bulk"),
    ({"X-Autoreply": "yes"}, "Re: this week", "automated: auto-reply"),
    ({"X-Autorespond": "Ticket received"}, "We got your message", "automated: auto-reply"),
    ({"Auto-Submitted": "auto-replied"}, "Re: this week", "automated: out-of-office"),
    ({}, "Out of Office: Re: this week", "automated: out-of-office"),
    ({}, "Automatic reply: this week", "automated: out-of-office"),
    ({}, "Abwesenheitsnotiz: Re: this week", "automated: out-of-office"),
    ({}, "Automatische Antwort: this week", "automated: out-of-office"),
    ({}, "Réponse automatique : this week", "automated: out-of-office"),
    ({}, "Absence du bureau", "automated: out-of-office"),
    ({}, "Fuera de la oficina: this week", "automated: out-of-office"),
    ({}, "Respuesta automática: this week", "automated: out-of-office"),
    ({}, "Afwezig: Re: this week", "automated: out-of-office"),
    ({}, "Automatisch antwoord: this week", "automated: out-of-office"),
    ({}, "Fuori ufficio: this week", "automated: out-of-office"),
    ({}, "Risposta automatica: this week", "automated: out-of-office"),
    ({}, "Fora do escritório: this week", "automated: out-of-office"),
    ({}, "Resposta automática: this week", "automated: out-of-office"),
]


@pytest.mark.parametrize(("headers", "subject", "outcome"), AUTOMATED)
def test_automated_mail_is_never_relayed_nor_answered(
    client, run_jobs, outbox, pair, headers, subject, outcome
):
    row = send(
        client,
        run_jobs,
        sender=pair.giver.email,
        to=pair.giver_address,
        subject=subject,
        headers=headers,
        text="I am away until Monday with limited access to email.",
    )
    assert row.outcome == outcome
    assert relayed_count() == 0 and len(outbox) == 0


@pytest.mark.parametrize(
    "sender", ["MAILER-DAEMON@mx.example.org", "postmaster@example.org", "no-reply@example.org"]
)
def test_daemon_senders_are_dropped_silently(client, run_jobs, outbox, pair, sender):
    row = send(
        client,
        run_jobs,
        sender=sender,
        to=pair.giver_address,
        subject="Undelivered Mail Returned to Sender",
    )
    assert row.outcome.startswith("automated:") and len(outbox) == 0


def test_a_dsn_bounce_is_recognised(client, run_jobs, outbox, pair):
    from email.message import EmailMessage

    msg = EmailMessage()
    msg["From"] = "Mail Delivery System <MAILER-DAEMON@mail.example.org>"
    msg["To"] = pair.giver_address
    msg["Subject"] = "Delivery Status Notification (Failure)"
    msg.set_content("This is the mail system at host mail.example.org.")
    msg.make_mixed()
    msg.replace_header(
        "Content-Type", 'multipart/report; report-type=delivery-status; boundary="b"'
    )
    post_raw(client, bytes(msg), to=pair.giver_address, sender="")
    run_jobs()
    row = db.session.scalar(select(InboundMessage))
    assert row.outcome == "automated: bounce" and len(outbox) == 0


def test_out_of_office_marks_the_owner_away_until_the_end_of_the_week(
    client, run_jobs, outbox, pair
):
    pair.pairing.round.week = "2026-W49"
    db.session.commit()
    send(
        client,
        run_jobs,
        sender=pair.giver.email,
        to=pair.giver_address,
        subject="Automatic reply: Re: this week",
        headers={"Auto-Submitted": "auto-replied", "X-Auto-Response-Suppress": "All"},
        text="I am out of the office until 14 December.",
    )
    db.session.refresh(pair.giver)
    assert pair.giver.away_until == date(2026, 12, 6)  # the Sunday of 2026-W49
    assert pair.learner.away_until is None and relayed_count() == 0


def test_an_out_of_office_from_someone_else_marks_nobody(client, run_jobs, outbox, pair):
    send(
        client,
        run_jobs,
        sender="colleague@example.org",
        to=pair.giver_address,
        subject="Out of office",
        headers={"Auto-Submitted": "auto-replied"},
    )
    db.session.refresh(pair.giver)
    assert pair.giver.away_until is None


def test_a_person_mentioning_holidays_in_the_thread_is_relayed(client, run_jobs, outbox, pair):
    row = send(
        client,
        run_jobs,
        sender=pair.giver.email,
        to=pair.giver_address,
        subject="Re: Let an AI assistant summarise your meeting notes",
        text="I'll be out of office next week, so here's my tip early: use templates.",
    )
    assert row.outcome == "relayed giver_to_learner"


def test_outlook_out_of_office_sample(client, run_jobs, outbox, pair):
    raw = sample(
        "ooo_outlook_de.eml",
        FROM=pair.giver.email,
        TO=pair.giver_address,
        ROOT=pair.pairing.giver_thread_id,
        MSGID="<ooo.1@example.org>",
    )
    post_raw(client, raw, to=pair.giver_address, sender=pair.giver.email)
    run_jobs()
    row = db.session.scalar(select(InboundMessage))
    assert row.outcome == "automated: out-of-office"
    db.session.refresh(pair.giver)
    assert pair.giver.away_until is not None


# ------------------------------------------------------------------ commands


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("skip", Command("skip")),
        ("Skip.", Command("skip")),
        ("  SKIP this week!  ", Command("skip")),
        ("Überspringen", Command("skip")),
        ("pause", Command("pause")),
        ("Pause 2 weeks", Command("pause", 2)),
        ("pause for 3 weeks", Command("pause", 3)),
        ("pausieren 2 Wochen", Command("pause", 2)),
        ("pausa 4 semanas", Command("pause", 4)),
        ("stop", Command("stop")),
        ("Unsubscribe", Command("stop")),
        ("abmelden", Command("stop")),
        ("help", Command("help")),
        ("Hilfe", Command("help")),
        ("ayuda", Command("help")),
        ("thanks", Command("thanks")),
        ("Thank you!", Command("thanks")),
        ("Thanks!\nMargaret", Command("thanks")),
        ("👍", Command("thanks")),
        ("👍🏽", Command("thanks")),
        ("👍👍👍", Command("thanks")),
        ("Danke!", Command("thanks")),
        ("merci beaucoup", Command("thanks")),
        ("muchas gracias", Command("thanks")),
        ("dank je wel", Command("thanks")),
        ("grazie mille", Command("thanks")),
        ("obrigada", Command("thanks")),
        ("Thanks, that worked really well, I'll try it again tomorrow.", None),
        ("skip\nI am really busy this week, sorry: can we do it next week?", None),
        ("pause 99 weeks", None),
        ("Please don't stop sending these", None),
        ("", None),
        ("stop\nskip", None),
    ],
)
def test_parse_command(text, expected):
    assert parse_command(text) == expected


def confirmation(outbox, address):
    found = [m for m in outbox.to(address) if "via Turnabout" not in str(m["From"])]
    assert len(found) == 1, [str(m["Subject"]) for m in outbox.to(address)]
    return found[0]


def test_skip_by_email_records_the_answer_and_confirms_in_thread(client, run_jobs, outbox, pair):
    row = send(client, run_jobs, sender=pair.learner.email, to=pair.learner_address, text="Skip")
    assert row.outcome == "command: skip" and relayed_count() == 0
    answer = db.session.scalar(select(Answer))
    assert (answer.subscriber_id, answer.question, answer.value) == (
        pair.learner.id,
        "outcome",
        "skip",
    )
    db.session.refresh(pair.pairing)
    assert pair.pairing.status == PairingStatus.SKIPPED
    note = confirmation(outbox, pair.learner.email)
    assert note["In-Reply-To"] == pair.pairing.learner_thread_id
    assert "skipped for this week" in text_of(note)
    assert outbox.to(pair.giver.email) == []


def test_pause_two_weeks_by_email(client, run_jobs, outbox, pair):
    row = send(
        client, run_jobs, sender=pair.giver.email, to=pair.giver_address, text="pause 2 weeks"
    )
    assert row.outcome == "command: pause 2"
    db.session.refresh(pair.giver)
    assert pair.giver.paused_until is not None
    assert (pair.giver.paused_until - date.today()).days == 14
    assert "paused for you until" in text_of(confirmation(outbox, pair.giver.email))


def test_pause_for_an_unusual_number_of_weeks(client, run_jobs, outbox, pair):
    send(client, run_jobs, sender=pair.giver.email, to=pair.giver_address, text="pause 3")
    db.session.refresh(pair.giver)
    assert (pair.giver.paused_until - date.today()).days == 21


def test_stop_unsubscribes_and_tells_the_partner(client, run_jobs, outbox, pair):
    row = send(client, run_jobs, sender=pair.learner.email, to=pair.learner_address, text="STOP")
    assert row.outcome == "command: stop" and relayed_count() == 0
    db.session.refresh(pair.learner)
    assert pair.learner.status == Status.UNSUBSCRIBED
    (notice,) = outbox.to(pair.giver.email)
    assert notice["In-Reply-To"] == pair.pairing.giver_thread_id
    assert "left this week's round" in text_of(notice)


def test_stop_works_after_the_round_closed(client, run_jobs, outbox, pair):
    pair.pairing.round.status = RoundStatus.CLOSED
    db.session.commit()
    send(client, run_jobs, sender=pair.giver.email, to=pair.giver_address, text="unsubscribe")
    db.session.refresh(pair.giver)
    assert pair.giver.status == Status.UNSUBSCRIBED


def test_thanks_goes_to_the_tip_giver_and_is_counted(client, run_jobs, outbox, pair):
    row = send(client, run_jobs, sender=pair.learner.email, to=pair.learner_address, text="👍")
    assert row.outcome == "command: thanks"
    (thanks,) = outbox.to(pair.giver.email)
    assert thanks["In-Reply-To"] == pair.pairing.giver_thread_id
    assert "says thank you" in text_of(thanks)
    assert pair.learner.email not in thanks.as_string()
    assert "passed your thanks" in text_of(confirmation(outbox, pair.learner.email))
    send(client, run_jobs, sender=pair.learner.email, to=pair.learner_address, text="Danke!")
    kinds = list(db.session.scalars(select(ThreadMessage.kind)))
    assert kinds == ["thanks", "thanks"]  # both counted...
    assert len(outbox.to(pair.giver.email)) == 1  # ...one email to the tip-giver per round


def test_thanks_from_the_tip_giver_is_just_relayed(client, run_jobs, outbox, pair):
    row = send(client, run_jobs, sender=pair.giver.email, to=pair.giver_address, text="Thanks!")
    assert row.outcome == "relayed giver_to_learner"


def test_help_from_the_learner_asks_the_tip_giver(ctx, client, run_jobs, outbox):
    """The help notice itself comes from the rounds feature (record_answer)."""
    pair = create_pair(challenges=True)
    run_jobs()
    outbox.clear()
    row = send(client, run_jobs, sender=pair.learner.email, to=pair.learner_address, text="help")
    assert row.outcome == "command: help"
    assert db.session.scalar(select(Answer.value)) == "help"
    (notice,) = outbox.to(pair.giver.email)
    assert notice["In-Reply-To"] == pair.pairing.giver_thread_id
    assert db.session.scalar(select(ThreadMessage.kind)) == "help"
    assert "let Sam know" in text_of(confirmation(outbox, pair.learner.email))


def test_help_from_the_tip_giver_lists_the_commands(client, run_jobs, outbox, pair):
    send(client, run_jobs, sender=pair.giver.email, to=pair.giver_address, text="Help?")
    text = text_of(confirmation(outbox, pair.giver.email))
    assert "skip" in text and "pause" in text and "stop" in text
    assert outbox.to(pair.learner.email) == []


def test_a_command_from_a_stranger_does_nothing(client, run_jobs, outbox, pair):
    send(client, run_jobs, sender="mallory@example.net", to=pair.learner_address, text="stop")
    db.session.refresh(pair.learner)
    assert pair.learner.status == Status.ACTIVE


# ------------------------------------------------------------------ join / unsubscribe


def test_mail_to_join_creates_a_pending_subscriber(ctx, client, run_jobs, outbox):
    """Depends on the subscriptions feature (handle_join_message)."""
    row = send(
        client,
        run_jobs,
        sender="newcomer@example.org",
        to="join@reply.turnabout.test",
        sender_name="Nia Newcomer",
        subject="join",
    )
    assert row.outcome.startswith("join"), row.outcome
    person = db.session.scalar(select(Subscriber).where(Subscriber.email == "newcomer@example.org"))
    assert person is not None and person.status == Status.PENDING
    assert len(outbox.to("newcomer@example.org")) == 1


def test_an_auto_reply_to_join_creates_nobody(ctx, client, run_jobs, outbox):
    send(
        client,
        run_jobs,
        sender="away@example.org",
        to="join@reply.turnabout.test",
        headers={"Auto-Submitted": "auto-replied"},
    )
    assert db.session.scalar(select(func.count(Subscriber.id))) == 0


def test_mail_to_unsubscribe_unsubscribes_the_sender(ctx, client, run_jobs, outbox):
    person = create_subscriber(email="done@example.org")
    db.session.commit()
    row = send(
        client, run_jobs, sender=person.email, to="unsubscribe@reply.turnabout.test", text=""
    )
    assert row.outcome.startswith("unsubscribe address"), row.outcome
    db.session.refresh(person)
    assert person.status == Status.UNSUBSCRIBED


def test_help_from_a_learner_without_a_partner_lists_the_commands(ctx, client, run_jobs, outbox):
    made = create_pair()
    made.pairing.giver_id = None
    made.pairing.status = PairingStatus.UNMATCHED
    db.session.commit()
    run_jobs()
    outbox.clear()
    send(client, run_jobs, sender=made.learner.email, to=made.learner_address, text="help")
    text = text_of(confirmation(outbox, made.learner.email))
    assert "one of these words" in text and "let" not in text.split("\n")[0]


def test_a_pause_longer_than_allowed_is_refused_with_the_command_list(
    client, run_jobs, outbox, pair
):
    row = send(client, run_jobs, sender=pair.giver.email, to=pair.giver_address, text="pause 40")
    assert row.outcome.startswith("pause refused")
    db.session.refresh(pair.giver)
    assert pair.giver.paused_until is None
    assert "one of these words" in text_of(confirmation(outbox, pair.giver.email))
    assert relayed_count() == 0
