"""Arithmetic from facts to published numbers, written once for both backends (see metrics.md)."""

from __future__ import annotations

import hashlib
import itertools
import json
import threading
import weakref
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping
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


Groups = dict[Any, Counts]
"""One dimension's counts as the GROUP BYs give them: its value (None for the total, a wiki's or a participant's
name, a local day's date, an article's ``Page``) -> counts."""
Page = tuple[str, int, str]
"""An existing page, as the articles are keyed: (wiki, namespace, title)."""
First = tuple[datetime, int]
"""A revision's place in time, (timestamp, rev_id): the articles are in the order of their first counted one."""


@dataclass(frozen=True)
class LedgerDelta:
    """One ledger update of one wiki as aggregate() can take it into its last counts, instead of running the GROUP
    BYs over the whole ledger again. Every count in every dimension is a sum over pages: edits and bytes over rows,
    distinct pages over live pages (by id) and deleted ones (by namespace and title), and a group is there while it
    has a row. So when an update wrote rows on some pages only, each group's counts now are the last ones plus the
    counts of every row of those pages after the write, less the counts of their rows before it (the same GROUP BYs,
    sql/store/ledger_counts.sql, over those rows alone); group by group, exactly. bot/ledger.py takes both around
    its write (``ledger_share``)."""

    since: int
    """The version of the wiki's rows the update started from (bot/ledger.py ``ref``): the last counts must be its."""
    before: Mapping[str, Groups]
    """Per dimension, the counts of the rows of the pages the update wrote, before it."""
    after: Mapping[str, Groups]
    """The same, after it."""
    firsts: Mapping[Page, First | None]
    """Each page a changed row is or was on, live, and its first counted revision after the update (None: none)."""


@dataclass(frozen=True)
class LedgerRef:
    """A program's ledger in the state DB (bot/ledger.py)."""

    store: Store
    program_key: str
    generations: tuple[tuple[str, int], ...] | None = None
    """Per tracked wiki, the version of its rows this process wrote (bot/ledger.py ``ref``), the rows already
    marked counted for this count: the GROUP BYs then run only when a version changed. None: rows possibly
    unmarked (written by someone else, or without a Counting), which aggregate() marks, and counts anew."""
    deltas: tuple[tuple[str, LedgerDelta], ...] = ()
    """Per tracked wiki, the update that made its version from the previous one, when bot/ledger.py took it: the
    last counts are then patched with it instead of counted again."""


@dataclass(frozen=True)
class Counting:
    """Which of one wiki's revisions a program counts, and on which local day: what aggregate() takes, as one value
    the ledger can write with its rows (bot/ledger.py: rows written counted need no marking pass after)."""

    participants: frozenset[str]
    window: tuple[datetime, datetime]
    timezone: str
    scope: PageFilter = PageFilter()

    def counts(self, fact: RevisionFact) -> bool:
        return counts_toward(fact, self.participants, self.window, {fact.wiki: self.scope})

    def day(self, fact: RevisionFact) -> str | None:
        """The local day ``fact`` counts on, None when it does not count."""
        return _local_day(fact, ZoneInfo(self.timezone)) if self.counts(fact) else None

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
class _Counted:
    """One program's revision counts: kept while its ledger's versions stay the same, and patched with the
    LedgerDelta of an update."""

    versions: tuple[tuple[str, int], ...]
    groups: Mapping[str, Groups]
    """Per dimension, its groups. The articles (existing pages) in the order the revisions first reached them
    (exports and reports list them so): wiki by wiki in the order of the revisions given, then by their first
    counted revision (``First``)."""
    firsts: dict[Page, First]
    ranks: Mapping[str, int]
    """Each wiki's place among the articles."""


_last_counts: weakref.WeakKeyDictionary[Store, dict[str, _Counted]] = weakref.WeakKeyDictionary()
"""Per state store and program, its last count: an update that changed no row does not run the GROUP BYs again
(bench/README.md: a third to three fifths of such an update), and one that carries its LedgerDelta patches it."""

DIMENSIONS = ("total", "wiki", "participant", "day", "article")


def _grouped(store: Store, key: str, dimension: str, only: tuple[str, Collection[int]] | None = None) -> Groups:
    """The dimension's groups, keyed as ``Groups`` says."""
    found = store.ledger_counts([key], dimension, only)
    if dimension == "article":
        return {(str(wiki), int(namespace), str(title)): counts for (wiki, namespace, title), counts in found}
    if dimension == "day":
        return {date.fromisoformat(str(day)): counts for (day,), counts in found}
    return {(str(values[0]) if values else None): counts for values, counts in found}


