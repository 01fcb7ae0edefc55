"""Download my data and delete my data: the export is complete, the deletion leaves no trace."""

from __future__ import annotations

import json

import sqlalchemy as sa

from service.admin.models import AuditEntry
from service.database import Model, utcnow
from service.extensions import db
from service.inbound.models import DeliveryEvent, InboundMessage
from service.mail.models import OutgoingEmail
from service.rounds.models import Answer, Challenge, Pairing, Round, Standby, Theme, ThreadMessage
from service.subscriptions import actions, emails
from service.subscriptions.models import Status, Subscriber, Suppression, address_hash
from service.tokens import make_token
from tests.factories_subscriptions import create_subscriber, create_themes
from tests.helpers import csrf_token

EMAIL = "zephyrine.q@example.org"
NAME = "Zephyrine Quillfeather"
TEAM = "Skunkworks Nine"
ABOUT = "I restore vintage typewriters on weekends"
SECRETS = [EMAIL, NAME, "Zephyrine", "Quillfeather", TEAM, ABOUT]


def build_history():
    """One person with a full history: two weeks paired, messages both ways, answers,
    emails, inbound mail, provider events, an admin audit entry, a standby."""
    create_themes()
    person = create_subscriber(
        email=EMAIL, name=NAME, team=TEAM, about=ABOUT, role="learner", themes=("tech-savvy",)
    )
    partner = create_subscriber(email="bo@example.org", name="Bo", role="giver", team="Sales")
    other = create_subscriber(email="cy@example.org", name="Cy", team=TEAM)  # same team name
    theme = db.session.scalar(sa.select(Theme).where(Theme.slug == "tech-savvy"))
    challenge = Challenge(
        theme_id=theme.id, title="Summarise notes with AI", learner_task="Try", giver_prompt="Tip"
    )
    db.session.add(challenge)
    db.session.flush()
    pairings = []
    for n, week in enumerate(("2026-W47", "2026-W48")):
        rnd = Round(week=week, challenge_id=challenge.id, status="paired")
        db.session.add(rnd)
        db.session.flush()
        pairing = Pairing(
            round_id=rnd.id,
            learner_id=person.id,
            giver_id=partner.id,
            learner_key=f"lk{n}",
            giver_key=f"gk{n}",
            explanation=f"themes match; {NAME} ({TEAM}) and Bo (Sales) are in different teams",
        )
        db.session.add(pairing)
        db.session.flush()
        pairings.append(pairing)
    p = pairings[0]
    challenge_mail = emails.welcome_email(
        "Zephyrine",
        "learner",
        ["Tech"],
        "Monday",
        None,
        key="challenge-me",
        subscriber_id=person.id,
    )
    emails.welcome_email(
        "Bo",
        "giver",
        [f"Your learner is {NAME}, team {TEAM}: {ABOUT}"],
        "Monday",
        None,
        key="challenge-partner",
        subscriber_id=partner.id,
        pairing_id=p.id,
    )
    relay_out = emails.welcome_email(
        "Bo",
        "giver",
        ["Thanks Bo, it worked! Zephyrine"],
        "x",
        None,
        key="relay-from-person",
        subscriber_id=partner.id,
        pairing_id=p.id,
        from_name="Zephyrine",
    )
    relay_in = emails.welcome_email(
        "Zephyrine",
        "learner",
        ["Bo's tip: paste the notes"],
        "x",
        None,
        key="relay-to-person",
        subscriber_id=person.id,
        pairing_id=p.id,
        from_name="Bo",
    )
    inbound_from = InboundMessage(
        mode="raw",
        raw=f"From: {NAME} <{EMAIL}>\r\n\r\nThanks Bo, it worked!".encode(),
        fields={"from": EMAIL, "spf": "pass"},
        sender_id=person.id,
        pairing_id=p.id,
    )
    inbound_to = InboundMessage(
        mode="raw",
        raw=f"From: Bo <bo@example.org>\r\n\r\nPaste the notes.\r\n> {NAME} wrote".encode(),
        fields={"from": "bo@example.org"},
        sender_id=partner.id,
        pairing_id=p.id,
    )
    join_mail = InboundMessage(  # arrived before they were a subscriber: no sender_id
        mode="raw", raw=f"From: {EMAIL}\r\nTo: join@x\r\n\r\nhi".encode(), fields={}
    )
    db.session.add_all([inbound_from, inbound_to, join_mail])
    db.session.flush()
    db.session.add_all(
        [
            ThreadMessage(
                pairing_id=p.id,
                author_id=person.id,
                direction="learner_to_giver",
                body="Thanks Bo, it worked! I used it for the board memo.",
                inbound_id=inbound_from.id,
                outgoing_email_id=relay_out.id,
            ),
            ThreadMessage(
                pairing_id=p.id,
                author_id=partner.id,
                direction="giver_to_learner",
                body="Paste the notes and say who reads it.",
                inbound_id=inbound_to.id,
                outgoing_email_id=relay_in.id,
            ),
            Answer(
                pairing_id=p.id,
                subscriber_id=person.id,
                question="outcome",
                value="tried",
                comment=f"Great tip, my team {TEAM} loved it",
            ),
            Answer(
                pairing_id=pairings[1].id, subscriber_id=person.id, question="outcome", value="skip"
            ),
            Answer(pairing_id=p.id, subscriber_id=partner.id, question="rating", value="5"),
            DeliveryEvent(
                provider_event_id="ev1",
                event="bounced",
                outgoing_email_id=challenge_mail.id,
                address_hash=address_hash(EMAIL),
                detail=f"452 mailbox {EMAIL} full",
            ),
            AuditEntry(
                action="subscriber.edit",
                object_type="subscriber",
                object_id=str(person.id),
                before={"name": NAME, "team": TEAM},
                after={"name": NAME, "team": "X"},
                detail=f"edited {EMAIL}",
            ),
            AuditEntry(
                action="import",
                object_type="import",
                object_id="7",
                detail=f"invited bo@example.org and {EMAIL}",
            ),
            Standby(
                round_id=pairings[1].round_id,
                subscriber_id=person.id,
                reason=f"no giver outside {TEAM}",
            ),
        ]
    )
    db.session.commit()
    return person, partner, other, pairings, challenge_mail


