"""Reading a program page: its ``{{Program}}`` template and its sign-up lines, from real (messy) wikitext.

mwparserfromhell gives us the templates wherever they sit (comments and ``<nowiki>`` are not templates), so
organizers can lay the page out as they like. Anything the bot cannot use becomes a :class:`Message`, never an
exception: one broken page must not stop the others.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from datetime import date

import mwparserfromhell
from mwparserfromhell.nodes import Template

from bot.config import TemplateNames
from bot.program import Message, Program, ProgramPageError


def normalize_title(raw: str) -> str:
    """MediaWiki's title normalization for names we compare: underscores, repeated spaces, first letter."""
    title = " ".join(raw.replace("_", " ").split())
    return title[:1].upper() + title[1:]


def normalize_username(raw: str) -> str:
    return normalize_title(raw)


def _template_name(template: Template) -> str:
    name = normalize_title(template.name.strip_code())
    if name.lower().startswith("template:"):
        name = normalize_title(name[len("template:") :])
    return name


def _templates(text: str, name: str) -> Iterator[Template]:
    wanted = normalize_title(name)
    for template in mwparserfromhell.parse(text).filter_templates(recursive=True):
        if _template_name(template) == wanted:
            yield template


def _param(template: Template, name: str) -> str:
    if not template.has(name):
        return ""
    return str(template.get(name).value.strip_code()).strip()


def _parse_date(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


def signups(text: str, templates: TemplateNames) -> tuple[str, ...]:
    """Usernames of the sign-up lines, normalized, first occurrence kept."""
    seen: dict[str, None] = {}
    for template in _templates(text, templates.signup):
        raw = _param(template, "user") or _param(template, "1")
        if raw:
            seen.setdefault(normalize_username(raw), None)
    return tuple(seen)


def parse_program_page(
    text: str,
    *,
    wiki: str,
    page_id: int,
    title: str,
    templates: TemplateNames,
    known_wikis: Collection[str],
) -> Program | ProgramPageError:
    found = list(_templates(text, templates.program))
    if not found:
        return ProgramPageError(wiki, page_id, title, (Message("problem-no-program-template", (templates.program,)),))
    program = found[0]
    messages: list[Message] = []
    if len(found) > 1:
        messages.append(Message("problem-several-program-templates", (templates.program,)))

    errors: list[Message] = []
    dates: dict[str, date] = {}
    for param in ("start", "end"):
        raw = _param(program, param)
        parsed = _parse_date(raw)
        if parsed is None:
            key = "problem-date-missing" if not raw else "problem-date-invalid"
            errors.append(Message(key, (param, raw)) if raw else Message(key, (param,)))
        else:
            dates[param] = parsed
    if len(dates) == 2 and dates["end"] < dates["start"]:
        errors.append(Message("problem-end-before-start", (dates["start"].isoformat(), dates["end"].isoformat())))

    tracked: list[str] = []
    for raw_wiki in (_param(program, "wikis") or wiki).split(","):
        name = raw_wiki.strip()
        if not name:
            continue
        if name in known_wikis:
            if name not in tracked:
                tracked.append(name)
        else:
            messages.append(Message("problem-unknown-wiki", (name,)))
    if not tracked:
        errors.append(Message("problem-no-tracked-wiki", ()))

    namespaces: list[int] = []
    for raw_ns in (_param(program, "namespaces") or "0").split(","):
        raw_ns = raw_ns.strip()
        if raw_ns.lstrip("-").isdigit():
            namespaces.append(int(raw_ns))
        elif raw_ns:
            messages.append(Message("problem-namespace-invalid", (raw_ns,)))
    if not namespaces:
        namespaces = [0]

    if errors:
        return ProgramPageError(wiki, page_id, title, tuple(errors + messages))
    return Program(
        wiki=wiki,
        page_id=page_id,
        title=title,
        name=_param(program, "name") or title,
        start=dates["start"],
        end=dates["end"],
        tracked_wikis=tuple(tracked),
        namespaces=tuple(namespaces),
        participants=signups(text, templates),
        messages=tuple(messages),
    )
