"""Organizer tools asked for on-wiki: the Article Finder (bot/article_finder.py) and the invitation list
(bot/invitations.py). What they share lives here: where a request may be, who may make it, what it says, and when
the bot answers it.

A request is a template (``{{Program article finder}}``, ``{{Program invitations}}``) on a **subpage of a program
page** (``<program page>/<anything>``): the organizers' own page, so the bot writes nowhere new. Only the program's
trusted people make a request count, by the rules of program pages (bot/trust.py): the program page's creator, its
organizers and facilitators in force, and tool admins. The request page's history is folded parameter by parameter
as a program page's is: a change by anyone else is held and ignored, so a vandal can neither start a costly run nor
change what is listed. The bot answers with a table right below the request template, in a block it owns
(bot/render.py ``block_span``), and runs again only when a trusted edit changes the request's parameters (``run=2``
after ``run=1`` is enough to refresh it). Nothing else triggers it: a tick costs two ``embeddedin`` requests per
wiki when nobody asks for anything.

The answer is an edit of the program's own subpage, only where the wiki consented to bot edits and the program
allows them (``bot_edits``). Neither tool ever messages anyone.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.edit_outcome import EditOutcome
from bot.param_values import split_list, title_lines
from bot.program import Message, Program, ProgramPageError, Scope
from bot.program_page import template_params
from bot.program_reader import build_program
from bot.replica import Replica
from bot.scope import resolve_replica
from bot.trust import PageRevision, TrustState, fold_history, fold_params, is_trusted

if TYPE_CHECKING:
    from bot.update import WikiRun
    from bot.wiki import Page

log = logging.getLogger(__name__)

MAX_DEPTH = 3
"""Category depth a request may ask for: every level multiplies the pages read."""
DEFAULT_ROWS = 20
MAIN = 0


@dataclass(frozen=True)
class ToolRequest:
    """What a request template asks, once read and bounded."""

    articles: tuple[str, ...]
    categories: tuple[str, ...]
    depth: int
    limit: int
    choose: tuple[int, ...] = ()
    """Article Finder: the ranks the organizer chose for the ready ``articles=`` line (none: every listed one)."""
    days: int | None = None
    """Invitation list: how many days back to read (bounded by the settings)."""


def parse_request(params: Mapping[str, str], max_rows: int) -> tuple[ToolRequest | None, tuple[Message, ...]]:
    """The request in the template's parameters (raw wikitext), and notes about values the bot could not use."""
    notes: list[Message] = []

    def number(name: str, default: int, low: int, high: int) -> int:
        raw = " ".join(params.get(name, "").split())
        if not raw:
            return default
        if raw.isdigit() and low <= int(raw) <= high:
            return int(raw)
        notes.append(Message("tool-note-number-invalid", (name, raw, str(low), str(high))))
        return default

    articles = title_lines(params.get("articles", ""))
    categories = title_lines(params.get("category", ""))
    depth = number("depth", 0, 0, MAX_DEPTH)
    limit = number("limit", min(DEFAULT_ROWS, max_rows), 1, max_rows)
    days_raw = params.get("days", "")
    days = number("days", 0, 1, 100_000) if days_raw.strip() else 0
    choose = tuple(int(item) for item in split_list(params.get("choose", "")) if item.isdigit() and int(item) > 0)
    if not articles and not categories:
        return None, (Message("tool-note-no-input"), *notes)
    return ToolRequest(articles, categories, depth, limit, choose, days or None), tuple(notes)


def request_pages(request: ToolRequest, replica: Replica, prefixes: Mapping[str, int]) -> list[str]:
    """The main-namespace titles (underscores) the request names: its articles and the members of its categories
    down to its depth (bot/scope.py, as a program's scope), sorted, so a cap keeps the same ones every time."""
    scope = Scope(articles=request.articles, categories=request.categories, category_depth=request.depth)
    pages = resolve_replica(scope, replica, prefixes).filter.pages or frozenset()
    return sorted(title for namespace, title in pages if namespace == MAIN)


