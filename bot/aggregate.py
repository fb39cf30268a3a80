"""Arithmetic from facts to published numbers, written once for both backends (see metrics.md)."""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.config import StateConfig
from bot.metrics import (
    Counts,
    DayFigures,
    ProgramMetrics,
    Retention,
    RevisionFact,
    UploadFact,
    UserFact,
    WikidataCounts,
)
from bot.store import LedgerState, Store

NEW_EDITOR_LEAD_IN_DAYS = 14
RETENTION_DAYS = (7, 30)


@dataclass(frozen=True)
class PageFilter:
    """One wiki's article scope, evaluated now: which (namespace, title) pages count. None: every page."""

    pages: frozenset[tuple[int, str]] | None = None
    excluded: frozenset[tuple[int, str]] = frozenset()

    def allows(self, namespace: int, title: str) -> bool:
        key = (namespace, title)
        return key not in self.excluded and (self.pages is None or key in self.pages)


@dataclass(frozen=True)
class LedgerRef:
    """A program's ledger in the state DB (bot/ledger.py)."""

    store: Store
    program_key: str


_scratch = threading.local()


@contextmanager
def _ledger(ledger: LedgerRef | None, taken: list[RevisionFact]) -> Iterator[tuple[Store, str]]:
    """The program's ledger, or a scratch one (one in-memory SQLite per thread) holding ``taken``, emptied after."""
    if ledger is not None:
        yield ledger.store, ledger.program_key
        return
    store: Store | None = getattr(_scratch, "store", None)
    if store is None:
        store = _scratch.store = Store.open(StateConfig(engine="sqlite", path=Path(":memory:")))
    by_wiki: dict[str, list[RevisionFact]] = defaultdict(list)
    for fact in taken:
        by_wiki[fact.wiki].append(fact)
    moment = datetime.fromtimestamp(0, UTC)
    for wiki, facts in by_wiki.items():
        store.record_ledger(SCRATCH, wiki, LedgerState("", moment, moment), upsert=facts, replace_all=True)
    try:
        yield store, SCRATCH
    finally:
        for wiki in by_wiki:
            store.record_ledger(SCRATCH, wiki, LedgerState("", moment, moment), upsert=(), replace_all=True)


SCRATCH = "scratch"


def counts_toward(
    fact: RevisionFact,
    participants: frozenset[str],
    window: tuple[datetime, datetime],
    scopes: Mapping[str, PageFilter],
    marked: Mapping[str, frozenset[int]] | None = None,
) -> bool:
    """Whether a revision is counted: a participant's, inside the window, in its wiki's scope, and, for a program
    with hashtags or change tags (``marked``: the ids of each wiki's revisions that carry one, bot/hashtags.py),
    one of those."""
    return (
        fact.username in participants
        and window[0] <= fact.timestamp < window[1]
        and scopes.get(fact.wiki, PageFilter()).allows(fact.namespace, fact.title)
        and (marked is None or fact.rev_id in marked.get(fact.wiki, frozenset()))
    )


