"""The home page: find programs by name, institution, organizer or wiki, filter them (wiki, type, campaign,
ongoing or ended), with the totals of what is found (each person, edit and article once, as a campaign counts
them: bot.campaign_report.distinct_totals); and the programs' JSON list.

A private program is found by its name and wikis like any other, but never by an organizer's name: its page names
nobody, so a search must not tell who runs it either."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import jsonify, render_template, request

from bot.campaign_report import distinct_totals
from bot.clock import utcnow
from bot.i18n import render
from bot.metrics import Counts
from bot.program import ProgramType, public_messages
from bot.store import ProgramDetails, ProgramSummary
from webservice import app as site
from webservice.app import app
from webservice.listing import paginate, sort_rows
from webservice.tabs import SnapshotCache, snapshot_ids

PER_PAGE = 20
STATUSES = ("upcoming", "ongoing", "ended")


@dataclass(frozen=True)
class Found:
    """A program as the home page lists it."""

    summary: ProgramSummary
    details: ProgramDetails | None
    status: str
    """upcoming, ongoing or ended (by its tracking window)."""


def _status(summary: ProgramSummary, details: ProgramDetails | None) -> str:
    now = utcnow()
    if details is not None and details.window is not None:
        start, end = details.window
        return "upcoming" if now < start else "ongoing" if now < end else "ended"
    today = now.date()
    if summary.start and today < summary.start:
        return "upcoming"
    return "ended" if summary.end and today > summary.end else "ongoing"


def _matches(found: Found, text: str) -> bool:
    summary, details = found.summary, found.details
    haystack = [summary.name, summary.title, summary.wiki, *summary.tracked_wikis]
    if details is not None:
        haystack += [details.institution, details.location]
        if not summary.private:
            haystack += [*details.organizers, *details.facilitators]
    needle = text.casefold()
    return any(needle in value.casefold().replace("_", " ") or needle in value.casefold() for value in haystack)


@dataclass(frozen=True)
class Filters:
    q: str
    wiki: str
    type: str
    campaign: str
    status: str


def _filters() -> Filters:
    args = request.args
    return Filters(
        q=args.get("q", "").strip(),
        wiki=args.get("wiki", "").strip(),
        type=args.get("type", "").strip(),
        campaign=args.get("campaign", "").strip(),
        status=args.get("status", "").strip(),
    )


def _keep(found: Found, filters: Filters) -> bool:
    summary, details = found.summary, found.details
    if filters.q and not _matches(found, filters.q):
        return False
    if filters.wiki and filters.wiki not in (summary.wiki, *summary.tracked_wikis):
        return False
    if filters.type and (details is None or details.program_type.value != filters.type):
        return False
    if filters.campaign and filters.campaign not in summary.campaigns:
        return False
    return not (filters.status and found.status != filters.status)


TOTALS: SnapshotCache[tuple[int, Counts]] = SnapshotCache(64, 600.0)
"""The totals of the last searches, by the found programs' snapshots (see :func:`_totals`)."""


def _totals(programs: list[ProgramSummary]) -> tuple[int, Counts]:
    """The found programs' totals, each person, edit and article once, as a campaign's (``distinct_totals``). That
    reads every found program's ledger at once (0.3 s on MariaDB for 20,000 revisions, bench/site_bench.py): kept
    per process for these programs as last updated, so only the first search after a program's update pays it."""
    found = tuple(sorted(programs, key=lambda p: p.key))
    return TOTALS.get((site.settings.state, snapshot_ids(found)), lambda: distinct_totals(site.store(), programs))


SORTS: dict[str, Any] = {
    "name": lambda f: f.summary.name,
    "wiki": lambda f: f.summary.wiki,
    "start": lambda f: f.summary.start,
    "participants": lambda f: f.summary.participants,
    "edits": lambda f: f.summary.edits,
    "articles": lambda f: f.summary.articles_edited,
    "updated": lambda f: f.summary.updated_at,
}


@app.route("/")
def index() -> str:
    details = site.store().program_details()
    everything = [Found(s, details.get(s.key), _status(s, details.get(s.key))) for s in site.programs()]
    filters = _filters()
    kept = [found for found in everything if _keep(found, filters)]
    ordered, sort = sort_rows(kept, SORTS, "name")
    page = paginate(ordered, PER_PAGE)
    named = {c for f in everything for c in f.summary.campaigns} | {c.name for c in site.store().campaigns()}
    campaigns = sorted(named, key=str.casefold)
    participants, counts = _totals([found.summary for found in kept])
    totals = {
        "programs": len(kept),
        "participants": participants,
        "edits": counts.edits,
        "articles": counts.articles_edited,
    }
    return render_template(
        "index.html",
        page=page,
        sort=sort,
        filters=filters,
        totals=totals,
        any_program=bool(everything),
        wikis=sorted(site.settings.wikis),
        types=[t.value for t in ProgramType],
        campaigns=campaigns,
        statuses=STATUSES,
        next_update=site.next_update,
    )


@app.route("/api/programs.json")
def programs_json() -> Any:
    language = site.language()
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
                "next_update": site.next_update(p),
                "ok": p.ok,
                "campaigns": list(p.campaigns),
                "problems": [render(language, m) for m in public_messages(p.messages, p.private)],
            }
            for p in site.programs()
        ]
    )
