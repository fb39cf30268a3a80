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
from bot.param_values import normalize_title
from bot.stats import ProgramStats

# Parameters that change on every run without saying anything new; they alone never justify an edit.
VOLATILE_PARAMS = frozenset({"updated"})


def outcome_params(stats: ProgramStats, updated_at: datetime) -> dict[str, str]:
    return {
        "participants": str(len(stats.participants)),
        "edits": str(stats.edits),
        "articles_edited": str(stats.articles_edited),
        "wikis": ", ".join(wiki.wiki for wiki in stats.wikis),
        "updated": iso(updated_at),
    }


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
    wanted = {k: v for k, v in params.items() if k not in VOLATILE_PARAMS}
    return {k: v for k, v in current.items() if k not in VOLATILE_PARAMS} == wanted


def place_outcome(text: str, templates: TemplateNames, params: dict[str, str]) -> str:
    """The page text with the outcome template updated; the same text when the numbers have not changed."""
    code = mwparserfromhell.parse(text)
    new = outcome_template(templates.outcome, params)
    existing = _find(code, templates.outcome)
    if existing is not None:
        if _same_numbers(existing, params):
            return text
        code.replace(existing, new)
        return str(code)
    program = _find(code, templates.program)
    if program is None:
        return text.rstrip("\n") + "\n" + new + "\n"
    code.insert_after(program, "\n" + new)
    return str(code)
