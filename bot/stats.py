"""A program's metrics: facts from each tracked wiki (replicas or API), one aggregation, then the metrics that need
content or other services (words, references, Wikidata, alerts, page views).

The replica backend is the default; the API backend serves wikis without replica access and, in tests, checks the
replica backend. Anything a backend cannot see becomes a message, never a silent zero.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import TypeVar

from bot import facts_api, facts_replica, ledger
from bot.aggregate import Counting, PageFilter, aggregate, counts_toward, day_figures
from bot.alerts import alert_pages, api_alerts, replica_alerts
from bot.clock import iso, utcnow
from bot.config import Settings, WikiConfig
from bot.content_metrics import wiki_content_metrics
from bot.facts_replica import FactRequest, WikiFacts
from bot.hashtags import marked_authors, marked_revisions, resume_point, search_fingerprint
from bot.metrics import ProgramMetrics, RevisionFact, WikidataCounts
from bot.page_views import using_page_views, wiki_page_views
from bot.pageviews import PageviewsError
from bot.petscan_client import PetscanClient, PetscanError, PetscanResult
from bot.program import EditMarks, Message, Program
from bot.replica import Replica
from bot.scope import Page, PetscanPages, resolve_api, resolve_replica
from bot.store import Store
from bot.wiki import site, title_prefixes
from bot.wikidata_diff import wiki_wikidata_metrics

T = TypeVar("T")


def backend_label(program: Program, settings: Settings, backend: str | None = None) -> str:
    """What the snapshot says its facts came from: one backend's name, or "mixed"."""
    used = {backend or settings.wiki(wiki).stats_backend for wiki in program.definition.tracked_wikis}
    return used.pop() if len(used) == 1 else "mixed"


def _facts(
    backend: str,
    request: FactRequest,
    replica: Replica,
    store: Store | None,
    program: Program,
    counting: Counting | None,
) -> WikiFacts:
    """Through the program's ledger when there is a store (the bot's runs), its rows written counted as ``counting``
    says; read in full otherwise (bench, tests that compare the backends)."""
    if store is not None:
        return ledger.wiki_facts(replica, request, backend, store=store, program_key=program.key, counting=counting)[0]
    if backend == "replica":
        return facts_replica.wiki_facts(replica, request)
    return facts_api.wiki_facts(replica.wiki, request)


class _Petscan:
    """A program's PetScan query, run at most once however many wikis the program tracks (every request re-runs it
    on PetScan); each wiki then takes the pages that are its own."""

    def __init__(self, settings: Settings) -> None:
        self._url = settings.petscan_url
        self._results: dict[int, PetscanResult | PetscanError] = {}

    def result(self, psid: int) -> PetscanResult:
        if psid not in self._results:
            client = PetscanClient(self._url)
            try:
                self._results[psid] = client.query(psid)
            except PetscanError as error:
                self._results[psid] = error
            finally:
                client.session.close()
        found = self._results[psid]
        if isinstance(found, PetscanError):
            raise found
        return found

    def pages_on(self, wiki: str) -> PetscanPages:
        """The query's pages on ``wiki`` (a database name): all of them if it ran there or PetScan did not say where
        it ran (then the tracked wiki is assumed), none if it ran on another wiki."""

        def pages(psid: int) -> frozenset[Page]:
            return self.result(psid).pages_on(wiki)

        return pages

    def elsewhere(self, wikis: Collection[str]) -> list[tuple[int, str]]:
        """(PSID, wiki) of each query that ran on none of ``wikis``: its pages count nowhere, so the organizer is
        told instead of the PSID being silently applied to, or dropped from, a tracked wiki."""
        return [
            (psid, found.wiki)
            for psid, found in sorted(self._results.items())
            if isinstance(found, PetscanResult) and found.wiki is not None and found.wiki not in wikis
        ]


def _scope(backend: str, program: Program, replica: Replica, petscan: _Petscan) -> tuple[PageFilter, bool]:
    scope = program.definition.scope
    if not (scope.limited or scope.excluded):
        return PageFilter(), False
    wiki_site = site(replica.wiki)
    pages = petscan.pages_on(replica.wiki.replica.dbname)
    if backend == "replica":
        resolved = resolve_replica(scope, replica, title_prefixes(wiki_site), pages)
    else:
        resolved = resolve_api(scope, wiki_site, pages)
    return resolved.filter, resolved.petscan_unavailable


