"""The same facts as bot/facts_replica.py, read from the Action API (for wikis, or tools, without Wiki Replicas).

Families and the requests they cost (n participants, f files):

* revisions on existing pages: list=usercontribs, 50 users per request (ucuser takes several); parent size is
  ``size - sizediff`` (MediaWiki computes sizediff from the parent's length), parent id from ``parentid``;
* revisions on deleted pages: list=alldeletedrevisions, one user per request (adruser takes one), then the parents'
  sizes by revision id, 50 per request. It needs the ``deletedhistory`` right; without it the family is None and
  the caller says the numbers on deleted pages are unavailable;
* users: list=users with usprop=registration, 50 per request; the latest edit in the tracked namespaces through
  usercontribs with uclimit=1, one user per request (a limit applies to the whole list, not per user);
* uploads (file wikis): list=logevents leaction=upload/upload, one user per request (leuser takes one); usage
  through prop=globalusage on the file wiki (GlobalUsage, as on Commons) or, on a file wiki without GlobalUsage
  (devcommons), prop=fileusage on each wiki that uses its files, 50 files per request. Both give what
  globalimagelinks holds: (wiki, page) pairs in the main namespace, counted, and the first 100 kept.

An account with ``deletedhistory`` also sees revisions and log entries whose author is hidden (flagged
``userhidden``); they never count, so they are dropped here, as the replicas' ``_userindex`` views drop them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from bot import wiki
from bot.config import WikiConfig, load_settings
from bot.facts_replica import FactRequest, WikiFacts
from bot.metrics import USING_PAGES_KEPT, RevisionFact, UploadFact, UserFact, UsingPage

BATCH = 50
"""Users, titles or revision ids per request where a parameter takes several (the limit without apihighlimits)."""
ONE_SECOND = timedelta(seconds=1)

Json = Mapping[str, object]


def api_timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def window_params(prefix: str, window: tuple[datetime, datetime]) -> dict[str, str]:
    """start/end parameters, oldest first: the API's ends are inclusive and timestamps whole seconds, so the
    exclusive window end becomes end - 1 s."""
    start, end = window
    return {
        f"{prefix}start": api_timestamp(start),
        f"{prefix}end": api_timestamp(end - ONE_SECOND),
        f"{prefix}dir": "newer",
    }


def chunks(values: Sequence[str], size: int = BATCH) -> Iterator[Sequence[str]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def db_key(title: str, namespace: int) -> str:
    """A title as the replicas store it: without its namespace prefix, underscores for spaces."""
    if namespace != 0:
        title = title.split(":", 1)[1]
    return title.replace(" ", "_")


def revisions(site: wiki.Site, wiki_name: str, request: FactRequest) -> list[RevisionFact]:
    """Family (a): usercontribs in the window, which lists revisions on existing pages by their current title."""
    if not request.namespaces or request.window[0] >= request.window[1]:
        return []
    facts = []
    for names in chunks(request.participants):
        for query in wiki.api_query(
            site, list="usercontribs", ucuser="|".join(names), ucnamespace=_joined(request.namespaces),
            ucprop="ids|title|timestamp|size|sizediff|flags", uclimit="max", **window_params("uc", request.window),
        ):  # fmt: skip
            facts += [_contribution(wiki_name, item) for item in _items(query, "usercontribs") if _visible(item)]
    return facts


def _contribution(wiki_name: str, item: Json) -> RevisionFact:
    size, parent_size = _int(item, "size"), _int(item, "size") - _int(item, "sizediff")
    if item.get("texthidden"):
        size = parent_size  # the replicas mask a hidden text's length: no byte change, as in facts_replica.sizes
    namespace = _int(item, "ns")
    return RevisionFact(
        wiki=wiki_name, rev_id=_int(item, "revid"), username=_str(item, "user"), page_id=_int(item, "pageid"),
        namespace=namespace, title=db_key(_str(item, "title"), namespace), timestamp=_time(item, "timestamp"),
        size=size, parent_size=parent_size, parent_id=_int(item, "parentid"),
    )  # fmt: skip


def deleted_revisions(site: wiki.Site, wiki_name: str, request: FactRequest) -> list[RevisionFact] | None:
    """Family (b), or None when the account may not list deleted revisions (right ``deletedhistory``)."""
    if not wiki.has_right(site, "deletedhistory"):
        return None
    if not request.namespaces or request.window[0] >= request.window[1]:
        return []
    found: list[tuple[str, int, str, Json]] = []
    for name in request.participants:
        for query in wiki.api_query(
            site, list="alldeletedrevisions", adruser=name, adrnamespace=_joined(request.namespaces),
            adrprop="ids|user|timestamp|size", adrlimit="max", **window_params("adr", request.window),
        ):  # fmt: skip
            for page in _items(query, "alldeletedrevisions"):
                namespace, title = _int(page, "ns"), _str(page, "title")
                found += [(name, namespace, title, rev) for rev in _items(page, "revisions") if _visible(rev)]
    parents = parent_sizes(site, {_int(rev, "parentid") for _name, _ns, _title, rev in found})
    return [
        RevisionFact(
            wiki=wiki_name,
            rev_id=_int(rev, "revid"),
            username=name,
            page_id=0,
            namespace=namespace,
            title=db_key(title, namespace),
            timestamp=_time(rev, "timestamp"),
            size=_int(rev, "size"),
            parent_size=parents.get(_int(rev, "parentid"), 0),
            parent_id=_int(rev, "parentid"),
            deleted=True,
        )
        for name, namespace, title, rev in found
    ]


def parent_sizes(site: wiki.Site, rev_ids: set[int]) -> dict[int, int]:
    """Sizes of these revisions, deleted (prop=deletedrevisions) or not (prop=revisions); unknown ids are absent."""
    wanted = sorted(rev_id for rev_id in rev_ids if rev_id > 0)
    found: dict[int, int] = {}
    for prop, prefix in (("deletedrevisions", "drv"), ("revisions", "rv")):
        missing = [str(rev_id) for rev_id in wanted if rev_id not in found]
        for ids in chunks(missing):
            for query in wiki.api_query(site, prop=prop, revids="|".join(ids), **{f"{prefix}prop": "ids|size"}):
                for page in _items(query, "pages"):
                    found.update({_int(rev, "revid"): _int(rev, "size") for rev in _items(page, prop)})
    return found


def users(site: wiki.Site, wiki_name: str, request: FactRequest) -> list[UserFact]:
    """Family (c): registration (list=users) and the latest edit in the tracked namespaces (usercontribs)."""
    facts = []
    for names in chunks(request.participants):
        for query in wiki.api_query(site, list="users", ususers="|".join(names), usprop="registration"):
            for user in _items(query, "users"):
                if user.get("missing") or user.get("invalid") or user.get("hidden"):
                    continue
                name = _str(user, "name")
                registration = _time(user, "registration") if user.get("registration") else None
                facts.append(UserFact(wiki_name, name, registration, latest_edit(site, name, request.namespaces)))
    return facts


def latest_edit(site: wiki.Site, username: str, namespaces: tuple[int, ...]) -> datetime | None:
    """The user's newest visible revision on an existing page of these namespaces, at any time."""
    if not namespaces:
        return None
    for query in wiki.api_query(
        site, list="usercontribs", ucuser=username, ucnamespace=_joined(namespaces), ucprop="timestamp", uclimit=1
    ):
        for item in _items(query, "usercontribs"):
            if _visible(item):
                return _time(item, "timestamp")
    return None


