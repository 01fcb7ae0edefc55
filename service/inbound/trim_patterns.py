r"""Regular expressions behind :mod:`service.inbound.trim`.

Kept apart from the decision logic so the (long, multilingual) vocabularies can
grow without obscuring the algorithm. Everything is compiled once at import.

The patterns describe *shapes* of lines that mail clients generate, not literal strings
from any particular message: an attribution is "a date or an address plus a localised
verb of writing", an Outlook block is "three or more localised header fields in a row",
a sign-off is "a localised *sent from* phrase naming a device or one's own phone".

No pattern may backtrack more than linearly: unbounded repeats that can match the
same characters (``[\s*_]+$`` searched over spaces, ``--\s*\s*$``) are string
strips or bounded repeats instead, and searches run on bounded slices of a line.
"""

from __future__ import annotations

import re

_I = re.IGNORECASE

# Every character ``\s`` matches (``str.isspace``; none is above U+3000), for
# ``str.strip``, which is linear where a ``[\s...]+$`` search is quadratic.
WHITESPACE = "".join(c for c in map(chr, range(0x3001)) if c.isspace())


def _alternation(words: list[str]) -> str:
    """Longest first, so "napisał(a)" wins over "napisał"; spaces match any run."""
    return "|".join(w.replace(" ", r"\s+") for w in sorted(words, key=len, reverse=True))


# --------------------------------------------------------------- basic shapes

# The look-behind makes a search start only where an address can start: without
# it, a long run of letters costs quadratic time.
EMAIL = r"(?<![\w.+'=-])[\w.+'=-]+@[\w-]+(?:\.[\w-]+)+"
# Digits glued to CJK characters ("2016年") have no \b, hence look-arounds.
_YEAR = r"(?<!\d)(?:19|20)\d{2}(?!\d)"
_TIME = r"(?<!\d)\d{1,2}[:.h]\d{2}(?!\d)"
# A date at the very start of a line, as Gmail and others localise it:
# 2016-10-24, 2013/7/20, 16.08.2014, 6/16/2016, 2016年12月12日, 20 окт. 2016, 23 mar 2017.
_DATE_START = (
    r"(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}"
    r"|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}"
    r"|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
    r"|\d{1,2}\.?\s+[^\W\d_]{3,12}\.?,?\s+\d{4})"
)

# An attribution names a date, a time or an address; prose rarely ends in
# "wrote:" *and* contains one. A time or a bracketed address is strong enough on
# its own; a bare year or address only right above a quote.
STRONG_EVIDENCE_RE = re.compile(rf"{_TIME}|(?:<|&lt;)\s*(?:mailto:)?{EMAIL}")
WEAK_EVIDENCE_RE = re.compile(rf"{EMAIL}|{_YEAR}")

# --------------------------------------------------------------- attributions

# Localised verbs that end (or sit inside) "On <date>, <name> wrote:".
# fmt: off
_WROTE_WORDS = [
    "wrote", "writes", "has written",  # en
    "schrieb", "geschrieben",  # de ("hat ... geschrieben")
    "a écrit", "a ecrit", "écrit",  # fr
    "escribió", "escribio", "ha escrito",  # es
    "escreveu",  # pt
    "schreef", "geschreven",  # nl ("... het volgende geschreven")
    "ha scritto", "scrisse",  # it
    "skrev", "skrev følgende",  # sv, no, da
    r"napisał\(a\)", "napisała", "napisał", "pisze",  # pl
    r"написал\(а\)", "написала", "написал", "пишет",  # ru
    "написав", "пише",  # uk
    r"napsal\(a\)", "napsala", "napsal",  # cs
    "a scris",  # ro
    "írta",  # hu
    "kirjoitti",  # fi
    "yazdı",  # tr
    "έγραψε",  # el
    "đã viết",  # vi
]
# fmt: on
_WROTE_CJK = ["写道", "寫道", "님이 작성", "작성"]  # zh-Hans, zh-Hant, ko: no word boundaries
WROTE = (
    rf"(?:(?<!\w)(?:{_alternation(_WROTE_WORDS)})(?!\w)"
    rf"|{_alternation(_WROTE_CJK)})"
)
_COLON = r"[:：]"
_VERB_END = rf"{WROTE}[\s:：\-]*$"

