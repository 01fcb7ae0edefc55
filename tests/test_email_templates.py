"""Every email the service can send: renders with its sample data, one-line subject, a
readable text part, no defects, good deliverability, and fits a 375 px phone screen."""

from __future__ import annotations

import re
import shutil
import subprocess
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest

from service.mail.catalog import KINDS, SAMPLES
from service.mail.compose import compose
from service.mail.render import render_email, template_names
from tests.helpers import CHROMIUM, CHROMIUM_ARGS, email_row, require

SPAM_LIMIT = 1.0


@pytest.fixture
def samples(ctx):
    """(kind name, parsed email.message.EmailMessage, raw bytes) for every declared kind."""
    assert "mail_check" in KINDS, "the app did not import its email declarations"
    result = []
    for n, name in enumerate(sorted(KINDS), start=1):
        raw = bytes(compose(email_row(name, n, SAMPLES[name])).to_email_message())
        result.append((name, BytesParser(policy=policy.default).parsebytes(raw), raw))
    return result


def test_every_template_folder_is_a_declared_email(ctx):
    folders = set(template_names())
    assert folders == set(KINDS), "each email_templates/ folder needs an @email declaration"


def test_every_template_renders_with_its_sample(ctx):
    for name in KINDS:
        rendered = render_email(name, {**base_context(), **SAMPLES[name]})
        assert rendered.subject and "\n" not in rendered.subject, name
        assert len(rendered.subject) <= 120, name
        assert len(rendered.text.strip()) > 40, name
        assert "<html" in rendered.html and "style=" in rendered.html, f"{name}: CSS not inlined"


def base_context() -> dict:
    return {
        "programme_name": "Turnabout",
        "base_url": "http://turnabout.test",
        "reason": "You get this because you subscribed.",
        "recipient_name": "Margaret",
        "preferences_url": "http://turnabout.test/p/t",
        "unsubscribe_url": "http://turnabout.test/u/t",
    }


def test_a_missing_variable_is_an_error_not_a_blank(ctx):
    from jinja2 import UndefinedError

    with pytest.raises(UndefinedError):
        render_email("mail_check", base_context())  # "backend" is missing


def test_messages_parse_without_defects_and_have_text_and_html(samples):
    for name, message, _ in samples:
        assert message.defects == [], name
        assert message.get_content_type() == "multipart/alternative", name
        for part in message.walk():
            assert part.defects == [], name
        text = message.get_body(preferencelist=("plain",)).get_content()
        assert re.search(r"[A-Za-z]{3,} [A-Za-z]{3,}", text), f"{name}: text part unreadable"
        assert message["Message-ID"].startswith("<") and message["Date"], name
        if KINDS[name].list_mail:
            assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click", name


def spam_scores(raws: list[bytes], folder: Path) -> list[tuple[float, str]]:
    """SpamAssassin's (score, rule names) for each message, in order: one `spamassassin`
    process checks them all (each run loads its rules for about a second of CPU; a run per
    message made the two spam tests of each language take 20 s)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n, raw in enumerate(raws):
        paths.append(folder / f"{n:03d}.eml")
        paths[-1].write_bytes(raw)
    # No auto-learning: what one run's messages taught the Bayes database would change
    # the next run's scores.
    command = ["spamassassin", "-L", "-t", "--cf=bayes_auto_learn 0", *map(str, paths)]
    result = subprocess.run(command, capture_output=True, timeout=300, check=True)
    out = result.stdout.decode(errors="replace")
    # Each message comes back with SpamAssassin's headers first, the checker's version first.
    checked = re.split(r"^(?=X-Spam-Checker-Version: )", out, flags=re.M)[1:]
    by_id = {}
    for text in checked:
        headers = BytesParser(policy=policy.default).parsebytes(text.encode(), headersonly=True)
        status = re.search(r"score=(-?[\d.]+).*?tests=(.*)", str(headers["X-Spam-Status"]), re.S)
        assert status, text[:2000]
        by_id[headers["Message-ID"]] = (float(status.group(1)), " ".join(status.group(2).split()))
    ids = [BytesParser(policy=policy.default).parsebytes(raw)["Message-ID"] for raw in raws]
    assert set(by_id) == set(ids), f"SpamAssassin checked {len(by_id)} of {len(raws)}: {out[:2000]}"
    return [by_id[mid] for mid in ids]


def test_spamassassin_scores_every_email_low(samples, tmp_path):
    require(shutil.which("spamassassin") is not None, "spamassassin is not installed")
    scores = dict(
        zip([s[0] for s in samples], spam_scores([s[2] for s in samples], tmp_path), strict=True)
    )
    too_high = {name: s for name, s in scores.items() if s[0] > SPAM_LIMIT}
    assert not too_high, f"SpamAssassin score above {SPAM_LIMIT}: {too_high}"


@pytest.mark.browser
def test_html_fits_a_375px_screen(samples, tmp_path):
    require(Path(CHROMIUM).exists(), f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    output = Path(__file__).parent / "output" / "emails"
    output.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 375, "height": 800})
        for name, message, _ in samples:
            page.set_content(message.get_body(preferencelist=("html",)).get_content())
            width = page.evaluate("document.documentElement.scrollWidth")
            page.screenshot(path=str(output / f"{name}.png"), full_page=True)
            assert width <= 375, f"{name} is {width}px wide at a 375px viewport"
        browser.close()
