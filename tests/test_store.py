"""The state database keeps definitions, sign-ups, statuses and snapshot history, on SQLite and MariaDB alike."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.aggregate import aggregate
from bot.config import StateConfig
from bot.metrics import Counts, Retention, RevisionFact, UploadFact, UsingPage, WikidataCounts
from bot.program import Message, SignupStatus
from bot.store import Store
from bot.trust import TrustState
from tests.programs import make_program

PROGRAM = make_program(
    "{{Program|name=P <b>|start=2026-01-01|end=2026-01-31|wikis=devwiki, devcommons|campaign=Rivers}}", ("Bob", "Carol")
)
START = datetime(2026, 1, 1, tzinfo=UTC)


def metrics(bob_edits: int):  # type: ignore[no-untyped-def]
    facts = [
        RevisionFact("devwiki", i, "Bob", 7, 0, "Ebro", START + timedelta(days=i), 10 * i, 10 * (i - 1), i - 1)
        for i in range(1, bob_edits + 1)
    ]
    facts.append(RevisionFact("devwiki", 99, "Carol", 8, 0, "Tajo", START + timedelta(days=2), 50, 0, 0))
    used_on = (UsingPage("devwiki", "Ebro", 40), UsingPage("devwiki", "Tajo_río", None))
    uploads = [UploadFact("devcommons", "Carol", "Map.png", START + timedelta(days=3), usage=2, pages=used_on)]
    result = aggregate(
        participants=PROGRAM.confirmed, window=PROGRAM.window, timezone="UTC", now=START + timedelta(days=5),
        revisions=facts, uploads=uploads,
    )  # fmt: skip
    return result.__class__(**{**result.__dict__, "words_added": 12, "wikidata": WikidataCounts(items_created=1),
                               "alerts": (("devwiki", 0, "Ebro", "Proposed deletion"),)})  # fmt: skip


def exercise(store: Store) -> None:
    first, second = datetime(2026, 1, 5, tzinfo=UTC), datetime(2026, 1, 6, tzinfo=UTC)
    store.record_program(PROGRAM)
    store.record_snapshot(PROGRAM, metrics(3), first, backend="replica")
    store.record_snapshot(PROGRAM, metrics(4), second, backend="replica")
    store.record_snapshot(PROGRAM, metrics(4), second, backend="replica")  # the same second again: replaced
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
    assert (summary.campaigns, summary.private) == (("Rivers",), False)
    assert (summary.updated_at, summary.participants, summary.edits, summary.articles_edited) == (
        "2026-01-06T00:00:00Z", 2, 5, 2,
    )  # fmt: skip
    assert summary.messages == (Message("problem-unknown-wiki", ("xxwiki",)),)
    assert summary.edit_outcome == Message("outcome-saved", ("12",))
    assert [(p.username, p.status) for p in store.signups(PROGRAM.key)] == [
        ("Bob", SignupStatus.CONFIRMED), ("Carol", SignupStatus.CONFIRMED),
    ]  # fmt: skip

    history = store.snapshots(PROGRAM.key)
    assert [s.taken_at for s in history] == ["2026-01-05T00:00:00Z", "2026-01-06T00:00:00Z"]
    latest = history[-1]
    assert (latest.backend, latest.participants, latest.words_added, latest.page_views) == ("replica", 2, 12, None)
    assert latest.retention == (Retention(7, None, None), Retention(30, None, None))
    assert latest.wikidata == WikidataCounts(items_created=1)
    assert latest.alerts == (("devwiki", 0, "Ebro", "Proposed deletion"),)
    [(_, total, _views)] = store.snapshot_counts(PROGRAM.key, latest.taken_at, "total")
    assert total == Counts(edits=5, articles_edited=2, articles_created=2, bytes_added=90, uploads=1,
                           uploads_in_use=1, upload_usage=2)  # fmt: skip
    assert [(v, c.edits) for v, c, _ in store.snapshot_counts(PROGRAM.key, latest.taken_at, "wiki")] == [
        ("devcommons", 0), ("devwiki", 5),
    ]  # fmt: skip
    assert [v for v, _c, _ in store.snapshot_counts(PROGRAM.key, latest.taken_at, "article")] == [
        "devwiki|0|Ebro", "devwiki|0|Tajo",
    ]  # fmt: skip
    assert store.participants(PROGRAM.key, "2026-01-05T00:00:00Z") == [("Bob", 3, 1), ("Carol", 1, 1)]
    assert store.snapshot_uploads(PROGRAM.key, latest.taken_at) == [
        ("devcommons", "Map.png", "Carol", "2026-01-04T00:00:00Z", 2)
    ]
    # The pages using it, in order, with their views (None: not known); written again with the replaced snapshot.
    assert store.snapshot_upload_pages(PROGRAM.key, latest.taken_at, "devcommons", "Map.png") == [
        UsingPage("devwiki", "Ebro", 40), UsingPage("devwiki", "Tajo_río", None),
    ]  # fmt: skip
    assert store.snapshot_upload_pages(PROGRAM.key, latest.taken_at, "devcommons", "Other.png") == []

    # A later broken page records the problem but keeps the last good definition and numbers.
    store.record_status(
        key=PROGRAM.key, wiki="devwiki", title="Project:P", checked_at=datetime(2026, 1, 7, tzinfo=UTC), ok=False,
        messages=(Message("problem-date-missing", ("start",)),), edit_outcome=Message("outcome-not-published"),
    )  # fmt: skip
    [summary] = store.programs()
    assert (summary.ok, summary.name, summary.edits, summary.checked_at) == (False, "P <b>", 5, "2026-01-07T00:00:00Z")

    state = TrustState(last_revid=7, creator="Ana", trusted={"start": "2026-01-01"})
    store.record_trust_state(PROGRAM.key, state)
    assert store.trust_state(PROGRAM.key) == state
    assert store.trust_state("devwiki:404") == TrustState()


def prune(store: Store) -> None:
    """Snapshots older than the cutoff keep the last of each UTC day, with their counts and uploads; newer ones all."""
    store.record_program(PROGRAM)
    times = [datetime(2026, 1, 1, h, tzinfo=UTC) for h in (1, 9, 23)] + [datetime(2026, 1, 2, 5, tzinfo=UTC)]
    times += [datetime(2026, 2, 10, h, tzinfo=UTC) for h in (1, 2)]
    for when in times:
        store.record_snapshot(PROGRAM, metrics(2), when, backend="replica")
    store.prune_snapshots(PROGRAM.key, datetime(2026, 2, 1, tzinfo=UTC))
    kept = [s.taken_at for s in store.snapshots(PROGRAM.key)]
    assert kept == ["2026-01-01T23:00:00Z", "2026-01-02T05:00:00Z", "2026-02-10T01:00:00Z", "2026-02-10T02:00:00Z"]
    for taken_at in kept:
        assert store.snapshot_counts(PROGRAM.key, taken_at, "total")
        assert store.snapshot_uploads(PROGRAM.key, taken_at)
        assert len(store.snapshot_upload_pages(PROGRAM.key, taken_at, "devcommons", "Map.png")) == 2
    assert not store.snapshot_counts(PROGRAM.key, "2026-01-01T09:00:00Z", "total")
    assert not store.snapshot_uploads(PROGRAM.key, "2026-01-01T09:00:00Z")
    assert not store.snapshot_upload_pages(PROGRAM.key, "2026-01-01T09:00:00Z", "devcommons", "Map.png")


def test_sqlite(store: Store) -> None:
    exercise(store)


def test_sqlite_prune(store: Store) -> None:
    prune(store)


def test_mariadb(mariadb_database: str) -> None:
    store = Store.open(StateConfig(engine="mysql", host="127.0.0.1", database=mariadb_database))
    try:
        exercise(store)
        store.migrate()  # idempotent: the migrations are not applied twice
    finally:
        store.close()


def test_mariadb_prune(mariadb_database: str) -> None:
    store = Store.open(StateConfig(engine="mysql", host="127.0.0.1", database=mariadb_database))
    try:
        prune(store)
    finally:
        store.close()


def test_unknown_engine() -> None:
    with pytest.raises(ValueError, match="unknown state engine"):
        Store.open(StateConfig(engine="postgres"))
