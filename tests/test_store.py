"""The state database keeps definitions, sign-ups, statuses and snapshot history, on SQLite and MariaDB alike."""

from __future__ import annotations

import json
from dataclasses import asdict, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from bot import store as store_module
from bot.aggregate import aggregate
from bot.config import StateConfig
from bot.goals import GoalProgress
from bot.metrics import Counts, DayFigures, Retention, RevisionFact, UploadFact, UsingPage, WikidataCounts
from bot.program import Message, Program, SignupStatus
from bot.store import LedgerState, Store
from bot.trust import TrustState
from tests.programs import make_program

PROGRAM_TEXT = "{{Program|name=P <b>|start=2026-01-01|end=2026-01-31|wikis=devwiki, devcommons|campaign=Rivers}}"
PROGRAM = make_program(PROGRAM_TEXT, ("Bob", "Carol"))
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
    for index, when in enumerate(times):  # numbers that differ from the last snapshot's: a new snapshot each time
        store.record_snapshot(PROGRAM, metrics(2 + index % 2), when, backend="replica")
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


def names_that_differ_by_case_or_accents(store: Store) -> None:
    """José, Jose and JOSE are three people (MediaWiki usernames and titles compare exactly); so are the articles
    Ebro and EBRO: each keeps its own sign-up and counts rows."""
    names = ("José", "Jose", "JOSE")
    program = make_program(PROGRAM_TEXT, names)
    facts = [
        RevisionFact("devwiki", n + 1, name, n + 1, 0, title, START + timedelta(days=1), 10 * (n + 1), 0, 0)
        for n, (name, title) in enumerate(zip(names, ("Ebro", "EBRO", "Ébro"), strict=True))
    ]
    result = aggregate(participants=program.confirmed, window=program.window, timezone="UTC",
                       now=START + timedelta(days=5), revisions=facts)  # fmt: skip
    store.record_program(program)
    store.record_snapshot(program, result, START + timedelta(days=5), backend="replica")
    assert sorted(p.username for p in store.signups(program.key)) == sorted(names)
    taken_at = store.snapshots(program.key)[-1].taken_at
    by_name = {
        name: counts.bytes_added for name, counts, _ in store.snapshot_counts(program.key, taken_at, "participant")
    }
    assert by_name == {"José": 10, "Jose": 20, "JOSE": 30}
    articles = {value: counts.edits for value, counts, _ in store.snapshot_counts(program.key, taken_at, "article")}
    assert articles == {"devwiki|0|Ebro": 1, "devwiki|0|EBRO": 1, "devwiki|0|Ébro": 1}


def test_unknown_engine() -> None:
    with pytest.raises(ValueError, match="unknown state engine"):
        Store.open(StateConfig(engine="postgres"))


def rows(store: Store, table: str, key: str = PROGRAM.key) -> list[tuple[object, ...]]:
    """Every row of one snapshot table for a program, as stored (in key order)."""
    mark = "?" if store._paramstyle == "named" else "%s"
    cursor = store._connection.cursor()
    try:
        cursor.execute(f"SELECT * FROM {table} WHERE program_key = {mark} ORDER BY 1, 2, 3, 4", (key,))
        return [tuple(row) for row in cursor.fetchall()]
    finally:
        cursor.close()


GOALS = (GoalProgress("edits", 10, False, 10, 4, None), GoalProgress("edits", 2, True, 4, 4, date(2026, 1, 4)))


def with_days(numbers):  # type: ignore[no-untyped-def]
    """The numbers with per-day figures (words, references, views, Wikidata) on two days."""
    days = {
        date(2026, 1, 2): DayFigures(words_added=5, references_added=1, references_removed=0, page_views=30),
        date(2026, 1, 3): DayFigures(words_added=7, wikidata=WikidataCounts(items_created=1)),
    }
    return replace(numbers, day_figures=days)


