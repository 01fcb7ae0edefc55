"""`turnabout seed` and `turnabout round plan|dispatch|send`."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from service.rounds.content import seed_content
from service.rounds.dispatch import dispatch_due, send_round
from service.rounds.plan_preview import plan_round
from service.weeks import BadWeek, current_week, parse_week


@click.command("seed")
@with_appcontext
def seed_command():
    """Load the starter themes and challenges, with their translations (safe to run again)."""

    result = seed_content()
    click.echo(
        f"Themes: {result.themes_added} added, {result.themes_updated} updated. "
        f"Challenges: {result.challenges_added} added, {result.challenges_updated} updated. "
        f"Translations: {result.translations_added} added, "
        f"{result.translations_updated} updated."
    )


@click.group("round")
def round_group():
    """See and run the weekly round by hand."""


def _week_option(func):
    return click.option(
        "--week", default=None, metavar="YYYY-Www", help="ISO week, e.g. 2026-W49 (default: now)."
    )(func)


def _check_week(week: str | None) -> str:
    week = week or current_week()
    try:
        parse_week(week)
    except BadWeek as exc:
        raise click.BadParameter(str(exc), param_hint="--week") from exc
    return week


@round_group.command("plan")
@_week_option
@click.option("--limit", default=50, show_default=True, help="Pairs to list (0 = all).")
@with_appcontext
def plan_command(week: str | None, limit: int):
    """Show who would be paired and why. Changes nothing."""

    preview = plan_round(_check_week(week))
    click.echo(f"Round {preview.week}: {preview.challenge_title} ({preview.theme_name})")
    if preview.stored:
        click.echo("These pairs are stored: the round is already paired.")
    shown = preview.pairs if not limit else preview.pairs[:limit]
    for pair in shown:
        click.echo(f"  {pair.learner_name} <- {pair.giver_name}: {pair.explanation}")
    if len(shown) < len(preview.pairs):
        click.echo(f"  ... and {len(preview.pairs) - len(shown)} more pairs")
    for person in preview.unmatched:
        click.echo(f"  unmatched {person.role} {person.name}: {person.reason}")
    s = preview.summary
    click.echo(
        f"Summary: {s['learners']} learners, {s['givers']} tip-givers, {s['pairs']} pairs, "
        f"{s['unmatched_learners']} learners without a tip-giver, "
        f"{s['standby_givers']} tip-givers on standby, {s['repeats']} repeat pairs, "
        f"{s['shared_theme']} pairs sharing the theme."
    )


@round_group.command("dispatch")
@with_appcontext
def dispatch_command():
    """Send what is due now (what the hourly scheduler runs)."""

    report = dispatch_due(progress=True)
    click.echo(report.describe())


@round_group.command("send")
@_week_option
@click.confirmation_option(prompt="Send this round's challenge to everyone not yet sent?")
@with_appcontext
def send_command(week: str | None):
    """Pair the round if needed and queue its challenge emails for everyone not yet sent,
    whatever their local hour."""

    report = send_round(_check_week(week), progress=True)
    click.echo(report.describe())


COMMANDS = [seed_command, round_group]
