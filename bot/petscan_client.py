"""Stored PetScan queries (PSIDs) run through PetScan's own JSON output, for a program's ``petscan=<PSID>`` scope.

One request per PSID:

    GET {base}/?psid=<id>&format=json&output_compatability=quick-intersection

PetScan (github.com/magnusmanske/petscan_rs) loads the query stored under the PSID and lays it under the request's
parameters (``FormParameters::rebase``: a parameter of the request wins, the stored ones fill the rest), runs it and
renders it (src/render/json.rs). The default JSON output ("catscan") is
``{"n": "result", "a": {"query", "querytime_sec"}, "*": [{"n": "combination", "a": {"type", "*": [{"n": "page",
"title", "id", "namespace", "len", "touched", "nstext"}, ...]}}]}`` and does not say which wiki the pages are on. The
"quick-intersection" output used here does:

    {"namespaces": {"0": "", "1": "Talk", ...}, "wiki": "enwiki", "status": "OK", "start": 0, "max": n + 1,
     "query": "https://petscan.wmflabs.org/?...", "pagecount": n, "querytime": 0.1,
     "pages": [{"page_id", "page_namespace", "page_title", "page_latest", "page_len"}, ...]}

``wiki`` is the database name PetScan derives from the query's ``language`` and ``project`` (``Platform::
get_main_wiki``), null when it knows no such wiki; titles have underscores and no namespace prefix. A stored query
with ``sparse`` set lists full titles instead (``"Talk:Foo"``); they are split with the answer's ``namespaces``.
When ``wiki`` is null the caller assumes the organizer's tracked wiki (bot/stats.py). PetScan moves a few kinds of
query onto another wiki than ``language``/``project`` name (a SPARQL-only query yields Wikidata items): those are
taken as the named wiki's pages, which is what the organizer wrote in the query form.

Errors come as ``{"error": "<text>"}`` (``AppState::render_error``): an unknown PSID is
``{"error": "No such PSID in the database"}``, with HTTP 500 on current PetScan and 200 on older deployments, so the
body decides, not the status. That one is final; other 5xx and 429 answers (PetScan's own, or Toolforge's front
proxy's HTML page) are retried a couple of times.

Politeness (https://foundation.wikimedia.org/wiki/Policy:User-Agent_policy): a descriptive User-Agent, one request at
a time, and long read timeouts rather than repeated requests, since every request re-runs the query on the replicas.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import requests

from bot import http_retry

DEFAULT_BASE_URL = "https://petscan.wmflabs.org"
DEFAULT_USER_AGENT = (
    f"pebot/0.1 (https://pebot.toolforge.org; Programs & Events bot, program article scopes) "
    f"python-requests/{requests.__version__}"
)
OUTPUT = "quick-intersection"
"""PetScan's JSON flavour that names the query's wiki; its default ("catscan") does not."""
NO_SUCH_PSID = "No such PSID in the database"


class PetscanError(Exception):
    """PetScan could not give a PSID's pages: unknown PSID, its error, a malformed answer, or it kept failing."""


@dataclass(frozen=True)
class PetscanResult:
    """A stored query's pages, as (namespace number, title without prefix with underscores): the key scopes use."""

    psid: int
    wiki: str | None
    """The database name of the wiki the query ran on (enwiki, commonswiki), or None if PetScan did not say."""
    pages: frozenset[tuple[int, str]]

    def pages_on(self, wiki: str) -> frozenset[tuple[int, str]]:
        """The pages if the query ran on ``wiki`` (a database name); none if it ran elsewhere, since the same title
        on another wiki is another page. When PetScan did not name a wiki, ``wiki`` is assumed."""
        return self.pages if self.wiki in (None, wiki) else frozenset()


