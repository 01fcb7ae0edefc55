"""The one-click answer links of the round's emails: "I tried it", ratings, "keep this
partner", the confidence check-in. Each question signs one token per (pairing, person,
question); the answer page (rounds.views) reads it back."""

from __future__ import annotations

from service.confidence.models import STEPS
from service.links import external_url
from service.tokens import make_token


def answer_urls(
    pairing_id: int, subscriber_id: int, question: str, values: tuple[str, ...]
) -> dict[str, str]:
    """One-click links for one question: one signed token per (pairing, person,
    question); the value rides in the query string (the page lets the person pick any
    allowed value anyway), so an email with three buttons signs one token, not three."""
    token = make_token("answer", [pairing_id, subscriber_id, question])
    base = external_url("rounds.answer", token=token)
    return {value: f"{base}?v={value}" for value in values}


def answer_url(pairing_id: int, subscriber_id: int, question: str, value: str) -> str:
    return answer_urls(pairing_id, subscriber_id, question, (value,))[value]


def outcome_urls(pairing_id: int, learner_id: int) -> dict:
    return answer_urls(pairing_id, learner_id, "outcome", ("tried", "help", "skip"))


def rating_urls(pairing_id: int, subscriber_id: int) -> list[dict]:
    urls = answer_urls(pairing_id, subscriber_id, "rating", tuple(str(n) for n in range(1, 6)))
    return [{"value": value, "url": url} for value, url in urls.items()]


def tried_urls(pairing_id: int, learner_id: int) -> dict:
    return answer_urls(pairing_id, learner_id, "tried", ("yes", "no"))


def checkin(pairing_id: int, learner_id: int, theme_name: str) -> dict:
    """The recap's confidence check-in: one question about the week's theme, one click."""
    urls = answer_urls(pairing_id, learner_id, "confidence", tuple(str(n) for n in STEPS))
    return {
        "theme": theme_name,
        "choices": [{"value": n, "words": STEPS[n], "url": urls[str(n)]} for n in STEPS],
    }


def quality_urls(pairing_id: int, giver_id: int) -> dict:
    """The tip-giver's two one-click questions about the challenge (never shown to anyone
    else): was the learner's need clear, would they tip on this theme again."""
    return {
        "clear": answer_urls(pairing_id, giver_id, "clear", ("yes", "no")),
        "again": answer_urls(pairing_id, giver_id, "again", ("yes", "no")),
    }


def keep_urls(pairing_id: int, subscriber_id: int) -> dict:
    return answer_urls(pairing_id, subscriber_id, "keep", ("yes", "no"))
