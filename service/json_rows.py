"""A correlated SELECT's rows as one JSON column, so a page reads a record and its short
lists (a subscriber's themes, ratings, tips) in one statement instead of one per list.

Profiling the preference centre: each statement cost 45-100 us of CPU in-process and
more under gunicorn (PostgreSQL works on the same cores), and the page ran four. A
`JSONRows(query)` column holds `query`'s rows as a JSON array of arrays, in its ORDER BY,
e.g. [["tech-savvy", "Tech-savvy"], ...]; an empty list when there are none.

`query` names the outer table it refers to with `.correlate(...)`: on SQLite it sits in a
derived table, where SQLAlchemy correlates only when told. Values come back as JSON
has them: text, numbers, and a condition as true/false (1/0 on SQLite); dates would come
back as text, so select what a page needs (`column.is_not(None)`).

`JSONColumns(*columns)` holds several such columns as one JSON array, [rows, rows, ...]:
one value for the driver to decode instead of one per list (each decode cost a few us).
"""

from __future__ import annotations

from sqlalchemy import JSON, func, select, text
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement
from sqlalchemy.sql.visitors import InternalTraversal


class JSONRows(ColumnElement):
    __visit_name__ = "json_rows"
    inherit_cache = True
    _traverse_internals = [("query", InternalTraversal.dp_clauseelement)]
    type = JSON()

    def __init__(self, query):
        self.query = query


@compiles(JSONRows, "postgresql")
def _aggregate_in_order(element: JSONRows, compiler, **kw) -> str:
    """json_agg(... ORDER BY ...): PostgreSQL keeps the order the aggregate names."""
    query = element.query
    row = func.json_build_array(*query.selected_columns)
    order = query._order_by_clauses
    rows = func.json_agg(aggregate_order_by(row, *order) if order else row)
    aggregate = query.with_only_columns(func.coalesce(rows, text("'[]'::json"))).order_by(None)
    return compiler.process(aggregate.scalar_subquery(), **kw)


@compiles(JSONRows)
def _aggregate_ordered_rows(element: JSONRows, compiler, **kw) -> str:
    """SQLite before 3.44 has no ORDER BY in an aggregate; it aggregates a derived table
    in that table's order (an aggregate's subquery keeps its ORDER BY: it is never
    flattened into the aggregate). json() because a value keeps its JSON type only within
    one expression, not across a subquery."""
    rows = element.query.with_only_columns(func.json_array(*element.query.selected_columns))
    ordered = rows.subquery()
    aggregate = select(func.json_group_array(func.json(*ordered.c)))
    return compiler.process(aggregate.scalar_subquery(), **kw)


class JSONColumns(ColumnElement):
    __visit_name__ = "json_columns"
    inherit_cache = True
    _traverse_internals = [("columns", InternalTraversal.dp_clauseelement_tuple)]
    type = JSON()

    def __init__(self, *columns: JSONRows):
        self.columns = columns


@compiles(JSONColumns, "postgresql")
def _columns_in_one_array(element: JSONColumns, compiler, **kw) -> str:
    return compiler.process(func.json_build_array(*element.columns), **kw)


@compiles(JSONColumns)
def _columns_in_one_json_array(element: JSONColumns, compiler, **kw) -> str:
    """json() keeps each column an array, not a string (see _aggregate_ordered_rows)."""
    return compiler.process(func.json_array(*map(func.json, element.columns)), **kw)