STAMP = "2026-01-05T10:00:00Z"
COUNTS_ROWS = [  # metrics(3): as the rows were written one INSERT each before (same values, same columns)
    (PROGRAM.key, STAMP, "article", "devwiki|0|Ebro", 3, 0, 1, 1, 0, 30, 0, 0, 0, 0, None),
    (PROGRAM.key, STAMP, "article", "devwiki|0|Tajo", 1, 0, 1, 1, 0, 50, 0, 0, 0, 0, None),
    (PROGRAM.key, STAMP, "day", "2026-01-02", 1, 0, 1, 1, 0, 10, 0, 0, 0, 0, None),
    (PROGRAM.key, STAMP, "day", "2026-01-03", 2, 0, 2, 1, 0, 60, 0, 0, 0, 0, None),
    (PROGRAM.key, STAMP, "day", "2026-01-04", 1, 0, 1, 0, 0, 10, 0, 1, 1, 2, None),
    (PROGRAM.key, STAMP, "participant", "Bob", 3, 0, 1, 1, 0, 30, 0, 0, 0, 0, None),
    (PROGRAM.key, STAMP, "participant", "Carol", 1, 0, 1, 1, 0, 50, 0, 1, 1, 2, None),
    (PROGRAM.key, STAMP, "total", "", 4, 0, 2, 2, 0, 80, 0, 1, 1, 2, None),
    (PROGRAM.key, STAMP, "wiki", "devcommons", 0, 0, 0, 0, 0, 0, 0, 1, 1, 2, None),
    (PROGRAM.key, STAMP, "wiki", "devwiki", 4, 0, 2, 2, 0, 80, 0, 0, 0, 0, None),
]
UPLOAD_ROWS = [(PROGRAM.key, STAMP, "devcommons", "Map.png", "Carol", "2026-01-04T00:00:00Z", 2)]
DAY_ROWS = [
    (PROGRAM.key, STAMP, "2026-01-02", 5, 1, 0, 30, None),
    (PROGRAM.key, STAMP, "2026-01-03", 7, None, None, None, json.dumps(asdict(WikidataCounts(items_created=1)))),
]
GOAL_ROWS = [
    (PROGRAM.key, STAMP, 0, "edits", 0, 10, 10, 4, None),
    (PROGRAM.key, STAMP, 1, "edits", 1, 2, 4, 4, "2026-01-04"),
]


