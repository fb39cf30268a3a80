"""CSV and JSON downloads (bot/exports.py builds the tables): every program's stats, campaigns, and each program's
stats, participants, articles, uploads and days. A private program's tables follow the exports' privacy rule."""

from __future__ import annotations

from flask import Response, abort

from bot import exports
from webservice import app as site
from webservice.app import app

EXPORTS = {"participants": exports.participants, "articles": exports.articles, "uploads": exports.uploads,
           "days": exports.days, "goals": exports.goals}  # fmt: skip
KINDS = ("stats", *EXPORTS)
"""What a program's page offers to download, in this order."""
FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


def check_format(fmt: str) -> None:
    """An unknown format is a 404 before any database work."""
    if fmt not in FORMATS:
        abort(404)


def download(table: exports.Table, name: str, fmt: str) -> Response:
    check_format(fmt)
    body = table.to_csv() if fmt == "csv" else table.to_json()
    response = Response(body, mimetype=FORMATS[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response.headers["Link"] = '</glossary>; rel="describedby"'
    return response


@app.route("/programs.<fmt>")
def programs_table(fmt: str) -> Response:
    check_format(fmt)
    return download(exports.program_stats(site.store(), site.programs(), sorted(site.settings.wikis)), "programs", fmt)


@app.route("/campaigns.<fmt>")
def campaigns_table(fmt: str) -> Response:
    check_format(fmt)
    return download(exports.campaigns(site.store()), "campaigns", fmt)


@app.route("/campaign-goals.<fmt>")
def campaign_goals_table(fmt: str) -> Response:
    check_format(fmt)
    return download(exports.campaign_goals(site.store()), "campaign-goals", fmt)


@app.route("/program/<path:key>/<kind>.<fmt>")
def program_table(key: str, kind: str, fmt: str) -> Response:
    check_format(fmt)
    if kind not in KINDS:
        abort(404)
    summary = site.find_program(key)
    if kind == "stats":
        table = exports.program_stats(site.store(), [summary], sorted(summary.tracked_wikis))
    else:
        table = EXPORTS[kind](site.store(), summary)
    return download(table, f"{key.replace(':', '-')}-{kind}", fmt)
