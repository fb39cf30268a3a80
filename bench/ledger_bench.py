"""A full recount of one program on the replica-shaped bed, and its ledger updates, against lower bounds measured
in the same run; and a cycle of many programs.

    .venv/bin/python -m bench.ledger_bench [--database benchwiki] [--sizes 10,100,1000,10000] [--days 1,30,365]
                                           [--repeat 3] [--budget 30] [--measures NAME,...] [--json results.json]
    .venv/bin/python -m bench.ledger_bench --cycle [--programs 1000] [--people 50000] [--json cycle.json]

Needs a bed (``python -m bench.replica_bed build``). For each number of participants and each window (the last
days of the bed's history, so every window ends on 2026-01-01 00:00 UTC) it picks participants among the
registered editors active in that window (seeded: the same bed and seed give the same people; topped up from the
year's and then from every account when the window has too few), then times each entry of ``MEASURES`` in
rounds (lower bound, wiki_facts, aggregate, ..., lower bound, ...), ``--repeat`` rounds, or fewer for a measure
once its runs add up to more than ``--budget`` seconds, and prints the median of each with its ratio to the lower
bound (or to the measure its ``against`` names):

* lower bound: the bare ``COUNT(*)`` of the participants' revisions in the window on ``revision_userindex``
  (actor ids known, all namespaces, batches of ``ACTOR_BATCH`` actors as bot/facts_replica.py cuts them, summed);
* wiki_facts: ``bot.facts_replica.wiki_facts`` for a main-namespace program (names to actor ids, revisions,
  deleted revisions, users: every statement, rows into Python), through the same ``pe_replica`` views;
* aggregate: ``bot.aggregate.aggregate`` over those facts without a ledger (its scratch in-memory SQLite);
* ledger recount: what the bot does (bot/stats.py), on an empty ledger: ``bot.ledger.wiki_facts`` with the
  program's ``Counting`` (which recounts and writes the ledger, rows marked, into the state DB) then
  ``aggregate(..., ledger=ledger.ref(store, key, wikis))``;
* no-change update: the same on a full ledger read up to "now" (an update with nothing new), by the process that
  wrote the ledger last (the continuous job's usual case: it remembers the rows and their counts);
* no-change update, cold: the same by a process that did not (another worker, or after a restart): the rows are
  read back from the state DB and counted again;
* hour bound: the lower bound of the window's last hour;
* 1-hour update: the same on a full ledger less its last hour, read until an hour ago (an hourly update), by the
  process that wrote it (``hour_behind`` leaves the process remembering that ledger and its counts, as if it had
  written and counted it); compared with the hour bound;
* 1-hour update, cold: the same by a process that did not write it.

The ledger lives in a throwaway MariaDB state database (``--state-database``, created with ``Store.open`` and
dropped at the end). bot/ledger.py takes the replicas' "now" from the real clock (``utcnow``) and re-reads the last
``REPLICATION_LAG`` (10 min) on each update; the bench patches ``bot.ledger.utcnow`` to READ_AT (the bed's end,
2026-01-01 00:00 UTC) so that the windows ending there are read as an active program's at the end of its day.

``--cycle``: ``--programs`` active programs over ``--people`` distinct participants (see ``cycle_programs``),
counted one after another as the bot does, first on empty ledgers (the first recount), then again with nothing
new; total time and peak RSS (``resource.getrusage``) after each pass.

A new engine to compare is one more ``Measure`` in ``MEASURES``: a name and a function of the :class:`Case`.
The bed's buffer pool is warmed first; InnoDB's disk reads during the run are reported (0: all in memory), with
the load average before and after each case (the machine may be shared).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from random import Random
from typing import Any
from unittest import mock

import pymysql

from bench.replica_bed import (
    DEFAULT_DATABASE,
    END,
    State,
    bench_account,
    check_name,
    connect,
    ensure_buffer_pool,
    execute,
    spread_deletions,
    warm,
)
from bot import aggregate as aggregate_module
from bot import ledger
from bot.aggregate import Counting, aggregate
from bot.config import PROJECT_ROOT, ReplicaConfig, Settings, StateConfig, load_settings
from bot.facts_replica import FactRequest, WikiFacts, batches, mw_timestamp, wiki_facts
from bot.replica import Replica
from bot.store import LedgerState, Store

NAMESPACES = (0,)
NOW = END + timedelta(days=31)
"""The programs' "now": a month after their end, so retention is computed as in a final update."""
READ_AT = END
"""The replicas' "now" for the ledger (``bot.ledger.utcnow`` is patched to it while measuring): the bed's history
ends there, so a program whose window ends at END is read as an active one would be at the end of its last day."""
HOUR = timedelta(hours=1)
STATE_DATABASE = "pebot_bench_state"
"""The throwaway MariaDB state database the ledger measures write to (created and dropped by the bench)."""


