"""The bot's edit log (/edits and its downloads): every attempt of the publisher, filterable by wiki, program and
outcome, without the pages that would name a participant of a private program. A program's part of it is also
on its alerts tab (``rows_for``)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Response, render_template, request

from bot import exports
from bot.edit_outcome import OUTCOME_CODES, EditOutcome
from bot.i18n import translate
from bot.program import Message
from bot.store import CampaignSummary, LoggedEdit, ProgramSummary
from webservice import app as site
from webservice.app import app
from webservice.downloads import check_format, download

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
    text = translate(site.language(), "web-edit-log-bad-filter", error.name, error.value)
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
    if filters.wiki and filters.wiki not in site.settings.wikis:
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
    programs, campaigns = site.programs(), site.store().campaigns()
    filters = _edit_log_filters(programs, campaigns)
    rows, capped = _rows(filters, programs, campaigns)
    return filters, rows, capped, programs, campaigns


def rows_for(program_key: str) -> tuple[list[EditLogRow], bool]:
    """A program's (or campaign's) part of the log as its alerts tab shows it, and whether it was cut."""
    return _rows(EditLogFilters(program=program_key), site.programs(), site.store().campaigns())


def _rows(
    filters: EditLogFilters, programs: list[ProgramSummary], campaigns: list[CampaignSummary]
) -> tuple[list[EditLogRow], bool]:
    entries = site.store().edit_log(
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
    return rows, len(entries) > EDIT_LOG_ROWS


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
        wikis=sorted(site.settings.wikis),
        programs=programs,
        campaigns=campaigns,
        outcomes=OUTCOME_CODES,
        kinds=EDIT_KINDS,
        hidden=HIDDEN,
    )


@app.route("/edits.<fmt>")
def edits_table(fmt: str) -> Response:
    """The same rows as /edits with the same filters; hidden pages and details are empty cells."""
    check_format(fmt)
    _filters, rows, _capped, _programs, _campaigns = _edit_log()
    table = exports.Table(
        ("logged_at", "wiki", "page", "program", "kind", "outcome", "revision", "detail"),
        [
            (r.entry.logged_at, r.entry.wiki, r.page, r.entry.program_key, r.entry.kind, r.entry.outcome,
             r.entry.revision, r.detail)
            for r in rows
        ],
    )  # fmt: skip
    return download(table, "edits", fmt)
