"""From a program page (and what the bot remembers of it) to a :class:`Program`, through the trust rules."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace

from bot.program import Message, Program, ProgramPageError, SignupStatus
from bot.program_page import PageContext, parse_definition
from bot.trust import PageRevision, TrustState, fold, messages


def build_program(
    *,
    page_id: int,
    title: str,
    context: PageContext,
    state: TrustState,
    new_revisions: list[PageRevision],
    admins: frozenset[str],
    missing_users: Callable[[Iterable[str]], frozenset[str]],
) -> tuple[Program | ProgramPageError, TrustState]:
    """The program as its trusted history defines it; ``missing_users`` tells which names are not accounts."""
    state = fold(state, new_revisions, context=context, title=title, admins=admins)
    wiki = context.wiki.name
    notes: list[Message] = []
    if state.valid is None:
        if not state.page and not state.trusted:
            return ProgramPageError(
                wiki, page_id, title, (Message("problem-no-program-template", (context.templates.program,)),)
            ), state
        if not state.trusted:
            author = next(iter(state.held.values())).author if state.held else ""
            return ProgramPageError(wiki, page_id, title, (Message("problem-definition-untrusted", (author,)),)), state
        _definition, errors = parse_definition(state.trusted, context, title)
        return ProgramPageError(wiki, page_id, title, errors + messages(state)), state
    definition, notes_valid = parse_definition(state.valid, context, title)
    assert definition is not None  # state.valid only ever holds parameters that parsed
    if state.trusted != state.valid:
        # An organizer's latest edit broke the definition: keep counting with the last good one, and say why.
        _broken, errors = parse_definition(state.trusted, context, title)
        notes.append(Message("problem-definition-kept"))
        notes.extend(errors)
    notes.extend(notes_valid)
    missing = missing_users(sorted(state.participants))
    participants = tuple(
        replace(p, status=SignupStatus.UNKNOWN_USER)
        if p.username in missing and p.status is not SignupStatus.WITHDRAWN
        else p
        for p in sorted(state.participants.values(), key=lambda p: (p.timestamp, p.username))
    )
    shown = replace(state, participants={p.username: p for p in participants})
    held = tuple(sorted(state.held))
    return Program(wiki, page_id, title, definition, participants, tuple(notes) + messages(shown), held), state
