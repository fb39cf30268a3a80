"""A program's revision facts kept between updates (the ledger), so that an update asks the replicas only what
changed since the last one instead of the whole window again.

A ledger is per program and tracked wiki: the facts of the participants' revisions in the window and the tracked
namespaces (scope is applied when counting: category members change on their own). It is rebuilt in full (a
*recount*) when there is none, when the request it answers changed (participants, window, namespaces, backend: its
fingerprint), once every ``RECOUNT_EVERY`` as a reconciliation, and always on the API backend (which has no cheap
way to ask what changed). Otherwise an update reads:

* what the whole wiki saved since the last read (less ``REPLICATION_LAG``, so nothing the replicas had not shown
  yet is lost), as ids, authors and times only, by one range on rev_timestamp (stats/revisions_since.sql): its cost
  is what is new on the wiki, not the program's size; the participants' revisions among them that the ledger does
  not hold are read in full by id (a revision saved and its page deleted since is found by the deletion's title);
* the revisions whose facts a later event may have changed: the ledger's own revisions, by id, on its pages that
  are gone or whose touch since is not explained by an edit; and every participant's revision on the pages and
  under the titles named by the deletion, move, merge and import logs since, by page and by title (a draft moved
  into a tracked namespace, an undeleted page, revisions merged or imported into a page, a revision deletion
  undone). Edits, moves, merges, undeletions, revision deletion and suppression, purges and template changes all
  move page_touched, and a suppression -- an author or a size hidden -- leaves no other trace on the replicas. An
  edit sets it to the new revision's rev_timestamp, and changes no older revision's facts: a page whose
  page_touched and page_latest are the time and id of the newest revision the update saw saved on it since, none
  of those revisions hidden since (revisions_since.sql has every revision's page and deletion bits; a latest
  revision whose author is hidden is not seen on a busy wiki, read by actor), is not re-read; a page touched
  after that is (any edit by anyone touches a page, and re-reading the busiest pages' thousands of rows was most
  of a 1-hour update: bench/README.md). tests/test_ledger.py checks what an edit, a revision deletion, a
  suppression, a move and a purge do to page_touched on the dev wiki. So the suppression of a revision saved
  before the interval, followed by an edit of the same page within it (the edit's time then explains the touch)
  or in the same second as the page's newest edit (page_touched then keeps its value), waits for the daily
  recount, like a user renamed; a move is explained by its null revision but is logged, and logged pages and
  titles are re-read whatever their touch. A touched page is not read whole either: what only that could
  show, a suppression undone (a revision back on the replicas with no log the replicas have), waits for the daily
  recount too. The page_touched check is the one read that grows with the ledger (one primary-key probe per live
  page: page has no index on page_touched), and so the floor of an update with nothing new (bench/README.md).

Reading both ways makes an update equal to a recount for these events; tests/test_ledger.py checks a deletion, a
move and a suppression against a recount on the dev wikis. Each kind of re-read has its own statement driven by its
own index (``facts_replica.reread``), and only the facts that differ from the ledger's are written back.

Given the program's :class:`~bot.aggregate.Counting`, rows are written already marked counted with their local day
(no marking pass after), and an update whose counting changed (the scope's pages, say) marks every row again. This
process remembers each ledger it wrote (its rows indexed by id, page and title, its state, the participants' actor
ids and user facts): while the state in the store is still the one it wrote, an update works from those instead of
reading the ledger back, looks no name up again (actor ids never change) and reads the user facts (registration,
latest edit) again only of the participants who saved something it had not seen or whose rows changed; when it
changed no row the ledger's version (``ref``) stays the same, so aggregate() does not count again, and when it
changed rows on a few pages it hands aggregate() those pages' counts before and after its write (``_Pages``,
aggregate.LedgerDelta), so that aggregate() patches its last counts instead of running the GROUP BYs over every
row. A latest edit that moves back for another reason (a page deleted that holds a participant's edits from outside
the window) waits for the daily recount, as does everything a process that did not write the ledger last reads in
full (a restarted job, another worker: "cold", bench/README.md).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import uuid
import weakref
from bisect import bisect_left, insort
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, TypeVar

from bot import facts_api, facts_replica
from bot.aggregate import Counting, LedgerDelta, LedgerRef, ledger_share
from bot.bulk import collecting_later
from bot.clock import iso, utcnow
from bot.facts_replica import FactRequest, WikiFacts, from_mw_timestamp, mw_timestamp, text
from bot.metrics import RevisionFact, UserFact
from bot.replica import Replica
from bot.store import LedgerState, Store

REPLICATION_LAG = timedelta(minutes=10)
"""How far back each update starts reading again: a revision can reach the replicas a while after it was saved."""
RECOUNT_EVERY = timedelta(hours=24)
"""How often a ledger is rebuilt anyway: what no log or page shows (a user renamed, an archived revision hidden)
is set right within a day."""
WIKI_RANGE_ROWS = 50_000
"""At most this many of the wiki's new revisions are read by their time (stats/revisions_since.sql); a wiki that saved
more since the last read (Wikidata saves about that in an hour, Wikipedia in English in a few) is read by the
participants' actors instead, whose cost follows the program's size rather than the wiki's activity."""
PAGE_BATCH = 5000
"""Page ids per page_touched statement: primary-key probes, so a long list costs no more per page (bench/README.md)."""
DELTA_ROWS = 20_000
DELTA_SHARE = 0.25
"""An update hands aggregate() the counts of the rows of the pages it wrote, before and after (aggregate.LedgerDelta),
while those are at most DELTA_ROWS and this share of the ledger's rows: beyond, the five GROUP BYs over every row
cost no more than ten over those."""


