"""Where a program's full recount through the ledger spends its time, and where its updates do.

    .venv/bin/python -m bench.ledger_profile [--sizes 1000,10000] [--days 30,365] [--repeat 2]
                                             [--cprofile DIR] [--json profile.json]

For each case (participants and window chosen as in bench/ledger_bench.py, on the same bed, the ledger in a
throwaway MariaDB state database, ``bot.ledger.utcnow`` fixed at the bed's end), the recount is taken apart step by
step, each step timed on its own (median of ``--repeat``):

* ``actors``: names to actor ids (stats/actors.sql);
* per revision statement (stats/revisions.sql, stats/deleted_revisions.sql, every actor batch and window slice as
  bot/facts_replica.py cuts them): (i) **server**: the same statement wrapped as ``WITH t(c0..c9) AS (<it>)
  SELECT COUNT(*), SUM(...)`` over every column, so MariaDB does all the joins and sends one row; (ii) **wire +
  decode**: ``Replica.query`` of the statement (server, transfer, pymysql's row decoding) less (i); (iii)
  **RevisionFact**: ``facts_replica._revisions`` over the rows in hand;
* ``users`` (stats/users.sql), the ledger's sort (``ledger._ordered``);
* (iv) **ledger write**: the local day of each row (``Counting.days``), then ``Store.record_ledger(...,
  replace_all=True, days=...)``, the rows written counted (of which: the rows rendered as SQL, ``_ledger_values``);
* (v) **aggregate**: ``aggregate(ledger=...)`` over those rows as bot/ledger.py leaves them (marked, a version
  not counted yet), split into the five ``Store.ledger_counts`` GROUP BYs and the rest (Python);
* and, for reference, the real path (``ledger.wiki_facts`` + ``aggregate``) timed whole in the same run, and the
  lower bound of bench/ledger_bench.py.

Then the no-change update and the one-hour update (as ledger_bench sets them up: by the process that wrote the
ledger, and "cold", by one that did not) with the time per function of bot/facts_replica.py and of the ledger
methods of Store (wrapped timers). ``bench/prototypes/`` holds the variants not applied, measured against these
steps (``--prototypes``).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import statistics
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar
from unittest import mock

from bench.ledger_bench import (
    READ_AT,
    Case,
    Editors,
    bed_settings,
    counting,
    forget_ledger,
    full_ledger,
    full_ledger_cold,
    hour_behind,
    hour_behind_cold,
    lower_bound,
    open_replica,
    prepare_bed,
    replicas_clock,
    shown,
    state_store,
    through_ledger,
    window_of,
)
from bench.replica_bed import DEFAULT_DATABASE, connect
from bot import facts_replica, ledger
from bot.aggregate import LedgerRef, aggregate
from bot.bulk import collecting_later
from bot.facts_replica import batches, slices
from bot.metrics import RevisionFact
from bot.replica import Replica, sql_text
from bot.store import LedgerState, Store, _ledger_values, _Quoted

T = TypeVar("T")
FAMILIES = (("stats/revisions", False), ("stats/deleted_revisions", True))
COLUMNS = 10
"""Columns of revisions.sql and deleted_revisions.sql."""


def statement_params(case: Case, ids: dict[int, str]) -> Iterator[dict[str, object]]:
    """The parameters of every statement of a family, as facts_replica._each/_family send them."""
    for batch in batches(sorted(ids)):
        for start, end in slices(case.window):
            yield {"actors": batch, "start": start, "end": end, "namespaces": case.request.namespaces}


def server_only(replica: Replica, name: str, params: dict[str, object]) -> int:
    """The statement with every column consumed inside MariaDB (one row sent): the server's share of its time."""
    columns = ", ".join(f"c{i}" for i in range(COLUMNS))
    wrapped = (
        f"WITH t({columns}) AS ({sql_text(name)}) SELECT COUNT(*), SUM(c0), SUM(c1), SUM(c2), SUM(c3), "
        "SUM(LENGTH(c4)), MAX(c5), SUM(c6), SUM(c7), SUM(c8), SUM(c9) FROM t"
    )
    timeout = replica._settings.statement_timeout_seconds
    connection = replica._connection
    assert connection is not None
    with connection.cursor() as cursor:
        cursor.execute(f"SET STATEMENT max_statement_time={timeout} FOR {wrapped}", params)
        return int(cursor.fetchone()[0])


