"""The Article Finder: from a category tree or a list, the articles that most need work, ranked by a documented
score, written below the organizer's ``{{Program article finder}}`` on a program's subpage (bot/organizer_tools.py).

For each article (main namespace, not a redirect; at most ``finder_candidates``, the first by title):

* **size**: ``page_len`` in bytes (replicas, sql/stats/finder_pages.sql);
* **references**: footnotes in the current text, counted as the "references added" metric counts them
  (bot/content_metrics.py: ``<ref>`` definitions, ``{{#tag:ref}}``, the wiki's short-footnote templates);
* **quality**: Lift Wing's language-agnostic ``articlequality`` score (0..1) of the current revision, only where the
  wiki's config names an ``articlequality_url`` (bot/liftwing_client.py); otherwise no quality column;
* **views**: page views of the last 30 complete UTC days (Pageviews API, ``user`` agent), only where the wiki has a
  ``pageviews_project``; otherwise no views column;
* **alerts**: the deletion alerts the bot already reports (bot/alerts.py: deletion categories, discussion pages).

**Score** (0..100), the same for every wiki:

    need    = mean of the available needs:  size    1 - min(size / 20,000 bytes, 1)
                                            refs    1 - min(references / 10, 1)
                                            quality 1 - score                      (only with a quality model)
    readers = min(log10(1 + views) / 4, 1)   (10,000 views in 30 days or more: 1)
    score   = 100 x need x (0.5 + 0.5 x readers)   (need alone without page views)
              + 10 when the article has a deletion alert (improving it may save it), at most 100

so a short, unreferenced, much-read article comes first, and a long, well-referenced one last. Ties: more views,
then title. Each row says why, with at most four reasons (short, few or no references, low quality, much read,
alert). The footer holds a ready ``articles=`` value for ``{{Program}}`` (the program's current ``articles`` plus the
chosen rows: ``choose=1, 3`` picks ranks, none picks every row), which the organizer copies into the program page
in one edit: the bot never edits ``{{Program}}`` itself.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from bot.alerts import replica_alerts
from bot.config import Settings, WikiConfig
from bot.content_metrics import count_references, text_rules
from bot.edit_outcome import EditOutcome
from bot.edits import ArticleFinderEdit
from bot.exports import Table
from bot.i18n import render, translate
from bot.liftwing_client import LiftWingClient, LiftWingError
from bot.organizer_tools import Tool, ToolRequest, request_pages
from bot.page_views import ViewCache, count_page_views
from bot.pageviews import PageviewsClient, PageviewsError
from bot.program import Message, Program
from bot.render import table_block
from bot.replica import Replica
from bot.wikitext_writer import Wikitext

if TYPE_CHECKING:
    from bot.update import WikiRun

SIZE_GOOD = 20_000
REFERENCES_GOOD = 10
VIEWS_FULL_LOG = 4.0
"""log10 of the 30-day views that count as fully read (10,000)."""
ALERT_BONUS = 10
VIEW_DAYS = 30
SQL_BATCH = 500
MAX_REASONS = 4
NOT_KNOWN = "\N{EN DASH}"
"""A cell whose value could not be had (the model or the page views failed for that article)."""


@dataclass(frozen=True)
class Candidate:
    """What the finder knows of one article; None: not known (no model, no page-view project, a failed request)."""

    title: str
    """Main-namespace title with spaces."""
    page_id: int
    size: int
    references: int
    quality: float | None = None
    views: int | None = None
    alerts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Ranked:
    candidate: Candidate
    score: int
    reasons: tuple[Message, ...]


def score(candidate: Candidate) -> Ranked:
    """The documented score (module docstring) and its reasons, in the order they weigh."""
    needs = [1 - min(candidate.size / SIZE_GOOD, 1), 1 - min(candidate.references / REFERENCES_GOOD, 1)]
    if candidate.quality is not None:
        needs.append(1 - candidate.quality)
    need = sum(needs) / len(needs)
    readers = None if candidate.views is None else min(math.log10(1 + candidate.views) / VIEWS_FULL_LOG, 1)
    value = 100 * need * (1 if readers is None else 0.5 + 0.5 * readers)
    if candidate.alerts:
        value += ALERT_BONUS
    reasons: list[Message] = []
    if candidate.alerts:
        reasons.append(Message("finder-reason-alert", (candidate.alerts[0],)))
    if candidate.references == 0:
        reasons.append(Message("finder-reason-no-references"))
    elif candidate.references < REFERENCES_GOOD // 2:
        reasons.append(Message("finder-reason-few-references", (str(candidate.references),)))
    if candidate.size < SIZE_GOOD // 2:
        reasons.append(Message("finder-reason-short", (str(candidate.size),)))
    if candidate.quality is not None and candidate.quality < 0.4:
        reasons.append(Message("finder-reason-low-quality", (f"{candidate.quality:.2f}",)))
    if readers is not None and readers >= 0.5:
        reasons.append(Message("finder-reason-read", (str(candidate.views), str(VIEW_DAYS))))
    return Ranked(candidate, min(round(value), 100), tuple(reasons[:MAX_REASONS]))


def rank(candidates: Sequence[Candidate], limit: int) -> list[Ranked]:
    """The ``limit`` best: highest score, then most views, then title."""
    ranked = [score(candidate) for candidate in candidates]
    ranked.sort(key=lambda r: (-r.score, -(r.candidate.views or 0), r.candidate.title))
    return ranked[:limit]


def _text(value: bytes | str) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else value


def candidates(
    wiki: WikiConfig,
    settings: Settings,
    replica: Replica,
    titles: Sequence[str],
    *,
    today: date,
    notes: list[Message],
    cache: ViewCache | None = None,
) -> list[Candidate]:
    """The facts of these main-namespace titles (underscores) that are articles now: replicas for size and
    alerts, the API for texts, Pageviews and Lift Wing where configured. A failed service leaves its column empty
    and a note; it never stops the list."""
    from bot import wiki as wiki_access

    rows: list[tuple[Any, ...]] = []
    for start in range(0, len(titles), SQL_BATCH):
        pairs = tuple((0, title) for title in titles[start : start + SQL_BATCH])
        rows.extend(replica.query("stats/finder_pages", {"pages": pairs}))
    pages = sorted((_text(title), int(page_id), int(size or 0), int(latest)) for page_id, title, size, latest in rows)
    texts = wiki_access.revision_texts(wiki, [latest for *_, latest in pages])
    rules = text_rules(wiki, wiki_access.namespace_names(wiki, (6, 10, 14)))
    quality = _quality(wiki.articlequality_url, wiki.language, [latest for *_, latest in pages], notes)
    views = _views(wiki, settings, [title for title, *_ in pages], today, notes, cache)
    alerts: dict[str, list[str]] = {}
    for alert in replica_alerts(replica, [page_id for _, page_id, _, _ in pages]) if pages else ():
        alerts.setdefault(alert.title, []).append(alert.category)
    return [
        Candidate(
            title=title.replace("_", " "),
            page_id=page_id,
            size=size,
            references=count_references(texts.get(latest) or "", rules),
            quality=quality.get(latest) if quality is not None else None,
            views=views.get(title) if views is not None else None,
            alerts=tuple(sorted(alerts.get(title, ()))),
        )
        for title, page_id, size, latest in pages
    ]


def _quality(
    url: str | None, language: str, rev_ids: list[int], notes: list[Message]
) -> dict[int, float | None] | None:
    if not url:
        return None
    try:
        return LiftWingClient(url).scores(rev_ids, language)
    except LiftWingError:
        notes.append(Message("tool-note-quality-failed"))
        return {}


def _views(
    wiki: WikiConfig, settings: Settings, titles: list[str], today: date, notes: list[Message], cache: ViewCache | None
) -> Mapping[str, int] | None:
    project = wiki.pageviews_project
    if not project:
        return None
    first = today - timedelta(days=VIEW_DAYS)
    try:
        counted = count_page_views(PageviewsClient(settings.pageviews_url), project,
                                   dict.fromkeys(titles, first), today=today, cache=cache)  # fmt: skip
    except PageviewsError:
        notes.append(Message("tool-note-views-failed"))
        return {}
    return counted.by_article


def find(
    request: ToolRequest,
    wiki: WikiConfig,
    settings: Settings,
    replica: Replica,
    today: date,
    notes: list[Message],
    cache: ViewCache | None = None,
) -> tuple[list[Ranked], int]:
    """The request's ranked articles and how many were looked at (bounded by ``finder_candidates``)."""
    from bot import wiki as wiki_access

    titles = request_pages(request, replica, wiki_access.title_prefixes(wiki_access.site(wiki)))
    if len(titles) > settings.finder_candidates:
        notes.append(Message("tool-note-capped", (str(settings.finder_candidates), str(len(titles)))))
        titles = titles[: settings.finder_candidates]
    facts = candidates(wiki, settings, replica, titles, today=today, notes=notes, cache=cache)
    return rank(facts, request.limit), len(facts)


