"""CSV and JSON downloads of the stored snapshots: program stats, participants, articles, uploads, campaigns.

Each export is a :class:`Table` built from the store only, so the site serves exactly what the bot last counted.
Column names are stable English identifiers (documented in the site's glossary); a private program's tables never
contain usernames, nor any breakdown with fewer than PRIVATE_MINIMUM participants behind it (metrics.md, "Privacy").
Names and titles come from pages anyone can edit, so a CSV cell that a spreadsheet would run as a formula is
neutralized; JSON carries the text unchanged.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass, fields
from datetime import date
from typing import Any

from bot.campaign_report import campaign_totals
from bot.metrics import Counts, WikidataCounts
from bot.store import ProgramSummary, Store

COUNT_COLUMNS = (*tuple(f.name for f in fields(Counts)), "bytes_net")

WIKIDATA_COLUMNS = tuple(f"wikidata_{f.name}" for f in fields(WikidataCounts))
"""The Wikidata counts of a program, each category's added / changed / removed apart (empty when no Wikidata-like
wiki is tracked)."""

PRIVATE_MINIMUM = 5
"""Breakdowns of a private program need at least this many participants behind them (metrics.md, Privacy)."""

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
"""A spreadsheet reads a cell starting with one of these as a formula (OWASP, "CSV Injection")."""


def breakdowns_published(summary: ProgramSummary) -> bool:
    """Whether per-wiki, per-day, per-article and per-upload figures may be shown: always for a public program; for
    a private one only with at least PRIVATE_MINIMUM participants behind them, so no row points at a few people."""
    return not summary.private or (summary.participants or 0) >= PRIVATE_MINIMUM


def _csv_cell(value: object) -> object:
    """A cell a spreadsheet shows as text: names and titles come from wiki pages anyone can edit, so a text starting
    like a formula gets OWASP's leading quote. Only strings: numbers (a negative ``bytes_net``) stay numbers."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _json_value(value: object) -> object:
    """JSON has no date type: dates (a program's start and end) are written as ISO 8601, as the CSV writes them."""
    return value.isoformat() if isinstance(value, date) else value


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]

    def to_csv(self) -> str:
        """RFC 4180 CSV. Rows end with CRLF because the writer quotes exactly the cells holding a character of the
        line terminator: with CRLF a carriage return or newline inside a name is quoted and cannot start a new row
        (with a bare LF ending, a lone CR stayed unquoted and spreadsheets split the row there)."""
        out = io.StringIO(newline="")
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow([_csv_cell(column) for column in self.columns])
        writer.writerows([_csv_cell(value) for value in row] for row in self.rows)
        return out.getvalue()

    def to_json(self) -> str:
        """The rows as objects, values unchanged (JSON readers do not evaluate formulas)."""
        objects = [{c: _json_value(value) for c, value in zip(self.columns, row, strict=True)} for row in self.rows]
        return json.dumps(objects, ensure_ascii=False, indent=1)


def _counts(counts: Counts) -> tuple[int, ...]:
    return (*asdict(counts).values(), counts.bytes_net)


def _wikidata(counts: WikidataCounts | None) -> tuple[int | None, ...]:
    if counts is None:
        return (None,) * len(WIKIDATA_COLUMNS)
    return tuple(asdict(counts).values())


def program_stats(store: Store, summaries: list[ProgramSummary], wikis: list[str]) -> Table:
    """One row per program: totals, retention, Wikidata counts, and per-wiki edits, articles edited and articles
    created."""
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
        *WIKIDATA_COLUMNS,
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
        if not breakdowns_published(summary):
            by_wiki = {}  # too few people behind a private program's per-wiki numbers
        rows.append(
            (
                summary.key, summary.name, summary.wiki, summary.start, summary.end, summary.updated_at,
                snapshot.participants, snapshot.new_editors, *_counts(total),
                snapshot.words_added, snapshot.references_added, snapshot.references_removed, snapshot.page_views,
                *(retention[d].participants if d in retention else None for d in retention_days),
                *(retention[d].new_editors if d in retention else None for d in retention_days),
                *_wikidata(snapshot.wikidata),
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
    """Per-article counts. Empty for a private program with too few participants: an article's row would tell
    what one of a handful of known people edited."""
    columns = ("wiki", "namespace", "title", *COUNT_COLUMNS, "page_views")
    if not summary.updated_at or not breakdowns_published(summary):
        return Table(columns, [])
    rows = []
    for value, counts, views in store.snapshot_counts(summary.key, summary.updated_at, "article"):
        wiki, namespace, title = value.split("|", 2)
        rows.append((wiki, int(namespace), title.replace("_", " "), *_counts(counts), views))
    return Table(columns, rows)


def uploads(store: Store, summary: ProgramSummary) -> Table:
    """One row per upload. A private program's rows never name the uploader, and are left out entirely while too
    few participants stand behind them (a file and its time would point at one of them)."""
    columns = ("wiki", "file", "username", "uploaded_at", "usage")
    if not summary.updated_at or not breakdowns_published(summary):
        return Table(columns, [])
    return Table(
        columns,
        [
            (wiki, file, "" if summary.private else user, when, usage)
            for wiki, file, user, when, usage in store.snapshot_uploads(summary.key, summary.updated_at)
        ],
    )


DAY_FIGURE_COLUMNS = ("words_added", "references_added", "references_removed", "page_views", *WIKIDATA_COLUMNS)
"""The per-day figures beside a day's counts (``DayFigures``); empty where the program has no such metric, or for a
snapshot taken before they were kept."""


def days(store: Store, summary: ProgramSummary) -> Table:
    """Per-day counts and figures (charts): edits, pages, bytes, uploads, words, references and Wikidata counts of
    the program's local day; page views of the UTC day of that date (the Pageviews API's days), so a day after the
    program can have views and zero counts. For a private program only while enough participants stand behind
    each day."""
    columns = ("day", *COUNT_COLUMNS, *DAY_FIGURE_COLUMNS)
    if not summary.updated_at or not breakdowns_published(summary):
        return Table(columns, [])
    counts = {day: c for day, c, _ in store.snapshot_counts(summary.key, summary.updated_at, "day")}
    figures = dict(store.snapshot_days(summary.key, summary.updated_at))
    rows = []
    for day in sorted(counts.keys() | figures.keys()):
        figure = figures.get(day)
        rows.append(
            (
                day,
                *_counts(counts.get(day, Counts())),
                *(
                    (figure.words_added, figure.references_added, figure.references_removed, figure.page_views)
                    if figure
                    else (None,) * 4
                ),
                *_wikidata(figure.wikidata if figure else None),
            )
        )
    return Table(columns, rows)


def campaigns(store: Store) -> Table:
    """Campaign totals (``bot.campaign_report.campaign_totals``): distinct participants, summed counts."""
    columns = ("campaign", "programs", "participants", *COUNT_COLUMNS)
    summaries = store.programs()
    rows = []
    for campaign in store.campaigns():
        totals = campaign_totals(store, campaign, summaries)
        updated = [member for member in totals.members if member.updated_at]
        rows.append((campaign.name, len(updated), totals.participants, *_counts(totals.counts)))
    return Table(columns, rows)
