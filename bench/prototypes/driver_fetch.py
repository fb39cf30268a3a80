"""The replica reads of a full recount through other MySQL drivers than pymysql: same statements, same rows.

    PYTHONPATH=<dir with mysql-connector-python and/or mysqlclient> \\
        .venv/bin/python -m bench.prototypes.driver_fetch [--sizes 1000,10000] [--days 30,365] [--repeat 3]

Not a dependency of the project: the drivers are installed by hand into a separate directory (``pip install
--target``) and put on PYTHONPATH. Every statement of stats/revisions.sql and stats/deleted_revisions.sql (actor
batches and window slices as bot/facts_replica.py cuts them) is rendered once by pymysql (``mogrify``) and the same
text is run by each driver available, as the tool's account on the bed's views, fetching every row; then the rows
become RevisionFact (bytes and ints as each driver returns them, through ``facts_replica._revisions``). Prints the
median seconds of (fetch) and (fetch + facts) per driver and case.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable, Sequence
from typing import Any

import pymysql

from bench.ledger_bench import Editors, bed_settings, window_of
from bench.ledger_profile import FAMILIES
from bench.replica_bed import DEFAULT_DATABASE, connect
from bot.facts_replica import FactRequest, _revisions, batches, slices
from bot.replica import sql_text

Connect = Callable[[], Any]


def drivers(credentials: str, database: str) -> dict[str, Connect]:
    found: dict[str, Connect] = {
        "pymysql": lambda: pymysql.connect(
            host="127.0.0.1", database=database, read_default_file=credentials, charset="utf8mb4", autocommit=True
        )
    }
    try:
        import mysql.connector  # type: ignore[import-not-found,unused-ignore]

        def connector() -> Any:
            return mysql.connector.connect(
                host="127.0.0.1", database=database, option_files=credentials, use_pure=False, autocommit=True
            )

        found[f"mysql-connector-python {mysql.connector.__version__} (C extension)"] = connector
    except ImportError:
        pass
    try:
        import MySQLdb  # type: ignore[import-untyped,unused-ignore]

        def mysqlclient() -> Any:
            return MySQLdb.connect(
                host="127.0.0.1", db=database, read_default_file=credentials, charset="utf8mb4", autocommit=True
            )

        found["mysqlclient"] = mysqlclient
    except ImportError:
        pass
    return found


def statements(connection: Any, ids: Sequence[int], request: FactRequest) -> list[tuple[str, bool]]:
    rendered = []
    with connection.cursor() as cursor:
        for name, deleted in FAMILIES:
            for batch in batches(sorted(ids)):
                for start, end in slices(request.window):
                    params = {"actors": batch, "start": start, "end": end, "namespaces": (0,)}
                    rendered.append((cursor.mogrify(sql_text(name), params), deleted))
    return rendered


def run(connection: Any, texts: Sequence[tuple[str, bool]], names: dict[int, str]) -> tuple[float, float, int]:
    cursor = connection.cursor()
    started = time.perf_counter()
    fetched = []
    for text, deleted in texts:
        cursor.execute(text)
        fetched.append((list(cursor.fetchall()), deleted))
    middle = time.perf_counter()
    facts = [
        fact
        for rows, deleted in fetched
        for fact in _revisions(
            "benchwiki", names, (tuple(_plain(value) for value in row) for row in rows), deleted=deleted
        )
    ]
    cursor.close()
    return middle - started, time.perf_counter() - started, len(facts)


def _plain(value: object) -> object:
    return bytes(value) if isinstance(value, bytearray) else value


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default=DEFAULT_DATABASE)
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--days", default="30,365")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    settings = bed_settings(args.database)
    credentials = str(settings.replica_credentials or "")
    available = drivers(credentials, f"{args.database}_p")
    editors = Editors(connect(), args.database, 1)
    for window_days in (int(value) for value in args.days.split(",")):
        for size in (int(value) for value in args.sizes.split(",")):
            chosen, _active = editors.choose(size, window_days)
            names = dict(chosen)
            request = FactRequest(tuple(sorted(names.values())), window_of(window_days), (0,), settings.bot_username)
            connections = {name: make() for name, make in available.items()}
            texts = statements(connections["pymysql"], list(names), request)
            results: dict[str, list[tuple[float, float, int]]] = {name: [] for name in connections}
            for _round in range(args.repeat):
                for name, connection in connections.items():
                    results[name].append(run(connection, texts, names))
            for name, runs in results.items():
                fetch = statistics.median(r[0] for r in runs)
                whole = statistics.median(r[1] for r in runs)
                print(
                    f"{size} participants, {window_days} d, {len(texts)} statements, {runs[0][2]} rows: {name}: "
                    f"fetch {fetch:.3f} s, fetch + RevisionFact {whole:.3f} s",
                    flush=True,
                )
            for connection in connections.values():
                connection.close()


if __name__ == "__main__":
    main()