def bed_settings(database: str) -> Settings:
    """The dev settings with one more wiki: the bed, read through ``<database>_p`` like a dev wiki, as the benches'
    own account (``replica_bed.bench_account``: the same rights as the dev wikis' tool account, on the bed only)."""
    settings = load_settings(PROJECT_ROOT / "config" / "dev.yaml")
    settings = replace(settings, replica_credentials=bench_account(connect(), database))
    wiki = replace(
        settings.wiki("devwiki"),
        name=database,
        replica=ReplicaConfig(dbname=database, toolforge=False, host="127.0.0.1", port=3306),
        pageviews_project=None,
        deletion_categories=(),
        deletion_discussion_prefixes=(),
    )
    return replace(settings, wikis={**settings.wikis, database: wiki})


@dataclass
class Case:
    """One program to count: its participants and window on the bed, and the connections to count it with."""

    size: int
    days: int
    window: tuple[datetime, datetime]
    participants: tuple[str, ...]
    actor_ids: tuple[int, ...]
    active: int
    """Participants with at least one revision in the window."""
    settings: Settings
    replica: Replica
    views: pymysql.connections.Connection[Any]
    """The tool's account on ``<database>_p`` (as Replica connects), for the lower bound."""
    kept_facts: WikiFacts | None = field(default=None, repr=False)
    store: Store | None = field(default=None, repr=False)
    """The state store (MariaDB) holding this case's ledger, under ``key``."""
    parts: dict[str, list[float]] = field(default_factory=dict)
    """Sub-timings the measures record: "<measure>: facts" and "<measure>: aggregate"."""
    measuring: str = ""

    @property
    def key(self) -> str:
        return f"bench-{self.size}-{self.days}"

    @property
    def wiki(self) -> str:
        return self.replica.wiki.name

    @property
    def request(self) -> FactRequest:
        return FactRequest(self.participants, self.window, NAMESPACES, self.settings.bot_username)

    def facts(self) -> WikiFacts:
        """The facts of the latest wiki_facts run (fetched untimed when no run kept them)."""
        if self.kept_facts is None:
            self.kept_facts = wiki_facts(self.replica, self.request)
        return self.kept_facts


@dataclass(frozen=True)
class Measure:
    name: str
    run: Callable[[Case], int]
    """Does the whole work once; returns a count shown beside the time (rows, revisions, edits)."""
    counts: str
    """What that count is."""
    prepare: Callable[[Case], None] | None = None
    """Untimed, before each run: puts the ledger in the state the measure starts from."""
    against: str = "lower bound"
    """The measure its ratio is taken to."""
    ledger: bool = False
    """Needs the state store (skipped without one)."""


def lower_bound(case: Case, window: tuple[datetime, datetime] | None = None) -> int:
    start, end = (mw_timestamp(moment) for moment in window or case.window)
    total = 0
    with case.views.cursor() as cursor:
        for batch in batches(sorted(case.actor_ids)):
            cursor.execute(
                "SELECT COUNT(*) FROM revision_userindex WHERE rev_actor IN %(actors)s "
                "AND rev_timestamp >= %(start)s AND rev_timestamp < %(end)s",
                {"actors": batch, "start": start, "end": end},
            )
            total += int(cursor.fetchone()[0])
    return total


def facts(case: Case) -> int:
    case.kept_facts = wiki_facts(case.replica, case.request)
    return len(case.kept_facts.all_revisions)


