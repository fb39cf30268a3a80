"""The optional notices a program may allow (``edit_types``): enrolment on participants' user pages, and a notice
on the talk pages of the articles they edited.

Each notice carries its program's page id (``program_id``), which survives a move of the program page, so a page
carries one notice per program; an existing notice for the same program is left alone (a user may have moved or
restyled it). Whether a notice was ever saved is the edit log's business: one that its user removed is not added
again (see ``bot.edits``).
"""

from __future__ import annotations

import mwparserfromhell

from bot.param_values import normalize_title
from bot.program import Program
from bot.wikitext_writer import template


def has_notice(text: str, template_name: str, program: Program) -> bool:
    wanted = normalize_title(template_name)
    for found in mwparserfromhell.parse(text).filter_templates(recursive=True):
        if normalize_title(found.name.strip_code()) != wanted:
            continue
        if found.has("program_id") and found.get("program_id").value.strip() == str(program.page_id):
            return True
        legacy = found.has("program") and not found.has("program_id")
        if legacy and normalize_title(found.get("program").value.strip_code()) == normalize_title(program.title):
            return True
    return False


def enrolment_notice(template_name: str, program: Program, role: str) -> str:
    params = {"program": program.title, "program_id": program.page_id, "name": program.name, "role": role}
    return template(template_name, params)


def talk_notice(template_name: str, program: Program) -> str:
    definition = program.definition
    return template(
        template_name,
        {
            "program": program.title,
            "program_id": program.page_id,
            "name": program.name,
            "start": definition.event_start.isoformat(),
            "end": definition.event_end.isoformat(),
        },
    )


def add_enrolment(text: str, template_name: str, program: Program, role: str) -> str:
    """Appended at the end of the user page: the page's owner decides what comes first."""
    if has_notice(text, template_name, program):
        return text
    separator = "\n\n" if text.strip() else ""
    return text.rstrip("\n") + separator + enrolment_notice(template_name, program, role) + "\n"


def add_talk_notice(text: str, template_name: str, program: Program) -> str:
    """At the top of the talk page, where talk-page banners go."""
    if has_notice(text, template_name, program):
        return text
    return talk_notice(template_name, program) + ("\n" + text if text.strip() else "\n")
