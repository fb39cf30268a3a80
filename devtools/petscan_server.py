"""A local stand-in for PetScan (petscan.wmflabs.org) answering stored queries by PSID, for tests and the demo.

    with PetscanServer({123: StoredQuery("devwiki", [(0, "Ebro"), (1, "Ebro")])}) as server:
        PetscanClient(server.base_url).query(123)

It answers ``GET /?psid=<id>&format=json[&output_compatability=catscan|quick-intersection][&sparse=1]
[&callback=f][&json-pretty=1]`` as PetScan does (github.com/magnusmanske/petscan_rs: src/webserver.rs
``process_form``, src/render/json.rs, src/app_state.rs ``render_error``): the stored query's parameters fill in
those the request leaves out or blank; the default JSON output is the "catscan" tree
(``{"n": "result", "a": {...}, "*": [{"n": "combination", "a": {"type", "*": [pages]}}]}``), "quick-intersection"
the flat one naming the wiki. An unknown PSID is ``{"error": "No such PSID in the database"}`` with HTTP 500 (what
current PetScan sends: its error classifier files that text under "internal"); a PSID that is not a number is a 400.
Without ``format`` (or with ``format=html``) and without ``doit`` it returns the query form, as PetScan does. Other
formats (csv, wiki, ...) are not spoken here and get a plain 501 saying so. Nothing is run: the test states each
PSID's wiki and pages. ``requests`` records what was asked; ``fail_next`` forces answers (e.g. ``[500]``), given
as Toolforge's front proxy gives them: an HTML page.

Run alone (e.g. for the demo): ``python -m devtools.petscan_server --port 8192 queries.json`` where queries.json is
``{"123": {"wiki": "devwiki", "pages": [[0, "Ebro"], [1, "Ebro"]]}}``.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from email.message import Message
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from devtools.standin import Reply, StandInServer

NO_SUCH_PSID = "No such PSID in the database"
CANONICAL_NAMESPACES = {
    -2: "Media", -1: "Special", 0: "", 1: "Talk", 2: "User", 3: "User talk", 4: "Project", 5: "Project talk",
    6: "File", 7: "File talk", 8: "MediaWiki", 9: "MediaWiki talk", 10: "Template", 11: "Template talk", 12: "Help",
    13: "Help talk", 14: "Category", 15: "Category talk",
}  # fmt: skip
"""What a wiki's siteinfo gives PetScan for its namespace names; a test may give a wiki's own."""
FORM_PAGE = "<!DOCTYPE html><html><head><title>PetScan</title></head><body><!--querystring--></body></html>"


@dataclass(frozen=True)
class StoredQuery:
    """What PetScan keeps under a PSID (its parameters) and what running it gives (``wiki`` and ``pages``).

    ``wiki`` is PetScan's name for the wiki of the query's language and project (``enwiki``), None when it knows no
    such wiki. ``pages``: (namespace, title) with or without underscores, in PetScan's output order."""

    wiki: str | None
    pages: Sequence[tuple[int, str]]
    params: Mapping[str, str] = field(default_factory=dict)
    namespaces: Mapping[int, str] = field(default_factory=lambda: dict(CANONICAL_NAMESPACES))


@dataclass(frozen=True)
class Request:
    """One request the server answered: its decoded parameters, User-Agent and status."""

    path: str
    params: dict[str, str]
    user_agent: str
    status: int


