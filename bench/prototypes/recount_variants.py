"""Variants of the steps of a full recount not applied to bot/, each measured beside the code it would replace
(same case, same run).

Used by ``python -m bench.ledger_profile --prototypes``; nothing here is imported by the bot. Each entry of
``measure()``'s result is "<variant>" (and its "baseline: <step>"), a list of seconds per round:

* ledger write: the bot's ``Store.record_ledger(..., replace_all=True, days=...)`` (rows written counted, in
  multi-row INSERTs of values rendered once) against the same rows sent by ``LOAD DATA LOCAL INFILE`` (a TSV file
  written first; needs ``local_infile`` on the client and the server);
* the replica statements (server time, as ``ledger_profile.server_only``, and the whole ``Replica.query``): actor
  batches of 250 and 999 instead of 500, one window slice instead of 92-day ones, and without the parent join (to
  show what the parent's length costs; the bot needs it).

(The variants that became bot/ code -- rows written counted, per-day marking, GROUP BYs on integer keys sorted in
memory, the update's targeted re-read, timestamps without ``strptime`` -- are measured by ledger_bench and
ledger_profile themselves now.)
"""

from __future__ import annotations

import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, timedelta
from typing import Any

from bench.ledger_bench import READ_AT, Case, forget_ledger
from bench.ledger_profile import COLUMNS, FAMILIES
from bot import facts_replica, ledger
from bot.metrics import RevisionFact
from bot.replica import sql_text
from bot.store import LedgerState, Store, _ledger_row


def _facts(case: Case) -> list[RevisionFact]:
    """The case's ledger rows (read through the bot, untimed)."""
    found = facts_replica.wiki_facts(case.replica, case.request)
    return list(ledger._ordered(found.all_revisions))


def _days(facts: Sequence[RevisionFact]) -> dict[int, str]:
    return {fact.rev_id: fact.timestamp.astimezone(UTC).date().isoformat() for fact in facts}


def _state(case: Case) -> LedgerState:
    return LedgerState(ledger.fingerprint(case.request, "replica"), READ_AT, READ_AT)


def _write_state(cursor: Any, key: str, wiki: str, state: LedgerState) -> None:
    cursor.execute(
        "REPLACE INTO ledger_state (program_key, wiki, fingerprint, read_until, recounted_at, counting) "
        "VALUES (%s, %s, %s, %s, %s, %s)",
        (
            key,
            wiki,
            state.fingerprint,
            int(state.read_until.timestamp()),
            int(state.recounted_at.timestamp()),
            state.counting,
        ),
    )


LOAD_COLUMNS = (
    "program_key, wiki, rev_id, username, page_id, namespace, title, rev_timestamp, size, parent_size, parent_id, "
    "deleted, counted, day"
)


def _tsv(value: object) -> str:
    if value is None:
        return "\\N"
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def load_counted(case: Case, state: LedgerState, facts: Sequence[RevisionFact]) -> None:
    """The bot's write (rows counted, with their day), the rows sent by LOAD DATA LOCAL INFILE from a TSV file
    written first (the system's temporary directory), on a connection opened with local_infile (pymysql's default
    is off). NULL (a row not counted) is written as \\N."""
    import pymysql

    assert case.store is not None
    days = _days(facts)
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", encoding="utf-8") as tsv:
        for fact in facts:
            values = [case.key, case.wiki, *_ledger_row(fact, days[fact.rev_id]).values()]
            tsv.write("\t".join(_tsv(value) for value in values) + "\n")
        tsv.flush()
        connection = pymysql.connect(
            host="127.0.0.1", user="root", password="", database=_database(case.store), local_infile=True
        )
        try:
            with connection.cursor() as cursor:
                cursor.execute("BEGIN")
                cursor.execute(
                    "DELETE FROM ledger_revision WHERE program_key = %s AND wiki = %s", (case.key, case.wiki)
                )
                cursor.execute(
                    f"LOAD DATA LOCAL INFILE '{tsv.name}' INTO TABLE ledger_revision CHARACTER SET utf8mb4 "
                    f"FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' ({LOAD_COLUMNS})"
                )
                _write_state(cursor, case.key, case.wiki, state)
            connection.commit()
        finally:
            connection.close()


