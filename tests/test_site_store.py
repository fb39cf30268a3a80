"""The store's reads for the web site give the same answers on SQLite and on MariaDB (ToolsDB's engine): a
program's stated facts, a page of counted revisions, counts per day and wiki (words where known) and a user's
programs, over data the bot's aggregate and store wrote."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from bot.config import Settings, StateConfig
from bot.program import Scope, SignupStatus
from bot.store import DayWikiCounts, Store
from tests.test_site_pages import LAKES, RIVERS, WHEN, record, revisions


@pytest.fixture(params=["sqlite", "mariadb"])
def filled(request: pytest.FixtureRequest, settings: Settings) -> Iterator[Store]:
    if request.param == "sqlite":
        store = Store.open(settings.state)
    else:
        database = request.getfixturevalue("mariadb_database")
        store = Store.open(StateConfig(engine="mysql", host="127.0.0.1", database=database))
    record(store, RIVERS, revisions("devwiki", "Alice", 100, 4) + revisions("devwiki", "Bob", 300, 2), [])
    record(store, LAKES, revisions("devwiki", "Bob", 300, 2), [])
    store.record_revision_content("devwiki", {100: (7, 1, 0), 101: (5, 0, 0)})
    yield store
    store.close()


def test_site_reads(filled: Store) -> None:
    details = filled.program_details()[RIVERS.key]
    assert (details.institution, details.organizers, details.timezone) == ("Universidad de Zaragoza", ("Olga",),
                                                                          "Europe/Madrid")  # fmt: skip
    assert details.namespaces == (("devwiki", (0,)), ("devcommons", (6,)))
    assert details.scope == Scope(articles=("Ebro river", "Gállego"), excluded=("Sandbox",))
    assert details.window == (datetime(2025, 12, 31, 23, tzinfo=UTC), datetime(2026, 1, 31, 23, tzinfo=UTC))
    assert list(filled.program_details(LAKES.key)) == [LAKES.key]

    page = filled.counted_revisions([RIVERS.key], 1, 3)
    assert [(r.rev_id, r.username, r.title, r.size_change, r.created) for r in page] == [
        (100, "Alice", "Alice_page_0", 0, True), (301, "Bob", "Bob_page_0", 10, False),
        (101, "Alice", "Alice_page_0", 10, False),
    ]  # newest first, ties by wiki and newest revision: 300 is the one skipped  # fmt: skip
    assert page[0].timestamp == WHEN
    # Bob's two revisions are in both programs: listed once.
    assert len(filled.counted_revisions([RIVERS.key, LAKES.key], 0, 100)) == 6

    assert filled.day_wiki_counts([RIVERS.key, LAKES.key]) == [
        DayWikiCounts("2026-01-17", "devwiki", 1, 1, 30, None),
        DayWikiCounts("2026-01-18", "devwiki", 1, 1, 20, None),
        DayWikiCounts("2026-01-19", "devwiki", 2, 2, 20, 5),
        DayWikiCounts("2026-01-20", "devwiki", 2, 2, 0, 7),
    ]
    assert filled.programs_of_user("Bob") == [(RIVERS.key, SignupStatus.CONFIRMED), (LAKES.key, SignupStatus.CONFIRMED)]
