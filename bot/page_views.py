"""Page views (metrics.md): for each article edited or created, the sum of its daily views (Pageviews REST API,
``user`` agent, all access methods) from the day of its first counted edit to yesterday, capped at 365 days.

Days are UTC days, as the Pageviews API's. The cap keeps the first 365 days, ``[first edit day, first edit day +
364]`` (bot.pageviews.capped), so an article's number stops growing a year after the program touched it. An article
first edited today has no complete day yet: 0, and no request. An article the API has no data for counts 0. Articles
are the pages of counted revisions that still exist (a deleted page has no views to show).

Per day (``PageViews.by_day``, the per-day figures of metrics.md's "Breakdowns"): each article's views of each UTC
day of its counted range, summed over the articles. Page-view days are UTC days, as the Pageviews API's, not the
program's local days; the days sum to the total.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, timedelta
from typing import Protocol

from bot.config import Settings, WikiConfig
from bot.metrics import RevisionFact, UploadFact
from bot.pageviews import PageviewsClient, PageviewsError, capped

USING_PAGE_VIEW_DAYS = 30
"""A page using an upload shows its views of this many complete UTC days before the update (as the Article Finder's
views): how much the file is seen now, whenever the page took it up."""


@dataclass(frozen=True)
class PageViews:
    total: int
    by_article: dict[str, int]
    """Full title (namespace prefix, underscores) -> views; every article, 0 included."""
    first_days: dict[str, date]
    """Full title -> the UTC day of its first counted edit."""
    titles: dict[tuple[int, str], str] = field(default_factory=dict)
    """(namespace, title without prefix) of each counted page -> its full title, the key of ``by_article``."""
    by_day: dict[date, int] = field(default_factory=dict)
    """UTC day (the Pageviews API's days) -> views of all the articles on that day, each article over its counted
    range only; days without views are left out. The values sum to ``total``."""


def full_title(namespace: int, title: str, prefixes: Mapping[int, str]) -> str:
    """A page title with its namespace's local name, underscores for spaces (``User:Bob/Draft``)."""
    if namespace == 0:
        return title.replace(" ", "_")
    if namespace not in prefixes:
        raise ValueError(f"no name known for namespace {namespace}")
    return f"{prefixes[namespace]}:{title}".replace(" ", "_")


def first_edit_days(revisions: Iterable[RevisionFact], prefixes: Mapping[int, str] | None = None) -> dict[str, date]:
    """Each existing article's first counted edit's UTC day, by full title. ``prefixes`` names the namespaces
    other than the main one (bot.wiki.namespace_prefixes gives them)."""
    days: dict[str, date] = {}
    for fact in revisions:
        if fact.deleted:
            continue
        title = full_title(fact.namespace, fact.title, prefixes or {})
        day = fact.timestamp.astimezone(UTC).date()
        if title not in days or day < days[title]:
            days[title] = day
    return dict(sorted(days.items()))


class ViewCache(Protocol):
    """Daily views already fetched (the store): a finished day's views never change, so each is asked for once."""

    def view_range(self, project: str, title: str) -> tuple[date, date] | None: ...

    def record_views(self, project: str, title: str, daily: Mapping[date, int]) -> None: ...

    def views_by_day(self, project: str, title: str, first: date, last: date) -> dict[date, int]: ...


def count_page_views(
    client: PageviewsClient,
    project: str,
    first_days: Mapping[str, date],
    *,
    today: date,
    cache: ViewCache | None = None,
) -> PageViews:
    """Views of each article from its first day to yesterday (``today`` - 1, UTC), capped at 365 days. Without a
    cache, one request per article that has at least one complete day; with one, only for the days not yet fetched
    (so an update on the same day asks nothing, and the next day asks once per article, for the new day and the
    one before it, which may have been incomplete when it was fetched). ``by_day`` sums the articles' views per UTC
    day (the Pageviews API's days) over the same ranges."""
    yesterday = today - timedelta(days=1)
    by_article = {}
    by_day: dict[date, int] = defaultdict(int)
    for title, first_day in first_days.items():
        first, last = capped(first_day, yesterday, client.max_days)
        if last < first:
            by_article[title] = 0
            continue
        if cache is None:
            daily = client.daily_views(project, title, first, last)
        else:
            for missing_first, missing_last in _missing(cache.view_range(project, title), first, last):
                cache.record_views(project, title, client.daily_views(project, title, missing_first, missing_last))
            daily = cache.views_by_day(project, title, first, last)
        by_article[title] = sum(daily.values())
        for day, views in daily.items():
            if views:
                by_day[day] += views
    return PageViews(sum(by_article.values()), by_article, dict(first_days), by_day=dict(sorted(by_day.items())))


def _missing(known: tuple[date, date] | None, first: date, last: date) -> list[tuple[date, date]]:
    """The parts of ``[first, last]`` outside the fetched range ``known`` (which stays one contiguous range)."""
    if known is None or known[0] > last + timedelta(days=1) or known[1] < first - timedelta(days=1):
        return [(first, last)]  # (a gap between the two would break contiguity: fetch the whole range again)
    parts = []
    if first < known[0]:
        parts.append((first, known[0] - timedelta(days=1)))
    if last > known[1]:
        # The last fetched day is asked again: the Pageviews API publishes a day some hours after it ends, so the
        # day that was "yesterday" at the last fetch may have been incomplete then.
        parts.append((max(first, known[1]), last))
    return parts


def wiki_page_views(
    settings: Settings,
    wiki: WikiConfig,
    revisions: Iterable[RevisionFact],
    *,
    today: date,
    client: PageviewsClient | None = None,
    prefixes: Mapping[int, str] | None = None,
    cache: ViewCache | None = None,
) -> PageViews | None:
    """Page views of the articles of one wiki's counted revisions (facts of other wikis are ignored); None when
    the wiki has no ``pageviews_project``. Namespace names come from the wiki (bot.wiki) unless given, and only when
    an article is outside the main namespace."""
    if not wiki.pageviews_project:
        return None
    facts = [fact for fact in revisions if fact.wiki == wiki.name and not fact.deleted]
    if prefixes is None and any(fact.namespace != 0 for fact in facts):
        from bot import wiki as wiki_access

        prefixes = wiki_access.namespace_prefixes(wiki)
    first_days = first_edit_days(facts, prefixes)
    views = count_page_views(
        client or PageviewsClient(settings.pageviews_url), wiki.pageviews_project, first_days, today=today, cache=cache
    )
    titles = {(fact.namespace, fact.title): full_title(fact.namespace, fact.title, prefixes or {}) for fact in facts}
    return replace(views, titles=titles)


def using_page_views(
    settings: Settings,
    uploads: Iterable[UploadFact],
    *,
    today: date,
    client: PageviewsClient | None = None,
    cache: ViewCache | None = None,
) -> tuple[tuple[UploadFact, ...], tuple[str, ...]]:
    """The uploads with the views of the pages using them: each page's views of the last ``USING_PAGE_VIEW_DAYS``
    complete UTC days, asked once per page and day through the cache, however many uploads it uses. Only pages of
    a configured wiki (by database name) with a ``pageviews_project`` have views; the others keep None. Also the
    names of the wikis whose Pageviews requests failed (their pages keep None)."""
    uploads = tuple(uploads)
    by_database = {wiki.replica.dbname: wiki for wiki in settings.wikis.values() if wiki.pageviews_project}
    titles: dict[str, set[str]] = defaultdict(set)
    for upload in uploads:
        for page in upload.pages:
            if page.wiki in by_database:
                titles[page.wiki].add(page.title)
    if not titles:
        return uploads, ()
    client = client or PageviewsClient(settings.pageviews_url)
    first = today - timedelta(days=USING_PAGE_VIEW_DAYS)
    views: dict[tuple[str, str], int] = {}
    failed = []
    for database, names in sorted(titles.items()):
        wiki = by_database[database]
        try:
            counted = count_page_views(client, str(wiki.pageviews_project), dict.fromkeys(sorted(names), first),
                                       today=today, cache=cache)  # fmt: skip
        except PageviewsError:
            failed.append(wiki.name)
            continue
        views.update(((database, title), counted.by_article.get(title, 0)) for title in names)
    return (
        tuple(
            replace(
                upload, pages=tuple(replace(page, views=views.get((page.wiki, page.title))) for page in upload.pages)
            )
            if upload.pages
            else upload
            for upload in uploads
        ),
        tuple(failed),
    )
