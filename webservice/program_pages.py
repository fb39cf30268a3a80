"""A program's pages: the overview (what it is, its numbers, its last and next update and the refresh button), one
URL per tab (participants, articles, uploads and a file's detail, activity, alerts, charts), and the embeddable
live stats. The tabs' rows come from ``webservice.tabs``; a campaign's pages show the same tabs."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from flask import Response, abort, redirect, render_template, request, url_for
from markupsafe import escape
from werkzeug.wrappers import Response as WerkzeugResponse

from bot import exports, metric_registry
from bot.clock import utcnow
from bot.goals import GoalProgress, progress_line
from bot.metric_registry import Dimension, Figures, Metric
from bot.metrics import Counts
from bot.page_views import USING_PAGE_VIEW_DAYS
from bot.program import Message, public_messages
from bot.store import ProgramDetails, ProgramSummary, RefreshOutcome, SnapshotRow
from webservice import app as site
from webservice import edit_log, tabs
from webservice.app import app
from webservice.downloads import KINDS
from webservice.listing import requested_page, requested_sort

TABS = ("overview", "participants", "articles", "uploads", "activity", "alerts", "charts")
"""Each tab is its own URL (``/program/<key>/<tab>``; the overview is the program's URL), so the page works without
JavaScript and a tab can be linked to."""
ACTIVITY_STEP = 50
"""Revisions the activity tab lists at first, and how many more each "See more" adds."""
ACTIVITY_MAX = 5000
PARTICIPANTS_PER_PAGE = 100
ARTICLES_PER_PAGE = 100
UPLOADS_PER_PAGE = 60
UPLOAD_VIEWS = ("gallery", "list", "tile")
EMBED_METRICS = ("participants", "edits", "articles_edited", "articles_created", "bytes_added", "uploads")
"""The few totals the embeddable live stats show (registry names)."""


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


def _latest(summary: ProgramSummary) -> tuple[SnapshotRow | None, list[MetricCell], list[SnapshotRow]]:
    """The latest snapshot, its outcome rows and every snapshot kept."""
    history = site.store().snapshots(summary.key)
    if not summary.updated_at:
        return None, [], history
    snapshot = next((s for s in history if s.taken_at == summary.updated_at), None)
    if snapshot is None:
        return None, [], history
    total = site.store().snapshot_counts(summary.key, summary.updated_at, "total")[0][1]
    return snapshot, _outcome_rows(snapshot, total), history


# --- the refresh button ---------------------------------------------------------------------------------------

CLIENT_COOKIE = "pebot_client"


def _secret() -> bytes:
    """The site's secret, from the file the config names; made (mode 0600) on first use. Every web process of the
    tool reads the same file, so a form signed by one is accepted by another."""
    path = site.settings.web_secret_file
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
    site.find_program(key)
    client = _client()
    token = request.form.get("token", "")
    cross_site = request.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none")
    if client is None or cross_site or not hmac.compare_digest(token, _refresh_token(client, key)):
        outcome = "forbidden"
    else:
        salted = hmac.new(_secret(), f"client|{client}".encode(), hashlib.sha256).hexdigest()
        outcome = (
            site.store()
            .request_refresh(
                key,
                salted,
                utcnow(),
                program_every=timedelta(minutes=site.settings.refresh_every_minutes),
                client_per_hour=site.settings.refreshes_per_client_per_hour,
            )
            .value
        )
    return redirect(url_for("program", key=key, refresh=outcome, uselang=request.args.get("uselang")), code=303)


REFRESH_OUTCOMES = frozenset({*(outcome.value for outcome in RefreshOutcome), "forbidden"})


# --- the overview ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Moment:
    """An instant as the page states it: in the program's time zone and in UTC."""

    local: str
    utc: str


def _moment(instant: datetime, timezone: str) -> Moment:
    return Moment(instant.astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%d %H:%M"), instant.strftime("%Y-%m-%d %H:%M"))


def _join_url(summary: ProgramSummary) -> str | None:
    """The on-wiki join link: what ``{{Program join}}`` opens (a new section with the sign-up preloaded)."""
    config = site.settings.wikis.get(summary.wiki)
    if config is None:
        return None
    query = {
        "action": "edit",
        "section": "new",
        "nosummary": "1",
        "preload": f"Template:{config.templates.signup}/preload",
        "editintro": f"Template:{config.templates.join}/editintro",
    }
    return config.page_url(summary.title) + "?" + urlencode(query)


@app.route("/program/<path:key>")
def program(key: str) -> Response:
    client = _client() or secrets.token_hex(16)
    response = Response(_overview(key, client))
    response.set_cookie(CLIENT_COOKIE, client, max_age=365 * 86400, httponly=True, samesite="Strict",
                        secure=request.is_secure)  # fmt: skip
    return response


def _overview(key: str, client: str) -> str:
    summary = site.find_program(key)
    details = site.store().program_details(key).get(key)
    snapshot, outcome, history = _latest(summary)
    # Per-wiki and per-article figures (the deletion alerts name articles) follow the export's privacy rule.
    breakdowns = exports.breakdowns_published(summary)
    by_wiki: list[tuple[str, Figures]] = []
    if summary.updated_at and breakdowns:
        by_wiki = [
            (wiki, Figures(counts=c)) for wiki, c, _v in site.store().snapshot_counts(key, summary.updated_at, "wiki")
        ]
    window = None
    if details is not None and details.window is not None:
        window = (_moment(details.window[0], details.timezone), _moment(details.window[1], details.timezone))
    return render_template(
        "program.html",
        program=summary,
        subject=tabs.program_subject(summary),
        tab="overview",
        tabs=TABS,
        details=details,
        window=window,
        join_url=_join_url(summary) if details is None or details.signup_open else None,
        snapshot=snapshot,
        outcome=outcome,
        by_wiki=by_wiki,
        goals=_goal_rows(key, summary),
        wiki_metrics=metric_registry.headline(Dimension.WIKI),
        breakdowns=breakdowns,
        history=history,
        messages=public_messages(summary.messages, summary.private),
        next_update=site.next_update(summary),
        downloads=KINDS,
        queue_place=site.store().queue_position(key, utcnow()),
        refresh_token=_refresh_token(client, key) if not summary.frozen else None,
        refresh_outcome=request.args.get("refresh") if request.args.get("refresh") in REFRESH_OUTCOMES else None,
        refresh_minutes=site.settings.refresh_every_minutes,
        embed_url=url_for("program_embed", key=key, _external=True),
        embed_snippet=embed_snippet(url_for("program_embed", key=key, _external=True), summary.name),
    )


def _goal_rows(key: str, summary: ProgramSummary) -> list[tuple[GoalProgress, str]]:
    """The program's goals at its last update, each with its line in the reader's language (the goals block)."""
    if not summary.updated_at:
        return []
    language = site.language()
    return [(goal, progress_line(language, goal)) for goal in site.store().snapshot_goals(key, summary.updated_at)]


def embed_snippet(url: str, name: str) -> str:
    """The HTML an organizer pastes into a blog. It is text here (the page escapes it once more to show it), with
    the program's name escaped for the attribute it goes into: a hostile name must not break the blog's page."""
    return (
        f'<iframe src="{escape(url)}" title="{escape(name)}" width="340" height="220" loading="lazy" '
        'referrerpolicy="no-referrer"></iframe>'
    )


# --- the tabs -------------------------------------------------------------------------------------------------


def render_tab(subject: tabs.Subject, tab: str, **values: object) -> str:
    """One tab of a program or a campaign page (``tab_<tab>.html``)."""
    return render_template(f"tab_{tab}.html", subject=subject, tab=tab, tabs=TABS, **values)


def participants_tab(subject: tabs.Subject) -> str:
    sort = requested_sort(tabs.PARTICIPANT_SORTS, "username")
    page = tabs.participant_page(site.store(), subject, sort, requested_page(), PARTICIPANTS_PER_PAGE)
    return render_tab(subject, "participants", page=page, sort=sort, metrics=tabs.PARTICIPANT_METRICS)


def articles_tab(subject: tabs.Subject, details: ProgramDetails | None) -> str:
    show = request.args.get("show", "")
    sort = requested_sort(tabs.ARTICLE_SORTS, "edits", descending=True)
    page, views = tabs.article_page(site.store(), subject, sort, requested_page(), ARTICLES_PER_PAGE,
                                    created_only=show == "created")  # fmt: skip
    metrics = [m for m in tabs.ARTICLE_METRICS if m.name != "page_views" or views]
    return render_tab(subject, "articles", page=page, sort=sort, metrics=metrics, show=show,
                      scope=details.scope if details else None)  # fmt: skip


def uploads_tab(subject: tabs.Subject) -> str:
    uploader = request.args.get("uploader", "")
    page, uploaders = tabs.upload_page(site.store(), subject, uploader, requested_page(), UPLOADS_PER_PAGE,
                                       site.settings.state)  # fmt: skip
    view = request.args.get("view", "gallery")
    if view not in UPLOAD_VIEWS:
        view = "gallery"
    return render_tab(subject, "uploads", page=page, view=view, views=UPLOAD_VIEWS, uploaders=uploaders,
                      uploader=uploader, thumbnail=_thumbnail)  # fmt: skip


def _thumbnail(row: tabs.UploadRow, width: int) -> str | None:
    """A scaled image of the file, from its wiki (``Special:FilePath`` redirects to the thumbnail)."""
    url = site.page_url(row.wiki, f"Special:FilePath/{row.file}")
    return f"{url}?width={width}" if url else None


@dataclass(frozen=True)
class UsingPageRow:
    """A page using the file, as its page lists it."""

    wiki: str
    """The configured wiki's name, or the database name GlobalUsage gave for a wiki the tool does not know."""
    title: str
    """With spaces (main namespace: no prefix)."""
    url: str | None
    """None on a wiki the tool does not know."""
    views: int | None


def file_page(subject: tabs.Subject) -> str:
    """One upload: what it is, and the pages using it (at most ``USING_PAGES_KEPT``, in wiki and title order) with
    their views of the last ``USING_PAGE_VIEW_DAYS`` days, from the snapshot that listed it."""
    wiki, name = request.args.get("wiki", ""), request.args.get("file", "")
    found = next((r for r in tabs.uploads(site.store(), subject) if r.wiki == wiki and r.file == name), None)
    if found is None:
        abort(404)
    member = next(m for m in subject.broken_down if m.key == found.program_key)
    names = {config.replica.dbname: config.name for config in site.settings.wikis.values()}
    pages = [
        UsingPageRow(names.get(page.wiki, page.wiki), page.title.replace("_", " "),
                     site.page_url(names[page.wiki], page.title) if page.wiki in names else None, page.views)
        for page in site.store().snapshot_upload_pages(found.program_key, str(member.updated_at), wiki, name)
    ]  # fmt: skip
    return render_tab(subject, "file", upload=found, pages=pages, view_days=USING_PAGE_VIEW_DAYS,
                      thumbnail=_thumbnail)  # fmt: skip


def activity_tab(subject: tabs.Subject) -> str:
    try:
        shown = int(request.args.get("shown", ACTIVITY_STEP))
    except ValueError:
        shown = ACTIVITY_STEP
    shown = min(max(ACTIVITY_STEP, shown - shown % ACTIVITY_STEP), ACTIVITY_MAX)
    rows, more = tabs.activity(site.store(), subject, shown)
    return render_tab(subject, "activity", rows=rows, more=more and shown < ACTIVITY_MAX, shown=shown,
                      step=ACTIVITY_STEP)  # fmt: skip


def charts_tab(subject: tabs.Subject) -> str:
    return render_tab(subject, "charts", charts=tabs.day_charts(site.store(), subject, site.settings.state))


@app.route("/program/<path:key>/participants")
def program_participants(key: str) -> str:
    return participants_tab(tabs.program_subject(site.find_program(key)))


@app.route("/program/<path:key>/articles")
def program_articles(key: str) -> str:
    return articles_tab(tabs.program_subject(site.find_program(key)), site.store().program_details(key).get(key))


@app.route("/program/<path:key>/uploads")
def program_uploads(key: str) -> str:
    return uploads_tab(tabs.program_subject(site.find_program(key)))


@app.route("/program/<path:key>/file")
def program_file(key: str) -> str:
    return file_page(tabs.program_subject(site.find_program(key)))


@app.route("/program/<path:key>/activity")
def program_activity(key: str) -> str:
    return activity_tab(tabs.program_subject(site.find_program(key)))


@app.route("/program/<path:key>/alerts")
def program_alerts(key: str) -> str:
    summary = site.find_program(key)
    return alerts_tab(tabs.program_subject(summary), public_messages(summary.messages, summary.private))


def alerts_tab(subject: tabs.Subject, messages: tuple[Message, ...]) -> str:
    """Deletion alerts, the bot's messages for the organizers, and the program's (or campaign's) part of the log."""
    found, hidden = tabs.alerts(site.store(), subject)
    log, capped = edit_log.rows_for(subject.key)
    return render_tab(subject, "alerts", alerts=found, alerts_hidden=hidden, messages=messages, log=log,
                      capped=capped, hidden=edit_log.HIDDEN, kinds=edit_log.EDIT_KINDS)  # fmt: skip


@app.route("/program/<path:key>/charts")
def program_charts(key: str) -> str:
    return charts_tab(tabs.program_subject(site.find_program(key)))


# --- the embeddable live stats --------------------------------------------------------------------------------


@app.route("/program/<path:key>/embed")
def program_embed(key: str) -> str:
    """A small page other sites may frame (the only one, see FRAMEABLE_ENDPOINTS): the program's headline totals,
    which a private program publishes too, and a link to its page."""
    summary = site.find_program(key)
    snapshot, outcome, _history = _latest(summary)
    cells = [cell for cell in outcome if cell.metric.name in EMBED_METRICS]
    return render_template("embed.html", program=summary, snapshot=snapshot, cells=cells,
                           page=url_for("program", key=key, _external=True))  # fmt: skip
