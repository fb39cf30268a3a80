"""The bot's access to wikis, through pywikibot (login, throttle, maxlag, retries are its job, not ours).

This is the only module that imports pywikibot. pywikibot reads its configuration directory when it is imported,
so the directory named in the settings is put in ``PYWIKIBOT_DIR`` before the import (unless the caller chose one).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime

from bot.config import Settings, WikiConfig, load_settings
from bot.param_values import user_list
from bot.trust import PageRevision

os.environ.setdefault("PYWIKIBOT_DIR", str(load_settings().pywikibot_dir))

import pywikibot
from pywikibot.site import APISite

# The only module that imports pywikibot; the rest of the bot uses these names.
Page = pywikibot.Page
WikiError = pywikibot.exceptions.Error
EditConflict = pywikibot.exceptions.EditConflictError


def classify_save_error(error: Exception) -> str:
    """The edit log's name for what went wrong with a read or a save (see ``bot.publisher``)."""
    exceptions = pywikibot.exceptions
    reason = getattr(error, "reason", None) if isinstance(error, exceptions.OtherPageSaveError) else None
    cause = reason if isinstance(reason, Exception) else error
    if isinstance(cause, exceptions.EditConflictError):
        return "edit_conflict"
    if isinstance(cause, exceptions.LockedPageError):
        return "protected"
    if isinstance(cause, exceptions.IsRedirectPageError):
        return "redirect"
    if isinstance(cause, exceptions.NoPageError | exceptions.NoCreateError):
        return "page_missing"
    if isinstance(cause, exceptions.MaxlagTimeoutError):
        return "maxlag"
    code = getattr(cause, "code", "")
    if code in ("blocked", "autoblocked", "blockedfrommail") or "block" in str(code):
        return "blocked"
    if code == "maxlag":
        return "maxlag"
    if code in ("protectedpage", "cascadeprotected", "protectedtitle", "protectednamespace"):
        return "protected"
    return "error"


def site(wiki: WikiConfig) -> APISite:
    return pywikibot.Site(wiki.code, wiki.family)


def embedded_pages(wiki: WikiConfig, template_name: str) -> Iterator[pywikibot.Page]:
    """Program and campaign pages are found by their template's transclusions, in any namespace."""
    wiki_site = site(wiki)
    template = pywikibot.Page(wiki_site, template_name, ns=10)
    yield from wiki_site.page_embeddedin(template, content=True)


def page_revisions(page: pywikibot.Page, after_revid: int) -> list[PageRevision]:
    """The page's revisions newer than ``after_revid``, oldest first, with their text."""
    kwargs: dict[str, object] = {"content": True, "rvdir": True}
    if after_revid:
        kwargs["startid"] = after_revid + 1
    page.site.loadrevisions(page, **kwargs)
    revisions = []
    # pywikibot keeps loaded revisions in Page._revisions; its public revisions() reloads the whole history.
    for revision in sorted(page._revisions.values(), key=lambda r: r.revid):
        if revision.revid <= after_revid:
            continue
        revisions.append(
            PageRevision(
                revid=revision.revid,
                user=None if revision.userhidden else revision.user,
                timestamp=datetime.fromtimestamp(revision.timestamp.posix_timestamp(), UTC),
                text=revision.text,  # None when the content is hidden
            )
        )
    return revisions


def user_prefixes(wiki_site: APISite) -> frozenset[str]:
    """How this wiki's users are linked: User and User talk namespace names and aliases, Special:Contributions/."""
    prefixes = title_prefixes(wiki_site)
    names = {name for name, number in prefixes.items() if number in (2, 3)}
    aliases = ["Contributions"]
    for entry in wiki_site.siteinfo.get("specialpagealiases", []):
        if entry["realname"] == "Contributions":
            aliases.extend(entry["aliases"])
    special = [name for name, number in prefixes.items() if number == -1]
    names.update(f"{space}:{alias}/".lower().replace("_", " ") for space in special for alias in aliases)
    return frozenset(names)


def missing_users(wiki_site: APISite, usernames: Iterable[str]) -> frozenset[str]:
    """The names among ``usernames`` that are not accounts on this wiki (one API request per 50 names)."""
    names = list(usernames)
    if not names:
        return frozenset()
    return frozenset(str(info["name"]) for info in wiki_site.users(names) if "missing" in info or "invalid" in info)


