"""A full recount of one program on the replica-shaped bed, against the lower bound measured in the same run.

    .venv/bin/python -m bench.ledger_bench [--database benchwiki] [--sizes 10,100,1000,10000] [--days 1,30,365]
                                           [--repeat 3] [--budget 30] [--json results.json]

Needs a bed (``python -m bench.replica_bed build``). For each number of participants and each window (the last
days of the bed's history, so every window ends on 2026-01-01 00:00 UTC) it picks participants among the
registered editors active in that window (seeded: the same bed and seed give the same people; topped up from the
year's and then from every account when the window has too few), then times each entry of ``MEASURES`` in
rounds (lower bound, wiki_facts, aggregate, lower bound, ...), ``--repeat`` rounds, or fewer for a measure once
its runs add up to more than ``--budget`` seconds, and prints the median of each with its ratio to the lower bound:

* lower bound: the bare ``COUNT(*)`` of the participants' revisions in the window on ``revision_userindex``
  (actor ids known, all namespaces, batches of ``ACTOR_BATCH`` actors as bot/facts_replica.py cuts them, summed);
* wiki_facts: ``bot.facts_replica.wiki_facts`` for a main-namespace program (names to actor ids, revisions,
  deleted revisions, users: every statement, rows into Python), through the same ``pe_replica`` views;
* aggregate: ``bot.aggregate.aggregate`` over those facts (as bot/stats.py calls it, in UTC).

A new engine to compare is one more ``Measure`` in ``MEASURES``: a name and a function of the :class:`Case`.
The bed's buffer pool is warmed first; InnoDB's disk reads during the run are reported (0: all in memory), with
the load average before and after each case (the machine may be shared).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from random import Random
from typing import Any

import pymysql

from bench.replica_bed import DEFAULT_DATABASE, END, check_name, connect, ensure_buffer_pool, execute, warm
from bot.aggregate import aggregate
from bot.config import PROJECT_ROOT, ReplicaConfig, Settings, load_settings
from bot.facts_replica import FactRequest, WikiFacts, batches, mw_timestamp, wiki_facts
from bot.replica import Replica

NAMESPACES = (0,)
NOW = END + timedelta(days=31)
"""The programs' "now": a month after their end, so retention is computed as in a final update."""


def bed_settings(database: str) -> Settings:
    """The dev settings with one more wiki: the bed, read through ``<database>_p`` like a dev wiki."""
    settings = load_settings(PROJECT_ROOT / "config" / "dev.yaml")
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


def lower_bound(case: Case) -> int:
    start, end = (mw_timestamp(moment) for moment in case.window)
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


MEASURES: list[Measure] = [
    Measure("lower bound", lower_bound, "revisions, all namespaces"),
    Measure("wiki_facts", facts, "revisions and deleted revisions in the main namespace"),
    Measure("aggregate", aggregated, "edits"),
]
"""What is timed, in this order, in every round; the first is the lower bound the others are compared with."""
SUMS: list[tuple[str, tuple[str, ...]]] = [("today's recount", ("wiki_facts", "aggregate"))]
"""Columns that add medians of measures: what a full recount costs today."""


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


def run_case(case: Case, repeat: int, budget: float) -> dict[str, Timing]:
    timings = {measure.name: Timing() for measure in MEASURES}
    for _round in range(repeat):
        for measure in MEASURES:
            timing = timings[measure.name]
            if timing.times and sum(timing.times) > budget:
                continue
            started = time.perf_counter()
            timing.count = measure.run(case)
            timing.times.append(time.perf_counter() - started)
    return timings


def shown(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default=DEFAULT_DATABASE)
    parser.add_argument("--sizes", default="10,100,1000,10000")
    parser.add_argument("--days", default="1,30,365")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--budget", type=float, default=30.0, help="seconds per measure and case before stopping")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, help="also write every time measured here")
    args = parser.parse_args(argv)
    check_name(args.database)
    sizes = [int(value) for value in args.sizes.split(",")]
    days = [int(value) for value in args.days.split(",")]

    root = connect()
    ensure_buffer_pool(root)
    print(f"warming {args.database}: {warm(root, args.database):.1f} s", flush=True)
    settings = bed_settings(args.database)
    replica = Replica(settings.wiki(args.database), settings)
    views = pymysql.connect(
        host="127.0.0.1",
        port=3306,
        database=f"{args.database}_p",
        read_default_file=str(settings.replica_credentials or ""),
        charset="utf8mb4",
    )
    replica.query("stats/ping", {})  # both connections open before anything is timed
    execute(views, "SELECT 1")
    editors = Editors(root, args.database, args.seed)
    reads_before, started = disk_reads(root), time.monotonic()
    results: list[dict[str, Any]] = []
    header = ["participants (active)", "window", "lower bound"] + [m.name for m in MEASURES[1:]] + [s for s, _ in SUMS]
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
            )
            load_before = os.getloadavg()[0]
            timings = run_case(case, args.repeat, args.budget)
            load_after = os.getloadavg()[0]
            bound = timings[MEASURES[0].name].median
            cells = [
                f"{size:,} ({active:,})",
                f"{window_days} d",
                f"{shown(bound)} ({timings[MEASURES[0].name].count:,})",
            ]
            for measure in MEASURES[1:]:
                timing = timings[measure.name]
                cells.append(f"{shown(timing.median)} ({timing.median / bound:.1f}x; {timing.count:,})")
            for _name, parts in SUMS:
                total = sum(timings[part].median for part in parts)
                cells.append(f"{shown(total)} ({total / bound:.1f}x)")
            lines.append("| " + " | ".join(cells) + " |")
            print(
                f"{size} participants ({active} active), {window_days} d: "
                + "; ".join(
                    f"{name} median {shown(t.median)} of {len(t.times)} [{', '.join(shown(x) for x in t.times)}] "
                    f"-> {t.count}"
                    for name, t in timings.items()
                )
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
                }
            )
    reads = disk_reads(root) - reads_before
    print(f"\nmeasured in {time.monotonic() - started:.0f} s; InnoDB reads from disk during the run: {reads}\n")
    print("\n".join(lines))
    if args.json:
        args.json.write_text(json.dumps({"database": args.database, "disk_reads": reads, "cases": results}, indent=1))


if __name__ == "__main__":
    main()
