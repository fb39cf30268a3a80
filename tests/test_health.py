"""The maintainer's commands on the real dev setup: `check` tries every wiki, replica and the state database and
names what fails; `healthcheck` follows the job's heartbeat; `status` summarizes programs and failed edits."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import yaml

from bot.clock import iso, utcnow
from bot.config import PROJECT_ROOT, Settings, StateConfig
from bot.health import JOB, check, healthcheck, heartbeat_limit, status
from bot.program import Message
from bot.store import QUEUE_CHANGED, QUEUE_SCHEDULED, LoggedEdit, Store
from tests.programs import make_program


def cli(tmp_path: Path, *words: str, change: dict[str, object] | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m bot ...` with the dev settings, a private state file, and one change to the settings."""
    raw = yaml.safe_load((PROJECT_ROOT / "config" / "dev.yaml").read_text(encoding="utf-8"))
    raw["state"] = {"engine": "sqlite", "path": str(tmp_path / "state.sqlite3")}
    for key, value in (change or {}).items():
        raw["wikis"]["devcommons"][key] = value
    config = tmp_path / "config.yaml"
    config.write_text(yaml.safe_dump(raw), encoding="utf-8")
    env = {**os.environ, "PEBOT_CONFIG": str(config)}
    return subprocess.run([sys.executable, "-m", "bot", *words], cwd=PROJECT_ROOT, env=env, capture_output=True,
                          text=True, timeout=300)  # fmt: skip


@pytest.mark.usefixtures("wikis_up")
def test_check_passes_on_the_dev_setup_and_names_what_fails(tmp_path: Path) -> None:
    done = cli(tmp_path, "check")
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    for name in ("devwiki API", "devwiki replica", "devcommons API", "devcommons replica", "devwikidata API",
                 "state database"):  # fmt: skip
        assert any(line.startswith(f"ok   {name}:") for line in lines), (name, lines)

    broken = cli(tmp_path, "check", change={"replica": {"host": "127.0.0.1", "port": 9, "dbname": "devcommons"}})
    assert broken.returncode == 1
    assert any(line.startswith("FAIL devcommons replica:") for line in broken.stdout.splitlines()), broken.stdout
    assert any(line.startswith("ok   devwiki replica:") for line in broken.stdout.splitlines())


@pytest.mark.usefixtures("wikis_up")
def test_check_reports_missing_rights_of_the_botpassword(settings: Settings, store: Store) -> None:
    """A wiki with bot edits needs the edit and bot rights; the dev BotPassword has them."""
    results = {result.name: result for result in check(settings, store, utcnow())}
    assert results["devwiki API"].ok and "API as ProgramsBot" in results["devwiki API"].detail


def test_healthcheck_follows_the_heartbeat(settings: Settings, store: Store) -> None:
    now = utcnow()
    assert not healthcheck(settings, store, now).ok  # never reported
    store.beat(JOB, now - timedelta(minutes=5), "updated devwiki Project:P")
    assert healthcheck(settings, store, now).ok
    store.beat(JOB, now - heartbeat_limit(settings) - timedelta(seconds=1), "cycle started")
    stuck = healthcheck(settings, store, now)
    assert not stuck.ok and "cycle started" in stuck.detail


def test_healthcheck_command_exit_status(tmp_path: Path) -> None:
    assert cli(tmp_path, "db", "upgrade").returncode == 0
    assert cli(tmp_path, "healthcheck").returncode == 1
    store = Store.open(StateConfig(engine="sqlite", path=tmp_path / "state.sqlite3"))
    store.beat(JOB, utcnow(), "started")
    store.close()
    assert cli(tmp_path, "healthcheck").returncode == 0


def test_status_lists_programs_and_failed_edits_without_private_names(settings: Settings, store: Store) -> None:
    now = utcnow()
    secret = make_program("{{Program|name=Secret|start=2026-01-01|end=2026-01-31|private=yes}}", ("Zed",), page_id=3)
    store.record_program(secret)
    store.record_status(key=secret.key, wiki="devwiki", title=secret.title, checked_at=now, ok=False,
                        messages=(Message("problem-unknown-user", ("Zed",)), Message("problem-no-tracked-wiki")),
                        edit_outcome=Message("outcome-not-published"))  # fmt: skip
    store.log_edit(LoggedEdit("devwiki", "Project:P", secret.key, "outcome", "protected", None, "LockedPageError",
                              "2026-01-02T00:00:00Z"))  # fmt: skip
    store.enqueue(secret.key, "devwiki", 3, now, QUEUE_CHANGED, now)
    store.enqueue("devwiki:4", "devwiki", 4, now + timedelta(hours=1), QUEUE_SCHEDULED, now)
    assert store.claim("worker-1", now, timedelta(minutes=30), ["devwiki"]) is not None
    text = "\n".join(status(settings, store, now))
    assert "queue: 2 program(s), 0 due now, 1 being updated" in text
    assert f"updating {secret.key} (worker-1, lease until " in text
    assert f"{secret.key} {secret.title}: checked" in text and f", next {iso(now)}" in text
    assert "1 program(s); 1 need attention" in text
    assert "Project:P [outcome]: protected LockedPageError" in text
    assert "No tracked wiki is left" in text
    assert "Zed" not in text  # a private program's usernames stay private
