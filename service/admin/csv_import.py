"""CSV import of an organisation's list: validate every row first, then invite in one
transaction. One broken row means nothing is imported, and the report names its line."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from functools import partial

from flask_babel import gettext

from service.subscriptions.actions import InvalidAddress, normalise_email

MAX_ROWS = 5000
COLUMN_ALIASES = {
    "email": {"email", "e-mail", "email address", "mail", "address"},
    "name": {"name", "full name", "first name"},
    "team": {"team", "department", "group"},
    "role": {"role"},
    "themes": {"themes", "theme", "topics"},
}
ROLE_WORDS = {
    "learner": "learner",
    "learners": "learner",
    "giver": "giver",
    "tip-giver": "giver",
    "tip giver": "giver",
    "givers": "giver",
    "": None,
}
THEME_SEPARATORS = (";", "|")


class ImportProblem(ValueError):
    """The file as a whole cannot be read (encoding, header)."""


@dataclass
class Row:
    line: int
    email: str
    name: str = ""
    team: str | None = None
    role: str | None = None
    themes: list[str] = field(default_factory=list)


@dataclass
class Checked:
    rows: list[Row] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line, problem)
    duplicates: list[tuple[int, str, int]] = field(default_factory=list)  # line, email, first


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportProblem(
            gettext("The file is not UTF-8 text. In Excel, use File > Save As > “CSV UTF-8”.")
        ) from None


def _dialect(text: str):
    first_line = text.split("\n", 1)[0]
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    delimiter = max(counts, key=counts.get)
    return delimiter if counts[delimiter] else ","


def _columns(header: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, raw in enumerate(header):
        name = raw.strip().lower()
        for column, aliases in COLUMN_ALIASES.items():
            if name in aliases and column not in found:
                found[column] = index
    if "email" not in found:
        raise ImportProblem(
            gettext(
                "The first line must name the columns, with at least one called “email” "
                "(optional: name, team, role, themes)."
            )
        )
    return found


def _records(reader):
    """The reader's records; a line it cannot read (a field over csv's 128 KB limit, a
    NUL byte, an unclosed quote) is a problem of the whole file that names the line."""
    while True:
        try:
            yield next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            limit = csv.field_size_limit() // 1024
            why = (
                gettext(
                    "a field is longer than %(limit)s KB (a quote left open swallows the "
                    "following lines)",
                    limit=limit,
                )
                if "field larger than" in str(exc)
                else str(exc)  # csv's own words (NUL byte, ...), for a bug report
            )
            raise ImportProblem(
                gettext(
                    "Line %(line)s cannot be read: %(why)s. Fix that line and try again.",
                    line=reader.line_num,
                    why=why,
                )
            ) from None


def check(text: str, *, theme_slugs: dict[str, str]) -> Checked:
    """Parse and validate every row. `theme_slugs` maps a lower-case slug or name to a slug."""

    reader = csv.reader(io.StringIO(text), delimiter=_dialect(text))
    records = _records(reader)
    try:
        header = next(records)
    except StopIteration:
        raise ImportProblem(gettext("The file is empty.")) from None
    columns = _columns(header)
    result = Checked()
    seen: dict[str, int] = {}

    def cell(values: list[str], name: str) -> str:
        index = columns.get(name)
        return values[index].strip() if index is not None and index < len(values) else ""

    for values in records:
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue  # blank lines are harmless
        if len(result.rows) + len(result.errors) >= MAX_ROWS:
            raise ImportProblem(
                gettext(
                    "The file has more than %(limit)s rows; split it in parts.",
                    limit=MAX_ROWS,
                )
            )
        row, problems = _read_row(line, partial(cell, values), theme_slugs)
        if problems:
            result.errors.append((line, "; ".join(problems)))
        elif row.email in seen:
            result.duplicates.append((line, row.email, seen[row.email]))
        else:
            seen[row.email] = line
            result.rows.append(row)
    return result


def _read_row(line: int, cell, theme_slugs: dict[str, str]) -> tuple[Row | None, list[str]]:
    """One line's values as a Row, or the problems that make it unusable. `cell(name)`
    gives the stripped value of a column ("" when the line does not have it)."""
    problems = []
    try:
        email = normalise_email(cell("email"))
    except InvalidAddress as exc:
        email = ""
        raw = cell("email")
        problems.append(
            gettext("“%(value)s”: %(problem)s", value=raw, problem=exc)
            if raw
            else gettext("the email address is missing")
        )
    role_word = cell("role").lower()
    if role_word not in ROLE_WORDS:
        problems.append(gettext("role “%(role)s” is not learner or tip-giver", role=cell("role")))
    themes = []
    raw_themes = cell("themes")
    for separator in THEME_SEPARATORS:
        raw_themes = raw_themes.replace(separator, ",")
    for word in filter(None, (t.strip() for t in raw_themes.split(","))):
        slug = theme_slugs.get(word.lower())
        if slug is None:
            problems.append(
                gettext("theme “%(theme)s” does not exist (use a theme name or slug)", theme=word)
            )
        else:
            themes.append(slug)
    name, team = cell("name"), cell("team")
    if len(name) > 60:
        problems.append(gettext("the name is longer than 60 characters"))
    if len(team) > 80:
        problems.append(gettext("the team is longer than 80 characters"))
    if problems:
        return None, problems
    row = Row(
        line=line,
        email=email,
        name=name,
        team=team or None,
        role=ROLE_WORDS[role_word],
        themes=themes,
    )
    return row, []