def timed(action: Callable[[], T]) -> tuple[float, T]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


class Splits:
    """Seconds per step, one list per step (a value per round)."""

    def __init__(self) -> None:
        self.rounds: dict[str, list[float]] = defaultdict(list)

    def add(self, step: str, seconds: float) -> None:
        self.rounds[step].append(seconds)

    def medians(self) -> dict[str, float]:
        return {step: statistics.median(values) for step, values in self.rounds.items()}


def recount_steps(case: Case, splits: Splits, round_no: int) -> None:
    """One full recount taken apart (see the module's docstring); ``round_no`` keys the per-round sums."""
    store = case.store
    assert store is not None
    replica, request = case.replica, case.request
    seconds, ids = timed(lambda: facts_replica.actors(replica, request))
    splits.add("actors", seconds)
    facts: list[RevisionFact] = []
    sums: dict[str, float] = defaultdict(float)
    rows_read = 0
    for name, deleted in FAMILIES:
        family = "archive" if deleted else "revision"
        for params in statement_params(case, ids):
            started = time.perf_counter()
            server_only(replica, name, params)
            server = time.perf_counter() - started
            started = time.perf_counter()
            rows = replica.query(name, params)
            full = time.perf_counter() - started
            started = time.perf_counter()
            made = facts_replica._revisions(replica.wiki.name, ids, rows, deleted=deleted)
            built = time.perf_counter() - started
            sums[f"(i) server, {family}"] += server
            sums[f"(ii) wire + decode, {family}"] += max(0.0, full - server)
            sums["(iii) RevisionFact"] += built
            sums["statements"] += 1
            rows_read += len(rows)
            facts.extend(made)
    for step, value in sums.items():
        splits.add(step, value)
    splits.add("rows", rows_read)
    seconds, _users = timed(lambda: facts_replica.users(replica, ids, request))
    splits.add("users", seconds)
    seconds, ordered = timed(lambda: ledger._ordered(facts))
    splits.add("sort", seconds)
    marks = counting(case)
    seconds, days = timed(lambda: marks.days(ordered))
    splits.add("(iv) local days (Counting.days)", seconds)
    quoted = _Quoted(store._connection.escape)
    seconds, _rows = timed(lambda: [_ledger_values(fact, days[fact.rev_id], quoted) for fact in ordered])
    splits.add("(iv) ledger write: of which rows rendered", seconds)
    state = LedgerState(ledger.fingerprint(request, "replica"), READ_AT, READ_AT, marks.fingerprint)
    seconds, _none = timed(
        lambda: store.record_ledger(case.key, case.wiki, state, upsert=ordered, replace_all=True, days=days)
    )
    splits.add("(iv) ledger write", seconds)
    with wrapped_store_timers() as inner:
        seconds, _metrics = timed(lambda: aggregate_over_ledger(case, ordered))
    splits.add("(v) aggregate", seconds)
    for step, value in inner.items():
        splits.add(f"(v) aggregate: {step}", value)
    splits.add("(v) aggregate: rest (Python)", seconds - sum(inner.values()))


def aggregate_over_ledger(case: Case, revisions: Sequence[RevisionFact]) -> int:
    assert case.store is not None
    metrics = aggregate(
        participants=case.participants,
        window=case.window,
        timezone="UTC",
        now=case.window[1],
        revisions=revisions,
        lead_in_days=case.settings.new_editor_lead_in_days,
        retention_days=case.settings.retention_days,
        # As bot/ledger.py leaves them: rows marked, a version of the ledger not counted yet.
        ledger=LedgerRef(case.store, case.key, ((case.wiki, next(ledger._versions)),)),
    )
    return metrics.total.edits


STORE_TIMED = ("mark_ledger_counted", "ledger_counts")
UPDATE_TIMED_STORE = ("ledger_state", "ledger_revisions", "record_ledger", "ledger_counted", *STORE_TIMED)
UPDATE_TIMED_FACTS = ("actors", "revisions", "deleted_revisions", "reread", "users")
UPDATE_TIMED_LEDGER = ("_log_events", "_new_revisions", "_touched_pages")


