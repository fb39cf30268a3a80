"""The update queue (bot/queue.py, Store.claim...) with a fixed clock, on SQLite and on MariaDB (ToolsDB's engine):
order, leases, a killed worker's program taken again, refresh rate limits and coalescing, the place in line; and two
workers on MariaDB sharing one queue without ever taking one program twice."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.clock import iso
from bot.config import Settings, StateConfig
from bot.program import Message
from bot.queue import Drained, drain
from bot.store import (
    QUEUE_CHANGED,
    QUEUE_REFRESH,
    QUEUE_SCHEDULED,
    LoggedEdit,
    QueueEntry,
    RefreshOutcome,
    Store,
)

T0 = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)
LEASE = timedelta(minutes=30)
WIKIS = ("devwiki",)


@pytest.fixture(params=["sqlite", "mysql"])
def state(request: pytest.FixtureRequest, tmp_path: Path) -> StateConfig:
    if request.param == "sqlite":
        return StateConfig(engine="sqlite", path=tmp_path / "state.sqlite3")
    database: str = request.getfixturevalue("mariadb_database")
    return StateConfig(engine="mysql", host="127.0.0.1", database=database)


@pytest.fixture
def queue(state: StateConfig) -> Iterator[Store]:
    store = Store.open(state)
    yield store
    store.close()


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def test_most_urgent_first_and_a_held_program_is_not_taken_twice(queue: Store) -> None:
    queue.enqueue("devwiki:1", "devwiki", 1, at(0), QUEUE_SCHEDULED, at(0))
    queue.enqueue("devwiki:2", "devwiki", 2, at(1), QUEUE_CHANGED, at(1))
    queue.enqueue("devwiki:3", "devwiki", 3, at(30), QUEUE_CHANGED, at(1))  # not due yet
    queue.enqueue("devcommons:4", "devcommons", 4, at(0), QUEUE_CHANGED, at(0))  # another wiki's worker's
    taken = queue.claim("A", at(2), LEASE, WIKIS)
    assert taken is not None and taken.key == "devwiki:2"  # a changed page before the schedule
    taken = queue.claim("B", at(2), LEASE, WIKIS)
    assert taken is not None and taken.key == "devwiki:1"
    assert queue.claim("C", at(2), LEASE, WIKIS) is None  # 2 and 1 are held, 3 is not due
    assert queue.queue_position("devwiki:1", at(2)) == 0  # running


def test_a_killed_workers_program_is_taken_again_after_its_lease(queue: Store) -> None:
    queue.enqueue("devwiki:1", "devwiki", 1, at(0), QUEUE_SCHEDULED, at(0))
    assert queue.claim("killed", at(0), LEASE, WIKIS) is not None
    assert queue.claim("B", at(29), LEASE, WIKIS) is None
    taken = queue.claim("B", at(30), LEASE, WIKIS)
    assert taken is not None and taken.key == "devwiki:1" and taken.lease_owner == "B"
    # The first worker comes back to life and finishes: it no longer holds the program, so nothing changes.
    queue.finish("devwiki:1", "killed", started_at=at(0), now=at(31), ok=True, due_at=at(60))
    entry = queue.queue_entry("devwiki:1")
    assert entry is not None and entry.lease_owner == "B" and entry.lease_until == at(60)
    queue.finish("devwiki:1", "B", started_at=at(30), now=at(32), ok=True, due_at=at(92))
    entry = queue.queue_entry("devwiki:1")
    assert entry is not None and entry.lease_owner is None and entry.due_at == at(92)
    runs = [(key, owner, ok) for key, owner, _start, _end, ok in queue.update_runs(T0)]
    assert runs == [("devwiki:1", "killed", True), ("devwiki:1", "B", True)]


def test_a_worker_takes_the_programs_it_finished_last_first_then_the_others(queue: Store) -> None:
    # A finished 1 and 2 last, B finished 3; 3 has been due the longest, 4 (a new program) nobody finished.
    for page, owner in ((1, "A"), (2, "A"), (3, "B")):
        queue.enqueue(f"devwiki:{page}", "devwiki", page, at(0), QUEUE_SCHEDULED, at(0))
        assert queue.claim(owner, at(0), LEASE, WIKIS) is not None
        queue.finish(f"devwiki:{page}", owner, started_at=at(0), now=at(1), ok=True, due_at=at(60 - page * 10))
    queue.enqueue("devwiki:4", "devwiki", 4, at(55), QUEUE_SCHEDULED, at(55))
    taken = [queue.claim("A", at(60), LEASE, WIKIS) for _ in range(3)]
    # Its own in due order (2 at 40, 1 at 50), then the earliest due of the others' (3 at 30, before 4 at 55).
    assert [entry.key if entry else None for entry in taken] == ["devwiki:2", "devwiki:1", "devwiki:3"]
    # B's program went to A; B, its own taken, takes what is left. A change still goes first, whoever owns it.
    entry = queue.claim("B", at(62), LEASE, WIKIS)
    assert entry is not None and entry.key == "devwiki:4"
    queue.finish("devwiki:2", "A", started_at=at(60), now=at(62), ok=True, due_at=at(62))
    queue.finish("devwiki:3", "A", started_at=at(60), now=at(62), ok=True, due_at=at(62))
    queue.enqueue("devwiki:5", "devwiki", 5, at(0), QUEUE_CHANGED, at(0))
    entry = queue.claim("B", at(63), LEASE, WIKIS)
    assert entry is not None and entry.key == "devwiki:5"  # a changed page before anyone's scheduled program
    entry = queue.claim("B", at(63), LEASE, WIKIS)
    assert entry is not None and entry.key == "devwiki:2"  # A's now, but B has none of its own due


def test_a_renewed_lease_keeps_the_program(queue: Store) -> None:
    queue.enqueue("devwiki:1", "devwiki", 1, at(0), QUEUE_SCHEDULED, at(0))
    assert queue.claim("A", at(0), LEASE, WIKIS) is not None
    queue.renew_lease("devwiki:1", "A", at(25) + LEASE)
    queue.renew_lease("devwiki:1", "B", at(200))  # only the holder renews
    assert queue.claim("B", at(40), LEASE, WIKIS) is None
    assert queue.claim("B", at(55), LEASE, WIKIS) is not None


def test_a_change_while_running_runs_it_again_and_frozen_leaves(queue: Store) -> None:
    queue.enqueue("devwiki:1", "devwiki", 1, at(0), QUEUE_SCHEDULED, at(0))
    assert queue.claim("A", at(0), LEASE, WIKIS) is not None
    queue.enqueue("devwiki:1", "devwiki", 1, at(1), QUEUE_CHANGED, at(1))  # the page changed meanwhile
    queue.finish("devwiki:1", "A", started_at=at(0), now=at(2), ok=True, due_at=at(60))
    entry = queue.queue_entry("devwiki:1")
    assert entry is not None and (entry.due_at, entry.priority) == (at(2), QUEUE_CHANGED)
    assert queue.claim("A", at(2), LEASE, WIKIS) is not None
    queue.finish("devwiki:1", "A", started_at=at(2), now=at(3), ok=True, due_at=None)  # frozen now
    assert queue.queue_entry("devwiki:1") is None


def test_refresh_is_coalesced_rate_limited_and_first_in_line(queue: Store) -> None:
    for page in (1, 2, 3):
        queue.enqueue(f"devwiki:{page}", "devwiki", page, at(60), QUEUE_SCHEDULED, at(0))
    queue.enqueue("devwiki:4", "devwiki", 4, at(0), QUEUE_SCHEDULED, at(0))
    queue.enqueue("devwiki:5", "devwiki", 5, at(0), QUEUE_CHANGED, at(0))

    def refresh(key: str, client: str, minutes: float) -> RefreshOutcome:
        return queue.request_refresh(key, client, at(minutes), program_every=timedelta(minutes=5), client_per_hour=2)

    assert refresh("devwiki:1", "c1", 1) is RefreshOutcome.QUEUED
    entry = queue.queue_entry("devwiki:1")
    assert entry is not None and (entry.due_at, entry.priority) == (at(1), QUEUE_REFRESH)
    assert queue.queue_position("devwiki:1", at(1)) == 1  # before the changed and the scheduled ones
    assert queue.queue_position("devwiki:5", at(1)) == 2
    assert queue.queue_position("devwiki:4", at(1)) == 3
    assert queue.queue_position("devwiki:2", at(1)) is None  # not due
    assert refresh("devwiki:1", "c2", 2) is RefreshOutcome.COALESCED  # already due: joins the queued run
    assert refresh("devwiki:4", "c2", 2) is RefreshOutcome.COALESCED
    # Taken and finished: a new refresh within 5 minutes of the last is refused, later accepted.
    assert queue.claim("A", at(2), LEASE, WIKIS) is not None
    queue.finish("devwiki:1", "A", started_at=at(2), now=at(3), ok=True, due_at=at(63))
    assert refresh("devwiki:1", "c2", 4) is RefreshOutcome.TOO_SOON
    assert refresh("devwiki:1", "c2", 6) is RefreshOutcome.QUEUED
    # Per client: two accepted per hour (c1's first was at minute 1; refused and coalesced ones do not count).
    assert refresh("devwiki:2", "c1", 7) is RefreshOutcome.QUEUED
    assert refresh("devwiki:3", "c1", 8) is RefreshOutcome.CLIENT_LIMIT
    queue.enqueue("devwiki:6", "devwiki", 6, at(120), QUEUE_SCHEDULED, at(8))
    assert refresh("devwiki:6", "c1", 62) is RefreshOutcome.QUEUED  # an hour after its first
    assert refresh("devwiki:9", "c3", 9) is RefreshOutcome.NOT_QUEUED  # frozen or unknown


def test_two_workers_share_the_queue_and_never_take_one_program_twice(
    mariadb_database: str, settings: Settings
) -> None:
    config = StateConfig(engine="mysql", host="127.0.0.1", database=mariadb_database)
    settings = replace(settings, state=config)
    setup = Store.open(config)
    keys = [f"devwiki:{page}" for page in range(1, 41)]
    for page, key in enumerate(keys, start=1):
        setup.enqueue(key, "devwiki", page, T0, QUEUE_SCHEDULED, T0)
    running: set[str] = set()
    overlaps: list[str] = []
    done: dict[str, list[str]] = {}
    lock = threading.Lock()

    def worker(owner: str) -> None:
        store = Store.open(config, migrate=False)

        def update(entry: QueueEntry, _now: datetime) -> tuple[bool, datetime | None]:
            with lock:
                if entry.key in running:
                    overlaps.append(entry.key)
                running.add(entry.key)
                done.setdefault(entry.key, []).append(owner)
            time.sleep(0.01)  # a real update takes a while: the other worker claims meanwhile
            with lock:
                running.discard(entry.key)
            return True, T0 + timedelta(hours=1)

        drain(store, settings, wikis=WIKIS, owner=owner, clock=lambda: T0 + timedelta(minutes=1), update=update)
        store.close()

    threads = [threading.Thread(target=worker, args=(name,)) for name in ("A", "B")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not overlaps
    assert sorted(done) == sorted(keys) and all(len(owners) == 1 for owners in done.values())
    assert {owner for owners in done.values() for owner in owners} == {"A", "B"}  # both did a share
    runs = setup.update_runs(T0)
    assert len(runs) == 40 and {key for key, *_rest in runs} == set(keys)
    assert all(entry.due_at == T0 + timedelta(hours=1) for entry in setup.queue())
    setup.close()


def test_the_bots_own_save_seen_by_another_planner_is_no_reason_to_run_again(queue: Store) -> None:
    """Worker B lists the page just after worker A saved the outcome, before A's save reached the edit log: B sees
    a newer revision and asks for another run; A's run, which made that revision, ends without one."""
    key = "devwiki:1"
    queue.record_status(key=key, wiki="devwiki", title="Project:P", checked_at=at(0), ok=True, messages=(),
                        edit_outcome=Message("outcome-saved", ("50",)))  # fmt: skip
    queue.enqueue(key, "devwiki", 1, at(0), QUEUE_SCHEDULED, at(0))
    assert queue.claim("A", at(0), LEASE, WIKIS) is not None
    queue.enqueue(key, "devwiki", 1, at(1), QUEUE_CHANGED, at(1), page_revid=50)  # B saw A's save
    queue.log_edit(LoggedEdit("devwiki", "Project:P", key, "outcome", "saved", 50, "", iso(at(1))))
    queue.finish(key, "A", started_at=at(0), now=at(2), ok=True, due_at=at(60))
    entry = queue.queue_entry(key)
    assert entry is not None and entry.due_at == at(60)  # no second run
    # An organizer's edit (a newer revision) during the run does bring it back at once.
    assert queue.claim("A", at(60), LEASE, WIKIS) is not None
    queue.enqueue(key, "devwiki", 1, at(61), QUEUE_CHANGED, at(61), page_revid=51)
    queue.log_edit(LoggedEdit("devwiki", "Project:P", key, "outcome", "no_change", None, "", iso(at(61))))
    queue.finish(key, "A", started_at=at(60), now=at(62), ok=True, due_at=at(120))
    entry = queue.queue_entry(key)
    assert entry is not None and entry.due_at == at(62)


