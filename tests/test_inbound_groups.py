"""The inbound job processes stored messages a group at a time, in one transaction
(service/inbound/groups.py), with what they look up read ahead in a few set-based
queries (readahead.py): a relay costs a statement or two, not twenty; the outcome of
every message is the one it would get alone; a message that fails fails alone; a
message whose pair another worker's group holds is left for a later group."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import func, select

from service.extensions import db
from service.inbound.groups import process_group, process_inbound
from service.inbound.models import InboundMessage, InboundState
from service.mail.models import OutgoingEmail
from service.rounds.models import Pairing, ThreadMessage
from tests.factories_inbound import create_pair, post_raw, reply_mime
from tests.helpers import ON_POSTGRESQL, each_statement_during


def reply(client, pair, side: str, text: str = "Tried it today.") -> None:
    person = pair.learner if side == "learner" else pair.giver
    address = pair.learner_address if side == "learner" else pair.giver_address
    root = getattr(pair.pairing, f"{side}_thread_id")
    raw = reply_mime(sender=person.email, to=address, text=text, in_reply_to=root)
    assert post_raw(client, raw, to=address, sender=person.email).status_code == 200


def outcomes() -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(select(InboundMessage.outcome).order_by(InboundMessage.id)))


def test_a_group_of_relays_costs_a_few_statements_whatever_its_size(
    app, ctx, client, run_jobs, outbox
):
    pairs = [create_pair() for _ in range(8)]
    run_jobs()  # the thread roots
    for pair in pairs:
        reply(client, pair, "learner")
        reply(client, pair, "giver")
    seen = each_statement_during(app, lambda: run_jobs(max_jobs=1), lambda _c, s: s)
    assert outcomes() == ["relayed learner_to_giver", "relayed giver_to_learner"] * 8
    assert len(outbox) == 16 + 16  # the thread roots and one relay to each person
    # Read ahead once for the group, not one look-up of each kind a reply.
    assert sum("FROM pairings" in s for s in seen) == 2  # find the keys' pairings, lock them
    assert sum(s.startswith("SELECT subscribers.id, subscribers.email") for s in seen) == 1
    assert sum(s.startswith("UPDATE inbound_messages") for s in seen) == 1  # executemany
    assert sum(s.startswith("UPDATE outgoing_emails SET last_event") for s in seen) == 1
    # Written together: on PostgreSQL one multi-row INSERT each for the group's messages
    # and their emails (SQLite's driver takes them one by one).
    postgresql = db.engine.dialect.name == "postgresql"
    inserts = 1 if postgresql else 16
    assert sum(s.startswith("INSERT INTO thread_messages") for s in seen) == inserts
    assert sum(s.startswith("INSERT INTO outgoing_emails") for s in seen) == inserts
    # Before groups, the job ran 20 statements a reply (320 here), delivery included.
    # What still grows with the replies is the delivery's record of each transport
    # round trip (one relay each) and, on SQLite, the inserts.
    assert len(seen) <= 16 * (1 if postgresql else 3) + 25, len(seen)


def test_a_group_gives_each_message_the_outcome_it_gets_alone(app, ctx, client, run_jobs):
    """The same replies, processed one per transaction and as one group. A command in
    the group changes what later messages of it find: a learner's thank-you counts
    towards the pair's relay limit (2 a day here), and a learner's `stop` unsubscribes
    them and tells their partner; the messages after them must see that, as they would
    alone."""
    from service.settings import set_setting

    set_setting("relay_limit_per_day", 2)
    db.session.commit()

    def scenario() -> list[int]:
        pair, other = create_pair(), create_pair()
        run_jobs()
        before = db.session.scalar(select(func.max(InboundMessage.id))) or 0
        reply(client, other, "giver", "A tip before it all.")
        reply(client, pair, "learner", "thanks")
        reply(client, pair, "giver", "Here is my tip.")
        reply(client, other, "learner", "stop")
        reply(client, other, "giver", "Another tip.")
        reply(client, pair, "learner", "Sorry, one more thing.")
        return list(
            db.session.scalars(
                select(InboundMessage.id)
                .where(InboundMessage.id > before)
                .order_by(InboundMessage.id)
            )
        )

    alone = scenario()
    for inbound_id in alone:
        process_inbound(inbound_id)
    expected = outcomes()
    assert expected == [
        "relayed giver_to_learner",
        "command: thanks",
        "relayed giver_to_learner",
        "command: stop",
        "relayed giver_to_learner",  # stored, and skipped at sending: they left
        "relay limit reached",  # the thank-you and the tip made two today
    ]
    grouped = scenario()
    group = process_group(after_id=max(alone), limit=25)
    assert [i for i, _ in group.outcomes] == grouped
    assert outcomes()[len(alone) :] == expected


def test_a_failing_message_fails_alone_and_the_rest_of_its_group_is_processed(
    app, ctx, client, run_jobs, monkeypatch
):
    import service.inbound.actions as actions

    pairs = [create_pair() for _ in range(3)]
    run_jobs()
    for pair in pairs:
        reply(client, pair, "giver")
    broken = db.session.scalars(select(InboundMessage.id).order_by(InboundMessage.id)).all()[1]
    real_relay = actions.relay

    def relay_breaks_on_one(*args, inbound_id, **kwargs):
        if inbound_id == broken:
            raise RuntimeError("this one is broken")
        return real_relay(*args, inbound_id=inbound_id, **kwargs)

    monkeypatch.setattr(actions, "relay", relay_breaks_on_one)
    group = process_group(after_id=0, limit=25)
    assert [e.inbound_id for e in group.errors] == [broken]
    assert outcomes() == [
        "relayed giver_to_learner",
        "error: RuntimeError: this one is broken",
        "relayed giver_to_learner",
    ]
    assert db.session.scalar(select(func.count(ThreadMessage.id))) == 2


# PostgreSQL only (SQLite has no row locks).


@ON_POSTGRESQL
def test_a_reply_whose_pair_another_group_holds_is_left_for_a_later_group(
    app, ctx, client, run_jobs
):
    busy, free = create_pair(), create_pair()
    run_jobs()
    reply(client, busy, "giver")
    reply(client, free, "giver")
    engine = sa.create_engine(app.config["DATABASE_URL"])
    try:
        with engine.connect() as other_worker, other_worker.begin():  # another worker's group
            other_worker.execute(
                select(Pairing.id).where(Pairing.id == busy.pairing.id).with_for_update()
            )
            group = process_group(after_id=0, limit=25)
    finally:
        engine.dispose()
    first, second = db.session.scalars(select(InboundMessage.id).order_by(InboundMessage.id))
    assert group.left == [first] and [i for i, _ in group.outcomes] == [second]
    assert outcomes() == [None, "relayed giver_to_learner"]
    assert db.session.get(InboundMessage, first).state == InboundState.STORED
    group = process_group(after_id=0, limit=25)
    assert outcomes() == ["relayed giver_to_learner"] * 2
    relays = select(func.count(OutgoingEmail.id)).where(OutgoingEmail.kind == "relay")
    assert db.session.scalar(relays) == 2
