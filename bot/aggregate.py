"""Arithmetic from facts to published numbers, written once for both backends (see metrics.md)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

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


def _add(counts: Counts, **deltas: int) -> Counts:
    return replace(counts, **{name: getattr(counts, name) + value for name, value in deltas.items()})


def _merge(rows: Iterable[Counts]) -> Counts:
    total = Counts()
    for row in rows:
        total = total.plus(row)
    return total


@dataclass
class _Tally:
    """Counts plus the sets behind the distinct-page numbers (a page edited twice counts once)."""

    counts: Counts = field(default_factory=Counts)
    edited: set[tuple[str, int]] = field(default_factory=set)
    created: set[tuple[str, int]] = field(default_factory=set)
    created_deleted: set[tuple[str, str]] = field(default_factory=set)

    def add(self, fact: RevisionFact) -> None:
        if fact.deleted:
            self.counts = _add(self.counts, edits_deleted=1)
            if fact.creation:
                self.created_deleted.add((fact.wiki, f"{fact.namespace}:{fact.title}"))
            return
        delta = fact.delta
        self.counts = _add(self.counts, edits=1, bytes_added=max(delta, 0), bytes_removed=max(-delta, 0))
        self.edited.add((fact.wiki, fact.page_id))
        if fact.creation:
            self.created.add((fact.wiki, fact.page_id))

    def result(self) -> Counts:
        return replace(
            self.counts,
            articles_edited=len(self.edited),
            articles_created=len(self.created),
            articles_created_deleted=len(self.created_deleted),
        )


def counts_toward(
    fact: RevisionFact,
    participants: frozenset[str],
    window: tuple[datetime, datetime],
    scopes: Mapping[str, PageFilter],
) -> bool:
    """Whether a revision is counted: a participant's, inside the window, in its wiki's scope."""
    return (
        fact.username in participants
        and window[0] <= fact.timestamp < window[1]
        and scopes.get(fact.wiki, PageFilter()).allows(fact.namespace, fact.title)
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
) -> ProgramMetrics:
    """Every participant appears (with zeros when idle); days are the program's local days."""
    start, end = window
    zone = ZoneInfo(timezone)
    counted = frozenset(participants)
    scopes = scopes or {}
    total, by_wiki = _Tally(), defaultdict[str, _Tally](_Tally)
    by_participant: dict[str, _Tally] = {name: _Tally() for name in participants}
    by_day = defaultdict[date, _Tally](_Tally)
    by_article = defaultdict[tuple[str, int, str], _Tally](_Tally)
    for fact in revisions:
        if not counts_toward(fact, counted, window, scopes):
            continue
        day = fact.timestamp.astimezone(zone).date()
        tallies = [total, by_wiki[fact.wiki], by_participant[fact.username], by_day[day]]
        if not fact.deleted:
            tallies.append(by_article[(fact.wiki, fact.namespace, fact.title)])
        for tally in tallies:
            tally.add(fact)

    upload_rows: dict[str, list[Counts]] = defaultdict(list)
    upload_counts = []
    for upload in uploads:
        if upload.username not in counted or not start <= upload.timestamp < end:
            continue
        row = Counts(uploads=1, uploads_in_use=int(upload.usage > 0), upload_usage=upload.usage)
        upload_counts.append((upload, row))
        upload_rows[upload.username].append(row)

    def with_uploads(counts: Counts, rows: Iterable[Counts]) -> Counts:
        return _merge([counts, *rows])

    wikis = {wiki: tally.result() for wiki, tally in by_wiki.items()}
    for upload, row in upload_counts:
        wikis[upload.wiki] = with_uploads(wikis.get(upload.wiki, Counts()), [row])
    days = {day: tally.result() for day, tally in sorted(by_day.items())}
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
        total=with_uploads(total.result(), (row for _upload, row in upload_counts)),
        by_wiki=dict(sorted(wikis.items())),
        by_participant={name: with_uploads(t.result(), upload_rows[name]) for name, t in by_participant.items()},
        by_day=dict(sorted(days.items())),
        participants=len(participants),
        new_editors=new_editors,
        retention=tuple(retention),
        by_article={key: tally.result() for key, tally in by_article.items()},
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
