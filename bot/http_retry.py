"""Polite requests to the Wikimedia web services the bot reads (Pageviews, PetScan, Lift Wing): a few retries on
connection errors, 429 and 5xx answers, honouring Retry-After, and a JSON body read without trusting it. Each client
decides what the final answer means."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import requests

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


def get(
    session: requests.Session,
    url: str,
    *,
    timeout: float | tuple[float, float],
    retries: int,
    sleep: Callable[[float], None],
    error: Callable[[str], Exception],
    retry: Callable[[requests.Response], bool] = lambda response: response.status_code in RETRY_STATUSES,
    before: Callable[[], None] = lambda: None,
    json_body: object | None = None,
) -> requests.Response:
    """The last answer to ``url`` (a GET, or a POST of ``json_body`` when one is given) after at most ``retries``
    retries (waits 1, 2, 4 s, or what Retry-After says, at most 60 s); ``retry`` says which answers are worth asking
    again, ``before`` runs before each request (a rate limit), and a connection that keeps failing raises
    ``error(message)``."""
    for attempt in range(retries + 1):
        before()
        try:
            if json_body is None:
                response = session.get(url, timeout=timeout)
            else:
                response = session.post(url, json=json_body, timeout=timeout)
        except requests.RequestException as failure:
            if attempt == retries:
                raise error(f"{url}: {failure}") from failure
            sleep(2.0**attempt)
            continue
        if attempt < retries and retry(response):
            sleep(retry_after(response, default=2.0**attempt))
            continue
        return response
    raise AssertionError("unreachable")


def json_object(response: requests.Response) -> dict[str, Any] | None:
    """The body as a JSON object; None if it is not one (an empty body, an HTML error page from a proxy, JSONP)."""
    if not response.content:
        return None
    try:
        data = response.json()
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def retry_after(response: requests.Response, default: float) -> float:
    try:
        return min(60.0, max(0.0, float(response.headers.get("Retry-After", default))))
    except ValueError:
        return default
