"""Every email of the weekly round, declared once with a realistic sample.

Context builders take plain values only. The challenge arrives pre-rendered
(content.rendered_challenge: Markdown to cleaned HTML and text once per round), so a
round of 100k emails renders Markdown once, not 100k times. The bulk sender
(mail.bulk) and the single-email path both call these builders, and so does the admin
console's live preview (email_preview.py): one code path for all three. The one-click
links the emails carry are made in answer_links.py.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from service.confidence.models import STEPS
from service.mail.kinds import email
from service.rounds import explanations
from service.rounds.email_samples import (
    SAMPLE_ANSWERS,
    SAMPLE_CHALLENGE,
    SAMPLE_RATINGS,
    SAMPLE_TIPS,
    SAMPLE_URL,
)

CATEGORY = "round"
THREAD_REASON = _l(
    "You get this because you take part in the weekly round; it continues this week's thread."
)


def partner(first_name: str, about: str | None, explanation: str) -> dict:
    return {"first_name": first_name, "about": about or "", "explanation": explanation}


# ------------------------------------------------------------------ thread openers


@email(
    "challenge_learner",
    localize=explanations.localized_partner("giver"),
    category=CATEGORY,
    reason=_l("You get this because you signed up as a learner for the weekly round."),
    sample={
        "challenge": SAMPLE_CHALLENGE,
        "giver": partner(
            "Sam",
            "Product designer, lives in Figma",
            "you both chose Tech-savvy prowess; different teams; 1 hour apart",
        ),
        "answers": SAMPLE_ANSWERS,
    },
)
def challenge_learner_email(challenge: dict, giver: dict, answers: dict) -> dict:
    return {"challenge": challenge, "giver": giver, "answers": answers}


@email(
    "challenge_giver",
    localize=explanations.localized_partner("learner"),
    category=CATEGORY,
    reason=_l("You get this because you signed up as a tip-giver for the weekly round."),
    sample={
        "challenge": SAMPLE_CHALLENGE,
        "learner": partner(
            "Maria",
            "Head of marketing, 20 years in print",
            "you both chose Tech-savvy prowess; different teams; same timezone",
        ),
        "cant_url": SAMPLE_URL,
        "stepping_in": False,
    },
)
def challenge_giver_email(
    challenge: dict, learner: dict, cant_url: str, stepping_in: bool = False
) -> dict:
    return {
        "challenge": challenge,
        "learner": learner,
        "cant_url": cant_url,
        "stepping_in": stepping_in,
    }


@email(
    "challenge_unmatched",
    localize=explanations.localized_reason,
    category=CATEGORY,
    words=("tips",),
    reason=_l("You get this because you signed up as a learner for the weekly round."),
    sample={
        "challenge": SAMPLE_CHALLENGE,
        "reason_text": "not enough tip-givers this week",
        "tips": SAMPLE_TIPS,
        "answers": SAMPLE_ANSWERS,
    },
)
def challenge_unmatched_email(challenge: dict, reason_text: str, tips: list, answers: dict) -> dict:
    return {"challenge": challenge, "reason_text": reason_text, "tips": tips, "answers": answers}


# ------------------------------------------------------------------ later in the thread


@email(
    "nudge",
    category=CATEGORY,
    reason=THREAD_REASON,
    sample={
        "thread_subject": "Maria could use your tip: Draft a document with an AI assistant",
        "learner_name": "Maria",
        "challenge_title": SAMPLE_CHALLENGE["title"],
        "cant_url": SAMPLE_URL,
    },
)
def nudge_email(thread_subject: str, learner_name: str, challenge_title: str, cant_url: str):
    return {
        "thread_subject": thread_subject,
        "learner_name": learner_name,
        "challenge_title": challenge_title,
        "cant_url": cant_url,
    }


@email(
    "recap_learner",
    category=CATEGORY,
    reason=THREAD_REASON,
    sample={
        "thread_subject": "This week: Draft a document you owe this week (with Sam)",
        "giver_name": "Sam",
        "challenge_title": SAMPLE_CHALLENGE["title"],
        "ratings": SAMPLE_RATINGS,
        "tried_urls": {"yes": SAMPLE_URL, "no": SAMPLE_URL},
        "keep_urls": {"yes": SAMPLE_URL, "no": SAMPLE_URL},
        "keep_limit": 4,
        "checkin": {
            "theme": SAMPLE_CHALLENGE["theme"],
            "choices": [{"value": n, "words": w, "url": SAMPLE_URL} for n, w in STEPS.items()],
        },
    },
)
def recap_learner_email(
    thread_subject: str,
    giver_name: str | None,
    challenge_title: str,
    ratings: list,
    tried_urls: dict,
    keep_urls: dict | None = None,
    keep_limit: int = 0,
    checkin: dict | None = None,
) -> dict:
    """`keep_urls`: "Keep this partner next week?" (empty without a partner, or when
    the programme turned continuing pairs off). `checkin`: every few weeks, "How
    confident are you with this now?" (see answer_links.checkin), otherwise empty."""
    return {
        "checkin": checkin or {},
        "thread_subject": thread_subject,
        "giver_name": giver_name,
        "challenge_title": challenge_title,
        "ratings": ratings,
        "tried_urls": tried_urls,
        "keep_urls": keep_urls or {},
        "keep_limit": keep_limit,
    }