def rows_mentioning(needles, *, except_subscriber: int | None = None):
    """(table, column, needles found) for every string, JSON or binary value containing a
    needle, in every table of the schema. `except_subscriber`: another person's own row."""
    hits = []
    needles = [n.lower() for n in needles]
    with db.engine.connect() as conn:
        for table in Model.metadata.sorted_tables:
            columns = [
                c
                for c in table.columns
                if isinstance(c.type, (sa.String, sa.Text, sa.JSON, sa.LargeBinary))
                or "JSON" in type(c.type).__name__
            ]
            keys = list(table.primary_key.columns)
            for row in conn.execute(sa.select(*keys, *columns)) if columns else ():
                if table.name == "subscribers" and row[0] == except_subscriber:
                    continue
                for column, value in zip(columns, row[len(keys) :], strict=True):
                    if value is None:
                        continue
                    if isinstance(value, bytes):
                        text = value.decode("utf-8", "replace")
                    elif isinstance(value, str):
                        text = value
                    else:
                        text = json.dumps(value, ensure_ascii=False)
                    found = [n for n in needles if n in text.lower()]
                    if found:
                        hits.append((table.name, column.name, found))
    return hits


def test_scanner_finds_the_personal_data_before_deletion(ctx):
    """The check below must be able to fail: before deletion it finds the person everywhere."""
    build_history()
    tables = {table for table, _, _ in rows_mentioning(SECRETS)}
    assert {
        "subscribers",
        "outgoing_emails",
        "inbound_messages",
        "answers",
        "delivery_events",
        "audit_log",
        "pairings",
        "standbys",
    } <= tables


