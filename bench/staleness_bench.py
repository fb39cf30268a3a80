"""How stale two workers keep 1,000 active programs on the 10M-revision bed (issue 16's "Done means"), and how many
replica connections they hold at once.

    .venv/bin/python -m bench.staleness_bench [--minutes 25] [--interval 3] [--tick 60] [--workers 2]
                                              [--programs 1000] [--people 50000] [--json staleness.json]

Needs a bed (``python -m bench.replica_bed build``). The programs are ``ledger_bench``'s cycle
(``cycle_programs``: 1,000 programs over 50,000 registered editors active in the bed's last year, windows of 7 to
365 days ending on 2026-01-01), each written as an organizer would (``{{Program|start=|end=}}`` through the real
parser) and tracked on the bed only. The state store is a throwaway MariaDB database (``ledger_bench.state_store``).

``--workers`` real processes (``python -m bench.staleness_bench worker``) each do what a replica of the continuous
job does (bot/scheduler.py, bot/update.py), minus the wiki: every ``--tick`` seconds on a fixed grid (APScheduler's
interval job, ``max_instances=1``: a tick that finds the last one running is skipped; and at once again when the
drain says programs it updated are due again, as bot/scheduler.py does) they plan every program
(``bot.queue.plan``) and then work the queue (``bot.queue.drain``: claim with ``FOR UPDATE SKIP LOCKED``, lease,
keeper thread, finish), with a fresh ``Replica`` per wiki per tick as ``run_update`` has; and per program they do
what ``bot.update.update_program`` does between reading the page and publishing (``count_program``): the ledger
update and aggregation (``bot.stats.program_metrics``), the program, its snapshot with every breakdown, pruning, its
status with the next update from its tier (``bot.tiers``), and the heartbeat. Not done, because the bed has no wiki
pages or texts: reading the program page and its history (Action API), the words and references of new revisions
(their texts come from the API: ``wiki_content_metrics`` answers zeros, which the store's per-revision cache then
keeps as it would real counts) and publishing.

The clock: the bed's history ends on 2026-01-01 00:00 UTC and gets no new revisions, so the bench runs the whole
bot on a clock shifted into the bed (``bot.ledger.utcnow``, the queue, the leases, the tiers, the snapshots all read
``bed_clock``): real time less a fixed offset, advancing with real time, chosen so that the run ends on the bed's
last second. Revisions thus "arrive" at the bed's own rate (13.7k a day) while the workers run, and each program is
on now (ACTIVE tier) throughout. What this costs in realism: the replicas show the rest of the run's history
already, so the first recount reads the whole window to 2026-01-01 and every update re-reads from its last read
(less the 10 minutes of REPLICATION_LAG) to the end of the history -- up to the run's length plus 10 minutes instead
of one interval plus 10 minutes: pessimistic, and small beside the fixed part of an update (ledger_bench: the
GROUP BYs, reading the ledger back, ``page_touched`` of every ledger page). A fixed clock at the bed's end (as
ledger_bench does for single updates) would instead re-read the same last 10 minutes forever, with nothing new ever.

Measured (the parent process): per program its staleness over time, now - its last completed update, sampled every
second of every program from the moment every program has its first snapshot (the first recounts are the warm-up,
reported apart) to the end of the run: p50/p90/p99/max and the share of program-time past 5 minutes; the same
from the start of that update (how old the data it shows is); update times; the replica connections the workers'
account holds (``information_schema.PROCESSLIST``, sampled every ``SAMPLE_SECONDS``; the account is created with
``MAX_USER_CONNECTIONS 10``, Toolforge's limit per tool, so any excess fails an update and is reported); load
average, CPU of the workers and of MariaDB, memory (RSS, peak) of each worker; where the updates' time goes
(``TIMED``: timers wrapped around the functions of an update, nothing added to bot/). A run leaves its raw lines in
``--work-dir``; ``python -m bench.staleness_bench report --work-dir DIR`` computes the figures again from them.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any, TextIO
from unittest import mock

import pymysql

from bench.ledger_bench import (
    STATE_DATABASE,
    Editors,
    bed_settings,
    cycle_programs,
    prepare_bed,
    state_store,
)
from bench.replica_bed import DEFAULT_DATABASE, END, bench_account, check_name, connect, execute
from bot import facts_replica, ledger, stats
from bot.clock import utcnow
from bot.config import Settings, StateConfig
from bot.content_metrics import ContentCounts, ContentMetrics
from bot.health import JOB
from bot.metrics import RevisionFact
from bot.program import Message, Participant, Program, SignupStatus
from bot.program_page import PageContext, parse_definition, program_params
from bot.queue import drain, plan, worker_name
from bot.replica import Replica
from bot.stats import backend_label, program_metrics
from bot.store import QueueEntry, Store
from bot.tiers import next_update
from bot.update import SNAPSHOT_DETAIL

log = logging.getLogger("staleness_bench")

ACCOUNT = "pe_staleness_replica"
"""The workers' replica account: its own, so that its connections are theirs only (other benches use
pe_bench_replica), limited like a Toolforge tool's."""
MAX_CONNECTIONS = 10
"""Toolforge's limit per tool account (per replica host): the target, and the account's MAX_USER_CONNECTIONS."""
TARGET = timedelta(minutes=5)
SAMPLE_SECONDS = 0.5
"""How often the parent counts the account's connections (and every 10th time, reads CPU and memory)."""
STALENESS_STEP = 1.0
"""Seconds between two staleness samples of a program."""


