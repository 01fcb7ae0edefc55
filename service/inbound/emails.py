"""Emails the reply relay sends. Context values are plain JSON (stored on the row)."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

from service.mail.kinds import email

# One unbounded repeat, then trailing punctuation stripped in code: the former
# "[^...]+[^...]" pair backtracked over each run of text after every "http".
_URL = re.compile(r"https?://[^\s<>\"']+", re.I)
_URL_TAIL = ".,;:!?)]"
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n\s*")


def linkified(text: str) -> list[list[list[list[str]]]]:
    """Paragraphs -> lines -> [text, link] segments, exactly one of the two non-empty, for
    a template that escapes every value: links stay clickable and nothing else becomes
    markup. The template tests which one is set (`{% if link %}`), never compares a
    value, so emails rendered together (service.mail.personalize) keep their links."""
    paragraphs = []
    for block in _PARAGRAPH_BREAK.split(text.strip()):
        lines = []
        for line in block.split("\n"):
            segments, pos = [], 0
            for match in _URL.finditer(line):
                url = match.group().rstrip(_URL_TAIL)
                if not url.split("://", 1)[1]:  # "http://." is not a link
                    continue
                if match.start() > pos:
                    segments.append([line[pos : match.start()], ""])
                segments.append(["", url])
                pos = match.start() + len(url)
            if pos < len(line):
                segments.append([line[pos:], ""])
            lines.append(segments)
        paragraphs.append(lines)
    return paragraphs


_SAMPLE_TEXT = (
    "Hi Margaret,\n\nTry this: paste your meeting notes into the assistant and ask for "
    '"a one-page summary with decisions and owners".\nThis guide helped me: '
    "https://example.org/ai-notes\n\nSam"
)


@email(
    "relay",
    category="relay",
    words=("body_text", "paragraphs", "left_out"),
    reason=_l(
        "You get this because your partner this week replied in your thread. "
        "Reply to this email to answer them; neither of you sees the other's address."
    ),
    list_mail=False,
    auto_submitted=False,  # a person wrote it: auto-responders may answer, as to any mail
    sample={
        "author_name": "Sam",
        "thread_subject": "This week: let an AI assistant summarise your meeting notes",
        "body_text": _SAMPLE_TEXT,
        "paragraphs": linkified(_SAMPLE_TEXT),
        "left_out": ["slides.pdf"],
    },
)
def relay_email(author_name: str, thread_subject: str, body: str, left_out: list[str]) -> dict:
    return {
        "author_name": author_name,
        "thread_subject": thread_subject,
        "body_text": body,
        "paragraphs": linkified(body),
        "left_out": left_out,
    }


@email(
    "thanks",
    category="relay",
    reason=_l("You get this because the learner you gave a tip to this week thanked you."),
    list_mail=False,
    sample={
        "learner_name": "Margaret",
        "thread_subject": "This week: share the one prompt you wish you had known on day one",
        "thanks_count": 3,
    },
)
def thanks_email(learner_name: str, thread_subject: str, thanks_count: int) -> dict:
    return {
        "learner_name": learner_name,
        "thread_subject": thread_subject,
        "thanks_count": thanks_count,
    }


@email(
    "command_confirmation",
    category="command",
    reason=_l("You get this because you replied to one of our emails with a command."),
    list_mail=False,
    sample={
        "command": "pause",
        "thread_subject": "This week: ask your tip-giver which two accounts they follow",
        "partner_name": "Sam",
        "role": "learner",
        "weeks": 2,
        "until": "Monday 14 December",
    },
)
def command_confirmation_email(
    command: str,
    thread_subject: str,
    partner_name: str,
    role: str,
    weeks: int | None = None,
    until: str | None = None,
) -> dict:
    return {
        "command": command,
        "thread_subject": thread_subject,
        "partner_name": partner_name,
        "role": role,
        "weeks": weeks,
        "until": until,
    }


@email(
    "not_relayed",
    category="relay",
    words=("subject",),
    reason=_l("You get this because you sent an email to one of our reply addresses."),
    list_mail=False,
    sample={"problem": "not_owner", "subject": "Re: This week: try an AI assistant"},
)
def not_relayed_email(problem: str, subject: str) -> dict:
    return {"problem": problem, "subject": subject}
