"""A program's revision facts kept between updates (the ledger), so that an update asks the replicas only what
changed since the last one instead of the whole window again.

A ledger is per program and tracked wiki: the facts of the participants' revisions in the window and the tracked
namespaces (scope is applied when counting: category members change on their own). It is rebuilt in full (a
*recount*) when there is none, when the request it answers changed (participants, window, namespaces, backend: its
fingerprint), once every ``RECOUNT_EVERY`` as a reconciliation, and always on the API backend (which has no cheap
way to ask what changed). Otherwise an update reads:

* the revisions saved since the last read (less ``REPLICATION_LAG``, so nothing the replicas had not shown yet is
  lost; rows read twice simply replace themselves);
* the revisions whose facts a later event may have changed: the ledger's own revisions on its pages that are gone
  or were touched since, by id (edits, moves, merges, undeletions, revision deletion and suppression all move
  page_touched, and a suppression -- an author or a size hidden -- leaves no other trace on the replicas); and
  every participant's revision on the pages and under the titles named by the deletion, move, merge and import logs
  since, by page and by title (a draft moved into a tracked namespace, an undeleted page, revisions merged or
  imported into a page, a revision deletion undone). A touched page is not read whole: any edit by anyone touches
  it, and re-reading the busy pages' windows was most of an update (bench/README.md); what only a touched page
  could show, a suppression undone (a revision back on the replicas with no log the replicas have), waits for the
  daily recount, like a user renamed.

Reading both ways makes an update equal to a recount for these events; tests/test_ledger.py checks a deletion, a
move and a suppression against a recount on the dev wikis. Each kind of re-read has its own statement driven by its
own index (``facts_replica.reread``), and only the facts that differ from the ledger's are written back.

Given the program's :class:`~bot.aggregate.Counting`, rows are written already marked counted with their local day
(no marking pass after), and an update whose counting changed (the scope's pages, say) marks every row again. This
process remembers each ledger it wrote (its rows and state): while the state in the store is still the one it wrote,
an update works from the remembered rows instead of reading the ledger back, and when it changed no row the
ledger's version (``ref``) stays the same, so aggregate() does not count again (bench/README.md).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import uuid
import weakref
from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from bot import facts_api, facts_replica
from bot.aggregate import Counting, LedgerRef
from bot.clock import iso, utcnow
from bot.facts_replica import FactRequest, WikiFacts
from bot.metrics import RevisionFact
from bot.replica import Replica
from bot.store import LedgerState, Store

REPLICATION_LAG = timedelta(minutes=10)
"""How far back each update starts reading again: a revision can reach the replicas a while after it was saved."""
RECOUNT_EVERY = timedelta(hours=24)
"""How often a ledger is rebuilt anyway: what no log or page shows (a user renamed, an archived revision hidden)
is set right within a day."""


def fingerprint(request: FactRequest, backend: str) -> str:
    """What the ledger's rows are an answer to; any change in it makes the rows meaningless."""
    window = [iso(moment) for moment in request.window]
    described = [request.participants, window, sorted(request.namespaces), request.bot_username, backend]
    return hashlib.sha256(json.dumps(described).encode()).hexdigest()


@dataclass(frozen=True)
class _Written:
    """A ledger as this process last wrote it: valid while the store's state is still ``state`` (its ``written``
    token is new at every write, so equal states mean nobody wrote since)."""

    state: LedgerState
    version: int
    revisions: tuple[RevisionFact, ...]
    """Every row, in ``_ordered`` order."""


_written: weakref.WeakKeyDictionary[Store, dict[tuple[str, str], _Written]] = weakref.WeakKeyDictionary()
_versions = itertools.count(1)


