"""The bot's access to wikis, through pywikibot (login, throttle, maxlag, retries are its job, not ours).

This is the only module that imports pywikibot. pywikibot reads its configuration directory when it is imported,
so the directory named in the settings is put in ``PYWIKIBOT_DIR`` before the import (unless the caller chose one).
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from bot.config import Settings, WikiConfig, load_settings

os.environ.setdefault("PYWIKIBOT_DIR", str(load_settings().pywikibot_dir))

import pywikibot
from pywikibot.site import APISite

# The only module that imports pywikibot; the rest of the bot uses these names.
Page = pywikibot.Page
WikiError = pywikibot.exceptions.Error
EditConflict = pywikibot.exceptions.EditConflictError


def site(wiki: WikiConfig) -> APISite:
    return pywikibot.Site(wiki.code, wiki.family)


def program_pages(wiki: WikiConfig) -> Iterator[pywikibot.Page]:
    """Program pages are the pages that transclude the program template, in any namespace."""
    wiki_site = site(wiki)
    template = pywikibot.Page(wiki_site, wiki.templates.program, ns=10)
    yield from wiki_site.page_embeddedin(template, content=True)


def stop_page_set(settings: Settings, wiki: WikiConfig) -> bool:
    """Anyone can halt the bot on a wiki by writing anything on its stop page; blanking it resumes."""
    page = pywikibot.Page(site(wiki), settings.stop_page)
    return page.exists() and bool(page.get(force=True).strip())


def forget_logins() -> None:
    """Drop pywikibot's cached sites and cookies, e.g. after the dev wikis were reset and sessions vanished."""
    pywikibot._sites.clear()
    pywikibot.comms.http.session.cookies.clear()