def fingerprint(request: FactRequest, backend: str) -> str:
    """What the ledger's rows are an answer to; any change in it makes the rows meaningless."""
    window = [iso(moment) for moment in request.window]
    described = [request.participants, window, sorted(request.namespaces), request.bot_username, backend]
    return hashlib.sha256(json.dumps(described).encode()).hexdigest()


@dataclass(frozen=True, eq=False)
class _Written:
    """A ledger as this process last wrote it: valid while the store's state is still ``state`` (its ``written``
    token is new at every write, so equal states mean nobody wrote since). With it, what an update needs besides
    the replicas' news, so that an update with nothing new reads nothing that grows with the program."""

    state: LedgerState
    version: int
    revisions: tuple[RevisionFact, ...]
    """Every row, in ``_ordered`` order."""
    ids: dict[int, str] | None = None
    """The participants' actor ids (they never change; a rename waits for the daily recount). None: not known."""
    users: tuple[UserFact, ...] | None = None
    """The participants' user facts as last read. None: not known."""
    seen: frozenset[int] = frozenset()
    """The participants' revisions (any time, any namespace) the last update found saved since its ``since``: the
    next one reads again the users of only those whose revisions it has not seen."""
    seen_logs: frozenset[int] = frozenset()
    """The log events the last update found since its ``since`` (and re-read for): the next one, which looks as far
    back again, re-reads only for the others."""
    index: _Index | None = None
    delta: LedgerDelta | None = None
    """How the write that made this version changed the counts of the previous one, when it was taken."""

    @property
    def rows(self) -> _Index:
        if self.index is None:
            object.__setattr__(self, "index", _Index.of(self.revisions))
        assert self.index is not None
        return self.index


