"""The state store on a real MariaDB that drops connections, with programs as big as they get; the job's give-up rule.

ToolsDB restarts, kills idle connections and times them out; a continuous job must neither die on the first dropped
connection nor ever leave a half-written snapshot behind. Connections are dropped here the way the server does it:
``KILL <id>`` from a second (root) connection. Nothing is mocked: each test gets a throwaway MariaDB database
(``mariadb_database`` in tests/conftest.py); the only stand-in is a wrapper around ``Store._run`` that fires the KILL
at a chosen statement of a transaction.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pymysql
import pytest

from bot.aggregate import aggregate
from bot.config import StateConfig
from bot.metrics import ProgramMetrics, RevisionFact, UploadFact, UsingPage
from bot.program import Message, Participant, Program, SignupStatus, TrackedWiki
from bot.scheduler import FailureCount
from bot.store import CONNECTION_LOST, LoggedEdit, SchemaOutdated, Store
from bot.trust import HeldChange, TrustState
from tests.programs import make_program

PROGRAM = make_program(
    "{{Program|name=Rivers ñ|start=2026-01-01|end=2026-01-31|wikis=devwiki, devcommons}}", ("Bob", "Carol"), page_id=31
)
START = datetime(2026, 1, 1, tzinfo=UTC)
SNAPSHOT_TABLES = ("snapshot", "snapshot_counts", "snapshot_upload", "snapshot_upload_page", "snapshot_goal")
TEXT_BYTES = 65_535
"""What a MariaDB TEXT column holds (the trust state's column before migration 0005)."""


def config(database: str) -> StateConfig:
    return StateConfig(engine="mysql", database=database, host="127.0.0.1")


@pytest.fixture
def admin(mariadb_database: str) -> Iterator[pymysql.connections.Connection[Any]]:
    """A second, independent root connection: it kills the store's connection and looks at what was committed."""
    connection = pymysql.connect(host="127.0.0.1", user="root", database=mariadb_database, autocommit=True)
    yield connection
    connection.close()


@pytest.fixture
def mariadb_store(mariadb_database: str) -> Iterator[Store]:
    store = Store.open(config(mariadb_database))
    yield store
    store.close()


def query(connection: pymysql.connections.Connection[Any], sql: str, *params: object) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or None)
        return list(cursor.fetchall())


def connection_id(store: Store) -> int:
    """The server-side id of the store's current connection (changes when the store reconnects)."""
    return int(query(store._connection, "SELECT CONNECTION_ID()")[0][0])


def kill(admin: pymysql.connections.Connection[Any], victim: int) -> None:
    """KILL the connection and wait until the server has ended its thread (and rolled back its transaction)."""
    query(admin, f"KILL {int(victim)}")
    deadline = time.monotonic() + 10
    while query(admin, "SELECT 1 FROM information_schema.PROCESSLIST WHERE ID = %s", victim):
        assert time.monotonic() < deadline, f"connection {victim} still alive 10 s after KILL"
        time.sleep(0.02)


def metrics(program: Program) -> ProgramMetrics:
    """Numbers with every kind of snapshot row: total, wiki, participant, day, article counts and an upload."""
    facts = [
        RevisionFact("devwiki", i, "Bob", 7 + i % 3, 0, f"Ebro_{i % 3}", START + timedelta(days=i), 10 * i, 5 * i, i)
        for i in range(1, 6)
    ]
    used_on = (UsingPage("devwiki", "Ebro", 12), UsingPage("devwiki", "Segre"))
    uploads = [UploadFact("devcommons", "Carol", "Map.png", START + timedelta(days=3), usage=2, pages=used_on)]
    return aggregate(
        participants=program.confirmed, window=program.window, timezone="UTC", now=START + timedelta(days=10),
        revisions=facts, uploads=uploads,
    )  # fmt: skip


def snapshot_rows(admin: pymysql.connections.Connection[Any], key: str, taken_at: str) -> dict[str, int]:
    """Committed rows of one snapshot, per table, as another connection sees them."""
    return {
        table: int(
            query(admin, f"SELECT COUNT(*) FROM {table} WHERE program_key = %s AND taken_at = %s", key, taken_at)[0][0]
        )
        for table in (*SNAPSHOT_TABLES, "snapshot_day")
    }


