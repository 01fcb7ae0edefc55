"""Keyword-only factories and helpers for the admin console tests."""

from __future__ import annotations

import itertools
import secrets
from datetime import datetime

from service.database import utcnow
from service.extensions import db
from tests.helpers import csrf_token

PASSWORD = "correct horse battery staple"
_n = itertools.count(1)


def create_admin_user(*, email: str | None = None, role: str = "admin", password: str = PASSWORD):
    from service.admin.passwords import create_admin

    user = create_admin(email or f"admin{next(_n)}@example.org", password, role)
    db.session.commit()
    return user


def login(client, email: str, password: str = PASSWORD, follow_redirects: bool = False):
    token = csrf_token(client, "/admin/login")
    return client.post(
        "/admin/login",
        data={"email": email, "password": password, "csrf_token": token},
        follow_redirects=follow_redirects,
    )


def signed_in_client(app, *, role: str = "admin"):
    """A test client signed in as a new account of `role`; returns (client, email)."""
    with app.app_context():
        email = create_admin_user(role=role).email
    client = app.test_client()
    response = login(client, email)
    assert response.status_code == 302, response.get_data(as_text=True)
    return client, email


def create_theme(*, name: str | None = None, retired: bool = False, position: int = 0):
    from service.rounds.models import Theme

    n = next(_n)
    theme = Theme(
        slug=f"theme-{n}",
        name=name or f"Theme {n}",
        tagline="A tagline",
        position=position,
        retired=retired,
    )
    db.session.add(theme)
    db.session.flush()
    return theme


def create_challenge(
    *,
    theme=None,
    title: str | None = None,
    retired: bool = False,
    learner_task: str = "Ask an AI assistant to summarise your notes.",
    giver_prompt: str = "What prompt do you wish you had known on day one?",
):
    from service.rounds.models import Challenge

    challenge = Challenge(
        theme_id=(theme or create_theme()).id,
        title=title or f"Challenge {next(_n)}",
        learner_task=learner_task,
        giver_prompt=giver_prompt,
        starter_tip="Start with one paragraph.",
        links=[],
        retired=retired,
    )
    db.session.add(challenge)
    db.session.flush()
    return challenge


def create_subscriber(
    *,
    role: str = "learner",
    status: str = "active",
    name: str | None = None,
    email: str | None = None,
    themes=(),
    team: str | None = None,
    tz: str = "Europe/Berlin",
    confirmed_at: datetime | None = None,
    unsubscribed_at: datetime | None = None,
):
    from service.subscriptions.models import Subscriber

    n = next(_n)
    subscriber = Subscriber(
        email=email or f"person{n}-{secrets.token_hex(2)}@example.org",
        name=name or f"Person {n}",
        role=role,
        status=status,
        timezone=tz,
        team=team,
        themes=list(themes),
        confirmed_at=confirmed_at or (utcnow() if status == "active" else None),
        unsubscribed_at=unsubscribed_at,
    )
    db.session.add(subscriber)
    db.session.flush()
    return subscriber


def create_round(*, week: str, challenge=None, status: str = "paired", by_admin: bool = False):
    from service.rounds.models import Round

    round_ = Round(
        week=week,
        challenge_id=(challenge or create_challenge()).id,
        status=status,
        scheduled_by_admin=by_admin,
        paired_at=utcnow() if status != "planned" else None,
    )
    db.session.add(round_)
    db.session.flush()
    return round_


def create_pairing(
    *,
    round_,
    learner,
    giver=None,
    status: str | None = None,
    explanation: str = "",
    tip_received_at: datetime | None = None,
):
    from service.rounds.models import Pairing

    pairing = Pairing(
        round_id=round_.id,
        learner_id=learner.id,
        giver_id=giver.id if giver else None,
        status=status or ("active" if giver else "unmatched"),
        explanation=explanation,
        learner_key=secrets.token_hex(8),
        giver_key=secrets.token_hex(8) if giver else None,
        tip_received_at=tip_received_at,
    )
    db.session.add(pairing)
    db.session.flush()
    return pairing