@dataclass(frozen=True, eq=False)
class _Index:
    """A ledger's rows by id, by live page and by title: what an update looks up for the pages and titles that
    changed, instead of going through every row."""

    by_id: Mapping[int, RevisionFact]
    pages: Mapping[int, tuple[int, ...]]
    """Live page id -> the ids of the rows on it."""
    titles: Mapping[tuple[int, str], tuple[int, ...]]
    """(namespace, title) -> the ids of the rows under it, live or deleted."""
    live: tuple[RevisionFact, ...]
    deleted: tuple[RevisionFact, ...]

    @classmethod
    def of(cls, revisions: tuple[RevisionFact, ...]) -> _Index:
        pages: dict[int, list[int]] = {}
        titles: dict[tuple[int, str], list[int]] = {}
        for fact in revisions:
            if not fact.deleted:
                pages.setdefault(fact.page_id, []).append(fact.rev_id)
            titles.setdefault((fact.namespace, fact.title), []).append(fact.rev_id)
        return cls(
            by_id={fact.rev_id: fact for fact in revisions},
            pages={page: tuple(ids) for page, ids in pages.items()},
            titles={title: tuple(ids) for title, ids in titles.items()},
            live=tuple(fact for fact in revisions if not fact.deleted),
            deleted=tuple(fact for fact in revisions if fact.deleted),
        )

    def patched(
        self, revisions: Sequence[RevisionFact], removed: Iterable[RevisionFact], added: Iterable[RevisionFact]
    ) -> tuple[tuple[RevisionFact, ...], _Index]:
        """``revisions`` (this index's rows, in ``_ordered`` order) and this index, with the rows ``removed`` (as
        this index holds them) taken out and ``added`` put in: a bisection and a list move per row, and per page or
        title whose rows changed, instead of sorting and indexing every row again (0.25 s for 43,652 rows); new rows,
        almost always the newest, go at the end."""
        rows, live, deleted = list(revisions), list(self.live), list(self.deleted)
        by_id = dict(self.by_id)
        pages_out: dict[int, set[int]] = {}
        pages_in: dict[int, list[int]] = {}
        titles_out: dict[tuple[int, str], set[int]] = {}
        titles_in: dict[tuple[int, str], list[int]] = {}
        for fact in removed:
            for ordered in (rows, deleted if fact.deleted else live):
                at = bisect_left(ordered, _order(fact), key=_order)
                assert ordered[at].rev_id == fact.rev_id, "a removed row is one of the index's own"
                del ordered[at]
            del by_id[fact.rev_id]
            if not fact.deleted:
                pages_out.setdefault(fact.page_id, set()).add(fact.rev_id)
            titles_out.setdefault((fact.namespace, fact.title), set()).add(fact.rev_id)
        for fact in added:
            insort(rows, fact, key=_order)
            insort(deleted if fact.deleted else live, fact, key=_order)
            by_id[fact.rev_id] = fact
            if not fact.deleted:
                pages_in.setdefault(fact.page_id, []).append(fact.rev_id)
            titles_in.setdefault((fact.namespace, fact.title), []).append(fact.rev_id)
        index = _Index(
            by_id=by_id,
            pages=_regrouped(self.pages, pages_out, pages_in),
            titles=_regrouped(self.titles, titles_out, titles_in),
            live=tuple(live),
            deleted=tuple(deleted),
        )
        return tuple(rows), index

    def affected(self, pages: Iterable[int], titles: Iterable[tuple[int, str]]) -> set[int]:
        """The ids of the live rows on these pages and of every row under these titles."""
        found: set[int] = set()
        for page in pages:
            found.update(self.pages.get(page, ()))
        for title in titles:
            found.update(self.titles.get(title, ()))
        return found


_Key = TypeVar("_Key")


def _regrouped(
    groups: Mapping[_Key, tuple[int, ...]], out: Mapping[_Key, set[int]], into: Mapping[_Key, list[int]]
) -> dict[_Key, tuple[int, ...]]:
    """``groups`` (key -> row ids) with the ids ``out`` taken from their keys and ``into`` added; a key left with
    no row is dropped, as ``_Index.of`` would not have it."""
    result = dict(groups)
    for key in out.keys() | into.keys():
        leaving = out.get(key, set())
        ids = tuple(rev_id for rev_id in result.get(key, ()) if rev_id not in leaving) + tuple(into.get(key, ()))
        if ids:
            result[key] = ids
        else:
            result.pop(key, None)
    return result


