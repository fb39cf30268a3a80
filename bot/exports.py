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
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.campaign_report import campaign_totals
from bot.metric_registry import Dimension, Figures, cells, columns, headline, in_dimension
from bot.metrics import Counts
from bot.store import ProgramSummary, SnapshotRow, Store

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
    json_columns: tuple[str, ...] = ()
    """Columns only the JSON carries, after ``columns`` in each row: nested values (lists of objects) that have no
    CSV cell."""

    def to_csv(self) -> str:
        """RFC 4180 CSV. Rows end with CRLF because the writer quotes exactly the cells holding a character of the
        line terminator: with CRLF a carriage return or newline inside a name is quoted and cannot start a new row
        (with a bare LF ending, a lone CR stayed unquoted and spreadsheets split the row there)."""
        out = io.StringIO(newline="")
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow([_csv_cell(column) for column in self.columns])
        writer.writerows([_csv_cell(value) for value in row[: len(self.columns)]] for row in self.rows)
        return out.getvalue()

    def to_json(self) -> str:
        """The rows as objects, values unchanged (JSON readers do not evaluate formulas)."""
        names = (*self.columns, *self.json_columns)
        objects = [{c: _json_value(value) for c, value in zip(names, row, strict=True)} for row in self.rows]
        return json.dumps(objects, ensure_ascii=False, indent=1)


def snapshot_figures(snapshot: SnapshotRow, total: Counts) -> Figures:
    """A stored snapshot's program totals (its snapshot row and its ``total`` counts) as one row of figures."""
    return Figures(
        counts=total,
        participants=snapshot.participants,
        new_editors=snapshot.new_editors,
        words_added=snapshot.words_added,
        references_added=snapshot.references_added,
        references_removed=snapshot.references_removed,
        page_views=snapshot.page_views,
        wikidata=snapshot.wikidata,
        retention=snapshot.retention,
        alerts=snapshot.alerts,
    )


def program_stats(store: Store, summaries: list[ProgramSummary], wikis: list[str]) -> Table:
    """One row per program: every metric's total (retention for each N any of the snapshots has), then the
    headline counts of each wiki (``<wiki>_edits``...)."""
    latest = {
        s.key: next(row for row in store.snapshots(s.key) if row.taken_at == s.updated_at)
        for s in summaries
        if s.updated_at
    }
    totals = in_dimension(Dimension.TOTAL, (r.days for snapshot in latest.values() for r in snapshot.retention))
    per_wiki = headline(Dimension.WIKI)
    wiki_columns = tuple(f"{w}_{column}" for w in wikis for column in columns(per_wiki))
    header = ("program", "name", "wiki", "start", "end", "last_update", *columns(totals), *wiki_columns)
    rows = []
    for summary in summaries:
        if not summary.updated_at:
            continue
        [(_value, total, _views)] = store.snapshot_counts(summary.key, summary.updated_at, "total")
        by_wiki = {value: counts for value, counts, _ in store.snapshot_counts(summary.key, summary.updated_at, "wiki")}
        if not breakdowns_published(summary):
            by_wiki = {}  # too few people behind a private program's per-wiki numbers
        absent = (None,) * len(columns(per_wiki))  # a wiki without a row of its own: empty cells, not zeros
        rows.append(
            (
                summary.key, summary.name, summary.wiki, summary.start, summary.end, summary.updated_at,
                *cells(totals, snapshot_figures(latest[summary.key], total)),
                *(
                    cell
                    for w in wikis
                    for cell in (cells(per_wiki, Figures(counts=by_wiki[w])) if w in by_wiki else absent)
                ),
            )
        )  # fmt: skip
    return Table(header, rows)


def participants(store: Store, summary: ProgramSummary) -> Table:
    metrics = in_dimension(Dimension.PARTICIPANT)
    header = ("username", "status", *columns(metrics))
    if summary.private or not summary.updated_at:
        return Table(header, [])
    counts = {name: c for name, c, _ in store.snapshot_counts(summary.key, summary.updated_at, "participant")}
    return Table(
        header,
        [
            (p.username, p.status.value, *cells(metrics, Figures(counts=counts.get(p.username, Counts()))))
            for p in store.signups(summary.key)
        ],
    )


