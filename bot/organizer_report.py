"""The bot's report to a program's organizers: one section on the program's talk page, updated in place.

Organizers never leave the wiki, so problems must reach them there, in their wiki's language. The bot's block is
its heading, its intro line, one bullet per problem and its dated footer, in exactly that shape: only such a block
is replaced, so replies written under it stay, and a look-alike heading planted above somebody's discussion is
never mistaken for it. Every message is plain text escaped on the way out (its parameters come from wiki pages).
The block is created only when there is something to say, and says "no open problems" once they are fixed.
"""

from __future__ import annotations

from bot.i18n import render, translate
from bot.program import Message
from bot.wikitext_writer import escape


def report_section(language: str, messages: tuple[Message, ...], when: str) -> str:
    lines = [_heading(language)]
    if messages:
        lines.append(escape(translate(language, "report-intro")))
        lines.extend(f"* {escape(render(language, message))}" for message in messages)
    else:
        lines.append(escape(translate(language, "report-none")))
    lines.append(escape(translate(language, "report-footer", when)))
    return "\n".join(lines) + "\n"


def _heading(language: str) -> str:
    return f"== {escape(translate(language, 'report-heading'))} =="


def _footer_prefix(language: str) -> str:
    return str(escape(translate(language, "report-footer", "PEBOTWHEN"))).split("PEBOTWHEN", 1)[0]


def _block_span(lines: list[str], language: str) -> tuple[int, int] | None:
    """First and last line of the bot's block (inclusive), if the page holds one in the bot's exact shape."""
    heading, footer = _heading(language), _footer_prefix(language)
    intros = {escape(translate(language, "report-intro")), escape(translate(language, "report-none"))}
    for start, line in enumerate(lines):
        if line.strip() != heading or start + 2 >= len(lines) or lines[start + 1] not in intros:
            continue
        for end in range(start + 2, len(lines)):
            if lines[end].startswith(footer):
                return start, end
            if not lines[end].startswith("* "):
                break
    return None


def place_report(text: str, language: str, messages: tuple[Message, ...], when: str) -> str:
    """The talk page with the bot's block replaced (or added); unchanged when only its date would change."""
    lines = text.split("\n")
    span = _block_span(lines, language)
    new = report_section(language, messages, when).rstrip("\n").split("\n")
    if span is not None:
        start, end = span
        if lines[start:end] == new[:-1]:
            return text
        return "\n".join(lines[:start] + new + lines[end + 1 :])
    if not messages:
        return text
    separator = "" if not text.strip() else "\n\n"
    return text.rstrip("\n") + separator + "\n".join(new) + "\n"
