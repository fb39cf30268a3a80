"""Page views from the Wikimedia Pageviews REST API (the "page views" metric of the glossary).

One request per article and range:

    GET {base}/metrics/pageviews/per-article/{project}/{access}/{agent}/{article}/daily/{YYYYMMDD00}/{YYYYMMDD00}

with access ``all-access`` and agent ``user`` (people, not spiders or automated traffic). The answer is
``{"items": [{"project", "article", "granularity", "timestamp": "YYYYMMDD00", "access", "agent", "views"}]}``, one
item per day *with* views: days without views are left out, and a range without any view is a 404 (a problem JSON,
``{"type", "title", "detail": "The date(s) you used are valid, but we either do not have data ...", ...}``, or an
empty body), which means 0 here. A 404 whose detail is "invalid route" is a malformed request and an error. Bad
dates are a 400 problem JSON.

Politeness (https://foundation.wikimedia.org/wiki/Policy:User-Agent_policy, the REST API's rate limits): a
descriptive User-Agent, requests one after another, at most ``max_rate`` per second, and a few retries on 429 and 5xx
answers honouring Retry-After.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from typing import Any
from urllib.parse import quote

import requests

from bot import http_retry

DEFAULT_BASE_URL = "https://wikimedia.org/api/rest_v1"
DEFAULT_USER_AGENT = (
    f"pebot/0.1 (https://pebot.toolforge.org; Programs & Events bot, program page views) "
    f"python-requests/{requests.__version__}"
)
# The metric counts at most this many days per article (the metrics glossary: "capped at 365 days").
MAX_DAYS = 365


class PageviewsError(Exception):
    """The Pageviews API refused the request or kept failing (status and detail are in the message)."""


def article_path(title: str) -> str:
    """A page title as the API's {article} path segment: spaces as underscores, everything but unreserved
    characters percent-encoded as UTF-8 (a '/' in a title must be %2F, or it would split the path)."""
    return quote(title.strip().replace(" ", "_"), safe="")


def api_timestamp(day: date) -> str:
    """The API's daily timestamp for a day: YYYYMMDD00."""
    return day.strftime("%Y%m%d00")


def capped(first_day: date, last_day: date, max_days: int = MAX_DAYS) -> tuple[date, date]:
    """The range the metric counts: from ``first_day``, at most ``max_days`` days, never past ``last_day``."""
    return first_day, min(last_day, first_day + timedelta(days=max_days - 1))


class PageviewsClient:
    """A client of the per-article Pageviews endpoint (daily, ``user`` agent, all access methods)."""

    def __init__(
        self,
        base_url: str = DEFAULT_BASE_URL,
        *,
        user_agent: str = DEFAULT_USER_AGENT,
        max_rate: float = 10.0,
        timeout: float = 30.0,
        retries: int = 3,
        max_days: int = MAX_DAYS,
        access: str = "all-access",
        agent: str = "user",
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if max_rate <= 0:
            raise ValueError("max_rate must be positive")
        self.base_url = base_url.rstrip("/")
        self.min_interval = 1.0 / max_rate
        self.timeout = timeout
        self.retries = retries
        self.max_days = max_days
        self.access = access
        self.agent = agent
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = user_agent
        self.session.headers["Accept"] = "application/json"
        self._sleep = sleep
        self._last_request = float("-inf")
        self.requests_made = 0

    def url(self, project: str, title: str, first_day: date, last_day: date) -> str:
        return (
            f"{self.base_url}/metrics/pageviews/per-article/{quote(project, safe='')}/{self.access}/{self.agent}/"
            f"{article_path(title)}/daily/{api_timestamp(first_day)}/{api_timestamp(last_day)}"
        )

    def daily_views(self, project: str, title: str, first_day: date, last_day: date) -> dict[date, int]:
        """Views per day of one article, every day of the (capped) range included, 0 where the API has none.

        ``project`` is the wiki's domain without ``.org`` or with it (``en.wikipedia``, ``commons.wikimedia.org``);
        ``title`` the full page title with its namespace prefix, spaces or underscores.
        """
        if last_day < first_day:
            return {}
        first_day, last_day = capped(first_day, last_day, self.max_days)
        days = {first_day + timedelta(days=n): 0 for n in range((last_day - first_day).days + 1)}
        for item in self._items(self.url(project, title, first_day, last_day)):
            day = _parse_timestamp(item.get("timestamp"))
            if day in days:
                days[day] += int(item.get("views") or 0)
        return days

    def views(self, project: str, title: str, first_day: date, last_day: date) -> int:
        """Total views of one article over the (capped) range ``[first_day, last_day]``, both inclusive."""
        return sum(self.daily_views(project, title, first_day, last_day).values())

    def views_many(self, project: str, titles: Iterable[str], first_day: date, last_day: date) -> dict[str, int]:
        """Total views of several articles over the same range: one polite request after another."""
        return {title: self.views(project, title, first_day, last_day) for title in dict.fromkeys(titles)}

    # --- HTTP ------------------------------------------------------------------------------------------------

    def _items(self, url: str) -> list[dict[str, Any]]:
        response = http_retry.get(self.session, url, timeout=self.timeout, retries=self.retries, sleep=self._sleep,
                                  error=PageviewsError, before=self._wait_turn)  # fmt: skip
        body = http_retry.json_object(response) or {}
        if response.status_code == 200:
            items = body.get("items")
            if not isinstance(items, list):
                raise PageviewsError(f"{url}: 200 without an items list")
            return items
        if response.status_code == 404:
            if "invalid route" in str(body.get("detail", "")):
                raise PageviewsError(f"{url}: 404 invalid route (a malformed request)")
            return []  # "we either do not have data for those date(s)": no views
        detail = body.get("detail") or response.text[:200]
        raise PageviewsError(f"{url}: {response.status_code} {detail}")

    def _wait_turn(self) -> None:
        """At most one request per ``min_interval`` seconds."""
        wait = self._last_request + self.min_interval - time.monotonic()
        if wait > 0:
            self._sleep(wait)
        self._last_request = time.monotonic()
        self.requests_made += 1


def _parse_timestamp(value: Any) -> date | None:
    text = str(value or "")
    if len(text) < 8 or not text[:8].isdigit():
        return None
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return None