class PetscanServer(StandInServer):
    """PetScan's query endpoint over ``queries[psid]``, on 127.0.0.1 in a background thread."""

    name = "petscan"

    def __init__(self, queries: Mapping[int, StoredQuery] | None = None, port: int = 0) -> None:
        super().__init__(port)
        self.queries: dict[int, StoredQuery] = dict(queries or {})
        self.requests: list[Request] = []

    # --- answering --------------------------------------------------------------------------------------------

    def answer(self, path: str) -> tuple[int, str, str, dict[str, str]]:
        """Status, content type, body and the request's parameters (after the stored query's), for a request path."""
        query = urlsplit(path).query
        if not query:
            return 200, "text/html; charset=utf-8", FORM_PAGE.replace("<!--querystring-->", ""), {}
        params = dict(parse_qsl(query, keep_blank_values=True))
        stored: StoredQuery | None = None
        psid = params.get("psid", "").strip()
        if psid:
            if not psid.isdigit():
                return self.error(400, "invalid digit found in string", params)
            with self._lock:
                stored = self.queries.get(int(psid))
            if stored is None:
                return self.error(500, NO_SUCH_PSID, params)
            for key, value in stored.params.items():  # FormParameters::rebase
                if not params.get(key):
                    params[key] = value
        output = params.get("format", "html")
        if output in ("", "html"):
            if "doit" not in params or "norun" in params:
                form = FORM_PAGE.replace("<!--querystring-->", urlencode(params))
                return 200, "text/html; charset=utf-8", form, params
            return 501, "text/plain; charset=utf-8", "This stand-in renders json only.", params
        if output != "json":
            return 501, "text/plain; charset=utf-8", f"This stand-in renders json only, not {output}.", params
        if stored is None:
            return self.error(400, "invalid query: this stand-in runs stored queries (psid) only", params)
        if params.get("output_compatability", "catscan") == "quick-intersection":
            result = quick_intersection(stored, params)
        else:
            result = cat_scan(stored, params)
        pretty = "json-pretty" in params
        text = json.dumps(result, indent=2 if pretty else None, separators=None if pretty else (",", ":"))
        kind = "text/plain; charset=utf-8" if pretty else "application/json"
        if params.get("callback"):
            return 200, "application/javascript", f"{params['callback']}({text})", params
        return 200, kind, text, params

    def error(self, status: int, message: str, params: dict[str, str]) -> tuple[int, str, str, dict[str, str]]:
        """``AppState::render_error``: in the requested format, with the status its classifier picks."""
        output = params.get("format")
        if output in ("", "html", None):
            page = FORM_PAGE.replace("<!--querystring-->", f"<div class='alert alert-danger'>{message}</div>")
            return status, "text/html; charset=utf-8", page, params
        if output == "json":
            text = json.dumps({"error": message}, separators=(",", ":"))
            if params.get("callback"):
                return status, "application/javascript", f"{params['callback']}({text})", params
            return status, "application/json", text, params
        return status, "text/plain; charset=utf-8", message, params

    def reply(self, method: str, path: str, headers: Message, body: bytes) -> Reply:
        if method != "GET":
            return Reply(405, "text/plain; charset=utf-8", b"Method Not Allowed")
        status, kind, text, params = self.answer(path)
        forced = self.forced()
        if forced is not None:  # as Toolforge's front proxy gives it: an HTML page
            status, kind = forced, "text/html; charset=utf-8"
            text = f"<html><body><h1>{forced}</h1><p>forced by the test</p></body></html>"
        # Recorded before answering, so a client that has its answer also finds its request here.
        with self._lock:
            self.requests.append(Request(path=path, params=params, user_agent=headers.get("User-Agent", ""),
                                         status=status))  # fmt: skip
        return Reply(status, kind, text.encode(), {"Access-Control-Allow-Origin": "*"})


def _query_string(params: Mapping[str, str]) -> str:
    """``get_query_string``: the merged parameters as PetScan shows them back."""
    return "https://petscan.wmflabs.org/?" + urlencode(params)


def _title(title: str) -> str:
    return title.strip().replace(" ", "_")


def _full_title(stored: StoredQuery, namespace: int, title: str) -> str:
    name = stored.namespaces.get(namespace, "")
    return f"{name.replace(' ', '_')}:{_title(title)}" if name else _title(title)


def cat_scan(stored: StoredQuery, params: Mapping[str, str]) -> dict[str, Any]:
    """PetScan's default JSON output (``RenderJSON::cat_scan``); it does not say which wiki the pages are on."""
    entries: list[Any]
    if "sparse" in params:
        entries = [_full_title(stored, namespace, title) for namespace, title in stored.pages]
    else:
        entries = [
            {"n": "page", "title": _title(title), "id": 1000 + n, "namespace": namespace, "len": 100,
             "touched": "20240301100000", "nstext": CANONICAL_NAMESPACES.get(namespace, "")}
            for n, (namespace, title) in enumerate(stored.pages)
        ]  # fmt: skip
    return {
        "n": "result",
        "a": {"query": _query_string(params), "querytime_sec": 0.01},
        "*": [{"n": "combination", "a": {"type": params.get("combination") or "subset", "*": entries}}],
    }


def quick_intersection(stored: StoredQuery, params: Mapping[str, str]) -> dict[str, Any]:
    """PetScan's ``output_compatability=quick-intersection`` output (``RenderJSON::quick_intersection``)."""
    pages = stored.pages
    entries: list[Any]
    if "sparse" in params:
        entries = [_full_title(stored, namespace, title) for namespace, title in pages]
    else:
        entries = [
            {"page_id": 1000 + n, "page_namespace": namespace, "page_title": _title(title),
             "page_latest": "20240301100000", "page_len": 100}
            for n, (namespace, title) in enumerate(pages)
        ]  # fmt: skip
    return {
        "namespaces": {str(number): name for number, name in sorted(stored.namespaces.items())},
        "wiki": stored.wiki,
        "status": "OK",
        "start": 0,
        "max": len(pages) + 1,
        "query": _query_string(params),
        "pagecount": len(pages),
        "pages": entries,
        "querytime": 0.01,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve stored PetScan queries from a JSON file like PetScan.")
    parser.add_argument("queries", help='JSON: {"123": {"wiki": "devwiki", "pages": [[0, "Ebro"]]}}')
    parser.add_argument("--port", type=int, default=8192)
    args = parser.parse_args()
    with open(args.queries, encoding="utf-8") as source:
        data = json.load(source)
    queries = {
        int(psid): StoredQuery(
            wiki=query.get("wiki"),
            pages=[(int(namespace), str(title)) for namespace, title in query.get("pages", [])],
            params={str(key): str(value) for key, value in query.get("params", {}).items()},
        )
        for psid, query in data.items()
    }
    PetscanServer(queries, port=args.port).serve_until_interrupted(f"serving {len(queries)} stored queries")


if __name__ == "__main__":
    main()
