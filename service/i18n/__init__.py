"""Languages: which one a page or an email is in, and rendering in a chosen one.

Every string in the code and the templates is English and goes through gettext; the
catalogues in service/translations/ hold the other languages (see README, *Languages*).

Which language:
- a page behind a signed link is in its subscriber's language: the view calls
  use_language(subscriber.language) before rendering;
- a public page follows the visible switch (`?lang=de`, remembered in a cookie), then
  the browser's Accept-Language, then the programme's default language;
- the admin console is English (its strings are in the catalogue, not yet translated);
- an email, in the web process or a worker, is rendered inside
  force_locale(language_of(subscriber)).
"""

from __future__ import annotations

from functools import cache, wraps
from types import SimpleNamespace

import flask_babel
from babel import Locale
from flask import (
    Flask,
    Request,
    current_app,
    g,
    has_app_context,
    has_request_context,
    request,
    url_for,
)
from flask_babel import Babel, force_locale, get_locale, refresh

from service.i18n import dates
from service.response_headers import add_vary
from service.settings import get_setting

__all__ = [
    "force_locale",
    "current_language",
    "language_of",
    "use_language",
    "supported_languages",
    "programme_language",
    "best_language",
    "language_choices",
    "per_language",
]

babel = Babel()
LANGUAGE_COOKIE = "lang"
SWITCH_PARAM = "lang"
_COOKIE_SECONDS = 365 * 24 * 3600
_UNREAD = object()  # programme_language not read yet in this request or job


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=_selected_locale)
    flask_babel._get_current_context = _babel_state
    app.jinja_env.policies["ext.i18n.trimmed"] = True  # a paragraph is one catalogue entry
    app.jinja_env.filters.update(
        day=dates.day,
        day_with_year=dates.day_with_year,
        short_date=dates.short_date,
        short_day=dates.short_day,
        weekday_date=dates.weekday_date,
        date_time=dates.date_time,
        weekday_time=dates.weekday_time,
    )
    app.after_request(_remember_switch)

    # Globals, not a context processor: imported macros (the signup fields) see them too.
    app.jinja_env.globals.update(
        current_language=current_language,
        language_choices=language_choices,
        language_name=language_name,
        language_switch=shows_language_switch,
        language_switch_url=language_switch_url,
    )


def supported_languages() -> tuple[str, ...]:
    return current_app._get_current_object().config["LANGUAGES"]


def programme_language(settings: dict | None = None) -> str:
    """The admins' default language (a programme setting), if it is still offered. Pass
    the settings a caller already read; otherwise it is read once per request or job (a
    worker reads settings from the database, not from the web's cached copy)."""
    if settings is None:
        state = g._get_current_object()  # one look-up through Flask's proxy, not three
        chosen = state.get("programme_language", _UNREAD)
        if chosen is _UNREAD:
            chosen = state.programme_language = get_setting("default_language")
    else:
        chosen = settings.get("default_language")
    languages = supported_languages()
    return chosen if chosen in languages else languages[0]


def language_or_default(code: str | None) -> str:
    return code if code in supported_languages() else programme_language()


def language_of(subscriber) -> str:
    """The language to write to this person in (their choice, if still offered)."""
    return language_or_default(getattr(subscriber, "language", None))


def current_language() -> str:
    locale = get_locale()
    return locale.language if locale else "en"


def per_language(build):
    """`build()` made once per language and process, for text that comes only from the
    catalogue (labels of fixed choices): Flask-Babel's gettext finds the request's
    locale, domain and catalogue on every call, a tenth of a one-click page's time for
    its ten labels. The catalogues themselves are kept as long (Flask-Babel's cache)."""
    made: dict[str, object] = {}

    @wraps(build)
    def in_current_language():
        language = str(get_locale())
        if language not in made:
            made[language] = build()
        return made[language]

    return in_current_language


def use_language(code: str | None) -> None:
    """Makes the rest of this request render in `code` (a subscriber's language)."""
    g.page_language = language_or_default(code)
    refresh()  # forget a locale already chosen for this request


