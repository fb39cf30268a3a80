"""The Pageviews client (bot/pageviews.py) against a local server speaking the API's format (devtools)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
import requests

from bot.pageviews import DEFAULT_BASE_URL, PageviewsClient, PageviewsError, article_path, capped
from devtools.pageviews_server import PageviewsServer

MARCH_1 = date(2024, 3, 1)


@pytest.fixture
def server() -> Iterator[PageviewsServer]:
    views = {
        ("en.wikipedia", "River Tagus", MARCH_1): 10,
        ("en.wikipedia", "River Tagus", date(2024, 3, 2)): 5,
        ("en.wikipedia", "River Tagus", date(2024, 3, 5)): 7,
        ("en.wikipedia", "River Tagus", date(2024, 4, 1)): 100,
        ("en.wikipedia", "AC/DC", MARCH_1): 3,
        ("en.wikipedia", "Talk:Río Tajo (España)?", MARCH_1): 4,
        ("en.wikipedia", "100% & more #1", MARCH_1): 6,
        ("es.wikipedia", "River Tagus", MARCH_1): 1000,
    }
    with PageviewsServer(views) as running:
        yield running


@pytest.fixture
def client(server: PageviewsServer) -> PageviewsClient:
    return PageviewsClient(server.base_url, max_rate=1000)


def test_sums_the_days_of_a_range_both_ends_included(client: PageviewsClient, server: PageviewsServer) -> None:
    assert client.views("en.wikipedia", "River Tagus", MARCH_1, date(2024, 3, 31)) == 22
    assert client.views("en.wikipedia", "River Tagus", date(2024, 3, 2), date(2024, 3, 5)) == 12
    assert client.views("en.wikipedia", "River Tagus", MARCH_1, date(2024, 4, 1)) == 122
    assert client.views("en.wikipedia", "River Tagus", date(2024, 4, 1), date(2024, 4, 1)) == 100
    # The project counts: the same title elsewhere is another article.
    assert client.views("es.wikipedia", "River Tagus", MARCH_1, MARCH_1) == 1000
    # What was asked: daily, people only, all access methods, YYYYMMDD00 timestamps, with our User-Agent.
    first = server.requests[0]
    assert (first.project, first.access, first.agent, first.granularity, first.start, first.end) == (
        "en.wikipedia", "all-access", "user", "daily", "2024030100", "2024033100",
    )  # fmt: skip
    assert first.user_agent.startswith("pebot/") and "toolforge" in first.user_agent


def test_daily_views_list_every_day_with_zeros(client: PageviewsClient) -> None:
    days = client.daily_views("en.wikipedia", "River_Tagus", MARCH_1, date(2024, 3, 6))
    assert days == {
        MARCH_1: 10, date(2024, 3, 2): 5, date(2024, 3, 3): 0, date(2024, 3, 4): 0, date(2024, 3, 5): 7,
        date(2024, 3, 6): 0,
    }  # fmt: skip
    assert client.daily_views("en.wikipedia", "River Tagus", date(2024, 3, 6), MARCH_1) == {}


@pytest.mark.parametrize(
    ("title", "segment", "views"),
    [
        ("AC/DC", "AC%2FDC", 3),
        ("Talk:Río Tajo (España)?", "Talk%3AR%C3%ADo_Tajo_%28Espa%C3%B1a%29%3F", 4),
        ("100% & more #1", "100%25_%26_more_%231", 6),
    ],
)
def test_titles_are_encoded_as_the_api_requires(
    client: PageviewsClient, server: PageviewsServer, title: str, segment: str, views: int
) -> None:
    assert article_path(title) == segment
    assert client.views("en.wikipedia", title, MARCH_1, MARCH_1) == views
    assert f"/{segment}/daily/" in server.requests[-1].path
    assert server.requests[-1].article == title.replace(" ", "_")


def test_missing_article_or_days_without_views_count_zero(client: PageviewsClient, server: PageviewsServer) -> None:
    assert client.views("en.wikipedia", "No such article", MARCH_1, date(2024, 3, 31)) == 0
    assert server.requests[-1].status == 404
    assert client.views("en.wikipedia", "River Tagus", date(2024, 3, 10), date(2024, 3, 20)) == 0
    server.empty_not_found = True  # the API has also answered "no data" with an empty body
    assert client.views("en.wikipedia", "No such article", MARCH_1, MARCH_1) == 0


def test_range_is_capped_at_365_days_from_the_first_day(client: PageviewsClient, server: PageviewsServer) -> None:
    first = date(2023, 1, 1)
    server.set_views("en.wikipedia", "Old article", first, 1)
    server.set_views("en.wikipedia", "Old article", first + timedelta(days=364), 2)
    server.set_views("en.wikipedia", "Old article", first + timedelta(days=365), 4)
    assert capped(first, date(2025, 6, 1)) == (first, date(2023, 12, 31))
    assert client.views("en.wikipedia", "Old article", first, date(2025, 6, 1)) == 3
    assert (server.requests[-1].start, server.requests[-1].end) == ("2023010100", "2023123100")
    assert len(client.daily_views("en.wikipedia", "Old article", first, date(2025, 6, 1))) == 365


def test_bad_dates_are_an_error_not_zero(server: PageviewsServer) -> None:
    response = requests.get(
        f"{server.base_url}/metrics/pageviews/per-article/en.wikipedia/all-access/user/River_Tagus/daily/2024023000/"
        "2024030100",
        timeout=5,
    )
    assert response.status_code == 400
    assert response.headers["Content-Type"].startswith("application/problem+json")
    assert "start timestamp is invalid" in response.json()["detail"]
    reversed_range = requests.get(
        f"{server.base_url}/metrics/pageviews/per-article/en.wikipedia/all-access/user/River_Tagus/daily/2024030200/"
        "2024030100",
        timeout=5,
    )
    assert reversed_range.status_code == 400
    client = PageviewsClient(server.base_url.replace("/rest_v1", "/rest_v2"), max_rate=1000)
    with pytest.raises(PageviewsError, match="invalid route"):
        client.views("en.wikipedia", "River Tagus", MARCH_1, MARCH_1)


def test_server_speaks_the_api_format(server: PageviewsServer) -> None:
    base = f"{server.base_url}/metrics/pageviews/per-article/en.wikipedia/all-access/user/River_Tagus"
    daily = requests.get(f"{base}/daily/2024030100/2024030300", timeout=5)
    assert daily.status_code == 200
    assert daily.json() == {
        "items": [
            {"project": "en.wikipedia", "article": "River_Tagus", "granularity": "daily", "timestamp": "2024030100",
             "access": "all-access", "agent": "user", "views": 10},
            {"project": "en.wikipedia", "article": "River_Tagus", "granularity": "daily", "timestamp": "2024030200",
             "access": "all-access", "agent": "user", "views": 5},
        ]
    }  # fmt: skip
    monthly = requests.get(f"{base}/monthly/2024030100/2024043000", timeout=5).json()["items"]
    assert [(i["timestamp"], i["views"]) for i in monthly] == [("2024030100", 22), ("2024040100", 100)]
    missing = requests.get(f"{base}_nowhere/daily/2024030100/2024030300", timeout=5)
    assert missing.status_code == 404
    assert "do not have data for those date(s)" in missing.json()["detail"]


def test_retries_rate_limits_and_server_errors(server: PageviewsServer) -> None:
    client = PageviewsClient(server.base_url, max_rate=1000, sleep=lambda seconds: None)
    server.fail_next = [429, 503]
    assert client.views("en.wikipedia", "River Tagus", MARCH_1, MARCH_1) == 10
    assert [r.status for r in server.requests] == [429, 503, 200]
    server.fail_next = [500] * 4
    with pytest.raises(PageviewsError, match="500"):
        client.views("en.wikipedia", "River Tagus", MARCH_1, MARCH_1)


def test_requests_are_sequential_and_at_most_max_rate(server: PageviewsServer) -> None:
    client = PageviewsClient(server.base_url, max_rate=20)
    started = time.monotonic()
    totals = client.views_many("en.wikipedia", ["River Tagus", "AC/DC", "Nothing", "River Tagus"], MARCH_1, MARCH_1)
    elapsed = time.monotonic() - started
    assert totals == {"River Tagus": 10, "AC/DC": 3, "Nothing": 0}
    assert client.requests_made == 3
    assert elapsed >= 2 / 20  # three requests: two intervals of 1/20 s


def test_default_base_url_is_wikimedias() -> None:
    assert PageviewsClient().url("en.wikipedia", "AC/DC", MARCH_1, MARCH_1) == (
        f"{DEFAULT_BASE_URL}/metrics/pageviews/per-article/en.wikipedia/all-access/user/AC%2FDC/daily/"
        "2024030100/2024030100"
    )
    assert DEFAULT_BASE_URL == "https://wikimedia.org/api/rest_v1"
