"""A local stand-in for the Wikimedia Pageviews REST API's per-article endpoint, for tests and the demo.

    with PageviewsServer({("en.wikipedia", "River Tagus", date(2024, 3, 1)): 12}) as server:
        PageviewsClient(server.base_url).views("en.wikipedia", "River Tagus", date(2024, 3, 1), date(2024, 3, 31))

It answers ``GET /api/rest_v1/metrics/pageviews/per-article/{project}/{access}/{agent}/{article}/{granularity}/
{start}/{end}`` as the real API does: ``{"items": [...]}`` with one item per day (or full month) that has views,
days without views left out; a 404 problem JSON ("The date(s) you used are valid, but we either do not have data
...") when nothing in the range has views; a 404 "invalid route" for a malformed path; a 400 problem JSON for bad
timestamps or parameters. The article segment is percent-decoded after the path is split, so ``AC%2FDC`` is the
title ``AC/DC``. Views are the same for every access method and agent; ``requests`` records what was asked.

Run alone (e.g. for the demo): ``python -m devtools.pageviews_server --port 8190 views.json`` where views.json is
``{"en.wikipedia": {"River Tagus": {"2024-03-01": 12}}}``.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from email.message import Message
from typing import Any
from urllib.parse import unquote, urlsplit

from devtools.standin import Reply, StandInServer

PREFIX = "/api/rest_v1"
ROUTE = ("metrics", "pageviews", "per-article")
ACCESS = frozenset({"all-access", "desktop", "mobile-app", "mobile-web"})
AGENTS = frozenset({"all-agents", "user", "spider", "automated"})
NOT_LOADED = (
    "The date(s) you used are valid, but we either do not have data for those date(s), or the project you asked "
    "for is not loaded yet. Please check documentation for more information."
)


def normal_title(title: str) -> str:
    return title.strip().replace(" ", "_")


def normal_project(project: str) -> str:
    return project.removesuffix(".org")


@dataclass(frozen=True)
class Request:
    """One request the server answered: its decoded article, parameters, User-Agent and status."""

    path: str
    project: str
    article: str
    access: str
    agent: str
    granularity: str
    start: str
    end: str
    user_agent: str
    status: int


class PageviewsServer(StandInServer):
    """The per-article endpoint over ``views[(project, title, day)]``, on 127.0.0.1 in a background thread."""

    name = "pageviews"
    prefix = PREFIX

    def __init__(self, views: Mapping[tuple[str, str, date], int] | None = None, port: int = 0) -> None:
        super().__init__(port)
        self.views: dict[tuple[str, str], dict[date, int]] = defaultdict(dict)
        for (project, title, day), count in (views or {}).items():
            self.set_views(project, title, day, count)
        self.requests: list[Request] = []
        # Answer "no data" with an empty body instead of a problem JSON (the API has done both).
        self.empty_not_found = False

    def set_views(self, project: str, title: str, day: date, count: int) -> None:
        self.views[normal_project(project), normal_title(title)][day] = count

    # --- answering --------------------------------------------------------------------------------------------

    def answer(self, path: str) -> tuple[int, dict[str, Any] | None, dict[str, str]]:
        """Status, JSON body (None: empty) and the request's decoded parameters, for a request path."""
        raw = urlsplit(path).path
        if not raw.startswith(PREFIX + "/"):
            return 404, problem(404, "invalid route", raw), {}
        parts = raw[len(PREFIX) + 1 :].split("/")
        if len(parts) != 10 or tuple(parts[:3]) != ROUTE:
            return 404, problem(404, "invalid route", raw), {}
        project, access, agent, article, granularity, start, end = (unquote(p) for p in parts[3:])
        params = {"project": project, "article": article, "access": access, "agent": agent,
                  "granularity": granularity, "start": start, "end": end}  # fmt: skip
        if granularity not in ("daily", "monthly"):
            return 404, problem(404, "invalid route", raw), params
        if access not in ACCESS or agent not in AGENTS:
            return 400, problem(400, "Invalid parameters: access or agent", raw), params
        first, last = parse_day(start), parse_day(end)
        if first is None:
            return 400, problem(400, "start timestamp is invalid, must be a valid date in YYYYMMDD format", raw), params
        if last is None:
            return 400, problem(400, "end timestamp is invalid, must be a valid date in YYYYMMDD format", raw), params
        if last < first:
            return 400, problem(400, "start timestamp should be before the end timestamp", raw), params
        with self._lock:
            daily = dict(self.views.get((normal_project(project), normal_title(article)), {}))
        if granularity == "daily":
            counts = {day: n for day, n in sorted(daily.items()) if first <= day <= last and n > 0}
        else:
            months = full_months(first, last)
            if not months:
                return 400, problem(400, "no full months between dates", raw), params
            counts = {}
            for day, n in sorted(daily.items()):
                month = day.replace(day=1)
                if month in months and n > 0:
                    counts[month] = counts.get(month, 0) + n
        if not counts:
            return 404, (None if self.empty_not_found else problem(404, NOT_LOADED, raw)), params
        items = [
            {"project": normal_project(project), "article": normal_title(article), "granularity": granularity,
             "timestamp": day.strftime("%Y%m%d00"), "access": access, "agent": agent, "views": n}
            for day, n in counts.items()
        ]  # fmt: skip
        return 200, {"items": items}, params

    def reply(self, method: str, path: str, headers: Message, body: bytes) -> Reply:
        if method != "GET":
            return Reply(405, None, b"")
        status, answer, params = self.answer(path)
        forced = self.forced()
        if forced is not None:
            status, answer = forced, problem(forced, "forced by the test", path)
        # Recorded before answering, so a client that has its answer also finds its request here.
        with self._lock:
            self.requests.append(
                Request(path=path, user_agent=headers.get("User-Agent", ""), status=status,
                        **{k: params.get(k, "") for k in ("project", "article", "access", "agent", "granularity",
                                                           "start", "end")})
            )  # fmt: skip
        if answer is None:
            return Reply(status, None, b"")
        kind = "application/json" if status == 200 else "application/problem+json"
        return Reply(status, f"{kind}; charset=utf-8", json.dumps(answer).encode())


