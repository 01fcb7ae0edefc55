"""Every page behind a signed link is kept out of caches, search engines and Referer
headers: the one-click answer page as much as the preference centre."""

from __future__ import annotations

import pytest

from service.rounds.answers import record_answer
from service.tokens import make_token
from tests.factories_inbound import create_pair
from tests.helpers import csrf_token

PRIVATE = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex",
}


def assert_private(response):
    for header, value in PRIVATE.items():
        assert response.headers.get(header) == value, (response.request.path, header)


@pytest.fixture
def pair(ctx):
    pair = create_pair()
    # The answer page shows the person's earlier comment: exactly what must not be cached.
    record_answer(pair.pairing.id, pair.learner.id, "outcome", "help", "my private comment")
    return pair


def signed_pages(pair) -> list[str]:
    learner = pair.learner.id
    answer = make_token("answer", [pair.pairing.id, learner, "outcome"])
    return [
        f"/a/{answer}?v=tried",
        f"/c/{make_token('confirm', learner)}",
        f"/join/{make_token('invite', learner)}",
        f"/p/{make_token('preferences', learner)}",
        f"/u/{make_token('unsubscribe', learner)}",
        "/a/not-a-valid-token",
        "/p/not-a-valid-token",
    ]


def test_every_signed_link_page_is_private(client, pair):
    for path in signed_pages(pair):
        response = client.get(path)
        assert response.status_code in (200, 302, 400), path
        assert_private(response)
    assert "my private comment" in client.get(signed_pages(pair)[0]).get_data(as_text=True)


def test_the_answer_pages_after_a_press_are_private_too(client, pair):
    path = signed_pages(pair)[0]
    response = client.post(path, data={"csrf_token": csrf_token(client, path), "value": "tried"})
    assert response.status_code == 200
    assert_private(response)


def test_pages_without_a_token_keep_their_usual_headers(client, ctx):
    response = client.get("/")
    assert response.headers.get("X-Robots-Tag") is None