def unchanged_updates(store: Store) -> None:
    """A snapshot's rows go in multi-row INSERTs, the same rows as before. An update whose numbers equal the last
    snapshot's stores no new rows: the last snapshot is re-stamped (the site's last update is the new time, its
    numbers and breakdowns those stored first); a changed one adds a snapshot with its rows. Pruning keeps the rows
    a kept snapshot shares."""

    def stamp(day: int, hour: int, minute: int) -> datetime:
        return datetime(2026, 1, day, hour, minute, tzinfo=UTC)

    def history() -> list[str]:
        return [s.taken_at for s in store.snapshots(PROGRAM.key)]

    def latest() -> tuple[str | None, int | None, int | None]:
        [summary] = store.programs()
        return summary.updated_at, summary.edits, summary.articles_edited

    store.record_program(PROGRAM)
    store.record_snapshot(PROGRAM, with_days(metrics(3)), stamp(5, 10, 0), backend="replica", goals=GOALS)
    written = {
        "snapshot_counts": COUNTS_ROWS, "snapshot_upload": UPLOAD_ROWS, "snapshot_day": DAY_ROWS,
        "snapshot_goal": GOAL_ROWS,
    }  # fmt: skip
    assert {table: rows(store, table) for table in written} == written
    store.record_status(key=PROGRAM.key, wiki="devwiki", title="Project:P", checked_at=stamp(5, 10, 0), ok=True,
                        messages=(), edit_outcome=Message("outcome-saved", ("1",)))  # fmt: skip
    assert latest() == ("2026-01-05T10:00:00Z", 4, 2)

    # Unchanged, 3 minutes later: a snapshot row at the new time sharing the first one's rows.
    store.record_snapshot(PROGRAM, with_days(metrics(3)), stamp(5, 10, 3), backend="replica", goals=GOALS)
    assert history() == ["2026-01-05T10:00:00Z", "2026-01-05T10:03:00Z"]
    assert latest() == ("2026-01-05T10:03:00Z", 4, 2)
    assert {table: rows(store, table) for table in written} == written  # no row added, none changed
    # Unchanged again: that row moves to the new time (the run keeps its first and last time).
    store.record_snapshot(PROGRAM, with_days(metrics(3)), stamp(5, 10, 6), backend="replica", goals=GOALS)
    assert history() == ["2026-01-05T10:00:00Z", "2026-01-05T10:06:00Z"]
    assert latest() == ("2026-01-05T10:06:00Z", 4, 2)
    assert {table: rows(store, table) for table in written} == written
    first, last = store.snapshots(PROGRAM.key)
    assert replace(last, taken_at=first.taken_at) == first  # the same numbers
    for taken_at in history():  # every reader finds the shared rows under either time
        assert store.snapshot_counts(PROGRAM.key, taken_at, "total")[0][1].edits == 4
        assert store.participants(PROGRAM.key, taken_at) == [("Bob", 3, 1), ("Carol", 1, 1)]
        assert store.snapshot_uploads(PROGRAM.key, taken_at) == [
            ("devcommons", "Map.png", "Carol", "2026-01-04T00:00:00Z", 2)
        ]
        assert store.snapshot_days(PROGRAM.key, taken_at) == [
            (day.isoformat(), figures) for day, figures in sorted(with_days(metrics(3)).day_figures.items())
        ]
        assert store.snapshot_goals(PROGRAM.key, taken_at) == list(GOALS)
    # Unchanged on the next UTC day: a new row (one per day, what pruning keeps), not a move.
    store.record_snapshot(PROGRAM, with_days(metrics(3)), stamp(6, 0, 1), backend="replica", goals=GOALS)
    assert history() == ["2026-01-05T10:00:00Z", "2026-01-05T10:06:00Z", "2026-01-06T00:01:00Z"]
    assert {table: rows(store, table) for table in written} == written
    # Other goals, or other numbers, make another snapshot.
    store.record_snapshot(PROGRAM, with_days(metrics(3)), stamp(6, 0, 4), backend="replica", goals=GOALS[:1])
    assert len(rows(store, "snapshot_counts")) == 20 and len(rows(store, "snapshot_goal")) == 3
    store.record_snapshot(PROGRAM, with_days(metrics(4)), stamp(6, 0, 7), backend="replica", goals=GOALS[:1])
    assert history() == ["2026-01-05T10:00:00Z", "2026-01-05T10:06:00Z", "2026-01-06T00:01:00Z",
                         "2026-01-06T00:04:00Z", "2026-01-06T00:07:00Z"]  # fmt: skip
    assert latest() == ("2026-01-06T00:07:00Z", 5, 2)
    assert len(rows(store, "snapshot_counts")) == 20 + 11  # Bob's 4th edit adds a day
    assert store.snapshot_counts(PROGRAM.key, "2026-01-06T00:01:00Z", "total")[0][1].edits == 4
    # Back to the first numbers: a new snapshot (compared with the last one only).
    store.record_snapshot(PROGRAM, with_days(metrics(3)), stamp(6, 0, 10), backend="replica", goals=GOALS)
    assert len(rows(store, "snapshot_counts")) == 20 + 11 + 10

    # Pruning before 00:05 on the 6th keeps the last snapshot of each day: the 5th's is 10:06, whose rows are the
    # 10:00 one's (kept); 00:01 shared them too and had none of its own.
    store.prune_snapshots(PROGRAM.key, stamp(6, 0, 5))
    assert history() == ["2026-01-05T10:06:00Z", "2026-01-06T00:04:00Z", "2026-01-06T00:07:00Z",
                         "2026-01-06T00:10:00Z"]  # fmt: skip
    assert len(rows(store, "snapshot_counts")) == 10 + 10 + 11 + 10 and len(rows(store, "snapshot_goal")) == 6
    assert store.snapshot_counts(PROGRAM.key, "2026-01-05T10:06:00Z", "total")[0][1].edits == 4
    assert store.snapshot_goals(PROGRAM.key, "2026-01-05T10:06:00Z") == list(GOALS)
    # Before noon on the 6th: the 6th keeps 00:10 only; the rows of 00:04 and 00:07 go.
    store.prune_snapshots(PROGRAM.key, stamp(6, 12, 0))
    assert history() == ["2026-01-05T10:06:00Z", "2026-01-06T00:10:00Z"]
    assert [row[:2] for row in rows(store, "snapshot_goal")] == [(PROGRAM.key, STAMP)] * 2 + [
        (PROGRAM.key, "2026-01-06T00:10:00Z")
    ] * 2
    assert len(rows(store, "snapshot_counts")) == 20 and len(rows(store, "snapshot_upload")) == 2
    assert len(rows(store, "snapshot_day")) == 4
    assert store.participants(PROGRAM.key, "2026-01-05T10:06:00Z") == [("Bob", 3, 1), ("Carol", 1, 1)]


