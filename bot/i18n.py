"""Messages in the reader's language, from translatewiki-style files in ``i18n/`` (en.json, es.json, qqq.json).

Edit summaries and web pages are not parsed by MediaWiki, so ``$1`` parameters and ``{{PLURAL:$1|one|other}}``
are resolved here. English is the fallback for a missing language or message.
"""

from __future__ import annotations

import json
import re
from functools import cache

from bot.config import PROJECT_ROOT
from bot.program import Message

I18N_DIR = PROJECT_ROOT / "i18n"
FALLBACK = "en"
_PLURAL = re.compile(r"\{\{PLURAL:\s*([^|}]*)\|([^}]*)\}\}")


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


def _plural(match: re.Match[str]) -> str:
    forms = match.group(2).split("|")
    try:
        count = float(match.group(1).strip())
    except ValueError:
        count = 0
    return forms[0] if count == 1 or len(forms) == 1 else forms[1]


def translate(language: str, key: str, *params: object) -> str:
    text = _messages(language).get(key) or _messages(FALLBACK).get(key)
    if text is None:
        raise KeyError(f"no message {key!r} in i18n/{FALLBACK}.json")
    for number, value in sorted(enumerate(params, start=1), reverse=True):
        text = text.replace(f"${number}", str(value))
    return _PLURAL.sub(_plural, text)


def render(language: str, message: Message) -> str:
    return translate(language, message.key, *message.params)
