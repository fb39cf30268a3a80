"""The one path by which the bot edits a wiki, with every guard a community expects, and a named outcome.

Guards, in order: the wiki consented to bot edits; the program allows this kind of edit; the stop page is not set;
a once-only notice was not saved before; the page exists (or the kind may create it) and is not a redirect (a
redirect is never followed: it could point anywhere); the page does not exclude the bot (``{{nobots}}``); the text
actually changes. Edit conflicts are retried on the fresh text. Every read and write happens inside this function's
outcomes: whatever a wiki answers becomes a value, is kept in the edit log, and one page never stops the run.
"""

from __future__ import annotations

import difflib
import logging
from datetime import datetime

from bot.clock import iso, utcnow
from bot.config import Settings
from bot.edit_outcome import EditOutcome, saved
from bot.edits import Edit
from bot.i18n import translate
from bot.store import LoggedEdit, Store
from bot.wiki import Page, WikiError, classify_save_error, site, stop_page_set
from bot.wikitext_writer import is_title

log = logging.getLogger(__name__)

CONFLICT_RETRIES = 3


def publish(
    edit: Edit,
    *,
    settings: Settings,
    store: Store | None,
    allowed: bool = True,
    dry_run: bool = False,
    now: datetime | None = None,
) -> EditOutcome:
    """Attempt ``edit`` if every guard allows it, log the outcome (not in a dry run), and return it.

    ``allowed`` is the program's consent to this kind of edit (its ``edit_types`` and ``bot_edits``).
    """
    outcome = _attempt(edit, settings=settings, store=store, allowed=allowed, dry_run=dry_run)
    return outcome if dry_run else record(edit, outcome, store, now)


def record(edit: Edit, outcome: EditOutcome, store: Store | None, now: datetime | None = None) -> EditOutcome:
    """Keep an outcome in the edit log: every attempt's, and one decided before any wiki was asked (a notice over
    its cap). The edit happened (or not) whatever the log says: a failure to log is logged, not raised."""
    if store is not None:
        entry = LoggedEdit(edit.wiki.name, edit.title, edit.program_key, edit.kind, outcome.code, outcome.revision,
                           outcome.detail, iso(now or utcnow()))  # fmt: skip
        try:
            store.log_edit(entry)
        except Exception:
            log.exception("could not log the outcome of %s on %s", edit.kind, edit.title)
    return outcome


def _attempt(edit: Edit, *, settings: Settings, store: Store | None, allowed: bool, dry_run: bool) -> EditOutcome:
    if not edit.wiki.bot_edits:
        return EditOutcome("not_consented")
    if not allowed:
        return EditOutcome("edit_type_off")
    try:
        if stop_page_set(settings, edit.wiki):
            return EditOutcome("stopped")
        if edit.once and store is not None and store.edit_saved_before(edit.wiki.name, edit.title, edit.program_key,
                                                                       edit.kind):  # fmt: skip
            return EditOutcome("no_change", detail="saved before")
        page = Page(site(edit.wiki), edit.title)
        for attempt in range(CONFLICT_RETRIES):
            exists = page.exists()
            if exists and page.isRedirectPage():
                return EditOutcome("redirect")
            if not exists and not edit.creates:
                return EditOutcome("page_missing")
            current = page.get(force=True) if exists else ""
            if not page.botMayEdit():
                return EditOutcome("nobots")
            new_text = edit.apply(current)
            # MediaWiki drops trailing whitespace on save; text differing only there would be a null edit.
            if new_text.rstrip() == current.rstrip():
                return EditOutcome("no_change")
            if dry_run:
                summary_line = f"summary: {_summary(edit, settings)}\n"
                return EditOutcome("would_save", detail=summary_line + diff(edit.title, current, new_text))
            page.text = new_text
            # The base revision id instead of its timestamp (pywikibot's default): MediaWiki compares timestamps to
            # the second and, given one, takes an edit saved in the same second as the revision the bot read for
            # the bot's own (RevisionStore::userWasLastToEdit looks only at later seconds) and lets the bot
            # overwrite it. With the id alone, any edit since the read is a conflict: merged by the wiki when it
            # can be, retried here on the fresh text when not. (pywikibot adds basetimestamp unless the caller
            # gives one; a false value is one it then leaves out of the request.)
            base: dict[str, object] = {"baserevid": page.latest_revision_id, "basetimestamp": False} if exists else {}
            try:
                page.save(
                    summary=_summary(edit, settings),
                    bot=True,
                    minor=False,
                    quiet=True,
                    nocreate=not edit.creates,
                    **base,
                )
            except WikiError as error:
                code = classify_save_error(error)
                if code == "edit_conflict":
                    page = Page(site(edit.wiki), edit.title)  # forget the stale text and timestamps
                    continue
                return EditOutcome(code, detail=_describe(error))
            return saved(page.latest_revision_id, attempt)
        return EditOutcome("edit_conflict", detail=f"gave up after {CONFLICT_RETRIES} tries")
    except Exception as error:  # a wiki that is down, a page that vanished mid-way: a value, never a crash
        code = classify_save_error(error) if isinstance(error, WikiError) else "error"
        return EditOutcome(code, detail=_describe(error))


def _summary(edit: Edit, settings: Settings) -> str:
    """The kind's own summary, then links to the program and to the bot's task page: a reviewer's two questions."""
    links = [f"[[:{edit.program_title}]]"] if is_title(edit.program_title) else []
    links.append(f"[[{settings.task_page}|{translate(edit.wiki.language, 'summary-task-link')}]]")
    return f"{edit.summary()} ({'; '.join(links)})"


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:300]


def diff(title: str, before: str, after: str) -> str:
    """A unified diff of a page's text, as a dry run prints it."""
    lines = difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), f"{title} (current)", f"{title} (new)"
    )
    return "".join(lines)
