"""The rows of the tabs a program page and a campaign page share: participants, articles, uploads, activity and
charts. A :class:`Subject` is what a tab is about: one program, or a campaign's programs together (each revision
and file once).

Privacy (metrics.md): a list that names users (participants, uploaders, authors of revisions) is built only from
public programs; a breakdown (articles, uploads, per-day charts, revisions) only from programs whose breakdowns are
published (``breakdowns_published``: public, or private with enough participants behind them), and then without
names for a private one. What a private program contributes to a campaign's tabs is therefore at most anonymous
counts.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Generic, TypeVar

from bot import exports
from bot.metric_registry import Dimension, Figures, Metric, headline, in_dimension
from bot.metrics import Counts
from bot.program import SignupStatus
from bot.store import LedgerRow, ProgramSummary, Store
from webservice import charts
from webservice.listing import Paged, Sort, page_bounds, paginate, sort_by

T = TypeVar("T")

CANONICAL_NAMESPACES = {
    1: "Talk", 2: "User", 3: "User talk", 4: "Project", 5: "Project talk", 6: "File", 7: "File talk",
    8: "MediaWiki", 9: "MediaWiki talk", 10: "Template", 11: "Template talk", 12: "Help", 13: "Help talk",
    14: "Category", 15: "Category talk", 118: "Draft", 119: "Draft talk", 120: "Property", 146: "Lexeme",
}  # fmt: skip
"""Names every MediaWiki understands whatever its language (canonical names), to link a page stored by namespace
number and title; an extension's namespace not listed here is shown without a link."""


def full_title(namespace: int, title: str) -> str | None:
    """The page's title with its namespace (spaces, not underscores), or None for a namespace we cannot name."""
    text = title.replace("_", " ")
    if namespace == 0:
        return text
    name = CANONICAL_NAMESPACES.get(namespace)
    return f"{name}:{text}" if name else None


@dataclass(frozen=True)
class Subject:
    """A program, or a campaign's programs together, as the tabs see them."""

    kind: str
    """``program`` or ``campaign``: the endpoints of its tabs are ``<kind>_<tab>``."""
    key: str
    name: str
    members: tuple[ProgramSummary, ...]
    """The programs whose numbers the tabs show (those with a snapshot)."""

    @property
    def private(self) -> bool:
        """A private program: its tabs name nobody."""
        return self.kind == "program" and any(m.private for m in self.members)

    @property
    def named(self) -> tuple[ProgramSummary, ...]:
        """Members whose participants may be named."""
        return tuple(m for m in self.members if not m.private)

    @property
    def broken_down(self) -> tuple[ProgramSummary, ...]:
        """Members whose breakdowns (articles, uploads, days, revisions) may be shown."""
        return tuple(m for m in self.members if exports.breakdowns_published(m))

    @property
    def hidden_breakdowns(self) -> bool:
        """Some member's breakdowns are left out (the page says so)."""
        return len(self.broken_down) < len(self.members)


def program_subject(summary: ProgramSummary) -> Subject:
    return Subject("program", summary.key, summary.name, (summary,) if summary.updated_at else ())


