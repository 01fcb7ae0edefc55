"""The yardstick for bench_web.py: a one-line Flask view on the same gunicorn settings.

`/select` is the floor for a page that reads the database: the same one-line view plus
one `SELECT 1` on PostgreSQL (DATABASE_URL) through a connection the process keeps open,
in autocommit, with no pool, no ORM and no template. No page that reads a row can be
cheaper, so its ratio to `/` says how much of a page's gap is the database round trip.
"""

import os

import psycopg
from flask import Flask

app = Flask(__name__)
_connection = None


@app.get("/")
def hello():
    return "Hello"


@app.get("/select")
def select():
    global _connection
    if _connection is None:  # opened in the worker, after gunicorn's fork
        url = os.environ["DATABASE_URL"].replace("postgresql+psycopg://", "postgresql://")
        _connection = psycopg.connect(url, autocommit=True)
    return str(_connection.execute("SELECT 1").fetchone()[0])