def test_a_drain_that_took_every_due_program_once_says_when_they_are_due_again(
    queue: Store, state: StateConfig, settings: Settings
) -> None:
    """Three programs on a 3-minute interval, each update 2 minutes long: by the time the drain has taken each once
    (minute 6), the first two are due again (minutes 3 and 5). The drain ends (each program once), and says so: the
    job then ticks again at once instead of sleeping while they wait. Programs due again only because their update
    failed, or asked to be retried (due at its own start), wait for the next tick; so do programs nobody updated in
    this drain, and one another worker holds."""
    settings = replace(settings, state=state)
    clock = [at(0)]
    for page in (1, 2, 3):
        queue.enqueue(f"devwiki:{page}", "devwiki", page, at(0), QUEUE_SCHEDULED, at(0))
    taken: list[str] = []

    def update(entry: QueueEntry, started: datetime) -> tuple[bool, datetime | None]:
        taken.append(entry.key)
        clock[0] = started + timedelta(minutes=2)
        return True, started + timedelta(minutes=3)

    drained = drain(queue, settings, wikis=WIKIS, owner="A", clock=lambda: clock[0], update=update)
    assert taken == ["devwiki:1", "devwiki:2", "devwiki:3"]  # each once, although 1 was due again at minute 5
    assert (drained.ran, drained.due_again) == (3, True)
    assert [(e.key, e.due_at) for e in queue.queue()] == [("devwiki:1", at(3)), ("devwiki:2", at(5)),
                                                          ("devwiki:3", at(7))]  # fmt: skip
    # The next tick at once (minute 6): the two due again, and nothing else.
    taken.clear()
    drained = drain(queue, settings, wikis=WIKIS, owner="A", clock=lambda: clock[0], update=update)
    assert taken == ["devwiki:1", "devwiki:2", "devwiki:3"]  # 3 fell due at minute 7, during the drain
    assert (drained.ran, drained.due_again) == (3, True)  # 1 (due at minute 9) is due again at minute 12

    def fresh_queue() -> None:
        for entry in queue.queue():
            queue.forget_queued(entry.key)

    # Nothing due again when the drain ends: the worker sleeps to its next tick.
    fresh_queue()
    clock[0] = at(100)
    for page in (1, 2, 3):
        queue.enqueue(f"devwiki:{page}", "devwiki", page, at(100), QUEUE_SCHEDULED, at(100))
    taken.clear()

    def hourly(entry: QueueEntry, started: datetime) -> tuple[bool, datetime | None]:
        taken.append(entry.key)
        clock[0] = started + timedelta(minutes=2)
        return True, started + timedelta(minutes=60)

    drained = drain(queue, settings, wikis=WIKIS, owner="A", clock=lambda: clock[0], update=hourly)
    assert (taken, drained.ran, drained.due_again) == (["devwiki:1", "devwiki:2", "devwiki:3"], 3, False)

    # A failed update, or one asked to be retried, is due again at once, but waits for the next tick.
    fresh_queue()
    clock[0] = at(200)
    for page in (1, 2):
        queue.enqueue(f"devwiki:{page}", "devwiki", page, at(200), QUEUE_SCHEDULED, at(200))
    outcomes = {"devwiki:1": False, "devwiki:2": True}

    def retried(entry: QueueEntry, started: datetime) -> tuple[bool, datetime | None]:
        clock[0] = started + timedelta(minutes=1)
        return outcomes[entry.key], started

    drained = drain(queue, settings, wikis=WIKIS, owner="A", clock=lambda: clock[0], update=retried)
    assert (drained.ran, drained.due_again) == (2, False)
    assert queue.due_count(["devwiki:1", "devwiki:2"], clock[0]) == 2  # both due, for the next tick

    # A program held by another worker is never counted as due again (nor taken: leases as ever).
    fresh_queue()
    clock[0] = at(300)
    queue.enqueue("devwiki:1", "devwiki", 1, at(300), QUEUE_SCHEDULED, at(300))
    queue.enqueue("devwiki:2", "devwiki", 2, at(300), QUEUE_SCHEDULED, at(300))
    taken.clear()
    drained = drain(queue, settings, wikis=WIKIS, owner="A", clock=lambda: clock[0], update=update)
    assert (taken, drained.due_again) == (["devwiki:1", "devwiki:2"], True)  # 1 due at 303, now 304
    assert queue.claim("B", clock[0], LEASE, WIKIS) is not None  # B takes 1 (due again) before A's next tick
    assert queue.due_count(["devwiki:1", "devwiki:2"], clock[0]) == 0  # 1 held by B, 2 due at 305
    assert queue.due_count([], clock[0]) == 0


