"""The pages using an upload, with their views (issue 17): a file Carol uploads to devcommons and Mallory uses on two
devwiki articles (and a talk page, which is not a use) is read through devcommons' globalimagelinks on the link
tables' own connection, its pages' views of the last 30 complete UTC days come from the local Pageviews server (once
per article and day, through the store's cache), and the file's page on the site lists both pages with those views.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta

import pytest

from bot import facts_replica
from bot.clock import utcnow
from bot.config import Settings
from bot.metrics import UsingPage
from bot.program import Message
from bot.replica import Replica
from bot.stats import program_metrics
from bot.store import Store
from devtools import scenario
from devtools.pageviews_server import PageviewsServer
from tests.programs import current_program, make_program
from webservice import app as webapp

PROJECT = "dev.wikipedia"
PROGRAM = make_program(current_program("Delta", "|wikis=devwiki, devcommons"), ("Carol",), page_id=41)
FILE = "Ebro_delta_map.png"


@pytest.fixture
def used(fresh_wikis: None) -> Iterator[None]:
    """The upload and its uses, on fresh wikis; the farm lock held shared while the test reads them."""
    with scenario.farm_lock_shared():
        scenario.upload_file("Carol", FILE.replace("_", " "), comment="The delta")
        for page in ("Ebro", "Delta del Ebro", "Talk:Ebro"):
            scenario.use_file("devwiki", "Mallory", page, FILE)
        yield


def count(program_settings: Settings, store: Store) -> tuple[tuple[UsingPage, ...], int, tuple[Message, ...]]:
    replicas = {name: Replica(program_settings.wiki(name), program_settings) for name in ("devwiki", "devcommons")}
    try:
        metrics, notes = program_metrics(PROGRAM, program_settings, replicas, utcnow(), store=store)
    finally:
        for replica in replicas.values():
            replica.close()
    [upload] = metrics.uploads
    store.record_program(PROGRAM)
    store.record_snapshot(PROGRAM, metrics, utcnow(), backend="replica")
    store.record_status(key=PROGRAM.key, wiki="devwiki", title=PROGRAM.title, checked_at=utcnow(), ok=True,
                        messages=notes, edit_outcome=Message("outcome-saved", ("1",)))  # fmt: skip
    return upload.pages, upload.usage, notes


def test_a_file_used_on_two_pages_lists_both_with_their_views(
    used: None, settings: Settings, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    today = utcnow().date()
    views = {
        (PROJECT, "Ebro", today - timedelta(days=1)): 40,  # yesterday: counted
        (PROJECT, "Ebro", today - timedelta(days=30)): 2,  # the 30th day back: counted
        (PROJECT, "Ebro", today - timedelta(days=31)): 1000,  # the 31st: not
        (PROJECT, "Ebro", today): 500,  # today is not complete
        (PROJECT, "Delta del Ebro", today - timedelta(days=5)): 7,
        (PROJECT, "Talk:Ebro", today - timedelta(days=1)): 90,  # not a use
    }
    with PageviewsServer(views) as server:
        devwiki = replace(settings.wiki("devwiki"), pageviews_project=PROJECT)
        with_views = replace(settings, pageviews_url=server.base_url, wikis={**settings.wikis, "devwiki": devwiki})
        pages, usage, notes = count(with_views, store)
        assert (pages, usage) == (
            (UsingPage("devwiki", "Delta_del_Ebro", 7), UsingPage("devwiki", "Ebro", 42)),
            2,
        )
        assert notes == ()
        asked = len(server.requests)
        assert asked == 2  # one request per article
        count(with_views, store)  # the same day again: the cache answers
        assert len(server.requests) == asked

    monkeypatch.setattr(webapp, "settings", with_views)
    client = webapp.app.test_client()
    html = client.get(f"/program/{PROGRAM.key}/file?wiki=devcommons&file={FILE}&uselang=en").get_data(as_text=True)
    assert [row.split("</tr>")[0] for row in html.split('<tr data-testid="file-page">')[1:]] == [
        '<th scope="row"><a href="http://127.0.0.1:8181/index.php/Delta_del_Ebro">Delta del Ebro</a></th>'
        '<td>devwiki</td><td class="num">7</td>',
        '<th scope="row"><a href="http://127.0.0.1:8181/index.php/Ebro">Ebro</a></th>'
        '<td>devwiki</td><td class="num">42</td>',
    ]
    assert "2 pages" in html and 'data-testid="file-pages-capped"' not in html


def test_pages_beyond_the_kept_ones_are_counted_and_said(
    used: None, settings: Settings, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cap is the statement's (one page kept here instead of 100): the count stays the file's, the first page
    by title is kept, its views unknown where the wiki has no page-view project, and the page says how many of how
    many it lists."""
    monkeypatch.setattr(facts_replica, "USING_PAGES_KEPT", 1)
    pages, usage, _notes = count(settings, store)
    assert (pages, usage) == ((UsingPage("devwiki", "Delta_del_Ebro", None),), 2)
    monkeypatch.setattr(webapp, "settings", settings)
    html = webapp.app.test_client().get(f"/program/{PROGRAM.key}/file?wiki=devcommons&file={FILE}").get_data(True)
    assert html.count('data-testid="file-page"') == 1 and '<td class="num">not known</td>' in html
    assert "The first 1 of the 2 pages using it are listed (by wiki and title)." in html
