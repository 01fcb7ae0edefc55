"""The admin console stays English, but every string it shows goes through the catalogue
(issue 15): extracting the admin templates and views finds them, the committed template
has them, and a page rendered in a pseudo-language (tests/pseudo_locale.py) shows no text
that is neither a catalogue string nor data the test wrote."""

from __future__ import annotations

import ast
import json
from datetime import timedelta
from pathlib import Path

import pytest
from babel.dates import get_day_names
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from pseudo_locale import (
    CLOSE,
    OPEN,
    PSEUDO,
    outside_catalogue,
    readable_text,
    use_pseudo_language,
    write_catalogue,
)

from service.database import utcnow
from service.extensions import db
from service.inbound.models import InboundMessage
from service.rounds.models import SharedTip, Standby
from service.subscriptions.models import Suppression, address_hash
from tests.factories_admin import (
    create_admin_user,
    create_answer,
    create_challenge,
    create_pairing,
    create_round,
    create_sent_email,
    create_subscriber,
    create_theme,
    login,
    signed_in_client,
)
from tests.helpers import csrf_token

ROOT = Path(__file__).resolve().parent.parent
POT = ROOT / "service" / "translations" / "messages.pot"
# The same options as babel.cfg, which `make messages` uses.
JINJA_OPTIONS = {"extensions": "jinja2.ext.i18n", "trimmed": "true"}


def _extracted(directory: str, pattern: str, method: str, options: dict) -> set[str]:
    found = extract_from_dir(
        ROOT / directory, method_map=[(pattern, method)], options_map={pattern: options}
    )
    # A plural entry comes as (singular, plural); the catalogue is keyed by the singular.
    return {m[0] if isinstance(m, tuple) else m for _f, _l, m, _c, _ctx in found}


def test_admin_templates_and_views_are_extracted_into_the_committed_catalogue():
    templates = _extracted("service/templates/admin", "*.html", "jinja2", JINJA_OPTIONS)
    views = _extracted("service/admin", "**.py", "python", {})
    assert {"Is it working?", "Sign in to the admin console", "Delivery health"} <= templates
    assert {"Programme settings saved.", "Theme “%(name)s” created."} <= views
    with POT.open("rb") as handle:
        catalogue = {m.id[0] if isinstance(m.id, tuple) else m.id for m in read_po(handle)}
    missing = (templates | views) - catalogue
    assert not missing, f"run `make messages`: {sorted(missing)[:5]}"


# ---------------------------------------------------------------- sentences in the code

# Calls whose text reaches a person: a literal there never went through gettext.
SHOWN_BY = {"flash", "abort", "ClickException", "echo", "prompt", "AccountError"}
SHOWN_BY |= {"ImportProblem", "TipRefused", "render_template"}


def _literal_sentences(path: Path):
    """(line, text) of string literals and f-strings passed straight to SHOWN_BY calls
    (render_template: its title= and message= keywords)."""
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        if name not in SHOWN_BY:
            continue
        if name == "render_template":
            values = [k.value for k in node.keywords if k.arg in ("title", "message", "error")]
        elif name == "flash":
            values = node.args[:1]  # then its category
        else:
            values = [*node.args, *(k.value for k in node.keywords)]
        for value in values:
            if isinstance(value, ast.JoinedStr) or (
                isinstance(value, ast.Constant) and isinstance(value.value, str)
            ):
                yield node.lineno, ast.unparse(value)[:60]


def test_no_admin_view_shows_a_literal_sentence():
    found = [
        f"{path.relative_to(ROOT)}:{line}: {text}"
        for path in sorted((ROOT / "service" / "admin").rglob("*.py"))
        for line, text in _literal_sentences(path)
    ]
    assert not found, "wrap these in gettext():\n" + "\n".join(found)


# ---------------------------------------------------------------- pages in a pseudo-language

# What the test writes into the database and the pages show as data; language names and
# the programme's name come from Babel's locale data and the settings.
DATA = [
    "Zeta theme",
    "Zeta tagline",
    "Zeta challenge",
    "Zeta other",
    "Zeta learner",
    "Zeta giver",
    "Zeta paused",
    "Zeta pending",
    "Zeta left",
    "Zeta standby",
    "Zeta tip text",
    "Zeta team",
    "zeta team",  # the impact report's team filter shows teams in lower case
    "Europe/Berlin",
    "Turnabout",
    # Written by Babel from its locale data, not the catalogue: language and weekday names.
    "English",
    "Deutsch",
    "German",
    *get_day_names("wide", locale=PSEUDO).values(),
    "Ask an AI assistant to summarise your notes.",
    "What prompt do you wish you had known on day one?",
    "Start with one paragraph.",
]


@pytest.fixture
def programme(app):
    """A running programme with something in every state the console shows. Built in an
    app context of its own: each request then has its own (and its own signed-in user)."""
    with app.app_context():
        return _programme()


