"""Deletion alerts (metrics.md): articles edited or created that are *now* in one of the deletion categories
configured for their wiki (``deletion_categories``: speedy deletion, proposed deletion, deletion discussion).

Two ways to ask, with the same answer: the Wiki Replicas (sql/stats/alerts*.sql: page -> categorylinks ->
linktarget via ``cl_target_id``, one statement per wiki), and the Action API for wikis without replicas
(``prop=categories`` with ``clcategories``, 50 pages a request). Pages are given by page id or by
(namespace, title without prefix); membership is direct (a page in a subcategory of a configured category is not
in it). An alert is (namespace, title with underscores and without prefix, category as configured).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

from bot.config import WikiConfig
from bot.metrics import RevisionFact
from bot.replica import Replica

# Pages per statement: an IN list this long stays a plain range (below MariaDB's semi-join rewrite at 1,000).
SQL_BATCH = 500


class Alert(NamedTuple):
    namespace: int
    title: str
    """With underscores, without namespace prefix (as RevisionFact.title)."""
    category: str
    """As written in the wiki's deletion_categories."""


Page = int | tuple[int, str]
"""A page id, or (namespace, title without prefix)."""


def _key(name: str) -> str:
    """A category or page title as MediaWiki stores it: underscores for spaces (write the names as the wiki has
    them: the first letter is not upper-cased, some wikis have case-sensitive titles)."""
    return "_".join(name.replace("_", " ").split())


def _text(value: bytes | str) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else value


def alert_pages(revisions: Iterable[RevisionFact]) -> list[int]:
    """The pages to check: those of counted revisions that still exist (deleted ones cannot be nominated)."""
    return sorted({fact.page_id for fact in revisions if not fact.deleted and fact.page_id})


def _alerts(wiki: WikiConfig, rows: Iterable[tuple[int, str, str]]) -> list[Alert]:
    configured = {_key(name): name for name in wiki.deletion_categories}
    found = {
        Alert(int(namespace), _key(title), configured[_key(category)])
        for namespace, title, category in rows
        if _key(category) in configured
    }
    return sorted(found)


def replica_alerts(replica: Replica, pages: Iterable[Page]) -> list[Alert]:
    """Alerts for these pages of the replica's wiki, from the Wiki Replicas."""
    wiki = replica.wiki
    categories = tuple(dict.fromkeys(_key(name) for name in wiki.deletion_categories))
    items = list(dict.fromkeys(pages))
    ids = [item for item in items if isinstance(item, int)]
    titles = [(int(item[0]), _key(item[1])) for item in items if isinstance(item, tuple)]
    rows: list[tuple[int, str, str]] = []
    if not categories:
        return []
    for name, key, values in (("stats/alerts", "page_ids", ids), ("stats/alerts_by_title", "pages", titles)):
        for start in range(0, len(values), SQL_BATCH):
            batch: Sequence[object] = values[start : start + SQL_BATCH]
            for namespace, title, category in replica.query(name, {key: tuple(batch), "categories": categories}):
                rows.append((int(namespace), _text(title), _text(category)))
    return _alerts(wiki, rows)


def api_alerts(wiki: WikiConfig, pages: Iterable[Page]) -> list[Alert]:
    """Alerts for these pages of one wiki, through the Action API (pywikibot), for wikis without replicas."""
    from bot import wiki as wiki_access

    if not wiki.deletion_categories:
        return []
    return _alerts(wiki, wiki_access.page_categories(wiki, pages, wiki.deletion_categories))