@dataclass(frozen=True)
class _Pages:
    """The pages an update writes rows on (every page a changed row is or was on: live ones by id, deleted ones by
    title) as aggregate.LedgerDelta needs them: their rows' ids before and after, and the first counted revision of
    the articles a changed row is or was in, after."""

    since: int
    before: frozenset[int]
    after: frozenset[int]
    firsts: dict[tuple[str, int, str], tuple[datetime, int] | None]

    @classmethod
    def of(
        cls, since: int, was: _Index, now: _Index, counting: Counting, upsert: Sequence[RevisionFact], gone: set[int]
    ) -> _Pages | None:
        """From version ``since`` (rows ``was``) to the rows ``now`` by writing ``upsert`` and removing ``gone``;
        None when the pages' rows are too many (DELTA_ROWS, DELTA_SHARE)."""
        old = [was.by_id[rev_id] for rev_id in gone] + [was.by_id[f.rev_id] for f in upsert if f.rev_id in was.by_id]
        changes = old + list(upsert)
        live = {fact.page_id for fact in changes if not fact.deleted}
        deleted = {(fact.namespace, fact.title) for fact in changes if fact.deleted}
        before, after = _rows_on(was, live, deleted), _rows_on(now, live, deleted)
        if len(before) + len(after) > min(DELTA_ROWS, DELTA_SHARE * max(len(was.by_id), len(now.by_id))):
            return None
        firsts: dict[tuple[str, int, str], tuple[datetime, int] | None] = {}
        for fact in changes:
            article = (fact.wiki, fact.namespace, fact.title)
            if not fact.deleted and article not in firsts:
                rows = (now.by_id[rev_id] for rev_id in now.titles.get((fact.namespace, fact.title), ()))
                counted = (row for row in rows if not row.deleted and counting.counts(row))
                firsts[article] = min(((row.timestamp, row.rev_id) for row in counted), default=None)
        return cls(since, frozenset(before), frozenset(after), firsts)


def _record(
    store: Store,
    program_key: str,
    wiki: str,
    state: LedgerState,
    *,
    upsert: Collection[RevisionFact],
    remove: Collection[int],
    days: Mapping[int, str | None] | None,
    pages: _Pages | None,
) -> LedgerDelta | None:
    """Store.record_ledger; and, given the pages it writes, its LedgerDelta: their counts before and after."""
    before = ledger_share(store, program_key, wiki, pages.before) if pages is not None else None
    store.record_ledger(program_key, wiki, state, upsert=upsert, remove=remove, days=days)
    if pages is None or before is None:
        return None
    return LedgerDelta(pages.since, before, ledger_share(store, program_key, wiki, pages.after), pages.firsts)


def _rows_on(index: _Index, live: Iterable[int], gone: Iterable[tuple[int, str]]) -> set[int]:
    """The ids of every row on these live pages and of every deleted row under these titles."""
    found = {rev_id for page in live for rev_id in index.pages.get(page, ())}
    found.update(rev_id for title in gone for rev_id in index.titles.get(title, ()) if index.by_id[rev_id].deleted)
    return found


_written: weakref.WeakKeyDictionary[Store, dict[tuple[str, str], _Written]] = weakref.WeakKeyDictionary()
_versions = itertools.count(1)


def ref(store: Store, program_key: str, wikis: Collection[str]) -> LedgerRef:
    """The program's ledger for aggregate(): with the versions this process wrote of each wiki's rows when it wrote
    them all marked (``wiki_facts`` with a Counting), so that an unchanged ledger is not counted again."""
    written = _written.get(store, {})
    known = [(wiki, written.get((program_key, wiki))) for wiki in sorted(wikis)]
    if any(entry is None or not entry.state.counting for _wiki, entry in known):
        return LedgerRef(store, program_key)
    versions = tuple((wiki, entry.version) for wiki, entry in known if entry is not None)
    deltas = tuple((wiki, entry.delta) for wiki, entry in known if entry is not None and entry.delta is not None)
    return LedgerRef(store, program_key, versions, deltas)