def _programme() -> dict:
    from service.weeks import current_week, shift_week

    this, last = current_week(), shift_week(current_week(), -1)
    theme = create_theme(name="Zeta theme")
    theme.tagline = "Zeta tagline"
    challenge = create_challenge(theme=theme, title="Zeta challenge")
    create_challenge(theme=theme, title="Zeta other")
    learner = create_subscriber(name="Zeta learner", themes=[theme], team="Zeta team")
    giver = create_subscriber(role="giver", name="Zeta giver", themes=[theme])
    paused = create_subscriber(name="Zeta paused", themes=[theme])
    paused.paused_until = utcnow().date() + timedelta(days=10)
    paused.away_until = utcnow().date() + timedelta(days=3)
    create_subscriber(name="Zeta pending", status="pending")
    left = create_subscriber(name="Zeta left", status="unsubscribed", unsubscribed_at=utcnow())
    left.unsubscribe_source = "one_click"
    standby = create_subscriber(role="giver", name="Zeta standby", themes=[theme])
    for week in (last, this):
        round_ = create_round(week=week, challenge=challenge)
        pair = create_pairing(
            round_=round_,
            learner=learner,
            giver=giver,
            explanation="you both chose Zeta theme; different teams; 2 hours apart",
            tip_received_at=utcnow(),
        )
        create_pairing(
            round_=round_, learner=paused, explanation="no tip-givers signed up this week"
        )
        create_answer(pairing=pair, subscriber=learner, question="outcome", value="help")
        create_answer(pairing=pair, subscriber=learner, question="rating", value="4")
        create_sent_email(pairing=pair, subscriber=learner)
        create_sent_email(pairing=pair, subscriber=giver, state="failed", error="550 no")
    db.session.add(
        Standby(
            round_id=round_.id, subscriber_id=standby.id, reason="on standby: no learners this week"
        )
    )
    create_sent_email(subscriber=left, state="skipped", error="subscriber is unsubscribed")
    db.session.add(Suppression(address_hash=address_hash("gone@example.org"), reason="bounced"))
    db.session.add(
        SharedTip(
            pairing_id=pair.id,
            author_id=giver.id,
            challenge_id=challenge.id,
            theme_id=theme.id,
            text="Zeta tip text",
        )
    )
    db.session.add(
        InboundMessage(
            mode="parsed", state="ignored", outcome="unauthenticated sender: no DKIM or SPF pass"
        )
    )
    db.session.commit()
    return {
        "theme": theme.id,
        "challenge": challenge.id,
        "learner": learner.id,
        "paused": paused.id,
        "left": left.id,
        "this": this,
        "next": shift_week(this, 1),
    }


def _pages(p) -> list[str]:
    return [
        "/admin/",
        "/admin/challenges",
        "/admin/challenges/new",
        f"/admin/challenges/{p['challenge']}",
        "/admin/themes",
        "/admin/themes/new",
        f"/admin/themes/{p['theme']}",
        "/admin/schedule",
        "/admin/rounds",
        f"/admin/rounds/{p['this']}",
        f"/admin/rounds/{p['next']}",
        "/admin/subscribers",
        *(f"/admin/subscribers/{p[who]}" for who in ("learner", "paused", "left")),
        "/admin/subscribers/import",
        "/admin/subscribers/import/no-such-report",
        "/admin/delivery",
        "/admin/settings",
        "/admin/audit",
        "/admin/impact",
        "/admin/impact/print",
        "/admin/impact.csv",  # its keys are data (see impact/views.py); its note is checked
        "/admin/tips",
        "/admin/tips?show=all",
        "/admin/challenges/999999",
    ]


def _untranslated(response) -> list[str]:
    text = response.get_data(as_text=True)
    if response.mimetype == "text/csv":  # the note on its first line; then keys and figures
        text = text.splitlines()[0].removeprefix("# ")
    elif response.mimetype == "text/html":
        text = readable_text(text)
    return outside_catalogue(text, DATA)


def test_every_admin_page_shows_only_catalogue_strings_and_data(app, programme, tmp_path):
    admin, _ = signed_in_client(app)
    use_pseudo_language(app, write_catalogue(tmp_path / "pseudo"))
    pages = _pages(programme)
    problems = {}
    for page in pages:
        response = admin.get(page)
        assert response.status_code in (200, 404), page
        left = _untranslated(response)
        if left:
            problems[page] = sorted(set(left))
    assert not problems, f"not through the catalogue: {json.dumps(problems, indent=1)}"
    assert OPEN in admin.get("/admin/").get_data(as_text=True)  # the pseudo-language is on

    # Every page a GET can open is in the list above (a new page is checked too).
    adapter = app.url_map.bind("turnabout.test")
    opened = {adapter.match(page.split("?")[0])[0] for page in pages}
    pages_of_the_console = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("admin.") and "GET" in rule.methods
    } - {"admin.login"}  # signed in, it redirects; the next test renders it
    assert pages_of_the_console <= opened, (
        f"add an example address to _pages(): {sorted(pages_of_the_console - opened)}"
    )


def test_forms_and_refusals_show_only_catalogue_strings(app, programme, tmp_path):
    with app.app_context():
        create_admin_user(email="pseudo@example.org")
    stranger = app.test_client()
    use_pseudo_language(app, write_catalogue(tmp_path / "pseudo"))
    refused = login(stranger, "pseudo@example.org", password="not the password at all")
    assert refused.status_code == 401
    assert not _untranslated(refused)
    login(stranger, "pseudo@example.org")
    editor, _ = signed_in_client(app, role="editor")
    forbidden = editor.get("/admin/settings")
    assert forbidden.status_code == 403 and not _untranslated(forbidden)

    token = csrf_token(stranger, "/admin/settings")
    posts = {
        "/admin/settings": {"programme_name": "", "send_hour": "99"},
        "/admin/challenges/new": {"title": ""},
        "/admin/themes/new": {"name": ""},
        "/admin/subscribers/import": {"text": "email,role,themes\nnot-an-address,boss,Nope\n"},
    }
    for page, form in posts.items():
        response = stranger.post(page, data={"csrf_token": token, **form})
        assert response.status_code == 400, page
        assert not _untranslated(response), page

    preview = stranger.post(
        "/admin/challenges/preview",
        data={
            "csrf_token": token,
            "challenge_id": programme["challenge"],
            "theme_id": programme["theme"],
            "title": "Zeta challenge",
            "learner_task": "Zeta",
            "giver_prompt": "Zeta",
            "preview_language": "de",
        },
    ).get_json()
    assert preview["note"].startswith(OPEN) and preview["note"].endswith(CLOSE)
