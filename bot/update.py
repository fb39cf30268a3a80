"""The main job: for every configured wiki, read its program pages, count, store a snapshot, write the outcome.

Data flows one way: wiki page -> Program -> ProgramStats -> stored snapshot -> wikitext -> guarded publisher.
A program that fails at any step is recorded with a message for its organizer, and the run goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from bot.config import Settings, WikiConfig
from bot.i18n import translate
from bot.program import Message, ProgramPageError
from bot.program_page import parse_program_page
from bot.publisher import EditOutcome, publish
from bot.render import outcome_params, place_outcome
from bot.replica import Replica
from bot.stats import program_stats
from bot.store import Store
from bot.wiki import Page, WikiError, program_pages

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ProgramResult:
    wiki: str
    title: str
    ok: bool
    messages: tuple[Message, ...]
    edit: EditOutcome | None


def update_program(
    page: Page,
    wiki: WikiConfig,
    settings: Settings,
    store: Store,
    replicas: dict[str, Replica],
    now: datetime,
) -> ProgramResult:
    title = page.title()
    parsed = parse_program_page(
        page.text,
        wiki=wiki.name,
        page_id=page.pageid,
        title=title,
        templates=wiki.templates,
        known_wikis=settings.wikis.keys(),
    )
    if isinstance(parsed, ProgramPageError):
        store.record_status(
            key=parsed.key, wiki=wiki.name, title=title, checked_at=now, ok=False,
            messages=parsed.messages, edit_outcome=Message("outcome-not-published"),
        )  # fmt: skip
        return ProgramResult(wiki.name, title, False, parsed.messages, None)

    stats = program_stats(parsed, replicas)
    store.record_program(parsed)
    store.record_snapshot(parsed, stats, now)
    params = outcome_params(stats, now)
    summary = translate(wiki.language, "summary-outcome", len(stats.participants), stats.edits, stats.articles_edited)
    edit = publish(
        page, lambda text: place_outcome(text, wiki.templates, params), summary, wiki=wiki, settings=settings
    )
    store.record_status(
        key=parsed.key, wiki=wiki.name, title=title, checked_at=now, ok=True,
        messages=parsed.messages, edit_outcome=edit.message,
    )  # fmt: skip
    return ProgramResult(wiki.name, title, True, parsed.messages, edit)


def run_update(
    settings: Settings, store: Store, now: datetime, only_wikis: Iterable[str] | None = None
) -> list[ProgramResult]:
    replicas = {name: Replica(config, settings) for name, config in settings.wikis.items()}
    results: list[ProgramResult] = []
    try:
        for name in only_wikis or settings.wikis:
            wiki = settings.wiki(name)
            try:
                pages = list(program_pages(wiki))
            except WikiError:
                log.exception("cannot list the program pages of %s; the other wikis go on", name)
                continue
            for page in pages:
                try:
                    result = update_program(page, wiki, settings, store, replicas, now)
                except Exception as error:  # one broken program must never stop the others
                    log.exception("program %s on %s failed", page.title(), name)
                    message = Message("problem-internal", (type(error).__name__,))
                    store.record_status(
                        key=f"{name}:{page.pageid}", wiki=name, title=page.title(), checked_at=now, ok=False,
                        messages=(message,), edit_outcome=Message("outcome-not-published"),
                    )  # fmt: skip
                    result = ProgramResult(name, page.title(), False, (message,), None)
                log.info(
                    "%s %s: %s", name, result.title,
                    translate("en", result.edit.message.key, *result.edit.message.params) if result.edit
                    else "; ".join(translate("en", m.key, *m.params) for m in result.messages),
                )  # fmt: skip
                results.append(result)
    finally:
        for replica in replicas.values():
            replica.close()
    return results
