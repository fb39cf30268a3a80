"""The five GROUP BYs of ``aggregate()`` over one program's ledger (sql/store/ledger_counts.sql), and variants.

    .venv/bin/python -m bench.prototypes.group_by_variants [--sizes 1000,10000] [--days 30,365] [--repeat 3]
                                                           [--analyze DIR]

Builds the case's ledger (as bench/ledger_bench.py's recount does, untimed) in a throwaway MariaDB state database,
then times, per dimension (total, wiki, participant, day, article), the statement ``Store.ledger_counts`` sends
and variants of it, each checked to return the same rows:

* ``today``: the statement as rendered by the store (one program: no DISTINCT in the derived table);
* ``ids``: distinct pages counted on integer columns instead of ``page_key`` (VARCHAR(600)): ``(wiki, page_id)``
  for live pages, ``(wiki, namespace, title)`` for deleted ones -- the same identities, no string built per row;
* ``no sum-case``: ``today`` with the byte sums as ``GREATEST`` arithmetic (a check that the CASEs are not what
  costs);
* ``ids, sort in memory``: ``ids`` with the session's ``max_length_for_sort_data`` at 64 KiB and ``sort_buffer_size``
  at 64 MiB, so that MariaDB sorts the (packed) rows themselves in memory instead of sorting row ids and reading
  every row again by its id (the "packed_sort_key,rowid" mode ANALYZE shows for the wide ledger rows).

``--analyze DIR`` writes ``ANALYZE FORMAT=JSON`` of ``today`` for each dimension there.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.ledger_bench import (
    Case,
    Editors,
    bed_settings,
    forget_ledger,
    open_replica,
    replicas_clock,
    state_store,
    through_ledger,
    window_of,
)
from bench.replica_bed import DEFAULT_DATABASE, connect
from bot.store import LEDGER_DIMENSIONS, Store, _expand_lists, _statement

DIMENSIONS = ("total", "wiki", "participant", "day", "article")


def today(dimension: str) -> str:
    select, columns, where = LEDGER_DIMENSIONS[dimension]
    parts = {
        "select": f"{select}," if select else "",
        "group": f"GROUP BY {select}" if select else "",
        "columns": columns,
        "where": where,
        "distinct": "",
    }
    return _statement("ledger_counts", "pyformat").format(**parts)


def by_ids(sql: str) -> str:
    """Distinct pages on (wiki, page_id) / (wiki, namespace, title) instead of the page_key string."""
    replaced = (
        sql.replace(
            "COUNT(DISTINCT CASE WHEN deleted = 0 THEN page_key END)",
            "COUNT(DISTINCT CASE WHEN deleted = 0 THEN wiki END, CASE WHEN deleted = 0 THEN page_id END)",
        )
        .replace(
            "COUNT(DISTINCT CASE WHEN deleted = 0 AND parent_id = 0 THEN page_key END)",
            "COUNT(DISTINCT CASE WHEN deleted = 0 AND parent_id = 0 THEN wiki END, "
            "CASE WHEN deleted = 0 AND parent_id = 0 THEN page_id END)",
        )
        .replace(
            "COUNT(DISTINCT CASE WHEN deleted = 1 AND parent_id = 0 THEN page_key END)",
            "COUNT(DISTINCT CASE WHEN deleted = 1 AND parent_id = 0 THEN wiki END, "
            "CASE WHEN deleted = 1 AND parent_id = 0 THEN d_ns END, "
            "CASE WHEN deleted = 1 AND parent_id = 0 THEN d_title END)",
        )
        .replace("deleted, page_key, parent_id", "deleted, page_id, namespace AS d_ns, title AS d_title, parent_id")
    )
    if "page_key" in replaced:
        raise AssertionError(replaced)
    return replaced


def no_sum_case(sql: str) -> str:
    return sql.replace(
        "SUM(CASE WHEN deleted = 0 AND size > parent_size THEN size - parent_size ELSE 0 END)",
        "SUM((1 - deleted) * GREATEST(size - parent_size, 0))",
    ).replace(
        "SUM(CASE WHEN deleted = 0 AND size < parent_size THEN parent_size - size ELSE 0 END)",
        "SUM((1 - deleted) * GREATEST(parent_size - size, 0))",
    )


SORT_IN_MEMORY = "SET SESSION max_length_for_sort_data = 65536, sort_buffer_size = 67108864"
SORT_DEFAULT = "SET SESSION max_length_for_sort_data = DEFAULT, sort_buffer_size = DEFAULT"


def run(store: Store, sql: str, key: str) -> tuple[float, list[tuple[Any, ...]]]:
    text, params = _expand_lists(sql, {"program_keys": (key,)}, "pyformat")
    cursor = store._connection.cursor()
    cursor.execute(SORT_IN_MEMORY if sql.startswith("/* sort in memory */") else SORT_DEFAULT)
    started = time.perf_counter()
    cursor.execute(text, params)
    rows = list(cursor.fetchall())
    seconds = time.perf_counter() - started
    cursor.close()
    return seconds, sorted(tuple(str(value) for value in row) for row in rows)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default=DEFAULT_DATABASE)
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--days", default="30,365")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--analyze", type=Path)
    args = parser.parse_args(argv)
    root = connect()
    settings = bed_settings(args.database)
    replica, views = open_replica(settings, args.database)
    editors = Editors(root, args.database, 1)
    with state_store(root, "pebot_bench_groupby") as store, replicas_clock():
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
                forget_ledger(case)
                through_ledger(case, recount=True)
                rows = len(store.ledger_counted(case.key, case.wiki))
                totals: dict[str, float] = {}
                for dimension in DIMENSIONS:
                    base = today(dimension)
                    variants = {
                        "today": base,
                        "ids": by_ids(base),
                        "no sum-case": no_sum_case(base),
                        "ids, sort in memory": "/* sort in memory */ " + by_ids(base),
                    }
                    expected = None
                    for label, sql in variants.items():
                        seconds = []
                        for _round in range(args.repeat):
                            spent, result = run(store, sql, case.key)
                            seconds.append(spent)
                            if expected is None:
                                expected = result
                            elif result != expected:
                                raise AssertionError(f"{label} / {dimension}: other rows than today's")
                        median = statistics.median(seconds)
                        totals[label] = totals.get(label, 0.0) + median
                        print(
                            f"{size} / {window_days} d ({rows} rows) {dimension:12} {label:20} {median * 1000:8.1f} ms"
                        )
                    if args.analyze:
                        args.analyze.mkdir(parents=True, exist_ok=True)
                        text, params = _expand_lists(base, {"program_keys": (case.key,)}, "pyformat")
                        cursor = store._connection.cursor()
                        cursor.execute("ANALYZE FORMAT=JSON " + text, params)
                        plan = cursor.fetchone()[0]
                        cursor.close()
                        (args.analyze / f"{size}-{window_days}-{dimension}.json").write_text(plan)
                print(
                    f"{size} / {window_days} d ({rows} rows): five GROUP BYs "
                    + ", ".join(f"{label} {seconds * 1000:.1f} ms" for label, seconds in totals.items()),
                    flush=True,
                )
                forget_ledger(case)


if __name__ == "__main__":
    main()
