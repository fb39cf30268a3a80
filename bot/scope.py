"""A program's article scope (bot/program.py Scope), resolved on one wiki into the aggregation's PageFilter.

Scope membership is evaluated now, not at edit time (metrics.md). Listed and excluded titles need only the wiki's
namespace names; categories (with depth) and templates need the wiki's link tables, read either from the replicas
(categorylinks -> linktarget by cl_target_id, templatelinks -> linktarget by tl_target_id, as on production) or
from the Action API (list=categorymembers, list=embeddedin). Both give the same sets; tests/test_scope.py checks.

A PetScan query (PSID) is run by PetScan itself (bot/petscan_client.py); its pages come through a callable like the
link tables', so both implementations share it. When it cannot be had (PetScan down, unknown PSID, no callable) the
result says so and the scope's other parts still count: a failed lookup never widens the scope to every page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Set
from dataclasses import dataclass

from bot import wiki
from bot.aggregate import PageFilter
from bot.petscan_client import PetscanError
from bot.program import Scope
from bot.replica import Replica

CATEGORY = 14
TEMPLATE = 10
TITLE_BATCH = 500
"""Category or template titles per replica statement."""

Page = tuple[int, str]
"""(namespace, title without prefix, underscores): the key of PageFilter."""
Members = Callable[[frozenset[str]], set[Page]]
"""Pages in any of these categories (titles without prefix)."""
Embedders = Callable[[int, frozenset[str]], set[Page]]
"""Pages transcluding any of these pages of one namespace."""
PetscanPages = Callable[[int], Set[Page]]
"""The pages on this wiki of the stored PetScan query with this PSID; raises PetscanError when they cannot be had."""


@dataclass(frozen=True)
class ResolvedScope:
    filter: PageFilter
    petscan_unavailable: bool = False
    """The scope names a PetScan query whose pages could not be had: the caller reports "PetScan is not available".
    The filter then holds the scope's other parts only (possibly nothing), never every page."""


def parse_title(title: str, prefixes: Mapping[str, int], default_namespace: int = 0) -> Page:
    """(namespace, database key) of a title as an organizer wrote it: the namespace from a known prefix (any case,
    local or canonical name or alias), else ``default_namespace``; first letter upper case, underscores."""
    name = " ".join(title.replace("_", " ").split()).lstrip(":").strip()
    namespace = default_namespace
    prefix, colon, rest = name.partition(":")
    if colon and prefix.strip().lower() in prefixes:
        namespace, name = prefixes[prefix.strip().lower()], rest.strip()
    return namespace, (name[:1].upper() + name[1:]).replace(" ", "_")


def category_names(titles: Iterable[str], prefixes: Mapping[str, int]) -> frozenset[str]:
    """Category titles without prefix, whether or not the organizer wrote "Category:" (or its local name)."""
    names = set()
    for title in titles:
        namespace, key = parse_title(title, prefixes, CATEGORY)
        names.add(key if namespace == CATEGORY else parse_title(title, {}, CATEGORY)[1])
    return frozenset(name for name in names if name)


def category_tree(roots: frozenset[str], depth: int, members: Members) -> set[Page]:
    """Members of the root categories and, down to ``depth`` levels, of their subcategories (each category once,
    so cycles end). Depth 0: the roots' own members (a subcategory page itself is a member)."""
    pages: set[Page] = set()
    seen, level = set(roots), roots
    for _ in range(max(depth, 0) + 1):
        if not level:
            break
        found = members(level)
        pages |= found
        level = frozenset(title for namespace, title in found if namespace == CATEGORY) - seen
        seen |= level
    return pages