def admins_from_page(wiki_site: APISite, title: str) -> frozenset[str]:
    """Usernames listed on an admins page, trusted only while the page is protected for sysops."""
    page = pywikibot.Page(wiki_site, title)
    if not page.exists() or page.protection().get("edit", ("", None))[0] != "sysop":
        return frozenset()
    return user_list(page.text, user_prefixes(wiki_site))


def stop_page_set(settings: Settings, wiki: WikiConfig) -> bool:
    """Anyone can halt the bot on a wiki by writing anything on its stop page; blanking it resumes."""
    page = pywikibot.Page(site(wiki), settings.stop_page)
    return page.exists() and bool(page.get(force=True).strip())


def forget_logins() -> None:
    """Drop pywikibot's cached sites and cookies, e.g. after the dev wikis were reset and sessions vanished."""
    pywikibot._sites.clear()
    pywikibot.comms.http.session.cookies.clear()


# --- texts and categories for the content metrics and alerts ----------------------------------------------------


def batch_size(wiki_site: APISite) -> int:
    """Revision ids or pages per API request: MediaWiki takes 50 values of a multi-value parameter (and 50
    revisions with content) from most accounts, 500 from one with apihighlimits, as a bot is. A program's first
    words/references pass asks for every counted revision's text and its parent's: at 500 a bot needs a tenth of
    the requests (bench/README.md), each one a round trip to a wiki that may be far and throttled."""
    return int(logged_in(wiki_site).maxlimit)


def revision_texts(wiki: WikiConfig, rev_ids: Iterable[int]) -> dict[int, str | None]:
    """The main-slot text of each revision (None when hidden, deleted or missing), ``batch_size`` ids per request
    (an answer past the API's result size is continued by api_query)."""
    ids = sorted({int(rev_id) for rev_id in rev_ids if int(rev_id) > 0})
    texts: dict[int, str | None] = dict.fromkeys(ids)
    wiki_site = site(wiki)
    size = batch_size(wiki_site)
    for start in range(0, len(ids), size):
        batch = ids[start : start + size]
        params: dict[str, object] = {
            "prop": "revisions", "revids": "|".join(map(str, batch)), "rvprop": "ids|content", "rvslots": "main",
        }  # fmt: skip
        for query in api_query(wiki_site, **params):
            for page in query.get("pages", []):  # type: ignore[attr-defined]
                for revision in page.get("revisions", []):
                    content = revision.get("slots", {}).get("main", {}).get("content")
                    texts[int(revision["revid"])] = content if isinstance(content, str) else None
    return texts


def namespace_names(wiki: WikiConfig, numbers: Iterable[int]) -> dict[int, tuple[str, ...]]:
    """Every name of these namespaces on the wiki: local, canonical and aliases."""
    namespaces = site(wiki).namespaces
    result = {}
    for number in numbers:
        space = namespaces[number]
        result[number] = tuple(dict.fromkeys(n for n in (space.custom_name, space.canonical_name, *space.aliases) if n))
    return result


def namespace_prefixes(wiki: WikiConfig) -> dict[int, str]:
    """Namespace number -> the local name titles carry ('' for the main namespace)."""
    return {number: names[0] if names else "" for number, names in namespace_names(wiki, site(wiki).namespaces).items()}


def page_categories(
    wiki: WikiConfig, pages: Iterable[int | tuple[int, str]], categories: Iterable[str]
) -> list[tuple[int, str, str]]:
    """Which of these pages (page ids, or (namespace, title without prefix)) are now in which of these categories
    (names without prefix): (namespace, title with underscores and without prefix, category with spaces) rows, one
    request per ``batch_size`` pages (prop=categories with clcategories)."""
    wanted = [" ".join(c.replace("_", " ").split()) for c in categories]
    items = list(dict.fromkeys(pages))
    if not wanted or not items:
        return []
    wiki_site = site(wiki)
    category_list = "|".join(f"Category:{name}" for name in wanted)
    rows: set[tuple[int, str, str]] = set()
    for key, values in _page_batches(wiki_site, items):
        params: dict[str, object] = {
            "prop": "categories", key: values, "clcategories": category_list, "cllimit": "max",
        }  # fmt: skip
        for query in api_query(wiki_site, **params):
            for page in query.get("pages", []):  # type: ignore[attr-defined]
                if "missing" in page or "invalid" in page or "ns" not in page:
                    continue
                namespace, title = _namespace_and_title(page)
                for category in page.get("categories", []):
                    name = str(category["title"]).split(":", 1)[1]
                    rows.add((namespace, title, name))
    return sorted(rows)