# --- the programs ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BenchProgram:
    """What the parent hands the workers: a program page's id, its window and its participants."""

    page_id: int
    days: int
    participants: tuple[str, ...]


def bench_programs(root: pymysql.connections.Connection[Any], args: argparse.Namespace) -> list[BenchProgram]:
    """ledger_bench's cycle: the same people in the same programs for the same bed, seed and sizes."""
    chosen = cycle_programs(Editors(root, args.database, args.seed), args.programs, args.people, args.seed)
    return [
        BenchProgram(index + 1, days, tuple(name for _id, name in group)) for index, (days, group) in enumerate(chosen)
    ]


def as_program(bench: BenchProgram, settings: Settings, database: str) -> Program:
    """The program as the bot reads it from its page: ``{{Program}}`` through the real parser (the window is
    [start 00:00, end + 1 00:00) UTC, so it ends at the bed's end), every participant confirmed."""
    start, end = (END - timedelta(days=bench.days)).date(), (END - timedelta(days=1)).date()
    title = f"Project:Bench program {bench.page_id}"
    wikitext = f"{{{{Program|name=Bench program {bench.page_id}|start={start}|end={end}|organizers=Bench}}}}"
    context = PageContext(wiki=settings.wiki(database), wikis=settings.wikis, user_prefixes=frozenset())
    definition, messages = parse_definition(program_params(wikitext, context.templates)[0], context, title)
    if definition is None:
        raise SystemExit(f"staleness_bench: {title} does not parse: {messages}")
    signed = END - timedelta(days=bench.days)
    people = tuple(Participant(name, SignupStatus.CONFIRMED, name, 1, signed) for name in bench.participants)
    return Program(database, bench.page_id, title, definition, people, messages)


# --- a worker -------------------------------------------------------------------------------------------------------


class RunOverError(Exception):
    """The run's end: a worker takes no further program."""


def worker_settings(args: argparse.Namespace) -> Settings:
    settings = bed_settings(args.database)
    return replace(
        settings,
        replica_credentials=Path(args.credentials),
        state=StateConfig(engine="mysql", host="127.0.0.1", port=3306, database=args.state_database),
        update_interval_minutes=args.interval,
        tick_seconds=args.tick,
    )