def _database(store: Store) -> str:
    return str(store._connection.db.decode() if isinstance(store._connection.db, bytes) else store._connection.db)


NO_PARENT = {
    "stats/revisions": (
        ("parent.rev_id IS NOT NULL AS parent_found", "1 AS parent_found"),
        ("parent.rev_len AS parent_len", "NULL AS parent_len"),
        ("LEFT JOIN revision parent ON parent.rev_id = r.rev_parent_id", ""),
    ),
    "stats/deleted_revisions": (
        ("(parent_ar.ar_rev_id IS NOT NULL OR parent_rev.rev_id IS NOT NULL) AS parent_found", "1 AS parent_found"),
        ("COALESCE(parent_ar.ar_len, parent_rev.rev_len) AS parent_len", "NULL AS parent_len"),
        ("LEFT JOIN archive parent_ar ON parent_ar.ar_rev_id = a.ar_parent_id", ""),
        ("LEFT JOIN revision parent_rev ON parent_rev.rev_id = a.ar_parent_id", ""),
    ),
}


def _statement_params(case: Case, ids: dict[int, str], batch: int, slice_days: int) -> Iterator[dict[str, object]]:
    for chunk in facts_replica.batches(sorted(ids), batch):
        for start, end in facts_replica.slices(case.window, timedelta(days=slice_days)):
            yield {"actors": chunk, "start": start, "end": end, "namespaces": case.request.namespaces}


def _run_sql(case: Case, sql: str, params: dict[str, object], wrap: bool) -> int:
    connection = case.replica._connection
    assert connection is not None
    timeout = case.settings.statement_timeout_seconds
    if wrap:
        columns = ", ".join(f"c{i}" for i in range(COLUMNS))
        sums = ", ".join(f"SUM(LENGTH(c{i}))" for i in range(COLUMNS))
        sql = f"WITH t({columns}) AS ({sql}) SELECT COUNT(*), {sums} FROM t"
    with connection.cursor() as cursor:
        cursor.execute(f"SET STATEMENT max_statement_time={timeout} FOR {sql}", params)
        return len(cursor.fetchall())


def statement_variants(case: Case, ids: dict[int, str]) -> dict[str, float]:
    """Seconds (server only, and whole) of every family's statements under each variant."""
    variants: dict[str, tuple[int, int, bool]] = {
        "batch 500, 92-day slices (today)": (500, 92, False),
        "batch 250": (250, 92, False),
        "batch 999": (999, 92, False),
        "one slice": (500, 3660, False),
        "no parent join": (500, 92, True),
    }
    result: dict[str, float] = {}
    for label, (batch, slice_days, no_parent) in variants.items():
        for wrap in (True, False):
            started = time.perf_counter()
            for name, _deleted in FAMILIES:
                sql = sql_text(name)
                if no_parent:
                    for old, new in NO_PARENT[name]:
                        assert old in sql, old
                        sql = sql.replace(old, new)
                for params in _statement_params(case, ids, batch, slice_days):
                    _run_sql(case, sql, params, wrap)
            result[f"SQL {label}: {'server' if wrap else 'whole query'}"] = time.perf_counter() - started
    return result


def measure(case: Case, repeat: int) -> dict[str, list[float]]:
    store = case.store
    assert store is not None
    facts = _facts(case)
    days: dict[int, str | None] = dict(_days(facts))
    state = _state(case)
    out: dict[str, list[float]] = defaultdict(list)
    ids = facts_replica.actors(case.replica, case.request)

    def clock(label: str, *actions: Callable[[], None]) -> None:
        started = time.perf_counter()
        for action in actions:
            action()
        out[label].append(time.perf_counter() - started)

    for _round in range(repeat):
        forget_ledger(case)
        clock(
            "baseline: record_ledger, rows written counted",
            lambda: store.record_ledger(case.key, case.wiki, state, upsert=facts, replace_all=True, days=days),
        )
        forget_ledger(case)
        clock("LOAD DATA of the same rows", lambda: load_counted(case, state, facts))
        for label, seconds in statement_variants(case, ids).items():
            out[label].append(seconds)
    forget_ledger(case)
    return out
