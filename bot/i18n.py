"""Messages in the reader's language, from translatewiki-style files in ``i18n/`` (en.json, es.json, qqq.json).

Edit summaries and web pages are not parsed by MediaWiki, so ``$1`` parameters and ``{{PLURAL:$1|...}}`` are
resolved here, as MediaWiki resolves them: an explicit ``N=form`` for that exact number first, otherwise the form
at the index of the number's CLDR plural category among the language's categories (Babel's data: English has
one/other, Spanish one/many/other, Arabic six), the last form when fewer are given. English is the fallback for a
missing language or message. A language's writing direction (``dir``) and its own name (the site's language
switch) come from the same CLDR data.
"""

from __future__ import annotations

import json
import re
from functools import cache

from babel import Locale, UnknownLocaleError
from babel.plural import PluralRule

from bot.config import PROJECT_ROOT
from bot.program import Message

I18N_DIR = PROJECT_ROOT / "i18n"
FALLBACK = "en"
_PLURAL = re.compile(r"\{\{PLURAL:\s*([^|}]*)\|([^}]*)\}\}")
_EXPLICIT = re.compile(r"^\s*(\d+)\s*=(.*)$", re.DOTALL)
CLDR_ORDER = ("zero", "one", "two", "few", "many", "other")
"""The order in which MediaWiki expects a language's plural forms (CLDR's category order)."""


@cache
def _messages(language: str) -> dict[str, str]:
    path = I18N_DIR / f"{language}.json"
    if language == "qqq" or not path.is_file():
        return {}
    data: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
    data.pop("@metadata", None)
    return data


def languages() -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in I18N_DIR.glob("*.json") if p.stem != "qqq"))


@cache
def _locale(language: str) -> Locale:
    """The CLDR locale of a MediaWiki language code (``zh-min-nan`` -> ``zh``...); English when CLDR has none."""
    for candidate in (language.replace("-", "_"), language.split("-")[0], FALLBACK):
        try:
            return Locale.parse(candidate)
        except (UnknownLocaleError, ValueError):
            continue
    raise AssertionError("CLDR always knows English")


@cache
def _categories(language: str) -> tuple[tuple[str, ...], PluralRule]:
    rule = _locale(language).plural_form
    return tuple(c for c in CLDR_ORDER if c in rule.tags or c == "other"), rule


def plural_form(language: str, count: float, forms: list[str]) -> str:
    """The form of ``forms`` (a ``{{PLURAL:}}``'s alternatives) that ``count`` takes in ``language``."""
    for form in forms:
        explicit = _EXPLICIT.match(form)
        if explicit and float(explicit.group(1)) == count:
            return explicit.group(2)
    plain = [form for form in forms if not _EXPLICIT.match(form)] or [""]
    categories, rule = _categories(language)
    index = categories.index(rule(int(count) if float(count).is_integer() else count))
    return plain[min(index, len(plain) - 1)]


def direction(language: str) -> str:
    """``rtl`` or ``ltr``, for the page's ``dir`` attribute."""
    return str(_locale(language).text_direction)


def language_name(language: str) -> str:
    """The language's name in itself (``español``), for the language switch."""
    return str(_locale(language).get_display_name(_locale(language)) or language)


def translate(language: str, key: str, *params: object) -> str:
    texts = _messages(language)
    text = texts.get(key)
    if text is None:
        text, language = _messages(FALLBACK).get(key), FALLBACK
    if text is None:
        raise KeyError(f"no message {key!r} in i18n/{FALLBACK}.json")
    for number, value in sorted(enumerate(params, start=1), reverse=True):
        text = text.replace(f"${number}", str(value))

    def plural(match: re.Match[str]) -> str:
        try:
            count = float(match.group(1).strip().replace(",", ""))
        except ValueError:
            count = 0
        return plural_form(language, count, match.group(2).split("|"))

    return _PLURAL.sub(plural, text)


def render(language: str, message: Message) -> str:
    return translate(language, message.key, *message.params)