def wiki_facts(
    replica: Replica,
    request: FactRequest,
    backend: str,
    *,
    store: Store,
    program_key: str,
    counting: Counting | None = None,
) -> tuple[WikiFacts, bool]:
    """One tracked wiki's facts for a program, through its ledger; and whether this was a full recount.

    ``counting``: how the program counts this wiki's revisions (its rows are then written marked); without it they
    are written unmarked and aggregate() marks them."""
    wiki = replica.wiki.name
    read_at = utcnow()  # what the replicas hold is a matter of real time, not of the run's (possibly fixed) clock
    state = store.ledger_state(program_key, wiki)
    wanted = fingerprint(request, backend)
    marks = counting.fingerprint if counting is not None else ""
    if (
        backend != "replica"
        or state is None
        or state.fingerprint != wanted
        or read_at - state.recounted_at >= RECOUNT_EVERY
    ):
        with collecting_later():
            facts, known = _recount(replica, request, backend)
            rows = _ordered(facts.all_revisions)
            recounted = LedgerState(wanted, read_at, read_at, marks, uuid.uuid4().hex)
            days = counting.days(rows) if counting is not None else None
            store.record_ledger(program_key, wiki, recounted, upsert=rows, replace_all=True, days=days)
            # Its users were read after its revisions: the next update need not read those users again for them.
            seen = frozenset(fact.rev_id for fact in rows if fact.timestamp >= read_at - REPLICATION_LAG)
            _remember(store, program_key, wiki, recounted, rows, ids=known, users=facts.users, seen=seen, changed=True)
        return facts, True

    remembered = _written.get(store, {}).get((program_key, wiki))
    if remembered is not None and remembered.state != state:
        remembered = None
    if remembered is not None:
        revisions, ledger_rows = remembered.revisions, remembered.rows
    else:
        revisions = _ordered(store.ledger_revisions(program_key, wiki))
        ledger_rows = _Index.of(revisions)
    ids = remembered.ids if remembered is not None else None
    if ids is None:
        ids = facts_replica.actors(replica, request)
    since = state.read_until - REPLICATION_LAG
    before = ledger_rows.by_id
    events = _log_events(replica, since)
    fresh = [event for log_id, event in events.items() if remembered is None or log_id not in remembered.seen_logs]
    logged = {page for page, _namespace, _title in fresh if page}
    titles = {(namespace, title) for _page, namespace, title in fresh}
    new_revs, active, newest = _new_revisions(replica, ids, since)
    # A page touched by its newest revision since (an edit) holds rows that edit did not change; one touched later
    # than that (a suppression, a purge...), whose latest revision is not the newest seen (its author hidden), with
    # a revision since hidden, or gone is re-read.
    touched = {
        page
        for page, touch in _touched_pages(replica, sorted(ledger_rows.pages), since).items()
        if touch is None or touch != newest.get(page)
    }
    affected = ledger_rows.affected(touched | logged, titles)
    start, end = request.window
    # New to the ledger: a row already there that changed is on a page touched by more than an edit (an edit
    # changes no older revision), and is among ``affected``.
    in_window = {rev_id for rev_id, when in new_revs.items() if start <= when < end and rev_id not in before}
    found = {
        fact.rev_id: fact
        for fact in facts_replica.reread(
            replica, ids, request, pages=sorted(logged), revs=sorted(affected | in_window), titles=sorted(titles)
        )
    }
    # Affected and not found again: deleted out of reach, author hidden, moved out of the tracked namespaces.
    gone = affected - found.keys()
    upsert = [fact for rev_id, fact in found.items() if before.get(rev_id) != fact]
    remark = marks != state.counting
    changed = bool(upsert or gone)
    if changed:
        replaced = [before[rev_id] for rev_id in gone] + [
            before[fact.rev_id] for fact in upsert if fact.rev_id in before
        ]
        revisions, ledger_rows = ledger_rows.patched(revisions, replaced, upsert)
    written = revisions if remark else upsert  # other counting: every row marked again
    days = counting.days(written) if counting is not None else None
    updated = replace(state, read_until=read_at, counting=marks, written=uuid.uuid4().hex)
    pages = None
    if remembered is not None and counting is not None and changed and not remark:
        pages = _Pages.of(remembered.version, remembered.rows, ledger_rows, counting, upsert, gone)
    delta = _record(store, program_key, wiki, updated, upsert=written, remove=sorted(gone), days=days, pages=pages)
    # Users: a participant's latest edit can only have moved if they saved something since, or if one of their
    # rows changed; the rest are as last read (registration never changes).
    seen = remembered.seen if remembered is not None else frozenset()
    reread_users = {actor for rev_id, actor in active.items() if rev_id not in seen}
    names = {fact.username for fact in upsert} | {before[rev_id].username for rev_id in gone}
    reread_users.update(actor for actor, name in ids.items() if name in names)
    if remembered is not None and remembered.users is not None:
        users = _users_updated(replica, ids, request, remembered.users, reread_users)
    else:
        users = tuple(facts_replica.users(replica, ids, request))
    _remember(
        store,
        program_key,
        wiki,
        updated,
        revisions,
        ids=ids,
        users=users,
        seen=frozenset(active),
        seen_logs=frozenset(events),
        index=ledger_rows,
        changed=changed or remark,
        was=remembered,
        delta=delta,
    )
    return (
        WikiFacts(
            wiki=wiki,
            revisions=ledger_rows.live,
            deleted=ledger_rows.deleted,
            users=users,
            uploads=tuple(facts_replica.uploads(replica, ids, request)) if replica.wiki.kind == "files" else (),
        ),
        False,
    )