def program_metrics(
    program: Program,
    settings: Settings,
    replicas: dict[str, Replica],
    now: datetime,
    *,
    store: Store | None = None,
    backend: str | None = None,
) -> tuple[ProgramMetrics, tuple[Message, ...]]:
    """``backend`` forces one backend for every wiki (tests compare them); by default each wiki's configured one."""
    definition = program.definition
    notes: list[Message] = []
    revisions: list[RevisionFact] = []
    facts: list[WikiFacts] = []
    scopes: dict[str, PageFilter] = {}
    petscan = _Petscan(settings)
    marks = definition.marks
    people = program.confirmed
    if marks.anyone:
        people = _hashtag_people(program, replicas, backend, notes, store, utcnow(), settings)
    marked: dict[str, frozenset[int]] | None = {} if marks.active else None
    counted_people = frozenset(people)
    for tracked in definition.tracked:
        replica = replicas[tracked.wiki]
        wiki_backend = backend or replica.wiki.stats_backend
        request = FactRequest(
            usernames=people,
            window=definition.window,
            namespaces=tracked.namespaces,
            bot_username=settings.bot_username,
        )
        # The scope first: the ledger writes its rows counted (or not) with their local days.
        scopes[tracked.wiki], petscan_missing = _scope(wiki_backend, program, replica, petscan)
        # Which revisions carry a hashtag or tag is known only once they are read: such a program's rows are written
        # unmarked, and aggregate() marks them.
        counting = (
            None
            if marked is not None
            else Counting(counted_people, definition.window, definition.timezone, scopes[tracked.wiki])
        )
        wiki_facts = _facts(wiki_backend, request, replica, store, program, counting)
        if wiki_facts.deleted is None:
            notes.append(Message("problem-deleted-unavailable", (tracked.wiki,)))
        facts.append(wiki_facts)
        revisions.extend(wiki_facts.all_revisions)
        if marked is not None:
            marked[tracked.wiki] = _marked(replica, wiki_backend, marks, wiki_facts, notes)
        if petscan_missing and Message("problem-petscan-unavailable") not in notes:
            notes.append(Message("problem-petscan-unavailable"))
    tracked_wikis = {replicas[tracked.wiki].wiki.replica.dbname for tracked in definition.tracked}
    for psid, other_wiki in petscan.elsewhere(tracked_wikis):
        notes.append(Message("problem-petscan-other-wiki", (str(psid), other_wiki)))

    uploads = [upload for wiki in facts for upload in wiki.uploads]
    if marked is not None:
        # An upload counts when its file page's first revision (the upload's summary, or its tags) is marked.
        marked_files = {
            (f.wiki, f.title)
            for f in revisions
            if f.namespace == 6 and f.creation and f.rev_id in marked.get(f.wiki, ())
        }
        uploads = [upload for upload in uploads if (upload.wiki, upload.file) in marked_files]
    metrics = aggregate(
        participants=people,
        window=definition.window,
        timezone=definition.timezone,
        now=now,
        revisions=revisions,
        uploads=uploads,
        users=[user for wiki in facts for user in wiki.users],
        scopes=scopes,
        lead_in_days=settings.new_editor_lead_in_days,
        retention_days=settings.retention_days,
        ledger=ledger.ref(store, program.key, scopes) if store is not None else None,
        marked=marked,
    )
    if store is not None:
        store.keep_ledgers_of(program.key, [tracked.wiki for tracked in definition.tracked])
    counted = [fact for fact in revisions if counts_toward(fact, counted_people, definition.window, scopes, marked)]
    metrics = _with_content_metrics(metrics, counted, program, settings, replicas, now, backend, notes, store)
    if any(upload.pages for upload in metrics.uploads):
        with_views, failed = using_page_views(settings, metrics.uploads, today=now.date(), cache=store)
        metrics = replace(metrics, uploads=with_views)
        for wiki_name in failed:
            if Message("problem-pageviews-unavailable", (wiki_name,)) not in notes:
                notes.append(Message("problem-pageviews-unavailable", (wiki_name,)))
    return metrics, tuple(notes)


