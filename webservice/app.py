"""Flask application (``app``) served by Toolforge's ``webservice``; it only reads the store, never the wikis.

This module holds what every page shares: the request's store, the security headers, the reader's language, and
the helpers templates call. The pages live in modules named after them (``home``, ``program_pages``,
``campaign_pages``, ``user_pages``, ``edit_log``, ``downloads``), imported at the end so their routes register
on ``app``; ``tabs`` builds the rows of the tabs a program and a campaign share, ``charts`` their SVG charts.

Templates are Jinja with autoescape on: program names, titles and messages come from wiki pages that anyone can
edit, so nothing from the store is ever marked safe. Every response also carries headers that keep a browser from
running, sniffing or framing anything else (see ``_security_headers``), and the site never changes the database's
schema: a schema the code does not match answers 503 until the bot's ``db upgrade`` has run. Its only write is a
refresh request (a program's row in the update queue, bot/queue.py), signed, coalesced and rate-limited.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from contextlib import suppress
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import pymysql
from flask import Flask, Response, abort, g, render_template, request, send_from_directory

from bot import metric_registry
from bot.clock import iso
from bot.config import Settings, StateConfig, load_settings
from bot.i18n import direction, language_name, languages, render, translate
from bot.program import Message
from bot.store import ProgramSummary, SchemaOutdated, Store

app = Flask(__name__)
settings: Settings = load_settings()

TEMPLATES = Path(app.root_path) / (app.template_folder or "templates")


class StoreUnavailableError(Exception):
    """The state database cannot serve this request (outdated schema, unreachable server): the site answers 503."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


DATABASE_ERRORS = (sqlite3.Error, pymysql.err.Error, OSError)
"""What opening the store raises when the database is not there or not reachable."""


SCHEMA_CHECK_SECONDS = 300.0
"""How long a schema found current is trusted: ``db upgrade`` runs before a new bot starts, so a site that notices
an outdated schema a few minutes late only serves the old pages a little longer; checking it on every request cost
MariaDB a round trip per page."""

IDLE_STORES = 8
"""Connections kept between requests, about one per server thread; beyond that a burst's extra ones are closed."""