def _remember(
    store: Store,
    program_key: str,
    wiki: str,
    state: LedgerState,
    revisions: tuple[RevisionFact, ...],
    *,
    ids: dict[int, str] | None,
    users: tuple[UserFact, ...] | None,
    seen: frozenset[int] = frozenset(),
    seen_logs: frozenset[int] = frozenset(),
    index: _Index | None = None,
    changed: bool,
    was: _Written | None = None,
    delta: LedgerDelta | None = None,
) -> None:
    """Keep what was just written; a new version unless no row changed since this process's last write (which keeps
    the delta that made that version: aggregate() may not have counted it yet)."""
    if was is not None and not changed:
        version, delta = was.version, was.delta
    else:
        version = next(_versions)
    _written.setdefault(store, {})[(program_key, wiki)] = _Written(
        state, version, revisions, ids, users, seen, seen_logs, index, delta
    )


def _recount(replica: Replica, request: FactRequest, backend: str) -> tuple[WikiFacts, dict[int, str] | None]:
    """Every fact of the window; and, on the replicas, the participants' actor ids (kept for the updates)."""
    if backend != "replica":
        return facts_api.wiki_facts(replica.wiki, request), None
    ids = facts_replica.actors(replica, request)
    facts = WikiFacts(
        wiki=replica.wiki.name,
        revisions=tuple(facts_replica.revisions(replica, ids, request)),
        deleted=tuple(facts_replica.deleted_revisions(replica, ids, request)),
        users=tuple(facts_replica.users(replica, ids, request)),
        uploads=tuple(facts_replica.uploads(replica, ids, request)) if replica.wiki.kind == "files" else (),
    )
    return facts, ids


def _ordered(facts: Iterable[RevisionFact]) -> tuple[RevisionFact, ...]:
    """One order for both paths (time, then id), so a recount and an update give the same rows in the same order."""
    return tuple(sorted(facts, key=_order))


