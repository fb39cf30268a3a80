"""The web site under a local load test: p50/p95/p99 of each page of a program with 1,000 participants and 20,000
revisions (target: p95 under 300 ms, issue 17).

    .venv/bin/python -m bench.site_bench [--engine sqlite|mysql] [--participants 1000] [--revisions 20000]
                                         [--uploads 1000] [--programs 100] [--requests 200] [--concurrency 4]
                                         [--workers N] [--no-cache] [--json results.json]

The store is filled through its own write methods, as the bot fills it (bot/stats.py): each program's revision
facts go to its ledger (``record_ledger``), ``aggregate`` counts them with GROUP BYs over that ledger, then
``record_program``, ``record_snapshot`` and ``record_status``. The big program has ``--participants`` confirmed
participants, ``--revisions`` revisions on 2,000 articles over a 30-day window (seeded; a few busy editors and a long
tail, as real programs have) and ``--uploads`` files; ``--programs`` small programs (5 people, 20 revisions) fill
the home page. ``--engine mysql`` puts the store in a throwaway MariaDB database on 127.0.0.1 (ToolsDB's engine),
dropped at the end; sqlite (the default) in a temporary file.

The site runs in a child process on a real server on 127.0.0.1, so the client's threads do not share its
interpreter: werkzeug's threaded server (as ``flask run``: one process, a thread per request), or with ``--workers N``
N single-threaded worker processes taking connections from one listening socket, as Toolforge serves a Python web
service (uWSGI ``--workers 4 --master``, no threads: four processes, one request each). ``--no-cache`` keeps no
results between requests (webservice/tabs.py SnapshotCache), so that every request pays for its statements. Each
page gets 5 warm-up requests, then ``--requests`` requests from ``--concurrency`` client threads (one keep-alive
session each); every answer must be 200. Latency is the client's: request sent to last byte read. The machine has 2
cores, shared by server and client.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from random import Random

import pymysql
import requests

from bot.aggregate import LedgerRef, aggregate
from bot.config import StateConfig, load_settings
from bot.metrics import RevisionFact, UploadFact
from bot.program import Message, Program
from bot.store import LedgerState, Store
from tests.programs import make_program

START = datetime(2026, 10, 1, tzinfo=UTC)
DAYS = 30
NOW = START + timedelta(days=DAYS, hours=6)
ARTICLES = 2000
TARGET_P95_MS = 300.0


def program(name: str, participants: Sequence[str], page_id: int) -> Program:
    """A program read from its wikitext by the real parser (tests/programs.py), on devwiki and devcommons."""
    end = (START + timedelta(days=DAYS - 1)).date().isoformat()
    text = f"{{{{Program|name={name}|start={START.date().isoformat()}|end={end}|wikis=devwiki, devcommons}}}}"
    return make_program(text, tuple(participants), page_id=page_id, title=f"Project:{name}")


def revisions(people: Sequence[str], count: int, articles: int, first_rev: int, seed: int) -> list[RevisionFact]:
    """``count`` revisions on ``articles`` pages, spread over the window. Who edits follows a Pareto law (a few
    people make most edits, as in real programs); each page's first revision in the window is a creation."""
    rng = Random(seed)  # noqa: S311 - a reproducible bed, not a secret
    weights = [1 / (rank + 1) for rank in range(len(people))]
    authors = rng.choices(people, weights=weights, k=count)
    moments = sorted(START + timedelta(seconds=rng.randrange(DAYS * 86400)) for _ in range(count))
    sizes: dict[int, int] = {}
    facts = []
    for i, (author, moment) in enumerate(zip(authors, moments, strict=True)):
        page = rng.randrange(articles)
        parent = sizes.get(page, 0)
        size = max(0, parent + rng.randint(-200, 1500))
        sizes[page] = size
        facts.append(
            RevisionFact("devwiki", first_rev + i, author, 1000 + page, 0, f"Article_{page}", moment, size, parent,
                         first_rev + i - 1 if parent else 0)
        )  # fmt: skip
    return facts


