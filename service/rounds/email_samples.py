"""Realistic sample values for the round's emails: the template tests render every
email with them, and the admin's live preview fills the people it does not have."""

SAMPLE_CHALLENGE = {
    "theme": "Tech-savvy prowess",
    "title": "Draft a document you owe this week with an AI assistant",
    "task_html": "<p>Pick one document you owe this week and ask an AI assistant for a "
    "first draft. Then <strong>edit it yourself</strong>.</p>",
    "task_text": "Pick one document you owe this week and ask an AI assistant for a "
    "first draft. Then edit it yourself.",
    "prompt_html": "<p>What is the one prompt you wish someone had shown you on day one?</p>",
    "prompt_text": "What is the one prompt you wish someone had shown you on day one?",
    "links": [{"title": "A short guide to prompts", "url": "https://example.org/prompts"}],
}
SAMPLE_URL = "https://turnabout.example/a/sample-token"
SAMPLE_ANSWERS = {"tried": SAMPLE_URL, "help": SAMPLE_URL, "skip": SAMPLE_URL}
SAMPLE_TIPS = [
    {
        "html": "<p>Tell the assistant who will read the draft and what it is for.</p>",
        "text": "Tell the assistant who will read the draft and what it is for.",
        "credit": "Priya",
    }
]
SAMPLE_RATINGS = [{"value": str(n), "url": SAMPLE_URL} for n in range(1, 6)]
