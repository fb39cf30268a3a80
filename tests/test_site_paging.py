"""A program's participants, articles and uploads tabs read one page from the store (sorted and cut in SQL) instead
of building every row: the store's pages with explicit expected rows on SQLite and on MariaDB (ToolsDB's engine),
and the tabs' pages equal to what sorting and cutting every row gave before, for every sort column, both directions
and every page.

The names are chosen so that the engines' own text orders would differ from the site's (Python's case-blind
``str.casefold``): "Émile" and "Écija" sort after "Z" there, next to "E" in MariaDB's collation."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from html import unescape

import pytest
from flask.testing import FlaskClient

from bot.clock import iso
from bot.config import Settings, StateConfig
from bot.metrics import RevisionFact, UploadFact
from bot.program import Participant, SignupStatus
from bot.store import Store
from tests.programs import make_program
from tests.test_site_pages import WHEN, record
from webservice import app as webapp
from webservice import program_pages, tabs
from webservice.listing import Sort, paginate, sort_by

BASE = make_program(
    "{{Program|name=Paging|start=2026-01-01|end=2026-01-31|wikis=devwiki, devcommons}}",
    page_id=40,
    title="Project:Paging",
)
SIGNED_UP = (
    ("Ana", SignupStatus.CONFIRMED),
    ("bea", SignupStatus.CONFIRMED),
    ("Émile", SignupStatus.CONFIRMED),
    ("Carl", SignupStatus.CONFIRMED),
    ("dan", SignupStatus.CONFIRMED),
    ("Zoe", SignupStatus.WITHDRAWN),
    ("Yves", SignupStatus.UNCONFIRMED),
)
"""In sign-up order (a day apart): equal keys keep it."""
PROGRAM = replace(
    BASE,
    participants=tuple(
        Participant(name, status, name, 1, WHEN - timedelta(days=30 - n)) for n, (name, status) in enumerate(SIGNED_UP)
    ),
)


def edits(user: str, title: str, page: int, first_rev: int, count: int, *, creates: bool = True) -> list[RevisionFact]:
    """``count`` revisions by ``user`` on one page, 100 bytes each, minutes apart; the first creates the page unless
    it existed before."""
    return [
        RevisionFact("devwiki", first_rev + i, user, page, 0, title, WHEN - timedelta(minutes=first_rev + i),
                     100 * (i + 1), 100 * i, 0 if i == 0 and creates else first_rev + i - 1)
        for i in range(count)
    ]  # fmt: skip


FACTS = (
    edits("Ana", "Ebro", 1, 100, 4)
    + edits("Ana", "Zaragoza", 2, 200, 2, creates=False)
    + edits("bea", "ebro_delta", 3, 300, 1)
    + edits("Émile", "Écija", 4, 400, 3)
    + edits("Carl", "Alcañiz", 5, 500, 5)
    + edits("Zoe", "Teruel", 6, 600, 2)  # withdrawn: not counted
)
"""Edits: Ana 6, Carl 5, Émile 3, bea 1, dan, Zoe and Yves none. Articles: Alcañiz 5, Ebro 4, Écija 3, Zaragoza 2
(not created), ebro delta 1."""
FILES = [
    UploadFact("devcommons", "Ana", "Ebro_1.jpg", WHEN - timedelta(days=3), usage=2),
    UploadFact("devcommons", "Ana", "Ebro_2.jpg", WHEN - timedelta(days=1)),
    UploadFact("devcommons", "Émile", "Écija.jpg", WHEN - timedelta(days=2), usage=1),
]


@pytest.fixture(params=["sqlite", "mariadb"])
def state(request: pytest.FixtureRequest, settings: Settings) -> StateConfig:
    if request.param == "sqlite":
        return settings.state
    return StateConfig(engine="mysql", host="127.0.0.1", database=request.getfixturevalue("mariadb_database"))


@pytest.fixture
def filled(state: StateConfig) -> Iterator[Store]:
    store = Store.open(state)
    # The latest snapshot is an update with nothing new the next day: the pages find the rows it shares.
    record(store, PROGRAM, list(FACTS), FILES, unchanged_at=WHEN + timedelta(days=1))
    assert [s.taken_at for s in store.snapshots(PROGRAM.key)][-1] == iso(WHEN + timedelta(days=1))
    yield store
    store.close()


@pytest.fixture
def client(filled: Store, state: StateConfig, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> FlaskClient:
    monkeypatch.setattr(webapp, "settings", replace(settings, state=state))
    monkeypatch.setattr(program_pages, "PARTICIPANTS_PER_PAGE", 2)
    monkeypatch.setattr(program_pages, "ARTICLES_PER_PAGE", 2)
    monkeypatch.setattr(program_pages, "UPLOADS_PER_PAGE", 2)
    return webapp.app.test_client()


def taken_at(store: Store) -> str:
    summary = store.program(PROGRAM.key)
    assert summary is not None and summary.updated_at
    return summary.updated_at


def test_participant_pages(filled: Store) -> None:
    key, at = PROGRAM.key, taken_at(filled)
    assert filled.participant_count(key) == 7
    assert filled.participant_names(key) == ["Ana", "bea", "Émile", "Carl", "dan", "Zoe", "Yves"]  # sign-up order

    def names(order: str | None, descending: bool, offset: int, limit: int) -> list[str]:
        return [name for name, _status, _counts in filled.participant_page(key, at, order, descending, offset, limit)]

    assert names("edits", True, 2, 2) == ["Émile", "bea"]  # page 2 by edits, most first
    assert names("edits", True, 0, 7) == ["Ana", "Carl", "Émile", "bea", "dan", "Zoe", "Yves"]
    assert names("edits", False, 0, 4) == ["dan", "Zoe", "Yves", "bea"]  # ties keep the sign-up order both ways
    assert names("uploads", True, 0, 3) == ["Ana", "Émile", "bea"]
    assert names("status", False, 0, 7) == ["Ana", "bea", "Émile", "Carl", "dan", "Yves", "Zoe"]
    assert names(None, False, 5, 10) == ["Zoe", "Yves"]
    [(name, status, counts)] = filled.participant_page(key, at, "edits", True, 0, 1)
    assert (name, status, counts.edits, counts.articles_edited, counts.articles_created, counts.uploads) == (
        "Ana", SignupStatus.CONFIRMED, 6, 2, 1, 2
    )  # fmt: skip
    assert [(n, s, c.edits) for n, s, c in filled.participants_named(key, at, ["Yves", "Émile"])] == [
        ("Émile", SignupStatus.CONFIRMED, 3), ("Yves", SignupStatus.UNCONFIRMED, 0)
    ]  # in sign-up order  # fmt: skip
    with pytest.raises(KeyError):  # only the listed columns reach SQL
        filled.participant_page(key, at, "username; DROP TABLE program", False, 0, 1)


def test_article_pages(filled: Store) -> None:
    key, at = PROGRAM.key, taken_at(filled)
    assert filled.article_count(key, at, created_only=False) == (5, False)
    assert filled.article_count(key, at, created_only=True) == (4, False)

    def titles(order: str | None, descending: bool, offset: int, limit: int, created_only: bool = False) -> list[str]:
        page = filled.article_page(key, at, order, descending, offset, limit, created_only=created_only)
        return [value.split("|")[2] for value, _counts, _views in page]

    assert titles("edits", True, 2, 2) == ["Écija", "Zaragoza"]  # page 2 by edits, most first
    assert titles("edits", False, 0, 5) == ["ebro_delta", "Zaragoza", "Écija", "Ebro", "Alcañiz"]
    assert titles("bytes_added", True, 0, 2) == ["Alcañiz", "Ebro"]
    assert titles("edits", True, 0, 5, created_only=True) == ["Alcañiz", "Ebro", "Écija", "ebro_delta"]
    assert titles("page_views", True, 0, 2) == ["Alcañiz", "Ebro"]  # none has views: every row ties
    [(value, counts, views)] = filled.article_page(key, at, "edits", True, 0, 1, created_only=False)
    assert (value, counts.edits, counts.bytes_added, counts.articles_created, views) == (
        "devwiki|0|Alcañiz", 5, 500, 1, None
    )  # fmt: skip
    values = filled.article_values(key, at, created_only=True)
    assert sorted(values) == sorted(f"devwiki|0|{t}" for t in ("Alcañiz", "Ebro", "Écija", "ebro_delta"))
    assert [v for v, _c, _views in filled.articles_valued(key, at, ["devwiki|0|Zaragoza", "devwiki|0|Ebro"])] == [
        "devwiki|0|Ebro", "devwiki|0|Zaragoza"
    ]  # fmt: skip
    with pytest.raises(KeyError):
        filled.article_page(key, at, "title", False, 0, 1, created_only=False)  # titles sort in the site


def test_upload_pages(filled: Store) -> None:
    key, at = PROGRAM.key, taken_at(filled)
    assert [(f, u, n) for _w, f, u, _t, n in filled.upload_page(key, at, "", 1, 5)] == [
        ("Écija.jpg", "Émile", 1), ("Ebro_1.jpg", "Ana", 2)
    ]  # newest first, page 2 of one file a page  # fmt: skip
    assert filled.upload_count(key, at, "") == 3
    assert [f for _w, f, _u, _t, _n in filled.upload_page(key, at, "Émile", 0, 5)] == ["Écija.jpg"]
    assert filled.upload_count(key, at, "Émile") == 1
    # Exactly that name: MariaDB's collation holds "emile" and "Émile" equal.
    assert filled.upload_count(key, at, "emile") == 0 and filled.upload_page(key, at, "emile", 0, 5) == []
    assert sorted(filled.uploaders(key, at)) == ["Ana", "Émile"]


SORTS = [(column, descending) for column in tabs.PARTICIPANT_SORTS for descending in (False, True)]


def test_tab_pages_equal_every_row_sorted_and_cut(filled: Store) -> None:
    """What the tabs showed before (every row built, sorted by listing.sort_by, cut by listing.paginate) is what
    one page read from the store shows, for every column, direction and page (2 rows a page)."""
    summary = filled.program(PROGRAM.key)
    assert summary is not None
    subject = tabs.program_subject(summary)
    for column in tabs.PARTICIPANT_SORTS:
        for descending in (False, True):
            sort = Sort(column, descending)
            every = sort_by(tabs.participants(filled, subject), tabs.PARTICIPANT_SORTS[column], descending)
            for number in (1, 2, 3, 4, 9):
                assert tabs.participant_page(filled, subject, sort, number, 2) == paginate(every, 2, number), (
                    column, descending, number
                )  # fmt: skip
    for column in tabs.ARTICLE_SORTS:
        for descending in (False, True):
            for created_only in (False, True):
                sort = Sort(column, descending)
                rows = [row for row in tabs.articles(filled, subject) if row.created or not created_only]
                every = sort_by(rows, tabs.ARTICLE_SORTS[column], descending)
                for number in (1, 2, 3, 9):
                    page, views = tabs.article_page(filled, subject, sort, number, 2, created_only=created_only)
                    assert (page, views) == (paginate(every, 2, number), False), (column, descending, number)
    files = tabs.uploads(filled, subject)
    for uploader in ("", "Ana", "Émile", "emile"):
        kept = [row for row in files if row.uploader == uploader] if uploader else files
        for number in (1, 2, 3):
            assert tabs.upload_page(filled, subject, uploader, number, 1, filled) == (
                paginate(kept, 1, number), ["Ana", "Émile"]
            ), (uploader, number)  # fmt: skip
    names = [row.username for row in tabs.participant_page(filled, subject, Sort("username", False), 1, 10).items]
    assert names == ["Ana", "bea", "Carl", "dan", "Yves", "Zoe", "Émile"]  # casefold: "é" after "z", both engines


def test_a_private_programs_files_name_nobody(filled: Store) -> None:
    summary = filled.program(PROGRAM.key)
    assert summary is not None
    private = tabs.program_subject(replace(summary, private=True, participants=20))  # enough to publish breakdowns
    page, uploaders = tabs.upload_page(filled, private, "", 1, 10, ("private", filled))
    assert [row.uploader for row in page.items] == [None, None, None] and uploaders == []
    assert tabs.upload_page(filled, private, "Ana", 1, 10, ("private", filled))[0].items == []
    assert tabs.participant_page(filled, private, Sort("edits", True), 1, 10).items == []


def cells(client: FlaskClient, url: str, row: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.get_data(as_text=True)
    found = re.findall(rf'<tr data-testid="{row}"><th scope="row">(?:<a [^>]*>)?([^<]*)<', html)
    return [unescape(text) for text in found]


def test_the_tabs_pages_sorts_and_filters(client: FlaskClient) -> None:
    base = f"/program/{PROGRAM.key}"
    assert cells(client, f"{base}/participants?sort=edits&order=desc&page=2", "participant-row") == ["Émile", "bea"]
    assert cells(client, f"{base}/participants?page=4", "participant-row") == ["Émile"]  # by name, case-blind
    assert cells(client, f"{base}/participants?page=99", "participant-row") == ["Émile"]  # past the end: the last
    assert cells(client, f"{base}/articles", "article-row") == ["Alcañiz", "Ebro"]  # by edits, most first
    assert cells(client, f"{base}/articles?sort=title&order=asc&page=3", "article-row") == ["Écija"]
    assert cells(client, f"{base}/articles?sort=title&show=created", "article-row") == ["Écija", "ebro delta"]
    listed = client.get(f"{base}/uploads?view=list&uploader=%C3%89mile").get_data(as_text=True)
    assert re.findall(r'<tr class="upload" data-testid="upload"><th scope="row"><a [^>]*>([^<]*)<', listed) == [
        "Écija.jpg"
    ]  # fmt: skip
    assert re.findall(r'<option value="([^"]+)"', listed) == ["Ana", "Émile"]
    assert 'data-testid="pagination"' in client.get(f"{base}/uploads?view=list").get_data(as_text=True)


def test_snapshot_cache_keeps_the_recent_few_for_a_while(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = [100.0]
    monkeypatch.setattr(tabs.time, "monotonic", lambda: clock[0])
    cache: tabs.SnapshotCache[str] = tabs.SnapshotCache(2, 60.0)
    computed: list[str] = []

    def get(key: str) -> str:
        return cache.get(key, lambda: computed.append(key) or key.upper())

    assert [get("a"), get("b"), get("a")] == ["A", "B", "A"] and computed == ["a", "b"]
    get("c")  # "b" was used least recently
    assert [get("a"), get("b")] == ["A", "B"] and computed == ["a", "b", "c", "b"]
    clock[0] += 61  # too old: computed again
    assert get("b") == "B" and computed[-1] == "b" and len(computed) == 5
    cache.size = 0  # keeps nothing (site_bench --no-cache)
    get("d"), get("d")
    assert computed[-2:] == ["d", "d"]