class SnapshotCache(Generic[T]):
    """Results computed from programs' latest snapshots, kept by the snapshots' ids (program key, time taken) for a
    while: a snapshot is never changed once stored, and an update stores a new one (a new id) after writing what it
    counted, so a result of the same snapshots is the same result. ``seconds`` bounds the age of an entry all the
    same (an update that failed after writing its ledger leaves the old snapshot the latest). Each web process
    keeps its own; least recently used entries go first."""

    def __init__(self, size: int, seconds: float) -> None:
        self.size = size
        """Entries kept; 0 keeps none (the site bench measures both)."""
        self.seconds = seconds
        self._lock = threading.Lock()
        self._entries: OrderedDict[Hashable, tuple[float, T]] = OrderedDict()

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        now = time.monotonic()
        with self._lock:
            found = self._entries.get(key)
            if found is not None and now - found[0] <= self.seconds:
                self._entries.move_to_end(key)
                return found[1]
        value = compute()  # outside the lock: two requests missing together both compute, neither waits
        with self._lock:
            self._entries[key] = (now, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return value


def snapshot_ids(members: tuple[ProgramSummary, ...]) -> tuple[tuple[str, str | None], ...]:
    return tuple((m.key, m.updated_at) for m in members)


# --- participants -------------------------------------------------------------------------------------------


PARTICIPANT_METRICS: tuple[Metric, ...] = headline(Dimension.PARTICIPANT)


@dataclass(frozen=True)
class ParticipantRow:
    username: str
    status: SignupStatus | None
    """The sign-up's status on a program page; None on a campaign page (one row per person)."""
    figures: Figures


def _uploads_by_user(store: Store, members: tuple[ProgramSummary, ...]) -> dict[str, int]:
    files: dict[tuple[str, str], str] = {}
    for member in members:
        for wiki, file, uploader, _when, _usage in store.snapshot_uploads(member.key, str(member.updated_at)):
            files[(wiki, file)] = uploader
    counts: dict[str, int] = {}
    for uploader in files.values():
        counts[uploader] = counts.get(uploader, 0) + 1
    return counts


def _with_uploads(counts: Counts, files: int) -> Counts:
    """``counts`` with this many uploads; the same object when it already says so (most participants upload
    nothing): ``dataclasses.replace`` on every one of a thousand rows was a third of the tab's time."""
    return counts if counts.uploads == files else replace(counts, uploads=files)


def participants(store: Store, subject: Subject) -> list[ParticipantRow]:
    """Each participant with their figures (zeros for one who has not edited) and their uploads; nobody for a
    private program."""
    named = subject.named
    if not named:
        return []
    uploads = _uploads_by_user(store, named)
    if subject.kind == "program":
        [member] = named
        counts = {n: c for n, c, _ in store.snapshot_counts(member.key, str(member.updated_at), "participant")}
        none = Counts()
        return [
            ParticipantRow(p.username, p.status,
                           Figures(counts=_with_uploads(counts.get(p.username, none), uploads.get(p.username, 0))))
            for p in store.signups(member.key)
        ]  # fmt: skip
    people: set[str] = set()
    for member in named:
        people |= {p.username for p in store.signups(member.key) if p.status is SignupStatus.CONFIRMED}
    by_user = {str(values[0]): c for values, c in store.ledger_counts([m.key for m in named], "participant")}
    return [
        ParticipantRow(name, None, Figures(counts=replace(by_user.get(name, Counts()), uploads=uploads.get(name, 0))))
        for name in sorted(people, key=str.casefold)
    ]


PARTICIPANT_SORTS: dict[str, Callable[[ParticipantRow], Any]] = {
    "username": lambda row: row.username,
    "status": lambda row: row.status.value if row.status else None,
    **{m.name: (lambda metric: lambda row: metric.value(row.figures))(m) for m in PARTICIPANT_METRICS},
}
"""The participants tab's sort columns and each one's key (a campaign's rows are sorted by these; a program's
page is sorted by the store, Store.participant_page, and by name here as :func:`listing.sort_by` sorts text)."""


def participant_page(store: Store, subject: Subject, sort: Sort, number: int, per_page: int) -> Paged[ParticipantRow]:
    """Page ``number`` of :func:`participants` sorted as ``sort`` says. A program's page is read as one page from
    the store (a thousand rows built to show a hundred were most of the tab's time); a campaign's rows, counted
    over its programs' ledgers, are built in full and sorted here."""
    named = subject.named
    if subject.kind != "program" or not named:
        return paginate(sort_by(participants(store, subject), PARTICIPANT_SORTS[sort.column], sort.descending),
                        per_page, number)  # fmt: skip
    [member] = named
    taken_at = str(member.updated_at)
    if sort.column == "username":
        # Names sort without regard to case as Python's casefold does, which neither SQL engine can: the names
        # are sorted here, and only the chosen page's rows are read.
        names = sort_by(store.participant_names(member.key), str, sort.descending)
        bounds = page_bounds(len(names), per_page, number)
        chosen = names[bounds.start : bounds.start + per_page]
        found = {row[0]: row for row in store.participants_named(member.key, taken_at, chosen)}
        rows = [found[name] for name in chosen if name in found]
    else:
        bounds = page_bounds(store.participant_count(member.key), per_page, number)
        rows = store.participant_page(member.key, taken_at, sort.column, sort.descending, bounds.start, per_page)
    return bounds.of([ParticipantRow(name, status, Figures(counts=counts)) for name, status, counts in rows])


# --- articles -----------------------------------------------------------------------------------------------


ARTICLE_METRICS: tuple[Metric, ...] = tuple(
    m for m in in_dimension(Dimension.ARTICLE) if m.name in ("edits", "bytes_added", "bytes_net", "page_views")
)
"""The article tab's columns (the download has every per-article number)."""


@dataclass(frozen=True)
class ArticleRow:
    wiki: str
    namespace: int
    title: str
    """With spaces."""
    figures: Figures

    @property
    def created(self) -> bool:
        return self.figures.counts.articles_created > 0

    @property
    def full_title(self) -> str | None:
        return full_title(self.namespace, self.title)


def articles(store: Store, subject: Subject) -> list[ArticleRow]:
    """The articles edited (existing pages; those created marked), with views where the program counts them."""
    members = subject.broken_down
    if not members:
        return []
    if subject.kind == "program":
        [member] = members
        return [_article_row(*row) for row in store.snapshot_counts(member.key, str(member.updated_at), "article")]
    return [
        ArticleRow(str(wiki), int(namespace), str(title).replace("_", " "), Figures(counts=counts))
        for (wiki, namespace, title), counts in store.ledger_counts([m.key for m in members], "article")
    ]


def _article_row(value: str, counts: Counts, views: int | None) -> ArticleRow:
    """A snapshot's article row: its value is ``wiki|namespace|title``."""
    wiki, namespace, title = value.split("|", 2)
    return ArticleRow(wiki, int(namespace), title.replace("_", " "), Figures(counts=counts, page_views=views))


ARTICLE_SORTS: dict[str, Callable[[ArticleRow], Any]] = {
    "title": lambda row: row.title,
    "wiki": lambda row: row.wiki,
    **{m.name: (lambda metric: lambda row: metric.value(row.figures))(m) for m in ARTICLE_METRICS},
}
"""The articles tab's sort columns and each one's key (as for :data:`PARTICIPANT_SORTS`)."""


def article_page(
    store: Store, subject: Subject, sort: Sort, number: int, per_page: int, *, created_only: bool
) -> tuple[Paged[ArticleRow], bool]:
    """Page ``number`` of :func:`articles` (only those created, if asked) sorted as ``sort`` says, and whether any
    of them has page views; a program's page read as one page from the store, as :func:`participant_page`."""
    members = subject.broken_down
    if subject.kind != "program" or not members:
        every = [row for row in articles(store, subject) if row.created or not created_only]
        views = any(row.figures.page_views is not None for row in every)
        return paginate(sort_by(every, ARTICLE_SORTS[sort.column], sort.descending), per_page, number), views
    [member] = members
    key, taken_at = member.key, str(member.updated_at)
    total, views = store.article_count(key, taken_at, created_only=created_only)
    if sort.column == "title":
        values = sort_by(store.article_values(key, taken_at, created_only=created_only),
                         lambda value: value.split("|", 2)[2].replace("_", " "), sort.descending)  # fmt: skip
        bounds = page_bounds(len(values), per_page, number)
        chosen = values[bounds.start : bounds.start + per_page]
        found = {row[0]: row for row in store.articles_valued(key, taken_at, chosen)}
        rows = [found[value] for value in chosen if value in found]
    else:
        bounds = page_bounds(total, per_page, number)
        rows = store.article_page(key, taken_at, sort.column, sort.descending, bounds.start, per_page,
                                  created_only=created_only)  # fmt: skip
    return bounds.of([_article_row(*row) for row in rows]), views


# --- uploads ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UploadRow:
    wiki: str
    file: str
    """Without namespace, with underscores (as stored)."""
    uploader: str | None
    """None where it may not be shown (a private program)."""
    uploaded_at: str
    usage: int
    program_key: str

    @property
    def label(self) -> str:
        return self.file.replace("_", " ")


def uploads(store: Store, subject: Subject) -> list[UploadRow]:
    """Each file once (the first program listing it), newest first."""
    found: dict[tuple[str, str], UploadRow] = {}
    for member in subject.broken_down:
        for wiki, file, uploader, when, usage in store.snapshot_uploads(member.key, str(member.updated_at)):
            found.setdefault((wiki, file), UploadRow(wiki, file, None if member.private else uploader, when, usage,
                                                     member.key))  # fmt: skip
    return sorted(found.values(), key=lambda row: (row.uploaded_at, row.wiki, row.file), reverse=True)


UPLOADERS: SnapshotCache[list[str]] = SnapshotCache(64, 600.0)
"""A program's uploaders, sorted: a snapshot's own rows (5 ms on MariaDB for a thousand files, grouped by their
bytes)."""


def upload_page(
    store: Store, subject: Subject, uploader: str, number: int, per_page: int, source: Hashable
) -> tuple[Paged[UploadRow], list[str]]:
    """Page ``number`` of :func:`uploads`, all or one uploader's ('' for all), and every uploader who may be named
    (sorted by name, without regard to case); a program's page read as one page from the store. ``source`` tells
    stores apart, as for :func:`day_charts`."""
    members = subject.broken_down
    if subject.kind != "program" or not members:
        every = uploads(store, subject)
        names = sorted({row.uploader for row in every if row.uploader}, key=str.casefold)
        return paginate([row for row in every if row.uploader == uploader] if uploader else every, per_page,
                        number), names  # fmt: skip
    [member] = members
    key, taken_at = member.key, str(member.updated_at)
    if member.private:  # nobody is named, so nobody's files can be asked for
        names = []
        total = 0 if uploader else store.upload_count(key, taken_at, "")
    else:
        names = UPLOADERS.get((source, snapshot_ids(members)),
                              lambda: sorted(store.uploaders(key, taken_at), key=str.casefold))  # fmt: skip
        total = store.upload_count(key, taken_at, uploader)
    bounds = page_bounds(total, per_page, number)
    rows = store.upload_page(key, taken_at, uploader, bounds.start, per_page) if total else []
    return bounds.of([UploadRow(wiki, file, None if member.private else name, when, usage, key)
                      for wiki, file, name, when, usage in rows]), names  # fmt: skip


# --- activity -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActivityRow:
    revision: LedgerRow
    username: str | None
    """None for a private program's revisions."""

    @property
    def full_title(self) -> str | None:
        return full_title(self.revision.namespace, self.revision.title)

    @property
    def when(self) -> datetime:
        return self.revision.timestamp


def activity(store: Store, subject: Subject, count: int) -> tuple[list[ActivityRow], bool]:
    """The newest ``count`` counted revisions, and whether there are more. A campaign lists its public programs'
    revisions (a private program's would have to be shown without names, mixed with named ones)."""
    members = subject.broken_down if subject.kind == "program" else subject.named
    if not members:
        return [], False
    rows = store.counted_revisions([m.key for m in members], 0, count + 1)
    named = not subject.private
    return [ActivityRow(row, row.username if named else None) for row in rows[:count]], len(rows) > count


# --- alerts -------------------------------------------------------------------------------------------------


def alerts(store: Store, subject: Subject) -> tuple[list[tuple[object, ...]], bool]:
    """The deletion alerts of the latest snapshots (wiki, namespace, title, category or discussion page, kind), each
    once; and whether some were left out (they name articles: a breakdown a private program may not publish)."""
    found: dict[tuple[object, ...], tuple[object, ...]] = {}
    hidden = False
    published = {m.key for m in subject.broken_down}
    for member in subject.members:
        snapshot = next((s for s in store.snapshots(member.key) if s.taken_at == member.updated_at), None)
        if snapshot is None or not snapshot.alerts:
            continue
        if member.key not in published:
            hidden = True
            continue
        for alert in snapshot.alerts:
            found.setdefault(tuple(alert[:4]), alert)
    return list(found.values()), hidden


# --- charts -------------------------------------------------------------------------------------------------


CHARTS: SnapshotCache[list[charts.Chart]] = SnapshotCache(64, 600.0)
"""A program's charts: their statement is a GROUP BY over the whole ledger (20,000 revisions: 60-210 ms on MariaDB
under load, bench/README.md), for numbers that change only with the next snapshot."""


def day_charts(store: Store, subject: Subject, source: Hashable) -> list[charts.Chart]:
    """``source`` tells stores apart (their config): two may hold programs of the same keys and times (tests)."""
    members = subject.broken_down
    if not members:
        return []
    return CHARTS.get((source, snapshot_ids(members)),
                      lambda: charts.charts(store.day_wiki_counts([m.key for m in members])))  # fmt: skip