def ref(store: Store, program_key: str, wikis: Collection[str]) -> LedgerRef:
    """The program's ledger for aggregate(): with the versions this process wrote of each wiki's rows when it wrote
    them all marked (``wiki_facts`` with a Counting), so that an unchanged ledger is not counted again."""
    written = _written.get(store, {})
    known = [(wiki, written.get((program_key, wiki))) for wiki in sorted(wikis)]
    if any(entry is None or not entry.state.counting for _wiki, entry in known):
        return LedgerRef(store, program_key)
    return LedgerRef(store, program_key, tuple((wiki, entry.version) for wiki, entry in known if entry is not None))


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
        facts = _recount(replica, request, backend)
        rows = _ordered(facts.all_revisions)
        recounted = LedgerState(wanted, read_at, read_at, marks, uuid.uuid4().hex)
        days = counting.days(rows) if counting is not None else None
        store.record_ledger(program_key, wiki, recounted, upsert=rows, replace_all=True, days=days)
        _remember(store, program_key, wiki, recounted, rows, changed=True)
        return facts, True

    ids = facts_replica.actors(replica, request)
    since = state.read_until - REPLICATION_LAG
    remembered = _written.get(store, {}).get((program_key, wiki))
    if remembered is not None and remembered.state == state:
        old: Iterable[RevisionFact] = remembered.revisions
    else:
        remembered, old = None, store.ledger_revisions(program_key, wiki)
    before = {fact.rev_id: fact for fact in old}
    changes = _Changes(replica, before.values(), since)
    affected = {rev_id for rev_id, fact in before.items() if changes.affects(fact)}
    found = {fact.rev_id: fact for fact in _reread(replica, ids, request, changes, affected)}
    found.update((fact.rev_id, fact) for fact in _recent(replica, ids, request, since))
    # Affected and not found again: deleted out of reach, author hidden, moved out of the tracked namespaces.
    gone = affected - found.keys()
    upsert = [fact for rev_id, fact in found.items() if before.get(rev_id) != fact]
    remark = marks != state.counting
    if upsert or gone or remark or remembered is None:
        kept = {rev_id: fact for rev_id, fact in before.items() if rev_id not in gone}
        kept.update((fact.rev_id, fact) for fact in upsert)
        revisions = _ordered(kept.values())
    else:
        revisions = remembered.revisions
    written = revisions if remark else upsert  # other counting: every row marked again
    days = counting.days(written) if counting is not None else None
    updated = replace(state, read_until=read_at, counting=marks, written=uuid.uuid4().hex)
    store.record_ledger(program_key, wiki, updated, upsert=written, remove=sorted(gone), days=days)
    _remember(store, program_key, wiki, updated, revisions, changed=bool(upsert or gone or remark), was=remembered)
    return (
        WikiFacts(
            wiki=wiki,
            revisions=tuple(fact for fact in revisions if not fact.deleted),
            deleted=tuple(fact for fact in revisions if fact.deleted),
            users=tuple(facts_replica.users(replica, ids, request)),
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
    changed: bool,
    was: _Written | None = None,
) -> None:
    """Keep what was just written; a new version unless no row changed since this process's last write."""
    version = was.version if was is not None and not changed else next(_versions)
    _written.setdefault(store, {})[(program_key, wiki)] = _Written(state, version, revisions)


def _recount(replica: Replica, request: FactRequest, backend: str) -> WikiFacts:
    if backend == "replica":
        return facts_replica.wiki_facts(replica, request)
    return facts_api.wiki_facts(replica.wiki, request)


def _ordered(facts: Iterable[RevisionFact]) -> tuple[RevisionFact, ...]:
    """One order for both paths (time, then id), so a recount and an update give the same rows in the same order."""
    return tuple(sorted(facts, key=lambda fact: (fact.timestamp, fact.rev_id)))


class _Changes:
    """What happened since the last read, as far as the replicas tell: touched or gone pages, logged pages and
    titles."""

    def __init__(self, replica: Replica, old: Iterable[RevisionFact], since: datetime) -> None:
        live_pages = sorted({fact.page_id for fact in old if not fact.deleted})
        self.logged, self.titles = facts_replica.logged_pages(replica, since)
        self.pages = facts_replica.changed_pages(replica, live_pages, since) | self.logged

    def affects(self, fact: RevisionFact) -> bool:
        return (not fact.deleted and fact.page_id in self.pages) or (fact.namespace, fact.title) in self.titles


def _reread(
    replica: Replica, ids: dict[int, str], request: FactRequest, changes: _Changes, affected: set[int]
) -> list[RevisionFact]:
    """The participants' revisions that the events since the last read may have changed, as they are now: the
    ledger's own by id, and every one on the logged pages and titles."""
    return facts_replica.reread(
        replica, ids, request, pages=sorted(changes.logged), revs=sorted(affected), titles=sorted(changes.titles)
    )


def _recent(replica: Replica, ids: dict[int, str], request: FactRequest, since: datetime) -> list[RevisionFact]:
    """Revisions saved since ``since`` (inside the window), on live pages or already deleted ones."""
    start, end = max(request.window[0], since), request.window[1]
    if start >= end:
        return []
    recent = replace(request, window=(start, end))
    return facts_replica.revisions(replica, ids, recent) + facts_replica.deleted_revisions(replica, ids, recent)
