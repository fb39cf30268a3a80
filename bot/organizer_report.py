"""The bot's report to a program's organizers: one section on the program's talk page, updated in place.

Organizers never leave the wiki, so problems must reach them there, in their wiki's language. The section is
found by its heading and replaced, never duplicated; it is created only when there is something to say, and
says "no open problems" once they are fixed.
"""

from __future__ import annotations

import mwparserfromhell

from bot.i18n import render, translate
from bot.program import Message


def report_section(language: str, messages: tuple[Message, ...], when: str) -> str:
    heading = translate(language, "report-heading")
    if messages:
        body = "\n".join(f"* {render(language, message)}" for message in messages)
        intro = translate(language, "report-intro")
    else:
        body, intro = "", translate(language, "report-none")
    footer = translate(language, "report-footer", when)
    return f"== {heading} ==\n{intro}\n{body}\n{footer}".replace("\n\n", "\n") + "\n"


def place_report(text: str, language: str, messages: tuple[Message, ...], when: str) -> str:
    """The talk page with the bot's section replaced (or added); unchanged when there is nothing to report."""
    heading = translate(language, "report-heading")
    code = mwparserfromhell.parse(text)
    for section in code.get_sections(levels=[2]):
        if section.filter_headings(recursive=False)[0].title.strip() == heading:
            current = str(section)
            new = report_section(language, messages, when)
            if _without_footer(current, language) == _without_footer(new, language):
                return text
            return text.replace(current, new.rstrip("\n") + ("\n\n" if current.endswith("\n\n") else "\n"), 1)
    if not messages:
        return text
    separator = "" if not text.strip() else "\n\n"
    return text.rstrip("\n") + separator + report_section(language, messages, when)


def _without_footer(section: str, language: str) -> str:
    """The section without its dated last line: a new date alone is no reason to edit."""
    footer_start = translate(language, "report-footer", "\x00").split("\x00", 1)[0]
    return "\n".join(line for line in section.strip().splitlines() if not line.startswith(footer_start))
