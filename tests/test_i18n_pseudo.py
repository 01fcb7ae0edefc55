"""Every email kind and every subscriber page goes through the catalogue: rendered in the
pseudo-language of tests/pseudo_locale.py (each catalogue entry reads ⟦…⟧), they show no
word outside the brackets that is not content (sample values, names, theme texts) or a
name Babel writes from its locale data. test_i18n_german checks the German itself."""

from __future__ import annotations

import re
from email import policy
from email.parser import BytesParser

from babel.dates import get_day_names, get_month_names
from pseudo_locale import (
    PSEUDO,
    offer_pseudo_language,
    outside_catalogue,
    readable_text,
    write_catalogue,
)
from sqlalchemy import select

from service.extensions import db
from service.i18n import language_name
from service.mail.catalog import KINDS, SAMPLES
from service.mail.compose import compose
from service.rounds.models import Challenge, Theme
from service.settings import set_setting
from service.tokens import make_token
from tests.factories_inbound import create_pair
from tests.factories_subscriptions import create_subscriber, create_themes
from tests.helpers import csrf_token, email_row

# "Re:" opens a thread's later subjects in every language (service/rounds/emails.py).
KEPT = ["Re", "Turnabout", "Europe/Berlin"]


def _words(value) -> set[str]:
    """Every word of a sample context (its content: challenge text, names, a message)."""
    if isinstance(value, dict):
        return set().union(*map(_words, value.values()), set())
    if isinstance(value, list | tuple):
        return set().union(*map(_words, value), set())
    if isinstance(value, str):
        return set(re.findall(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", readable_text(value)))
    return set()


def theme_words(theme) -> list[str]:
    return [theme.name, theme.tagline or "", theme.description or ""]


def test_every_email_kind_shows_only_catalogue_strings_and_content(ctx, app, tmp_path):
    offer_pseudo_language(app, write_catalogue(tmp_path / "pseudo"))
    set_setting("default_language", PSEUDO)  # sample rows name no subscriber row
    db.session.commit()
    problems = {}
    for n, name in enumerate(sorted(KINDS), start=1):
        row = email_row(name, n, SAMPLES[name], subscriber_id=None)
        raw = bytes(compose(row).to_email_message())
        message = BytesParser(policy=policy.default).parsebytes(raw)
        shown = "\n".join(
            [
                message["Subject"],
                message["From"],
                message.get_body(("plain",)).get_content(),
                readable_text(message.get_body(("html",)).get_content()),
            ]
        )
        content = _words(SAMPLES[name]) | {"Margaret", "Priya"}
        left = [w for w in outside_catalogue(shown, KEPT) if w not in content]
        if left:
            problems[name] = sorted(set(left))
        assert message["Content-Language"] == PSEUDO
    assert not problems, f"not through the catalogue: {problems}"


def test_every_subscriber_page_shows_only_catalogue_strings_and_content(app, client, tmp_path):
    offer_pseudo_language(app, write_catalogue(tmp_path / "pseudo"))
    names = ["Margarete", "Jonas", "Greta", "Neu"]
    with app.app_context():
        set_setting("default_language", PSEUDO)
        create_themes()
        person = create_subscriber(name="Margarete", email="m@example.org", language=PSEUDO)
        giver = create_subscriber(name="Jonas", role="giver", language=PSEUDO)
        pending = create_subscriber(
            name="Greta", email="g@example.org", language=PSEUDO, status="pending"
        )
        pair = create_pair(learner=person, giver=giver)
        title = pair.pairing.round.challenge.title
        token = {p: make_token(p, person.id) for p in ("preferences", "unsubscribe", "confirm")}
        confirm_pending = make_token("confirm", pending.id)
        answer = make_token("answer", [pair.pairing.id, person.id, "outcome"])
        share = make_token("answer", [pair.pairing.id, giver.id, "share"])
        db.session.commit()
        # The programme's content (theme texts, the schedule's challenge titles) and the
        # names Babel writes from its locale data (languages, weekdays, months).
        content = _words(
            [
                *(t for theme in db.session.scalars(select(Theme)) for t in theme_words(theme)),
                *db.session.scalars(select(Challenge.title)),
                *(language_name(code) for code in app.config["LANGUAGES"]),
                *get_day_names("wide", locale=PSEUDO).values(),
                *get_month_names("wide", locale=PSEUDO).values(),
            ]
        )
    data = [*names, *KEPT, title]
    signup = {
        "email": "neu@example.org",
        "name": "Neu",
        "role": "learner",
        "themes": "tech-savvy",
        "timezone": "Europe/Berlin",
        "language": PSEUDO,
    }
    prefs = f"/p/{token['preferences']}"
    pages = {
        "landing": client.get(f"/?lang={PSEUDO}"),
        "signup refused": client.post(
            "/subscribe", data={"csrf_token": csrf_token(client, "/"), "email": "nope"}
        ),
        "signup": client.post("/subscribe", data={"csrf_token": csrf_token(client, "/"), **signup}),
        "not found": client.get("/nowhere"),
        "broken link": client.get("/p/not-a-token"),
        "preferences": client.get(prefs),
        "unsubscribe": client.get(f"/u/{token['unsubscribe']}"),
        "confirm (active)": client.get(f"/c/{token['confirm']}"),
        "confirm (pending)": client.get(f"/c/{confirm_pending}"),
        "answer": client.get(f"/a/{answer}?v=tried"),
        "answer help": client.get(f"/a/{answer}?v=help"),
        "share a tip": client.get(f"/a/{share}?v=share"),
    }
    paused = client.post(
        f"{prefs}/pause", data={"csrf_token": csrf_token(client, prefs), "pause": "2"}
    )
    pages["paused"] = client.get(paused.headers["Location"])
    pages["left"] = client.post(f"{prefs}/leave", data={"csrf_token": csrf_token(client, prefs)})
    problems = {}
    for page, response in pages.items():
        html = response.get_data(as_text=True)
        assert f'<html lang="{PSEUDO}">' in html, page
        left = [w for w in outside_catalogue(readable_text(html), data) if w not in content]
        if left:
            problems[page] = sorted(set(left))
    assert not problems, f"not through the catalogue: {problems}"