class PetscanClient:
    """Runs stored PetScan queries by PSID. One instance per run: it keeps a connection, never results."""

    def __init__(
        self,
        base_url: str = DEFAULT_BASE_URL,
        *,
        user_agent: str = DEFAULT_USER_AGENT,
        connect_timeout: float = 10.0,
        read_timeout: float = 300.0,
        retries: int = 2,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        """``read_timeout``: PetScan answers only when the query has run, which takes minutes for big category
        trees (its own budget is 30 minutes); a shorter wait would only make the retry run it again."""
        self.base_url = base_url.rstrip("/")
        self.timeout = (connect_timeout, read_timeout)
        self.retries = retries
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = user_agent
        self.session.headers["Accept"] = "application/json"
        self._sleep = sleep

    def url(self, psid: int) -> str:
        return f"{self.base_url}/?psid={int(psid)}&format=json&output_compatability={OUTPUT}"

    def query(self, psid: int) -> PetscanResult:
        """The pages of stored query ``psid`` and the wiki they are on; ``PetscanError`` when that cannot be had."""
        if psid <= 0:
            raise PetscanError(f"PSID {psid}: not a PetScan query id")
        url = self.url(psid)
        data = self._get(url)
        return parse(psid, data, url)

    # --- HTTP ------------------------------------------------------------------------------------------------

    def _get(self, url: str) -> dict[str, Any]:
        def worth_retrying(response: requests.Response) -> bool:
            # An unknown PSID comes back as a 500 (older PetScan: 200): asking again will not create it.
            reported = (http_retry.json_object(response) or {}).get("error")
            unknown = reported is not None and NO_SUCH_PSID.lower() in str(reported).lower()
            return response.status_code in http_retry.RETRY_STATUSES and not unknown

        response = http_retry.get(self.session, url, timeout=self.timeout, retries=self.retries, sleep=self._sleep,
                                  error=PetscanError, retry=worth_retrying)  # fmt: skip
        data = http_retry.json_object(response)
        reported = data.get("error") if data is not None else None
        if reported is not None:
            raise PetscanError(f"{url}: {response.status_code} {reported}")
        if response.status_code != 200:
            raise PetscanError(f"{url}: {response.status_code} {response.text[:200]}")
        if data is None:
            raise PetscanError(f"{url}: the answer is not a JSON object: {response.text[:200]!r}")
        return data


def parse(psid: int, data: Mapping[str, Any], source: str = "PetScan") -> PetscanResult:
    """A quick-intersection answer as a result; ``PetscanError`` when it is not one."""
    pages = data.get("pages")
    if not isinstance(pages, list):
        raise PetscanError(f"{source}: the answer has no pages list (keys: {', '.join(sorted(data))})")
    wiki = data.get("wiki")
    if wiki is not None and not (isinstance(wiki, str) and wiki):
        raise PetscanError(f"{source}: wiki is {wiki!r}, not a database name")
    prefixes = _prefixes(data.get("namespaces"))
    found: set[tuple[int, str]] = set()
    for page in pages:
        if isinstance(page, dict):
            namespace, title = page.get("page_namespace"), page.get("page_title")
            if not isinstance(namespace, int) or isinstance(namespace, bool) or not isinstance(title, str):
                raise PetscanError(f"{source}: a page without a numeric namespace and a title: {page!r}")
        elif isinstance(page, str):  # a stored query with "sparse": full titles
            namespace, title = _split(page, prefixes)
        else:
            raise PetscanError(f"{source}: a page that is neither an object nor a title: {page!r}")
        title = title.replace(" ", "_")
        if title:
            found.add((namespace, title))
    return PetscanResult(psid, wiki, frozenset(found))


def _prefixes(namespaces: Any) -> dict[str, int]:
    """The answer's namespace names (id -> local name) as lower-case prefixes with spaces -> id."""
    if not isinstance(namespaces, dict):
        return {}
    prefixes: dict[str, int] = {}
    for number, name in namespaces.items():
        if isinstance(name, str) and name and str(number).lstrip("-").isdigit():
            prefixes[name.replace("_", " ").lower()] = int(number)
    return prefixes


def _split(full_title: str, prefixes: Mapping[str, int]) -> tuple[int, str]:
    prefix, colon, rest = full_title.partition(":")
    if colon and prefix.replace("_", " ").lower() in prefixes:
        return prefixes[prefix.replace("_", " ").lower()], rest
    return 0, full_title
