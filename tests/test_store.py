"""The state database keeps definitions, statuses and snapshot history, on SQLite and on MariaDB alike."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.config import StateConfig
from bot.program import Message
from bot.stats import ParticipantStats, ProgramStats, WikiStats
from bot.store import Store
from tests.programs import make_program

PROGRAM = make_program(
    "{{Program|name=P <b>|start=2026-01-01|end=2026-01-31|wikis=devwiki, devcommons|campaign=Rivers}}", ("Bob", "Carol")
)


def stats(bob: int) -> ProgramStats:
    dev = (ParticipantStats("Bob", bob, 1), ParticipantStats("Carol", 2, 2))
    commons = (ParticipantStats("Bob", 1, 1), ParticipantStats("Carol", 0, 0))
    return ProgramStats(
        participants=(ParticipantStats("Bob", bob + 1, 2), ParticipantStats("Carol", 2, 2)),
        wikis=(WikiStats("devwiki", bob + 2, 2, dev), WikiStats("devcommons", 1, 1, commons)),
    )


def exercise(store: Store) -> None:
    first, second = datetime(2026, 1, 5, tzinfo=UTC), datetime(2026, 1, 6, tzinfo=UTC)
    store.record_program(PROGRAM)
    store.record_snapshot(PROGRAM, stats(3), first)
    store.record_snapshot(PROGRAM, stats(5), second)
    store.record_status(
        key=PROGRAM.key, wiki="devwiki", title="Project:P", checked_at=second, ok=True,
        messages=(Message("problem-unknown-wiki", ("xxwiki",)),), edit_outcome=Message("outcome-saved", ("12",)),
    )  # fmt: skip
    [summary] = store.programs()
    assert (summary.name, summary.start, summary.tracked_wikis) == (
        "P <b>",
        date(2026, 1, 1),
        ("devwiki", "devcommons"),
    )
    assert (summary.updated_at, summary.participants, summary.edits, summary.articles_edited) == (
        "2026-01-06T00:00:00Z", 2, 8, 3,
    )  # fmt: skip
    assert summary.messages == (Message("problem-unknown-wiki", ("xxwiki",)),)
    assert summary.edit_outcome == Message("outcome-saved", ("12",))
    assert store.participants(PROGRAM.key, "2026-01-05T00:00:00Z") == [("Bob", 4, 2), ("Carol", 2, 2)]
    assert store.participants(PROGRAM.key, "2026-01-06T00:00:00Z") == [("Bob", 6, 2), ("Carol", 2, 2)]

    # A later broken page records the problem but keeps the last good definition and numbers.
    store.record_status(
        key=PROGRAM.key, wiki="devwiki", title="Project:P", checked_at=datetime(2026, 1, 7, tzinfo=UTC), ok=False,
        messages=(Message("problem-date-missing", ("start",)),), edit_outcome=Message("outcome-not-published"),
    )  # fmt: skip
    [summary] = store.programs()
    assert (summary.ok, summary.name, summary.edits, summary.checked_at) == (
        False,
        "P <b>",
        8,
        "2026-01-07T00:00:00Z",
    )


def test_sqlite(store: Store) -> None:
    exercise(store)


def test_mariadb(mariadb_database: str) -> None:
    store = Store.open(StateConfig(engine="mysql", host="127.0.0.1", database=mariadb_database))
    try:
        exercise(store)
        store.migrate()  # idempotent: the migration is not applied twice
    finally:
        store.close()


def test_unknown_engine() -> None:
    with pytest.raises(ValueError, match="unknown state engine"):
        Store.open(StateConfig(engine="postgres"))
