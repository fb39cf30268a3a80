"""Article scopes (bot/scope.py) resolved from the replicas and from the Action API: the same sets, stated here."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot import scope, wiki
from bot.aggregate import PageFilter
from bot.config import Settings
from bot.program import Scope
from bot.replica import Replica
from devtools import scenario
from devtools.scenario import Revision

PREFIXES = {"talk": 1, "user": 2, "project": 4, "dev wiki": 4, "category": 14, "template": 10, "file": 6, "image": 6}
WHEN = "2024-03-01T10:00:00Z"

# Category:Rivers > Category:Rivers of Spain > Category:Tributaries of the Tajo > Category:Rivers (a cycle).
PAGES = [
    Revision("Rivers", 14, "Alice", WHEN, "Rivers. [[Category:Tributaries of the Tajo]]"),
    Revision("Rivers of Spain", 14, "Alice", WHEN, "[[Category:Rivers]]"),
    Revision("Tributaries of the Tajo", 14, "Alice", WHEN, "[[Category:Rivers of Spain]]"),
    Revision("Coord", 10, "Alice", WHEN, "(coordinates)"),
    Revision("Infobox river", 10, "Alice", WHEN, "{{Coord}} infobox"),
    Revision("Ebro", 0, "Bob", WHEN, "{{Infobox river}} The Ebro. [[Category:Rivers]]"),
    Revision("Ebro", 1, "Bob", WHEN, "Talk. [[Category:Rivers]]"),
    Revision("Duero", 0, "Bob", WHEN, "{{Infobox river}} The Duero."),
    Revision("Tajo", 0, "Carol", WHEN, "The Tajo. [[Category:Rivers of Spain]]"),
    Revision("Jarama", 0, "Carol", WHEN, "The Jarama. [[Category:Tributaries of the Tajo]]"),
]
DEPTH_0 = {(0, "Ebro"), (1, "Ebro"), (14, "Rivers_of_Spain")}
DEPTH_1 = DEPTH_0 | {(0, "Tajo"), (14, "Tributaries_of_the_Tajo")}
DEPTH_2 = DEPTH_1 | {(0, "Jarama"), (14, "Rivers")}
CASES = [
    (Scope(categories=("Rivers",)), DEPTH_0),
    (Scope(categories=("Category:Rivers",), category_depth=1), DEPTH_1),
    (Scope(categories=("category:rivers",), category_depth=2), DEPTH_2),
    (Scope(categories=("Rivers",), category_depth=5), DEPTH_2),  # the cycle ends the walk
    (
        Scope(categories=("Rivers of Spain",), category_depth=1),
        {(0, "Tajo"), (14, "Tributaries_of_the_Tajo"), (0, "Jarama"), (14, "Rivers")},
    ),
    (Scope(templates=("Infobox river",)), {(0, "Ebro"), (0, "Duero")}),
    (Scope(templates=("Template:Coord",)), {(0, "Ebro"), (0, "Duero"), (10, "Infobox_river")}),  # also indirect
    (
        Scope(articles=("Sil", "talk:sil", "Project:Rules", "river_Tagus")),
        {(0, "Sil"), (1, "Sil"), (4, "Rules"), (0, "River_Tagus")},
    ),
    (
        Scope(articles=("Sil",), categories=("Rivers",), templates=("Infobox river",)),
        DEPTH_0 | {(0, "Sil"), (0, "Duero")},
    ),
]


@pytest.fixture
def pages(fresh_wikis: None) -> Iterator[None]:
    with scenario.farm_lock_shared():  # a reset from another run on these shared wikis waits for this test
        scenario.import_revisions("devwiki", PAGES)
        yield


@pytest.mark.usefixtures("pages")
def test_replica_and_api_resolve_the_same_scopes(settings: Settings) -> None:
    config = settings.wiki("devwiki")
    site = wiki.site(config)
    prefixes = wiki.title_prefixes(site)
    replica = Replica(config, settings)
    try:
        for program_scope, expected in CASES:
            by_replica = scope.resolve_replica(program_scope, replica, prefixes)
            by_api = scope.resolve_api(program_scope, site)
            assert by_replica == by_api == scope.ResolvedScope(PageFilter(frozenset(expected))), program_scope
        excluded = Scope(categories=("Rivers",), category_depth=1, excluded=("Tajo", "Talk:Ebro"))
        expected_filter = PageFilter(frozenset(DEPTH_1), frozenset({(0, "Tajo"), (1, "Ebro")}))
        assert scope.resolve_replica(excluded, replica, prefixes).filter == expected_filter
        assert scope.resolve_api(excluded, site).filter == expected_filter
        assert not expected_filter.allows(0, "Tajo") and expected_filter.allows(0, "Ebro")
    finally:
        replica.close()


def test_an_unlimited_scope_keeps_only_its_exclusions() -> None:
    resolved = scope.resolve(Scope(excluded=("Spam", "Talk:Spam")), PREFIXES, _unused, _unused_embedders)
    assert resolved == scope.ResolvedScope(PageFilter(None, frozenset({(0, "Spam"), (1, "Spam")})))


def test_petscan_cannot_be_reached_so_the_caller_is_told() -> None:
    resolved = scope.resolve(Scope(petscan_psid=12345), PREFIXES, _unused, _unused_embedders)
    assert resolved == scope.ResolvedScope(PageFilter(frozenset()), petscan_unavailable=True)
    with_list = scope.resolve(Scope(articles=("Ebro",), petscan_psid=12345), PREFIXES, _unused, _unused_embedders)
    assert with_list == scope.ResolvedScope(PageFilter(frozenset({(0, "Ebro")})), petscan_unavailable=True)


@pytest.mark.parametrize(
    ("title", "default", "expected"),
    [
        ("river  tagus", 0, (0, "River_tagus")),
        ("Talk:River_Tagus", 0, (1, "River_Tagus")),
        ("DEV WIKI:Rules", 0, (4, "Rules")),
        (":Ebro", 0, (0, "Ebro")),
        ("Mission: Impossible", 0, (0, "Mission:_Impossible")),  # not a namespace
        ("Infobox river", 10, (10, "Infobox_river")),
        ("Template:Infobox river", 10, (10, "Infobox_river")),
        ("Ríos de España", 14, (14, "Ríos_de_España")),
    ],
)
def test_titles_as_organizers_write_them(title: str, default: int, expected: tuple[int, str]) -> None:
    assert scope.parse_title(title, PREFIXES, default) == expected


def test_category_names_with_or_without_prefix() -> None:
    assert scope.category_names(["Rivers", "Category:Lakes", "talk:Odd"], PREFIXES) == {"Rivers", "Lakes", "Talk:Odd"}


def _unused(categories: frozenset[str]) -> set[tuple[int, str]]:
    raise AssertionError("no category lookup expected")


def _unused_embedders(namespace: int, titles: frozenset[str]) -> set[tuple[int, str]]:
    raise AssertionError("no template lookup expected")
