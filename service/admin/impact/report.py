"""The impact report's numbers, computed from facts.Facts (see README, "Impact report").

Definitions, so anyone can count them again by hand:
- a learner takes part in a week when they have a place in its round (paired or not);
  a tip-giver when they are paired; with a team filter only that team's people count,
  and a pair counts when its learner or its tip-giver is in the team;
- retention after k weeks: of the people whose first round falls in the period at least
  k weeks before its end, the share who took part again k or more weeks later;
- a tip within 48 hours: the first tip of a pair came at most 48 hours after the pair's
  first email; "tried it": the learner answered "I tried it" or "yes, I tried it";
- a help request is answered when a tip reached the learner after they asked;
- confidence change: people with two or more ratings of a theme within the period, their
  first and latest rating;
- a continuing pair: the same learner and tip-giver as the week before.
The group behind a figure is the number of (team's) people it is about; below 5 the figure
is withheld.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from service.admin.impact.facts import Facts, PairRow
from service.admin.impact.figures import Figure, average, count, share
from service.weeks import shift_week

TIP_WINDOW = timedelta(hours=48)
RETENTION_WEEKS = (4, 8, 12)
TRIED = {("outcome", "tried"), ("tried", "yes")}


@dataclass
class WeekRow:
    week: str
    learners: Figure
    givers: Figure
    continuing: Figure


@dataclass
class ThemeLearning:
    theme: str
    people: Figure
    first_median: Figure
    latest_median: Figure
    moved_up: Figure


@dataclass
class ChallengeRow:
    title: str
    theme: str
    learners: Figure
    rating: Figure
    tried: Figure
    clear: Figure
    again: Figure


@dataclass
class Report:
    weeks: list[WeekRow] = field(default_factory=list)
    retention: dict[int, Figure] = field(default_factory=dict)
    exchange: dict[str, Figure] = field(default_factory=dict)
    learning: list[ThemeLearning] = field(default_factory=list)
    content: list[ChallengeRow] = field(default_factory=list)
    continuing_total: Figure = field(default_factory=lambda: count(0))


def _aware(value) -> datetime:
    if isinstance(value, str):  # SQLite returns aggregates of datetimes as text
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _weeks(first: str, last: str) -> list[str]:
    weeks, week = [], first
    while week <= last:
        weeks.append(week)
        week = shift_week(week, 1)
    return weeks


def _people(f: Facts, pairs: list[PairRow]) -> set[int]:
    """The (team's) people a set of pairs is about."""
    ids = {p.learner_id for p in pairs} | {p.giver_id for p in pairs if p.giver_id}
    return {i for i in ids if f.in_team(i)}


def _counted(f: Facts) -> list[PairRow]:
    return [p for p in f.pairs if f.in_team(p.learner_id) or f.in_team(p.giver_id)]


def build(f: Facts) -> Report:
    report = Report()
    pairs = _counted(f)
    report.weeks, report.continuing_total = _participation(f, pairs)
    report.retention = _retention(f)
    report.exchange = _exchange(f, pairs)
    report.learning = _learning(f)
    report.content = _content(f, pairs)
    return report


def _participation(f: Facts, pairs: list[PairRow]):
    by_week: dict[str, list[PairRow]] = defaultdict(list)
    for p in pairs:
        by_week[p.week].append(p)
    previous = {(p.learner_id, p.giver_id, p.week) for p in f.pairs if p.giver_id}
    rows, continuing_all = [], []
    for week in _weeks(f.filters.first_week, f.filters.last_week):
        in_week = by_week.get(week, [])
        learners = {p.learner_id for p in in_week if f.in_team(p.learner_id)}
        givers = {p.giver_id for p in in_week if p.giver_id and f.in_team(p.giver_id)}
        before = shift_week(week, -1)
        continuing = [
            p for p in in_week if p.giver_id and (p.learner_id, p.giver_id, before) in previous
        ]
        continuing_all += continuing
        group = len(_people(f, continuing))
        rows.append(
            WeekRow(week, count(len(learners)), count(len(givers)), Figure(len(continuing), group))
        )
    total = Figure(len(continuing_all), len(_people(f, continuing_all)))
    return rows, total


def _retention(f: Facts) -> dict[int, Figure]:
    first, last = f.filters.first_week, f.filters.last_week
    out = {}
    for k in RETENTION_WEEKS:
        cohort, stayed = 0, 0
        for person, weeks in f.weeks_of.items():
            start = min(weeks)
            if not f.in_team(person) or not first <= start <= last:
                continue
            if shift_week(start, k) > last:
                continue  # too recent to tell
            cohort += 1
            stayed += any(w >= shift_week(start, k) for w in weeks)
        out[k] = share(stayed, cohort)
    return out


def _exchange(f: Facts, pairs: list[PairRow]) -> dict[str, Figure]:
    paired = [p for p in pairs if p.giver_id]
    group = len(_people(f, paired))
    fast = 0
    for p in paired:
        sent = f.first_sent.get(p.id)
        if p.tip_received_at and sent and _aware(p.tip_received_at) - _aware(sent) <= TIP_WINDOW:
            fast += 1
    learners = [p for p in pairs if f.in_team(p.learner_id)]
    tried = [p for p in learners if _tried(f, p)]
    helped, answered = [], 0
    for p in learners:
        asked = f.answers.get((p.id, p.learner_id, "outcome"))
        if asked and asked[0] == "help":
            helped.append(p)
            at = _aware(asked[1])
            answered += any(_aware(t) >= at for t in f.tips_at.get(p.id, []))
    return {
        "pairs": Figure(len(paired), group),
        "tips_48h": share(fast, len(paired), group),
        "replies_per_pair": average([f.messages.get(p.id, 0) for p in paired], group),
        "tried": share(len(tried), len(learners), len({p.learner_id for p in learners})),
        "help_asked": count(len({p.learner_id for p in helped})),
        "help_answered": share(answered, len(helped), len({p.learner_id for p in helped})),
    }


def _tried(f: Facts, p: PairRow) -> bool:
    return any(
        (q, (f.answers.get((p.id, p.learner_id, q)) or ("",))[0]) in TRIED
        for q in ("outcome", "tried")
    )


def _learning(f: Facts) -> list[ThemeLearning]:
    history: dict[tuple[str, int], list[tuple]] = defaultdict(list)
    for person, slug, value, at, rid in f.ratings:
        if f.in_team(person):
            history[(slug, person)].append((_aware(at), rid, value))
    by_theme: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for (slug, _person), rows in history.items():
        if len(rows) >= 2:
            rows.sort()
            by_theme[slug].append((rows[0][2], rows[-1][2]))
    out = []
    for slug in sorted(by_theme, key=lambda s: f.theme_names.get(s, s)):
        changes = by_theme[slug]
        n = len(changes)
        out.append(
            ThemeLearning(
                theme=f.theme_names.get(slug, slug),
                people=count(n),
                first_median=Figure(statistics.median(a for a, _ in changes), n, "avg"),
                latest_median=Figure(statistics.median(b for _, b in changes), n, "avg"),
                moved_up=share(sum(1 for a, b in changes if b > a), n),
            )
        )
    return out


def _content(f: Facts, pairs: list[PairRow]) -> list[ChallengeRow]:
    by_challenge: dict[int, list[PairRow]] = defaultdict(list)
    for p in pairs:
        by_challenge[p.challenge_id].append(p)
    rows = []
    for cid, ps in by_challenge.items():
        title, slug = f.challenges[cid]
        learners = [p for p in ps if f.in_team(p.learner_id)]
        group = len(_people(f, ps))
        ratings = [
            int(v[0])
            for p in learners
            if (v := f.answers.get((p.id, p.learner_id, "rating"))) and v[0].isdigit()
        ]
        giver_said = defaultdict(list)
        for p in ps:
            for q in ("clear", "again"):
                if p.giver_id and (v := f.answers.get((p.id, p.giver_id, q))):
                    giver_said[q].append(v[0] == "yes")
        rows.append(
            ChallengeRow(
                title=title,
                theme=f.theme_names.get(slug, slug),
                learners=count(len({p.learner_id for p in learners})),
                rating=average(ratings, group),
                tried=share(sum(_tried(f, p) for p in learners), len(learners), group),
                clear=share(sum(giver_said["clear"]), len(giver_said["clear"]), group),
                again=share(sum(giver_said["again"]), len(giver_said["again"]), group),
            )
        )
    return sorted(
        rows,
        key=lambda r: (r.rating.hidden, -(r.rating.shown or 0), -(r.tried.shown or 0), r.title),
    )
