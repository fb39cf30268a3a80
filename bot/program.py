"""The program model: what the bot understood from a program page, independent of wikitext and wikis."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta


@dataclass(frozen=True)
class Message:
    """A problem or notice for the organizer, kept as a message key so each reader gets it in their language."""

    key: str
    params: tuple[str, ...] = ()


@dataclass(frozen=True)
class Program:
    wiki: str
    page_id: int
    title: str
    name: str
    start: date
    end: date
    tracked_wikis: tuple[str, ...]
    namespaces: tuple[int, ...]
    participants: tuple[str, ...]
    messages: tuple[Message, ...] = field(default=())

    @property
    def key(self) -> str:
        """Stable identity: the page id survives renames of the program page."""
        return f"{self.wiki}:{self.page_id}"

    @property
    def window(self) -> tuple[datetime, datetime]:
        """The tracking window in UTC, start inclusive, end exclusive: the whole end day counts."""
        return (
            datetime.combine(self.start, time(0), tzinfo=UTC),
            datetime.combine(self.end + timedelta(days=1), time(0), tzinfo=UTC),
        )


@dataclass(frozen=True)
class ProgramPageError:
    """A program page the bot could not turn into a program; the messages say why, for the organizer."""

    wiki: str
    page_id: int
    title: str
    messages: tuple[Message, ...]

    @property
    def key(self) -> str:
        return f"{self.wiki}:{self.page_id}"
