"""Turning numbers into wikitext, and placing that wikitext on a program page without touching anything else.

The page belongs to its organizers: the bot replaces only its own ``{{Program outcome}}`` template (or adds one
right after ``{{Program}}``), and mwparserfromhell gives back every other byte as it was.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime

import mwparserfromhell
from mwparserfromhell.nodes import ExternalLink, Template, Wikilink
from mwparserfromhell.wikicode import Wikicode

from bot.clock import iso
from bot.config import TemplateNames
from bot.metric_registry import Figures, published
from bot.metrics import Counts, ProgramMetrics
from bot.param_values import normalize_title
from bot.program import EditMarks, Participant, ProgramDefinition, Scope
from bot.wikitext_writer import Wikitext, template

# Parameters that change on every run without saying anything new; they alone never justify an edit.
VOLATILE_PARAMS = frozenset({"updated", "next_update"})


def outcome_params(
    metrics: ProgramMetrics,
    definition: ProgramDefinition,
    updated_at: datetime,
    next_update: datetime | None,
    glossary: str,
    held: tuple[str, ...] = (),
    site_page: str | None = None,
    goals: Wikitext | None = None,
) -> dict[str, object]:
    """The ``{{Program outcome}}`` parameters; metrics not computed for this program are left out.

    The numbers are the metric registry's (bot/metric_registry.py), in its order, so a new metric reaches the box
    by its registry entry alone. It starts with the definition the bot applies (name, dates) and the parameters it
    holds back: anyone can edit ``{{Program}}``, so the box readers trust is the one that shows what is in force.
    ``goals`` is the progress of the event goals, already written in the wiki's language (bot.goals.goals_wikitext)."""
    params: dict[str, object] = {
        "applied_name": definition.name,
        "applied_start": definition.event_start.isoformat(),
        "applied_end": definition.event_end.isoformat(),
        "held": ", ".join(held) if held else None,
        "goals": goals,
    }
    figures = Figures.of_program(metrics)
    for metric in published(retention.days for retention in metrics.retention):
        if metric.outcome is not None:
            params[metric.outcome] = metric.outcome_value(figures)
    start, end = definition.window
    local_start, local_end = definition.tracking_start, definition.tracking_end
    params.update(
        wikis=", ".join(definition.tracked_wikis),
        namespaces=namespaces_text(definition),
        scope=scope_text(definition.scope) + marks_text(definition.marks),
        window=(
            f"{local_start:%Y-%m-%d %H:%M} to {local_end:%Y-%m-%d %H:%M} {definition.timezone}"
            f" ({iso(start)} to {iso(end)})"
        ),
        updated=iso(updated_at),
        next_update=iso(next_update) if next_update else None,
        # The glossary URL comes from the tool's config, not from a wiki: it stays a link target. So does the
        # program's page on the site (config URL + wiki name + page id), where anyone can ask for an update now.
        glossary=Wikitext(glossary),
        site=Wikitext(site_page) if site_page else None,
    )
    return {key: value for key, value in params.items() if value is not None}


def namespaces_text(definition: ProgramDefinition) -> str:
    """The tracked namespaces of each wiki, as plain text: ``devwiki: 0, 2; devcommons: 6``."""
    return "; ".join(
        f"{tracked.wiki}: {', '.join(str(namespace) for namespace in tracked.namespaces)}"
        for tracked in definition.tracked
    )


SCOPE_ALL = "all"
"""The ``scope`` value of a program without an article scope: every page of the tracked namespaces counts. The
outcome template shows it in the wiki's language."""


def scope_text(scope: Scope) -> str:
    """The article scope in force, as plain text named after the ``{{Program}}`` parameters (the same in every
    language): ``articles: 3; categories: Rivers, Lakes (depth 2); scope_templates: Infobox river; petscan: 123;
    exclude: 1``. Listed and excluded titles are counted, categories and templates named. Without a scope:
    ``all`` (followed by the exclusions, if any)."""
    parts: list[str] = []
    if scope.articles:
        parts.append(f"articles: {len(scope.articles)}")
    if scope.categories:
        parts.append(f"categories: {', '.join(scope.categories)} (depth {scope.category_depth})")
    if scope.templates:
        parts.append(f"scope_templates: {', '.join(scope.templates)}")
    if scope.petscan_psid is not None:
        parts.append(f"petscan: {scope.petscan_psid}")
    if not parts:
        parts.append(SCOPE_ALL)
    if scope.excluded:
        parts.append(f"exclude: {len(scope.excluded)}")
    return "; ".join(parts)