EXPORT_COLUMNS = ("rank", "title", "size", "references", "quality", "views", "alerts", "score", "reasons")


def export(ranked: Sequence[Ranked], language: str) -> Table:
    """The ranking as a CSV/JSON table (``python -m bot find-articles``): unknown values empty (null in JSON)."""
    return Table(
        EXPORT_COLUMNS,
        [
            (number, r.candidate.title, r.candidate.size, r.candidate.references, r.candidate.quality,
             r.candidate.views, "; ".join(r.candidate.alerts), r.score,
             "; ".join(render(language, reason) for reason in r.reasons))
            for number, r in enumerate(ranked, start=1)
        ],
    )  # fmt: skip


def ready_articles(program: Program, ranked: Sequence[Ranked], choose: Sequence[int]) -> str:
    """The ``articles`` value to paste into ``{{Program}}``: the program's articles, then the chosen rows' titles
    (ranks from ``choose``; none: every row), as ``[[links]]`` on one line (``{{Program}}`` reads the links)."""
    chosen = [r.candidate.title for number, r in enumerate(ranked, start=1) if not choose or number in choose]
    titles = dict.fromkeys([*program.definition.scope.articles, *chosen])
    return " ".join(f"[[{title}]]" for title in titles)


def table(run: WikiRun, program: Program, request: ToolRequest | None, ranked: Sequence[Ranked], looked_at: int,
          notes: Sequence[Message]) -> str:  # fmt: skip
    """The bot's block: header (which optional columns), one row per article, footer (ready line, notes)."""
    language, base = run.wiki.language, f"{run.wiki.templates.article_finder}"
    quality_on = bool(run.wiki.articlequality_url)
    views_on = bool(run.wiki.pageviews_project)
    header: dict[str, object] = {"quality": "yes" if quality_on else None, "views": "yes" if views_on else None}
    rows = []
    for number, item in enumerate(ranked, start=1):
        c = item.candidate
        row: dict[str, object] = {"rank": number, "title": c.title, "size": c.size, "references": c.references}
        if quality_on:
            row["quality"] = NOT_KNOWN if c.quality is None else f"{c.quality:.2f}"
        if views_on:
            row["views"] = NOT_KNOWN if c.views is None else c.views
        row.update(alerts=", ".join(c.alerts), score=item.score,
                   reasons="; ".join(render(language, reason) for reason in item.reasons))  # fmt: skip
        rows.append({key: value for key, value in row.items() if value != ""})
    footer: dict[str, object] = {
        "articles": ready_articles(program, ranked, request.choose) if request and ranked else None,
        "looked_at": looked_at,
        "shown": len(ranked),
        "note": " ".join(translate(language, n.key, *n.params) for n in notes) or None,
        "updated": run.now.date().isoformat(),  # the day: two workers' answers in one tick are the same text
    }
    return table_block(base, _present(header), rows, _present(footer))


def _present(params: Mapping[str, object]) -> dict[str, object]:
    return {key: value for key, value in params.items() if value is not None}


def answer(
    run: WikiRun, program: Program, request: ToolRequest | None, notes: tuple[Message, ...], title: str
) -> EditOutcome:
    """Find, rank, write: the Article Finder's answer to one trusted request."""
    found: list[Message] = list(notes)
    ranked: list[Ranked] = []
    looked_at = 0
    if request is not None and (run.wiki.name not in run.replicas or run.wiki.stats_backend != "replica"):
        found.append(Message("tool-note-no-replica"))
    elif request is not None:
        ranked, looked_at = find(request, run.wiki, run.settings, run.replicas[run.wiki.name], run.now.date(), found,
                                 run.store)  # fmt: skip
    block = Wikitext(table(run, program, request, ranked, looked_at, found))
    edit = ArticleFinderEdit(run.wiki, title, program.key, program.title, anchor=run.wiki.templates.article_finder,
                             base=run.wiki.templates.article_finder, block=block, rows=len(ranked))  # fmt: skip
    return run.publish(edit, allowed=program.definition.bot_edits)


ARTICLE_FINDER = Tool("article_finder", lambda run: run.settings.finder_rows, answer)