def aggregate(
    *,
    participants: tuple[str, ...],
    window: tuple[datetime, datetime],
    timezone: str,
    now: datetime,
    revisions: Iterable[RevisionFact],
    uploads: Iterable[UploadFact] = (),
    users: Iterable[UserFact] = (),
    scopes: Mapping[str, PageFilter] | None = None,
    lead_in_days: int = NEW_EDITOR_LEAD_IN_DAYS,
    retention_days: tuple[int, ...] = RETENTION_DAYS,
    ledger: LedgerRef | None = None,
    marked: Mapping[str, frozenset[int]] | None = None,
) -> ProgramMetrics:
    """Every participant appears (with zeros when idle); days are the program's local days.

    The revision counts are GROUP BYs over a ledger (sql/store/ledger_counts.sql, the one definition of that
    arithmetic): ``ledger`` is the program's own in the state DB, which holds exactly ``revisions`` (the bot's
    runs, bot/stats.py); without one, a scratch in-memory ledger takes the counted revisions (tests, benchmarks)."""
    start, end = window
    zone = ZoneInfo(timezone)
    counted = frozenset(participants)
    scopes = scopes or {}
    taken = [fact for fact in revisions if counts_toward(fact, counted, window, scopes, marked)]
    days_taken: dict[str, dict[int, str]] = {wiki: {} for wiki in scopes}
    for fact in taken:
        days_taken.setdefault(fact.wiki, {})[fact.rev_id] = fact.timestamp.astimezone(zone).date().isoformat()
    with _ledger(ledger, taken) as (store, key):
        for wiki, rev_days in days_taken.items():
            store.mark_ledger_counted(key, wiki, rev_days)

        def grouped(dimension: str) -> list[tuple[tuple[Any, ...], Counts]]:
            return store.ledger_counts([key], dimension)

        [*total_rows] = (counts for _values, counts in grouped("total"))
        revision_total = total_rows[0] if total_rows else Counts()
        wikis = {str(values[0]): counts for values, counts in grouped("wiki")}
        by_participant = {name: Counts() for name in participants}
        by_participant.update((str(values[0]), counts) for values, counts in grouped("participant"))
        days = {date.fromisoformat(str(values[0])): counts for values, counts in grouped("day")}
        articles = {
            (str(wiki), int(namespace), str(title)): counts for (wiki, namespace, title), counts in grouped("article")
        }
    # Articles in the order the revisions first reached them (exports and reports list them so).
    first_seen = {(f.wiki, f.namespace, f.title): None for f in taken if not f.deleted}
    by_article = {key: articles[key] for key in first_seen if key in articles}

    upload_rows: dict[str, list[Counts]] = defaultdict(list)
    upload_counts = []
    for upload in uploads:
        if upload.username not in counted or not start <= upload.timestamp < end:
            continue
        row = Counts(uploads=1, uploads_in_use=int(upload.usage > 0), upload_usage=upload.usage)
        upload_counts.append((upload, row))
        upload_rows[upload.username].append(row)

    def with_uploads(counts: Counts, rows: Iterable[Counts]) -> Counts:
        for row in rows:
            counts = counts.plus(row)
        return counts

    for upload, row in upload_counts:
        wikis[upload.wiki] = with_uploads(wikis.get(upload.wiki, Counts()), [row])
    for upload, row in upload_counts:
        day = upload.timestamp.astimezone(zone).date()
        days[day] = with_uploads(days.get(day, Counts()), [row])

    registrations: dict[str, datetime] = {}
    last_edits: dict[str, datetime] = {}
    for user in users:
        if user.registration and (
            user.username not in registrations or user.registration < registrations[user.username]
        ):
            registrations[user.username] = user.registration
        if user.last_edit and (user.username not in last_edits or user.last_edit > last_edits[user.username]):
            last_edits[user.username] = user.last_edit
    new_editors = tuple(
        name
        for name in participants
        if name in registrations and start - timedelta(days=lead_in_days) <= registrations[name] < end
    )
    retention = []
    for days_after in retention_days:
        due = end + timedelta(days=days_after)
        if now < due:
            retention.append(Retention(days_after, None, None))
            continue
        retained = {name for name in participants if name in last_edits and last_edits[name] >= due}
        retention.append(Retention(days_after, len(retained), len(retained & set(new_editors))))

    return ProgramMetrics(
        total=with_uploads(revision_total, (row for _upload, row in upload_counts)),
        by_wiki=dict(sorted(wikis.items())),
        by_participant={name: with_uploads(c, upload_rows[name]) for name, c in by_participant.items()},
        by_day=dict(sorted(days.items())),
        participants=len(participants),
        new_editors=new_editors,
        retention=tuple(retention),
        by_article=by_article,
        uploads=tuple(upload for upload, _row in upload_counts),
    )


def day_figures(
    revisions: Iterable[RevisionFact],
    timezone: str,
    *,
    days: Iterable[date] = (),
    content: Mapping[tuple[str, int], tuple[int, int, int]] | None = None,
    wikidata: Mapping[tuple[str, int], WikidataCounts] | None = None,
    page_views: Mapping[date, int] | None = None,
) -> dict[date, DayFigures]:
    """Per-day words, references, Wikidata counts and page views, in day order (metrics.md, "Breakdowns").

    ``revisions`` are the counted ones; ``content`` holds (words added, references added, references removed) and
    ``wikidata`` the counts of each revision that has them, by (wiki, revision id); each revision's figures go to
    its local day in ``timezone``, the day ``aggregate()`` counts it on. ``page_views`` are the program's views
    per UTC day (the Pageviews API's days, bot/page_views.py), taken as they are. A figure is None on every day
    when its mapping is None (the program has no such metric), else 0 (or zero counts) on a day without any.
    There is a row for each of ``days`` (the days of ``by_day``) and each day with any figure."""
    words: dict[date, int] = defaultdict(int)
    refs_added: dict[date, int] = defaultdict(int)
    refs_removed: dict[date, int] = defaultdict(int)
    changes: dict[date, WikidataCounts] = {}
    zone = ZoneInfo(timezone)
    for fact in revisions:
        key = (fact.wiki, fact.rev_id)
        day = fact.timestamp.astimezone(zone).date()
        if content is not None and key in content:
            added_words, added, removed = content[key]
            words[day] += added_words
            refs_added[day] += added
            refs_removed[day] += removed
        if wikidata is not None and key in wikidata:
            changes[day] = changes.get(day, WikidataCounts()).plus(wikidata[key])
    views = {day: count for day, count in (page_views or {}).items() if count}
    every_day = sorted({*days, *words, *refs_added, *refs_removed, *changes, *views})
    return {
        day: DayFigures(
            words_added=words.get(day, 0) if content is not None else None,
            references_added=refs_added.get(day, 0) if content is not None else None,
            references_removed=refs_removed.get(day, 0) if content is not None else None,
            page_views=views.get(day, 0) if page_views is not None else None,
            wikidata=changes.get(day, WikidataCounts()) if wikidata is not None else None,
        )
        for day in every_day
    }