def marks_text(marks: EditMarks) -> str:
    """The hashtag scope in force, after the article scope, named after the ``{{Program}}`` parameters:
    ``; hashtags: #wikiday, #8m; tags: campaign-x; hashtag_mode: anyone``; empty without hashtags or tags."""
    if not marks.active:
        return ""
    parts = [f"hashtags: {', '.join('#' + tag for tag in marks.hashtags)}"] if marks.hashtags else []
    parts += [f"tags: {', '.join(marks.tags)}"] if marks.tags else []
    parts.append(f"hashtag_mode: {'anyone' if marks.anyone else 'participants'}")
    return "; " + "; ".join(parts)


def participants_block(name: str, metrics: ProgramMetrics, participants: tuple[Participant, ...]) -> str:
    """The bot's participants table: header, one row per sign-up (with its status), footer; usernames escaped."""
    rows = []
    for person in participants:
        counts = metrics.by_participant.get(person.username, Counts())
        rows.append(
            template(
                f"{name}/row",
                {
                    "user": person.username,
                    "edits": counts.edits,
                    "articles_edited": counts.articles_edited,
                    "articles_created": counts.articles_created,
                    "bytes_added": counts.bytes_added,
                    "uploads": counts.uploads,
                    "status": person.status.value,
                },
            )
        )
    return "\n".join([f"{{{{{name}/header}}}}", *rows, f"{{{{{name}/footer}}}}"])


def _owned(code: Wikicode, anchor: str) -> list[Template]:
    """The templates of the page in document order from the first ``anchor`` (``{{Program}}``) on, none nested in
    another template or inside a link (a planted ``[[User:{{Program outcome}}]]``): the bot's own templates are only
    ever where it puts them, below the page's definition."""
    found: list[Template] = []
    program = normalize_title(anchor)
    seen_program = False
    for node in code.filter_templates(recursive=True):
        if any(isinstance(parent, Template | Wikilink | ExternalLink) for parent in code.get_ancestors(node)):
            continue
        if seen_program:
            found.append(node)
        elif normalize_title(node.name.strip_code()) == program:
            seen_program = True
            found.append(node)
    return found


def _named(nodes: list[Template], name: str) -> list[Template]:
    wanted = normalize_title(name)
    return [node for node in nodes if normalize_title(node.name.strip_code()) == wanted]


def block_span(text: str, anchor: str, base: str) -> tuple[int, int] | None:
    """Where the bot's table ``base`` is: a ``base/header`` below ``anchor`` (not inside another template), followed
    line by line by nothing but ``base/row`` templates and then ``base/footer``. Anything else between them means it
    is not the bot's block. The participants table is one (below ``{{Program}}``); the organizer tools' tables are
    others (below their request templates)."""
    count = len(_named(_owned(mwparserfromhell.parse(text), anchor), f"{base}/header"))
    for number in range(count):
        code = mwparserfromhell.parse(text)
        header = _named(_owned(code, anchor), f"{base}/header")[number]
        marker = f"pebot-position-{uuid.uuid4().hex}"
        code.replace(header, marker)
        start = str(code).index(marker)  # the text before a node is the same with or without it
        offset = start + len(str(header))
        lines = text[offset:].split("\n")
        if lines[0].strip():
            continue
        offset += len(lines[0]) + 1
        for line in lines[1:]:
            stripped = line.strip()
            if _is_single(stripped, f"{base}/footer"):
                return start, offset + len(line)
            if not _is_single(stripped, f"{base}/row"):
                break
            offset += len(line) + 1
    return None


