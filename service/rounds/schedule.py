"""Which challenge each week gets: the one an admin scheduled, otherwise the rotation.

The rotation walks the themes in their display order, one theme per round after the theme
of the previous round, and inside a theme takes the challenge used longest ago (never used
first), avoiding any challenge used in the last AVOID_WEEKS weeks. Weeks from now on that
nobody scheduled are projected in order, so `upcoming_schedule()` and
`challenge_for_week()` always agree.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, exists, select

from service.extensions import db
from service.mail.models import OutgoingEmail
from service.rounds.models import Challenge, Pairing, Round, RoundStatus, Standby, Theme
from service.weeks import current_week, next_weeks, parse_week, weeks_between

AVOID_WEEKS = 12


class RoundLocked(Exception):
    """The round's emails have started going out; its challenge and pairs are final."""


class NoChallenges(LookupError):
    """There is nothing to send: add or un-retire a challenge in the admin console."""


def round_for_week(week: str) -> Round | None:
    return db.session.scalar(select(Round).where(Round.week == week))


def round_started(round_id: int) -> bool:
    """True once any email of the round has been queued (queued rows go out regardless)."""
    pairing_ids = select(Pairing.id).where(Pairing.round_id == round_id)
    return bool(
        db.session.scalar(select(exists().where(OutgoingEmail.pairing_id.in_(pairing_ids))))
    )


def clear_pairs(round_: Round) -> None:
    """Forget a round's pairs so it can be paired again (callers check round_started)."""
    db.session.execute(delete(Standby).where(Standby.round_id == round_.id))
    db.session.execute(delete(Pairing).where(Pairing.round_id == round_.id))
    round_.status = RoundStatus.PLANNED
    round_.paired_at = None


class _Library:
    """Themes in display order with their sendable challenges, plus past use."""

    def __init__(self):
        themes = list(
            db.session.scalars(
                select(Theme).where(Theme.retired.is_(False)).order_by(Theme.position, Theme.id)
            )
        )
        challenges = db.session.scalars(
            select(Challenge).where(Challenge.retired.is_(False)).order_by(Challenge.id)
        )
        self.by_theme: dict[int, list[Challenge]] = {t.id: [] for t in themes}
        for challenge in challenges:
            if challenge.theme_id in self.by_theme:
                self.by_theme[challenge.theme_id].append(challenge)
        self.theme_order = [t.id for t in themes if self.by_theme[t.id]]
        self.rounds: dict[str, Challenge] = {
            r.week: r.challenge for r in db.session.scalars(select(Round))
        }

    def pick(self, week: str, used: dict[str, Challenge]) -> Challenge:
        if not self.theme_order:
            raise NoChallenges(
                "No challenge can be sent: add a challenge (or un-retire one) in the admin "
                "console, or run `turnabout seed` to load the starter library."
            )
        before = sorted((w, c) for w, c in used.items() if w < week)
        last_used = {c.id: w for w, c in before}
        start = 0
        if before:
            last_theme = before[-1][1].theme_id
            if last_theme in self.theme_order:
                start = self.theme_order.index(last_theme) + 1
        order = self.theme_order[start:] + self.theme_order[:start]

        def age(challenge: Challenge) -> int:
            w = last_used.get(challenge.id)
            return 10_000 if w is None else weeks_between(w, week)

        for theme_id in order:  # first theme with a challenge outside the window
            fresh = [c for c in self.by_theme[theme_id] if age(c) > AVOID_WEEKS]
            if fresh:
                return max(fresh, key=lambda c: (age(c), -c.id))
        return max(self.by_theme[order[0]], key=lambda c: (age(c), -c.id))

    def project(self, weeks: Iterable[str]) -> dict[str, tuple[Challenge, bool]]:
        """Challenge per week; weeks without a round are filled in order."""
        used = dict(self.rounds)
        out = {}
        for week in sorted(weeks):
            if week in used:
                out[week] = (used[week], True)
                continue
            challenge = self.pick(week, used)
            used[week] = challenge
            out[week] = (challenge, False)
        return out


def challenge_for_week(week: str) -> Challenge:
    """The week's challenge (scheduled, or by rotation). A pure read: writes nothing."""
    parse_week(week)
    existing = round_for_week(week)
    if existing is not None:
        return existing.challenge
    library = _Library()
    now = current_week()
    if week <= now:
        return library.pick(week, library.rounds)
    gap = [w for w in next_weeks(weeks_between(now, week) + 1, now)]
    return library.project(gap)[week][0]


def upcoming_schedule(n: int = 12) -> list[tuple[str, Challenge, bool]]:
    """(week, challenge, scheduled_by_admin) for this week and the next n-1."""
    weeks = next_weeks(n)
    library = _Library()
    projected = library.project(weeks)
    admin = {
        r.week
        for r in db.session.scalars(
            select(Round).where(Round.week.in_(weeks), Round.scheduled_by_admin.is_(True))
        )
    }
    return [(w, projected[w][0], w in admin) for w in weeks]


def schedule_challenge(week: str, challenge_id: int) -> Round:
    """An admin puts a challenge on a week. Commits. Refuses past weeks, retired
    challenges, and rounds whose emails have started going out (RoundLocked). A round
    already paired but not yet sent is unpaired: the new theme may suit other pairs."""
    parse_week(week)
    if week < current_week():
        raise ValueError(f"{week} is over; schedule this week or a later one.")
    challenge = db.session.get(Challenge, challenge_id)
    if challenge is None or challenge.retired:
        raise ValueError("That challenge does not exist or is retired.")
    round_ = round_for_week(week)
    if round_ is None:
        round_ = Round(week=week, challenge_id=challenge.id, scheduled_by_admin=True)
        db.session.add(round_)
    else:
        if round_.status == RoundStatus.CLOSED or round_started(round_.id):
            raise RoundLocked(
                f"The {week} round has started sending; its challenge can no longer change."
            )
        if round_.status == RoundStatus.PAIRED:
            clear_pairs(round_)
        round_.challenge_id = challenge.id
        round_.scheduled_by_admin = True
    db.session.commit()
    return round_