def _hashtag_people(
    program: Program,
    replicas: dict[str, Replica],
    backend: str | None,
    notes: list[Message],
    store: Store | None,
    read_at: datetime,
    settings: Settings,
) -> tuple[str, ...]:
    """Mode "anyone" of a hashtag program: everyone who made a marked edit in the window on a tracked wiki (names
    are global accounts, so one name on two wikis is one person), besides the confirmed sign-ups. With a store the
    search goes on from where the last update's stopped (bot/hashtags.py), else it reads the window."""
    definition = program.definition
    found: set[str] = set(program.confirmed)
    for tracked in definition.tracked:
        replica = replicas[tracked.wiki]
        if (backend or replica.wiki.stats_backend) != "replica":
            continue  # _marked tells the organizer
        fingerprint = search_fingerprint(definition.marks, definition.window, tracked.namespaces)
        kept = store.hashtag_search(program.key, tracked.wiki) if store is not None else None
        start, end = definition.window
        authors: frozenset[str] = frozenset()
        if kept is not None and kept[0] == fingerprint:
            authors, start = kept[2], max(start, kept[1])
        end = min(end, read_at.replace(microsecond=0) + timedelta(seconds=1))  # MediaWiki's whole seconds
        resume_from = start
        if start < end:
            limit = settings.hashtag_scan_revisions
            names, reached = marked_authors(replica, definition.marks, (start, end), tracked.namespaces, limit)
            authors |= names - {settings.bot_username}  # the bot never counts
            if reached < end:
                notes.append(Message("problem-hashtag-search-capped", (tracked.wiki, str(limit), iso(reached))))
            resume_from = resume_point(start, end, reached, ledger.REPLICATION_LAG)
        if store is not None:
            store.record_hashtag_search(program.key, tracked.wiki, fingerprint, resume_from, authors)
        found |= authors
    return tuple(sorted(found))


def _marked(replica: Replica, backend: str, marks: EditMarks, facts: WikiFacts, notes: list[Message]) -> frozenset[int]:
    """The ids of a wiki's revisions that carry the program's hashtags or tags; none on a wiki read through the API
    (it has no cheap way to give every revision's summary and tags), which the organizer is told."""
    if backend != "replica":
        notes.append(Message("problem-hashtags-unavailable", (replica.wiki.name,)))
        return frozenset()
    return marked_revisions(replica, marks, facts.all_revisions)


