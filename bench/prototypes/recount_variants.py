"""Variants of the steps of a full recount, each measured beside the code it would replace (same case, same run).

Used by ``python -m bench.ledger_profile --prototypes``; nothing here is imported by the bot. Each entry of
``measure()``'s result is "<variant>" (and its "baseline: <step>" where the baseline is not already a step of the
profile), a list of seconds per round:

* ledger write and marking: today ``Store.record_ledger`` writes rows with counted = 0, then ``aggregate`` marks
  each counted row with one UPDATE (pymysql's executemany sends UPDATEs one by one). Variants: (a) one UPDATE per
  local day with the day's revision ids (``IN`` lists of at most 1,000); (b) the row written already counted, with
  its day (the same REPLACE with two more columns), so the marking finds nothing to change; (c) as (b) through
  ``LOAD DATA LOCAL INFILE`` (a TSV in memory; needs ``local_infile`` on the client and the server);
* the GROUP BYs: the five ``Store.ledger_counts`` with MariaDB's in-memory temporary tables raised from 16 MiB to
  512 MiB for the session (``page_key`` is VARCHAR(600): a temporary table of it outgrows 16 MiB and goes to disk);
* building RevisionFact: ``facts_replica._revision`` with the timestamp cut by slicing instead of ``strptime``;
* the replica statements (server time, as ``ledger_profile.server_only``, and the whole ``Replica.query``): actor
  batches of 250 and 999 instead of 500, one window slice instead of 92-day ones, and without the parent join (to
  show what the parent's length costs; the bot needs it).
"""

from __future__ import annotations

import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from bench.ledger_bench import READ_AT, Case, forget_ledger
from bench.ledger_profile import COLUMNS, FAMILIES, aggregate_over_ledger
from bot import facts_replica, ledger
from bot.facts_replica import _bytes, _int, _opt_int, sizes, text
from bot.metrics import RevisionFact
from bot.replica import sql_text
from bot.store import LedgerState, Store, _ledger_row

UPDATE_CHUNK = 1000


def _facts(case: Case) -> list[RevisionFact]:
    """The case's ledger rows (read through the bot, untimed)."""
    found = facts_replica.wiki_facts(case.replica, case.request)
    return list(ledger._ordered(found.all_revisions))


def _days(facts: Sequence[RevisionFact]) -> dict[int, str]:
    return {fact.rev_id: fact.timestamp.astimezone(UTC).date().isoformat() for fact in facts}


def _state(case: Case) -> LedgerState:
    return LedgerState(ledger.fingerprint(case.request, "replica"), READ_AT, READ_AT)


def _cursor(store: Store) -> Any:
    return store._connection.cursor()


def mark_per_day(store: Store, key: str, wiki: str, days: dict[int, str]) -> None:
    """(a) One UPDATE per local day and chunk of ids (what mark_ledger_counted does row by row)."""
    by_day: dict[str, list[int]] = defaultdict(list)
    for rev_id, day in days.items():
        by_day[day].append(rev_id)
    cursor = _cursor(store)
    cursor.execute("BEGIN")
    for day, ids in sorted(by_day.items()):
        for start in range(0, len(ids), UPDATE_CHUNK):
            chunk = ids[start : start + UPDATE_CHUNK]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                "UPDATE ledger_revision SET counted = 1, day = %s WHERE program_key = %s AND wiki = %s "
                f"AND rev_id IN ({marks})",
                (day, key, wiki, *chunk),
            )
    store._connection.commit()
    cursor.close()


COUNTED_INSERT = (
    "REPLACE INTO ledger_revision (program_key, wiki, rev_id, username, page_id, namespace, title, rev_timestamp, "
    "size, parent_size, parent_id, deleted, page_key, counted, day) VALUES (%(program_key)s, %(wiki)s, %(rev_id)s, "
    "%(username)s, %(page_id)s, %(namespace)s, %(title)s, %(rev_timestamp)s, %(size)s, %(parent_size)s, "
    "%(parent_id)s, %(deleted)s, %(page_key)s, %(counted)s, %(day)s)"
)


def write_counted(store: Store, key: str, wiki: str, state: LedgerState, facts: Sequence[RevisionFact]) -> None:
    """(b) record_ledger(replace_all) whose rows carry counted = 1 and their day."""
    days = _days(facts)
    rows = [{"program_key": key, "wiki": wiki, **_ledger_row(f), "counted": 1, "day": days[f.rev_id]} for f in facts]
    cursor = _cursor(store)
    cursor.execute("BEGIN")
    cursor.execute("DELETE FROM ledger_revision WHERE program_key = %s AND wiki = %s", (key, wiki))
    cursor.executemany(COUNTED_INSERT, rows)
    _write_state(cursor, key, wiki, state)
    store._connection.commit()
    cursor.close()


def _write_state(cursor: Any, key: str, wiki: str, state: LedgerState) -> None:
    cursor.execute(
        "REPLACE INTO ledger_state (program_key, wiki, fingerprint, read_until, recounted_at) "
        "VALUES (%s, %s, %s, %s, %s)",
        (key, wiki, state.fingerprint, int(state.read_until.timestamp()), int(state.recounted_at.timestamp())),
    )


LOAD_COLUMNS = (
    "program_key, wiki, rev_id, username, page_id, namespace, title, rev_timestamp, size, parent_size, parent_id, "
    "deleted, page_key, counted, day"
)