@contextmanager
def wrapped_timers(targets: Sequence[tuple[object, str, str]]) -> Iterator[dict[str, float]]:
    """Patch each (owner, attribute) with a wrapper adding its time under a label (outermost calls only)."""
    totals: dict[str, float] = defaultdict(float)
    depth = [0]
    patches = []
    for owner, attribute, label in targets:
        original = getattr(owner, attribute)

        def wrapper(*args: Any, _original: Any = original, _label: str = label, **kwargs: Any) -> Any:
            depth[0] += 1
            started = time.perf_counter()
            try:
                return _original(*args, **kwargs)
            finally:
                depth[0] -= 1
                if depth[0] == 0:
                    totals[_label] += time.perf_counter() - started

        patches.append(mock.patch.object(owner, attribute, wrapper))
    for patch in patches:
        patch.start()
    try:
        yield totals
    finally:
        for patch in reversed(patches):
            patch.stop()


def wrapped_store_timers() -> Any:
    return wrapped_timers([(Store, name, f"Store.{name}") for name in STORE_TIMED])


def update_steps(case: Case, splits: Splits, prefix: str) -> None:
    """One update (the ledger prepared by the caller) with the time of each replica and store function."""
    targets: list[tuple[object, str, str]] = [(Store, name, f"Store.{name}") for name in UPDATE_TIMED_STORE]
    targets += [(facts_replica, name, f"facts_replica.{name}") for name in UPDATE_TIMED_FACTS]
    targets += [(ledger, name, f"ledger.{name}") for name in UPDATE_TIMED_LEDGER]
    targets.append((ledger._Index, "of", "ledger._Index.of (rows indexed)"))
    with wrapped_timers(targets) as totals:
        seconds, _edits = timed(lambda: through_ledger(replace(case, measuring=prefix), recount=False))
    splits.add(f"{prefix}: total", seconds)
    for label, value in totals.items():
        splits.add(f"{prefix}: {label}", value)
    splits.add(f"{prefix}: rest (Python)", seconds - sum(totals.values()))


def profile_case(case: Case, repeat: int, cprofile_dir: Path | None, prototypes: bool) -> dict[str, float]:
    splits = Splits()
    for round_no in range(repeat):
        seconds, _rows = timed(lambda: lower_bound(case))
        splits.add("lower bound (COUNT(*), as ledger_bench)", seconds)
        forget_ledger(case)
        seconds, _edits = timed(lambda: through_ledger(replace(case, measuring="whole"), recount=True))
        splits.add("whole recount (ledger.wiki_facts + aggregate)", seconds)
        forget_ledger(case)
        with collecting_later():  # as bot/ledger.py recounts
            recount_steps(case, splits, round_no)
        for label, prepare in (
            ("no-change update", full_ledger),
            ("no-change update, cold", full_ledger_cold),
            ("1-hour update", hour_behind),
            ("1-hour update, cold", hour_behind_cold),
        ):
            prepare(case)
            update_steps(case, splits, label)
    if cprofile_dir is not None:
        cprofile_dir.mkdir(parents=True, exist_ok=True)
        forget_ledger(case)
        profiler = cProfile.Profile()
        profiler.runcall(through_ledger, replace(case, measuring="cprofile"), recount=True)
        profiler.dump_stats(cprofile_dir / f"recount-{case.size}-{case.days}.prof")
    if prototypes:
        from bench.prototypes import recount_variants

        for step, values in recount_variants.measure(case, repeat).items():
            for value in values:
                splits.add(f"prototype: {step}", value)
    return splits.medians()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default=DEFAULT_DATABASE)
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--days", default="30,365")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--state-database", default="pebot_bench_profile")
    parser.add_argument("--cprofile", type=Path, help="write a cProfile of one whole recount per case here")
    parser.add_argument("--prototypes", action="store_true", help="also measure bench/prototypes/recount_variants")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    root = connect()
    prepare_bed(root, args.database)
    settings = bed_settings(args.database)
    replica, views = open_replica(settings, args.database)
    editors = Editors(root, args.database, args.seed)
    results = []
    with state_store(root, args.state_database) as store, replicas_clock():
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
                load = os.getloadavg()[0]
                medians = profile_case(case, args.repeat, args.cprofile, args.prototypes)
                load = max(load, os.getloadavg()[0])
                print(f"\n## {size} participants, {window_days} d (load up to {load:.1f})", flush=True)
                for step, value in medians.items():
                    print(f"  {step:60} {value if step in ('rows', 'statements') else shown(value)}", flush=True)
                results.append({"participants": size, "days": window_days, "load": load, "steps": medians})
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
