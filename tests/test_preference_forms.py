"""The preference centre's forms post where Flask's url_for says, built once per process
and script root with placeholders (preference_views.form_actions and tip_actions)."""

from __future__ import annotations

import re

from flask import url_for
from sqlalchemy import select

from service.extensions import db
from service.rounds.content import seed_content
from service.rounds.models import Challenge, SharedTip
from service.subscriptions.preference_views import tip_actions
from service.tokens import make_token
from tests.factories_subscriptions import create_subscriber


def share_tips(author_id: int, count: int) -> list[int]:
    challenge = db.session.scalar(select(Challenge).order_by(Challenge.id))
    tips = [
        SharedTip(
            author_id=author_id,
            challenge_id=challenge.id,
            theme_id=challenge.theme_id,
            text=f"Tip {n}",
        )
        for n in range(count)
    ]
    db.session.add_all(tips)
    db.session.commit()
    return [tip.id for tip in tips]


def test_each_tips_forms_post_to_its_own_urls(app, ctx, client):
    seed_content()
    ana = create_subscriber()
    ids = share_tips(ana.id, 3)
    token = make_token("preferences", ana.id)
    page = client.get(f"/p/{token}").get_data(as_text=True)
    actions = re.findall(r'<form method="post" action="([^"]+)" class="inline">', page)
    with app.test_request_context():
        expected = {
            url_for(endpoint, token=token, tip_id=tip_id)
            for tip_id in ids
            for endpoint in ("subscriptions.credit_shared_tip", "subscriptions.withdraw_shared_tip")
        }
    assert len(actions) == 6 and set(actions) == expected


def test_a_script_root_holding_the_placeholder_builds_each_url(app, ctx):
    class Tip:
        id = 42

    for root in ("", "/907654321987"):
        with app.test_request_context(base_url=f"http://localhost{root}/"):
            made = tip_actions("abc.def", [Tip()])
            assert made == {
                42: {
                    "credit": url_for(
                        "subscriptions.credit_shared_tip", token="abc.def", tip_id=42
                    ),
                    "withdraw": url_for(
                        "subscriptions.withdraw_shared_tip", token="abc.def", tip_id=42
                    ),
                }
            }
            assert made[42]["credit"].startswith(f"{root}/p/abc.def/tips/42/")