def problem(status: int, detail: str, uri: str) -> dict[str, Any]:
    """An RFC 7807 problem document as the API sends it."""
    titles = {400: "Bad Request", 404: "Not Found", 429: "Too Many Requests"}
    return {"type": "about:blank", "title": titles.get(status, "Error"), "method": "get", "status": status,
            "detail": detail, "uri": uri}  # fmt: skip


def parse_day(timestamp: str) -> date | None:
    """YYYYMMDD or YYYYMMDDHH (hour 00-23) as a date; None if it isn't one."""
    if len(timestamp) not in (8, 10) or not timestamp.isdigit():
        return None
    if len(timestamp) == 10 and int(timestamp[8:]) > 23:
        return None
    try:
        return date(int(timestamp[:4]), int(timestamp[4:6]), int(timestamp[6:8]))
    except ValueError:
        return None


def full_months(first: date, last: date) -> set[date]:
    """First days of the months lying entirely within [first, last]."""
    months: set[date] = set()
    month = first if first.day == 1 else (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    while True:
        following = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
        if following - timedelta(days=1) > last:
            return months
        months.add(month)
        month = following


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve page views from a JSON file like the Pageviews API.")
    parser.add_argument("views", help='JSON: {"en.wikipedia": {"Title": {"2024-03-01": 12}}}')
    parser.add_argument("--port", type=int, default=8190)
    args = parser.parse_args()
    with open(args.views, encoding="utf-8") as source:
        data = json.load(source)
    views = {
        (project, title, date.fromisoformat(day)): int(count)
        for project, titles in data.items()
        for title, days in titles.items()
        for day, count in days.items()
    }
    PageviewsServer(views, port=args.port).serve_until_interrupted(f"serving {len(views)} article-days")


if __name__ == "__main__":
    main()
