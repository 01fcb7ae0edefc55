"""The yardstick for bench_web.py: a one-line Flask view on the same gunicorn settings.

`/select` is the floor for a page that reads the database: the same one-line view plus
one `SELECT 1` on PostgreSQL (DATABASE_URL) through a connection the process keeps open,
in autocommit, with no pool, no ORM and no template. No page that reads a row can be
cheaper, so its ratio to `/` says how much of a page's gap is the database round trip.

`/page/<token>` is the one-click page as a plain Flask app would write it, with none of
Turnabout's own costs (no JSON access line, metrics, request id, language choice, security
headers, CSRF or translations): an itsdangerous-signed token, one prepared SELECT of the
same pairing, round, challenge and stored answer, and Flask's render_template of the same
HTML. Its ratio to `/` is about the best the real page could reach on this stack.
"""

import hashlib
import hmac
import os

import psycopg
from flask import Flask, abort, render_template
from itsdangerous import BadSignature, URLSafeSerializer
from jinja2 import DictLoader

app = Flask(__name__)
app.jinja_loader = DictLoader(
    {
        "layout.html": """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{% block title %}{% endblock %}</title>
<link rel="stylesheet" href="/static/site.css">
</head>
<body class="">
<header class="site-header">
  <div class="container header-row">
    <a class="brand" href="{{ url_for('hello') }}">Turnabout</a>
  </div>
</header>
<main class="container">
  {% for message in get_flashed_messages() %}<div class="flash">{{ message }}</div>{% endfor %}
  {% block content %}{% endblock %}
</main>
<footer class="site-footer container">
  <p>Reverse mentoring, one small exchange a week, by email.</p>
</footer>
</body>
</html>""",
        "page.html": """{% extends "layout.html" %}
{% block title %}{{ question_text }}{% endblock %}
{% block content %}
<section class="panel narrow">
  <h1>{{ question_text }}</h1>
  <p class="muted">{{ title }} · week {{ week }}</p>
  {% if existing %}<p>You answered <strong>{{ existing }}</strong>.</p>{% endif %}
  <form method="post">
    <input type="hidden" name="csrf_token" value="{{ form_token }}">
    <div class="field">
      <div class="choices" role="radiogroup" aria-label="{{ question_text }}">
        {% for value, label, hint in choices %}
        <label class="choice"><input type="radio" name="value" value="{{ value }}"
        {%- if value == selected %} checked{% endif %}> <span>{{ label }}
        {%- if hint %}<br><span class="hint">{{ hint }}</span>{% endif %}</span></label>
        {% endfor %}
      </div>
    </div>
    <div class="field">
      <label for="comment">Anything to add? <span class="hint">(optional)</span></label>
      <textarea id="comment" name="comment" rows="3" maxlength="2000">{{ comment }}</textarea>
    </div>
    <button type="submit">Send my answer</button>
  </form>
</section>
{% endblock %}""",
    }
)
_connection = None
_SECRET = os.environ.get("SECRET_KEY", "")


def page_token(secret: str, pairing_id: int, subscriber_id: int, question: str) -> str:
    """bench_web.py asks for one, with the SECRET_KEY the servers run with."""
    return URLSafeSerializer(secret, salt="answer").dumps([pairing_id, subscriber_id, question])


_signer = URLSafeSerializer(_SECRET, salt="answer")
_CHOICES = (
    ("tried", "I tried it", ""),
    ("help", "I need help", "Your tip-giver gets a note in your thread, with your comment."),
    ("skip", "Skip this week", "You leave this week's round quietly; next week's comes."),
)
_PAGE_ROW = """
SELECT p.id, p.learner_id, p.giver_id, r.week, r.status, c.title, s.language,
       a.value, a.comment
FROM pairings p
JOIN rounds r ON r.id = p.round_id
JOIN challenges c ON c.id = r.challenge_id
LEFT JOIN subscribers s ON s.id = %(subscriber)s
LEFT JOIN answers a
  ON a.pairing_id = p.id AND a.subscriber_id = %(subscriber)s AND a.question = %(question)s
WHERE p.id = %(pairing)s
"""


def _database():
    global _connection
    if _connection is None:  # opened in the worker, after gunicorn's fork
        url = os.environ["DATABASE_URL"].replace("postgresql+psycopg://", "postgresql://")
        _connection = psycopg.connect(url, autocommit=True)
    return _connection


@app.get("/")
def hello():
    return "Hello"


@app.get("/select")
def select():
    return str(_database().execute("SELECT 1").fetchone()[0])


@app.get("/page/<token>")
def page(token: str):
    try:
        pairing_id, subscriber_id, question = _signer.loads(token)
    except (BadSignature, ValueError):
        abort(400)
    row = (
        _database()
        .execute(
            _PAGE_ROW,
            {"pairing": pairing_id, "subscriber": subscriber_id, "question": question},
            prepare=True,
        )
        .fetchone()
    )
    if row is None:
        abort(404)
    return render_template(
        "page.html",
        question_text="How did this week's challenge go?",
        title=row[5],
        week=row[3],
        existing=row[7],
        comment=row[8] or "",
        choices=_CHOICES,
        selected="tried",
        # The form's CSRF token, derived from the link as the real page's is.
        form_token=hmac.new(_SECRET.encode(), token.encode(), hashlib.sha256).hexdigest(),
    )
