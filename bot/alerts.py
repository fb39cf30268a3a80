"""Deletion alerts (metrics.md): articles edited or created that are *now* up for deletion on their wiki, either
directly in one of the deletion categories configured for it (``deletion_categories``: speedy deletion, proposed
deletion, deletion discussion), or with a deletion discussion page named after them: a page
``<prefix><article's full title>`` that exists now, for one of the wiki's ``deletion_discussion_prefixes``
(``Wikipedia:Articles for deletion/``, the common convention).

One resolution (``resolve``) shared by two ways to ask, with the same answer, as bot/scope.py does for scopes:
the Wiki Replicas (sql/stats/alerts*.sql: page -> categorylinks -> linktarget via ``cl_target_id``;
sql/stats/pages_by_*.sql: which pages exist, one statement per batch), and the Action API for wikis without replicas
(``prop=categories`` with ``clcategories``, ``prop=info``; 50 pages a request, 500 for a bot). Pages are given by page
id or by (namespace, title without prefix); category membership is direct (a page in a subcategory of a configured
category is not in it). Namespace names (for the prefixes and the articles' full titles) come from the wiki's
siteinfo either way: the replicas do not hold them.

An alert is (namespace, title with underscores and without prefix, what it is about, kind): for kind "category" the
category as configured, for kind "discussion" the discussion page's full title as the wiki shows it (spaces), so
the organizer can follow it. An article in two categories and with a discussion has three alerts; the published
number counts articles (``alerted_articles``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from bot.config import WikiConfig
from bot.metrics import RevisionFact
from bot.replica import Replica

# Pages per statement: an IN list this long stays a plain range (below MariaDB's semi-join rewrite at 1,000).
SQL_BATCH = 500

CATEGORY = "category"
DISCUSSION = "discussion"


class Alert(NamedTuple):
    namespace: int
    title: str
    """With underscores, without namespace prefix (as RevisionFact.title)."""
    category: str
    """Kind "category": as written in the wiki's deletion_categories. Kind "discussion": the discussion page's
    full title with its namespace's local name and spaces (``Wikipedia:Articles for deletion/Foo bar``)."""
    kind: str = CATEGORY
    """CATEGORY or DISCUSSION ("deletion discussion" where it is shown)."""


Page = int | tuple[int, str]
"""A page id, or (namespace, title without prefix)."""
Existing = Callable[[Sequence[Page]], Iterable[tuple[int, int, str]]]
"""Those of these pages that exist now: (page id, namespace, title with underscores and without prefix)."""
InCategories = Callable[[Sequence[Page], tuple[str, ...]], Iterable[tuple[int, str, str]]]
"""Which of these pages are now directly in which of these categories (titles with underscores, no prefix):
(namespace, title, category) rows."""


@dataclass(frozen=True)
class Namespaces:
    """A wiki's namespace names, from its siteinfo (bot/wiki.py)."""

    numbers: Mapping[str, int]
    """Every name a title's prefix may use (local, canonical, alias), lower case with spaces -> number."""
    names: Mapping[int, str]
    """Number -> the local name titles carry ('' for the main namespace)."""


def _key(name: str) -> str:
    """A category or page title as MediaWiki stores it: underscores for spaces (write the names as the wiki has
    them: the first letter is not upper-cased, some wikis have case-sensitive titles)."""
    return "_".join(name.replace("_", " ").split())


def _text(value: bytes | str) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else value


def alert_pages(revisions: Iterable[RevisionFact]) -> list[int]:
    """The pages to check: those of counted revisions that still exist (deleted ones cannot be nominated)."""
    return sorted({fact.page_id for fact in revisions if not fact.deleted and fact.page_id})


def alerted_articles(alerts: Iterable[Sequence[object]]) -> int:
    """The published ``alerts`` number: distinct articles among stored alerts (wiki, namespace, title, ...), so an
    article in two deletion categories and with a discussion page counts once."""
    return len({tuple(alert[:3]) for alert in alerts})


def discussion_target(prefix: str, numbers: Mapping[str, int]) -> tuple[int, str]:
    """(namespace, text part with underscores) of a configured discussion prefix: the namespace from a known name
    (any case; local, canonical or alias), else the main namespace. The text part keeps a trailing space (as _)."""
    name = prefix.replace("_", " ").lstrip().lstrip(":")
    space, colon, rest = name.partition(":")
    namespace = 0
    if colon and " ".join(space.split()).lower() in numbers:
        namespace, name = numbers[" ".join(space.split()).lower()], rest.lstrip()
    return namespace, re.sub(r"\s+", "_", name)


def full_title(namespace: int, title: str, names: Mapping[int, str]) -> str | None:
    """A page's full title as the wiki shows it, with underscores (None for a namespace the wiki does not have)."""
    if namespace == 0:
        return title
    name = names.get(namespace)
    return f"{_key(name)}:{title}" if name else None