def aggregated(case: Case) -> int:
    found = case.facts()
    metrics = aggregate(
        participants=case.participants,
        window=case.window,
        timezone="UTC",
        now=NOW,
        revisions=found.all_revisions,
        users=found.users,
        lead_in_days=case.settings.new_editor_lead_in_days,
        retention_days=case.settings.retention_days,
    )
    return metrics.total.edits


def hour_bound(case: Case) -> int:
    """The lower bound of the window's last hour: what an update with one hour of new revisions must read."""
    return lower_bound(case, (case.window[1] - HOUR, case.window[1]))


def counting(case: Case) -> Counting:
    """How the program counts (bot/stats.py builds the same): its participants, window, UTC days, every page."""
    return Counting(frozenset(case.participants), case.window, "UTC")


def through_ledger(case: Case, *, recount: bool) -> int:
    """What the bot does per tracked wiki and program (bot/stats.py): ``bot.ledger.wiki_facts`` with the program's
    Counting through its ledger in the state store, then ``aggregate`` with ``ledger=ledger.ref(...)`` (its
    GROUP BYs over that ledger, unless the ledger's version is the one it last counted)."""
    assert case.store is not None
    started = time.perf_counter()
    found, recounted = ledger.wiki_facts(
        case.replica, case.request, "replica", store=case.store, program_key=case.key, counting=counting(case)
    )
    middle = time.perf_counter()
    if recounted != recount:
        raise RuntimeError(f"{case.measuring}: expected recounted={recount}, got {recounted}")
    metrics = aggregate(
        participants=case.participants,
        window=case.window,
        timezone="UTC",
        now=NOW,
        revisions=found.all_revisions,
        users=found.users,
        lead_in_days=case.settings.new_editor_lead_in_days,
        retention_days=case.settings.retention_days,
        ledger=ledger.ref(case.store, case.key, [case.wiki]),
    )
    case.parts.setdefault(f"{case.measuring}: facts", []).append(middle - started)
    case.parts.setdefault(f"{case.measuring}: aggregate", []).append(time.perf_counter() - middle)
    return metrics.total.edits


def forget_ledger(case: Case) -> None:
    """An empty ledger whose fingerprint answers nothing: the next ``ledger.wiki_facts`` recounts in full."""
    assert case.store is not None
    moment = READ_AT - ledger.RECOUNT_EVERY
    case.store.record_ledger(case.key, case.wiki, LedgerState("", moment, moment), upsert=(), replace_all=True)


def full_ledger(case: Case) -> None:
    """A ledger read up to READ_AT, written by this process (recounted untimed when it is not)."""
    assert case.store is not None
    state = case.store.ledger_state(case.key, case.wiki)
    remembered = ledger._written.get(case.store, {}).get((case.key, case.wiki))
    if (
        state is None
        or state.fingerprint != ledger.fingerprint(case.request, "replica")
        or state.read_until != READ_AT
        or remembered is None
        or remembered.state != state
    ):
        forget_ledger(case)
        through_ledger(replace(case, measuring="setup"), recount=True)


def forget_memory() -> None:
    """What this process remembers of the ledgers it wrote and of their counts (bot/ledger.py, bot/aggregate.py):
    gone, as in a worker that did not write them."""
    ledger._written.clear()
    aggregate_module._last_counts.clear()


def full_ledger_cold(case: Case) -> None:
    full_ledger(case)
    forget_memory()