def _page_batches(wiki_site: APISite, items: list[int | tuple[int, str]]) -> Iterator[tuple[str, str]]:
    """("pageids" or "titles", "|"-joined values) per request of at most ``batch_size`` pages, ids and titles
    apart."""
    size = batch_size(wiki_site)
    for start in range(0, len(items), size):
        batch = items[start : start + size]
        ids = [str(item) for item in batch if isinstance(item, int)]
        titles = [pywikibot.Page(wiki_site, item[1], ns=item[0]).title() for item in batch if isinstance(item, tuple)]
        for key, values in (("pageids", ids), ("titles", titles)):
            if values:
                yield key, "|".join(values)


def _namespace_and_title(page: dict[str, object]) -> tuple[int, str]:
    """(namespace, title without prefix, underscores) of an API answer's page."""
    namespace, title = int(str(page["ns"])), str(page["title"])
    if namespace != 0:
        title = title.split(":", 1)[1]
    return namespace, title.replace(" ", "_")


def existing_pages(wiki: WikiConfig, pages: Iterable[int | tuple[int, str]]) -> list[tuple[int, int, str]]:
    """Those of these pages (page ids, or (namespace, title without prefix)) that exist now: (page id, namespace, title
    with underscores and without prefix) rows, one request per ``batch_size`` pages (prop=info). A title comes back
    as the wiki normalizes it (local namespace name, first letter), so match rows by (namespace, title)."""
    items = list(dict.fromkeys(pages))
    if not items:
        return []
    wiki_site = site(wiki)
    rows: set[tuple[int, int, str]] = set()
    for key, values in _page_batches(wiki_site, items):
        for query in api_query(wiki_site, prop="info", **{key: values}):
            for page in query.get("pages", []):  # type: ignore[attr-defined]
                if "missing" in page or "invalid" in page or "ns" not in page or "pageid" not in page:
                    continue
                namespace, title = _namespace_and_title(page)
                rows.add((int(page["pageid"]), namespace, title))
    return sorted(rows)


# --- read-only queries for the API stats backend (bot/facts_api.py) and scope resolution (bot/scope.py) ----------

Site = APISite
"""A logged-in wiki, for the type hints of modules that must not import pywikibot themselves."""


def site_as(wiki: WikiConfig, user: str) -> APISite:
    """The wiki as another account of the pywikibot password file (e.g. one allowed to see deleted revisions).

    pywikibot keeps one cookie jar per process: call forget_logins() before switching accounts on one wiki.
    """
    return pywikibot.Site(wiki.code, wiki.family, user=user)


def logged_in(wiki_site: APISite) -> APISite:
    """The site, logged in: pywikibot logs in lazily (at the first edit), but what a read shows depends on who
    asks (deleted revisions, hidden authors, limits of 5000 instead of 500)."""
    if not wiki_site.logged_in():
        wiki_site.login()
    return wiki_site


def has_right(wiki_site: APISite, right: str) -> bool:
    """Whether the account holds a user right (as limited by its BotPassword's grants)."""
    return bool(logged_in(wiki_site).has_right(right))


def api_query(wiki_site: APISite, **params: object) -> Iterator[dict[str, object]]:
    """The ``query`` part of each answer to an ``action=query`` request (formatversion 2), following continuation.

    Raw parameters rather than pywikibot's page generators: the stats need fields those generators drop (sizediff,
    parentid, userhidden) and several users per request. pywikibot still does login, throttle, maxlag and retries.
    """
    request: dict[str, object] = {"action": "query", "formatversion": 2, **params}
    logged_in(wiki_site)
    while True:
        data = wiki_site.simple_request(**request).submit()
        query = data.get("query")
        yield query if isinstance(query, dict) else {}
        if "continue" not in data:
            return
        request.update(data["continue"])


def title_prefixes(wiki_site: APISite) -> dict[str, int]:
    """Every name a title's prefix may use for a namespace (local, canonical, aliases), lower case with spaces."""
    prefixes: dict[str, int] = {}
    for number, namespace in wiki_site.namespaces.items():
        for name in (namespace.custom_name, namespace.canonical_name, *namespace.aliases):
            if int(number) != 0 and name:
                prefixes[str(name).replace("_", " ").lower()] = int(number)
    return prefixes


def has_extension(wiki_site: APISite, name: str) -> bool:
    """Whether the wiki runs an extension, named with or without spaces ("GlobalUsage" finds "Global Usage")."""
    wanted = name.replace(" ", "").lower()
    extensions = wiki_site.siteinfo.get("extensions", [])
    return any(str(extension.get("name", "")).replace(" ", "").lower() == wanted for extension in extensions)