def resolve(
    scope: Scope,
    prefixes: Mapping[str, int],
    members: Members,
    embedders: Embedders,
    petscan: PetscanPages | None = None,
) -> ResolvedScope:
    """The one resolution both implementations share; they differ only in where members and embedders come from.
    ``petscan`` None: no way to run PetScan queries here, so a PSID is reported as unavailable."""
    excluded = frozenset(page for page in (parse_title(t, prefixes) for t in scope.excluded) if page[1])
    if not scope.limited:
        return ResolvedScope(PageFilter(pages=None, excluded=excluded))
    pages = {page for page in (parse_title(t, prefixes) for t in scope.articles) if page[1]}
    categories = category_names(scope.categories, prefixes)
    if categories:
        pages |= category_tree(categories, scope.category_depth, members)
    templates: dict[int, set[str]] = {}
    for namespace, title in (parse_title(t, prefixes, TEMPLATE) for t in scope.templates):
        if title:
            templates.setdefault(namespace, set()).add(title)
    for namespace, titles in sorted(templates.items()):
        pages |= embedders(namespace, frozenset(titles))
    petscan_unavailable = False
    if scope.petscan_psid is not None:
        try:
            found = petscan(scope.petscan_psid) if petscan else None
        except PetscanError:
            found = None
        petscan_unavailable = found is None
        pages.update(page for page in found or () if page[1])
    return ResolvedScope(PageFilter(frozenset(pages), excluded), petscan_unavailable=petscan_unavailable)


# --- from the replicas ------------------------------------------------------------------------------------------


def resolve_replica(
    scope: Scope, replica: Replica, prefixes: Mapping[str, int], petscan: PetscanPages | None = None
) -> ResolvedScope:
    """``prefixes``: the wiki's namespace names (wiki.title_prefixes); the replicas do not hold them."""

    def members(categories: frozenset[str]) -> set[Page]:
        return _pages(replica, "stats/category_member_ids", "categories", categories, {})

    def embedders(namespace: int, titles: frozenset[str]) -> set[Page]:
        return _pages(replica, "stats/template_embedder_ids", "titles", titles, {"namespace": namespace})

    return resolve(scope, prefixes, members, embedders, petscan)


def _pages(replica: Replica, name: str, key: str, titles: frozenset[str], params: dict[str, object]) -> set[Page]:
    """Page ids from the link tables (``name``, on Replica.links()), then their titles on the wiki's own
    connection: never one statement across the two (Commons' link tables live apart, T398709)."""
    ordered = sorted(titles)
    ids: set[int] = set()
    for start in range(0, len(ordered), TITLE_BATCH):
        rows = replica.links().query(name, {**params, key: tuple(ordered[start : start + TITLE_BATCH])})
        ids.update(int(page_id) for (page_id,) in rows)
    found = sorted(ids)
    pages: set[Page] = set()
    for start in range(0, len(found), TITLE_BATCH):
        rows = replica.query("stats/pages_by_id", {"page_ids": tuple(found[start : start + TITLE_BATCH])})
        pages.update((int(namespace), _text(title)) for _page_id, namespace, title in rows)
    return pages


def _text(value: bytes | str) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else value


# --- from the Action API ----------------------------------------------------------------------------------------


def resolve_api(scope: Scope, site: wiki.Site, petscan: PetscanPages | None = None) -> ResolvedScope:
    """One request (plus continuations) per category per level and per template: these lists take one title."""
    prefixes = wiki.title_prefixes(site)
    names = {namespace: prefix for prefix, namespace in sorted(prefixes.items(), reverse=True)}

    def listed(list_name: str, title_param: str, titles: Iterable[str], **params: object) -> set[Page]:
        pages: set[Page] = set()
        for title in sorted(titles):
            for query in wiki.api_query(site, list=list_name, **{title_param: title}, **params):
                items = query.get(list_name)
                for item in items if isinstance(items, list) else []:
                    namespace, full_title = int(item["ns"]), str(item["title"])
                    pages.add((namespace, _key(full_title.split(":", 1)[1] if namespace else full_title)))
        return pages

    def members(categories: frozenset[str]) -> set[Page]:
        titles = (f"{names[CATEGORY]}:{title}" for title in categories)
        return listed("categorymembers", "cmtitle", titles, cmprop="ids|title", cmlimit="max")

    def embedders(namespace: int, titles: frozenset[str]) -> set[Page]:
        full = (f"{names[namespace]}:{title}" if namespace else title for title in titles)
        return listed("embeddedin", "eititle", full, eilimit="max")

    return resolve(scope, prefixes, members, embedders, petscan)


def _key(title: str) -> str:
    return title.replace(" ", "_")