@dataclass(frozen=True)
class Tool:
    """One organizer tool: its request template, the bot's table below it, and how to answer."""

    role: str
    """The TemplateNames field of its request template; the table is ``<name>/header``, ``/row``, ``/footer``."""
    max_rows: Callable[[WikiRun], int]
    answer: Callable[[WikiRun, Program, ToolRequest | None, tuple[Message, ...], str], EditOutcome]
    """Computes the table for a trusted request (None: one the bot cannot use, the notes say why) and publishes it
    on the request page (the last argument)."""


def _program_of(title: str, programs: Mapping[str, Page]) -> Page | None:
    """The program page whose subpage ``title`` is (the longest such title: programs may nest)."""
    found = [page for name, page in programs.items() if title.startswith(f"{name}/")]
    return max(found, key=lambda page: len(page.title()), default=None)


def _program(run: WikiRun, page: Page) -> Program | None:
    """The program as its last update left it (its stored trust state; no history read)."""
    key = f"{run.wiki.name}:{page.pageid}"
    program, _state = build_program(page_id=page.pageid, title=page.title(), context=run.context,
                                    state=run.store.trust_state(key), new_revisions=[], admins=run.admins,
                                    missing_users=lambda names: frozenset())  # fmt: skip
    return None if isinstance(program, ProgramPageError) else program


def fold_request(
    state: TrustState, revisions: list[PageRevision], template: str, trusted: Callable[[str | None], bool]
) -> TrustState:
    """The request page's history, judged parameter by parameter: only ``trusted`` authors change the request."""

    def apply(current: TrustState, revision: PageRevision) -> None:
        assert revision.text is not None
        params, _count = template_params(revision.text, template)
        author = revision.user
        fold_params(current, params, author if trusted(author) else None, author or "", revision.revid)

    return fold_history(state, revisions, apply)


def _trusted(run: WikiRun, program_state: TrustState) -> Callable[[str | None], bool]:
    """Who may change a request: the program's trusted people in force (bot/trust.py ``is_trusted``)."""
    return lambda author: is_trusted(program_state, author, run.context, run.admins)


def run_tool(run: WikiRun, tool: Tool, programs: Mapping[str, Page]) -> None:
    """Answer every trusted, changed request of one tool on one wiki; one broken request never stops the others."""
    from bot.wiki import embedded_pages, page_revisions

    template = getattr(run.wiki.templates, tool.role)
    for page in embedded_pages(run.wiki, template):
        try:
            program_page = _program_of(page.title(), programs)
            if program_page is None or page.isTalkPage():
                continue
            key = f"{tool.role}:{run.wiki.name}:{page.pageid}"
            state = run.store.trust_state(key)
            new = [] if page.latest_revision_id == state.last_revid else page_revisions(page, state.last_revid)
            program_state = run.store.trust_state(f"{run.wiki.name}:{program_page.pageid}")
            state = fold_request(state, new, template, _trusted(run, program_state))
            program = _program(run, program_page) if state.trusted and state.trusted != state.valid else None
            if program is not None:
                request, notes = parse_request(state.trusted, tool.max_rows(run))
                outcome = tool.answer(run, program, request, notes, page.title())
                if not outcome.worth_retrying:
                    state.valid = dict(state.trusted)  # answered: run again only when the request changes
            run.store.record_trust_state(key, state)
        except Exception:
            log.exception("%s request on %s failed", tool.role, page.title())


def run_organizer_tools(run: WikiRun, programs: Mapping[int, Page]) -> None:
    """The hook of the main job (bot/update.py): each tool's requests on this wiki, after its programs."""
    from bot.article_finder import ARTICLE_FINDER
    from bot.invitations import INVITATIONS

    by_title = {page.title(): page for page in programs.values()}
    for tool in (ARTICLE_FINDER, INVITATIONS):
        try:
            run_tool(run, tool, by_title)
        except Exception:  # the wiki answered nonsense: the programs are updated, the next tick tries again
            log.exception("%s requests on %s failed", tool.role, run.wiki.name)