def _is_single(line: str, name: str) -> bool:
    """Whether the line is exactly one call of the template ``name`` and nothing else."""
    nodes = mwparserfromhell.parse(line).nodes
    return (
        len(nodes) == 1
        and isinstance(nodes[0], Template)
        and normalize_title(nodes[0].name.strip_code()) == normalize_title(name)
    )


def place_participants(text: str, templates: TemplateNames, block: str | None) -> str:
    """Replace the bot's table, add it after the outcome, or (``block`` None: a private program) remove it."""
    span = block_span(text, templates.program, templates.participants)
    if block is None:
        if span is None:
            return text
        start, end = span
        return text[:start].rstrip("\n") + "\n" + text[end:].lstrip("\n") if text[:start].strip() else text[end:]
    if span is not None:
        start, end = span
        return text if text[start:end] == block else text[:start] + block + text[end:]
    code = mwparserfromhell.parse(text)
    owned = _owned(code, templates.program)
    anchors = _named(owned, templates.outcome) or _named(owned, templates.program)
    if not anchors:
        return text.rstrip("\n") + "\n" + block + "\n"
    return _insert_after(code, anchors[0], block)


def place_block(text: str, anchor: str, base: str, block: str) -> str:
    """The bot's table ``base`` (see ``block_span``) replaced by ``block``, or added right after the first
    ``anchor`` that is not inside another template (at the end of the page when there is none)."""
    span = block_span(text, anchor, base)
    if span is not None:
        start, end = span
        return text if text[start:end] == block else text[:start] + block + text[end:]
    code = mwparserfromhell.parse(text)
    anchors = _named(_owned(code, anchor), anchor)
    if not anchors:
        return text.rstrip("\n") + "\n" + block + "\n"
    return _insert_after(code, anchors[0], block)


def table_block(
    base: str, header: Mapping[str, object], rows: Sequence[Mapping[str, object]], footer: Mapping[str, object]
) -> str:
    """A bot table as ``block_span`` finds it: the header, one row template per line, the footer; every value
    escaped (bot.wikitext_writer.template)."""
    lines = [template(f"{base}/header", header), *(template(f"{base}/row", row) for row in rows)]
    return "\n".join([*lines, template(f"{base}/footer", footer)])


def _insert_after(code: Wikicode, anchor: Template, block: str) -> str:
    """``block`` on lines of its own right after ``anchor``: text that followed on the anchor's line moves to the
    next line, so the bot later finds its block line by line exactly as it wrote it."""
    marker = f"pebot-insertion-{uuid.uuid4().hex}"
    code.insert_after(anchor, marker)
    before, after = str(code).split(marker, 1)
    return before + "\n" + block + ("" if not after or after.startswith("\n") else "\n") + after


def _same_numbers(template: Template, params: Mapping[str, str]) -> bool:
    current = {str(p.name).strip(): str(p.value).strip() for p in template.params}
    wanted = {k: v.strip() for k, v in params.items() if k not in VOLATILE_PARAMS}
    return {k: v for k, v in current.items() if k not in VOLATILE_PARAMS} == wanted


def place_template(text: str, anchor: str, name: str, params: Mapping[str, object]) -> str:
    """The page with the bot's template ``name`` updated in place (or added right after the template ``anchor``,
    e.g. ``{{Program}}``, or at the end); the same text when nothing but volatile parameters would change. Only a
    copy below ``anchor`` and outside any other template is the bot's: one planted elsewhere is never touched."""
    new = template(name, params, multiline=True)
    code = mwparserfromhell.parse(text)
    owned = _owned(code, anchor)
    existing = _named(owned, name)
    if existing:
        wanted = {key: str(mwparserfromhell.parse(new).filter_templates()[0].get(key).value) for key in params}
        if _same_numbers(existing[0], wanted):
            return text
        code.replace(existing[0], new)
        return str(code)
    anchors = _named(owned, anchor)
    if not anchors:
        return text.rstrip("\n") + "\n" + new + "\n"
    return _insert_after(code, anchors[0], new)


def place_outcome(text: str, templates: TemplateNames, params: Mapping[str, object]) -> str:
    return place_template(text, templates.program, templates.outcome, params)