def create_answer(*, pairing, subscriber, question: str, value: str):
    from service.rounds.models import Answer

    answer = Answer(
        pairing_id=pairing.id, subscriber_id=subscriber.id, question=question, value=value
    )
    db.session.add(answer)
    db.session.flush()
    return answer


def create_sent_email(
    *,
    pairing=None,
    subscriber=None,
    kind: str = "challenge",
    state: str = "sent",
    sent_at: datetime | None = None,
    error: str | None = None,
    last_event: str | None = None,
):
    from service.mail.models import OutgoingEmail

    row = OutgoingEmail(
        key=f"test:{secrets.token_hex(6)}",
        kind=kind,
        subscriber_id=subscriber.id if subscriber else None,
        to_address=subscriber.email if subscriber else "someone@example.org",
        message_id=f"<{secrets.token_hex(8)}@turnabout.test>",
        state=state,
        error=error,
        last_event=last_event,
        pairing_id=pairing.id if pairing else None,
        sent_at=sent_at or (utcnow() if state == "sent" else None),
    )
    db.session.add(row)
    db.session.flush()
    return row


def create_history(*, weeks: int = 8, learners: int = 12, givers: int = 10, themes=()):
    """A programme that has been running for `weeks` weeks: rounds, pairs, tips, answers,
    ratings, sign-ups and a few unsubscribes (for dashboards and screenshots)."""
    import random
    from datetime import timedelta

    from service.weeks import current_week, shift_week, week_start

    rng = random.Random(7)
    themes = list(themes) or [create_theme(name="Tech-savvy prowess")]
    now = utcnow()
    people_l = [
        create_subscriber(
            name=f"Learner {i}",
            themes=[rng.choice(themes)],
            confirmed_at=now - timedelta(days=rng.randint(0, weeks * 7)),
        )
        for i in range(learners)
    ]
    people_g = [
        create_subscriber(
            role="giver",
            name=f"Giver {i}",
            themes=[rng.choice(themes)],
            confirmed_at=now - timedelta(days=rng.randint(0, weeks * 7)),
        )
        for i in range(givers)
    ]
    for i in range(3):
        create_subscriber(status="unsubscribed", unsubscribed_at=now - timedelta(days=9 * i + 1))
    this = current_week()
    for back in range(weeks - 1, -1, -1):
        week = shift_week(this, -back)
        monday = week_start(week)
        sent = datetime(monday.year, monday.month, monday.day, 9, tzinfo=now.tzinfo)
        challenge = create_challenge(theme=themes[back % len(themes)])
        round_ = create_round(week=week, challenge=challenge)
        for n, learner in enumerate(people_l):
            giver = people_g[n] if n < len(people_g) - back % 3 else None
            late = rng.random()
            tip = sent + timedelta(hours=6 + 60 * late) if giver and late < 0.8 else None
            if tip is not None and tip > now:
                tip = None
            pairing = create_pairing(
                round_=round_,
                learner=learner,
                giver=giver,
                tip_received_at=tip,
                explanation="you both chose this theme",
            )
            create_sent_email(pairing=pairing, subscriber=learner, sent_at=min(sent, now))
            if tip is not None and rng.random() < 0.75:
                create_answer(
                    pairing=pairing,
                    subscriber=learner,
                    question="outcome",
                    value=rng.choice(["tried", "tried", "tried", "help"]),
                )
                create_answer(
                    pairing=pairing,
                    subscriber=learner,
                    question="rating",
                    value=str(rng.choice([3, 4, 4, 5, 5])),
                )
    db.session.flush()


def admin_post(client, path, **data):
    """POST a console form the way a browser would, with a CSRF token from a console page."""
    return client.post(path, data={"csrf_token": csrf_token(client, "/admin/rounds"), **data})
