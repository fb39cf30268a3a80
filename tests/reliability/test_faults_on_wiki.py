"""Faults a Toolforge job meets every week, produced for real on the dev wikis: the wiki's server stops mid-run, the
state database connection is killed mid-run, every save meets an edit conflict, and the bot is SIGKILLed
mid-cycle. Afterwards no snapshot is half-written, no edit is duplicated, the failure is visible in the store (what
the site shows), and the next cycle completes.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pymysql
import pytest
import yaml

from bot import update as update_module
from bot.clock import utcnow
from bot.config import PROJECT_ROOT, Settings, StateConfig
from bot.store import Store
from bot.update import run_update
from devtools.wikiuser import WikiUser
from tests.conftest import devwiki
from tests.programs import current_program


def seed(names: tuple[str, ...]) -> WikiUser:
    alice = WikiUser.on("devwiki", "Alice")
    for name in names:
        alice.edit(f"Project:{name}", current_program(name, body="* {{Program sign-up|user=Alice}}"))
    alice.edit("Ebro", "River.")
    return alice


def outcomes_on(admin: WikiUser, title: str) -> int:
    return (admin.page_text(title) or "").count("{{Program outcome")


def assert_snapshots_whole(store: Store) -> None:
    """Every stored snapshot has its totals row: a snapshot is written in one transaction or not at all."""
    for summary in store.programs():
        for snapshot in store.snapshots(summary.key):
            assert store.snapshot_counts(summary.key, snapshot.taken_at, "total"), (summary.key, snapshot.taken_at)


@pytest.mark.usefixtures("templates_installed")
def test_wiki_server_stopped_mid_run(settings: Settings, store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """The PHP server dies after the first program was counted: that program's edit fails as a named outcome,
    the rest of the run goes on, and once the wiki is back the next cycle completes."""
    admin = WikiUser.on("devwiki", "Admin")
    seed(("One", "Two"))
    real = update_module.program_metrics
    stopped: list[bool] = []

    def stop_after_counting(*args: Any, **kwargs: Any) -> Any:
        result = real(*args, **kwargs)
        if not stopped:
            devwiki("stop")
            stopped.append(True)
        return result

    monkeypatch.setattr(update_module, "program_metrics", stop_after_counting)
    try:
        results = run_update(settings, store, utcnow())
    finally:
        devwiki("up")
    monkeypatch.undo()
    assert stopped and all(r.edit is None or r.edit.code == "error" for r in results), results
    assert any(e.outcome == "error" for e in store.edit_log())  # on the site's edit log
    assert_snapshots_whole(store)

    from bot import wiki as bot_wiki

    bot_wiki.forget_logins()
    again = run_update(settings, store, utcnow())
    assert all(r.ok and r.edit is not None and r.edit.saved for r in again), again
    assert outcomes_on(admin, "Project:One") == outcomes_on(admin, "Project:Two") == 1


@pytest.fixture
def mariadb_store(settings: Settings, mariadb_database: str) -> Iterator[tuple[Settings, Store]]:
    config = StateConfig(engine="mysql", database=mariadb_database, host="127.0.0.1")
    opened = Store.open(config)
    yield replace(settings, state=config), opened
    opened.close()


@pytest.mark.usefixtures("templates_installed")
def test_state_database_connection_killed_mid_run(
    mariadb_store: tuple[Settings, Store], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The state database drops the bot's connection in the middle of a program (as ToolsDB does on restarts):
    that program fails and says so, the store reconnects for the next one, and the next cycle completes."""
    settings, store = mariadb_store
    admin = WikiUser.on("devwiki", "Admin")
    seed(("One", "Two"))
    killer = pymysql.connect(host="127.0.0.1", user="root", autocommit=True)
    real_many = Store._execute_many
    real_record = Store.record_snapshot
    killed: list[str] = []
    current: list[str] = []

    def record(self: Store, program: Any, *args: Any, **kwargs: Any) -> None:
        current[:] = [program.title]
        real_record(self, program, *args, **kwargs)

    def kill_mid_snapshot(self: Store, name: str, rows: Any) -> None:
        """The first snapshot loses its connection after its row, before its counts (written in one multi-row
        statement): inside the transaction."""
        if name == "insert_snapshot_counts" and not killed:
            killed.extend(current)
            with self._connection.cursor() as cursor:
                cursor.execute("SELECT CONNECTION_ID()")
                (connection_id,) = cursor.fetchone()
            with killer.cursor() as cursor:
                cursor.execute(f"KILL {int(connection_id)}")
        real_many(self, name, rows)

    monkeypatch.setattr(Store, "record_snapshot", record)
    monkeypatch.setattr(Store, "_execute_many", kill_mid_snapshot)
    results = {r.title: r for r in run_update(settings, store, utcnow())}
    monkeypatch.undo()
    killer.close()
    [victim] = killed
    assert not results[victim].ok
    assert [m.key for m in results[victim].messages] == ["problem-internal"]
    assert all(r.ok for title, r in results.items() if title != victim)
    statuses = {s.title: s for s in store.programs()}
    assert not statuses[victim].ok  # visible on the site
    assert_snapshots_whole(store)

    again = run_update(settings, store, utcnow())
    assert all(r.ok for r in again)
    assert all(s.ok and s.updated_at for s in store.programs())
    assert outcomes_on(admin, "Project:One") == outcomes_on(admin, "Project:Two") == 1


