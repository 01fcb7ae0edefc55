"""What a trusted reply does: run the command it is, or relay what the person wrote."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, tuple_, update

from service.database import utcnow
from service.extensions import db
from service.i18n import dates, force_locale, language_of, stand_ins
from service.inbound import bounds
from service.inbound import email_commands as cmd
from service.inbound.emails import command_confirmation_email, thanks_email
from service.inbound.known import acting, current
from service.inbound.models import InboundMessage
from service.inbound.outcomes import Reason, describe, ignored, not_relayed, thread_is_open
from service.inbound.parse import ParsedMail
from service.inbound.relay import lock_pairing, over_limit, relay
from service.inbound.route import Route
from service.inbound.trim import trim_reply
from service.mail.models import EmailEvent, OutgoingEmail
from service.rounds.answers import AnswerRefused, RoundClosed, apply_answer
from service.rounds.conversation import direction, display_name, thread_subject
from service.rounds.models import Pairing, ThreadMessage
from service.rounds.threads import GIVER, LEARNER, Side, side
from service.subscriptions.actions import leave, pause
from service.subscriptions.models import Subscriber


def act_on_reply(row: InboundMessage, mail: ParsedMail, where: Route, owner: Subscriber) -> str:
    mark_replied(mail, owner)
    # A thread over its daily limit relays nothing more: only the start of the message
    # is read then, enough for a command ("stop" still works), so a flood costs little.
    limited = over_limit(where.pairing.id)
    text = trim_reply(bounds.for_trimmer(mail.text or "", short=limited))
    command = cmd.parse_command(text)
    if command is not None and command.name in (cmd.STOP, cmd.PAUSE):
        return run_command(row, where, owner, command)  # works even after the round closed
    if not thread_is_open(where):
        not_relayed(mail, "closed")
        raise ignored(Reason.THREAD_CLOSED)
    if command is not None and not (command.name == cmd.THANKS and where.side.role == GIVER):
        return run_command(row, where, owner, command)
    if limited:
        not_relayed(mail, "limit")
        raise ignored(Reason.RELAY_LIMIT)
    if not text.strip() and not mail.attachments:
        raise ignored(Reason.EMPTY)
    pairing = lock_pairing(where.pairing.id)
    if side(pairing, where.side.partner_role).subscriber_id is None:
        not_relayed(mail, "no_partner")
        raise ignored(Reason.NO_PARTNER)
    if over_limit(pairing.id):
        not_relayed(mail, "limit")
        raise ignored(Reason.RELAY_LIMIT)
    relay(
        pairing, where.side, bounds.for_relay(text), attachments=mail.attachments, inbound_id=row.id
    )
    return describe(Reason.RELAYED, direction(where.side.role))


def mark_replied(mail: ParsedMail, owner: Subscriber) -> None:
    """The email this answers gets the "replied" event (reply rates per email kind); in
    the inbound job's group, with the group's others at its end (write_replied)."""
    if not mail.in_reply_to:
        return
    known = current()
    if known is not None:
        known.replied.append((owner.id, mail.in_reply_to[:5]))
    else:
        write_replied([(owner.id, mail.in_reply_to[:5])])


def write_replied(marks: list[tuple[int, list[str]]]) -> None:
    """One UPDATE for many (subscriber id, Message-IDs their reply answers)."""
    pairs = sorted({(owner_id, mid) for owner_id, ids in marks for mid in ids})
    if pairs:
        db.session.execute(
            update(OutgoingEmail)
            .where(tuple_(OutgoingEmail.subscriber_id, OutgoingEmail.message_id).in_(pairs))
            .values(last_event=EmailEvent.REPLIED),
            execution_options={"synchronize_session": False},
        )


def _confirm(row: InboundMessage, where: Route, owner: Subscriber, command: str, **extra) -> None:
    pairing, me = where.pairing, where.side
    partner = db.session.get(Subscriber, me.partner_id) if me.partner_id else None
    command_confirmation_email(
        command,
        thread_subject(pairing, me),
        display_name(partner, me.partner_role) if partner else stand_ins.PARTNER,
        me.role,
        extra.get("weeks"),
        extra.get("until"),
        key=f"command:{row.id}",
        subscriber_id=owner.id,
        reply_to=me.reply_to,
        thread_root=me.thread_root,
        pairing_id=pairing.id,
    )


def run_command(row: InboundMessage, where: Route, owner: Subscriber, command: cmd.Command) -> str:
    acting()
    pairing, me = where.pairing, where.side
    if command.name == cmd.STOP:
        # Unsubscribes (with the one goodbye email) and tells this week's partner.
        leave(owner.id, source="email")
        return describe(Reason.COMMAND, cmd.STOP)
    if command.name == cmd.PAUSE:
        weeks = command.weeks or 1
        try:
            if weeks in (1, 2, 4):  # the preference centre's choices
                first_day = pause(owner.id, weeks=weeks)
            else:
                first_day = pause(owner.id, until=utcnow().date() + timedelta(weeks=weeks))
        except ValueError as exc:  # longer than a pause may last
            _confirm(row, where, owner, "commands")
            raise ignored(Reason.PAUSE_REFUSED, exc) from exc
        with force_locale(language_of(owner)):  # written into the confirmation email
            until = dates.day(first_day)
        _confirm(row, where, owner, cmd.PAUSE, weeks=weeks, until=until)
        return describe(Reason.COMMAND, f"{cmd.PAUSE} {weeks}")
    if command.name == cmd.SKIP:
        answer(pairing, owner, "skip" if me.role == LEARNER else "cant")
        _confirm(row, where, owner, cmd.SKIP)
        return describe(Reason.COMMAND, cmd.SKIP)
    if command.name == cmd.HELP:
        if me.role == LEARNER and me.partner_id is not None:
            ask_for_help(row, pairing, me, owner)
            _confirm(row, where, owner, cmd.HELP)
        else:
            _confirm(row, where, owner, "commands")  # the list of what a reply can do
        return describe(Reason.COMMAND, cmd.HELP)
    if command.name == cmd.THANKS:
        if me.partner_id is None:
            raise ignored(Reason.THANKS_WITHOUT_GIVER)
        send_thanks(row, pairing, me, owner)
        _confirm(row, where, owner, cmd.THANKS)
        return describe(Reason.COMMAND, cmd.THANKS)
    raise AssertionError(f"unhandled command {command}")


def answer(pairing: Pairing, owner: Subscriber, value: str) -> None:
    """The same answer as the one-click link, with its side effects; the job commits."""
    try:
        apply_answer(pairing.id, owner.id, "outcome", value)
    except RoundClosed as exc:
        raise ignored(Reason.THREAD_CLOSED) from exc
    except AnswerRefused as exc:
        raise ignored(Reason.ANSWER_REFUSED, exc) from exc


def ask_for_help(row: InboundMessage, pairing: Pairing, me: Side, owner: Subscriber) -> None:
    # record_answer tells the tip-giver in their thread and stores the "help" thread
    # message, as the one-click answer does: an emailed "help" and a clicked one reach
    # them the same way, once.
    answer(pairing, owner, "help")


def thanks_received(giver_id: int) -> int:
    """Thank-yous a tip-giver has received, one per pairing."""
    return db.session.scalar(
        select(func.count(func.distinct(ThreadMessage.pairing_id)))
        .join(Pairing, Pairing.id == ThreadMessage.pairing_id)
        .where(ThreadMessage.kind == "thanks", Pairing.giver_id == giver_id)
    )


def send_thanks(row: InboundMessage, pairing: Pairing, me: Side, owner: Subscriber) -> None:
    db.session.add(
        ThreadMessage(
            pairing_id=pairing.id,
            author_id=owner.id,
            direction=direction(me.role),
            kind="thanks",
            inbound_id=row.id,
        )
    )
    db.session.flush()
    giver = side(pairing, GIVER)
    thanks_email(
        display_name(owner, LEARNER),
        thread_subject(pairing, giver),
        thanks_received(giver.subscriber_id),
        key=f"thanks:{pairing.id}",  # counted every time, mailed once per round
        subscriber_id=giver.subscriber_id,
        from_name=display_name(owner, LEARNER),
        reply_to=giver.reply_to,
        thread_root=giver.thread_root,
        pairing_id=pairing.id,
    )
