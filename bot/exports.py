"""CSV and JSON downloads of the stored snapshots: program stats, participants, articles, uploads, campaigns.

Each export is a :class:`Table` built from the store only, so the site serves exactly what the bot last counted.
Column names are stable English identifiers (documented in the site's glossary); a private program's tables never
contain usernames (metrics.md, "Privacy").
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass, fields
from typing import Any

from bot.metrics import Counts
from bot.store import ProgramSummary, Store

COUNT_COLUMNS = (*tuple(f.name for f in fields(Counts)), "bytes_net")


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(self.columns)
        writer.writerows(["" if value is None else value for value in row] for row in self.rows)
        return out.getvalue()

    def to_json(self) -> str:
        return json.dumps(
            [dict(zip(self.columns, row, strict=True)) for row in self.rows], ensure_ascii=False, indent=1
        )


def _counts(counts: Counts) -> tuple[int, ...]:
    return (*asdict(counts).values(), counts.bytes_net)


def program_stats(store: Store, summaries: list[ProgramSummary], wikis: list[str]) -> Table:
    """One row per program: totals, retention, and per-wiki edits, articles edited and articles created."""
    latest = {
        s.key: next(row for row in store.snapshots(s.key) if row.taken_at == s.updated_at)
        for s in summaries
        if s.updated_at
    }
    retention_days = sorted({r.days for snapshot in latest.values() for r in snapshot.retention})
    columns = (
        "program", "name", "wiki", "start", "end", "last_update", "participants", "new_editors", *COUNT_COLUMNS,
        "words_added", "references_added", "references_removed", "page_views",
        *(f"retained_{d}_days" for d in retention_days), *(f"new_editors_retained_{d}_days" for d in retention_days),
        *(f"{w}_{c}" for w in wikis for c in ("edits", "articles_edited", "articles_created")),
    )  # fmt: skip
    rows = []
    for summary in summaries:
        if not summary.updated_at:
            continue
        snapshot = latest[summary.key]
        [(_value, total, _views)] = store.snapshot_counts(summary.key, summary.updated_at, "total")
        by_wiki = {value: counts for value, counts, _ in store.snapshot_counts(summary.key, summary.updated_at, "wiki")}
        retention = {r.days: r for r in snapshot.retention}
        if summary.private and snapshot.participants < PRIVATE_MINIMUM:
            by_wiki = {}  # too few people behind a private program's per-wiki numbers
        rows.append(
            (
                summary.key, summary.name, summary.wiki, summary.start, summary.end, summary.updated_at,
                snapshot.participants, snapshot.new_editors, *_counts(total),
                snapshot.words_added, snapshot.references_added, snapshot.references_removed, snapshot.page_views,
                *(retention[d].participants if d in retention else None for d in retention_days),
                *(retention[d].new_editors if d in retention else None for d in retention_days),
                *(
                    getattr(by_wiki[w], c) if w in by_wiki else None
                    for w in wikis for c in ("edits", "articles_edited", "articles_created")
                ),
            )
        )  # fmt: skip
    return Table(columns, rows)


def participants(store: Store, summary: ProgramSummary) -> Table:
    columns = ("username", "status", *COUNT_COLUMNS)
    if summary.private or not summary.updated_at:
        return Table(columns, [])
    counts = {name: c for name, c, _ in store.snapshot_counts(summary.key, summary.updated_at, "participant")}
    return Table(
        columns,
        [(p.username, p.status.value, *_counts(counts.get(p.username, Counts()))) for p in store.signups(summary.key)],
    )


def articles(store: Store, summary: ProgramSummary) -> Table:
    columns = ("wiki", "namespace", "title", *COUNT_COLUMNS, "page_views")
    if not summary.updated_at:
        return Table(columns, [])
    rows = []
    for value, counts, views in store.snapshot_counts(summary.key, summary.updated_at, "article"):
        wiki, namespace, title = value.split("|", 2)
        rows.append((wiki, int(namespace), title.replace("_", " "), *_counts(counts), views))
    return Table(columns, rows)


def uploads(store: Store, summary: ProgramSummary) -> Table:
    columns = ("wiki", "file", "username", "uploaded_at", "usage")
    if not summary.updated_at:
        return Table(columns, [])
    return Table(
        columns,
        [
            (wiki, file, "" if summary.private else user, when, usage)
            for wiki, file, user, when, usage in store.snapshot_uploads(summary.key, summary.updated_at)
        ],
    )


def days(store: Store, summary: ProgramSummary) -> Table:
    """Per-day counts (charts). For a private program only while enough participants stand behind each day."""
    columns = ("day", *COUNT_COLUMNS)
    if not summary.updated_at or (summary.private and (summary.participants or 0) < PRIVATE_MINIMUM):
        return Table(columns, [])
    return Table(
        columns,
        [(day, *_counts(c)) for day, c, _ in store.snapshot_counts(summary.key, summary.updated_at, "day")],
    )


PRIVATE_MINIMUM = 5
"""Breakdowns of a private program need at least this many participants behind them (metrics.md, Privacy)."""


def campaigns(store: Store) -> Table:
    """Campaign totals: the sums of their programs' latest snapshots."""
    columns = ("campaign", "programs", "participants", *COUNT_COLUMNS)
    summaries = store.programs()
    rows = []
    for campaign in store.campaigns():
        members = [s for s in summaries if campaign.name in s.campaigns and s.updated_at]
        totals = Counts()
        people = 0
        for member in members:
            [(_v, counts, _views)] = store.snapshot_counts(member.key, member.updated_at or "", "total")
            totals = totals.plus(counts)
            people += member.participants or 0
        rows.append((campaign.name, len(members), people, *_counts(totals)))
    return Table(columns, rows)
