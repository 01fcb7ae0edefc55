"""The confirm page reads what it shows: the subscriber and their themes in one statement,
no self-ratings (its fields are the profile's only), whether it shows the summary or the
fields to choose from."""

from __future__ import annotations

import re

from service.tokens import make_token
from tests.factories_subscriptions import create_subscriber
from tests.helpers import each_statement_during


def second_get(app, client, url: str) -> tuple[list[str], str]:
    client.get(url)  # fills the process's copy of themes and settings
    pages = []
    sql = each_statement_during(
        app, lambda: pages.append(client.get(url)), lambda _conn, statement: statement
    )
    return sql, pages[0].get_data(as_text=True)


def test_the_summary_reads_the_themes_and_no_ratings(app, ctx, client):
    ana = create_subscriber(status="pending", themes=("tech-savvy", "life-work"), team=None)
    sql, page = second_get(app, client, f"/c/{make_token('confirm', ana.id)}")
    assert len(sql) == 1 and "confidence_ratings" not in sql[0] and "home_themes" not in sql[0]
    assert re.search(r"<dt>Themes</dt><dd>([^<]*)</dd>", page).group(1) == (
        "Tech-savvy prowess, Life-work integration"
    )
    assert "<dt>Team</dt><dd>(none)</dd>" in page


def test_the_fields_to_choose_from_read_one_statement(app, ctx, client):
    bo = create_subscriber(status="pending", role=None, themes=("life-work",), team="R&D")
    sql, page = second_get(app, client, f"/join/{make_token('invite', bo.id)}")
    assert len(sql) == 1 and "confidence_ratings" not in sql[0]
    assert re.findall(r'name="themes" value="([\w-]+)" checked', page) == ["life-work"]
    assert 'id="team" name="team" value="R&amp;D"' in page