def count_program(store: Store, settings: Settings, replicas: dict[str, Replica], program: Program, now: datetime
                  ) -> datetime | None:  # fmt: skip
    """``bot.update.update_program`` between reading the page and publishing: count through the ledger, store the
    program, its snapshot and its status; the next update its tier gives."""
    metrics, notes = program_metrics(program, settings, replicas, now, store=store)
    store.record_program(program)
    store.record_snapshot(program, metrics, now, backend=backend_label(program, settings))
    store.prune_snapshots(program.key, now - SNAPSHOT_DETAIL)
    due = next_update(program.definition.window, now, settings)
    store.record_status(
        key=program.key, wiki=program.wiki, title=program.title, checked_at=now, ok=True,
        messages=program.messages + notes, edit_outcome=Message("outcome-not-published"), next_update=due,
        frozen=due is None,
    )  # fmt: skip
    return due


TIMED: tuple[tuple[str, object, str], ...] = (
    ("ledger facts", ledger, "wiki_facts"),
    ("aggregate", stats, "aggregate"),
    ("content, days", stats, "_with_content_metrics"),
    ("replica: actors", facts_replica, "actors"),
    ("replica: new revisions", ledger, "_new_revisions"),
    ("replica: touched pages", ledger, "_touched_pages"),
    ("replica: log events", ledger, "_log_events"),
    ("replica: revisions", facts_replica, "revisions"),
    ("replica: deleted revisions", facts_replica, "deleted_revisions"),
    ("replica: re-read", facts_replica, "reread"),
    ("replica: users", facts_replica, "users"),
    ("store: ledger read", Store, "ledger_revisions"),
    ("store: ledger write", Store, "record_ledger"),
    ("store: counted marks", Store, "mark_ledger_counted"),
    ("store: GROUP BYs", Store, "ledger_counts"),
    ("store: content cache", Store, "revision_content"),
    ("store: program", Store, "record_program"),
    ("store: snapshot", Store, "record_snapshot"),
    ("store: prune", Store, "prune_snapshots"),
    ("store: status", Store, "record_status"),
)
"""Where an update's time goes: each of these is wrapped with a timer in the workers (nested: "ledger facts"
holds the replica statements and the ledger's reads and writes, "aggregate" the marks and GROUP BYs)."""
PARTS: dict[str, float] = {}
"""The timers' sums for the update under way."""