def _with_content_metrics(
    metrics: ProgramMetrics,
    counted: list[RevisionFact],
    program: Program,
    settings: Settings,
    replicas: dict[str, Replica],
    now: datetime,
    backend: str | None,
    notes: list[Message],
    store: Store | None,
) -> ProgramMetrics:
    """Words, references, Wikidata changes, alerts and page views of the counted revisions, wiki by wiki; and the
    same per day but alerts (``day_figures``: local days, page views by UTC day, bot.aggregate.day_figures)."""
    words = refs_added = refs_removed = 0
    content_seen = False
    content: dict[tuple[str, int], tuple[int, int, int]] = {}
    wikidata: WikidataCounts | None = None
    wikidata_by_revision: dict[tuple[str, int], WikidataCounts] = {}
    alerts: list[tuple[str, int, str, str, str]] = []
    views_total: int | None = None
    views: dict[tuple[str, int, str], int] = {}
    views_by_day: dict[date, int] = defaultdict(int)
    for tracked in program.definition.tracked:
        wiki = settings.wiki(tracked.wiki)
        mine = [fact for fact in counted if fact.wiki == wiki.name]
        if wiki.kind == "content":
            content_seen = True
            for rev_id, counts in _content_by_revision(wiki, mine, store).items():
                content[(wiki.name, rev_id)] = counts
                words += counts[0]
                refs_added += counts[1]
                refs_removed += counts[2]
        elif wiki.kind == "wikidata":
            wiki_total = WikidataCounts()
            for rev_id, revision_counts in _wikidata_by_revision(wiki, mine, store).items():
                wikidata_by_revision[(wiki.name, rev_id)] = revision_counts
                wiki_total = wiki_total.plus(revision_counts)
            wikidata = wiki_total if wikidata is None else wikidata.plus(wiki_total)
        if wiki.deletion_categories or wiki.deletion_discussion_prefixes:
            pages = alert_pages(mine)
            use_replica = (backend or wiki.stats_backend) == "replica"
            found = replica_alerts(replicas[wiki.name], pages) if use_replica else api_alerts(wiki, pages)
            alerts.extend((wiki.name, alert.namespace, alert.title, alert.category, alert.kind) for alert in found)
        try:
            page_views = wiki_page_views(settings, wiki, mine, today=now.date(), cache=store)
        except PageviewsError:
            notes.append(Message("problem-pageviews-unavailable", (wiki.name,)))
            page_views = None
        if page_views is not None:
            views_total = (views_total or 0) + page_views.total
            for (namespace, title), full in page_views.titles.items():
                views[(wiki.name, namespace, title)] = page_views.by_article.get(full, 0)
            for day, day_views in page_views.by_day.items():
                views_by_day[day] += day_views
    per_day = day_figures(
        counted,
        program.definition.timezone,
        days=metrics.by_day,
        content=content if content_seen else None,
        wikidata=wikidata_by_revision if wikidata is not None else None,
        page_views=views_by_day if views_total is not None else None,
    )
    return replace(
        metrics,
        words_added=words if content_seen else None,
        references_added=refs_added if content_seen else None,
        references_removed=refs_removed if content_seen else None,
        wikidata=wikidata,
        alerts=tuple(sorted(alerts)),
        page_views=views_total,
        page_views_by_article=views,
        day_figures=per_day,
    )


def _content_by_revision(
    wiki: WikiConfig, facts: list[RevisionFact], store: Store | None
) -> dict[int, tuple[int, int, int]]:
    """Words and references per counted revision (revisions of live pages)."""

    def compute(missing: list[RevisionFact]) -> dict[int, tuple[int, int, int]]:
        by_revision = wiki_content_metrics(wiki, missing).by_revision
        return {rev: (c.words_added, c.references_added, c.references_removed) for rev, c in by_revision.items()}

    if store is None:
        return _per_revision(facts, compute)
    return _per_revision(facts, compute, store.revision_content, store.record_revision_content, wiki.name)


def _wikidata_by_revision(
    wiki: WikiConfig, facts: list[RevisionFact], store: Store | None
) -> dict[int, WikidataCounts]:
    """Wikidata counts per counted revision; a revision whose JSON cannot be read has none (and is tried again)."""

    def compute(missing: list[RevisionFact]) -> dict[int, WikidataCounts]:
        return {rev: diff.counts() for rev, diff in wiki_wikidata_metrics(wiki, missing).by_revision.items()}

    if store is None:
        return _per_revision(facts, compute)
    return _per_revision(facts, compute, store.revision_wikidata, store.record_revision_wikidata, wiki.name)


def _per_revision(
    facts: list[RevisionFact],
    compute: Callable[[list[RevisionFact]], dict[int, T]],
    cached: Callable[[str, set[int]], dict[int, T]] | None = None,
    record: Callable[[str, dict[int, T]], None] | None = None,
    wiki: str = "",
) -> dict[int, T]:
    """A figure of each revision of a live page that never changes once computed (its text and its parent's are
    fixed): the ones the store caches (``cached``/``record``, by wiki), the others read from the wiki once and
    then cached. Reading texts is the expensive part of a first update; later updates read only new revisions."""
    wanted = {fact.rev_id for fact in facts if not fact.deleted}
    found = cached(wiki, wanted) if cached else {}
    missing = [fact for fact in facts if fact.rev_id in wanted and fact.rev_id not in found]
    if missing:
        computed = compute(missing)
        if computed and record:
            record(wiki, computed)
        found.update(computed)
    return {rev: value for rev, value in found.items() if rev in wanted}
