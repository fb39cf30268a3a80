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
    names: set[str] = set()
    for number in (2, 3):
        namespace = wiki_site.namespaces[number]
        names.update(name.lower() for name in (namespace.custom_name, namespace.canonical_name, *namespace.aliases))
    special = wiki_site.namespaces[-1]
    aliases = ["Contributions"]
    for entry in wiki_site.siteinfo.get("specialpagealiases", []):
        if entry["realname"] == "Contributions":
            aliases.extend(entry["aliases"])
    for namespace_name in (special.custom_name, special.canonical_name, *special.aliases):
        names.update(f"{namespace_name}:{alias}/".lower().replace("_", " ") for alias in aliases)
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