def select_locale() -> str:
    """Flask-Babel's locale selector; the order is in the module docstring."""
    if not has_request_context():
        return programme_language()
    page = g._get_current_object().get("page_language")
    if page:
        return page
    current = request._get_current_object()
    if current.blueprint == "admin":
        return "en"
    languages = supported_languages()
    for chosen in (_switched_to(current), _remembered(current)):
        if chosen in languages:
            return chosen
    return current.accept_languages.best_match(languages) or programme_language()


def _babel_state() -> SimpleNamespace | None:
    """Flask-Babel 4's own _get_current_context, reading `g` once: its version read it
    through Flask's proxy three times (~2 us each here), and every gettext and get_locale
    asks, several times a page. The same namespace in the same place, g._flask_babel."""
    if not has_app_context():
        return None
    state = g._get_current_object()
    namespace = getattr(state, "_flask_babel", None)
    if namespace is None:
        namespace = state._flask_babel = SimpleNamespace()
    return namespace


def _selected_locale() -> Locale:
    """select_locale's choice as the one Locale object kept per code: Flask-Babel parses a
    string into a new one on every request (a few microseconds of Babel's parsing)."""
    return _locale(select_locale())


@cache
def _locale(code: str) -> Locale:
    return Locale.parse(code)


def _switched_to(current: Request) -> str | None:
    """?lang=xx, without parsing the query string or the cookies when there are none (most
    requests): werkzeug builds a MultiDict for each on first use, and its get() of a
    missing key raises and catches an HTTP exception. `current` is the request, looked up
    once by the caller: each look-up through Flask's proxy costs ~2 us here."""
    args = current.args if current.query_string else {}
    return args[SWITCH_PARAM] if SWITCH_PARAM in args else None


def _remembered(current: Request) -> str | None:
    """The language cookie's value (see _switched_to)."""
    cookies = current.cookies if "HTTP_COOKIE" in current.environ else {}
    return cookies[LANGUAGE_COOKIE] if LANGUAGE_COOKIE in cookies else None


def _remember_switch(response):
    """A public page opened with ?lang=xx keeps that language on the next pages (a cookie,
    nothing stored on our side). Pages that negotiate the language vary on its inputs."""
    current = request._get_current_object()
    chosen = _switched_to(current)
    if chosen in supported_languages() and _remembered(current) != chosen:
        response.set_cookie(
            LANGUAGE_COOKIE,
            chosen,
            max_age=_COOKIE_SECONDS,
            samesite="Lax",
            secure=current_app.config["SESSION_COOKIE_SECURE"],
            httponly=True,
        )
    if not g._get_current_object().get("page_language"):
        add_vary(response, "Accept-Language", "Cookie")
    return response


def shows_language_switch() -> bool:
    """Public pages offer the switch; a signed-link page is in the person's own language
    (changed in the preference centre) and the admin console is English."""
    return (
        has_request_context()
        and not g.get("page_language")
        and request.blueprint not in ("admin", None)
        and len(supported_languages()) > 1
    )


def language_switch_url(code: str) -> str:
    """This page in `code` (the landing page after a POST, which cannot be re-opened)."""
    path = request.path if request.method == "GET" else url_for("subscriptions.landing")
    return f"{path}?{SWITCH_PARAM}={code}"


def best_language(header: str | None) -> str | None:
    """The first offered language named in a Content-Language or Accept-Language value
    ("de-DE, en;q=0.5"), or None."""
    languages = supported_languages()
    for part in (header or "").split(","):
        code = part.split(";")[0].strip().replace("_", "-").split("-")[0].lower()
        if code in languages:
            return code
    return None


def language_choices() -> list[tuple[str, str]]:
    """(code, name) for each offered language, each name in its own language."""
    return [(code, language_name(code)) for code in supported_languages()]


@cache  # Babel parses the locale data on every call
def language_name(code: str) -> str:
    name = Locale.parse(code).get_display_name(code) or code
    return name[:1].upper() + name[1:]
