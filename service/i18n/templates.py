"""Page templates compiled once per language, with the catalogue's words written in.

Flask-Babel's Jinja setup translates every {% trans %} block and `_()` when a page
renders: each is a call that finds the request's locale, its domain and its catalogue
before the lookup itself (a preference centre page made 77 of them, most of its
template's time, found by profiling the subscriber pages). The words of a language do not
change while the process runs (Flask-Babel keeps each catalogue for the process, too).

So app.jinja_env (a CatalogueEnvironment, see create_app) hands each template out from a
copy of itself for the current locale: an overlay with its own template cache and the
same loader, filters and globals, in which a {% trans %} block was translated when the
template compiled. A block without values becomes plain text; one with values becomes the
translated text formatted with them, exactly as Jinja's newstyle gettext does when it
runs (marked safe under autoescape, the values escaped). Plural blocks, `_()` and
`gettext()` in expressions still run, bound to that language's catalogue. Outside a
request or job with a locale (no app context), templates come from the shared
environment and translate as they render, as before.
"""

from __future__ import annotations

import re

from flask import has_app_context
from flask.templating import Environment
from flask_babel import get_locale, get_translations
from jinja2 import nodes, pass_context
from jinja2.ext import InternationalizationExtension
from markupsafe import Markup


class CatalogueEnvironment(Environment):
    """Flask's template environment; get_template and select_template answer from the
    current language's compiled copy."""

    catalogue = None  # the translations a language's copy compiles with; None: shared

    def get_template(self, name, parent=None, globals=None):
        env = self.for_current_language()
        return super(CatalogueEnvironment, env).get_template(name, parent, globals)

    def select_template(self, names, parent=None, globals=None):
        env = self.for_current_language()
        return super(CatalogueEnvironment, env).select_template(names, parent, globals)

    def make_globals(self, d):
        """A language's copy gives each template a plain dict of the globals, not Jinja's
        ChainMap over the environment's: every render copies them into its context, and
        copying a ChainMap of some 25 names cost ~24 us against ~0.5 us for a dict, once
        per page and once more per imported macro file. The copy's globals are already a
        snapshot (see _compiled_copy), so nothing that was visible stops being so."""
        if self.catalogue is None:
            return super().make_globals(d)
        return {**self.globals, **(d or {})}

    def for_current_language(self) -> Environment:
        if self.catalogue is not None or not has_app_context():
            return self
        locale = get_locale()
        if locale is None:
            return self
        copies = self.__dict__.setdefault("language_copies", {})
        key = str(locale)
        copy = copies.get(key)
        if copy is None:
            copy = copies[key] = self._compiled_copy(locale.language)
        return copy

    def _compiled_copy(self, language: str) -> Environment:
        """This environment for the current locale (whose catalogue get_translations
        returns now), with a template cache of its own."""
        catalogue = get_translations()
        capacity = getattr(self.cache, "capacity", 0)
        copy = self.overlay(cache_size=capacity, extensions=[CompiledTrans])
        copy.extensions.pop(InternationalizationExtension.identifier, None)
        copy.catalogue = catalogue
        gettext = _gettext(catalogue.ugettext)
        # A copy of the globals as they are at the first page in this language (Flask
        # allows no new globals once requests are served): a chained mapping made every
        # name a template reads cost two look-ups more.
        copy.globals = {
            **self.globals,
            "gettext": gettext,
            "_": gettext,
            "ngettext": _ngettext(catalogue.ungettext),
            "pgettext": _pgettext(catalogue.upgettext),
            "npgettext": _npgettext(catalogue.unpgettext),
            "current_language": lambda: language,
        }
        return copy


class CompiledTrans(InternationalizationExtension):
    """{% trans %} translated at compile time, in a language's copy of the environment."""

    def _make_node(
        self, singular, plural, context, variables, plural_expr, vars_referenced, num_called_num
    ):
        catalogue = getattr(self.environment, "catalogue", None)
        if catalogue is None or plural_expr is not None or context is not None:
            return super()._make_node(
                singular, plural, context, variables, plural_expr, vars_referenced, num_called_num
            )
        text = catalogue.ugettext(singular)
        if not variables and "%" not in text:  # `text % {}` is the text itself
            return nodes.Output([nodes.TemplateData(text)])
        parts = _interleaved(text, variables)
        if parts is not None:
            return nodes.Output(parts)
        values = nodes.Dict([nodes.Pair(nodes.Const(k), v) for k, v in variables.items()])
        return nodes.Output([nodes.Mod(nodes.MarkSafeIfAutoescape(nodes.Const(text)), values)])


_PLACEHOLDER = re.compile(r"%\((\w+)\)s|%%")


def _interleaved(text: str, variables: dict) -> list | None:
    """The translated text as template data with each %(name)s replaced by its value's
    expression, as if the block had been written `... {{ name }} ...`: the same output as
    `Markup(text) % values` (each value escaped under autoescape, str() otherwise), without
    markupsafe's formatting, a tenth of a signed-link page's template time. None (format
    at render time) unless every value appears exactly once and nothing else follows a %."""
    parts, used, end = [], [], 0
    for match in _PLACEHOLDER.finditer(text + "%%"):  # the %% closes the last literal
        literal = text[end : match.start()]
        if "%" in literal:  # a conversion other than %(name)s
            return None
        end = match.end()
        name = match.group(1)
        if name is None:
            literal += "%"
        if literal:
            parts.append(nodes.TemplateData(literal))
        if name is not None:
            used.append(name)
            parts.append(variables.get(name))
    if end != len(text) + 2:  # a lone % at the end: let the formatting refuse it
        return None
    if sorted(used) != sorted(variables) or len(set(used)) != len(used):
        return None
    if parts and isinstance(parts[-1], nodes.TemplateData):  # the closing %% added one
        parts[-1].data = parts[-1].data[:-1]
    return parts


# Jinja's newstyle gettext functions (jinja2.ext._make_new_gettext and friends), bound to
# one catalogue instead of looking the request's up on every call.


def _gettext(translate):
    @pass_context
    def gettext(__context, __string, **variables):
        text = translate(__string)
        return (Markup(text) if __context.eval_ctx.autoescape else text) % variables

    return gettext


def _ngettext(translate):
    @pass_context
    def ngettext(__context, __singular, __plural, __num, **variables):
        variables.setdefault("num", __num)
        text = translate(__singular, __plural, __num)
        return (Markup(text) if __context.eval_ctx.autoescape else text) % variables

    return ngettext


def _pgettext(translate):
    @pass_context
    def pgettext(__context, __string_ctx, __string, **variables):
        variables.setdefault("context", __string_ctx)
        text = translate(__string_ctx, __string)
        return (Markup(text) if __context.eval_ctx.autoescape else text) % variables

    return pgettext


def _npgettext(translate):
    @pass_context
    def npgettext(__context, __string_ctx, __singular, __plural, __num, **variables):
        variables.setdefault("context", __string_ctx)
        variables.setdefault("num", __num)
        text = translate(__string_ctx, __singular, __plural, __num)
        return (Markup(text) if __context.eval_ctx.autoescape else text) % variables

    return npgettext