def uploads(people: Sequence[str], count: int, seed: int) -> list[UploadFact]:
    rng = Random(seed)  # noqa: S311 - a reproducible bed, not a secret
    return [
        UploadFact("devcommons", rng.choice(people), f"Photo_{i:05d}.jpg",
                   START + timedelta(seconds=rng.randrange(DAYS * 86400)), usage=rng.choice((0, 0, 1, 3)))
        for i in range(count)
    ]  # fmt: skip


def record(store: Store, prog: Program, facts: Sequence[RevisionFact], files: Sequence[UploadFact]) -> None:
    """As an update of the bot stores a program: ledger, counts over it, snapshot, status."""
    store.record_program(prog)
    store.record_ledger(prog.key, "devwiki", LedgerState("bench", NOW, NOW), upsert=facts, replace_all=True)
    metrics = aggregate(participants=prog.confirmed, window=prog.window, timezone="UTC", now=NOW, revisions=facts,
                        uploads=files, ledger=LedgerRef(store, prog.key))  # fmt: skip
    store.record_snapshot(prog, metrics, NOW, backend="replica")
    store.record_status(key=prog.key, wiki="devwiki", title=prog.title, checked_at=NOW, ok=True, messages=(),
                        edit_outcome=Message("outcome-saved", ("1",)))  # fmt: skip


def fill(store: Store, args: argparse.Namespace) -> str:
    """The big program and the small ones; returns the big program's key."""
    people = [f"Editor {i:04d}" for i in range(args.participants)]
    big = program("Bench program", people, 100)
    record(store, big, revisions(people, args.revisions, ARTICLES, 1, seed=1), uploads(people, args.uploads, 2))
    for n in range(args.programs):
        small = [f"Small {n} {i}" for i in range(5)]
        record(store, program(f"Small program {n:03d}", small, 200 + n),
               revisions(small, 20, 10, 1_000_000 + 100 * n, seed=10 + n), ())  # fmt: skip
    return big.key


@contextmanager
def state(engine: str) -> Iterator[StateConfig]:
    if engine == "sqlite":
        with tempfile.TemporaryDirectory(prefix="site-bench-") as folder:
            yield StateConfig(engine="sqlite", path=Path(folder) / "state.sqlite3")
        return
    database = f"pebot_site_bench_{uuid.uuid4().hex[:8]}"
    root = pymysql.connect(host="127.0.0.1", user="root", autocommit=True)
    with root.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE `{database}`")
    try:
        yield StateConfig(engine="mysql", host="127.0.0.1", port=3306, database=database)
    finally:
        with root.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS `{database}`")
        root.close()


def serve(config: StateConfig, port: int, workers: int, cache: bool) -> None:
    """The child process: the Flask app over this store, on werkzeug's threaded server (``workers`` 0) or in
    ``workers`` forked single-threaded processes sharing one listening socket, as uWSGI's prefork workers. The app
    is imported before the fork and opens its stores after it (app.StorePool), so no connection is shared."""
    from werkzeug.serving import make_server

    from webservice import app as webapp
    from webservice import tabs

    folder = Path(tempfile.mkdtemp(prefix="site-bench-secret-"))
    webapp.settings = replace(load_settings(), state=config, web_secret_file=folder / "secret")
    if not cache:
        tabs.CHARTS.size = tabs.UPLOADERS.size = 0
    if not workers:
        make_server("127.0.0.1", port, webapp.app, threaded=True).serve_forever()
        return
    listener = socket.create_server(("127.0.0.1", port), backlog=128)
    children = []
    for _ in range(workers):
        pid = os.fork()
        if pid == 0:  # a worker: one request at a time, until the parent is told to stop
            make_server("127.0.0.1", port, webapp.app, fd=listener.fileno()).serve_forever()
            os._exit(0)
        children.append(pid)

    def stop(_signal: int, _frame: object) -> None:
        for pid in children:
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    for _pid in children:
        os.wait()