@email(
    "recap_giver",
    category=CATEGORY,
    reason=THREAD_REASON,
    sample={
        "thread_subject": "Maria could use your tip: Draft a document with an AI assistant",
        "learner_name": "Maria",
        "challenge_title": SAMPLE_CHALLENGE["title"],
        "tip_sent": True,
        "outcome": "tried",
        "ratings": SAMPLE_RATINGS,
        "keep_urls": {"yes": SAMPLE_URL, "no": SAMPLE_URL},
        "keep_limit": 4,
        "quality": {
            "clear": {"yes": SAMPLE_URL, "no": SAMPLE_URL},
            "again": {"yes": SAMPLE_URL, "no": SAMPLE_URL},
        },
        "share_url": SAMPLE_URL,
    },
)
def recap_giver_email(
    thread_subject: str,
    learner_name: str,
    challenge_title: str,
    tip_sent: bool,
    outcome: str | None,
    ratings: list,
    keep_urls: dict | None = None,
    keep_limit: int = 0,
    quality: dict | None = None,
    share_url: str | None = None,
) -> dict:
    """`share_url`: the one-click "share my tip with future learners", for a tip-giver
    who sent a tip (None otherwise); nothing is shared unless they press it."""
    return {
        "quality": quality or {},
        "thread_subject": thread_subject,
        "learner_name": learner_name,
        "challenge_title": challenge_title,
        "tip_sent": tip_sent,
        "outcome": outcome,
        "ratings": ratings,
        "keep_urls": keep_urls or {},
        "keep_limit": keep_limit,
        "share_url": share_url,
    }


@email(
    "help_request",
    category=CATEGORY,
    words=("comment",),
    reason=THREAD_REASON,
    sample={
        "thread_subject": "Maria could use your tip: Draft a document with an AI assistant",
        "learner_name": "Maria",
        "challenge_title": SAMPLE_CHALLENGE["title"],
        "comment": "I got stuck on the second step: where do I paste my notes?",
    },
)
def help_request_email(
    thread_subject: str, learner_name: str, challenge_title: str, comment: str | None
) -> dict:
    return {
        "thread_subject": thread_subject,
        "learner_name": learner_name,
        "challenge_title": challenge_title,
        "comment": comment or "",
    }


@email(
    "partner_changed",
    localize=explanations.localized_partner("giver"),
    category=CATEGORY,
    reason=THREAD_REASON,
    sample={
        "thread_subject": "This week: Draft a document you owe this week (with Sam)",
        "giver": partner("Lea", "Data analyst and spreadsheet fan", "stepped in this week"),
        "challenge_title": SAMPLE_CHALLENGE["title"],
    },
)
def partner_changed_email(thread_subject: str, giver: dict, challenge_title: str) -> dict:
    return {"thread_subject": thread_subject, "giver": giver, "challenge_title": challenge_title}


@email(
    "partner_unavailable",
    category=CATEGORY,
    words=("tips",),
    reason=THREAD_REASON,
    sample={
        "thread_subject": "This week: Draft a document you owe this week (with Sam)",
        "challenge_title": SAMPLE_CHALLENGE["title"],
        "tips": SAMPLE_TIPS,
    },
)
def partner_unavailable_email(thread_subject: str, challenge_title: str, tips: list) -> dict:
    return {"thread_subject": thread_subject, "challenge_title": challenge_title, "tips": tips}


@email(
    "partner_left",
    category="relay",  # a note in the conversation, grouped with the relay's own
    reason=_l("You get this because you are paired with someone in this week's round."),
    list_mail=False,
    sample={
        "partner_name": "Margaret",
        "thread_subject": "This week: share the one prompt you wish you had known on day one",
    },
)
def partner_left_email(partner_name: str, thread_subject: str) -> dict:
    """To a tip-giver whose learner dropped out mid-round (service.rounds.dropout)."""
    return {"partner_name": partner_name, "thread_subject": thread_subject}
