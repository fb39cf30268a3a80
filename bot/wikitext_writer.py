"""The one neutralizing writer for wikitext: every value that came from a wiki passes here on its way into a save.

What the bot saves is an injection surface exactly like HTML. A program name, a title, a username, a parameter name
or a message parameter is *text*, and must come out as text: never a template, a link, a category, a tag, a
signature, a heading, a list, a behaviour switch or a table cell. So every character that can start markup is
written as an HTML character reference, which MediaWiki decodes only after parsing (it displays the character and
never acts on it), the way Jinja's autoescape writes ``&lt;`` for ``<``.

A character reference in a value (``&#123;``) is kept as it was written: it displays as its character and is
inert. That is why values are read without decoding entities (``strip_code(normalize=False)``): decoded, it would
be the ``{`` it stands for. ``<nowiki>`` is unwrapped on reading (its content is what readers see); written back, that
content is escaped here, so it displays the same and stays inert.

Values the bot builds itself from such text (a link, a template call) are :class:`Wikitext`; anything else is
escaped when it is put into one, so a forgotten call can only over-escape, never inject.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

MAX_VALUE_CHARS = 500
"""A value longer than this is cut: nothing read from a wiki decides how much the bot writes."""

_REFERENCE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_ESCAPES = {
    "{": "&#123;",
    "}": "&#125;",
    "[": "&#91;",
    "]": "&#93;",
    "|": "&#124;",
    "<": "&lt;",
    ">": "&gt;",
    "~": "&#126;",
    "=": "&#61;",
}
# Apostrophes matter only in runs (double for italic, triple for bold); a lone one, as in "bot's", stays.
_SPECIAL = re.compile(r"'{2,}|[{}\[\]|<>~=]")
# Characters that draw nothing but can reorder or hide what a reviewer sees, and C0/C1 controls.
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_LINE_START = frozenset("*#:; -!")
_PARAM_NAME = re.compile(r"[a-z][a-z0-9_]{0,63}")
# Characters MediaWiki never allows in a title (plus the signature run, which titles may not hold either).
_TITLE_FORBIDDEN = re.compile(r"[#<>\[\]|{}\x00-\x1f\x7f]|~~~|&[A-Za-z0-9#]+;|%[0-9A-Fa-f]{2}")


class Wikitext(str):
    """Wikitext the bot composed from escaped parts: safe to place as it is."""

    __slots__ = ()


def escape(value: object) -> Wikitext:
    """``value`` as inert wikitext on one line: it displays as written and parses to plain text."""
    if isinstance(value, Wikitext):
        return value
    text = " ".join(_INVISIBLE.sub("", str(value)).split())
    if len(text) > MAX_VALUE_CHARS:
        text = text[: MAX_VALUE_CHARS - 1] + "…"
    parts: list[str] = []
    position = 0
    for match in _REFERENCE.finditer(text):
        parts.append(_escape_plain(text[position : match.start()]))
        parts.append(match.group(0))
        position = match.end()
    parts.append(_escape_plain(text[position:]))
    escaped = "".join(parts)
    # Behaviour switches (__NOTOC__), free links (http://) and anything a line may start with.
    escaped = escaped.replace("__", "_&#95;").replace("://", "&#58;//")
    if escaped[:1] in _LINE_START:
        escaped = f"&#{ord(escaped[0])};{escaped[1:]}"
    return Wikitext(escaped)


def _escape_plain(text: str) -> str:
    # "&" needs no escape: a reference decodes to a character after parsing, never to markup.
    return _SPECIAL.sub(lambda match: _ESCAPES.get(match.group(0)) or "&#39;" * len(match.group(0)), text)


def is_title(title: str) -> bool:
    """Whether ``title`` could be a MediaWiki title (the bot links only such strings)."""
    stripped = title.strip()
    return bool(stripped) and len(stripped.encode()) <= 255 and not _TITLE_FORBIDDEN.search(stripped)


def link(title: str, label: object | None = None) -> Wikitext:
    """``[[:title|label]]``: the leading colon makes a category or file title a link, never a membership or image."""
    if not is_title(title):
        return escape(label if label is not None else title)
    # Underscores become spaces (as MediaWiki reads them), so no __SWITCH__ survives into the parse.
    target = " ".join(title.replace("_", " ").split())
    return Wikitext(f"[[:{target}|{escape(label if label is not None else title)}]]")


def template(name: str, params: Mapping[str, object], *, multiline: bool = False) -> Wikitext:
    """A call of one of the bot's templates; parameter names are the bot's own identifiers, values are escaped."""
    if not is_title(name) or any(char in name for char in "{}:=~"):
        raise ValueError(f"not a template name the bot writes: {name!r}")
    parts = [f"{{{{{name}"]
    for key, value in params.items():
        if not _PARAM_NAME.fullmatch(key):
            raise ValueError(f"not a parameter name the bot writes: {key!r}")
        parts.append(f"|{key}={escape(value)}")
    separator = "\n" if multiline else ""
    return Wikitext(separator.join(parts) + separator + "}}")


def lines(items: Iterable[object]) -> Wikitext:
    """A bulleted list, one escaped item per line."""
    return Wikitext("\n".join(f"* {escape(item)}" for item in items))


def summary(text: str, limit: int = 400) -> str:
    """An edit summary: comment formatting acts on ``[[links]]`` and ``/* sections */``, so those are broken up."""
    cleaned = " ".join(_INVISIBLE.sub("", text).split())
    cleaned = cleaned.replace("[[", "[\u200a[").replace("]]", "]\u200a]").replace("/*", "/ *").replace("*/", "* /")
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"
