"""Flask application (``app``) served by Toolforge's ``webservice``; it only reads the store, never the wikis.

Templates are Jinja with autoescape on: program names, titles and messages come from wiki pages that anyone can
edit, so nothing from the store is ever marked safe. Every response also carries headers that keep a browser from
running, sniffing or framing anything else (see ``_security_headers``), and the site never changes the database's
schema: a schema the code does not match answers 503 until the bot's ``db upgrade`` has run. Its only write is a
refresh request (a program's row in the update queue, bot/queue.py), signed, coalesced and rate-limited.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pymysql
from flask import Flask, Response, abort, g, jsonify, redirect, render_template, request, send_from_directory, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from bot import exports, metric_registry
from bot.clock import iso, utcnow
from bot.config import Settings, load_settings
from bot.edit_outcome import OUTCOME_CODES, EditOutcome
from bot.i18n import languages, render, translate
from bot.metric_registry import Dimension, Figures, Metric
from bot.metrics import Counts
from bot.program import Message, public_messages
from bot.store import CampaignSummary, LoggedEdit, ProgramSummary, RefreshOutcome, SchemaOutdated, SnapshotRow, Store

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


def _store() -> Store:
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


@app.errorhandler(StoreUnavailableError)
def _unavailable(error: StoreUnavailableError) -> Response:
    """A short plain answer instead of a traceback; details go to the log, not to the visitor."""
    text = translate(_language(), "web-unavailable")
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


FRAMEABLE_ENDPOINTS: frozenset[str] = frozenset()
"""Endpoints other sites may show in a frame (a future embed route adds its name here). Every other page refuses
framing, so a hostile page cannot overlay ours (clickjacking)."""


def _content_security_policy(frame_ancestors: str) -> str:
    """Only our own stylesheet and links; no script at all, no plugin, no <base> rewriting, forms to us only."""
    return (
        "default-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'self'; "
        f"frame-ancestors {frame_ancestors}"
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
    """The site's one stylesheet, a file rather than an inline <style> so the policy needs no 'unsafe-inline'."""
    return send_from_directory(TEMPLATES, "site.css", mimetype="text/css", max_age=3600)


@app.teardown_appcontext
def _close_store(_error: BaseException | None) -> None:
    store = g.pop("store", None)
    if store is not None:
        store.close()


def _language() -> str:
    available = languages()
    chosen = request.args.get("uselang")
    if chosen in available:
        return chosen
    return request.accept_languages.best_match(available) or "en"


@app.context_processor
def _helpers() -> dict[str, Any]:
    language = _language()

    def msg(key: str, *params: object) -> str:
        return translate(language, key, *params)

    def message(item: Message) -> str:
        return render(language, item)

    return {"msg": msg, "message": message, "lang": language, "page_url": _page_url, "diff_url": _diff_url}


def _page_url(wiki: str, title: str) -> str | None:
    config = settings.wikis.get(wiki)
    return config.page_url(title) if config else None


def _diff_url(wiki: str, revision: int) -> str | None:
    """The diff of one saved revision. ``Special:Diff/N`` is a canonical special page name that every MediaWiki
    language understands, so it goes through the wiki's own ``article_url`` (short ``/wiki/$1`` and long
    ``/index.php/$1`` URLs alike) without knowing where the wiki's ``index.php`` lives."""
    return _page_url(wiki, f"Special:Diff/{int(revision)}")