def uploads(
    site: wiki.Site, wiki_name: str, request: FactRequest, usage_from: Sequence[wiki.Site] | None = None
) -> list[UploadFact]:
    """Family (d): first uploads in the window (upload log, action upload) with their main-namespace usage.

    ``usage_from``: the wikis whose prop=fileusage is counted, for a file wiki without GlobalUsage (the dev
    wikis: devwiki and devwikidata, the wikis devcommons' globalimagelinks view covers); None: prop=globalusage.
    """
    if request.window[0] >= request.window[1]:
        return []
    found: list[tuple[str, str, datetime]] = []
    for name in request.participants:
        for query in wiki.api_query(
            site, list="logevents", leaction="upload/upload", leuser=name, lenamespace=6,
            leprop="ids|title|timestamp|user", lelimit="max", **window_params("le", request.window),
        ):  # fmt: skip
            for entry in _items(query, "logevents"):
                if _visible(entry) and not entry.get("actionhidden"):
                    found.append((name, db_key(_str(entry, "title"), 6), _time(entry, "timestamp")))
    files = sorted({file for _name, file, _when in found})
    usage = global_usage(site, files) if usage_from is None else file_usage(usage_from, files)
    return [
        UploadFact(wiki_name, name, file, when, len(usage.get(file, ())), _kept(usage.get(file, set())))
        for name, file, when in found
    ]


def _kept(uses: set[tuple[str, str]]) -> tuple[UsingPage, ...]:
    """The pages kept of one file's uses: the first in (wiki, title) order, as upload_usage.sql gives them (UTF-8
    byte order is code point order)."""
    return tuple(UsingPage(wiki_db, title) for wiki_db, title in sorted(uses)[:USING_PAGES_KEPT])