def test_the_job_ticks_again_at_once_while_programs_it_updated_are_due_again(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """bot/scheduler.py: a tick whose drain says programs it updated are due again is followed at once by another
    (pages read and planned again), until one says none is; then the job waits for its grid. A failed cycle ends
    the loop (the next interval retries it, as before)."""
    from bot import scheduler

    said = [Drained(1000, True), Drained(400, True), Drained(12, False)]
    calls: list[int] = []

    def run_update(*_args: object, on_drained: Callable[[Drained], None], **_kwargs: object) -> list[object]:
        calls.append(len(calls))
        if len(calls) == 4:
            raise RuntimeError("the state database is gone")
        on_drained(said[len(calls) - 1])
        return []

    class Grid:
        """APScheduler's place: runs the job twice (two points of the grid) and stops."""

        def __init__(self, **_kwargs: object) -> None:
            self.jobs: list[Callable[[], None]] = []

        def add_job(self, job: Callable[[], None], *_args: object, **_kwargs: object) -> None:
            self.jobs.append(job)

        def start(self) -> None:
            for job in self.jobs:
                job()
                assert calls == [0, 1, 2]  # three ticks back to back, the last with nothing due again
                job()  # the next point of the grid: the fourth tick fails, and the loop ends with it

        def shutdown(self, wait: bool) -> None:
            raise AssertionError("one failed cycle is not a reason to give up")

    monkeypatch.setattr(scheduler, "run_update", run_update)
    monkeypatch.setattr(scheduler, "BlockingScheduler", Grid)
    store = Store.open(settings.state)
    try:
        assert scheduler.run_forever(settings, store) == 0
    finally:
        store.close()
    assert calls == [0, 1, 2, 3]
