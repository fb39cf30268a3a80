"""The one path by which the bot edits a wiki, with every guard a community expects, and a named outcome.

Guards, in order: the wiki consented to bot edits; the stop page is not set; the page does not exclude the bot
(``{{nobots}}``/``{{bots}}``); the text actually changes. Edit conflicts are retried on the fresh text; other
failures are returned, not raised, so one page never stops the run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.config import Settings, WikiConfig
from bot.program import Message
from bot.wiki import EditConflict, Page, WikiError, stop_page_set


@dataclass(frozen=True)
class EditSaved:
    revision: int

    @property
    def message(self) -> Message:
        return Message("outcome-saved", (str(self.revision),))


@dataclass(frozen=True)
class EditNoChange:
    @property
    def message(self) -> Message:
        return Message("outcome-no-change")


@dataclass(frozen=True)
class EditNotConsented:
    @property
    def message(self) -> Message:
        return Message("outcome-not-consented")


@dataclass(frozen=True)
class EditStopped:
    @property
    def message(self) -> Message:
        return Message("outcome-stopped")


@dataclass(frozen=True)
class EditNoBots:
    @property
    def message(self) -> Message:
        return Message("outcome-nobots")


@dataclass(frozen=True)
class EditFailed:
    reason: str

    @property
    def message(self) -> Message:
        return Message("outcome-failed", (self.reason,))


EditOutcome = EditSaved | EditNoChange | EditNotConsented | EditStopped | EditNoBots | EditFailed

CONFLICT_RETRIES = 3


def publish(
    page: Page,
    transform: Callable[[str], str],
    summary: str,
    *,
    wiki: WikiConfig,
    settings: Settings,
) -> EditOutcome:
    """Apply ``transform`` to the page's current text and save the result, if every guard allows it."""
    if not wiki.bot_edits:
        return EditNotConsented()
    if stop_page_set(settings, wiki):
        return EditStopped()
    for _ in range(CONFLICT_RETRIES):
        current = page.get(force=True) if page.exists() else ""
        if not page.botMayEdit():
            return EditNoBots()
        new_text = transform(current)
        # MediaWiki drops trailing whitespace on save; text differing only there would be a null edit.
        if new_text.rstrip() == current.rstrip():
            return EditNoChange()
        page.text = new_text
        try:
            page.save(summary=summary, bot=True, minor=False, quiet=True)
        except EditConflict:
            continue
        except WikiError as error:
            return EditFailed(f"{type(error).__name__}: {error}")
        return EditSaved(page.latest_revision_id)
    return EditFailed("edit conflict persisted")
