"""Email commands written in German: the six from the product brief, the variants people
actually type, and German sentences that merely contain a command word (relayed, not
obeyed)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from service.extensions import db
from service.inbound.email_commands import HELP, PAUSE, SKIP, STOP, THANKS, Command, parse_command
from service.inbound.models import InboundMessage
from service.subscriptions.models import Status
from tests.factories_inbound import create_pair, post_raw, reply_mime


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("stopp", Command(STOP)),
        ("Stopp!", Command(STOP)),
        ("abmelden", Command(STOP)),
        ("Bitte abmelden.", Command(STOP)),
        ("Abbestellen", Command(STOP)),
        ("pause 2 Wochen", Command(PAUSE, 2)),
        ("Pause für 3 Wochen", Command(PAUSE, 3)),
        ("2 Wochen Pause", Command(PAUSE, 2)),
        ("1 Woche pausieren", Command(PAUSE, 1)),
        ("pausieren", Command(PAUSE)),
        ("überspringen", Command(SKIP)),
        ("Diese Woche überspringen", Command(SKIP)),
        ("Ueberspringen", Command(SKIP)),
        ("hilfe", Command(HELP)),
        ("Hilfe bitte!", Command(HELP)),
        ("danke", Command(THANKS)),
        ("Vielen Dank!\nMargarete", Command(THANKS)),
        ("Herzlichen Dank", Command(THANKS)),
        ("Danke schön", Command(THANKS)),
        # Sentences are messages for the partner, even with a command word in them.
        ("Danke für den Tipp, ich probiere es morgen aus.", None),
        ("Ich möchte mich nicht abmelden, nur kurz pausieren.", None),
        ("99 Wochen Pause", None),
        ("0 Wochen Pause", None),
        ("Pause 2 Wochen und dann weiter?", None),
    ],
)
def test_german_commands(text, expected):
    assert parse_command(text) == expected


@pytest.fixture
def pair(ctx, run_jobs, outbox):
    made = create_pair()
    run_jobs()
    outbox.clear()
    return made


def reply(client, run_jobs, *, sender, to, text) -> InboundMessage:
    raw = reply_mime(sender=sender, to=to, text=text)
    assert post_raw(client, raw, to=to, sender=sender, spf="pass").status_code == 200
    run_jobs()
    row = db.session.scalars(select(InboundMessage).order_by(InboundMessage.id.desc())).first()
    db.session.refresh(row)
    return row


def test_pause_2_wochen_and_stopp_by_email(client, run_jobs, pair):
    giver, learner = pair.giver, pair.learner
    row = reply(client, run_jobs, sender=giver.email, to=pair.giver_address, text="2 Wochen Pause")
    assert row.outcome == "command: pause 2"
    db.session.refresh(giver)
    assert (giver.paused_until - date.today()).days == 14

    row = reply(client, run_jobs, sender=learner.email, to=pair.learner_address, text="Stopp")
    assert row.outcome == "command: stop"
    db.session.refresh(learner)
    assert learner.status == Status.UNSUBSCRIBED
