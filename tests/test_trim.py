"""Tests for the reply trimmer (service/inbound/trim.py) and its evaluator."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from service.inbound.trim import classify, split_reply, trim_reply
from service.inbound.trim_eval import (
    EvalResult,
    case_names,
    evaluate,
    format_report,
    main,
    normalise,
)

# The shared corpus lives next to the project checkout, not inside it.
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "reply-trimming"
ACCURACY_TARGET = 0.97

# Corpus cases the trimmer is known to get wrong, each with the reason.
# They are xfail(strict=True): fixing one makes the suite say so.
KNOWN_MISSES: dict[str, str] = {}


def _corpus_or_skip() -> Path:
    if CORPUS.is_dir():
        return CORPUS
    if os.environ.get("CI") == "true":
        pytest.fail(f"reply-trimming corpus missing at {CORPUS} (required when CI=true)")
    pytest.skip(f"reply-trimming corpus not found at {CORPUS}")


def _corpus_params() -> list:
    if not CORPUS.is_dir():
        return [pytest.param(None, id="corpus-missing")]
    return [
        pytest.param(
            name,
            id=name,
            marks=[pytest.mark.xfail(strict=True, reason=KNOWN_MISSES[name])]
            if name in KNOWN_MISSES
            else [],
        )
        for name in case_names(CORPUS)
    ]


# ------------------------------------------------------------------ corpus


@pytest.mark.parametrize("name", _corpus_params())
def test_corpus_case(name):
    corpus = _corpus_or_skip()
    body = (corpus / f"{name}.txt").read_bytes().decode("utf-8")
    expected = (corpus / f"{name}.expected.txt").read_bytes().decode("utf-8")
    assert normalise(trim_reply(body)) == normalise(expected)


def test_corpus_accuracy():
    result = evaluate(_corpus_or_skip())
    assert result.total == 64
    assert result.accuracy >= ACCURACY_TARGET, format_report(result)


# ----------------------------------------------------------- unseen replies

UNSEEN = {
    "gmail_english": (
        "Sounds good, see you Thursday.\n\n"
        "On Wed, Dec 2, 2026 at 9:14 AM Ana Lopez <ana@example.com> wrote:\n\n"
        "> Can we meet on Thursday?\n>\n> Ana\n",
        "Sounds good, see you Thursday.",
    ),
    "gmail_wrapped_header": (
        "Yes.\n\nOn Wed, Dec 2, 2026 at 9:14 AM Ana Lopez via Turnabout <\n"
        "reply+abc@turnabout.example> wrote:\n\n> Ready?\n",
        "Yes.",
    ),
    "outlook_desktop": (
        "Thanks, that fixed it.\n\nBest,\nTom\n\n"
        "From: Turnabout <hello@turnabout.example>\n"
        "Sent: Tuesday, December 1, 2026 4:05 PM\n"
        "To: Tom Baker <tom@example.com>\n"
        "Subject: RE: Your weekly challenge\n\n"
        "Hi Tom, try restarting the app.\n",
        "Thanks, that fixed it.\n\nBest,\nTom",
    ),
    "outlook_separator": (
        "Done.\n\n________________________________\n"
        "From: Mia <mia@example.com>\nSent: Monday\nTo: Tom\nSubject: Task\n\nPlease do it.\n",
        "Done.",
    ),
    "apple_mail": (
        "Great news!\n\nSent from my iPhone\n\n"
        "On 3 Dec 2026, at 10:02, Jane Roe <jane@example.org> wrote:\n\n"
        "> The release is out.\n",
        "Great news!",
    ),
    "german": (
        "Passt, danke!\n\n"
        "Am Do., 3. Dez. 2026 um 10:02 Uhr schrieb Jana Roth <jana@example.de>:\n"
        "> Passt Donnerstag?\n",
        "Passt, danke!",
    ),
    "german_outlook": (
        "Erledigt.\n\n-----Ursprüngliche Nachricht-----\n"
        "Von: Jana Roth <jana@example.de>\nGesendet: Donnerstag, 3. Dezember 2026 10:02\n"
        "An: Tom\nBetreff: Aufgabe\n\nBitte erledigen.\n",
        "Erledigt.",
    ),
    "french": (
        "Parfait, merci.\n\n"
        "Le jeu. 3 déc. 2026 à 10:02, Julie Martin <julie@example.fr> a écrit :\n"
        "> On se voit jeudi ?\n",
        "Parfait, merci.",
    ),
    "spanish": (
        "Perfecto.\n\nEnviado desde mi iPhone\n\n"
        "El jue, 3 dic 2026 a las 10:02, Lucía Pérez (<lucia@example.es>) escribió:\n"
        "> ¿Nos vemos el jueves?\n",
        "Perfecto.",
    ),
    "dutch": (
        "Prima, tot dan.\n\nVerzonden vanaf mijn iPhone\n\n"
        "Op 3 dec. 2026 om 10:02 heeft Sanne de Vries <sanne@example.nl> het volgende "
        "geschreven:\n\n> Donderdag?\n",
        "Prima, tot dan.",
    ),
    "italian": (
        "Va bene.\n\nInviato da iPhone\n\n"
        "Il giorno 3 dic 2026, alle ore 10:02, Marco Rossi <marco@example.it> ha scritto:\n\n"
        "> Giovedì?\n",
        "Va bene.",
    ),
    "portuguese": (
        "Combinado.\n\n"
        "Em qui., 3 de dez. de 2026 às 10:02, João Silva <joao@example.pt> escreveu:\n\n"
        "> Quinta-feira?\n",
        "Combinado.",
    ),
    "list_with_from_lines": (
        "Here is who signs each part:\n\n"
        "- From: the team\n- From: the mentors\n- From: the learners\n\nThanks!\n",
        "Here is who signs each part:\n\n"
        "- From: the team\n- From: the mentors\n- From: the learners\n\nThanks!",
    ),
    "from_line_in_prose": (
        "I checked the bounce.\nFrom: headers were rewritten by the list server.\n"
        "That explains the SPF failure.\n",
        "I checked the bounce.\nFrom: headers were rewritten by the list server.\n"
        "That explains the SPF failure.",
    ),
    "signature_delimiter": ("See you then.\n\n-- \nJane\n+1 555 0100\n", "See you then."),
    "sent_from_iphone": ("Yes please.\n\nSent from my iPhone\n", "Yes please."),
    "mobile_signoff_mid_text": (
        "First answer.\nVon meinem iPhone gesendet\nSecond thought.\n",
        "First answer.\nSecond thought.",
    ),
    "get_outlook": ("Ok!\n\nGet Outlook for iOS<https://aka.ms/o0ukef>\n", "Ok!"),
    "forwarded_gmail": (
        "FYI\n\n---------- Forwarded message ---------\nFrom: A <a@example.com>\n"
        "Date: Mon, Nov 30, 2026 at 8:00 AM\nSubject: Hi\nTo: <b@example.com>\n\nBody\n",
        "FYI",
    ),
    "bottom_posted": (
        "On Mon, Nov 30, 2026 at 8:00 AM Bo <bo@example.com> wrote:\n"
        "> What time?\n\nNoon works for me.\n",
        "Noon works for me.",
    ),
    "interleaved": (
        "On Mon, Nov 30, 2026 at 8:00 AM Bo <bo@example.com> wrote:\n"
        "> What time?\n\nNoon.\n\n> Where?\n\nThe usual place.\n",
        "> What time?\n\nNoon.\n\n> Where?\n\nThe usual place.",
    ),
    "code_fence_and_indent": (
        "Try this:\n\n```\n-- comment in SQL\n> not a quote\n```\n\n    indented()\n\nBye\n",
        "Try this:\n\n```\n-- comment in SQL\n> not a quote\n```\n\n    indented()\n\nBye",
    ),
    "markdown_rule_kept": ("Part one\n\n---\n\nPart two\n", "Part one\n\n---\n\nPart two"),
    "prose_on_with_digit": (
        "On 3 occasions the job failed.\nI wrote a fix.\n",
        "On 3 occasions the job failed.\nI wrote a fix.",
    ),
    "text_then_one_line_header": (
        "We have 3 options here.\n"
        "On Tue, Dec 1, 2026 at 7:00 PM Kim <kim@example.com> wrote:\n> Options?\n",
        "We have 3 options here.",
    ),
    "short_attribution_above_quote": (
        "Agreed.\n\nKim wrote:\n> Ship it on Friday.\n",
        "Agreed.",
    ),
    "chinese": (
        "好的，谢谢。\n\n发自我的iPhone\n\n"
        "在 2026年12月3日，上午10:02，王伟 <wei@example.cn> 写道：\n\n> 周四见？\n",
        "好的，谢谢。",
    ),
    "russian_outlook": (
        "Готово.\n\nОт: Иван <ivan@example.ru>\nОтправлено: 3 декабря 2026 г. 10:02\n"
        "Кому: Олег\nТема: Задача\n\nСделай, пожалуйста.\n",
        "Готово.",
    ),
    "polish": (
        "Tak.\n\nWysłane z mojego iPhone'a\n\nW dniu 3.12.2026 o 10:02, Jan pisze:\n> Czwartek?\n",
        "Tak.",
    ),
    "russian_gmail_no_verb": (
        "Да.\n\nчт, 3 дек. 2026 г. в 10:02, Иван <ivan@example.ru>:\n\n> Четверг?\n",
        "Да.",
    ),
    "horde_quoting": ("Ok\n\nQuoting Jan <jan@example.nl>:\n\n> q\n", "Ok"),
    "prose_ending_in_wrote_kept": (
        "I asked bob@example.com and he wrote:\nthat he agrees.\n",
        "I asked bob@example.com and he wrote:\nthat he agrees.",
    ),
    "pasted_log_lines_kept": (
        "Log:\n2026-12-03 10:02:01 +0100 worker started\n2026-12-03 10:02:09 +0100 died\n",
        "Log:\n2026-12-03 10:02:01 +0100 worker started\n2026-12-03 10:02:09 +0100 died",
    ),
    "sent_from_in_prose_kept": (
        "Mail from Windows users bounced.\nSent from the office, the fax arrived.\n",
        "Mail from Windows users bounced.\nSent from the office, the fax arrived.",
    ),
    "quote_only": ("> just a quote\n", "> just a quote"),
    "crlf": (
        "Line one\r\nLine two\r\n\r\nOn Mon, Nov 30, 2026, X <x@y.z> wrote:\r\n> q\r\n",
        "Line one\nLine two",
    ),
}


@pytest.mark.parametrize("body, expected", UNSEEN.values(), ids=UNSEEN.keys())
def test_unseen_reply(body, expected):
    assert normalise(trim_reply(body)) == normalise(expected)


@pytest.mark.parametrize("body", ["", "   \n\n  \n"])
def test_empty_input(body):
    assert trim_reply(body) == ""
    assert split_reply(body) == ("", "")


def test_split_reply_returns_the_elided_part():
    kept, elided = split_reply("Hi\n\nOn Mon, Nov 30, 2026, X <x@y.z> wrote:\n> old\n")
    assert kept == "Hi"
    assert elided == "On Mon, Nov 30, 2026, X <x@y.z> wrote:\n> old"


def test_leading_indentation_is_kept():
    assert trim_reply("    code first\nthen text\n") == "    code first\nthen text"


def test_classify_kinds():
    lines = ["Hi", "", "> q", "--", "Sent from my iPhone", "From: x", "Sent: y", "To: z"]
    assert "".join(classify(lines)) == "teqdsbbb"


# -------------------------------------------------------------- evaluator


def _write_case(directory: Path, name: str, body: str, expected: str) -> None:
    (directory / f"{name}.txt").write_text(body, encoding="utf-8")
    (directory / f"{name}.expected.txt").write_text(expected, encoding="utf-8")


def test_normalise_follows_the_corpus_rules():
    assert normalise("\r\n\na  \r\n\n\n\n  b\t\rc\n\n") == "a\n\n  b\nc"


def test_report_lists_failures_and_ends_with_accuracy(tmp_path):
    _write_case(tmp_path, "good", "Hi\n\nOn Mon, Nov 30, 2026, X <x@y.z> wrote:\n> q\n", "Hi\n")
    _write_case(tmp_path, "bad", "Keep me\n", "Something else\n")
    _write_case(tmp_path, "third", "Hello\n", "Hello")
    (tmp_path / "orphan.txt").write_text("no expected file", encoding="utf-8")

    result = evaluate(tmp_path)
    report = format_report(result)

    assert isinstance(result, EvalResult)
    assert (result.passed, result.total) == (2, 3)
    assert report.splitlines()[-1] == "accuracy: 0.667 (2/3)"
    assert "FAIL bad" in report and "-Something else" in report and "+Keep me" in report
    assert "good" not in report


def test_main_exit_codes(tmp_path, capsys):
    assert main(tmp_path) == 1  # no cases
    _write_case(tmp_path, "one", "Hello\n", "Hello\n")
    assert main(tmp_path) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "accuracy: 1.000 (1/1)"
    assert main(tmp_path / "missing") != 0