class StorePool:
    """Stores kept open across requests: a new MariaDB connection per request (TCP, handshake, and PyMySQL's SSL
    context) was most of a small page's time. A store is taken by one request at a time and pinged when taken
    (``Store.ensure_connected`` reconnects one the server dropped), so a dead connection costs a reconnect, not the
    next visitor's page. Tests switch ``settings.state`` between tests: a new config drops the old config's stores
    and forgets its schema check."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._config: StateConfig | None = None
        self._idle: list[Store] = []
        self._checked_at: float | None = None

    def take(self, config: StateConfig) -> Store:
        """A connected store for ``config``; raises ``SchemaOutdated`` or a database error as ``Store.open`` does."""
        with self._lock:
            stale: list[Store] = []
            if config != self._config:
                stale, self._idle = self._idle, []
                self._config, self._checked_at = config, None
            taken = self._idle.pop() if self._idle else None
            check = self._checked_at is None or time.monotonic() - self._checked_at > SCHEMA_CHECK_SECONDS
        for old in stale:
            _close_quietly(old)
        opened = taken if taken is not None else Store.connect(config)
        try:
            opened.ensure_connected()
            if check:
                if pending := opened.pending_migrations():
                    raise SchemaOutdated(
                        f"state database needs migrations {', '.join(pending)}: run python -m bot db upgrade"
                    )
                with self._lock:
                    if config == self._config:
                        self._checked_at = time.monotonic()
        except BaseException:
            _close_quietly(opened)
            raise
        return opened

    def give_back(self, config: StateConfig, used: Store, *, broken: bool) -> None:
        """Keep ``used`` for a later request, unless its request failed on the database or the pool is full."""
        with self._lock:
            if not broken and config == self._config and len(self._idle) < IDLE_STORES:
                self._idle.append(used)
                return
        _close_quietly(used)

    def clear(self) -> None:
        """Close every idle store and forget the schema check (the next request checks again)."""
        with self._lock:
            stale, self._idle = self._idle, []
            self._config, self._checked_at = None, None
        for old in stale:
            _close_quietly(old)


def _close_quietly(used: Store) -> None:
    with suppress(*DATABASE_ERRORS):
        used.close()


STORES = StorePool()


def store() -> Store:
    """The request's store, opened without migrating: a web request must never change the schema (a half-applied
    migration under load, or a newer site against an older bot, would corrupt what the bot relies on)."""
    if "store" not in g:
        config = settings.state
        try:
            g.store = STORES.take(config)
        except SchemaOutdated as error:
            app.logger.warning("state database outdated: %s", error)
            raise StoreUnavailableError("schema outdated") from error
        except DATABASE_ERRORS as error:
            app.logger.warning("state database unreachable: %s", error)
            raise StoreUnavailableError("database unreachable") from error
        g.store_config = config
    return g.store  # type: ignore[no-any-return]


def programs() -> list[ProgramSummary]:
    """Every program the store knows, read once per request (several parts of a page need them)."""
    if "programs" not in g:
        g.programs = store().programs()
    return g.programs  # type: ignore[no-any-return]


def find_program(key: str) -> ProgramSummary:
    """The program with this key, or a 404: from the request's list when a part of the page read every program
    already, otherwise read alone (a program's page read every program only to find its own)."""
    found = next((p for p in programs() if p.key == key), None) if "programs" in g else store().program(key)
    if found is None:
        abort(404)
    return found


@app.errorhandler(StoreUnavailableError)
def _unavailable(error: StoreUnavailableError) -> Response:
    """A short plain answer instead of a traceback; details go to the log, not to the visitor."""
    text = translate(language(), "web-unavailable")
    if request.endpoint == "healthz":
        text = f"unavailable: {error.reason}"
    response = Response(text + "\n", status=503, mimetype="text/plain")
    response.headers["Retry-After"] = "300"
    return response


@app.errorhandler(sqlite3.OperationalError)
@app.errorhandler(pymysql.err.OperationalError)
def _database_failed(error: Exception) -> Response:
    """The database went away (or lost a table) in the middle of a request: unavailable, not a server bug."""
    app.logger.warning("state database failed during a request: %s", error)
    g.store_broken = True  # not kept for the next request
    return _unavailable(StoreUnavailableError("database unreachable"))


FRAMEABLE_ENDPOINTS: frozenset[str] = frozenset({"program_embed"})
"""Endpoints other sites may show in a frame: the live stats an organizer pastes into a blog. Every other page
refuses framing, so a hostile page cannot overlay ours (clickjacking)."""


def _image_sources() -> str:
    """The origins of the file wikis (Commons-like): the uploads tab shows their thumbnails, nothing else's."""
    origins = set()
    for wiki in settings.wikis.values():
        if wiki.kind == "files":
            parts = urlsplit(wiki.article_url)
            origins.add(f"{parts.scheme}://{parts.netloc}")
    return " ".join(["'self'", *sorted(origins)])


def _content_security_policy(frame_ancestors: str) -> str:
    """Only our own stylesheets and links (and the file wikis' images); no script at all, no plugin, no <base>
    rewriting, forms to us only."""
    return (
        f"default-src 'self'; img-src {_image_sources()}; script-src 'none'; object-src 'none'; base-uri 'none'; "
        f"form-action 'self'; frame-ancestors {frame_ancestors}"
    )


@app.after_request
def _security_headers(response: Response) -> Response:
    """Headers for every response, error pages and downloads included, written here once. Wiki text reaches every
    page, so even if escaping ever failed the browser would run nothing, guess no type and keep the URL to itself."""
    frameable = request.endpoint in FRAMEABLE_ENDPOINTS
    response.headers["Content-Security-Policy"] = _content_security_policy("*" if frameable else "'none'")
    if not frameable:
        response.headers["X-Frame-Options"] = "DENY"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    return response


@app.route("/site.css")
def stylesheet() -> Response:
    """The site's own stylesheet, a file rather than an inline <style> so the policy needs no 'unsafe-inline'. The
    Codex design tokens it uses are vendored by scripts/bootstrap into static/vendor/ (served as /static/...)."""
    return send_from_directory(TEMPLATES, "site.css", mimetype="text/css", max_age=3600)


@app.teardown_appcontext
def _close_store(_error: BaseException | None) -> None:
    opened = g.pop("store", None)
    if opened is not None:
        broken = _error is not None or g.pop("store_broken", False)
        STORES.give_back(g.pop("store_config"), opened, broken=broken)


def language() -> str:
    available = languages()
    chosen = request.args.get("uselang")
    if chosen in available:
        return chosen
    return request.accept_languages.best_match(available) or "en"


def url_with(**changes: object) -> str:
    """This page's URL with some query parameters changed (None or '' removes one): pagination, sorting, filters and
    the language switch keep the rest of the query."""
    args = {key: value for key, value in request.args.items(multi=False)}
    for key, value in changes.items():
        if value is None or value == "":
            args.pop(key, None)
        else:
            args[key] = str(value)
    return request.path + ("?" + urlencode(args) if args else "")


def next_update(summary: ProgramSummary) -> str:
    """The time the program is due in the update queue (its tier's next update, bot/tiers.py, or now if an update
    is waiting); a frozen program only when its page changes. A failed last update is tried at the next tick."""
    entry = store().queue_entry(summary.key)
    if entry is not None:
        return iso(entry.due_at)
    if summary.frozen:
        return translate(language(), "web-next-update-frozen")
    if summary.next_update:
        return summary.next_update
    checked = datetime.strptime(summary.checked_at, "%Y-%m-%dT%H:%M:%SZ")
    return (checked + timedelta(minutes=settings.update_interval_minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")


def page_url(wiki: str, title: str) -> str | None:
    config = settings.wikis.get(wiki)
    return config.page_url(title) if config else None


def diff_url(wiki: str, revision: int) -> str | None:
    """The diff of one saved revision. ``Special:Diff/N`` is a canonical special page name that every MediaWiki
    language understands, so it goes through the wiki's own ``article_url`` (short ``/wiki/$1`` and long
    ``/index.php/$1`` URLs alike) without knowing where the wiki's ``index.php`` lives."""
    return page_url(wiki, f"Special:Diff/{int(revision)}")


@app.context_processor
def _helpers() -> dict[str, Any]:
    chosen = language()

    def msg(key: str, *params: object) -> str:
        return translate(chosen, key, *params)

    def message(item: Message) -> str:
        return render(chosen, item)

    switch = [(code, language_name(code), url_with(uselang=code)) for code in languages()]
    return {
        "msg": msg,
        "message": message,
        "lang": chosen,
        "dir": direction(chosen),
        "language_switch": switch,
        "page_url": page_url,
        "diff_url": diff_url,
        "url_with": url_with,
    }


@app.route("/glossary")
def glossary() -> str:
    """One entry per glossary id of the metric registry, with the names its metrics have in the outcome box and in
    the downloads (a reader of a CSV looks a column up here), then the rules every number follows."""
    return render_template(
        "glossary.html", entries=metric_registry.glossary_entries(), rules=metric_registry.GLOSSARY_RULES
    )


@app.route("/healthz")
def healthz() -> Response:
    """200 only when the store opens with the schema this code expects (an outdated one is 503, see _unavailable)."""
    store()
    return Response("ok", mimetype="text/plain")


# The pages register their routes on ``app`` when imported.
from webservice import (  # noqa: E402
    campaign_pages,
    downloads,
    edit_log,
    home,
    program_pages,
    user_pages,
)

__all__ = ["app", "campaign_pages", "downloads", "edit_log", "home", "program_pages", "user_pages"]
