"""Two update processes at once on the real dev wikis, sharing one MariaDB state database (as two replicas of the
Toolforge continuous job share ToolsDB): together they count every program of the tick exactly once, and each
program's numbers are the ones its participants' edits make."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.clock import utcnow
from bot.config import PROJECT_ROOT, Settings, StateConfig
from bot.store import Store
from devtools.wikiuser import WikiUser
from tests.programs import current_program

PROGRAMS = 6


@pytest.mark.usefixtures("templates_installed")
def test_two_workers_count_each_program_once(tmp_path: Path, settings: Settings, mariadb_database: str) -> None:
    alice, bob = WikiUser.on("devwiki", "Alice"), WikiUser.on("devwiki", "Bob")
    for number in range(1, PROGRAMS + 1):
        title = f"Project:Week {number}"
        alice.edit(title, current_program(f"Week {number}"))
        bob.edit(title, appendtext="\n* {{Program sign-up|user=Bob}} ~~~~")
    bob.edit("Ebro", "E" * 100, summary="new")
    bob.edit("Ebro", "E" * 130, summary="more")

    raw = yaml.safe_load((PROJECT_ROOT / "config" / "dev.yaml").read_text(encoding="utf-8"))
    raw["state"] = {"engine": "mysql", "host": "127.0.0.1", "database": mariadb_database}
    config = tmp_path / "config.yaml"
    config.write_text(yaml.safe_dump(raw), encoding="utf-8")
    env = {**os.environ, "PEBOT_CONFIG": str(config)}
    store = Store.open(StateConfig(engine="mysql", host="127.0.0.1", database=mariadb_database))
    started = utcnow()
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "bot", "update", "--wiki", "devwiki"],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [worker.communicate(timeout=600)[0] for worker in workers]
    assert [worker.returncode for worker in workers] == [0, 0], outputs

    runs = store.update_runs(started)
    programs = {summary.key: summary for summary in store.programs()}
    assert len(programs) == PROGRAMS
    assert sorted(key for key, *_rest in runs) == sorted(programs), runs  # each program once, none twice
    assert all(ok for *_rest, ok in runs)
    assert {summary.edits for summary in programs.values()} == {2}
    for summary in programs.values():
        text = alice.page_text(summary.title) or ""
        assert "|edits=2\n" in text, text
    store.close()