def test_export_contains_profile_pairings_messages_and_answers(client, ctx):
    person, *_ = build_history()
    url = f"/p/{make_token('preferences', person.id)}"
    response = client.post(f"{url}/export", data={"csrf_token": csrf_token(client, url)})
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert data["profile"]["email"] == EMAIL and data["profile"]["team"] == TEAM
    assert data["profile"]["about"] == ABOUT and data["profile"]["themes"] == ["tech-savvy"]
    assert [(p["week"], p["my_role"]) for p in data["pairings"]] == [
        ("2026-W47", "learner"),
        ("2026-W48", "learner"),
    ]
    assert [m["body"] for m in data["messages"] if m["written_by"] == "me"] == [
        "Thanks Bo, it worked! I used it for the board memo."
    ]
    assert sorted((a["week"], a["value"]) for a in data["answers"]) == [
        ("2026-W47", "tried"),
        ("2026-W48", "skip"),
    ]
    # What the partner wrote to them is part of the mail they received (test_privacy_export).
    assert {e["kind"] for e in data["emails_sent_to_me"]} == {"welcome"}


def test_delete_erases_the_person_from_every_table_and_keeps_counts(client, ctx):
    person, partner, other, pairings, _ = build_history()
    actions.unsubscribe(person.id, source="page")
    db.session.commit()
    counts = {
        model: db.session.scalar(sa.select(sa.func.count()).select_from(model))
        for model in (Subscriber, Pairing, Answer, ThreadMessage, InboundMessage)
    }
    emails_before = db.session.scalar(sa.select(sa.func.count(OutgoingEmail.id)))
    url = f"/p/{make_token('preferences', person.id)}"
    token = csrf_token(client, url)
    refused = client.post(f"{url}/delete", data={"csrf_token": token})  # box not ticked
    assert refused.status_code == 302
    assert db.session.get(Subscriber, person.id).email == EMAIL
    response = client.post(f"{url}/delete", data={"csrf_token": token, "confirm": "delete"})
    assert response.status_code == 200 and "deleted" in response.get_data(as_text=True)

    db.session.expire_all()
    assert rows_mentioning(SECRETS, except_subscriber=other.id) == []
    for model, count in counts.items():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(model)) == count
    # Their partner in the open rounds is told, without their name (checked by the scan).
    assert db.session.scalar(sa.select(sa.func.count(OutgoingEmail.id))) > emails_before
    gone = db.session.get(Subscriber, person.id)
    assert (gone.status, gone.email, gone.name, gone.deleted_at is not None) == (
        Status.DELETED,
        None,
        "",
        True,
    )
    # they had unsubscribed: the suppression list keeps the hash, nothing else
    entry = db.session.scalar(sa.select(Suppression))
    assert entry.address_hash == address_hash(EMAIL)
    # message bodies in their conversations are erased; the partner's other data stays
    assert all(m.body is None for m in db.session.scalars(sa.select(ThreadMessage)))
    assert db.session.get(Subscriber, partner.id).email == "bo@example.org"
    assert db.session.get(Subscriber, other.id).team == TEAM  # same team name, other person
    assert [a.value for a in db.session.scalars(sa.select(Answer).order_by(Answer.id))] == [
        "tried",
        "skip",
        "5",
    ]
    assert db.session.get(Pairing, pairings[0].id).learner_id == person.id  # counts stay
    # the links in their old emails now lead nowhere
    assert client.get(url).status_code == 404


def test_delete_without_unsubscribe_keeps_no_hash_and_is_repeatable(ctx):
    person, _, other, *_ = build_history()
    actions.delete_personal_data(person.id)
    actions.delete_personal_data(person.id)
    assert db.session.scalar(sa.select(sa.func.count(Suppression.id))) == 0
    assert rows_mentioning(SECRETS, except_subscriber=other.id) == []
    assert db.session.get(Subscriber, person.id).deleted_at <= utcnow()