def _order(fact: RevisionFact) -> tuple[datetime, int]:
    return fact.timestamp, fact.rev_id


def _new_revisions(
    replica: Replica, ids: Mapping[int, str], since: datetime
) -> tuple[dict[int, datetime], dict[int, int], dict[int, tuple[str, int]]]:
    """The participants' revisions saved since ``since`` (any namespace and time: the window is applied after), as
    id -> time and id -> actor, from one range over what the whole wiki saved since; and page id -> the MediaWiki
    timestamp and id of the newest revision seen on it (whoever its author; on a busy wiki, the participants' only),
    for the pages none of whose revisions seen is hidden (author, text or comment): the page_touched and
    page_latest that an edit, and nothing else, leaves."""
    found: dict[int, datetime] = {}
    actors: dict[int, int] = {}
    newest: dict[int, tuple[str, int]] = {}
    hidden: set[int] = set()
    params = {"since": mw_timestamp(since), "limit": WIKI_RANGE_ROWS}
    rows: Sequence[tuple[Any, ...]] = replica.query("stats/revisions_since", params)
    if len(rows) >= WIKI_RANGE_ROWS:  # a busy wiki: by the participants' actors instead
        rows = [
            row
            for batch in facts_replica.batches(sorted(ids))
            for row in replica.query("stats/participant_revisions_since", {"actors": batch, **params})
        ]
    for rev_id, actor, timestamp, page, deleted in rows:
        seen = (text(timestamp), int(rev_id))
        page_id = int(page)
        if seen > newest.get(page_id, ("", 0)):  # 14 digits: text order is time order
            newest[page_id] = seen
        if deleted:
            hidden.add(page_id)
        if actor is not None and int(actor) in ids:  # NULL: its author hidden
            found[int(rev_id)] = from_mw_timestamp(timestamp)
            actors[int(rev_id)] = int(actor)
    return found, actors, {page_id: seen for page_id, seen in newest.items() if page_id not in hidden}


def _log_events(replica: Replica, since: datetime) -> dict[int, tuple[int, int, str]]:
    """log id -> (page id, namespace, title) of the deletions, moves, merges and imports logged since ``since``."""
    return {
        int(log_id): (int(page_id), int(namespace), text(title))
        for log_id, page_id, namespace, title in replica.query("stats/log_events_since", {"since": mw_timestamp(since)})
    }


def _touched_pages(replica: Replica, page_ids: Sequence[int], since: datetime) -> dict[int, tuple[str, int] | None]:
    """Of these live pages, those touched at or after ``since`` -> their page_touched (a MediaWiki timestamp) and
    page_latest, and those gone (absent now) -> None."""
    changed: dict[int, tuple[str, int] | None] = {}
    cutoff = mw_timestamp(since)
    for start in range(0, len(page_ids), PAGE_BATCH):
        batch = page_ids[start : start + PAGE_BATCH]
        [(found, touched)] = replica.query("stats/pages_touched_since", {"page_ids": batch, "since": cutoff})
        if touched:
            for item in text(touched).split(","):
                page_id, when, latest = item.split(":")
                changed[int(page_id)] = (when, int(latest))
        if int(found) < len(batch):
            live = {int(page_id) for page_id, _when in replica.query("stats/page_touched", {"page_ids": batch})}
            changed.update((page_id, None) for page_id in batch if page_id not in live)
    return changed


def _users_updated(
    replica: Replica,
    ids: Mapping[int, str],
    request: FactRequest,
    users: tuple[UserFact, ...],
    actors: set[int],
) -> tuple[UserFact, ...]:
    """``users`` with those of ``actors`` read again (a hidden user's fact dropped)."""
    if not actors:
        return users
    names = {ids[actor] for actor in actors}
    fresh = facts_replica.users(replica, {actor: ids[actor] for actor in sorted(actors)}, request)
    return tuple(user for user in users if user.username not in names) + tuple(fresh)