def ledger_share(store: Store, key: str, wiki: str, rev_ids: Collection[int]) -> dict[str, Groups]:
    """Per dimension, the counts of these rows of the program's ledger on ``wiki`` alone (a LedgerDelta's side)."""
    return {dimension: _grouped(store, key, dimension, (wiki, rev_ids)) for dimension in DIMENSIONS}


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
) -> _Counted:
    """The five GROUP BYs over the ledger; or the last ones of this program when its ledger's versions are those
    they counted, patched with the LedgerDelta of each wiki whose version changed when every one has it; rows not
    marked yet (no versions) are marked first."""
    versions = ledger.generations if ledger is not None else None
    if ledger is not None and versions is not None:
        kept = _last_counts.setdefault(ledger.store, {})
        # Out of the cache while patched (in place): a patch that fails halfway leaves nothing half-done there.
        last = kept.pop(ledger.program_key, None)
        if last is not None and last.versions != versions:
            last = _patched(last, versions, dict(ledger.deltas))
        if last is not None:
            kept[ledger.program_key] = last
            return last
    counted = frozenset(participants)
    zone = ZoneInfo(timezone)
    premarked = versions is not None
    taken: list[RevisionFact] = []
    days_taken: dict[str, dict[int, str]] = {wiki: {} for wiki in scopes}
    firsts: dict[Page, First] = {}
    ranks: dict[str, int] = {}
    for fact in revisions:
        if counts_toward(fact, counted, window, scopes, marked):
            taken.append(fact)
            if not premarked:
                days_taken.setdefault(fact.wiki, {})[fact.rev_id] = _local_day(fact, zone)
            if not fact.deleted:
                page, first = (fact.wiki, fact.namespace, fact.title), (fact.timestamp, fact.rev_id)
                if page not in firsts or first < firsts[page]:
                    firsts[page] = first
                ranks.setdefault(fact.wiki, len(ranks))
    with _ledger(ledger, days_taken, taken) as (store, key):
        if ledger is not None and not premarked:
            for wiki, rev_days in days_taken.items():
                store.mark_ledger_counted(key, wiki, rev_days)
        groups = {dimension: _grouped(store, key, dimension) for dimension in DIMENSIONS}
    # Listed as first reached, the articles are in order already but after a recount (whose facts come by author):
    # the sort is then one pass.
    grouped = groups["article"]
    articles = [(page, grouped[page]) for page in firsts if page in grouped]
    groups["article"] = dict(sorted(articles, key=lambda item: (ranks[item[0][0]], firsts[item[0]])))
    result = _Counted(versions or (), groups, firsts, ranks)
    if ledger is not None and versions is not None:
        _last_counts[ledger.store][ledger.program_key] = result
    return result


def _patched(
    last: _Counted, versions: tuple[tuple[str, int], ...], deltas: Mapping[str, LedgerDelta]
) -> _Counted | None:
    """``last`` (changed in place) with the deltas of the wikis whose version changed since; None when one has none
    (or not from that version), or when the patch does not add up (a group below zero, the ledger's groups and the
    update's rows disagreeing on an article), which the GROUP BYs then settle."""
    if [wiki for wiki, _version in last.versions] != [wiki for wiki, _version in versions]:
        return None
    applied = []
    for (wiki, was), (_wiki, now) in zip(last.versions, versions, strict=True):
        if was != now:
            delta = deltas.get(wiki)
            if delta is None or delta.since != was:
                return None
            applied.append(delta)
    articles, firsts = last.groups["article"], last.firsts
    # An article new or whose first revision moved goes where that revision puts it: after the others when those
    # all come last (the usual update: new pages), else every article is put in order again.
    moved = {
        page
        for delta in applied
        for page, first in itertools.chain(delta.firsts.items(), ((page, None) for page in delta.after["article"]))
        if page not in articles or (first is not None and firsts.get(page) != first)
    }
    for dimension in DIMENSIONS:
        table = last.groups[dimension]
        changed: set[Any] = set()
        for delta in applied:
            for value, counts in delta.after[dimension].items():
                table[value] = _sum(table.get(value, _ZERO), counts, 1)
            for value, counts in delta.before[dimension].items():
                table[value] = _sum(table.get(value, _ZERO), counts, -1)
            changed.update(delta.after[dimension], delta.before[dimension])
        for value in changed:
            counts = table[value]
            if _negative(counts):
                return None
            if counts.edits + counts.edits_deleted == 0:
                del table[value]
    for delta in applied:
        for page, first in delta.firsts.items():
            if first is None:
                firsts.pop(page, None)
            else:
                firsts[page] = first
        # The ledger's groups and the update's rows must agree on which pages have a counted revision.
        if any(
            (page in articles) != (page in firsts)
            for page in itertools.chain(delta.firsts, delta.after["article"], delta.before["article"])
        ):
            return None
    moved &= articles.keys()
    if any(page[0] not in last.ranks for page in moved):
        return None

    def place(page: Page) -> tuple[int, First]:
        return last.ranks[page[0]], firsts[page]

    held = {page: articles.pop(page) for page in sorted(moved, key=place)}
    if articles and held and place(next(reversed(articles))) > place(next(iter(held))):
        articles.update(held)
        ordered = dict(sorted(articles.items(), key=lambda item: place(item[0])))
        return _Counted(versions, {**last.groups, "article": ordered}, firsts, last.ranks)
    articles.update(held)
    return _Counted(versions, last.groups, firsts, last.ranks)


def _negative(counts: Counts) -> bool:
    return min(counts.edits, counts.edits_deleted, counts.articles_edited, counts.articles_created,
               counts.articles_created_deleted, counts.bytes_added, counts.bytes_removed) < 0  # fmt: skip


def _sum(counts: Counts, other: Counts, sign: int) -> Counts:
    """``counts`` plus (``sign`` 1) or less (-1) ``other``'s revision counts."""
    return Counts(
        edits=counts.edits + sign * other.edits,
        edits_deleted=counts.edits_deleted + sign * other.edits_deleted,
        articles_edited=counts.articles_edited + sign * other.articles_edited,
        articles_created=counts.articles_created + sign * other.articles_created,
        articles_created_deleted=counts.articles_created_deleted + sign * other.articles_created_deleted,
        bytes_added=counts.bytes_added + sign * other.bytes_added,
        bytes_removed=counts.bytes_removed + sign * other.bytes_removed,
    )


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
    found = _revision_counts(ledger, revisions, participants, window, timezone, scopes, marked).groups
    revision_total = found["total"].get(None, _ZERO)
    wikis = dict(found["wiki"])
    by_participant = dict.fromkeys(participants, _ZERO)  # Counts are frozen: one zero serves everyone idle
    by_participant.update(found["participant"])
    days = dict(found["day"])
    by_article = dict(found["article"])

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