# Words that open an attribution: On / Le / Am / El / Em / Op / Il / Den / Dnia ...
# fmt: off
_ON_WORDS = [
    "On", "At", "Le", "Am", "El", "Em", "No dia", "Op", "Il", "Il giorno", "Den", "Dnia",
    "W dniu", "Dne", "Pe", "Ο", "Στις", "在", "Vào", "Vào lúc",
]
# fmt: on
_ON_START = rf"(?:{_alternation(_ON_WORDS)})(?!\w)"

# Attributions end in a verb of writing, ":", ">" or "-" (or name "GMT"): a cheap test.
HEADER_ENDINGS = (":", "：", ">", "-", *_WROTE_CJK)
WROTE_LAST_WORDS = frozenset(w.replace("\\", "").split()[-1].lower() for w in _WROTE_WORDS)

# How an attribution opens: an On-word soon followed by a digit, or a date (also
# after a lowercase weekday, as Gmail writes pl, ru...: "pon., 30 lis 2026", "чт, 3 дек.").
ON_WORD_WITH_DIGIT_RE = re.compile(rf"{_ON_START}\s(?=[^\n]{{0,40}}\d)", _I)
DATE_START_RE = re.compile(_DATE_START, _I)
WEEKDAY_DATE_START_RE = re.compile(rf"[^\W\d_]{{2,6}}\.?,?\s+{_DATE_START}", _I)
YEAR_OR_TIME_RE = re.compile(rf"{_YEAR}|{_TIME}")
# Clients that open with a phrase: Apple Mail in Polish ("Wiadomość napisana przez X
# <x@y> w dniu 30.11.2026, o godz. 09:14:"), Horde in German ("Zitat von X <x@y>:").
_LEAD = r"(?:Wiadomość napisana przez|Zitat von)"
LEAD_PHRASE_RE = re.compile(rf"^{_LEAD}\s[^\n]{{1,250}}?{_COLON}\s*$", _I)
# Where a header typed on the reply's own line may start: after a sentence end.
SENTENCE_BREAK_RE = re.compile(r"(?<=[.!?…。！？])\s+(?=\S)")

# S1: anything ending in a verb of writing (single lines only, needs evidence).
VERB_FINAL_RE = re.compile(rf"^.{{0,250}}?{_VERB_END}", _I)
# S2: "On <...digit...> ... wrote:" / "Am 3.2.2016 schrieb X <x@y>:" / "Den 15. jun. skrev X:".
ON_DATE_RE = re.compile(
    rf"^{_ON_START}(?=[^\n]*\d)[^\n]{{0,300}}?(?:{_VERB_END}|{WROTE}[^\n]{{0,200}}{_COLON}\s*$)",
    _I,
)
# S3: "2016-10-24 15:36 GMT+02:00 Name <x@y>:" / "2013/7/20 Name <x@y>" / "... napisał(a):".
# Without an address only Gmail's exact "GMT+01:00 Name" form counts, so pasted
# log lines ("2024-01-05 10:00 +0100 worker started") stay text.
DATE_FIRST_RE = re.compile(
    rf"^{_DATE_START}[^\n]{{0,250}}?"
    rf"(?:{_VERB_END}|<\s*(?:mailto:)?{EMAIL}\s*>+\s*(?:{_COLON}\s*)?$"
    rf"|\sGMT[+-]\d{{1,2}}:\d{{2}}\s+[^:\n]{{1,80}}$)",
    _I,
)
# S4: "Name <x@y> wrote:" / "Name <x@y> schrieb am Fr., 28. Apr. 2017 um 11:53 Uhr:".
NAME_EMAIL_VERB_RE = re.compile(
    rf"^\s*[^\s<>@][^<>@\n]{{0,120}}?<\s*(?:mailto:)?{EMAIL}\s*>+\s*{WROTE}"
    rf"(?:[\s:：\-]*$|\s[^\n]{{0,100}}{_COLON}\s*$)",
    _I,
)
# Gmail in several locales (ru, ja, ...) and Horde ("Quoting X <x@y>:") use no
# verb at all: the line just ends in the bracketed address and a colon.
ADDRESS_COLON_END_RE = re.compile(rf"(?:<|&lt;)\s*(?:mailto:)?{EMAIL}\s*(?:>|&gt;)+\s*{_COLON}\s*$")
YEAR_RE = re.compile(_YEAR)
TIME_RE = re.compile(_TIME)
# "Sam wrote:" with no date or address: only trusted right above a quote.
SHORT_ATTRIBUTION_RE = re.compile(rf"^.{{1,100}}?{WROTE}\s*{_COLON}\s*$", _I)