def articles(store: Store, summary: ProgramSummary) -> Table:
    """Per-article numbers. Empty for a private program with too few participants: an article's row would tell
    what one of a handful of known people edited."""
    metrics = in_dimension(Dimension.ARTICLE)
    header = ("wiki", "namespace", "title", *columns(metrics))
    if not summary.updated_at or not breakdowns_published(summary):
        return Table(header, [])
    rows = []
    for value, counts, views in store.snapshot_counts(summary.key, summary.updated_at, "article"):
        wiki, namespace, title = value.split("|", 2)
        figures = Figures(counts=counts, page_views=views)
        rows.append((wiki, int(namespace), title.replace("_", " "), *cells(metrics, figures)))
    return Table(header, rows)


def uploads(store: Store, summary: ProgramSummary) -> Table:
    """One row per upload. A private program's rows never name the uploader, and are left out entirely while too
    few participants stand behind them (a file and its time would point at one of them). The JSON also lists the
    pages using each file (``pages``: wiki database name, title, views of the last 30 days or null; the first 100,
    ``usage`` counts them all)."""
    header = ("wiki", "file", "username", "uploaded_at", "usage")
    if not summary.updated_at or not breakdowns_published(summary):
        return Table(header, [], ("pages",))
    taken_at = summary.updated_at
    return Table(
        header,
        [
            (wiki, file, "" if summary.private else user, when, usage,
             [{"wiki": page.wiki, "title": page.title.replace("_", " "), "views": page.views}
              for page in store.snapshot_upload_pages(summary.key, taken_at, wiki, file)])
            for wiki, file, user, when, usage in store.snapshot_uploads(summary.key, taken_at)
        ],
        ("pages",),
    )  # fmt: skip


def days(store: Store, summary: ProgramSummary) -> Table:
    """Per-day numbers (charts): every metric kept per day. Counts, words, references and Wikidata counts are of the
    program's local day; page views of the UTC day of that date (the Pageviews API's days), so a day after the
    program can have views and zero counts. The figures beside the counts are empty where the program has no such
    metric, or for a snapshot taken before they were kept. For a private program only while enough participants
    stand behind each day."""
    metrics = in_dimension(Dimension.DAY)
    header = ("day", *columns(metrics))
    if not summary.updated_at or not breakdowns_published(summary):
        return Table(header, [])
    counts = {day: c for day, c, _ in store.snapshot_counts(summary.key, summary.updated_at, "day")}
    figures = dict(store.snapshot_days(summary.key, summary.updated_at))
    return Table(
        header,
        [
            (day, *cells(metrics, Figures.of_day(counts.get(day, Counts()), figures.get(day))))
            for day in sorted(counts.keys() | figures.keys())
        ],
    )


GOAL_COLUMNS = ("metric", "per_participant", "goal", "target", "value", "percent", "reached", "reached_on")


def goals(store: Store, summary: ProgramSummary) -> Table:
    """The program's goals and their progress at the last update (bot/goals.py); totals only, so a private program's
    are published too (its "reached on" day was left out when it has too few participants)."""
    if not summary.updated_at:
        return Table(GOAL_COLUMNS, [])
    return Table(
        GOAL_COLUMNS,
        [
            (g.metric, g.per_participant, g.goal, g.target, g.value, g.percent, g.reached,
             g.reached_on.isoformat() if g.reached_on else None)
            for g in store.snapshot_goals(summary.key, summary.updated_at)
        ],
    )  # fmt: skip


def campaign_goals(store: Store) -> Table:
    """Each campaign's goals, summed per metric over its programs that set one (bot.goals.campaign_goals)."""
    header = ("campaign", "metric", "programs", "target", "value", "percent", "reached")
    summaries = store.programs()
    rows = []
    for campaign in store.campaigns():
        for g in campaign_totals(store, campaign, summaries).goals:
            rows.append((campaign.name, g.metric, g.programs, g.target, g.value, g.percent, g.reached))
    return Table(header, rows)


def campaigns(store: Store) -> Table:
    """Campaign totals (``bot.campaign_report.campaign_totals``): distinct participants, summed counts."""
    metrics = in_dimension(Dimension.CAMPAIGN)
    header = ("campaign", "programs", *columns(metrics))
    summaries = store.programs()
    rows = []
    for campaign in store.campaigns():
        totals = campaign_totals(store, campaign, summaries)
        updated = [member for member in totals.members if member.updated_at]
        figures = Figures(counts=totals.counts, participants=totals.participants)
        rows.append((campaign.name, len(updated), *cells(metrics, figures)))
    return Table(header, rows)