def global_usage(site: wiki.Site, files: Sequence[str]) -> dict[str, set[tuple[str, str]]]:
    """File -> its (wiki, title) main-namespace uses, from GlobalUsage on the file wiki (what globalimagelinks
    holds). GlobalUsage names a wiki by its domain: a configured wiki's is turned into its database name, as
    globalimagelinks has it; another wiki keeps its domain."""
    databases = {urlsplit(other.api_url).netloc: other.replica.dbname for other in load_settings().wikis.values()}
    pages: dict[str, set[tuple[str, str]]] = {}
    for names in chunks(files):
        titles = "|".join(f"File:{name}" for name in names)
        for query in wiki.api_query(
            site, prop="globalusage", titles=titles, gunamespace=0, guprop="namespace", gulimit="max"
        ):
            for page in _items(query, "pages"):
                uses = pages.setdefault(db_key(_str(page, "title"), 6), set())
                for use in _items(page, "globalusage"):
                    domain = _str(use, "wiki")
                    uses.add((databases.get(domain, domain), db_key(_str(use, "title"), 0)))
    return {name: uses for name, uses in pages.items() if uses}


def file_usage(sites: Sequence[wiki.Site], files: Sequence[str]) -> dict[str, set[tuple[str, str]]]:
    """File -> its (wiki, title) main-namespace uses on these wikis (prop=fileusage, which also works for files
    that live on a shared repository and have no local page); the wiki by its database name."""
    pages: dict[str, set[tuple[str, str]]] = {}
    for using_site in sites:
        for names in chunks(files):
            titles = "|".join(f"File:{name}" for name in names)
            for query in wiki.api_query(
                using_site, prop="fileusage", titles=titles, funamespace=0, fuprop="title", fulimit="max"
            ):
                for page in _items(query, "pages"):
                    uses = {(using_site.dbName(), db_key(_str(use, "title"), 0)) for use in _items(page, "fileusage")}
                    if uses:
                        pages.setdefault(db_key(_str(page, "title"), 6), set()).update(uses)
    return pages


def wiki_facts(
    wiki_config: WikiConfig,
    request: FactRequest,
    *,
    site: wiki.Site | None = None,
    usage_from: Sequence[wiki.Site] | None = None,
) -> WikiFacts:
    """Every fact family of one tracked wiki; ``site`` defaults to the bot's own login on that wiki.

    ``usage_from`` (file wikis): see :func:`uploads`; by default :func:`usage_sites` chooses.
    """
    api_site = site if site is not None else wiki.site(wiki_config)
    deleted = deleted_revisions(api_site, wiki_config.name, request)
    files: tuple[UploadFact, ...] = ()
    if wiki_config.kind == "files":
        sources = usage_from if usage_from is not None else usage_sites(api_site, wiki_config)
        files = tuple(uploads(api_site, wiki_config.name, request, sources))
    return WikiFacts(
        wiki=wiki_config.name,
        revisions=tuple(revisions(api_site, wiki_config.name, request)),
        deleted=None if deleted is None else tuple(deleted),
        users=tuple(users(api_site, wiki_config.name, request)),
        uploads=files,
    )


def usage_sites(site: wiki.Site, file_wiki: WikiConfig) -> list[wiki.Site] | None:
    """None (ask prop=globalusage) when the file wiki runs GlobalUsage, as Commons does; otherwise every other
    configured wiki, whose prop=fileusage is counted. The API would only warn about an unknown prop=globalusage and
    every file would seem unused: a silent zero."""
    if wiki.has_extension(site, "GlobalUsage"):
        return None
    return [wiki.site(other) for other in load_settings().wikis.values() if other.name != file_wiki.name]


# --- reading formatversion=2 answers with types ----------------------------------------------------------------


def _joined(numbers: Sequence[int]) -> str:
    return "|".join(str(number) for number in numbers)


def _visible(item: Json) -> bool:
    """Hidden authors never count (metrics.md); only accounts with deletedhistory are shown such rows at all."""
    return not item.get("userhidden")


def _items(data: Json, key: str) -> list[Json]:
    value = data.get(key)
    return [item for item in value if isinstance(item, Mapping)] if isinstance(value, list) else []


def _int(data: Json, key: str) -> int:
    value = data.get(key, 0)
    return int(value) if isinstance(value, (int, str)) else 0


def _str(data: Json, key: str) -> str:
    return str(data.get(key, ""))


def _time(data: Json, key: str) -> datetime:
    return datetime.fromisoformat(_str(data, key).replace("Z", "+00:00")).astimezone(UTC)
