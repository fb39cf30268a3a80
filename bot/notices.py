"""The optional notices a program may allow (``edit_types``): enrolment on participants' user pages, and a notice
on the talk pages of the articles they edited.

Each notice names its program, so a page carries one notice per program; an existing notice for the same program
is left alone (a user may have moved or restyled it), and a page is never edited twice for the same program.
"""

from __future__ import annotations

import mwparserfromhell

from bot.param_values import normalize_title
from bot.program import Program


def has_notice(text: str, template_name: str, program_title: str) -> bool:
    wanted, program = normalize_title(template_name), normalize_title(program_title)
    for template in mwparserfromhell.parse(text).filter_templates(recursive=True):
        if normalize_title(template.name.strip_code()) != wanted or not template.has("program"):
            continue
        if normalize_title(template.get("program").value.strip_code()) == program:
            return True
    return False


def enrolment_notice(template_name: str, program: Program, role: str) -> str:
    return f"{{{{{template_name}|program={program.title}|name={program.name}|role={role}}}}}"


def talk_notice(template_name: str, program: Program) -> str:
    definition = program.definition
    return (
        f"{{{{{template_name}|program={program.title}|name={program.name}"
        f"|start={definition.event_start.isoformat()}|end={definition.event_end.isoformat()}}}}}"
    )


def add_enrolment(text: str, template_name: str, program: Program, role: str) -> str:
    """Appended at the end of the user page: the page's owner decides what comes first."""
    if has_notice(text, template_name, program.title):
        return text
    separator = "\n\n" if text.strip() else ""
    return text.rstrip("\n") + separator + enrolment_notice(template_name, program, role) + "\n"


def add_talk_notice(text: str, template_name: str, program: Program) -> str:
    """At the top of the talk page, where talk-page banners go."""
    if has_notice(text, template_name, program.title):
        return text
    return talk_notice(template_name, program) + ("\n" + text if text.strip() else "\n")