@pytest.mark.usefixtures("templates_installed")
def test_edit_conflict_on_every_write(settings: Settings, store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """Mallory saves the program page just before each of the bot's saves, at the place the bot writes: the wiki
    answers edit conflict (or merges, when it can); the bot retries on the fresh text, never loses her edit, never
    writes its outcome twice, and names the outcome in its log."""
    from pywikibot import Page

    admin, mallory = WikiUser.on("devwiki", "Admin"), WikiUser.on("devwiki", "Mallory")
    seed(("One",))
    real_save: Callable[..., Any] = Page.save
    concurrent: list[str] = []

    def conflicting_save(self: Any, *args: Any, **kwargs: Any) -> Any:
        if self.title().endswith(":One"):
            current = admin.page_text("Project:One") or ""
            line = f"Mallory was here ({len(concurrent)})."
            mallory.edit("Project:One", current.replace("}}\n", f"}}}}\n{line}\n", 1))
            concurrent.append(line)
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(Page, "save", conflicting_save)
    [result] = run_update(settings, store, utcnow())
    monkeypatch.undo()
    assert result.edit is not None and result.edit.code in ("saved", "edit_conflict"), result.edit
    assert concurrent
    assert outcomes_on(admin, "Project:One") == (1 if result.edit.saved else 0)
    retries = int(result.edit.detail or 0) if result.edit.saved else 3
    assert len(concurrent) == retries + (1 if result.edit.saved else 0)
    logged = [e.outcome for e in store.edit_log(program_key=store.programs()[0].key) if e.kind == "outcome"]
    assert logged == [result.edit.code]

    [again] = run_update(settings, store, utcnow())
    assert again.edit is not None and again.edit.code in ("saved", "no_change")
    assert outcomes_on(admin, "Project:One") == 1


@pytest.mark.usefixtures("templates_installed")
def test_an_edit_saved_in_the_same_second_as_the_bots_base_is_never_lost(
    settings: Settings, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Alice edits a program page just before the bot reads it, and Mallory just before the bot saves. When
    Mallory's edit falls in the same second as Alice's (the revision the bot read), MediaWiki 1.39, given that base
    timestamp, takes her edit for the bot's own and lets the bot overwrite it. The bot sends the base revision id
    only, so her text survives every time, merged by the wiki or after a retry."""
    from pywikibot import Page

    admin, alice, mallory = (WikiUser.on("devwiki", n) for n in ("Admin", "Alice", "Mallory"))
    names = tuple(f"P{number}" for number in range(12))  # enough that at least one edit shares its second
    seed(names)
    real_get: Callable[..., Any] = Page.get
    real_save: Callable[..., Any] = Page.save
    primed: set[str] = set()
    touched: set[str] = set()
    same_second = []

    def fresh_base(self: Any, *args: Any, **kwargs: Any) -> Any:
        title = self.title()
        if title.startswith("Dev Wiki:P") and title not in primed:
            primed.add(title)
            alice.edit(title, appendtext="\nAlice's note.")
        return real_get(self, *args, **kwargs)

    def concurrent_save(self: Any, *args: Any, **kwargs: Any) -> Any:
        title = self.title()
        if title in primed and title not in touched:
            touched.add(title)
            current = admin.page_text(title) or ""
            mallory.edit(title, current.replace("}}\n", "}}\nMallory was here.\n", 1))
            base, hers = admin.revisions(title)[-2:]
            same_second.append(base["timestamp"] == hers["timestamp"])
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(Page, "get", fresh_base)
    monkeypatch.setattr(Page, "save", concurrent_save)
    results = run_update(settings, store, utcnow())
    monkeypatch.undo()
    assert len(touched) == len(names)
    assert any(same_second), "no edit fell in the same second as the bot's base: the case was not exercised"
    for result in results:
        assert result.edit is not None and result.edit.saved, result
    for name in names:
        text = admin.page_text(f"Project:{name}") or ""
        assert "Mallory was here." in text and "Alice's note." in text, text
        assert outcomes_on(admin, f"Project:{name}") == 1


@pytest.mark.usefixtures("templates_installed")
def test_sigkill_mid_cycle_then_restart(settings: Settings, tmp_path: Path) -> None:
    """The job is SIGKILLed while updating (Toolforge evicts pods); the restarted job finishes the cycle with no
    half-written snapshot and no duplicated outcome."""
    admin = WikiUser.on("devwiki", "Admin")
    names = tuple(f"P{number}" for number in range(6))
    seed(names)
    raw = yaml.safe_load((PROJECT_ROOT / "config" / "dev.yaml").read_text(encoding="utf-8"))
    raw["state"] = {"engine": "sqlite", "path": str(tmp_path / "state.sqlite3")}
    config = tmp_path / "config.yaml"
    config.write_text(yaml.safe_dump(raw), encoding="utf-8")
    env = {**os.environ, "PEBOT_CONFIG": str(config)}
    command = [sys.executable, "-m", "bot", "update"]
    job = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert job.stdout is not None
    deadline = time.monotonic() + 120
    for line in job.stdout:  # kill it right after its first saved outcome
        if b"saved (revision" in line or time.monotonic() > deadline:
            break
    job.send_signal(signal.SIGKILL)
    job.wait(timeout=30)
    assert job.returncode == -signal.SIGKILL
    done_before = sum(outcomes_on(admin, f"Project:{name}") for name in names)
    assert 1 <= done_before < len(names)

    finished = subprocess.run(command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert [outcomes_on(admin, f"Project:{name}") for name in names] == [1] * len(names)
    store = Store.open(StateConfig(engine="sqlite", path=tmp_path / "state.sqlite3"))
    try:
        assert_snapshots_whole(store)
        assert len(store.programs()) == len(names)
    finally:
        store.close()
