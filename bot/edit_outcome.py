"""What came of one attempt to edit a page: a named, typed value (QuickCategories' ``CommandEdit``, ``CommandNoop``…)
kept in the edit log and shown by the site. Apart from ``bot.publisher`` so that the web site reads it without
importing pywikibot.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.program import Message


@dataclass(frozen=True)
class EditOutcome:
    """What came of one attempt; ``code`` is stable (edit log, site filters), ``message`` says it to people."""

    code: str
    revision: int | None = None
    detail: str = ""

    @property
    def message(self) -> Message:
        key = f"outcome-{self.code.replace('_', '-')}"
        if self.code == SAVED:
            return Message(key, (str(self.revision),))
        return Message(key, (self.detail,) if self.code in DETAILED else ())

    @property
    def saved(self) -> bool:
        return self.code == "saved"

    @property
    def worth_retrying(self) -> bool:
        """A failure of the moment (the wiki or the network, a conflict, lag): the next tick tries again, while a
        refusal that lasts (protection, {{nobots}}, no consent...) waits for the program's own schedule."""
        return self.code in TRANSIENT


SAVED = "saved"
OUTCOME_CODES = (
    SAVED, "no_change", "would_save", "page_missing", "redirect", "edit_conflict", "maxlag", "blocked", "protected",
    "nobots", "stopped", "not_consented", "edit_type_off", "capped", "error",
)  # fmt: skip


TRANSIENT = frozenset({"error", "edit_conflict", "maxlag"})

DETAILED = frozenset({"error", "blocked", "protected", "maxlag", "edit_conflict", "capped"})
"""Outcomes whose message carries the detail (a diff, for a dry run, is printed, not put in a message)."""


def saved(revision: int, retries: int = 0) -> EditOutcome:
    return EditOutcome(SAVED, revision, f"{retries}" if retries else "")
