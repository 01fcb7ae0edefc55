"""The week's challenge emails as drafts: the thread opener of each side of each pairing,
for the people whose local send hour has come (dispatch.py queues them).

Two queries, whatever the size of the round: the pairings with both people, and the
challenge emails already queued for them. The challenge is rendered once, and only if
someone is due.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import and_, select
from sqlalchemy.engine import Row

from service.extensions import db
from service.i18n import programme_language
from service.mail.bulk import Draft
from service.mail.compose import reply_address
from service.mail.models import OutgoingEmail
from service.rounds import answer_links, emails
from service.rounds.content import explanations_by_language, rendered_by_language
from service.rounds.due import GIVER, LEARNER, first_name
from service.rounds.models import Pairing, PairingStatus, Round
from service.rounds.notices import (
    CHALLENGE_KINDS,
    giver_challenge_key,
    learner_challenge_key,
)
from service.rounds.tips import note_delivered, shared_tips


def challenge_drafts(
    round_: Round, zones: set[str] | None, id_range: tuple[int, int] | None = None
) -> tuple[list[Draft], int]:
    """Drafts of the round's challenge emails not yet queued, for people in `zones`
    (None: everyone), optionally only for pairings with ids in `id_range` (inclusive),
    and how many of the due ones were queued before."""
    in_range = Pairing.round_id == round_.id
    if id_range is not None:
        in_range = and_(in_range, Pairing.id.between(*id_range))
    done = _already_queued(in_range)
    words = _Words(
        content=rendered_by_language(round_.challenge),  # once per language, only if due
        explained=explanations_by_language(),  # theme names in each reader's language
        default_language=programme_language(),
    )
    drafts, already = [], 0
    for row in _pairings_with_people(in_range):
        if _is_due(row.learner_timezone, zones):
            if (row.id, row.learner_id) in done:
                already += 1
            elif row.learner_email and row.status != PairingStatus.SKIPPED:
                drafts.append(_learner_draft(round_, row, words))
        if row.giver_id is not None and _is_due(row.giver_timezone, zones):
            if (row.id, row.giver_id) in done:
                already += 1
            elif row.giver_email and row.status == PairingStatus.ACTIVE:
                drafts.append(_giver_draft(row, words))
    return drafts, already


def _is_due(timezone: str | None, zones: set[str] | None) -> bool:
    return zones is None or timezone in zones


def _pairings_with_people(in_range) -> list[Row]:
    """One row per pairing, the learner's and the tip-giver's columns named by side
    (the tip-giver's are None for a learner left unmatched)."""
    learner, giver = LEARNER, GIVER
    return db.session.execute(
        select(
            Pairing.id,
            Pairing.status,
            Pairing.learner_id,
            Pairing.giver_id,
            Pairing.explanation,
            Pairing.learner_key,
            Pairing.giver_key,
            Pairing.learner_thread_id,
            Pairing.giver_thread_id,
            learner.email.label("learner_email"),
            learner.name.label("learner_name"),
            learner.about.label("learner_about"),
            learner.status.label("learner_status"),
            learner.timezone.label("learner_timezone"),
            giver.email.label("giver_email"),
            giver.name.label("giver_name"),
            giver.about.label("giver_about"),
            giver.status.label("giver_status"),
            giver.timezone.label("giver_timezone"),
            learner.language.label("learner_language"),
            giver.language.label("giver_language"),
        )
        .join(learner, learner.id == Pairing.learner_id)
        .outerjoin(giver, giver.id == Pairing.giver_id)
        .where(in_range)
        .order_by(Pairing.id)
    ).all()


def _already_queued(in_range) -> set[tuple[int, int]]:
    """(pairing id, subscriber id) of every challenge email already queued."""
    return set(
        db.session.execute(
            select(OutgoingEmail.pairing_id, OutgoingEmail.subscriber_id)
            .join(Pairing, Pairing.id == OutgoingEmail.pairing_id)
            .where(in_range, OutgoingEmail.kind.in_(CHALLENGE_KINDS))
        ).all()
    )


@dataclass(frozen=True)
class _Words:
    """The round's words in each reader's language, each rendered on first use."""

    content: Callable[[str], dict]  # language -> the rendered challenge
    explained: Callable[[str, str], str]  # (language, explanation) -> the explanation
    default_language: str


def _learner_draft(round_: Round, row: Row, words: _Words) -> Draft:
    """The learner's challenge: with their tip-giver, or, left unmatched, with tips
    shared by earlier tip-givers (never the same tip twice to one learner)."""
    answers = answer_links.outcome_urls(row.id, row.learner_id)
    language = row.learner_language
    if row.giver_id is not None:
        declared = emails.challenge_learner_email
        giver = emails.partner(
            first_name(row.giver_name),
            row.giver_about,
            words.explained(language, row.explanation),
        )
        context = declared.build_context(words.content(language), giver, answers)
    else:
        tips = shared_tips(round_.challenge, row.learner_id, language, words.default_language)
        note_delivered(row.learner_id, tips)
        declared = emails.challenge_unmatched_email
        context = declared.build_context(words.content(language), row.explanation, tips, answers)
    return _opener(row, "learner", declared, context, learner_challenge_key(row.id, row.learner_id))


def _giver_draft(row: Row, words: _Words) -> Draft:
    declared = emails.challenge_giver_email
    language = row.giver_language
    learner = emails.partner(
        first_name(row.learner_name),
        row.learner_about,
        words.explained(language, row.explanation),
    )
    context = declared.build_context(
        words.content(language),
        learner,
        answer_links.answer_url(row.id, row.giver_id, "outcome", "cant"),
    )
    return _opener(row, "giver", declared, context, giver_challenge_key(row.id, row.giver_id))


def _opener(row: Row, side: str, declared, context: dict, key: str) -> Draft:
    """The first email of one side's thread: `side` ("learner" or "giver") names that
    person's columns in the row."""

    def column(name: str):
        return getattr(row, f"{side}_{name}")

    return Draft(
        kind=declared.kind,
        key=key,
        subscriber_id=column("id"),
        subscriber_status=column("status"),
        to=column("email"),
        to_name=first_name(column("name")),
        context=context,
        pairing_id=row.id,
        reply_to=reply_address(column("key")),
        message_id=column("thread_id"),
    )