def program_writes(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """``record_program`` writes the definition and the sign-ups only when they changed."""
    executed: list[str] = []
    run, many = store._run, store._execute_many

    def run_logged(name: str, params: Any, parts: Any = None) -> list[tuple[Any, ...]]:
        executed.append(name)
        return run(name, params, parts)

    def many_logged(name: str, rows: Any) -> None:
        executed.append(f"{name} x{len(rows)}")
        many(name, rows)

    monkeypatch.setattr(store, "_run", run_logged)
    monkeypatch.setattr(store, "_execute_many", many_logged)

    def recorded(program: Program) -> list[str]:
        executed.clear()
        store.record_program(program)
        return list(executed)

    assert recorded(PROGRAM) == [
        "program_digests", "delete_program", "insert_program", "delete_participants", "insert_participant x2",
    ]  # fmt: skip
    assert recorded(PROGRAM) == ["program_digests"]  # unchanged: nothing written
    joined = make_program(PROGRAM_TEXT, ("Bob", "Carol", "Dan"))
    assert recorded(joined) == [
        "program_digests", "update_participants_digest", "delete_participants", "insert_participant x3",
    ]  # fmt: skip
    assert [p.username for p in store.signups(PROGRAM.key)] == ["Bob", "Carol", "Dan"]
    renamed = make_program(
        "{{Program|name=Q|start=2026-01-01|end=2026-01-31|wikis=devwiki, devcommons|campaign=Rivers}}",
        ("Bob", "Carol", "Dan"),
    )
    assert recorded(renamed) == ["program_digests", "delete_program", "insert_program"]  # the sign-ups are the same
    assert recorded(renamed) == ["program_digests"]
    store.record_status(key=PROGRAM.key, wiki="devwiki", title="Project:P", checked_at=START, ok=True, messages=(),
                        edit_outcome=Message("outcome-saved", ("1",)))  # fmt: skip
    [summary] = store.programs()
    assert (summary.name, summary.tracked_wikis, summary.campaigns) == ("Q", ("devwiki", "devcommons"), ("Rivers",))
    assert [(p.username, p.status, p.revision) for p in store.signups(PROGRAM.key)] == [
        ("Bob", SignupStatus.CONFIRMED, 1), ("Carol", SignupStatus.CONFIRMED, 1), ("Dan", SignupStatus.CONFIRMED, 1),
    ]  # fmt: skip
    assert recorded(PROGRAM) == [
        "program_digests", "delete_program", "insert_program", "delete_participants", "insert_participant x2",
    ]  # fmt: skip
    assert [p.username for p in store.signups(PROGRAM.key)] == ["Bob", "Carol"]


def test_round_trip(any_store: Store) -> None:
    exercise(any_store)
    any_store.migrate()  # idempotent: the migrations are not applied twice


def test_prune(any_store: Store) -> None:
    prune(any_store)


def test_names_that_differ_by_case_or_accents(any_store: Store) -> None:
    names_that_differ_by_case_or_accents(any_store)


def test_unchanged_updates(any_store: Store) -> None:
    unchanged_updates(any_store)


def test_program_writes(any_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    program_writes(any_store, monkeypatch)


AWKWARD = ("O'Brien", "back\\slash", 'say "hi"', "50%_off", ":title {braces}", "emoji_🦫", "tab\tand\nnewline", "")


def ledger_rows(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """The rows a recount and an update write are the facts read back, whatever their strings (quotes, backslashes,
    percent signs, colons and braces, astral characters), over several multi-row statements on MariaDB and with
    each row's counted flag and day; an update replaces the rows it re-read and keeps the others."""
    monkeypatch.setattr(store_module, "LEDGER_STATEMENT_BYTES", 2000)  # several statements for these rows on MariaDB
    statements: list[str] = []
    if store._paramstyle == "pyformat":
        execute = type(store._connection.cursor()).execute

        def logged(cursor: Any, query: str, args: Any = None) -> Any:
            if query.startswith(("INSERT INTO ledger_revision", "REPLACE INTO ledger_revision")):
                statements.append(query.split(" ", 1)[0])
            return execute(cursor, query, args)

        monkeypatch.setattr(type(store._connection.cursor()), "execute", logged)
    facts = [
        RevisionFact(
            "devwiki", rev, f"{AWKWARD[rev % len(AWKWARD)]} Bob", rev % 7, rev % 3, AWKWARD[(rev * 3) % len(AWKWARD)],
            START + timedelta(minutes=rev), 10 * rev, 3 * rev, rev - 1, deleted=rev % 5 == 0,
        )
        for rev in range(1, 121)
    ]  # fmt: skip
    days = {fact.rev_id: None if fact.rev_id % 4 == 0 else fact.timestamp.date().isoformat() for fact in facts}
    state = LedgerState("f" * 64, START, START, "c" * 64, "w" * 32)
    store.record_ledger(PROGRAM.key, "devwiki", state, upsert=facts, replace_all=True, days=days)
    assert sorted(store.ledger_revisions(PROGRAM.key, "devwiki"), key=lambda fact: fact.rev_id) == facts
    assert store.ledger_counted(PROGRAM.key, "devwiki") == {rev: day for rev, day in days.items() if day is not None}
    assert store.ledger_state(PROGRAM.key, "devwiki") == state
    if store._paramstyle == "pyformat":
        assert len(statements) > 2 and set(statements) == {"INSERT"}  # a recount inserts into an emptied ledger

    statements.clear()
    changed = [replace(fact, title=f"{fact.title}'s", size=fact.size + 1) for fact in facts[:30]]
    later = replace(state, read_until=START + timedelta(hours=1), written="v" * 32)
    store.record_ledger(PROGRAM.key, "devwiki", later, upsert=changed, remove=[100], days={1: "2026-01-02"})
    expected = [*changed, *(fact for fact in facts[30:] if fact.rev_id != 100)]
    assert sorted(store.ledger_revisions(PROGRAM.key, "devwiki"), key=lambda fact: fact.rev_id) == expected
    counted = {rev: day for rev, day in days.items() if day is not None and rev > 30 and rev != 100}
    assert store.ledger_counted(PROGRAM.key, "devwiki") == {1: "2026-01-02", **counted}
    if store._paramstyle == "pyformat":
        assert statements and set(statements) == {"REPLACE"}

    store.record_ledger(PROGRAM.key, "devwiki", state, upsert=facts, replace_all=True, days=days)  # a recount again
    assert sorted(store.ledger_revisions(PROGRAM.key, "devwiki"), key=lambda fact: fact.rev_id) == facts


def test_ledger_rows(any_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    ledger_rows(any_store, monkeypatch)


def test_ledger_rows_without_backslash_escapes(mariadb_database: str) -> None:
    """A server in NO_BACKSLASH_ESCAPES mode reads a backslash literally: the rendered rows are quoted the way the
    connection's mode wants (pymysql's escape follows the server's status)."""
    store = Store.open(StateConfig(engine="mysql", host="127.0.0.1", database=mariadb_database))
    try:
        with store._connection.cursor() as cursor:
            cursor.execute("SET SESSION sql_mode = CONCAT(@@sql_mode, ',NO_BACKSLASH_ESCAPES')")
        facts = [
            RevisionFact("devwiki", rev, "Bob", 7, 0, title, START + timedelta(minutes=rev), 10, 0, 0)
            for rev, title in enumerate(AWKWARD, start=1)
        ]
        state = LedgerState("f" * 64, START, START)
        store.record_ledger(PROGRAM.key, "devwiki", state, upsert=facts, replace_all=True)
        assert sorted(store.ledger_revisions(PROGRAM.key, "devwiki"), key=lambda fact: fact.rev_id) == facts
    finally:
        store.close()