# Separators that announce a whole earlier message follows.
# fmt: off
_ORIGINAL_MESSAGE = [
    "Original Message", "Forwarded message", "Forwarded e-?mail",  # en
    "Ursprüngliche Nachricht", "Weitergeleitete Nachricht",  # de
    "Message d'origine", "Message original", "Message transféré",  # fr
    "Mensaje original", "Mensaje reenviado",  # es
    "Mensagem original", "Mensagem encaminhada",  # pt
    "Oorspronkelijk bericht", "Origineel bericht", "Doorgestuurd bericht",  # nl
    "Messaggio originale", "Messaggio inoltrato",  # it
    "Ursprungligt meddelande", "Vidarebefordrat meddelande",  # sv
    "Opprinnelig melding", "Videresendt melding", "Oprindelig meddelelse",  # no, da
    "Oryginalna wiadomość", "Wiadomość oryginalna", "Przekazana wiadomość",  # pl
    "Исходное сообщение", "Пересылаемое сообщение", "Пересланное сообщение",  # ru
    "Вихідне повідомлення", "Пересланий лист",  # uk
    "原始邮件", "原始郵件", "转发邮件", "轉寄郵件",  # zh
]
# fmt: on
SEPARATOR_RE = re.compile(rf"^-{{2,}}\s*(?:{_alternation(_ORIGINAL_MESSAGE)})\s*-{{2,}}$", _I)
# fmt: off
_BEGIN_FORWARD = [
    "Begin forwarded message", "Anfang der weitergeleiteten Nachricht",
    "Début du message réexpédié", "Début du message transféré",
    "Inicio del mensaje reenviado", "Início da mensagem reencaminhada",
    "Begin doorgestuurd bericht", "Inizio messaggio inoltrato",
    "Vidarebefordrat brev", "Videresendt melding", "Początek przekazywanej wiadomości",
    "Начало переадресованного сообщения",
]
# fmt: on
BEGIN_FORWARD_RE = re.compile(rf"^(?:{_alternation(_BEGIN_FORWARD)})\s*{_COLON}?$", _I)

# ------------------------------------------------------- Outlook header fields

