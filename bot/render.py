"""Turning numbers into wikitext, and placing that wikitext on a program page without touching anything else.

The page belongs to its organizers: the bot replaces only its own ``{{Program outcome}}`` template (or adds one
right after ``{{Program}}``), and mwparserfromhell gives back every other byte as it was.
"""

from __future__ import annotations

from datetime import datetime

import mwparserfromhell
from mwparserfromhell.nodes import Template

from bot.clock import iso
from bot.config import TemplateNames
from bot.metrics import Counts, ProgramMetrics
from bot.param_values import normalize_title
from bot.program import Participant, ProgramDefinition

# Parameters that change on every run without saying anything new; they alone never justify an edit.
VOLATILE_PARAMS = frozenset({"updated", "next_update"})


def outcome_params(
    metrics: ProgramMetrics, definition: ProgramDefinition, updated_at: datetime, next_update: datetime, glossary: str
) -> dict[str, str]:
    """The ``{{Program outcome}}`` parameters; metrics not computed for this program are left out."""
    total = metrics.total
    params: dict[str, object] = {
        "participants": metrics.participants,
        "new_editors": len(metrics.new_editors),
        "edits": total.edits,
        "edits_deleted": total.edits_deleted,
        "articles_edited": total.articles_edited,
        "articles_created": total.articles_created,
        "articles_created_deleted": total.articles_created_deleted,
        "bytes_added": total.bytes_added,
        "bytes_removed": total.bytes_removed,
        "bytes_net": total.bytes_net,
        "words_added": metrics.words_added,
        "references_added": metrics.references_added,
        "references_removed": metrics.references_removed,
        "uploads": total.uploads if total.uploads else None,
        "uploads_in_use": total.uploads_in_use if total.uploads else None,
        "upload_usage": total.upload_usage if total.uploads else None,
        "page_views": metrics.page_views,
    }
    for retention in metrics.retention:
        params[f"retention_{retention.days}"] = "pending" if retention.participants is None else retention.participants
    if metrics.wikidata is not None:
        w = metrics.wikidata
        params.update(
            wikidata_items_created=w.items_created,
            wikidata_claims=w.claims_added + w.claims_changed + w.claims_removed,
            wikidata_labels=w.labels_added + w.labels_changed + w.labels_removed,
            wikidata_descriptions=w.descriptions_added + w.descriptions_changed + w.descriptions_removed,
            wikidata_aliases=w.aliases_added + w.aliases_removed,
            wikidata_sitelinks=w.sitelinks_added + w.sitelinks_changed + w.sitelinks_removed,
        )
    start, end = definition.window
    local_start, local_end = definition.tracking_start, definition.tracking_end
    params.update(
        alerts=len(metrics.alerts),
        wikis=", ".join(definition.tracked_wikis),
        window=(
            f"{local_start:%Y-%m-%d %H:%M} to {local_end:%Y-%m-%d %H:%M} {definition.timezone}"
            f" ({iso(start)} to {iso(end)})"
        ),
        updated=iso(updated_at),
        next_update=iso(next_update),
        glossary=glossary,
    )
    return {key: str(value) for key, value in params.items() if value is not None}


def participants_block(name: str, metrics: ProgramMetrics, participants: tuple[Participant, ...]) -> str:
    """The bot's participants table: header, one row per sign-up (with its status), footer."""
    rows = []
    for person in participants:
        counts = metrics.by_participant.get(person.username, Counts())
        rows.append(
            f"{{{{{name}/row|user={person.username}|edits={counts.edits}|articles_edited={counts.articles_edited}"
            f"|articles_created={counts.articles_created}|bytes_added={counts.bytes_added}|uploads={counts.uploads}"
            f"|status={person.status.value}}}}}"
        )
    return "\n".join([f"{{{{{name}/header}}}}", *rows, f"{{{{{name}/footer}}}}"])


def place_participants(text: str, templates: TemplateNames, block: str) -> str:
    """Replace the bot's table (from its header to its footer) or add it after the outcome; unchanged if equal."""
    code = mwparserfromhell.parse(text)
    header = _find(code, f"{templates.participants}/header")
    footer = _find(code, f"{templates.participants}/footer")
    if header is not None and footer is not None:
        current = str(code)
        start, end = current.find(str(header)), current.find(str(footer)) + len(str(footer))
        if 0 <= start < end:
            return current if current[start:end] == block else current[:start] + block + current[end:]
    anchor = _find(code, templates.outcome) or _find(code, templates.program)
    if anchor is None:
        return text.rstrip("\n") + "\n" + block + "\n"
    code.insert_after(anchor, "\n" + block)
    return str(code)


def outcome_template(name: str, params: dict[str, str]) -> str:
    lines = [f"{{{{{name}"] + [f"|{key}={value}" for key, value in params.items()] + ["}}"]
    return "\n".join(lines)


def _find(code: mwparserfromhell.wikicode.Wikicode, name: str) -> Template | None:
    wanted = normalize_title(name)
    for template in code.filter_templates(recursive=True):
        if normalize_title(template.name.strip_code()) == wanted:
            return template
    return None


def _same_numbers(template: Template, params: dict[str, str]) -> bool:
    current = {str(p.name).strip(): str(p.value).strip() for p in template.params}
    wanted = {k: v.strip() for k, v in params.items() if k not in VOLATILE_PARAMS}
    return {k: v for k, v in current.items() if k not in VOLATILE_PARAMS} == wanted


def place_template(text: str, name: str, after: str, params: dict[str, str]) -> str:
    """The page with the bot's template ``name`` updated in place (or added right after the template ``after``);
    the same text when nothing but volatile parameters would change."""
    code = mwparserfromhell.parse(text)
    new = outcome_template(name, params)
    existing = _find(code, name)
    if existing is not None:
        if _same_numbers(existing, params):
            return text
        code.replace(existing, new)
        return str(code)
    anchor = _find(code, after)
    if anchor is None:
        return text.rstrip("\n") + "\n" + new + "\n"
    code.insert_after(anchor, "\n" + new)
    return str(code)


def place_outcome(text: str, templates: TemplateNames, params: dict[str, str]) -> str:
    return place_template(text, templates.outcome, templates.program, params)
