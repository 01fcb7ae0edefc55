"""Storing a signup for an address nobody used yet: a pending subscriber with its themes.

Two ways, both all or nothing. In the session's transaction (any database): one INSERT ...
ON CONFLICT DO NOTHING RETURNING for the row and one INSERT ... SELECT for its themes, the
confirmation written after them. On PostgreSQL in a web request, in autocommit on the
connection the process keeps (service.autocommit): one statement that reads the
suppression list and stores the row, its themes and its confirmation email together,
under an id the process took from the sequence beforehand (in blocks: a statement every
ID_BLOCK signups), so the confirmation's signed link can be part of it; no BEGIN and
COMMIT, no pool checkout and no ORM bookkeeping. Those were two thirds of a signup's
database time, and each round trip costs more in a busy web worker than in-process
profiles show (a SELECT that took the id and read the suppression list was a statement
of its own until issue 13)."""

from __future__ import annotations

import os
from collections import deque
from dataclasses import dataclass
from functools import cache

from flask import current_app
from sqlalchemy import Integer, bindparam, cast, exists, func, literal, null, select
from sqlalchemy.dialects.postgresql.psycopg import dialect as psycopg_dialect

from service.database import conflict_insert
from service.direct_sql import DirectStatement
from service.extensions import db
from service.i18n import programme_language
from service.mail.models import OutgoingEmail
from service.rounds.models import Theme
from service.subscriptions.addresses import HARD_REASONS
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
    for name, default in _python_defaults():  # as database.with_python_defaults fills them
        if name not in columns:
            columns[name] = default.arg(None) if default.is_callable else default.arg
    for name in PROFILE_FIELDS:
        columns.setdefault(name, None)  # no default: NULL, as when left out
    return columns


@cache
def _python_defaults() -> tuple:
    """The subscribers' columns with a Python-side default, and the default: found once,
    not among every column on every signup."""
    table = Subscriber.__table__
    return tuple((c.name, c.default) for c in table.columns if c.default is not None)


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

ID_BLOCK = 32  # ids a process takes from the subscribers' sequence at a time


def new_subscriber_id() -> int:
    """An id from the subscribers' sequence that no row has and no other process will
    use: taken ID_BLOCK at a time by one statement and kept by the app in this process
    (a forked worker takes its own). Taking one per signup was a statement of its own
    on every signup. An id taken but never used leaves a gap, as a rolled back insert
    always did; ids no longer follow the order of signups across processes."""
    kept = current_app.extensions.get("subscriber_ids")
    if kept is None or kept[0] != os.getpid():
        kept = current_app.extensions["subscriber_ids"] = (os.getpid(), deque())
    ids = kept[1]
    if not ids:
        ids.extend(row.id for row in _take_ids().all({"count": ID_BLOCK}))
    return ids.popleft()


@cache
def _take_ids() -> DirectStatement:
    sequence = func.pg_get_serial_sequence(Subscriber.__tablename__, "id")
    numbers = func.generate_series(1, bindparam("count", type_=Integer))
    return DirectStatement(
        select(func.nextval(sequence).label("id")).select_from(numbers).order_by("id")
    )


@dataclass(frozen=True)
class Stored:
    email_id: int | None  # the confirmation's row; None: nothing stored (see `reason` first)
    offered: int  # how many of the themes asked for are on offer
    reason: str | None  # the address's suppression entry's; a hard one stores nothing


def store_with_confirmation(
    subscriber_id: int, columns: dict, slugs: list[str], email: dict, hashes: list[str]
) -> Stored:
    """The row with id `subscriber_id` (new_subscriber_id; `columns`: pending_columns),
    its themes and its confirmation email's row (queueing.prepared_email) in one
    statement, or nothing when the address (with these hashes: address_hashes) is hard
    suppressed, or known, or a theme is no longer on offer (then `offered` says so)."""
    names = tuple(sorted(columns))
    params = {f"s_{name}": value for name, value in columns.items()}
    params |= {f"e_{name}": email.get(name) for name in _EMAIL_COLUMNS}
    # Columns left NULL (most of the email's: sent_at, error, ...) are written into the
    # statement, not sent: psycopg adapted each of some forty parameters on every signup.
    nulls = frozenset(k for k, v in params.items() if v is None and k in _NULL_AS_IS)
    params = {k: v for k, v in params.items() if k not in nulls}
    params |= {f"slug{n}": slug for n, slug in enumerate(slugs)}
    params |= {f"hash{n}": value for n, value in enumerate(hashes)}
    statement = _store(names, len(slugs), len(hashes), nulls)
    row = statement.first({"id": subscriber_id, **params})
    return Stored(row.email_id, row.offered, row.reason)


_EMAIL_TABLE = OutgoingEmail.__table__
_EMAIL_COLUMNS = tuple(
    c.name for c in _EMAIL_TABLE.columns if c.name not in ("id", "subscriber_id")
)


def _stores_none_as_null(column) -> bool:
    """None reaches the database as SQL NULL (not, say, JSON's null)."""
    dialect = psycopg_dialect()
    convert = column.type.dialect_impl(dialect).bind_processor(dialect)
    return convert is None or convert(None) is None


# The parameters whose None may be written as NULL into the statement itself.
_NULL_AS_IS = frozenset(
    [f"s_{c.name}" for c in Subscriber.__table__.columns if _stores_none_as_null(c)]
    + [f"e_{c.name}" for c in _EMAIL_TABLE.columns if _stores_none_as_null(c)]
)


def _value(name: str, column, nulls: frozenset):
    if name in nulls:
        return cast(null(), column.type)
    return bindparam(name, type_=column.type)


@cache
def _store(
    names: tuple[str, ...], themes: int, hashes: int, nulls: frozenset = frozenset()
) -> DirectStatement:
    """WITH suppression (the address's entry, if any), offered (the themes asked for),
    new (the subscriber, only if the address is not hard suppressed and every theme is
    on offer; nothing on a known address), its themes and its email, each INSERT ...
    SELECT from `new`, so a known or suppressed address stores nothing at all."""
    table = Subscriber.__table__
    hash_names = [bindparam(f"hash{n}") for n in range(hashes)]
    suppression = (
        select(Suppression.reason)
        .where(Suppression.address_hash.in_(hash_names))
        .limit(1)
        .cte("suppression")
    )
    hard = [literal(reason) for reason in HARD_REASONS]
    suppressed = exists(select(1).select_from(suppression).where(suppression.c.reason.in_(hard)))
    slugs = [bindparam(f"slug{n}") for n in range(themes)]
    offered = select(Theme.id).where(Theme.slug.in_(slugs), Theme.retired.is_(False)).cte("offered")
    offered_count = select(func.count()).select_from(offered).scalar_subquery()
    row = select(
        bindparam("id", type_=Integer),
        *(_value(f"s_{name}", table.c[name], nulls) for name in names),
    ).where(~suppressed)
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
        new.c.id, *(_value(f"e_{n}", _EMAIL_TABLE.c[n], nulls) for n in _EMAIL_COLUMNS)
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
        select(suppression.c.reason).scalar_subquery().label("reason"),
    ]
    if themes:  # PostgreSQL runs every data-modifying CTE; SQLAlchemy writes those named
        columns.append(select(func.count()).select_from(own_themes).scalar_subquery())
    return DirectStatement(select(*columns))
