"""Article quality from Lift Wing's language-agnostic ``articlequality`` model (the Article Finder's quality column).

One request per revision:

    POST {base}/models/articlequality:predict    {"rev_id": 12345, "lang": "en"}

answered ``{"model_name": "articlequality", "model_version": "1", "wiki_db": "enwiki", "revision_id": 12345,
"score": 0.1039}``: a score from 0 (poor) to 1 (good), computed from the revision's structure (length, references,
sections, wikilinks, categories, media), for every Wikipedia language. A revision the model cannot score (deleted, not
an article, a language it lacks) is a 4xx with ``{"error": "..."}``, which means "no score" here, never a failure of
the whole list. The base URL is the wiki's ``articlequality_url`` (config); without one the wiki has no quality
column. The same politeness as the Pageviews client: a descriptive User-Agent, one request after another, retries on
429 and 5xx honouring Retry-After.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

import requests

from bot import http_retry

MODEL = "articlequality"
DEFAULT_USER_AGENT = (
    f"pebot/0.1 (https://pebot.toolforge.org; Programs & Events bot, Article Finder) "
    f"python-requests/{requests.__version__}"
)


class LiftWingError(Exception):
    """Lift Wing kept failing (connection errors, 5xx): the caller shows no quality rather than wrong ones."""


class LiftWingClient:
    """A client of one Lift Wing inference endpoint's ``articlequality`` model."""

    def __init__(
        self,
        base_url: str,
        *,
        user_agent: str = DEFAULT_USER_AGENT,
        timeout: float = 30.0,
        retries: int = 3,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.url = f"{base_url.rstrip('/')}/models/{MODEL}:predict"
        self.timeout = timeout
        self.retries = retries
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = user_agent
        self._sleep = sleep

    def score(self, rev_id: int, lang: str) -> float | None:
        """The quality score of one revision (0..1), or None when the model has none for it."""
        response = http_retry.get(self.session, self.url, timeout=self.timeout, retries=self.retries,
                                  sleep=self._sleep, error=LiftWingError,
                                  json_body={"rev_id": int(rev_id), "lang": lang})  # fmt: skip
        if response.status_code in http_retry.RETRY_STATUSES:
            raise LiftWingError(f"{self.url}: {response.status_code} for revision {rev_id}")
        body = http_retry.json_object(response) or {}
        value = body.get("score")
        if response.status_code != 200 or isinstance(value, bool) or not isinstance(value, int | float):
            return None
        return min(max(float(value), 0.0), 1.0)

    def scores(self, rev_ids: Iterable[int], lang: str) -> dict[int, float | None]:
        return {rev_id: self.score(rev_id, lang) for rev_id in dict.fromkeys(rev_ids)}
