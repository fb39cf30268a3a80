"""Outcome statistics of a program, counted on the replicas of its tracked wikis (see metrics.md for definitions)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from bot.program import Program, TrackedWiki
from bot.replica import Replica


@dataclass(frozen=True)
class ParticipantStats:
    username: str
    edits: int
    articles_edited: int


@dataclass(frozen=True)
class WikiStats:
    """One tracked wiki's numbers. Cross-wiki joins are impossible on the replicas, so each wiki is queried alone."""

    wiki: str
    edits: int
    articles_edited: int
    participants: tuple[ParticipantStats, ...]


@dataclass(frozen=True)
class ProgramStats:
    participants: tuple[ParticipantStats, ...]
    wikis: tuple[WikiStats, ...]

    @property
    def edits(self) -> int:
        return sum(wiki.edits for wiki in self.wikis)

    @property
    def articles_edited(self) -> int:
        """Articles are per wiki, so distinct counts of different wikis add up."""
        return sum(wiki.articles_edited for wiki in self.wikis)


def _mw_timestamp(moment: datetime) -> bytes:
    return moment.strftime("%Y%m%d%H%M%S").encode()


def _text(value: bytes | str) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else value


def wiki_stats(program: Program, tracked: TrackedWiki, replica: Replica) -> WikiStats:
    """Every confirmed participant appears, with zeros when they made no counted edit (metrics.md)."""
    counted: dict[str, tuple[int, int]] = {}
    total = (0, 0)
    if program.confirmed:
        window_start, window_end = program.window
        rows = replica.query(
            "stats/edits",
            {
                "usernames": program.confirmed,
                "window_start": _mw_timestamp(window_start),
                "window_end": _mw_timestamp(window_end),
                "namespaces": tracked.namespaces,
            },
        )
        for name, edits, articles in rows:
            if name is None:
                total = (int(edits), int(articles))
            else:
                counted[_text(name)] = (int(edits), int(articles))
    return WikiStats(
        wiki=replica.wiki.name,
        edits=total[0],
        articles_edited=total[1],
        participants=tuple(ParticipantStats(name, *counted.get(name, (0, 0))) for name in program.confirmed),
    )


def program_stats(program: Program, replicas: Mapping[str, Replica]) -> ProgramStats:
    wikis = tuple(wiki_stats(program, tracked, replicas[tracked.wiki]) for tracked in program.definition.tracked)
    participants = tuple(
        ParticipantStats(
            name,
            sum(w.participants[i].edits for w in wikis),
            sum(w.participants[i].articles_edited for w in wikis),
        )
        for i, name in enumerate(program.confirmed)
    )
    return ProgramStats(participants=participants, wikis=wikis)