def _next_update(summary: ProgramSummary) -> str:
    """The time the program is due in the update queue (its tier's next update, bot/tiers.py, or now if an update
    is waiting); a frozen program only when its page changes. A failed last update is tried at the next tick."""
    entry = _store().queue_entry(summary.key)
    if entry is not None:
        return iso(entry.due_at)
    if summary.frozen:
        return translate(_language(), "web-next-update-frozen")
    if summary.next_update:
        return summary.next_update
    checked = datetime.strptime(summary.checked_at, "%Y-%m-%dT%H:%M:%SZ")
    return (checked + timedelta(minutes=settings.update_interval_minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")


@app.route("/")
def index() -> str:
    programs = _store().programs()
    return render_template("index.html", programs=programs, next_update=_next_update)


@dataclass(frozen=True)
class MetricCell:
    """One metric's number in one row of a site table; None: pending (shown as such), never "not computed" (those
    rows and cells are left out)."""

    metric: Metric
    value: int | None


def _outcome_rows(snapshot: SnapshotRow, total: Counts) -> list[MetricCell]:
    """The program's totals, one row per registry metric computed for it (retention for each N it has)."""
    figures = exports.snapshot_figures(snapshot, total)
    rows = []
    for metric in metric_registry.in_dimension(Dimension.TOTAL, (r.days for r in snapshot.retention)):
        value = metric.value(figures)
        if value is not None or metric.pending:
            rows.append(MetricCell(metric, value))
    return rows


CLIENT_COOKIE = "pebot_client"


def _secret() -> bytes:
    """The site's secret, from the file the config names; made (mode 0600) on first use. Every web process of the
    tool reads the same file, so a form signed by one is accepted by another."""
    path = settings.web_secret_file
    try:
        return path.read_bytes().strip()
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with open(path, "x", encoding="ascii", opener=lambda name, flags: os.open(name, flags, 0o600)) as out:
                out.write(secrets.token_hex(32))
        except FileExistsError:  # another process made it meanwhile
            pass
        return path.read_bytes().strip()


def _client() -> str | None:
    """This browser's random id (a cookie our pages set), if it has one of the right shape."""
    value = request.cookies.get(CLIENT_COOKIE, "")
    return value if len(value) == 32 and all(c in "0123456789abcdef" for c in value) else None


def _refresh_token(client: str, key: str) -> str:
    """Binds a refresh form to this browser and program: another site cannot forge it (it cannot read our page,
    and our cookie is SameSite=Strict, so its cross-site POST arrives without the client id anyway)."""
    return hmac.new(_secret(), f"refresh|{client}|{key}".encode(), hashlib.sha256).hexdigest()


@app.route("/program/<path:key>/refresh", methods=["POST"])
def refresh(key: str) -> WerkzeugResponse:
    """Ask for an update of this program now: coalesced with one already queued, rate-limited per program and per
    browser (bot/store.py request_refresh). The answer goes back to the program's page (POST, redirect, GET)."""
    if not any(p.key == key for p in _store().programs()):
        abort(404)
    client = _client()
    token = request.form.get("token", "")
    cross_site = request.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none")
    if client is None or cross_site or not hmac.compare_digest(token, _refresh_token(client, key)):
        outcome = "forbidden"
    else:
        salted = hmac.new(_secret(), f"client|{client}".encode(), hashlib.sha256).hexdigest()
        outcome = (
            _store()
            .request_refresh(
                key,
                salted,
                utcnow(),
                program_every=timedelta(minutes=settings.refresh_every_minutes),
                client_per_hour=settings.refreshes_per_client_per_hour,
            )
            .value
        )
    return redirect(url_for("program", key=key, refresh=outcome, uselang=request.args.get("uselang")), code=303)


@app.route("/program/<path:key>")
def program(key: str) -> Response:
    client = _client() or secrets.token_hex(16)
    response = Response(_program_page(key, client))
    response.set_cookie(CLIENT_COOKIE, client, max_age=365 * 86400, httponly=True, samesite="Strict",
                        secure=request.is_secure)  # fmt: skip
    return response


REFRESH_OUTCOMES = frozenset({*(outcome.value for outcome in RefreshOutcome), "forbidden"})


def _program_page(key: str, client: str) -> str:
    found = [p for p in _store().programs() if p.key == key]
    if not found:
        abort(404)
    summary = found[0]
    # A private program publishes aggregates only: no usernames, no messages naming users.
    by_participant: dict[str, Figures] = {}
    if summary.updated_at and not summary.private:
        by_participant = {
            name: Figures(counts=counts)
            for name, counts, _views in _store().snapshot_counts(key, summary.updated_at, "participant")
        }
    signups = [] if summary.private else _store().signups(key)
    snapshot = None
    outcome: list[MetricCell] = []
    by_wiki: list[tuple[str, Figures]] = []
    history = _store().snapshots(key)
    # Per-wiki and per-article figures (the deletion alerts name articles) follow the export's privacy rule.
    breakdowns = exports.breakdowns_published(summary)
    if summary.updated_at:
        snapshot = next((s for s in history if s.taken_at == summary.updated_at), None)
        total = _store().snapshot_counts(key, summary.updated_at, "total")[0][1]
        if snapshot is not None:
            outcome = _outcome_rows(snapshot, total)
        if breakdowns:
            by_wiki = [
                (wiki, Figures(counts=c)) for wiki, c, _v in _store().snapshot_counts(key, summary.updated_at, "wiki")
            ]
    return render_template(
        "program.html",
        program=summary,
        signups=signups,
        by_participant=by_participant,
        participant_metrics=metric_registry.headline(Dimension.PARTICIPANT),
        snapshot=snapshot,
        outcome=outcome,
        by_wiki=by_wiki,
        wiki_metrics=metric_registry.headline(Dimension.WIKI),
        breakdowns=breakdowns,
        history=history,
        messages=public_messages(summary.messages, summary.private),
        next_update=_next_update(summary),
        downloads=("stats", "participants", "articles", "uploads", "days"),
        queue_place=_store().queue_position(key, utcnow()),
        refresh_token=_refresh_token(client, key) if not summary.frozen else None,
        refresh_outcome=request.args.get("refresh") if request.args.get("refresh") in REFRESH_OUTCOMES else None,
        refresh_minutes=settings.refresh_every_minutes,
    )


@app.route("/campaigns")
def campaigns() -> str:
    programs = _store().programs()
    members = {campaign.key: [p for p in programs if campaign.includes(p)] for campaign in _store().campaigns()}
    return render_template("campaigns.html", campaigns=_store().campaigns(), members=members)


@app.route("/api/programs.json")
def programs_json() -> Any:
    language = _language()
    return jsonify(
        [
            {
                "key": p.key,
                "wiki": p.wiki,
                "title": p.title,
                "name": p.name,
                "start": p.start.isoformat() if p.start else None,
                "end": p.end.isoformat() if p.end else None,
                "tracked_wikis": list(p.tracked_wikis),
                "participants": p.participants,
                "edits": p.edits,
                "articles_edited": p.articles_edited,
                "last_update": p.updated_at,
                "checked_at": p.checked_at,
                "next_update": _next_update(p),
                "ok": p.ok,
                "campaigns": list(p.campaigns),
                "problems": [render(language, m) for m in public_messages(p.messages, p.private)],
            }
            for p in _store().programs()
        ]
    )


EXPORTS = {"participants": exports.participants, "articles": exports.articles, "uploads": exports.uploads,
           "days": exports.days}  # fmt: skip
FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


def _check_format(fmt: str) -> None:
    """An unknown format is a 404 before any database work."""
    if fmt not in FORMATS:
        abort(404)


def _download(table: exports.Table, name: str, fmt: str) -> Response:
    _check_format(fmt)
    body = table.to_csv() if fmt == "csv" else table.to_json()
    response = Response(body, mimetype=FORMATS[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response.headers["Link"] = '</glossary>; rel="describedby"'
    return response


@app.route("/programs.<fmt>")
def programs_table(fmt: str) -> Response:
    _check_format(fmt)
    return _download(exports.program_stats(_store(), _store().programs(), sorted(settings.wikis)), "programs", fmt)


@app.route("/campaigns.<fmt>")
def campaigns_table(fmt: str) -> Response:
    _check_format(fmt)
    return _download(exports.campaigns(_store()), "campaigns", fmt)


@app.route("/program/<path:key>/<kind>.<fmt>")
def program_table(key: str, kind: str, fmt: str) -> Response:
    _check_format(fmt)
    if kind not in EXPORTS and kind != "stats":
        abort(404)
    found = [p for p in _store().programs() if p.key == key]
    if not found:
        abort(404)
    if kind == "stats":
        table = exports.program_stats(_store(), found, sorted(found[0].tracked_wikis))
    else:
        table = EXPORTS[kind](_store(), found[0])
    return _download(table, f"{key.replace(':', '-')}-{kind}", fmt)


EDIT_LOG_ROWS = 500
"""The most edit-log entries one page or download shows; older ones are reached by narrowing the filters."""
EDIT_KINDS = (
    "outcome", "enrolment", "talk_notice", "report", "campaign_report", "article_finder", "invitations", "template",
)  # fmt: skip
"""Edit kinds with a translated name (``web-edit-kind-<kind>``); another kind is shown as its stable code."""
HIDDEN = "—"


class BadFilterError(Exception):
    """A query parameter of the edit log names no wiki, program or outcome the site knows: the visitor's mistake
    (a typo, an old link), so a 400 that says which one, never a 500 or a silently empty list."""

    def __init__(self, name: str, value: str) -> None:
        super().__init__(f"{name}={value!r}")
        self.name = name
        self.value = value


@app.errorhandler(BadFilterError)
def _bad_filter(error: BadFilterError) -> Response:
    """Plain text (with nosniff) so the echoed value cannot become markup, whatever it holds."""
    text = translate(_language(), "web-edit-log-bad-filter", error.name, error.value)
    return Response(text + "\n", status=400, mimetype="text/plain")


@dataclass(frozen=True)
class EditLogFilters:
    """The edit log's filters as the query string gave them; empty means any."""

    wiki: str = ""
    program: str = ""
    outcome: str = ""

    def query(self) -> dict[str, str]:
        """The non-empty filters, for links that keep them (downloads, the program page's link)."""
        return {name: value for name, value in vars(self).items() if value}


@dataclass(frozen=True)
class EditLogRow:
    """One log entry as the site may show it: ``page`` and ``detail`` are None when they would name a participant
    of a private program (see ``_hides_page``)."""

    entry: LoggedEdit
    page: str | None
    detail: str | None
    outcome: Message | None
    """The translated outcome; None for a code this version does not know (an older or newer bot wrote it)."""
    program: ProgramSummary | None
    campaign: CampaignSummary | None


def _edit_log_filters(programs: list[ProgramSummary], campaigns: list[CampaignSummary]) -> EditLogFilters:
    """The request's filters, each checked against what exists: a wiki of the settings, a program or campaign the
    store knows (programs are never forgotten, so every logged key stays reachable), an outcome code."""
    filters = EditLogFilters(
        wiki=request.args.get("wiki", "").strip(),
        program=request.args.get("program", "").strip(),
        outcome=request.args.get("outcome", "").strip(),
    )
    if filters.wiki and filters.wiki not in settings.wikis:
        raise BadFilterError("wiki", filters.wiki)
    if filters.program and filters.program not in {p.key for p in programs} | {c.key for c in campaigns}:
        raise BadFilterError("program", filters.program)
    if filters.outcome and filters.outcome not in OUTCOME_CODES:
        raise BadFilterError("outcome", filters.outcome)
    return filters


def _hides_page(entry: LoggedEdit, summary: ProgramSummary | None) -> bool:
    """Whether the entry's page would name a participant of a private program. Enrolment boxes are on user pages:
    hidden when the program is private, or unknown (fail closed: enrolments are only ever a program's). Talk notices
    name the articles a program edited, which a private program publishes only with enough people behind them (the
    exports' rule). The program's own page and talk page (outcome, report) name nobody and stay; campaign reports
    and template installs carry a campaign key or none, so never match a program here."""
    if entry.kind == "enrolment":
        return summary is None or summary.private
    if entry.kind == "talk_notice":
        return summary is not None and not exports.breakdowns_published(summary)
    return False


def _edit_log() -> tuple[EditLogFilters, list[EditLogRow], bool, list[ProgramSummary], list[CampaignSummary]]:
    """The filtered log as rows safe to publish, and whether it went past EDIT_LOG_ROWS (one row more is read to
    know)."""
    programs, campaigns = _store().programs(), _store().campaigns()
    filters = _edit_log_filters(programs, campaigns)
    entries = _store().edit_log(
        wiki=filters.wiki, program_key=filters.program, outcome=filters.outcome, max_rows=EDIT_LOG_ROWS + 1
    )
    by_program = {p.key: p for p in programs}
    by_campaign = {c.key: c for c in campaigns}
    rows = []
    for entry in entries[:EDIT_LOG_ROWS]:
        summary = by_program.get(entry.program_key)
        hidden = _hides_page(entry, summary)
        detail = None if hidden else entry.detail
        outcome = None
        if entry.outcome in OUTCOME_CODES:
            outcome = EditOutcome(entry.outcome, entry.revision, HIDDEN if detail is None else detail).message
        rows.append(
            EditLogRow(
                entry=entry,
                page=None if hidden else entry.page,
                detail=detail,
                outcome=outcome,
                program=summary,
                campaign=None if summary else by_campaign.get(entry.program_key),
            )
        )
    return filters, rows, len(entries) > EDIT_LOG_ROWS, programs, campaigns


@app.route("/edits")
def edits() -> str:
    """Every attempt of the bot to edit a page, newest first: what the community and organizers check a bot by."""
    filters, rows, capped, programs, campaigns = _edit_log()
    return render_template(
        "edits.html",
        filters=filters,
        rows=rows,
        capped=capped,
        max_rows=EDIT_LOG_ROWS,
        wikis=sorted(settings.wikis),
        programs=programs,
        campaigns=campaigns,
        outcomes=OUTCOME_CODES,
        kinds=EDIT_KINDS,
        hidden=HIDDEN,
    )


@app.route("/edits.<fmt>")
def edits_table(fmt: str) -> Response:
    """The same rows as /edits with the same filters; hidden pages and details are empty cells."""
    _check_format(fmt)
    _filters, rows, _capped, _programs, _campaigns = _edit_log()
    table = exports.Table(
        ("logged_at", "wiki", "page", "program", "kind", "outcome", "revision", "detail"),
        [
            (r.entry.logged_at, r.entry.wiki, r.page, r.entry.program_key, r.entry.kind, r.entry.outcome,
             r.entry.revision, r.detail)
            for r in rows
        ],
    )  # fmt: skip
    return _download(table, "edits", fmt)


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
    _store()
    return Response("ok", mimetype="text/plain")
