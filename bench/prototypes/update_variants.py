"""A variant of a ledger update's re-read, measured beside bot/ledger.py's (``--prototypes`` of ledger_profile).

Today ``ledger._reread`` sends stats/revisions.sql and stats/deleted_revisions.sql with ``every = 0`` and the page
ids, revision ids and titles to look at: the statement still ranges over the participants' whole window on
``rev_actor_timestamp`` (every actor batch, every slice, for each of the three kinds of narrowing) and keeps the
few rows the OR matches, so an update costs several times a full read of the window on the server. The variant
drives each re-read from its own index: live revisions by page (``rev_page_actor_timestamp``: page, actor,
timestamp) and by id (primary key), archived ones by id (``ar_revid_uniq``) and by title
(``ar_name_title_timestamp``), with the same columns, actors, window and namespaces, so the rows are the same.
``reread_targeted`` has ``ledger._reread``'s signature: patched in, the update's result is compared with today's.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Sequence
from dataclasses import replace
from typing import Any
from unittest import mock

from bench.ledger_bench import (
    Case,
    Editors,
    bed_settings,
    full_ledger,
    hour_behind,
    open_replica,
    replicas_clock,
    state_store,
    through_ledger,
    window_of,
)
from bench.replica_bed import DEFAULT_DATABASE, connect
from bot import facts_replica, ledger
from bot.facts_replica import ACTOR_BATCH, FactRequest, WikiFacts, batches, mw_timestamp
from bot.ledger import _Changes
from bot.metrics import RevisionFact
from bot.replica import Replica, sql_text
from bot.store import Store

LIVE_COLUMNS = """SELECT r.rev_id, r.rev_actor, page_id, page_namespace, page_title, r.rev_timestamp, r.rev_len,
       r.rev_parent_id, parent.rev_id IS NOT NULL AS parent_found, parent.rev_len AS parent_len"""
LIVE_BY_PAGE = f"""{LIVE_COLUMNS}
FROM page
STRAIGHT_JOIN revision_userindex r ON r.rev_page = page_id
LEFT JOIN revision parent ON parent.rev_id = r.rev_parent_id
WHERE page_id IN %(pages)s AND page_namespace IN %(namespaces)s
  AND r.rev_actor IN %(actors)s AND r.rev_timestamp >= %(start)s AND r.rev_timestamp < %(end)s"""
LIVE_BY_PAGE_ACTOR_FILTER = LIVE_BY_PAGE.replace("r.rev_actor IN", "r.rev_actor + 0 IN")
"""The same, the actor list a filter (``+ 0``) rather than a range key: MariaDB then ranges over
``rev_page_timestamp`` (page x window) instead of ``rev_page_actor_timestamp`` with pages x actors ranges."""
LIVE_BY_ID = f"""{LIVE_COLUMNS}
FROM revision_userindex r
STRAIGHT_JOIN page ON page_id = r.rev_page
LEFT JOIN revision parent ON parent.rev_id = r.rev_parent_id
WHERE r.rev_id IN %(revs)s AND page_namespace IN %(namespaces)s
  AND r.rev_actor IN %(actors)s AND r.rev_timestamp >= %(start)s AND r.rev_timestamp < %(end)s"""
ARCHIVE = sql_text("stats/deleted_revisions").split("WHERE")[0]
ARCHIVE_BY_ID = f"""{ARCHIVE} WHERE a.ar_rev_id IN %(revs)s AND a.ar_namespace IN %(namespaces)s
  AND a.ar_actor IN %(actors)s AND a.ar_timestamp >= %(start)s AND a.ar_timestamp < %(end)s"""
ARCHIVE_BY_TITLE = f"""{ARCHIVE} WHERE (a.ar_namespace, a.ar_title) IN %(titles)s AND a.ar_namespace IN %(namespaces)s
  AND a.ar_actor IN %(actors)s AND a.ar_timestamp >= %(start)s AND a.ar_timestamp < %(end)s"""


def _query(replica: Replica, sql: str, params: dict[str, object]) -> list[tuple[object, ...]]:
    connection = replica._connection
    assert connection is not None
    timeout = replica._settings.statement_timeout_seconds
    with connection.cursor() as cursor:
        cursor.execute(f"SET STATEMENT max_statement_time={timeout} FOR {sql}", params)
        return list(cursor.fetchall())


def reread_targeted(
    replica: Replica, ids: dict[int, str], request: FactRequest, changes: _Changes, affected: set[int]
) -> list[RevisionFact]:
    """``ledger._reread`` with one statement per kind of narrowing, driven by its own index."""
    return _reread(replica, ids, request, changes, affected, LIVE_BY_PAGE)


def reread_targeted_filter(
    replica: Replica, ids: dict[int, str], request: FactRequest, changes: _Changes, affected: set[int]
) -> list[RevisionFact]:
    """``reread_targeted`` with the by-page statement ranging over page x window only."""
    return _reread(replica, ids, request, changes, affected, LIVE_BY_PAGE_ACTOR_FILTER)


def _reread(
    replica: Replica,
    ids: dict[int, str],
    request: FactRequest,
    changes: _Changes,
    affected: set[int],
    by_page: str,
) -> list[RevisionFact]:
    if not (changes.pages or affected or changes.titles) or not ids:
        return []
    start, end = (mw_timestamp(moment) for moment in request.window)
    wiki = replica.wiki.name
    found: dict[tuple[bool, int], RevisionFact] = {}
    kinds: list[tuple[str, str, tuple[Any, ...], bool]] = [
        (by_page, "pages", tuple(sorted(changes.pages)), False),
        (LIVE_BY_ID, "revs", tuple(sorted(affected)), False),
        (ARCHIVE_BY_ID, "revs", tuple(sorted(affected)), True),
        (ARCHIVE_BY_TITLE, "titles", tuple(sorted(changes.titles)), True),
    ]
    for sql, kind, values, deleted in kinds:
        for chunk in batches(values, ACTOR_BATCH):
            for actors in batches(sorted(ids)):
                params: dict[str, object] = {
                    "actors": actors,
                    "start": start,
                    "end": end,
                    "namespaces": request.namespaces,
                    kind: chunk,
                }
                for row in _query(replica, sql, params):
                    fact = facts_replica._revision(wiki, ids, row, deleted=deleted)
                    found[(deleted, fact.rev_id)] = fact
    return list(found.values())


_WIKI_FACTS = ledger.wiki_facts


def wiki_facts_keeping_unchanged(
    replica: Replica, request: FactRequest, backend: str, *, store: Store, program_key: str
) -> tuple[WikiFacts, bool]:
    """``ledger.wiki_facts`` (its update path; a recount is left to it) with two changes: the targeted re-read
    (``reread_targeted_filter``), and only the facts that differ from the ledger's written back, so that the rows
    an update re-reads unchanged keep their counted flag and are not marked again."""
    wiki = replica.wiki.name
    read_at = ledger.utcnow()  # type: ignore[attr-defined]  # bot.ledger's clock, as the bench patches it
    state = store.ledger_state(program_key, wiki)
    if (
        backend != "replica"
        or state is None
        or state.fingerprint != ledger.fingerprint(request, backend)
        or read_at - state.recounted_at >= ledger.RECOUNT_EVERY
    ):
        return _WIKI_FACTS(replica, request, backend, store=store, program_key=program_key)
    ids = facts_replica.actors(replica, request)
    since = state.read_until - ledger.REPLICATION_LAG
    old = store.ledger_revisions(program_key, wiki)
    changes = _Changes(replica, old, since)
    affected = {fact.rev_id for fact in old if changes.affects(fact)}
    found = reread_targeted_filter(replica, ids, request, changes, affected) + ledger._recent(
        replica, ids, request, since
    )
    gone = affected - {fact.rev_id for fact in found}
    before = {fact.rev_id: fact for fact in old}
    upsert = [fact for fact in found if before.get(fact.rev_id) != fact]
    kept = {rev_id: fact for rev_id, fact in before.items() if rev_id not in gone}
    kept.update((fact.rev_id, fact) for fact in upsert)
    store.record_ledger(program_key, wiki, replace(state, read_until=read_at), upsert=upsert, remove=sorted(gone))
    revisions = ledger._ordered(kept.values())
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


def main(argv: Sequence[str] | None = None) -> None:
    """Each re-read on the case's one-hour update, timed whole (ledger.wiki_facts + aggregate), same ledger."""
    parser = argparse.ArgumentParser(description="ledger update re-read variants")
    parser.add_argument("--database", default=DEFAULT_DATABASE)
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--days", default="30,365")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args(argv)
    root = connect()
    settings = bed_settings(args.database)
    replica, views = open_replica(settings, args.database)
    editors = Editors(root, args.database, 1)
    variants: dict[str, tuple[str, object]] = {
        "today": ("_reread", ledger._reread),
        "targeted": ("_reread", reread_targeted),
        "targeted, actor filter": ("_reread", reread_targeted_filter),
        "targeted, actor filter, unchanged rows kept": ("wiki_facts", wiki_facts_keeping_unchanged),
    }
    with state_store(root, "pebot_bench_reread") as store, replicas_clock():
        for window_days in (int(value) for value in args.days.split(",")):
            for size in (int(value) for value in args.sizes.split(",")):
                chosen, active = editors.choose(size, window_days)
                case = Case(
                    size=size,
                    days=window_days,
                    window=window_of(window_days),
                    participants=tuple(sorted(name for _id, name in chosen)),
                    actor_ids=tuple(actor_id for actor_id, _name in chosen),
                    active=active,
                    settings=settings,
                    replica=replica,
                    views=views,
                    store=store,
                )
                for label, prepare in (("no-change update", full_ledger), ("1-hour update", hour_behind)):
                    ledgers = []
                    for name, (attribute, function) in variants.items():
                        times = []
                        for _round in range(args.repeat):
                            prepare(case)
                            started = time.perf_counter()
                            with mock.patch.object(ledger, attribute, function):
                                through_ledger(replace(case, measuring=name), recount=False)
                            times.append(time.perf_counter() - started)
                        ledgers.append(store.ledger_revisions(case.key, case.wiki))
                        print(
                            f"{size} / {window_days} d {label}, re-read {name}: {statistics.median(times):.3f} s "
                            f"(load {os.getloadavg()[0]:.1f})",
                            flush=True,
                        )
                    if any(other != ledgers[0] for other in ledgers[1:]):
                        raise AssertionError(f"{size} / {window_days} d {label}: the variants' ledgers differ")


if __name__ == "__main__":
    main()
