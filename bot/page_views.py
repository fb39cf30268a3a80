"""Page views (metrics.md): for each article edited or created, the sum of its daily views (Pageviews REST API,
``user`` agent, all access methods) from the day of its first counted edit to yesterday, capped at 365 days.

Days are UTC days, as the Pageviews API's. The cap keeps the first 365 days, ``[first edit day, first edit day +
364]`` (bot.pageviews.capped), so an article's number stops growing a year after the program touched it. An article
first edited today has no complete day yet: 0, and no request. An article the API has no data for counts 0. Articles
are the pages of counted revisions that still exist (a deleted page has no views to show).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, timedelta

from bot.config import Settings, WikiConfig
from bot.metrics import RevisionFact
from bot.pageviews import PageviewsClient


@dataclass(frozen=True)
class PageViews:
    total: int
    by_article: dict[str, int]
    """Full title (namespace prefix, underscores) -> views; every article, 0 included."""
    first_days: dict[str, date]
    """Full title -> the UTC day of its first counted edit."""
    titles: dict[tuple[int, str], str] = field(default_factory=dict)
    """(namespace, title without prefix) of each counted page -> its full title, the key of ``by_article``."""


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


def count_page_views(
    client: PageviewsClient, project: str, first_days: Mapping[str, date], *, today: date
) -> PageViews:
    """Views of each article from its first day to yesterday (``today`` - 1, UTC), capped by the client at 365
    days; one request per article that has at least one complete day."""
    yesterday = today - timedelta(days=1)
    by_article = {
        title: client.views(project, title, first_day, yesterday) if first_day <= yesterday else 0
        for title, first_day in first_days.items()
    }
    return PageViews(sum(by_article.values()), by_article, dict(first_days))


def wiki_page_views(
    settings: Settings,
    wiki: WikiConfig,
    revisions: Iterable[RevisionFact],
    *,
    today: date,
    client: PageviewsClient | None = None,
    prefixes: Mapping[int, str] | None = None,
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
        client or PageviewsClient(settings.pageviews_url), wiki.pageviews_project, first_days, today=today
    )
    titles = {(fact.namespace, fact.title): full_title(fact.namespace, fact.title, prefixes or {}) for fact in facts}
    return replace(views, titles=titles)
