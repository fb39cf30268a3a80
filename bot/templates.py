"""Installing the on-wiki templates (``templates_wikitext/``) under each wiki's localized names."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields

from bot.config import PROJECT_ROOT, Settings, WikiConfig
from bot.i18n import translate
from bot.publisher import EditOutcome, publish
from bot.wiki import Page, site

TEMPLATES_DIR = PROJECT_ROOT / "templates_wikitext"


def _replace_with(text: str) -> Callable[[str], str]:
    return lambda _current: text


def install_templates(settings: Settings, wiki: WikiConfig) -> dict[str, EditOutcome]:
    """Write every template whose text differs from ours; the names come from the wiki's config."""
    outcomes: dict[str, EditOutcome] = {}
    for role in (field.name for field in fields(wiki.templates)):
        title = getattr(wiki.templates, role)
        text = (TEMPLATES_DIR / f"{role}.wikitext").read_text(encoding="utf-8")
        page = Page(site(wiki), title, ns=10)
        summary = translate(wiki.language, "summary-install-template", page.title())
        outcomes[page.title()] = publish(page, _replace_with(text), summary, wiki=wiki, settings=settings)
    return outcomes