def hour_behind(case: Case) -> None:
    """A full ledger less the window's last hour, read until an hour ago: the state an hourly update finds. This
    process remembers it as the one it wrote (the rows and their index, the state, a version of its own, the
    participants' actor ids and user facts) and has its counts (counted here, untimed), as a worker that updated and
    counted it an hour ago would: the update's aggregate() then patches them (bot/aggregate.py LedgerDelta)."""
    assert case.store is not None
    full_ledger(case)
    state = case.store.ledger_state(case.key, case.wiki)
    assert state is not None
    cut = case.window[1] - HOUR
    before = case.store.ledger_revisions(case.key, case.wiki)
    recent = [fact.rev_id for fact in before if fact.timestamp >= cut]
    earlier = replace(state, read_until=cut)
    case.store.record_ledger(case.key, case.wiki, earlier, upsert=(), remove=recent)
    kept = ledger._ordered(fact for fact in before if fact.timestamp < cut)
    wrote = ledger._written[case.store][(case.key, case.wiki)]  # full_ledger left it remembered
    ledger._written[case.store][(case.key, case.wiki)] = ledger._Written(
        earlier, next(ledger._versions), kept, wrote.ids, wrote.users, index=ledger._Index.of(kept)
    )
    aggregate(
        participants=case.participants,
        window=case.window,
        timezone="UTC",
        now=NOW,
        revisions=kept,
        ledger=ledger.ref(case.store, case.key, [case.wiki]),
    )


def hour_behind_cold(case: Case) -> None:
    hour_behind(case)
    forget_memory()


def ledger_recount(case: Case) -> int:
    return through_ledger(case, recount=True)


def ledger_update(case: Case) -> int:
    return through_ledger(case, recount=False)


MEASURES: list[Measure] = [
    Measure("lower bound", lower_bound, "revisions, all namespaces"),
    Measure("wiki_facts", facts, "revisions and deleted revisions in the main namespace"),
    Measure("aggregate", aggregated, "edits"),
    Measure("ledger recount", ledger_recount, "edits", prepare=forget_ledger, ledger=True),
    Measure("no-change update", ledger_update, "edits", prepare=full_ledger, ledger=True),
    Measure("no-change update, cold", ledger_update, "edits", prepare=full_ledger_cold, ledger=True),
    Measure("hour bound", hour_bound, "revisions of the last hour, all namespaces", ledger=True),
    Measure("1-hour update", ledger_update, "edits", prepare=hour_behind, against="hour bound", ledger=True),
    Measure("1-hour update, cold", ledger_update, "edits", prepare=hour_behind_cold, against="hour bound", ledger=True),
]
"""What is timed, in this order, in every round; the first is the lower bound the others are compared with
(``against`` names another). The ledger measures run ``bot.ledger`` with its clock fixed at READ_AT."""
SUMS: list[tuple[str, tuple[str, ...]]] = [("today's recount", ("wiki_facts", "aggregate"))]
"""Columns that add medians of measures: what a full recount cost before the ledger."""


# --- choosing participants ----------------------------------------------------------------------------------------


class Editors:
    """Registered, visible editors of the bed, per window, in a seeded order (so that smaller sets are prefixes)."""

    def __init__(self, conn: pymysql.connections.Connection[Any], database: str, seed: int) -> None:
        self.conn, self.database, self.seed = conn, database, seed
        self._pools: dict[int, list[tuple[int, str]]] = {}

    def pool(self, days: int | None) -> list[tuple[int, str]]:
        key = days or 0
        if key not in self._pools:
            if days:
                start, end = (mw_timestamp(moment) for moment in window_of(days))
                rows = execute(
                    self.conn,
                    f"SELECT actor_id, actor_name FROM `{self.database}_p`.actor_user WHERE actor_id IN "
                    f"(SELECT rev_actor FROM `{self.database}`.revision WHERE rev_timestamp >= %s "
                    "AND rev_timestamp < %s AND rev_deleted & 4 = 0) ORDER BY actor_id",
                    (start, end),
                )
            else:
                rows = execute(self.conn, f"SELECT actor_id, actor_name FROM `{self.database}_p`.actor_user")
                rows.sort()
            pool = [(int(actor_id), bytes(name).decode()) for actor_id, name in rows]
            Random(f"{self.seed}/{key}").shuffle(pool)  # noqa: S311 -- a reproducible sample, nothing secret
            self._pools[key] = pool
        return self._pools[key]

    def choose(self, size: int, days: int) -> tuple[list[tuple[int, str]], int]:
        """``size`` editors, as many as possible active in the window; and how many of them are."""
        chosen = self.pool(days)[:size]
        active = len(chosen)
        taken = {actor_id for actor_id, _name in chosen}
        for fallback in (365, None):
            for editor in self.pool(fallback):
                if len(chosen) >= size:
                    break
                if editor[0] not in taken:
                    chosen.append(editor)
                    taken.add(editor[0])
        return chosen, active