def test_kill_between_statements_reconnects_for_reads_and_writes(
    mariadb_store: Store, admin: pymysql.connections.Connection[Any]
) -> None:
    """A connection the server dropped while the store was idle (ToolsDB restart, idle timeout) costs nothing: the
    next read retries on a new connection, and so do the next transactional write (``ensure_connected``) and the next
    single-statement write; what was committed before the drop is all still there."""
    store = mariadb_store
    store.record_program(PROGRAM)
    store.record_status(
        key=PROGRAM.key, wiki="devwiki", title=PROGRAM.title, checked_at=START, ok=True, messages=(),
        edit_outcome=Message("outcome-saved", ("12",)),
    )  # fmt: skip

    first = connection_id(store)
    kill(admin, first)
    [summary] = store.programs()  # a read
    assert (summary.key, summary.name, summary.tracked_wikis) == (PROGRAM.key, "Rivers ñ", ("devwiki", "devcommons"))
    second = connection_id(store)
    assert second != first

    kill(admin, second)
    state = TrustState(last_revid=42, creator="Ana", trusted={"name": "Rivers ñ"})
    store.record_trust_state(PROGRAM.key, state)  # a write in a transaction
    third = connection_id(store)
    assert third not in (first, second)

    kill(admin, third)
    entry = LoggedEdit("devwiki", PROGRAM.title, PROGRAM.key, "outcome", "saved", 77, "", "2026-01-02T00:00:00Z")
    store.log_edit(entry)  # a write of one statement, outside a transaction
    assert connection_id(store) not in (first, second, third)

    assert store.trust_state(PROGRAM.key) == state
    assert store.edit_log(program_key=PROGRAM.key) == [entry]
    assert [(p.username, p.status) for p in store.signups(PROGRAM.key)] == [
        ("Bob", SignupStatus.CONFIRMED), ("Carol", SignupStatus.CONFIRMED),
    ]  # fmt: skip
    [summary] = store.programs()
    assert (summary.ok, summary.edit_outcome) == (True, Message("outcome-saved", ("12",)))


