"""The yardstick for bench_web.py: a one-line Flask view on the same gunicorn settings.

`/select` is the floor for a page that reads the database: the same one-line view plus
one `SELECT 1` on PostgreSQL (DATABASE_URL) through a connection the process keeps open,
in autocommit, with no pool, no ORM and no template. No page that reads a row can be
cheaper, so its ratio to `/` says how much of a page's gap is the database round trip.

`/page/<token>` is the one-click page as a plain Flask app would write it, with none of
Turnabout's own costs (no JSON access line, metrics, request id, language choice, security
headers or translations): an itsdangerous-signed token, one prepared SELECT of the same
pairing, round, challenge and stored answer, the form's token as an HMAC of the link, and
Flask's render_template of about the same HTML (2 KB). Its ratio to `/` is about the best
the real page could reach on this stack.

`POST /subscribe` is the signup the same way, as lean as a plain app gets: a CSRF token
compared with the one in Flask's session cookie (set by `GET /join`), email_validator and
each field's length and choices checked on request.form, one INSERT in autocommit (a
durable commit, as the real one), the confirmation pushed onto a Redis list, a rendered
"check your inbox" page. (A Flask-WTF form with the same fields cost 5.7 ms of worker CPU
a signup, against the app's 3.4: no upper bound.) bench_web.py makes its table
(create_signup_table) before the servers start.
"""

import hashlib
import hmac
import json
import os
import secrets
import zoneinfo

import psycopg
from email_validator import EmailNotValidError, validate_email
from flask import Flask, abort, render_template, request, session
from itsdangerous import BadSignature, URLSafeSerializer
from jinja2 import DictLoader
from redis import Redis

app = Flask(__name__)
app.config["SECRET_KEY"] = os.environ.get("SECRET_KEY", "")
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
        "join.html": """{% extends "layout.html" %}
{% block content %}{% for error in errors %}<p class="error">{{ error }}</p>{% endfor %}
<form method="post" action="/subscribe">
<input type="hidden" name="csrf_token" value="{{ csrf }}">
<input type="email" name="email" required> <input name="name"> <button>Join</button>
</form>{% endblock %}""",
        "check.html": """{% extends "layout.html" %}
{% block title %}Check your inbox{% endblock %}
{% block content %}
<section class="panel narrow">
  <h1>Check your inbox</h1>
  <p>We sent a link to <strong>{{ email }}</strong>. Open it within 48 hours to confirm.</p>
  <p class="muted">Nothing arrived? Look in your spam folder, or sign up again.</p>
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


def _driver_url(database_url: str) -> str:
    """SQLAlchemy's URL (postgresql+psycopg://) as psycopg takes it."""
    return database_url.replace("postgresql+psycopg://", "postgresql://")


def _database():
    global _connection
    if _connection is None:  # opened in the worker, after gunicorn's fork
        _connection = psycopg.connect(_driver_url(os.environ["DATABASE_URL"]), autocommit=True)
    return _connection


def stored_signups(database_url: str) -> int:
    with psycopg.connect(_driver_url(database_url)) as connection:
        return connection.execute("SELECT count(*) FROM bare_signups").fetchone()[0]


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


# The themes on offer: bench_web.py passes the starter content's slugs, which wrk posts.
THEMES = frozenset(os.environ.get("BARE_THEMES", "").split(","))


_ZONES = frozenset(zoneinfo.available_timezones())
_ROLES = frozenset(("learner", "giver"))


def _signup_errors(form) -> list[str]:
    """The checks a lean signup makes: the CSRF token against the session's, the address
    through email_validator, each field's length and choices."""
    errors = []
    expected = session.get("csrf")
    if not expected or not hmac.compare_digest(expected, form.get("csrf_token", "")):
        errors.append("The form expired; reload the page.")
    try:
        validate_email(form.get("email", ""), check_deliverability=False)
    except EmailNotValidError:
        errors.append("Enter a valid email address.")
    if len(form.get("name", "")) > 100 or len(form.get("team", "")) > 100:
        errors.append("Shorten the name or team.")
    if len(form.get("about", "")) > 500 or len(form.get("website", "")) > 200:
        errors.append("Shorten the about text or website.")
    if form.get("role") not in _ROLES or form.get("timezone") not in _ZONES:
        errors.append("Choose a role and a time zone.")
    if not set(form.getlist("themes")) <= THEMES:
        errors.append("Choose themes from the list.")
    return errors


def create_signup_table(database_url: str) -> None:
    with psycopg.connect(_driver_url(database_url), autocommit=True) as connection:
        connection.execute(
            "CREATE TABLE IF NOT EXISTS bare_signups (id serial PRIMARY KEY, email text UNIQUE,"
            " name text, role text, themes text[], timezone text, team text, about text,"
            " website text, created_at timestamptz NOT NULL DEFAULT now())"
        )


_redis = None


@app.get("/join")
def join():
    session.setdefault("csrf", secrets.token_hex(20))
    return render_template("join.html", csrf=session["csrf"], errors=())


@app.post("/subscribe")
def subscribe():
    global _redis
    form = request.form
    errors = _signup_errors(form)
    if errors:
        return render_template("join.html", csrf=session.get("csrf", ""), errors=errors), 400
    email = form["email"]
    signup_id = (
        _database()
        .execute(
            "INSERT INTO bare_signups (email, name, role, themes, timezone, team, about, website)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s) RETURNING id",
            [email.lower(), form.get("name"), form["role"], form.getlist("themes")]
            + [form["timezone"], form.get("team"), form.get("about"), form.get("website")],
            prepare=True,
        )
        .fetchone()[0]
    )
    if _redis is None:
        _redis = Redis.from_url(os.environ["REDIS_URL"])
    _redis.rpush("bare:confirmations", json.dumps({"signup": signup_id, "kind": "confirm"}))
    return render_template("check.html", email=email)