# fmt: off
_HEADER_NAMES = [
    "From", "Sent", "Date", "To", "Cc", "Bcc", "Subject", "Reply-To",  # en
    "Von", "Gesendet", "Datum", "An", "Betreff", "Kopie", "Antwort an",  # de
    "De", "Envoyé", "Envoye", "À", "A", "Objet", "Répondre à",  # fr
    "Enviado", "Enviado el", "Para", "Asunto", "Fecha", "Responder a",  # es
    "Enviada", "Enviada em", "Assunto", "Data",  # pt
    "Van", "Verzonden", "Aan", "Onderwerp", "Beantwoorden",  # nl
    "Da", "Inviato", "Oggetto", "Risposta", "Rispondi a",  # it
    "Från", "Skickat", "Till", "Ämne", "Kopia",  # sv
    "Fra", "Sendt", "Til", "Emne", "Kopi", "Dato",  # no, da
    "Od", "Wysłano", "Wysłane", "Do", "Temat", "DW",  # pl
    "От", "Отправлено", "Дата", "Кому", "Копия", "Тема",  # ru
    "Від", "Надіслано", "Копія",  # uk
    "Lähettäjä", "Lähetetty", "Vastaanottaja", "Aihe",  # fi
    "Odesláno", "Komu", "Předmět",  # cs
    "发件人", "發件人", "寄件者", "发送时间", "發送時間", "收件人", "收件者",  # zh
    "主题", "主旨", "抄送", "日期",
    "差出人", "送信日時", "宛先", "件名",  # ja
    "Từ", "Đã gửi", "Đến", "Chủ đề", "Ngày",  # vi
]
# fmt: on
# "From: x", "*From:* x", "De : x" (French spacing), "发件人：x".
HEADER_FIELD_RE = re.compile(
    rf"^\s*\*{{0,2}}(?:{_alternation(_HEADER_NAMES)})"
    rf"\s?\*{{0,2}}\s?{_COLON}\*{{0,2}}(?:\s.*)?$",
    _I,
)

# ----------------------------------------------------------- line categories

# Blank, or nothing but quote markers / invisible characters.
EMPTY_RE = re.compile(r"^[\s>\u200b\u200c\u200d\u2060\ufeff]*$")
# ">" quoting, nested "> >", and supercite "Name>" / "C>" prefixes.
QUOTE_RE = re.compile(r"^\s*(?:>|[A-Z][A-Za-z]{0,15}>(?:\s|$))")
QUOTE_PREFIX_RE = re.compile(r"^(?:\s*(?:>|[A-Z][A-Za-z]{0,15}>(?=\s|$)))+\s*")
# "--" / "-- " (RFC 3676), "__…" and long dash rules (Outlook, Gmail, Yahoo).
# Shorter dash runs ("---") are Markdown rules and stay text.
DELIMITER_RE = re.compile(r"^\s*(?:--|\*?_{2,}\*?|\*?-{5,}\*?)\s*$")
# Code fences are honoured only when closed, so a stray ``` cannot hide a quote.
FENCE_RE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
# Decoration stripped around attributions: "---- On ... wrote ----", "*--- Original ---*".
DECORATION_LEAD = WHITESPACE + ">*_"
DECORATION_TRAIL = WHITESPACE + "*_"
# A line that plainly ends a sentence cannot open a wrapped attribution.
SENTENCE_END_RE = re.compile(r"(?:(?<![^\W\d_])[^\W\d_]{4,}[.!?]|[!?])[\"')\]]*$")

# ------------------------------------------------------------- sign-offs

