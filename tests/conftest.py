"""Fixtures over the real components: the dev wikis (scripts/devwiki), their _p views, MariaDB, SQLite.

Nothing here is mocked. The dev wikis must be up (the test command starts them); if they are not, the tests that
need them fail with the reason instead of being skipped.
"""

from __future__ import annotations

import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pymysql
import pytest

from bot.config import PROJECT_ROOT, Settings, StateConfig, load_settings
from bot.store import Store

DEVWIKI = PROJECT_ROOT / "scripts" / "devwiki"


def devwiki(command: str) -> str:
    result = subprocess.run([str(DEVWIKI), command], capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"scripts/devwiki {command} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="session")
def wikis_up() -> None:
    devwiki("status")


@pytest.fixture
def fresh_wikis(wikis_up: None) -> None:
    """Both dev wikis as right after install: accounts, no pages. Also resets pywikibot's login state."""
    devwiki("reset")
    from bot import wiki

    wiki.forget_logins()


@pytest.fixture
def templates_installed(fresh_wikis: None, settings: Settings) -> None:
    """Fresh dev wikis with the bot's templates on devwiki, as organizers would find them."""
    from bot.templates import install_templates

    outcomes = install_templates(settings, settings.wiki("devwiki"))
    assert all(outcome.saved for outcome in outcomes.values()), outcomes


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """The dev settings with a private SQLite state file per test."""
    return replace(load_settings(), state=StateConfig(engine="sqlite", path=tmp_path / "state.sqlite3"))


@pytest.fixture
def store(settings: Settings) -> Iterator[Store]:
    opened = Store.open(settings.state)
    yield opened
    opened.close()


@pytest.fixture
def mariadb_database() -> Iterator[str]:
    """A throwaway MariaDB database (the ToolsDB engine's stand-in), dropped afterwards."""
    name = f"pebot_test_{uuid.uuid4().hex[:10]}"
    connection = pymysql.connect(host="127.0.0.1", user="root", autocommit=True)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE `{name}`")
    try:
        yield name
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE `{name}`")
        connection.close()


@pytest.fixture(params=["sqlite", "mariadb"])
def any_store(request: pytest.FixtureRequest, settings: Settings) -> Iterator[Store]:
    """The store on each engine: SQLite (dev) and a throwaway MariaDB database (ToolsDB's engine)."""
    if request.param == "sqlite":
        config = settings.state
    else:
        config = StateConfig(engine="mysql", host="127.0.0.1", database=request.getfixturevalue("mariadb_database"))
    opened = Store.open(config)
    yield opened
    opened.close()
