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
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import pymysql
from flask import Flask, Response, abort, g, render_template, request, send_from_directory

from bot import metric_registry
from bot.clock import iso
from bot.config import Settings, load_settings
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


def store() -> Store:
    """The request's store, opened without migrating: a web request must never change the schema (a half-applied
    migration under load, or a newer site against an older bot, would corrupt what the bot relies on)."""
    if "store" not in g:
        try:
            g.store = Store.open(settings.state, migrate=False)
        except SchemaOutdated as error:
            app.logger.warning("state database outdated: %s", error)
            raise StoreUnavailableError("schema outdated") from error
        except DATABASE_ERRORS as error:
            app.logger.warning("state database unreachable: %s", error)
            raise StoreUnavailableError("database unreachable") from error
    return g.store  # type: ignore[no-any-return]


def programs() -> list[ProgramSummary]:
    """Every program the store knows, read once per request (several parts of a page need them)."""
    if "programs" not in g:
        g.programs = store().programs()
    return g.programs  # type: ignore[no-any-return]


def find_program(key: str) -> ProgramSummary:
    """The program with this key, or a 404."""
    found = next((p for p in programs() if p.key == key), None)
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
        opened.close()


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