@contextmanager
def server(config: StateConfig, workers: int, cache: bool) -> Iterator[str]:
    port = free_port()
    spec = json.dumps({k: str(v) if isinstance(v, Path) else v for k, v in vars(config).items()})
    command = [sys.executable, "-m", "bench.site_bench", "--serve", spec, "--port", str(port), "--workers",
               str(workers)] + ([] if cache else ["--no-cache"])  # fmt: skip
    child = subprocess.Popen(command, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(f"{base}/healthz", timeout=5).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline or child.poll() is not None:
                raise RuntimeError("the site did not start")
            time.sleep(0.1)
        yield base
    finally:
        child.terminate()
        child.wait(timeout=10)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def pages(base: str, key: str) -> list[tuple[str, str]]:
    """Home, the program's overview, and every tab the overview links to (``/program/<key>/<tab>`` or
    ``?tab=<tab>``, downloads left out), each once."""
    found = [("home", "/"), ("program", f"/program/{key}")]
    html = requests.get(base + found[1][1], timeout=60).text
    for href in re.findall(r'href="([^"]+)"', html.replace("&amp;", "&")):
        path = href.split("#")[0].removeprefix(base)
        tab = re.fullmatch(rf"/program/{re.escape(key)}(?:/([a-z-]+)|\?tab=([a-z-]+))", path)
        if tab and (path not in {p for _n, p in found}):
            found.append((f"program {tab.group(1) or tab.group(2)}", path))
    return found


@dataclass(frozen=True)
class Result:
    page: str
    path: str
    requests: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    per_second: float
    kib: float


def load(base: str, name: str, path: str, count: int, concurrency: int) -> Result:
    local = threading.local()

    def one(_i: int) -> tuple[float, int]:
        session = getattr(local, "session", None)
        if session is None:
            session = local.session = requests.Session()
        began = time.perf_counter()
        response = session.get(base + path, timeout=60)
        body = response.content
        elapsed = time.perf_counter() - began
        if response.status_code != 200:
            raise RuntimeError(f"{path}: {response.status_code}")
        return elapsed, len(body)

    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(one, range(5)))
        began = time.perf_counter()
        timings = list(pool.map(one, range(count)))
        wall = time.perf_counter() - began
    seconds = sorted(t for t, _size in timings)
    cuts = statistics.quantiles(seconds, n=100, method="inclusive")
    return Result(name, path, count, 1000 * cuts[49], 1000 * cuts[94], 1000 * cuts[98], 1000 * seconds[-1],
                  count / wall, timings[0][1] / 1024)  # fmt: skip


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", choices=("sqlite", "mysql"), default="sqlite")
    parser.add_argument("--participants", type=int, default=1000)
    parser.add_argument("--revisions", type=int, default=20000)
    parser.add_argument("--uploads", type=int, default=1000)
    parser.add_argument("--programs", type=int, default=100)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=0, help="serve with N worker processes (uWSGI's way)")
    parser.add_argument("--no-cache", action="store_true", help="keep no results between requests")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        spec = json.loads(args.serve)
        serve(StateConfig(**{k: Path(v) if k in ("path", "credentials") and v else v for k, v in spec.items()}),
              args.port, args.workers, not args.no_cache)  # fmt: skip
        return
    with state(args.engine) as config:
        began = time.perf_counter()
        store = Store.open(config)
        try:
            key = fill(store, args)
        finally:
            store.close()
        took = time.perf_counter() - began
        print(f"store ({args.engine}) filled in {took:.1f} s: {args.participants} participants, {args.revisions} "
              f"revisions, {args.uploads} uploads, {args.programs} small programs", flush=True)  # fmt: skip
        serving = f"{args.workers} worker processes" if args.workers else "werkzeug's threaded server"
        print(f"served by {serving}, {'no cache' if args.no_cache else 'cache on'}; {args.concurrency} clients; "
              f"load average {' '.join(Path('/proc/loadavg').read_text().split()[:3])}", flush=True)  # fmt: skip
        with server(config, args.workers, not args.no_cache) as base:
            results = []
            print(f"{'page':<24} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8} {'req/s':>7} {'KiB':>7}")
            for name, path in pages(base, key):
                result = load(base, name, path, args.requests, args.concurrency)
                results.append(result)
                flag = "" if result.p95_ms < TARGET_P95_MS else "  over target"
                print(f"{name:<24} {result.p50_ms:8.1f} {result.p95_ms:8.1f} {result.p99_ms:8.1f} "
                      f"{result.max_ms:8.1f} {result.per_second:7.1f} {result.kib:7.0f}{flag}", flush=True)  # fmt: skip
    if args.json:
        args.json.write_text(json.dumps([vars(r) for r in results], indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
