"""The site's pages over a store the bot's own aggregate and store filled (as bot/stats.py writes it): finding
programs, a program's overview and tabs, a campaign's and a user's pages, the embeddable stats, the language switch,
and a private program that names nobody anywhere.

Through the Flask test client over a real per-test SQLite store (tests/conftest.py); browser tests of the same pages
run in headless Chromium elsewhere.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
from flask.testing import FlaskClient

from bot.aggregate import LedgerRef, aggregate
from bot.config import Settings
from bot.metrics import RevisionFact, UploadFact
from bot.program import Campaign, Message, Program, ProgramType
from bot.store import LedgerState, Store
from tests.programs import make_program
from webservice import app as webapp

WHEN = datetime(2026, 1, 20, 8, 0, tzinfo=UTC)
RIVERS = make_program(
    """{{Program|name=Ebro <nowiki><rivers></nowiki>|type=editathon|start=2026-01-01|end=2026-01-31
|timezone=Europe/Madrid|wikis=devwiki, devcommons|campaign=Rivers|institution=Universidad de Zaragoza|location=Zaragoza
|description=Rivers of <i>Aragón</i>|organizers=Olga|articles=Ebro river, Gállego|exclude=Sandbox}}""",
    ("Alice", "Bob", "Carol"),
    page_id=30,
    title="Project:Ebro",
)
LAKES = make_program(
    "{{Program|name=Alpine lakes|type=course|start=2026-01-01|end=2026-01-31|wikis=devwiki|campaign=Rivers}}",
    ("Bob", "Dave"),
    page_id=31,
    title="Project:Lakes",
)
SECRET = make_program(
    """{{Program|name=Secret rivers|start=2026-01-01|end=2026-01-31|wikis=devwiki, devcommons|private=yes
|campaign=Rivers|organizers=Quentin}}""",
    ("Zed", "Yolanda"),
    page_id=32,
    title="Project:Secret",
)
SECRET_NAMES = ("Zed", "Yolanda", "Quentin")
CAMPAIGN = Campaign("devwiki", 33, "Project:Rivers", "Rivers", "All rivers", None, None, ("Olga",), ProgramType.BASIC)


def revisions(wiki: str, user: str, first_id: int, count: int, namespace: int = 0) -> list[RevisionFact]:
    """``count`` revisions by ``user``, one a day back from WHEN, on pages of its own (the first one creates it)."""
    return [
        RevisionFact(wiki, first_id + i, user, 1000 + first_id + i // 3, namespace, f"{user}_page_{i // 3}",
                     WHEN - timedelta(days=i % 10, hours=i), 200 + 10 * i, 200, 0 if i % 3 == 0 else first_id + i - 1)
        for i in range(count)
    ]  # fmt: skip


def record(store: Store, program: Program, facts: list[RevisionFact], uploads: list[UploadFact]) -> None:
    """As bot/stats.py does: the facts into the program's ledgers (per wiki), the counts GROUP BYs over them."""
    for wiki in program.definition.tracked_wikis:
        mine = [fact for fact in facts if fact.wiki == wiki]
        store.record_ledger(program.key, wiki, LedgerState("", WHEN, WHEN), upsert=mine, replace_all=True)
    metrics = aggregate(participants=program.confirmed, window=program.window, timezone=program.definition.timezone,
                        now=WHEN, revisions=facts, uploads=uploads, ledger=LedgerRef(store, program.key))  # fmt: skip
    store.record_program(program)
    store.record_snapshot(program, metrics, WHEN, backend="replica")
    store.record_status(key=program.key, wiki="devwiki", title=program.title, checked_at=WHEN, ok=True,
                        messages=(Message("problem-unknown-user", (program.confirmed[-1],)),),
                        edit_outcome=Message("outcome-saved", ("77",)))  # fmt: skip


@pytest.fixture
def client(settings: Settings, store: Store, monkeypatch: pytest.MonkeyPatch) -> FlaskClient:
    monkeypatch.setattr(webapp, "settings", settings)
    rivers = revisions("devwiki", "Alice", 100, 120) + revisions("devwiki", "Bob", 300, 6)
    rivers += revisions("devcommons", "Alice", 400, 3, namespace=6)
    files = [UploadFact("devcommons", "Alice", f"Ebro_{n}.jpg", WHEN - timedelta(days=n), usage=n) for n in range(3)]
    files.append(UploadFact("devcommons", "Bob", "Gállego.png", WHEN - timedelta(days=5), usage=0))
    record(store, RIVERS, rivers, files)
    # Bob's revisions count in both programs of the campaign: once in its totals.
    record(store, LAKES, revisions("devwiki", "Bob", 300, 6) + revisions("devwiki", "Dave", 500, 2), [])
    secret = revisions("devwiki", "Zed", 600, 4) + revisions("devwiki", "Yolanda", 700, 2)
    record(store, SECRET, secret, [UploadFact("devcommons", "Zed", "Zed_secret.jpg", WHEN, usage=1)])
    store.record_campaign(CAMPAIGN, WHEN)
    return webapp.app.test_client()


def page(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def row_names(html: str) -> list[str]:
    """The program names of the home page's table, in order."""
    return [
        unescape(name)
        for name in re.findall(r'<tr data-testid="program-row">\s*<th scope="row"><a [^>]*>([^<]*)<', html)
    ]


def test_home_finds_programs_by_name_institution_organizer_and_wiki(client: FlaskClient) -> None:
    assert row_names(page(client, "/?uselang=en")) == ["Alpine lakes", "Ebro <rivers>", "Secret rivers"]
    assert row_names(page(client, "/?q=zaragoza")) == ["Ebro <rivers>"]  # institution
    assert row_names(page(client, "/?q=olga")) == ["Ebro <rivers>"]  # organizer
    assert row_names(page(client, "/?q=Quentin")) == []  # a private program's organizer finds nothing
    assert row_names(page(client, "/?q=devcommons")) == ["Ebro <rivers>", "Secret rivers"]  # tracked wiki
    assert row_names(page(client, "/?type=course")) == ["Alpine lakes"]
    assert row_names(page(client, "/?wiki=devcommons&type=editathon")) == ["Ebro <rivers>"]
    assert row_names(page(client, "/?campaign=Rivers&status=ended")) == ["Alpine lakes", "Ebro <rivers>",
                                                                          "Secret rivers"]  # fmt: skip
    assert row_names(page(client, "/?status=ongoing")) == []
    html = page(client, "/?q=rivers&uselang=en")
    assert "2 programs found: 5 participants, 135 edits, 46 articles edited." in html  # Ebro 129 + secret 6
    assert "Ebro &lt;rivers&gt;" in html and "<rivers>" not in html


def test_home_sorts_and_pages_keeping_the_query(client: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    from webservice import home

    assert row_names(page(client, "/?sort=edits&order=desc"))[0] == "Ebro <rivers>"
    html = page(client, "/?sort=name&order=desc")
    assert row_names(html) == ["Secret rivers", "Ebro <rivers>", "Alpine lakes"]
    assert 'aria-sort="descending"' in html
    monkeypatch.setattr(home, "PER_PAGE", 2)
    first = page(client, "/?q=r&uselang=es")
    assert row_names(first) == ["Alpine lakes", "Ebro <rivers>"]
    assert 'href="/?q=r&amp;uselang=es&amp;page=2" rel="next"' in first
    assert row_names(page(client, "/?q=r&uselang=es&page=2")) == ["Secret rivers"]
    assert row_names(page(client, "/?q=r&page=99")) == ["Secret rivers"]  # past the end: the last page
