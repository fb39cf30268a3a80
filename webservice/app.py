"""Flask application (``app``) served by Toolforge's ``webservice``; it only reads the store, never the wikis.

Templates are Jinja with autoescape on: program names, titles and messages come from wiki pages that anyone can
edit, so nothing from the store is ever marked safe.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask import Flask, Response, abort, g, jsonify, render_template, request

from bot import exports
from bot.config import Settings, load_settings
from bot.i18n import languages, render, translate
from bot.program import Message, public_messages
from bot.store import ProgramSummary, Store

app = Flask(__name__)
settings: Settings = load_settings()


def _store() -> Store:
    if "store" not in g:
        g.store = Store.open(settings.state)
    return g.store  # type: ignore[no-any-return]


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

    return {"msg": msg, "message": message, "lang": language, "page_url": _page_url}


def _page_url(wiki: str, title: str) -> str | None:
    config = settings.wikis.get(wiki)
    return config.page_url(title) if config else None


def _next_update(summary: ProgramSummary) -> str:
    checked = datetime.strptime(summary.checked_at, "%Y-%m-%dT%H:%M:%SZ")
    return (checked + timedelta(minutes=settings.update_interval_minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")


@app.route("/")
def index() -> str:
    programs = _store().programs()
    return render_template("index.html", programs=programs, next_update=_next_update)


@app.route("/program/<path:key>")
def program(key: str) -> str:
    found = [p for p in _store().programs() if p.key == key]
    if not found:
        abort(404)
    summary = found[0]
    # A private program publishes aggregates only: no usernames, no messages naming users.
    counts = {}
    if summary.updated_at and not summary.private:
        counts = {name: (edits, articles) for name, edits, articles in _store().participants(key, summary.updated_at)}
    signups = [] if summary.private else _store().signups(key)
    snapshot = total = None
    by_wiki: list[tuple[str, Any, Any]] = []
    history = _store().snapshots(key)
    if summary.updated_at:
        snapshot = next((s for s in history if s.taken_at == summary.updated_at), None)
        total = _store().snapshot_counts(key, summary.updated_at, "total")[0][1]
        if not summary.private or (summary.participants or 0) >= exports.PRIVATE_MINIMUM:
            by_wiki = _store().snapshot_counts(key, summary.updated_at, "wiki")
    return render_template(
        "program.html",
        program=summary,
        signups=signups,
        counts=counts,
        snapshot=snapshot,
        total=total,
        by_wiki=by_wiki,
        history=history,
        messages=public_messages(summary.messages, summary.private),
        next_update=_next_update(summary),
        downloads=("stats", "participants", "articles", "uploads", "days"),
    )


@app.route("/campaigns")
def campaigns() -> str:
    programs = _store().programs()
    members = {campaign.key: [p for p in programs if campaign.name in p.campaigns] for campaign in _store().campaigns()}
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


def _download(table: exports.Table, name: str, fmt: str) -> Response:
    if fmt == "csv":
        body, mimetype = table.to_csv(), "text/csv; charset=utf-8"
    elif fmt == "json":
        body, mimetype = table.to_json(), "application/json"
    else:
        abort(404)
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response.headers["Link"] = '</glossary>; rel="describedby"'
    return response


@app.route("/programs.<fmt>")
def programs_table(fmt: str) -> Response:
    return _download(exports.program_stats(_store(), _store().programs(), sorted(settings.wikis)), "programs", fmt)


@app.route("/campaigns.<fmt>")
def campaigns_table(fmt: str) -> Response:
    return _download(exports.campaigns(_store()), "campaigns", fmt)


@app.route("/program/<path:key>/<kind>.<fmt>")
def program_table(key: str, kind: str, fmt: str) -> Response:
    found = [p for p in _store().programs() if p.key == key]
    if not found or (kind not in EXPORTS and kind != "stats"):
        abort(404)
    if kind == "stats":
        table = exports.program_stats(_store(), found, sorted(found[0].tracked_wikis))
    else:
        table = EXPORTS[kind](_store(), found[0])
    return _download(table, f"{key.replace(':', '-')}-{kind}", fmt)


@app.route("/glossary")
def glossary() -> str:
    return render_template("glossary.html", metrics=GLOSSARY)


GLOSSARY = (
    "participants", "new_editors", "edits", "edits_deleted", "articles_edited", "articles_created",
    "articles_created_deleted", "bytes", "words_added", "references", "retention", "uploads", "upload_usage",
    "page_views", "wikidata", "alerts", "window", "privacy",
)  # fmt: skip


@app.route("/healthz")
def healthz() -> str:
    _store()
    return "ok"