def _tsv(value: object) -> str:
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def load_counted(case: Case, state: LedgerState, facts: Sequence[RevisionFact]) -> None:
    """(c) As (b), the rows sent by LOAD DATA LOCAL INFILE from a TSV file written first (the system's temporary
    directory), on a connection opened with local_infile (pymysql's default is off)."""
    import pymysql

    assert case.store is not None
    days = _days(facts)
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", encoding="utf-8") as tsv:
        for fact in facts:
            values = [case.key, case.wiki, *_ledger_row(fact).values(), 1, days[fact.rev_id]]
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


def group_bys(store: Store, key: str, big_tmp: bool) -> None:
    cursor = _cursor(store)
    size = (512 if big_tmp else 16) << 20
    cursor.execute(f"SET SESSION tmp_memory_table_size = {size}, max_heap_table_size = {size}")
    cursor.close()
    for dimension in ("total", "wiki", "participant", "day", "article"):
        store.ledger_counts([key], dimension)


_DAYS: dict[bytes, datetime] = {}


def fast_timestamp(value: bytes) -> datetime:
    """YYYYMMDDHHMMSS by slicing, the date part cached (a program's revisions fall on few days)."""
    day = _DAYS.get(value[:8])
    if day is None:
        day = _DAYS[value[:8]] = datetime(int(value[:4]), int(value[4:6]), int(value[6:8]), tzinfo=UTC)
    return day + timedelta(hours=int(value[8:10]), minutes=int(value[10:12]), seconds=int(value[12:14]))


def _raw(value: object) -> bytes:
    found = _bytes(value)
    return found.encode() if isinstance(found, str) else found


def fast_revision(wiki: str, ids: dict[int, str], row: tuple[object, ...], *, deleted: bool) -> RevisionFact:
    """facts_replica._revision with ``fast_timestamp``."""
    rev_id, actor, page_id, namespace, title, timestamp, size, parent_id, found, parent_len = row
    size_now, parent_size = sizes(_opt_int(size), bool(found), _opt_int(parent_len))
    return RevisionFact(
        wiki=wiki,
        rev_id=_int(rev_id),
        username=ids[_int(actor)],
        page_id=_int(page_id),
        namespace=_int(namespace),
        title=text(_bytes(title)),
        timestamp=fast_timestamp(_raw(timestamp)),
        size=size_now,
        parent_size=parent_size,
        parent_id=_opt_int(parent_id) or 0,
        deleted=deleted,
    )


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


def _ignore(_value: object) -> None:
    return None


def build_facts(
    wiki: str, ids: dict[int, str], rows: Sequence[tuple[tuple[object, ...], bool]], build: Callable[..., RevisionFact]
) -> None:
    for row, deleted in rows:
        build(wiki, ids, row, deleted=deleted)


def measure(case: Case, repeat: int) -> dict[str, list[float]]:
    store = case.store
    assert store is not None
    facts = _facts(case)
    days = _days(facts)
    state = _state(case)
    out: dict[str, list[float]] = defaultdict(list)
    ids = facts_replica.actors(case.replica, case.request)
    rows = [
        (row, deleted)
        for name, deleted in FAMILIES
        for params in _statement_params(case, ids, 500, 92)
        for row in case.replica.query(name, params)
    ]

    def clock(label: str, *actions: Callable[[], None]) -> None:
        started = time.perf_counter()
        for action in actions:
            action()
        out[label].append(time.perf_counter() - started)

    for _round in range(repeat):
        # Write + mark, today.
        forget_ledger(case)
        clock(
            "baseline: record_ledger + mark_ledger_counted",
            lambda: store.record_ledger(case.key, case.wiki, state, upsert=facts, replace_all=True),
            lambda: store.mark_ledger_counted(case.key, case.wiki, days),
        )
        # (a)
        forget_ledger(case)
        store.record_ledger(case.key, case.wiki, state, upsert=facts, replace_all=True)
        clock("(a) mark per day (UPDATE ... IN)", lambda: mark_per_day(store, case.key, case.wiki, days))
        # (b)
        forget_ledger(case)
        clock(
            "(b) write counted rows + mark_ledger_counted (nothing to change)",
            lambda: write_counted(store, case.key, case.wiki, state, facts),
            lambda: store.mark_ledger_counted(case.key, case.wiki, days),
        )
        # (c)
        forget_ledger(case)
        clock(
            "(c) LOAD DATA counted rows + mark_ledger_counted (nothing to change)",
            lambda: load_counted(case, state, facts),
            lambda: store.mark_ledger_counted(case.key, case.wiki, days),
        )
        # GROUP BYs over the now full, counted ledger.
        clock("baseline: five ledger_counts (tmp tables 16 MiB)", lambda: group_bys(store, case.key, False))
        clock("five ledger_counts, tmp tables 512 MiB", lambda: group_bys(store, case.key, True))
        group_bys(store, case.key, False)
        clock("aggregate() over the counted ledger", lambda: _ignore(aggregate_over_ledger(case, facts)))
        # RevisionFact.
        clock("baseline: _revision over the rows", lambda: build_facts(case.wiki, ids, rows, facts_replica._revision))
        clock("fast_revision over the rows", lambda: build_facts(case.wiki, ids, rows, fast_revision))
        for label, seconds in statement_variants(case, ids).items():
            out[label].append(seconds)
    forget_ledger(case)
    return out