def test_kill_inside_record_snapshot_leaves_no_half_snapshot(
    mariadb_store: Store, admin: pymysql.connections.Connection[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A connection lost in the middle of ``record_snapshot`` (after its deletes and the ``snapshot`` row, at the
    first ``snapshot_counts`` row) must not leave a snapshot without its breakdowns: the error goes up, the server has
    rolled everything back, an earlier snapshot is untouched, and the same call succeeds once retried. The reads that
    follow the failure reconnect too (pymysql leaves the lost connection closed: ``InterfaceError``, not an
    ``OperationalError``)."""
    store = mariadb_store
    store.record_program(PROGRAM)
    numbers = metrics(PROGRAM)
    earlier, taken_at = START + timedelta(days=9), START + timedelta(days=10)
    earlier_stamp, stamp = "2026-01-10T00:00:00Z", "2026-01-11T00:00:00Z"
    # The earlier numbers differ from the later ones (words): unchanged numbers would only re-stamp the snapshot.
    store.record_snapshot(PROGRAM, replace(numbers, words_added=7), earlier, backend="replica")
    complete = snapshot_rows(admin, PROGRAM.key, earlier_stamp)
    assert complete["snapshot"] == 1 and complete["snapshot_counts"] > 5 and complete["snapshot_upload"] == 1
    assert complete["snapshot_upload_page"] == 2

    original, original_many = store._run, store._execute_many
    executed: list[str] = []
    killed: list[int] = []

    def lose_at_counts(name: str) -> None:
        if name == "insert_snapshot_counts" and not killed:
            killed.append(connection_id(store))
            kill(admin, killed[0])
        executed.append(name)

    def run_then_lose(
        name: str, params: Mapping[str, Any] | None, parts: Mapping[str, str] | None = None
    ) -> list[tuple[Any, ...]]:
        lose_at_counts(name)
        return original(name, params, parts)

    def many_then_lose(name: str, rows: Any) -> None:  # the rows of a snapshot go in multi-row INSERTs
        lose_at_counts(name)
        original_many(name, rows)

    monkeypatch.setattr(store, "_run", run_then_lose)
    monkeypatch.setattr(store, "_execute_many", many_then_lose)
    with pytest.raises(pymysql.err.OperationalError) as lost:
        store.record_snapshot(PROGRAM, numbers, taken_at, backend="replica")
    assert lost.value.args[0] in CONNECTION_LOST
    assert executed == [
        "last_snapshot", *(f"delete_{table}" for table in SNAPSHOT_TABLES), "insert_snapshot", "insert_snapshot_counts",
    ]  # fmt: skip
    assert snapshot_rows(admin, PROGRAM.key, stamp) == dict.fromkeys((*SNAPSHOT_TABLES, "snapshot_day"), 0)
    assert snapshot_rows(admin, PROGRAM.key, earlier_stamp) == complete

    assert [s.taken_at for s in store.snapshots(PROGRAM.key)] == [earlier_stamp]  # a read right after: reconnects
    assert connection_id(store) != killed[0]
    store.record_snapshot(PROGRAM, numbers, taken_at, backend="replica")  # the retry, on the new connection
    assert snapshot_rows(admin, PROGRAM.key, stamp) == complete
    assert [s.taken_at for s in store.snapshots(PROGRAM.key)] == [earlier_stamp, stamp]
    assert store.snapshot_counts(PROGRAM.key, stamp, "total") == store.snapshot_counts(
        PROGRAM.key, earlier_stamp, "total"
    )
    assert store.snapshot_uploads(PROGRAM.key, stamp) == [("devcommons", "Map.png", "Carol", "2026-01-04T00:00:00Z", 2)]
    assert store.snapshot_upload_pages(PROGRAM.key, stamp, "devcommons", "Map.png") == [
        UsingPage("devwiki", "Ebro", 12), UsingPage("devwiki", "Segre", None),
    ]  # fmt: skip


def big_program(count: int) -> tuple[Program, TrustState]:
    """A program with ``count`` sign-ups of every status, tracking 3 wikis with 40 namespaces each, and the trust
    state the fold would keep for it."""
    statuses = list(SignupStatus)
    people = tuple(
        Participant(
            username=f"Participant {i:05d} ñ",
            status=statuses[i % len(statuses)],
            added_by=f"Participant {i:05d} ñ" if i % len(statuses) != 1 else "Organizer Ñandú",
            revision=1_000_000 + i,
            timestamp=START + timedelta(seconds=37 * i),
        )
        for i in range(count)
    )
    namespaces = tuple(range(16)) + tuple(range(100, 124))
    tracked = tuple(TrackedWiki(wiki, namespaces) for wiki in ("devwiki", "devcommons", "devwikidata"))
    program = replace(PROGRAM, definition=replace(PROGRAM.definition, tracked=tracked), participants=people)
    state = TrustState(
        last_revid=1_000_000 + count,
        creator="Organizer Ñandú",
        trusted={"name": "Rivers ñ", "start": "2026-01-01", "end": "2026-01-31"},
        valid={"name": "Rivers ñ", "start": "2026-01-01", "end": "2026-01-31"},
        page={"name": "Rivers ñ (vandalized)", "start": "2026-01-01", "end": "2026-01-31"},
        page_signups=tuple(p.username for p in people if p.status is not SignupStatus.WITHDRAWN),
        held={"name": HeldChange("Mallory", 1_000_000 + count)},
        participants={p.username: p for p in people},
        removed_by_other={people[0].username: HeldChange("Mallory", 1_000_003)},
        unreadable={1_000_002: "ValueError"},
    )
    return program, state


def test_ten_thousand_signups_on_mariadb(
    mariadb_store: Store, admin: pymysql.connections.Connection[Any], mariadb_database: str
) -> None:
    """A program with 10,000 sign-ups and every namespace of several wikis fits the resized schema (0005): the trust
    state round-trips exactly, every sign-up is kept, and the namespace list is not cut. The trust state is far over
    the 64 KB that its old TEXT column held; the server refuses (strict mode) or cuts it there, shown in a table
    of the old column's type."""
    program, state = big_program(10_000)
    raw = state.to_json()
    assert len(raw.encode()) > TEXT_BYTES

    store = mariadb_store
    store.record_trust_state(program.key, state)
    assert store.trust_state(program.key) == state
    assert query(admin, "SELECT LENGTH(state) FROM program_trust WHERE program_key = %s", program.key) == [
        (len(raw.encode()),)
    ]

    store.record_program(program)
    signups = store.signups(program.key)
    assert len(signups) == 10_000
    assert signups == list(program.participants)  # in sign-up order, every field intact
    namespaces = ";".join(f"{t.wiki}:{','.join(map(str, t.namespaces))}" for t in program.definition.tracked)
    assert len(namespaces) > 255  # the old VARCHAR(255) column would have cut it
    assert query(admin, "SELECT tracked_wikis, namespaces FROM program WHERE program_key = %s", program.key) == [
        ("devwiki,devcommons,devwikidata", namespaces)
    ]

    # The column as migration 0002 made it, in a throwaway table of the same database.
    query(admin, "CREATE TABLE old_program_trust (program_key VARCHAR(255) NOT NULL PRIMARY KEY, "
                 "last_revid INTEGER NOT NULL, state TEXT NOT NULL)")  # fmt: skip
    insert = "INSERT INTO old_program_trust (program_key, last_revid, state) VALUES (%s, %s, %s)"
    [(sql_mode,)] = query(admin, "SELECT @@SESSION.sql_mode")
    if "STRICT_TRANS_TABLES" in sql_mode or "STRICT_ALL_TABLES" in sql_mode:
        with pytest.raises(pymysql.err.DataError) as refused:
            query(admin, insert, program.key, state.last_revid, raw)
        assert refused.value.args[0] == 1406  # ER_DATA_TOO_LONG
        assert query(admin, "SELECT COUNT(*) FROM old_program_trust") == [(0,)]
    else:
        query(admin, insert, program.key, state.last_revid, raw)
        [(kept,)] = query(admin, "SELECT LENGTH(state) FROM old_program_trust")
        assert kept <= TEXT_BYTES < len(raw.encode())
    query(admin, "DROP TABLE old_program_trust")


def test_failure_count_gives_up_after_limit_in_a_row() -> None:
    """The continuous job survives occasional failed cycles but ends (for a fresh restart) after ``limit`` failures
    in a row; one good cycle in between starts the count again."""
    failures = FailureCount(limit=3)

    def lost() -> None:
        raise pymysql.err.OperationalError(2013, "Lost connection to MySQL server during query")

    def fine() -> None:
        return None

    assert failures.cycle(lost) is True
    assert failures.cycle(lost) is True
    assert failures.in_a_row == 2
    assert failures.cycle(fine) is True
    assert failures.in_a_row == 0
    assert failures.cycle(lost) is True
    assert failures.cycle(lost) is True
    assert failures.cycle(lost) is False
    assert failures.in_a_row == 3


def test_open_without_migrating_refuses_an_empty_database(
    mariadb_database: str, admin: pymysql.connections.Connection[Any]
) -> None:
    """The web site opens the store with ``migrate=False``: on a database without the schema it must refuse (so the
    bot's ``db upgrade`` does the migrating) and create nothing; once migrated, the same open works."""
    with pytest.raises(SchemaOutdated, match=r"0001-init\.sql"):
        Store.open(config(mariadb_database), migrate=False)
    assert query(admin, "SHOW TABLES") == []

    Store.open(config(mariadb_database)).close()
    store = Store.open(config(mariadb_database), migrate=False)
    try:
        assert store.pending_migrations() == []
        assert store.programs() == []
    finally:
        store.close()
    tables = {row[0] for row in query(admin, "SHOW TABLES")}
    assert {"schema_version", "program", "program_trust", "program_participant", *SNAPSHOT_TABLES} <= tables
