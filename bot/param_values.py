"""Reading the values organizers write into template parameters: dates, yes/no, lists, titles and usernames.

Organizers write what their wiki's culture writes ("1 de marzo de 2026", "March 1, 2026", ``[[Usuario:Ana]]``),
so each reader accepts the common forms and raises :class:`ValueError` with a message key for anything else.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import date, datetime, time

import mwparserfromhell

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan", "enero", "ene"),
            ("february", "feb", "febrero"),
            ("march", "mar", "marzo"),
            ("april", "apr", "abril", "abr"),
            ("may", "mayo"),
            ("june", "jun", "junio"),
            ("july", "jul", "julio"),
            ("august", "aug", "agosto", "ago"),
            ("september", "sep", "sept", "septiembre", "setiembre"),
            ("october", "oct", "octubre"),
            ("november", "nov", "noviembre"),
            ("december", "dec", "diciembre", "dic"),
        ],
        start=1,
    )
    for name in names
}
_TIME = r"(?:[ t,]+(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::\d{2})?(?:\s*(?:utc|z))?)?"  # text is lowercased
_DATE_FORMS = [
    re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})" + _TIME),
    re.compile(r"(?P<year>\d{4})/(?P<month>\d{1,2})/(?P<day>\d{1,2})" + _TIME),
    re.compile(r"(?P<day>\d{1,2})\s+(?:de\s+)?(?P<mname>[a-záéíóú]+)\.?,?\s+(?:de\s+|del\s+)?(?P<year>\d{4})" + _TIME),
    re.compile(r"(?P<mname>[a-z]+)\.?\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4})" + _TIME),
    re.compile(r"(?P<day>\d{1,2})[./](?P<month>\d{1,2})[./](?P<year>\d{4})" + _TIME),
]
_YES = {"yes", "y", "true", "1", "on", "sí", "si", "open", "abierta", "abierto"}
_NO = {"no", "n", "false", "0", "off", "closed", "cerrada", "cerrado"}


MIN_YEAR, MAX_YEAR = 2001, 2100
"""Dates outside these years are typing errors (year 1, 9999), and would overflow the window arithmetic."""


def parse_datetime(raw: str) -> tuple[date, time | None]:
    """A date with an optional time. Slash/dot dates are day first; when day and month could swap, refuse."""
    text = " ".join(raw.strip().lower().split())
    for number, form in enumerate(_DATE_FORMS):
        match = form.fullmatch(text)
        if not match:
            continue
        parts = match.groupdict()
        if parts.get("mname"):
            month = MONTHS.get(parts["mname"].strip("."))
            if month is None:
                raise ValueError("problem-date-invalid")
        else:
            month = int(parts["month"])
        day, year = int(parts["day"]), int(parts["year"])
        if number == len(_DATE_FORMS) - 1 and day <= 12 and month <= 12 and day != month:
            raise ValueError("problem-date-ambiguous")
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise ValueError("problem-date-invalid")
        try:
            parsed = date(year, month, day)
            at = time(int(parts["hour"]), int(parts["minute"])) if parts.get("hour") else None
        except ValueError:
            raise ValueError("problem-date-invalid") from None
        return parsed, at
    raise ValueError("problem-date-invalid")


def parse_date(raw: str) -> date:
    return parse_datetime(raw)[0]


def local_instant(day: date, at: time | None, *, end: bool) -> datetime:
    """A bare end date includes its whole day, so it becomes the next midnight; a given time is taken as is."""
    if at is not None:
        return datetime.combine(day, at)
    if end:
        return datetime.combine(date.fromordinal(day.toordinal() + 1), time(0))
    return datetime.combine(day, time(0))


def parse_bool(raw: str) -> bool:
    value = raw.strip().lower()
    if value in _YES:
        return True
    if value in _NO:
        return False
    raise ValueError("problem-yes-no")


def split_list(raw: str) -> tuple[str, ...]:
    """Comma-, semicolon- or line-separated items, bullets stripped, blanks dropped, first occurrence kept."""
    items: dict[str, None] = {}
    for item in re.split(r"[,;\n]", raw):
        cleaned = item.strip().lstrip("*#:").strip()
        if cleaned:
            items.setdefault(cleaned, None)
    return tuple(items)


def normalize_title(raw: str) -> str:
    """MediaWiki's title normalization for names we compare: underscores, repeated spaces, first letter."""
    title = " ".join(raw.replace("_", " ").split())
    return title[:1].upper() + title[1:]


def title_lines(raw_wikitext: str) -> tuple[str, ...]:
    """Titles given one per line, or as ``[[links]]`` (then only the links count)."""
    code = mwparserfromhell.parse(raw_wikitext)
    links = code.filter_wikilinks()
    if links:
        titles = [str(link.title) for link in links]
    else:
        titles = [line.strip().lstrip("*#:").strip() for line in code.strip_code().splitlines()]
    seen: dict[str, None] = {}
    for title in titles:
        cleaned = normalize_title(title.split("#", 1)[0].lstrip(":"))
        if cleaned:
            seen.setdefault(cleaned, None)
    return tuple(seen)


def username(raw: str, user_prefixes: Collection[str]) -> str:
    """A username from ``Name``, ``User:Name``, ``[[Usuario:Name|shown]]`` or ``Special:Contributions/Name``.

    ``user_prefixes`` are lowercase: the wiki's names (and aliases) of the User and User talk namespaces, and page
    prefixes ending in "/" such as ``special:contributions/`` (from siteinfo), so localized forms are understood.
    """
    text = raw.strip()
    links = mwparserfromhell.parse(text).filter_wikilinks()
    if links:
        text = str(links[0].title)
    text = " ".join(text.replace("_", " ").split()).lstrip(":")
    lowered = text.lower()
    for prefix in user_prefixes:
        if prefix.endswith("/") and lowered.startswith(prefix):
            text = text[len(prefix) :]
            break
    else:
        namespace, colon, rest = text.partition(":")
        if colon and namespace.strip().lower() in user_prefixes:
            text = rest
    name = normalize_title(text.split("/", 1)[0].split("#", 1)[0])
    if not is_valid_username(name):
        raise ValueError("problem-username-invalid")
    return name


_IPV4 = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}")
_IPV6 = re.compile(r"[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}")
# MediaWiki's UserNameUtils::isValid: title-illegal characters, percent escapes, character references, signature
# runs, controls and the invisible or private-use characters it lists; "/" and ":" (subpages, namespaces) too.
_USERNAME_FORBIDDEN = re.compile(
    "[#<>\\[\\]|{}/:\x00-\x1f\x7f\x80-\x9f\xa0\u2000-\u200f\u2028-\u202f\u3000\ue000-\uf8ff]"
    "|%[0-9A-Fa-f]{2}|&[A-Za-z0-9#]+;|~~~"
)


def is_valid_username(name: str) -> bool:
    """Whether MediaWiki would accept ``name`` (already normalized) as a username: anything else is never written."""
    return (
        bool(name)
        and len(name.encode()) <= 255
        and name == normalize_title(name)
        and not name.startswith((".", " "))
        and not _USERNAME_FORBIDDEN.search(name)
        and not _IPV4.fullmatch(name)
        and not _IPV6.fullmatch(name)
    )


def user_list(text: str, user_prefixes: Collection[str]) -> frozenset[str]:
    """Usernames from the list items (``*`` or ``#`` lines) of a page, as names or user links."""
    names = set()
    for line in text.splitlines():
        if line.startswith(("*", "#")):
            try:
                names.add(username(line.lstrip("*#: "), user_prefixes))
            except ValueError:
                continue
    return frozenset(names)
