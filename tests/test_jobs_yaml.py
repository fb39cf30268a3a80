"""jobs.yaml as the Toolforge jobs framework reads it: `toolforge jobs load` turns each mapping's keys into the
options of `toolforge jobs run` (the framework's RUN_ARGS), so an unknown or misspelt key, a health check on a
scheduled job, or a command that does not exist fails the deployment. Checked here instead, before it gets there.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml

from bot.__main__ import main
from bot.config import PROJECT_ROOT

# The options of `toolforge jobs run` (jobs-cli tjf_cli/cli.py), which `load` accepts as keys.
RUN_ARGS = {
    "name", "command", "image", "schedule", "continuous", "wait", "filelog", "no-filelog", "filelog-stdout",
    "filelog-stderr", "mem", "cpu", "retry", "emails", "mount", "timeout", "health-check-script",
    "health-check-http", "port", "replicas",
}  # fmt: skip
CONTINUOUS_ONLY = {"health-check-script", "health-check-http", "port", "replicas"}
JOBS = yaml.safe_load((PROJECT_ROOT / "jobs.yaml").read_text(encoding="utf-8"))


def _cli_words(command: str) -> list[str]:
    """The bot's CLI words of a command run through scripts/toolforge-run (paths are relative to the tool home,
    where the repository is cloned as programs-events-bot/)."""
    words = shlex.split(command)
    script = Path(words[0].replace("programs-events-bot/", "", 1))
    assert (PROJECT_ROOT / script).is_file(), f"{words[0]} does not exist in the repository"
    assert script == Path("scripts/toolforge-run"), words[0]
    return words[1:]


def test_every_job_uses_only_the_frameworks_keys_and_rules() -> None:
    assert isinstance(JOBS, list) and JOBS
    for job in JOBS:
        assert set(job) <= RUN_ARGS, set(job) - RUN_ARGS
        assert {"name", "command", "image"} <= set(job)
        assert re.fullmatch(r"[a-z0-9]([-a-z0-9]{0,50}[a-z0-9])?", job["name"]), "RFC 1123, at most 52 characters"
        assert not (job.get("continuous") and job.get("schedule")), "continuous and schedule exclude each other"
        if not job.get("continuous"):
            assert not set(job) & CONTINUOUS_ONLY, f"{job['name']}: only continuous jobs take {CONTINUOUS_ONLY}"
        assert job.get("emails", "none") in {"none", "all", "onfinish", "onfailure"}
        assert re.fullmatch(r"\d+(\.\d+)?(Mi|Gi)", str(job.get("mem", "512Mi")))
        assert re.fullmatch(r"\d+m|\d+(\.\d+)?", str(job.get("cpu", "100m")))
        for key in ("filelog-stdout", "filelog-stderr"):
            if key in job:
                assert not job[key].startswith("/"), "logs go under the tool's home (README creates logs/)"


def test_commands_and_health_checks_are_real_cli_commands() -> None:
    """Each command parses with the bot's own CLI (--help stops after parsing, exit 0)."""
    for job in JOBS:
        for key in ("command", "health-check-script"):
            if key not in job:
                continue
            words = _cli_words(job[key])
            with pytest.raises(SystemExit) as stop:
                main([*words, "--help"])
            assert stop.value.code == 0, f"{job['name']} {key}: {job[key]}"
    [update] = JOBS
    assert update["continuous"] is True
    assert _cli_words(update["health-check-script"]) == ["healthcheck"]