def window_of(days: int) -> tuple[datetime, datetime]:
    return END - timedelta(days=days), END


# --- running --------------------------------------------------------------------------------------------------------


@dataclass
class Timing:
    times: list[float] = field(default_factory=list)
    count: int = 0

    @property
    def median(self) -> float:
        return statistics.median(self.times)


def disk_reads(conn: pymysql.connections.Connection[Any]) -> int:
    return int(execute(conn, "SHOW GLOBAL STATUS LIKE 'Innodb_buffer_pool_reads'")[0][1])


def run_case(case: Case, measures: Sequence[Measure], repeat: int, budget: float) -> dict[str, Timing]:
    timings = {measure.name: Timing() for measure in measures}
    for _round in range(repeat):
        for measure in measures:
            timing = timings[measure.name]
            if timing.times and sum(timing.times) > budget:
                continue
            case.measuring = measure.name
            if measure.prepare is not None:
                measure.prepare(case)
            started = time.perf_counter()
            timing.count = measure.run(case)
            timing.times.append(time.perf_counter() - started)
    return timings


def shown(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


@contextmanager
def state_store(root: pymysql.connections.Connection[Any], database: str) -> Iterator[Store]:
    """A new, migrated state store on the local MariaDB, dropped afterwards (as the bot's, through Store.open)."""
    check_name(database)
    execute(root, f"DROP DATABASE IF EXISTS `{database}`")
    execute(root, f"CREATE DATABASE `{database}`")
    store = Store.open(StateConfig(engine="mysql", host="127.0.0.1", port=3306, database=database))
    try:
        yield store
    finally:
        store.close()
        execute(root, f"DROP DATABASE IF EXISTS `{database}`")


@contextmanager
def replicas_clock(moment: datetime = READ_AT) -> Iterator[None]:
    """bot/ledger.py reads the real clock (``utcnow``) as the replicas' "now"; the bed's history ends at END."""
    with mock.patch.object(ledger, "utcnow", return_value=moment):
        yield


def prepare_bed(root: pymysql.connections.Connection[Any], database: str) -> None:
    """Buffer pool, warming, and the deletion cliff of older beds moved (``replica_bed repair``)."""
    ensure_buffer_pool(root)
    state = State(root, database)
    if not state.get("repair:deletions"):
        moved = spread_deletions(root, database)
        state.done("repair:deletions", 0.0, moved)
        print(f"repair: {moved} deletions moved off the history's last second", flush=True)
    print(f"warming {database}: {warm(root, database):.1f} s", flush=True)


def open_replica(settings: Settings, database: str) -> tuple[Replica, pymysql.connections.Connection[Any]]:
    """The bot's Replica on the bed's views, and a plain connection as the same account (for the lower bounds)."""
    replica = Replica(settings.wiki(database), settings)
    views = pymysql.connect(
        host="127.0.0.1",
        port=3306,
        database=f"{database}_p",
        read_default_file=str(settings.replica_credentials or ""),
        charset="utf8mb4",
    )
    replica.query("stats/ping", {})  # both connections open before anything is timed
    execute(views, "SELECT 1")
    return replica, views


def peak_rss_mib() -> float:
    """The process's peak resident set so far (Linux: ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mib() -> float:
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default=DEFAULT_DATABASE)
    parser.add_argument("--sizes", default="10,100,1000,10000")
    parser.add_argument("--days", default="1,30,365")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--budget", type=float, default=30.0, help="seconds per measure and case before stopping")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--measures", help="names of MEASURES to run, separated by commas or, if any holds one, by ';' (default: all)"
    )
    parser.add_argument("--state-database", default=STATE_DATABASE, help="throwaway state DB for the ledger")
    parser.add_argument("--cycle", action="store_true", help="the cycle of many programs instead (see cycle())")
    parser.add_argument("--programs", type=int, default=1000)
    parser.add_argument("--people", type=int, default=50_000)
    parser.add_argument("--json", type=Path, help="also write every time measured here")
    args = parser.parse_args(argv)
    check_name(args.database)
    if args.cycle:
        cycle(args)
        return
    sizes = [int(value) for value in args.sizes.split(",")]
    days = [int(value) for value in args.days.split(",")]
    separator = ";" if args.measures and ";" in args.measures else ","  # some names hold a comma
    wanted = set(args.measures.split(separator)) | {MEASURES[0].name} if args.measures else None
    measures = [m for m in MEASURES if wanted is None or m.name in wanted]
    measures += [m for m in MEASURES if m.name in {x.against for x in measures} and m not in measures]
    measures.sort(key=MEASURES.index)
    sums = [(name, parts) for name, parts in SUMS if all(part in {m.name for m in measures} for part in parts)]

    root = connect()
    prepare_bed(root, args.database)
    settings = bed_settings(args.database)
    replica, views = open_replica(settings, args.database)
    editors = Editors(root, args.database, args.seed)
    with state_store(root, args.state_database) as store, replicas_clock():
        reads_before, started = disk_reads(root), time.monotonic()
        results: list[dict[str, Any]] = []
        header = ["participants (active)", "window", "lower bound"] + [m.name for m in measures[1:]]
        header += [name for name, _parts in sums] + ["load"]
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        for window_days in days:
            for size in sizes:
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
                load_before = os.getloadavg()[0]
                timings = run_case(case, measures, args.repeat, args.budget)
                load_after = os.getloadavg()[0]
                bound = timings[MEASURES[0].name].median
                cells = [
                    f"{size:,} ({active:,})",
                    f"{window_days} d",
                    f"{shown(bound)} ({timings[MEASURES[0].name].count:,})",
                ]
                for measure in measures[1:]:
                    timing = timings[measure.name]
                    reference = timings[measure.against].median
                    cells.append(f"{shown(timing.median)} ({timing.median / reference:.1f}x; {timing.count:,})")
                for _name, parts in sums:
                    total = sum(timings[part].median for part in parts)
                    cells.append(f"{shown(total)} ({total / bound:.1f}x)")
                cells.append(f"{load_before:.1f}-{load_after:.1f}")
                lines.append("| " + " | ".join(cells) + " |")
                split = {name: statistics.median(times) for name, times in case.parts.items() if ": " in name}
                print(
                    f"{size} participants ({active} active), {window_days} d: "
                    + "; ".join(
                        f"{name} median {shown(t.median)} of {len(t.times)} [{', '.join(shown(x) for x in t.times)}]"
                        f" -> {t.count}"
                        for name, t in timings.items()
                    )
                    + "; parts: "
                    + ", ".join(f"{name} {shown(value)}" for name, value in split.items() if "setup" not in name)
                    + f"; load {load_before:.2f} -> {load_after:.2f}",
                    flush=True,
                )
                results.append(
                    {
                        "participants": size,
                        "active": active,
                        "days": window_days,
                        "load": [load_before, load_after],
                        "measures": {name: {"times": t.times, "count": t.count} for name, t in timings.items()},
                        "parts": case.parts,
                    }
                )
        reads = disk_reads(root) - reads_before
    print(f"\nmeasured in {time.monotonic() - started:.0f} s; InnoDB reads from disk during the run: {reads}\n")
    print("\n".join(lines))
    if args.json:
        args.json.write_text(json.dumps({"database": args.database, "disk_reads": reads, "cases": results}, indent=1))


# --- a cycle of many programs -------------------------------------------------------------------------------------

CYCLE_DAYS = (7, 14, 30, 30, 30, 60, 90, 90, 180, 365)
"""Window lengths a cycle's programs draw from (seeded), all ending at END: every program is active."""
CYCLE_SHARED = 0.1
"""Share of the people who also take part in a second program."""


def cycle_programs(editors: Editors, programs: int, people: int, seed: int) -> list[tuple[int, list[tuple[int, str]]]]:
    """``programs`` programs (window in days, participants) over ``people`` distinct registered editors active in
    the bed's last year: each person in one program drawn at random, a tenth also in a second."""
    rng = Random(f"{seed}/cycle")  # noqa: S311 -- a reproducible sample, nothing secret
    pool = editors.pool(365)[:people]
    if len(pool) < people:
        raise SystemExit(f"ledger_bench: only {len(pool)} editors were active in the last year")
    members: list[list[tuple[int, str]]] = [[] for _ in range(programs)]
    for editor in pool:
        first = rng.randrange(programs)
        members[first].append(editor)
        if rng.random() < CYCLE_SHARED:
            members[(first + 1 + rng.randrange(programs - 1)) % programs].append(editor)
    return [(rng.choice(CYCLE_DAYS), sorted(group, key=lambda e: e[1])) for group in members]


def cycle(args: argparse.Namespace) -> None:
    """A full cycle of ``--programs`` active programs over ``--people`` distinct participants, each program as the
    bot counts it (``through_ledger``: ledger.wiki_facts, then aggregate over its ledger), one after another in one
    process: first the full recount (empty ledgers), then a cycle with nothing new (the process remembering the
    ledgers it wrote, as the continuous job does), then another with nothing new after forgetting them (as a worker
    that did not write them, or a restarted job). Peak RSS after each."""
    root = connect()
    prepare_bed(root, args.database)
    settings = bed_settings(args.database)
    replica, views = open_replica(settings, args.database)
    editors = Editors(root, args.database, args.seed)
    chosen = cycle_programs(editors, args.programs, args.people, args.seed)
    memberships = sum(len(group) for _days, group in chosen)
    distinct = len({editor for _days, group in chosen for editor in group})
    print(
        f"{len(chosen)} programs, {memberships} memberships, {distinct} distinct participants; windows "
        + ", ".join(f"{d} d x{sum(1 for x, _g in chosen if x == d)}" for d in sorted(set(CYCLE_DAYS)))
        + f"; RSS before the cycle {current_rss_mib():.0f} MiB (peak {peak_rss_mib():.0f} MiB)",
        flush=True,
    )
    report: dict[str, Any] = {"programs": len(chosen), "memberships": memberships, "distinct": distinct, "passes": []}
    with state_store(root, args.state_database) as store, replicas_clock():
        cases = [
            Case(
                size=index,
                days=window_days,
                window=window_of(window_days),
                participants=tuple(name for _id, name in group),
                actor_ids=tuple(actor_id for actor_id, _name in group),
                active=len(group),
                settings=settings,
                replica=replica,
                views=views,
                store=store,
            )
            for index, (window_days, group) in enumerate(chosen)
        ]
        for name, recount in (("first recount", True), ("nothing new", False), ("nothing new, cold", False)):
            if name.endswith("cold"):
                forget_memory()
            load_before, started = os.getloadavg()[0], time.perf_counter()
            edits, slowest = 0, (0.0, 0)
            times = []
            for case in cases:
                case.measuring = name
                one = time.perf_counter()
                edits += through_ledger(case, recount=recount)
                times.append(time.perf_counter() - one)
                slowest = max(slowest, (times[-1], case.size))
            total = time.perf_counter() - started
            rows = int(execute(root, f"SELECT COUNT(*) FROM `{args.state_database}`.ledger_revision")[0][0])
            facts_s = sum(sum(case.parts.get(f"{name}: facts", [])) for case in cases)
            aggregate_s = sum(sum(case.parts.get(f"{name}: aggregate", [])) for case in cases)
            line = {
                "pass": name,
                "seconds": total,
                "facts_seconds": facts_s,
                "aggregate_seconds": aggregate_s,
                "median_program": statistics.median(times),
                "slowest_program": {"seconds": slowest[0], "days": cases[slowest[1]].days,
                                    "participants": len(cases[slowest[1]].participants)},
                "edits": edits,
                "ledger_rows": rows,
                "peak_rss_mib": peak_rss_mib(),
                "rss_mib": current_rss_mib(),
                "load": [load_before, os.getloadavg()[0]],
            }  # fmt: skip
            report["passes"].append(line)
            print(json.dumps(line), flush=True)
    if args.json:
        args.json.write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
