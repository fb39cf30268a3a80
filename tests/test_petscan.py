"""The PetScan client (bot/petscan_client.py) against a local server speaking PetScan's format (devtools), and a
program's scope made of PSIDs (bot/scope.py resolve, bot/stats.py's per-program lookup). No wiki is needed: the
category and template lookups are stated here."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import replace

import pytest
import requests

from bot import scope
from bot.aggregate import PageFilter
from bot.config import Settings
from bot.petscan_client import DEFAULT_BASE_URL, PetscanClient, PetscanError, PetscanResult, parse
from bot.program import Scope
from bot.stats import _Petscan
from devtools.petscan_server import NO_SUCH_PSID, PetscanServer, StoredQuery

PREFIXES = {"talk": 1, "user": 2, "user talk": 3, "project": 4, "category": 14, "template": 10}
RIVERS = 101
"""A query on devwiki: articles, a talk page, a category and a title with spaces and non-ASCII letters."""
RIVERS_PAGES = {(0, "Ebro"), (1, "Ebro"), (14, "Rivers_of_Spain"), (0, "Río_Tajo")}
ELSEWHERE = 102
UNSAID = 103
SPARSE = 104
JSONP = 105


@pytest.fixture
def server() -> Iterator[PetscanServer]:
    queries = {
        RIVERS: StoredQuery(
            "devwiki",
            [(0, "Ebro"), (1, "Ebro"), (14, "Rivers of Spain"), (0, "Río Tajo")],
            params={"language": "dev", "project": "wikipedia", "categories": "Rivers", "depth": "2", "doit": "1"},
        ),
        ELSEWHERE: StoredQuery("eswiki", [(0, "Ebro")], params={"language": "es", "format": "html"}),
        UNSAID: StoredQuery(None, [(0, "Duero")]),
        SPARSE: StoredQuery("devwiki", [(0, "Sil"), (3, "Alice"), (0, "Mission: Impossible")], {"sparse": "1"}),
        JSONP: StoredQuery("devwiki", [(0, "Sil")], params={"callback": "show"}),
    }
    with PetscanServer(queries) as running:
        yield running


@pytest.fixture
def client(server: PetscanServer) -> PetscanClient:
    return PetscanClient(server.base_url, sleep=lambda seconds: None)


def test_a_stored_query_gives_its_pages_and_wiki(client: PetscanClient, server: PetscanServer) -> None:
    assert client.query(RIVERS) == PetscanResult(RIVERS, "devwiki", frozenset(RIVERS_PAGES))
    # What was asked: the PSID, JSON naming the wiki, with our User-Agent; the stored query's own parameters filled
    # in the rest (its format=html would have lost to ours).
    asked = server.requests[-1]
    assert asked.path == f"/?psid={RIVERS}&format=json&output_compatability=quick-intersection"
    assert asked.params["categories"] == "Rivers" and asked.params["format"] == "json"
    assert asked.user_agent.startswith("pebot/") and "toolforge" in asked.user_agent
    assert client.query(ELSEWHERE).wiki == "eswiki"
    assert client.query(UNSAID) == PetscanResult(UNSAID, None, frozenset({(0, "Duero")}))


def test_full_titles_of_a_sparse_query_are_split_with_the_answers_namespaces(client: PetscanClient) -> None:
    assert client.query(SPARSE).pages == {(0, "Sil"), (3, "Alice"), (0, "Mission:_Impossible")}


def test_pages_count_only_on_the_wiki_the_query_ran_on() -> None:
    ran_here = PetscanResult(1, "devwiki", frozenset({(0, "Ebro")}))
    assert ran_here.pages_on("devwiki") == {(0, "Ebro")}
    assert ran_here.pages_on("devcommons") == frozenset()
    unsaid = PetscanResult(1, None, frozenset({(0, "Ebro")}))
    assert unsaid.pages_on("devwiki") == unsaid.pages_on("devcommons") == {(0, "Ebro")}  # the tracked wiki assumed


def test_an_unknown_psid_is_an_error_at_once(client: PetscanClient, server: PetscanServer) -> None:
    with pytest.raises(PetscanError, match=NO_SUCH_PSID):
        client.query(999)
    assert [r.status for r in server.requests] == [500]  # PetScan's status for it, but asking again will not help
    with pytest.raises(PetscanError, match="not a PetScan query id"):
        client.query(0)
    assert len(server.requests) == 1


def test_server_errors_and_rate_limits_are_retried(client: PetscanClient, server: PetscanServer) -> None:
    server.fail_next = [500]
    assert client.query(RIVERS).pages == RIVERS_PAGES
    assert [r.status for r in server.requests] == [500, 200]
    server.fail_next = [429, 503]
    assert client.query(RIVERS).pages == RIVERS_PAGES
    server.fail_next = [502] * 3  # the first try and two retries
    with pytest.raises(PetscanError, match="502"):
        client.query(RIVERS)
    assert [r.status for r in server.requests] == [500, 200, 429, 503, 200, 502, 502, 502]


def test_an_answer_that_is_not_petscans_json_is_an_error(client: PetscanClient) -> None:
    with pytest.raises(PetscanError, match="not a JSON object"):
        client.query(JSONP)  # a stored query asking for a JSONP callback
    with pytest.raises(PetscanError, match="no pages list"):
        parse(1, {"status": "OK"})
    with pytest.raises(PetscanError, match="numeric namespace"):
        parse(1, {"wiki": "devwiki", "pages": [{"page_namespace": "0", "page_title": "Ebro"}]})


def test_petscan_down_is_an_error() -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    down = PetscanClient(f"http://127.0.0.1:{port}", sleep=lambda seconds: None)
    with pytest.raises(PetscanError, match=f"127.0.0.1:{port}"):
        down.query(RIVERS)


def test_server_speaks_petscans_formats(server: PetscanServer) -> None:
    catscan = requests.get(server.base_url, params={"psid": str(RIVERS), "format": "json"}, timeout=5)
    assert catscan.status_code == 200 and catscan.headers["Content-Type"] == "application/json"
    body = catscan.json()
    assert body["n"] == "result" and body["a"]["query"].startswith("https://petscan.wmflabs.org/?")
    combination = body["*"][0]
    assert combination["n"] == "combination" and combination["a"]["type"] == "subset"
    assert combination["a"]["*"][1] == {
        "n": "page", "title": "Ebro", "id": 1001, "namespace": 1, "len": 100, "touched": "20240301100000",
        "nstext": "Talk",
    }  # fmt: skip
    quick = requests.get(
        server.base_url,
        params={"psid": str(RIVERS), "format": "json", "output_compatability": "quick-intersection"},
        timeout=5,
    ).json()
    assert (quick["wiki"], quick["status"], quick["pagecount"], quick["max"], quick["namespaces"]["14"]) == (
        "devwiki", "OK", 4, 5, "Category",
    )  # fmt: skip
    assert quick["pages"][2] == {
        "page_id": 1002, "page_namespace": 14, "page_title": "Rivers_of_Spain", "page_latest": "20240301100000",
        "page_len": 100,
    }  # fmt: skip
    unknown = requests.get(server.base_url, params={"psid": "999", "format": "json"}, timeout=5)
    assert (unknown.status_code, unknown.json()) == (500, {"error": NO_SUCH_PSID})
    form = requests.get(server.base_url, params={"psid": str(ELSEWHERE)}, timeout=5)  # html and no doit: the form
    assert form.status_code == 200 and form.headers["Content-Type"].startswith("text/html")


# --- a program's scope --------------------------------------------------------------------------------------------


def test_a_scope_of_a_psid_only(client: PetscanClient) -> None:
    resolved = scope.resolve(Scope(petscan_psid=RIVERS), PREFIXES, _unused, _unused_embedders, _pages(client))
    assert resolved == scope.ResolvedScope(PageFilter(frozenset(RIVERS_PAGES)))
    assert resolved.filter.allows(0, "Río_Tajo") and not resolved.filter.allows(0, "Duero")


def test_a_psid_plus_listed_articles_minus_an_excluded_title(client: PetscanClient) -> None:
    program_scope = Scope(articles=("Sil", "talk:Sil"), petscan_psid=RIVERS, excluded=("Ebro",))
    resolved = scope.resolve(program_scope, PREFIXES, _unused, _unused_embedders, _pages(client))
    expected = PageFilter(frozenset(RIVERS_PAGES | {(0, "Sil"), (1, "Sil")}), frozenset({(0, "Ebro")}))
    assert resolved == scope.ResolvedScope(expected)
    assert not expected.allows(0, "Ebro") and expected.allows(1, "Ebro") and expected.allows(1, "Sil")


def test_a_psid_of_another_wiki_adds_nothing_here(client: PetscanClient) -> None:
    resolved = scope.resolve(
        Scope(articles=("Sil",), petscan_psid=ELSEWHERE), PREFIXES, _unused, _unused_embedders, _pages(client)
    )
    assert resolved == scope.ResolvedScope(PageFilter(frozenset({(0, "Sil")})))


def test_petscan_down_still_counts_the_other_parts(server: PetscanServer, client: PetscanClient) -> None:
    def members(categories: frozenset[str]) -> set[tuple[int, str]]:
        assert categories == {"Rivers"}
        return {(0, "Tajo")}

    def embedders(namespace: int, titles: frozenset[str]) -> set[tuple[int, str]]:
        assert (namespace, titles) == (10, frozenset({"Infobox_river"}))
        return {(0, "Duero")}

    program_scope = Scope(
        articles=("Sil",), categories=("Rivers",), templates=("Infobox river",), petscan_psid=RIVERS, excluded=("Sil",)
    )
    pages = _pages(client)
    server.stop()
    resolved = scope.resolve(program_scope, PREFIXES, members, embedders, pages)
    expected = PageFilter(frozenset({(0, "Sil"), (0, "Tajo"), (0, "Duero")}), frozenset({(0, "Sil")}))
    assert resolved == scope.ResolvedScope(expected, petscan_unavailable=True)
    unknown = scope.resolve(Scope(petscan_psid=999), PREFIXES, _unused, _unused_embedders, pages)
    assert unknown == scope.ResolvedScope(PageFilter(frozenset()), petscan_unavailable=True)  # nothing, not all


def test_a_program_runs_its_query_once_and_hears_of_another_wiki(settings: Settings, server: PetscanServer) -> None:
    petscan = _Petscan(replace(settings, petscan_url=server.base_url))
    assert petscan.pages_on("devwiki")(RIVERS) == RIVERS_PAGES
    assert petscan.pages_on("devcommons")(RIVERS) == frozenset()
    assert petscan.pages_on("devwiki")(ELSEWHERE) == frozenset()
    assert len(server.requests) == 2  # one per PSID, whatever the number of wikis
    assert petscan.elsewhere({"devwiki", "devcommons"}) == [(ELSEWHERE, "eswiki")]
    assert petscan.elsewhere({"devwiki", "eswiki"}) == []
    with pytest.raises(PetscanError):
        petscan.pages_on("devwiki")(999)
    with pytest.raises(PetscanError):
        petscan.pages_on("devcommons")(999)
    assert len(server.requests) == 3  # a failure is not asked again either


def test_settings_name_petscan(settings: Settings) -> None:
    assert settings.petscan_url == "http://127.0.0.1:8192"  # the local stand-in's port, never PetScan from dev
    assert PetscanClient().url(7) == f"{DEFAULT_BASE_URL}/?psid=7&format=json&output_compatability=quick-intersection"
    assert DEFAULT_BASE_URL == "https://petscan.wmflabs.org"


def _pages(client: PetscanClient) -> scope.PetscanPages:
    def pages(psid: int) -> frozenset[tuple[int, str]]:
        return client.query(psid).pages_on("devwiki")

    return pages


def _unused(categories: frozenset[str]) -> set[tuple[int, str]]:
    raise AssertionError("no category lookup expected")


def _unused_embedders(namespace: int, titles: frozenset[str]) -> set[tuple[int, str]]:
    raise AssertionError("no template lookup expected")