def resolve(
    wiki: WikiConfig,
    pages: Iterable[Page],
    in_categories: InCategories,
    existing: Existing,
    namespaces: Callable[[], Namespaces],
) -> list[Alert]:
    """The one resolution both backends share; they differ only in how category rows and existing pages are read.
    ``namespaces`` is called only when the wiki has discussion prefixes."""
    items = list(dict.fromkeys(item if isinstance(item, int) else (int(item[0]), _key(item[1])) for item in pages))
    if not items:
        return []
    found: set[Alert] = set()
    configured = {_key(name): name for name in wiki.deletion_categories}
    if configured:
        for namespace, title, category in in_categories(items, tuple(configured)):
            if _key(category) in configured:
                found.add(Alert(int(namespace), _key(title), configured[_key(category)]))
    if wiki.deletion_discussion_prefixes:
        spaces = namespaces()
        targets = list(dict.fromkeys(discussion_target(p, spaces.numbers) for p in wiki.deletion_discussion_prefixes))
        candidates: dict[tuple[int, str], set[tuple[int, str]]] = {}
        for _, namespace, title in existing(items):
            article = full_title(int(namespace), _key(title), spaces.names)
            for target_namespace, text in targets if article else ():
                candidates.setdefault((target_namespace, f"{text}{article}"), set()).add((int(namespace), _key(title)))
        for _, namespace, title in existing(sorted(candidates)) if candidates else ():
            discussion = full_title(int(namespace), _key(title), spaces.names) or _key(title)
            for article_namespace, article_title in candidates.get((int(namespace), _key(title)), ()):
                found.add(Alert(article_namespace, article_title, discussion.replace("_", " "), DISCUSSION))
    return sorted(found)


# --- from the replicas ------------------------------------------------------------------------------------------


def _rows(replica: Replica, name: str, key: str, values: Sequence[object], **params: object) -> list[tuple[Any, ...]]:
    """``sql/stats/<name>.sql`` once per batch of values."""
    rows: list[tuple[Any, ...]] = []
    for start in range(0, len(values), SQL_BATCH):
        rows.extend(replica.query(f"stats/{name}", {**params, key: tuple(values[start : start + SQL_BATCH])}))
    return rows


def replica_alerts(replica: Replica, pages: Iterable[Page], namespaces: Namespaces | None = None) -> list[Alert]:
    """Alerts for these pages of the replica's wiki, from the Wiki Replicas. ``namespaces``: the wiki's names
    (default: read from its siteinfo through the API, only when the wiki has discussion prefixes)."""

    def existing(items: Sequence[Page]) -> list[tuple[int, int, str]]:
        ids = [item for item in items if isinstance(item, int)]
        titles = [item for item in items if isinstance(item, tuple)]
        rows = _rows(replica, "pages_by_id", "page_ids", ids) + _rows(replica, "pages_by_title", "pages", titles)
        return [(int(page_id), int(namespace), _text(title)) for page_id, namespace, title in rows]

    def in_categories(items: Sequence[Page], categories: tuple[str, ...]) -> list[tuple[int, str, str]]:
        # The pages first (the wiki's own connection), then their categories (the link tables, which on Commons
        # live apart, T398709): never one statement across the two.
        pages = {page_id: (namespace, title) for page_id, namespace, title in existing(items)}
        rows = _rows(replica.links(), "alerts", "page_ids", sorted(pages), categories=categories)
        return [(*pages[int(page_id)], _text(category)) for page_id, category in rows]

    return resolve(replica.wiki, pages, in_categories, existing, lambda: namespaces or wiki_namespaces(replica.wiki))


# --- from the Action API ----------------------------------------------------------------------------------------


def wiki_namespaces(wiki: WikiConfig) -> Namespaces:
    """The wiki's namespace names, from its siteinfo (pywikibot)."""
    from bot import wiki as wiki_access

    return Namespaces(wiki_access.title_prefixes(wiki_access.site(wiki)), wiki_access.namespace_prefixes(wiki))


def api_alerts(wiki: WikiConfig, pages: Iterable[Page]) -> list[Alert]:
    """Alerts for these pages of one wiki, through the Action API (pywikibot), for wikis without replicas."""
    from bot import wiki as wiki_access

    def in_categories(items: Sequence[Page], categories: tuple[str, ...]) -> list[tuple[int, str, str]]:
        return wiki_access.page_categories(wiki, items, categories)

    def existing(items: Sequence[Page]) -> list[tuple[int, int, str]]:
        return wiki_access.existing_pages(wiki, items)

    return resolve(wiki, pages, in_categories, existing, lambda: wiki_namespaces(wiki))