def timed(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    def run(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            PARTS[name] = PARTS.get(name, 0.0) + time.perf_counter() - started

    return run


def unread_texts(_wiki: object, revisions: Sequence[RevisionFact]) -> ContentMetrics:
    """Words and references read from revision texts through the API: none on the bed. Zeros, which the store's
    per-revision cache keeps, so that later updates look up and find them as they would real counts."""
    zero = ContentCounts()
    return ContentMetrics(zero, {}, {fact.rev_id: zero for fact in revisions})


def worker(args: argparse.Namespace) -> None:
    """One replica of the continuous job on the bed (see the module's docstring); one JSON line per update and per
    tick in ``--log``; stops taking programs at ``--until`` (epoch seconds)."""
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    settings = worker_settings(args)
    offset = timedelta(seconds=args.offset)

    def bed_clock() -> datetime:
        return utcnow() - offset

    programs = {}
    for raw in json.loads(Path(args.programs_file).read_text()):
        program = as_program(BenchProgram(raw["page_id"], raw["days"], tuple(raw["participants"])), settings,
                             args.database)  # fmt: skip
        programs[program.key] = program
    store = Store.open(settings.state, migrate=False)
    owner = worker_name()
    with ExitStack() as patches:
        out = patches.enter_context(Path(args.log).open("a", buffering=1))
        patches.enter_context(mock.patch.object(ledger, "utcnow", bed_clock))
        patches.enter_context(mock.patch.object(stats, "wiki_content_metrics", unread_texts))
        for name, owner_of, attribute in TIMED:
            if hasattr(owner_of, attribute):  # the code measured may have lost one
                patches.enter_context(mock.patch.object(owner_of, attribute, timed(name, getattr(owner_of, attribute))))
        work(args, settings, store, programs, owner, bed_clock, out)
    store.close()


def work(args: argparse.Namespace, settings: Settings, store: Store, programs: dict[str, Program], owner: str,
         bed_clock: Callable[[], datetime], out: TextIO) -> None:  # fmt: skip
    """The job's loop: a tick on every point of its grid not already past, until ``--until``."""

    def write(line: dict[str, Any]) -> None:
        out.write(json.dumps({"worker": owner, **line}) + "\n")

    def tick() -> bool:
        """One tick; whether programs it updated are due again already (the job then ticks again at once)."""
        now = bed_clock()
        started = time.time()
        for program in programs.values():
            plan(store, settings, key=program.key, wiki=program.wiki, page_id=program.page_id, page_revid=0, now=now)
        planned = time.time()
        replicas = {name: Replica(config, settings) for name, config in settings.wikis.items()}

        def update(entry: QueueEntry, when: datetime) -> tuple[bool, datetime | None] | None:
            if time.time() >= args.until:
                raise RunOverError
            program = programs[entry.key]
            PARTS.clear()
            begun, ok = time.time(), True
            due: datetime | None = when
            try:
                due = count_program(store, settings, replicas, program, when)
            except Exception as error:  # as bot.update._update_one: one failure never stops the others
                log.exception("program %s failed", program.key)
                ok, due = False, when
                write({"error": f"{type(error).__name__}: {error}"[:500], "key": program.key})
            write({"key": entry.key, "start": begun, "end": time.time(), "ok": ok, "parts": PARTS})
            store.beat(JOB, bed_clock(), f"updated {program.wiki} {program.title}")
            return ok, due

        try:
            drained = drain(store, settings, wikis=[args.database], owner=owner, clock=bed_clock, update=update)
        finally:
            for replica in replicas.values():
                replica.close()
        write({"tick": started, "plan_seconds": planned - started, "drain_seconds": time.time() - planned,
               "updated": drained.ran, "due_again": drained.due_again})  # fmt: skip
        return drained.due_again

    grid = time.time()
    try:
        while time.time() < args.until:
            if tick():  # as bot/scheduler.py: the next tick at once
                continue
            while grid <= time.time():  # the next point of the tick grid not already past
                grid += args.tick
            time.sleep(max(0.0, min(grid, args.until) - time.time()))
    except RunOverError:
        pass


# --- the parent: run, sample, report ------------------------------------------------------------------------------


def proc_stat(pid: int) -> tuple[float, float, float]:
    """(CPU seconds, RSS MiB, peak RSS MiB) of a process, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    status = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    rss, peak = (int(status[name].split()[0]) / 1024 if name in status else 0.0 for name in ("VmRSS", "VmHWM"))
    return cpu, rss, peak


def machine_busy() -> tuple[float, float]:
    """(busy, total) CPU ticks of the whole machine so far."""
    values = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    return float(sum(values) - idle), float(sum(values))


def mariadb_pid() -> int | None:
    for name in ("mariadbd", "mysqld"):
        found = subprocess.run(["pidof", name], capture_output=True, text=True, check=False).stdout.split()
        if found:
            return int(found[0])
    return None


@dataclass
class Samples:
    """What the parent saw while the workers ran."""

    connections: list[tuple[float, int]]
    resources: list[dict[str, Any]]


def sample(root: pymysql.connections.Connection[Any], workers: list[subprocess.Popen[bytes]], until: float) -> Samples:
    connections: list[tuple[float, int]] = []
    resources: list[dict[str, Any]] = []
    mariadb = mariadb_pid()
    count = 0
    while time.time() < until and any(w.poll() is None for w in workers):
        rows = execute(root, "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE USER = %s", (ACCOUNT,))
        connections.append((time.time(), int(rows[0][0])))
        if count % 10 == 0:
            row: dict[str, Any] = {"at": time.time(), "load": os.getloadavg()[0], "machine": machine_busy()}
            for index, process in enumerate(workers):
                if process.poll() is None:
                    row[f"worker{index}"] = proc_stat(process.pid)
            if mariadb is not None:
                row["mariadb"] = proc_stat(mariadb)[0]
            resources.append(row)
        count += 1
        time.sleep(SAMPLE_SECONDS)
    return Samples(connections, resources)


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def staleness(updates: dict[str, list[tuple[float, float]]], keys: Sequence[str], start: float, end: float,
              *, by_start: bool) -> list[list[float]]:  # fmt: skip
    """Each program's staleness at every STALENESS_STEP of [start, end): now - the end (or start) of its last
    update completed by then. ``start`` is when every program has completed one."""
    rows: list[list[float]] = []
    steps = int((end - start) / STALENESS_STEP)
    for key in keys:
        done = sorted(updates[key], key=lambda pair: pair[1])
        ends = [finished for _begun, finished in done]
        row = []
        for step in range(steps):
            now = start + step * STALENESS_STEP
            last = bisect_right(ends, now) - 1
            row.append(now - (done[last][0] if by_start else done[last][1]))
        rows.append(row)
    return rows


def per_minute(rows: list[list[float]]) -> list[dict[str, float]]:
    """The distribution over programs, minute by minute of the steady state: does it drift?"""
    per = int(60 / STALENESS_STEP)
    minutes = []
    for first in range(0, len(rows[0]), per):
        values = [value for row in rows for value in row[first : first + per]]
        minutes.append({"minute": first // per, "p50": percentile(values, 0.5), "max": max(values)})
    return minutes


def summary(values: Sequence[float]) -> dict[str, float]:
    return {
        "p50": percentile(values, 0.5),
        "p90": percentile(values, 0.9),
        "p99": percentile(values, 0.99),
        "max": max(values),
        "over_5_min": sum(1 for value in values if value > TARGET.total_seconds()) / len(values),
    }


def read_log(path: Path) -> Iterator[dict[str, Any]]:
    for line in path.read_text().splitlines():
        try:
            yield json.loads(line)
        except json.JSONDecodeError:  # a line cut by a worker's end
            continue


def run(args: argparse.Namespace) -> None:
    check_name(args.database)
    check_name(args.state_database)
    root = connect()
    prepare_bed(root, args.database)
    credentials = bench_account(root, args.database, account=ACCOUNT, max_connections=MAX_CONNECTIONS)
    programs = bench_programs(root, args)
    work: Path = args.work_dir
    work.mkdir(parents=True, exist_ok=True)
    programs_file, log_file = work / "programs.json", work / "updates.jsonl"
    programs_file.write_text(json.dumps([p.__dict__ for p in programs]))
    log_file.write_text("")
    print(
        f"{len(programs)} programs, {sum(len(p.participants) for p in programs)} memberships, "
        f"{len({n for p in programs for n in p.participants})} distinct participants; "
        f"{args.workers} workers for {args.minutes} min, interval {args.interval} min, tick {args.tick} s",
        flush=True,
    )
    length = timedelta(minutes=args.minutes)
    with state_store(root, args.state_database):
        began = time.time()
        until = began + length.total_seconds()
        # The bed's clock: real time less this, so that the run ends on the bed's last second.
        offset = int((datetime.fromtimestamp(began, UTC) - (END - length)).total_seconds())
        command = [
            sys.executable, "-m", "bench.staleness_bench", "worker", "--database", args.database,
            "--state-database", args.state_database, "--credentials", str(credentials),
            "--programs-file", str(programs_file), "--log", str(log_file), "--offset", str(offset),
            "--until", str(until), "--interval", str(args.interval), "--tick", str(args.tick),
        ]  # fmt: skip
        workers = [subprocess.Popen(command) for _ in range(args.workers)]
        samples = sample(root, workers, until)
        final = {f"worker{i}": proc_stat(w.pid) for i, w in enumerate(workers) if w.poll() is None}
        for process in workers:
            try:
                process.wait(timeout=args.grace)
            except subprocess.TimeoutExpired:
                process.terminate()
                process.wait()
        ended = until
        store = Store.open(StateConfig(engine="mysql", host="127.0.0.1", database=args.state_database), migrate=False)
        runs = len(store.update_runs(END - timedelta(days=1)))  # every run: the queue's times are the bed's
        store.close()
    bench_account(root, args.database, drop=True, account=ACCOUNT)
    facts = {"began": began, "ended": ended, "runs": runs, "final": final, "workers": args.workers,
             "minutes": args.minutes, "interval": args.interval, "tick": args.tick, "database": args.database,
             "connections": samples.connections, "resources": samples.resources}  # fmt: skip
    (work / "run.json").write_text(json.dumps(facts))
    report(work, args.json)


def report(work: Path, json_out: Path | None) -> None:
    """The figures, from what a run left in ``work``: programs.json, updates.jsonl (the workers' lines), run.json
    (the parent's samples); ``python -m bench.staleness_bench report --work-dir DIR`` computes them again."""
    facts = json.loads((work / "run.json").read_text())
    programs = json.loads((work / "programs.json").read_text())
    began, ended, workers = facts["began"], facts["ended"], facts["workers"]
    lines = list(read_log(work / "updates.jsonl"))
    sizes = {f"{facts['database']}:{p['page_id']}": (p["days"], len(p["participants"])) for p in programs}
    updates: dict[str, list[tuple[float, float]]] = {key: [] for key in sizes}
    failures = [line for line in lines if "error" in line]
    durations: list[float] = []
    for line in lines:
        if "key" in line and "start" in line and line["ok"] and line["end"] <= ended:
            updates[line["key"]].append((line["start"], line["end"]))
            durations.append(line["end"] - line["start"])
    ticks = [line for line in lines if "tick" in line]
    keys = sorted(updates)
    missing = [key for key in keys if not updates[key]]
    result: dict[str, Any] = {
        "programs": len(programs),
        "workers": workers,
        "minutes": facts["minutes"],
        "interval_minutes": facts["interval"],
        "tick_seconds": facts["tick"],
        "updates": len(durations),
        "update_runs_logged": facts["runs"],
        "failures": len(failures),
        "failure_examples": [line["error"] for line in failures[:5]],
        "never_updated": len(missing),
        "plan_seconds": {
            "p50": statistics.median(t["plan_seconds"] for t in ticks),
            "max": max(t["plan_seconds"] for t in ticks),
        }
        if ticks
        else {},
    }
    if not missing:
        warm = max(min(end for _start, end in updates[key]) for key in keys)
        result["warm_up_seconds"] = warm - began
        result["steady_seconds"] = ended - warm
        if ended - warm > 60:
            rows = staleness(updates, keys, warm, ended, by_start=False)
            result["staleness"] = summary([value for row in rows for value in row])
            result["staleness_per_minute"] = per_minute(rows)
            worst = sorted(((max(row), key) for row, key in zip(rows, keys, strict=True)), reverse=True)[:5]
            result["stalest_programs"] = [{"key": key, "max": top, "days": sizes[key][0], "participants": sizes[key][1]}
                                          for top, key in worst]  # fmt: skip
            ages = staleness(updates, keys, warm, ended, by_start=True)
            result["data_age"] = summary([value for row in ages for value in row])
            steady = sorted(((end - start, key) for key in keys for start, end in updates[key] if start >= warm),
                            reverse=True)  # fmt: skip
            result["steady_updates"] = len(steady)
            if steady:
                seconds = [value for value, _key in steady]
                result["steady_update_seconds"] = {"p50": percentile(seconds, 0.5), "p90": percentile(seconds, 0.9),
                                                   "p99": percentile(seconds, 0.99), "max": max(seconds),
                                                   "sum": sum(seconds)}  # fmt: skip
                result["slowest_updates"] = [{"key": key, "seconds": value, "days": sizes[key][0],
                                              "participants": sizes[key][1]} for value, key in steady[:5]]  # fmt: skip
                result["steady_busy_share"] = sum(seconds) / (workers * (ended - warm))
                parts: dict[str, float] = {}
                for line in lines:
                    if "parts" in line and line["ok"] and line["start"] >= warm and line["end"] <= ended:
                        for name, value in line["parts"].items():
                            parts[name] = parts.get(name, 0.0) + value
                result["steady_parts_seconds"] = dict(sorted(parts.items(), key=lambda item: -item[1]))
    result["update_seconds"] = {"p50": statistics.median(durations), "max": max(durations)} if durations else {}
    # Each worker's time between the end of a tick's drain and the start of its next tick (asleep), in the steady
    # state, and how many ticks said programs they updated were due again (the next tick then starts at once).
    steady_from = began + result.get("warm_up_seconds", 0.0)
    for index, owner in enumerate(sorted({t["worker"] for t in ticks})):
        mine = sorted((t for t in ticks if t["worker"] == owner), key=lambda t: t["tick"])
        gaps = [
            following["tick"] - (tick["tick"] + tick["plan_seconds"] + tick["drain_seconds"])
            for tick, following in pairwise(mine)
            if tick["tick"] >= steady_from
        ]
        result[f"worker{index}_ticks"] = {
            "ticks": len(mine),
            "again_at_once": sum(1 for t in mine if t.get("due_again")),
            "idle_seconds_steady": sum(gaps),
            "idle_max_seconds_steady": max(gaps, default=0.0),
        }
    result["connections_peak"] = max((n for _at, n in facts["connections"]), default=0)
    result["connections_samples"] = len(facts["connections"])
    resources = facts["resources"]
    if len(resources) >= 2:
        first, last = resources[0], resources[-1]
        span = last["at"] - first["at"]
        result["machine_cpu_busy"] = (last["machine"][0] - first["machine"][0]) / (
            last["machine"][1] - first["machine"][1]
        )
        result["load"] = {"mean": statistics.mean(row["load"] for row in resources),
                          "max": max(row["load"] for row in resources)}  # fmt: skip
        if "mariadb" in first and "mariadb" in last:
            result["mariadb_cores"] = (last["mariadb"] - first["mariadb"]) / span
        for index in range(workers):
            name = f"worker{index}"
            seen = [row[name] for row in resources if name in row]
            if len(seen) >= 2:
                result[name] = {
                    "cores": (seen[-1][0] - seen[0][0]) / span,
                    "rss_mib_max": max(rss for _cpu, rss, _peak in seen),
                    "peak_rss_mib": facts["final"].get(name, seen[-1])[2],
                }
    print(json.dumps(result, indent=1), flush=True)
    if json_out:
        json_out.write_text(json.dumps(result, indent=1))


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("role", nargs="?", choices=("run", "worker", "report"), default="run")
    parser.add_argument("--database", default=DEFAULT_DATABASE)
    parser.add_argument("--state-database", default=f"{STATE_DATABASE}_staleness")
    parser.add_argument("--minutes", type=float, default=25.0, help="real minutes the workers run")
    parser.add_argument("--interval", type=int, default=3, help="update_interval_minutes of the workers' config")
    parser.add_argument("--tick", type=int, default=60, help="tick_seconds of the workers' config")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--programs", type=int, default=1000)
    parser.add_argument("--people", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--grace", type=float, default=300.0, help="seconds to let a worker finish its update")
    parser.add_argument("--work-dir", type=Path, default=Path(tempfile.gettempdir()) / "pebot-staleness")
    parser.add_argument("--json", type=Path)
    # the worker's own
    parser.add_argument("--credentials")
    parser.add_argument("--programs-file")
    parser.add_argument("--log")
    parser.add_argument("--offset", type=int, default=0)
    parser.add_argument("--until", type=float, default=0.0)
    args = parser.parse_args(argv)
    if args.role == "worker":
        worker(args)
    elif args.role == "report":
        report(args.work_dir, args.json)
    else:
        run(args)


if __name__ == "__main__":
    main()
