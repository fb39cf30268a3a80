"""Arithmetic from facts to published numbers, written once for both backends (see metrics.md)."""

from __future__ import annotations

import hashlib
import json
import threading
import weakref
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cached_property
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.bulk import collecting_later
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
_ZERO = Counts()
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
    generations: tuple[tuple[str, int], ...] | None = None
    """Per tracked wiki, the version of its rows this process wrote (bot/ledger.py ``ref``), the rows already
    marked counted for this count: the GROUP BYs then run only when a version changed. None: rows possibly
    unmarked (written by someone else, or without a Counting), which aggregate() marks, and counts anew."""


@dataclass(frozen=True)
class Counting:
    """Which of one wiki's revisions a program counts, and on which local day: what aggregate() takes, as one value
    the ledger can write with its rows (bot/ledger.py: rows written counted need no marking pass after)."""

    participants: frozenset[str]
    window: tuple[datetime, datetime]
    timezone: str
    scope: PageFilter = PageFilter()

    def day(self, fact: RevisionFact) -> str | None:
        """The local day ``fact`` counts on, None when it does not count."""
        if not counts_toward(fact, self.participants, self.window, {fact.wiki: self.scope}):
            return None
        return _local_day(fact, ZoneInfo(self.timezone))

    def days(self, facts: Iterable[RevisionFact]) -> dict[int, str | None]:
        return {fact.rev_id: self.day(fact) for fact in facts}

    @cached_property
    def fingerprint(self) -> str:
        """What the marks answer: rows marked under another fingerprint must be marked again."""
        scope = self.scope
        described = [
            sorted(self.participants),
            [moment.isoformat() for moment in self.window],
            self.timezone,
            None if scope.pages is None else sorted(scope.pages),
            sorted(scope.excluded),
        ]
        return hashlib.sha256(json.dumps(described).encode()).hexdigest()


def _local_day(fact: RevisionFact, zone: ZoneInfo) -> str:
    return fact.timestamp.astimezone(zone).date().isoformat()


@dataclass(frozen=True)
class _RevisionCounts:
    """The GROUP BYs' results for one count, kept per program while its ledger's versions stay the same."""

    total: Counts
    wikis: tuple[tuple[str, Counts], ...]
    participants: tuple[tuple[str, Counts], ...]
    days: tuple[tuple[date, Counts], ...]
    articles: tuple[tuple[tuple[str, int, str], Counts], ...]
    """Existing pages, in the order the revisions first reached them (exports and reports list them so)."""


_last_counts: weakref.WeakKeyDictionary[Store, dict[str, tuple[tuple[tuple[str, int], ...], _RevisionCounts]]] = (
    weakref.WeakKeyDictionary()
)
"""Per state store and program, the ledger versions last counted and their counts: an update that changed no row
does not run the GROUP BYs again (bench/README.md: a third to three fifths of such an update)."""

_scratch = threading.local()


@contextmanager
def _ledger(
    ledger: LedgerRef | None, taken: dict[str, dict[int, str]], facts: list[RevisionFact]
) -> Iterator[tuple[Store, str]]:
    """The program's ledger, or a scratch one (one in-memory SQLite per thread) holding ``facts`` counted on their
    days in ``taken`` (wiki -> rev_id -> local day), emptied after."""
    if ledger is not None:
        yield ledger.store, ledger.program_key
        return
    store: Store | None = getattr(_scratch, "store", None)
    if store is None:
        store = _scratch.store = Store.open(StateConfig(engine="sqlite", path=Path(":memory:")))
    by_wiki: dict[str, list[RevisionFact]] = defaultdict(list)
    for fact in facts:
        by_wiki[fact.wiki].append(fact)
    moment = datetime.fromtimestamp(0, UTC)
    for wiki, rows in by_wiki.items():
        state = LedgerState("", moment, moment)
        store.record_ledger(SCRATCH, wiki, state, upsert=rows, replace_all=True, days=taken[wiki])
    try:
        yield store, SCRATCH
    finally:
        for wiki in by_wiki:
            store.record_ledger(SCRATCH, wiki, LedgerState("", moment, moment), upsert=(), replace_all=True)


SCRATCH = "scratch"


@collecting_later()  # a big ledger's GROUP BYs return as many rows as it has articles (bot/bulk.py)
def _revision_counts(
    ledger: LedgerRef | None,
    revisions: Iterable[RevisionFact],
    participants: tuple[str, ...],
    window: tuple[datetime, datetime],
    timezone: str,
    scopes: Mapping[str, PageFilter],
    marked: Mapping[str, frozenset[int]] | None,
) -> _RevisionCounts:
    """The five GROUP BYs over the ledger, or the last ones of this program when its ledger's versions are those
    they counted; rows not marked yet (no versions) are marked first."""
    versions = ledger.generations if ledger is not None else None
    if ledger is not None and versions is not None:
        last = _last_counts.get(ledger.store, {}).get(ledger.program_key)
        if last is not None and last[0] == versions:
            return last[1]
    counted = frozenset(participants)
    zone = ZoneInfo(timezone)
    premarked = versions is not None
    taken: list[RevisionFact] = []
    days_taken: dict[str, dict[int, str]] = {wiki: {} for wiki in scopes}
    for fact in revisions:
        if counts_toward(fact, counted, window, scopes, marked):
            taken.append(fact)
            if not premarked:
                days_taken.setdefault(fact.wiki, {})[fact.rev_id] = _local_day(fact, zone)
    with _ledger(ledger, days_taken, taken) as (store, key):
        if ledger is not None and not premarked:
            for wiki, rev_days in days_taken.items():
                store.mark_ledger_counted(key, wiki, rev_days)

        def grouped(dimension: str) -> list[tuple[tuple[Any, ...], Counts]]:
            return store.ledger_counts([key], dimension)

        [*total_rows] = (counts for _values, counts in grouped("total"))
        articles = {
            (str(wiki), int(namespace), str(title)): counts for (wiki, namespace, title), counts in grouped("article")
        }
        first_seen = {(f.wiki, f.namespace, f.title): None for f in taken if not f.deleted}
        result = _RevisionCounts(
            total=total_rows[0] if total_rows else Counts(),
            wikis=tuple((str(values[0]), counts) for values, counts in grouped("wiki")),
            participants=tuple((str(values[0]), counts) for values, counts in grouped("participant")),
            days=tuple((date.fromisoformat(str(values[0])), counts) for values, counts in grouped("day")),
            articles=tuple((page, articles[page]) for page in first_seen if page in articles),
        )
    if ledger is not None and versions is not None:
        _last_counts.setdefault(ledger.store, {})[ledger.program_key] = (versions, result)
    return result


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
    found = _revision_counts(ledger, revisions, participants, window, timezone, scopes, marked)
    revision_total = found.total
    wikis = dict(found.wikis)
    by_participant = dict.fromkeys(participants, _ZERO)  # Counts are frozen: one zero serves everyone idle
    by_participant.update(found.participants)
    days = dict(found.days)
    by_article = dict(found.articles)

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
    lead_in = start - timedelta(days=lead_in_days)
    new_editors = tuple(name for name in participants if name in registrations and lead_in <= registrations[name] < end)
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
        by_participant=(
            {name: with_uploads(c, upload_rows.get(name, ())) for name, c in by_participant.items()}
            if upload_rows
            else by_participant
        ),
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