_DEVICES = (
    r"(?:i\s?phone|i\s?pad|i\s?pod|android|mobile|mobil\w*|phone|cell\w*|tablet|galaxy|"
    r"samsung|blackberry|huawei|xiaomi|pixel|nokia|htc|motorola|oneplus|windows|outlook|"
    r"mail|mailbox|airmail|gmail|yahoo|aol|spark|superhuman|device|smartphone|handy|"
    r"t[ée]l[ée]phone|m[óo]vil|celular|telefoon|telefono|telefon|телефон\w*)"
)
_HANDHELDS = r"(?:i\s?phone|i\s?pad|i\s?pod|android|mobile|phone|cell|tablet|smartphone)"
# (localised "sent from/with" phrase, localised "my")
# fmt: off
_SENT_PHRASES = [
    (r"sent\s+(?:from|via|with|by|using|on)", r"my"),
    (r"envoy[ée]e?\s+(?:depuis|de|à partir de|a partir de|avec|par|via)", r"mon|ma"),
    (r"enviad[oa]\s+(?:desde|con|a través de|por|de|do|da|pelo|pela|com|via)",
     r"mi|meu|minha"),
    (r"(?:verzonden|verstuurd)\s+(?:vanaf|met|van|via)", r"mijn"),
    (r"inviato\s+(?:da|dal|dalla|con|tramite)", r"il mio|mio|mia"),
    (r"gesendet\s+(?:von|mit|vom|über)", r"meinem|meiner"),
    (r"skickat\s+(?:från|med|via)", r"min|mitt"),
    (r"sendt\s+(?:fra|med|via)", r"min|mitt|mit"),
    (r"wysłane\s+(?:z|ze|przez)", r"mojego|mojej"),
    (r"отправлено\s+(?:с|со|из|через)", r"моего|моей"),
    (r"надіслано\s+(?:з|із|через)", r"мого|моєї"),
    (r"lähetetty", r"minun"),
    (r"(?:được\s+)?gửi\s+từ", r"điện thoại|thiết bị"),
]
# fmt: on
_SIGNOFFS = [
    rf"(?:{phrase})\s+(?:(?:{mine})\s+.{{1,70}}|.{{0,40}}\b{_DEVICES}\b.{{0,40}})"
    for phrase, mine in _SENT_PHRASES
]
_SIGNOFFS += [
    # "Get Outlook for iOS" as each locale says it, the link already removed.
    r"(?:get|download|obtenir|obtener|obter|obter o|scarica|pobierz|tải)\s+outlook"
    r"\s+(?:for|pour|para|per|dla|cho)\s+\w+",
    r"outlook\s+(?:für|voor)\s+\w+\s+(?:beziehen|herunterladen|downloaden)",
    # "Von meinem iPhone gesendet", "Diese Nachricht wurde von meinem ... gesendet."
    r"(?:diese nachricht wurde\s+)?(?:von|mit)\s+(?:meinem|meiner|einem)\s+.{1,80}\s+gesendet",
    # "Someone from mobile", "From my iPhone 6", "Typed from my phone"; handhelds
    # only, so "Mail from Windows users bounced" stays text.
    rf"(?:\w+\s+)?from\s+(?:my\s+)?{_HANDHELDS}(?:\s+(?:\d+\w*|pro|max|plus|mini|se))?",
    # Chinese, Japanese, Korean client defaults.
    r"(?:发自|發自|来自|來自|寄自|从|從)我的.{1,30}",
    r".{1,30}(?:から送信|에서 보냄)",
    # A lone middle dot some tracking add-ons append to every message.
    r"[\u1427\u00b7\u2022]",
]
SIGNOFF_RE = re.compile(rf"(?:{'|'.join(_SIGNOFFS)})[\s.!]*", _I)
SIGNOFF_MAX_CHARS = 100

# Stripped before matching sign-offs: URLs, markdown link targets and wrappers
# such as "<<sent by galaxy>>" or "(Sent from mobile device)".
LINK_TARGET_RE = re.compile(
    r"\]\([^)\s]{0,500}\)|<https?://[^>\s]{0,500}>|\(https?://[^)\s]{0,500}\)|https?://\S+"
)
WRAPPER_LEAD = WHITESPACE + "(<[*_"
WRAPPER_TRAIL = WHITESPACE + ")>]*_"

# --------------------------------------------------- answers announced inline

# "See my answers inline / below / in red", in the languages of the headers above.
# fmt: off
_ANNOUNCEMENTS = [
    "inline", "in-line", "interleaved", "below", "in red", "in blue", "in bold",  # en
    "siehe unten", "unten", "im Text", "in Rot", "in Blau",  # de
    "ci-dessous", "dans le texte", "en rouge", "en bleu",  # fr
    "abajo", "debajo", "entre líneas", "en rojo", "en azul",  # es
    "hieronder", "in het rood", "in het blauw",  # nl
    "qui sotto", "di seguito", "in rosso", "in blu",  # it
    "abaixo", "em vermelho", "em azul",  # pt
    "poniżej", "w treści", "na czerwono",  # pl
    "bên dưới", "ở dưới", "màu đỏ",  # vi
]
# fmt: on
ANNOUNCEMENT_RE = re.compile(rf"(?<!\w)(?:{_alternation(_ANNOUNCEMENTS)})(?!\w)", _I)
