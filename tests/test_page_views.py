"""Page views of the articles edited (bot/page_views.py), against the local Pageviews server serving explicit
numbers: from the first counted edit's UTC day to yesterday, at most 365 days, 0 without data."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from bot.config import load_settings
from bot.metrics import RevisionFact
from bot.page_views import count_page_views, first_edit_days, full_title, wiki_page_views
from bot.pageviews import PageviewsClient
from bot.store import Store
from devtools.pageviews_server import PageviewsServer

TODAY = date(2025, 6, 15)
YESTERDAY = date(2025, 6, 14)
OLD_FIRST = TODAY - timedelta(days=400)  # 2024-05-11
PROJECT = "dev.wikipedia"


def at(moment: str) -> datetime:
    return datetime.fromisoformat(moment)


def fact(
    rev_id: int, title: str, when: datetime, *, ns: int = 0, wiki: str = "devwiki", deleted: bool = False
) -> RevisionFact:
    return RevisionFact(wiki, rev_id, "Bob", 0 if deleted else rev_id, ns, title, when, 10, 0, 0, deleted)


FACTS = [
    # River Tagus: first edited 1 June 01:30 at UTC+2, which is 31 May in UTC.
    fact(1, "River_Tagus", at("2025-06-01T23:30:00+00:00")),
    fact(2, "River_Tagus", datetime(2025, 6, 1, 1, 30, tzinfo=timezone(timedelta(hours=2)))),
    fact(3, "River_Tagus", at("2025-06-02T00:10:00+00:00")),
    # First edited 400 days ago: only its first 365 days count.
    fact(4, "Old_article", datetime.combine(OLD_FIRST, datetime.min.time(), UTC) + timedelta(hours=23)),
    fact(5, "No_views", at("2025-06-01T12:00:00+00:00")),
    fact(6, "Bob/Draft", at("2025-06-10T08:00:00+00:00"), ns=2),
    # First edited today: no complete day yet.
    fact(7, "Today_article", at("2025-06-15T00:05:00+00:00")),
    # Deleted since: no views counted.
    fact(8, "Gone", at("2025-06-01T12:00:00+00:00"), deleted=True),
]
VIEWS = {
    (PROJECT, "River Tagus", date(2025, 5, 30)): 1000,  # before the first edit
    (PROJECT, "River Tagus", date(2025, 5, 31)): 10,
    (PROJECT, "River Tagus", date(2025, 6, 1)): 20,
    (PROJECT, "River Tagus", YESTERDAY): 5,
    (PROJECT, "River Tagus", TODAY): 7,  # today is not complete
    (PROJECT, "Old article", OLD_FIRST): 3,
    (PROJECT, "Old article", OLD_FIRST + timedelta(days=364)): 4,  # the 365th day: counted
    (PROJECT, "Old article", OLD_FIRST + timedelta(days=365)): 50,  # the 366th: not
    (PROJECT, "Old article", YESTERDAY): 60,
    (PROJECT, "User:Bob/Draft", date(2025, 6, 10)): 8,
    (PROJECT, "Bob/Draft", date(2025, 6, 10)): 900,  # another page (main namespace)
    (PROJECT, "Today article", TODAY): 70,
    (PROJECT, "Gone", date(2025, 6, 2)): 11,
    ("other.wikipedia", "No views", date(2025, 6, 2)): 12,  # another wiki's article of the same name
}
PREFIXES = {0: "", 2: "User", 3: "User talk"}


@pytest.fixture
def server() -> Iterator[PageviewsServer]:
    with PageviewsServer(VIEWS) as running:
        yield running


def test_first_edit_days_are_utc_days_of_existing_articles() -> None:
    assert first_edit_days(FACTS, PREFIXES) == {
        "No_views": date(2025, 6, 1),
        "Old_article": date(2024, 5, 11),
        "River_Tagus": date(2025, 5, 31),
        "Today_article": date(2025, 6, 15),
        "User:Bob/Draft": date(2025, 6, 10),
    }
    assert full_title(2, "Bob/Draft", PREFIXES) == "User:Bob/Draft"
    assert full_title(3, "Bob talk", PREFIXES) == "User_talk:Bob_talk"
    with pytest.raises(ValueError, match="namespace 2"):
        first_edit_days(FACTS)


def test_views_from_first_edit_to_yesterday_capped_at_365_days(server: PageviewsServer) -> None:
    client = PageviewsClient(server.base_url, max_rate=1000)
    views = count_page_views(client, PROJECT, first_edit_days(FACTS, PREFIXES), today=TODAY)
    assert views.by_article == {
        "No_views": 0,  # the API has no data: 404, counted as 0
        "Old_article": 7,  # 3 + 4: the first 365 days, 2024-05-11 to 2025-05-10
        "River_Tagus": 35,  # 10 + 20 + 5: 31 May to 14 June
        "Today_article": 0,  # no complete day: not asked
        "User:Bob/Draft": 8,
    }
    assert views.total == 50
    assert views.first_days["Old_article"] == date(2024, 5, 11)
    asked = {
        request.article: (request.start, request.end, request.agent, request.access) for request in server.requests
    }
    assert asked == {
        "No_views": ("2025060100", "2025061400", "user", "all-access"),
        "Old_article": ("2024051100", "2025051000", "user", "all-access"),
        "River_Tagus": ("2025053100", "2025061400", "user", "all-access"),
        "User:Bob/Draft": ("2025061000", "2025061400", "user", "all-access"),
    }
    assert len(server.requests) == 4


def test_wiki_page_views_use_the_configured_url_and_project(server: PageviewsServer) -> None:
    dev = load_settings()
    devwiki = replace(dev.wiki("devwiki"), pageviews_project=PROJECT)
    settings = replace(dev, pageviews_url=server.base_url, wikis={**dev.wikis, "devwiki": devwiki})
    other_wiki = fact(9, "River_Tagus", at("2025-01-01T00:00:00+00:00"), wiki="devcommons")
    views = wiki_page_views(settings, devwiki, [*FACTS, other_wiki], today=TODAY, prefixes=PREFIXES)
    assert views is not None
    assert (views.total, views.by_article["River_Tagus"]) == (50, 35)
    assert {request.project for request in server.requests} == {PROJECT}
    # A wiki without a Pageviews project has no page views.
    assert wiki_page_views(settings, settings.wiki("devcommons"), FACTS, today=TODAY) is None


@pytest.mark.usefixtures("wikis_up")
def test_namespace_names_from_the_wiki(server: PageviewsServer) -> None:
    settings = replace(load_settings(), pageviews_url=server.base_url)
    devwiki = replace(settings.wiki("devwiki"), pageviews_project=PROJECT)
    views = wiki_page_views(settings, devwiki, FACTS, today=TODAY)
    assert views is not None
    assert views.by_article["User:Bob/Draft"] == 8
    assert views.total == 50
    # The stats engine finds each counted page's views by (namespace, title) through this map.
    assert views.titles[(2, "Bob/Draft")] == "User:Bob/Draft"
    assert views.titles[(0, "River_Tagus")] == "River_Tagus"


def test_cached_views_are_asked_once_per_article_per_day(server: PageviewsServer, store: Store) -> None:
    """With the store as cache, an update on the same day asks nothing; the next day asks each article once, for
    the new day and the one before it (the API may have published that one late); the numbers equal an uncached
    count every day."""
    client = PageviewsClient(server.base_url, max_rate=1000)
    first_days = first_edit_days(FACTS, PREFIXES)
    first = count_page_views(client, PROJECT, first_days, today=TODAY, cache=store)
    assert first.by_article == count_page_views(client, PROJECT, first_days, today=TODAY).by_article
    asked = len(server.requests)
    again = count_page_views(client, PROJECT, first_days, today=TODAY, cache=store)
    assert again == first
    assert len(server.requests) == asked  # same day: nothing asked

    server.set_views(PROJECT, "River Tagus", YESTERDAY, 6)  # published late: 5 when first asked, 6 now
    tomorrow = TODAY + timedelta(days=1)
    before = len(server.requests)
    later = count_page_views(client, PROJECT, first_days, today=tomorrow, cache=store)
    new_requests = server.requests[before:]
    # Old article's 365 days ended long ago: nothing new to ask. Each of the others: one request, two days.
    assert sorted(r.article for r in new_requests) == ["No_views", "River_Tagus", "Today_article", "User:Bob/Draft"]
    assert {(r.start, r.end) for r in new_requests if r.article != "Today_article"} == {("2025061400", "2025061500")}
    assert later.by_article["River_Tagus"] == 10 + 20 + 6 + 7
    assert later.by_article == count_page_views(client, PROJECT, first_days, today=tomorrow).by_article


def test_a_range_apart_from_the_kept_one_is_not_joined_over_the_gap(server: PageviewsServer, store: Store) -> None:
    """Views kept for 1 to 3 June, then asked for 10 to 12 June (e.g. a file's using page, looked at on a later
    day): the days between were never fetched, so asking 1 to 12 June later fetches and counts them, rather than
    reading them as days without views."""
    client = PageviewsClient(server.base_url, max_rate=1000)
    server.set_views(PROJECT, "Gap", date(2025, 6, 2), 5)
    server.set_views(PROJECT, "Gap", date(2025, 6, 6), 100)  # inside the gap
    server.set_views(PROJECT, "Gap", date(2025, 6, 11), 7)
    assert count_page_views(client, PROJECT, {"Gap": date(2025, 6, 1)}, today=date(2025, 6, 4), cache=store).total == 5
    late = {"Gap": date(2025, 6, 10)}
    assert count_page_views(client, PROJECT, late, today=date(2025, 6, 13), cache=store).total == 7
    whole = count_page_views(client, PROJECT, {"Gap": date(2025, 6, 1)}, today=date(2025, 6, 13), cache=store)
    assert whole.total == 5 + 100 + 7
