"""Storing a signup for an address nobody used yet: a pending subscriber with its themes.

Two ways, both all or nothing. In the session's transaction (any database): one INSERT ...
ON CONFLICT DO NOTHING RETURNING for the row and one INSERT ... SELECT for its themes, the
confirmation written after them. On PostgreSQL in a web request, in autocommit on the
connection the process keeps (service.autocommit): a SELECT that reserves the row's id and
reads the suppression list, then one statement that stores the row, its themes and its
confirmation email together. The second is its own transaction, and the id is known
before it runs, so the confirmation's signed link can be part of it; no BEGIN and COMMIT,
no pool checkout and no ORM bookkeeping. Those were two thirds of a signup's database
time, and each round trip costs more in a busy web worker than in-process profiles show.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from sqlalchemy import Integer, bindparam, func, literal, select

from service.database import conflict_insert, with_python_defaults
from service.direct_sql import DirectStatement
from service.extensions import db
from service.i18n import programme_language
from service.mail.models import OutgoingEmail
from service.rounds.models import Theme
from service.subscriptions.models import Status, Subscriber, Suppression, subscriber_themes
from service.subscriptions.records import PROFILE_FIELDS, set_themes


@dataclass(frozen=True)
class NewSignup:
    """What a signup's confirmation needs of the row it inserted."""

    id: int
    email: str
    name: str
    status: str = Status.PENDING
    first_name = Subscriber.first_name


def pending_columns(address: str, values: dict, source: str) -> dict:
    """Every column of the new row but its id, so the statement is the same for every
    signup (a column left out would take its Python default, or NULL)."""
    columns = {
        "email": address,
        "status": Status.PENDING,
        "source": source,
        "language": programme_language(),  # replaced by the language they chose, if any
    }
    for name in PROFILE_FIELDS:
        if name in values:
            columns[name] = (values[name] or None) if name in ("team", "about") else values[name]
    columns = with_python_defaults(Subscriber.__table__, columns)
    for name in PROFILE_FIELDS:
        columns.setdefault(name, None)  # no default: NULL, as when left out
    return columns


def insert_pending(address: str, values: dict, source: str) -> NewSignup | None:
    """In the session's transaction: the row and its themes, or None when the address is
    known (or a parallel request inserted it first: the unique email)."""
    columns = pending_columns(address, values, source)
    dialect = db.session.get_bind().dialect.name
    row = _pending_insert(dialect, tuple(sorted(columns))).first(columns)
    if row is None:
        return None
    if values.get("themes"):
        set_themes(row.id, values["themes"])
    return NewSignup(row.id, address, columns["name"])


@cache
def _pending_insert(dialect: str, names: tuple[str, ...]) -> DirectStatement:
    table = Subscriber.__table__
    insert = conflict_insert(dialect, table).values({name: bindparam(name) for name in names})
    insert = insert.on_conflict_do_nothing(index_elements=["email"])
    return DirectStatement(insert.returning(table.c.id))


# ------------------------------------------------------------------ PostgreSQL, autocommit


@dataclass(frozen=True)
class Reserved:
    id: int  # the new row's, taken from its sequence
    reason: str | None  # the address's suppression entry's


def reserve(hashes: list[str]) -> Reserved:
    """The id a new row will have, and the suppression reason of the address with these
    hashes (addresses.address_hashes), in one SELECT."""
    row = _reserve(len(hashes)).first({f"hash{n}": h for n, h in enumerate(hashes)})
    return Reserved(row.id, row.reason)


@cache
def _reserve(hashes: int) -> DirectStatement:
    sequence = func.pg_get_serial_sequence(Subscriber.__tablename__, "id")
    names = [bindparam(f"hash{n}") for n in range(hashes)]
    reason = select(Suppression.reason).where(Suppression.address_hash.in_(names)).limit(1)
    return DirectStatement(
        select(func.nextval(sequence).label("id"), reason.scalar_subquery().label("reason"))
    )


@dataclass(frozen=True)
class Stored:
    email_id: int | None  # the confirmation's row; None: the address is known, nothing stored
    offered: int  # how many of the themes asked for are on offer


def store_with_confirmation(
    subscriber_id: int, columns: dict, slugs: list[str], email: dict
) -> Stored:
    """The row `reserve` gave an id (`columns`: pending_columns), its themes and its
    confirmation email's row (queueing.prepared_email) in one statement, or nothing when
    the address is known or a theme is no longer on offer (then `offered` says so)."""
    names = tuple(sorted(columns))
    params = {f"s_{name}": value for name, value in columns.items()}
    params |= {f"e_{name}": email.get(name) for name in _EMAIL_COLUMNS}
    params |= {f"slug{n}": slug for n, slug in enumerate(slugs)}
    row = _store(names, len(slugs)).first({"id": subscriber_id, **params})
    return Stored(row.email_id, row.offered)


_EMAIL_TABLE = OutgoingEmail.__table__
_EMAIL_COLUMNS = tuple(
    c.name for c in _EMAIL_TABLE.columns if c.name not in ("id", "subscriber_id")
)


@cache
def _store(names: tuple[str, ...], themes: int) -> DirectStatement:
    """WITH offered (the themes asked for), new (the subscriber, only if every theme is on
    offer; nothing on a known address), its themes and its email, each INSERT ... SELECT
    from `new`, so a known address stores nothing at all."""
    table = Subscriber.__table__
    slugs = [bindparam(f"slug{n}") for n in range(themes)]
    offered = select(Theme.id).where(Theme.slug.in_(slugs), Theme.retired.is_(False)).cte("offered")
    offered_count = select(func.count()).select_from(offered).scalar_subquery()
    row = select(
        bindparam("id", type_=Integer),
        *(bindparam(f"s_{name}", type_=table.c[name].type) for name in names),
    )
    if themes:
        row = row.where(offered_count == themes)
    new = (
        conflict_insert("postgresql", table)
        .from_select(["id", *names], row)
        .on_conflict_do_nothing(index_elements=["email"])
        .returning(table.c.id)
        .cte("new")
    )
    own_themes = (
        subscriber_themes.insert()
        .from_select(["subscriber_id", "theme_id"], select(new.c.id, offered.c.id))
        .returning(subscriber_themes.c.theme_id)
        .cte("own_themes")
    )
    email_row = select(
        new.c.id, *(bindparam(f"e_{n}", type_=_EMAIL_TABLE.c[n].type) for n in _EMAIL_COLUMNS)
    )
    email = (
        _EMAIL_TABLE.insert()
        .from_select(["subscriber_id", *_EMAIL_COLUMNS], email_row)
        .returning(_EMAIL_TABLE.c.id)
        .cte("email")
    )
    columns = [
        select(email.c.id).scalar_subquery().label("email_id"),
        (offered_count if themes else literal(0, Integer)).label("offered"),
    ]
    if themes:  # PostgreSQL runs every data-modifying CTE; SQLAlchemy writes those named
        columns.append(select(func.count()).select_from(own_themes).scalar_subquery())
    return DirectStatement(select(*columns))
