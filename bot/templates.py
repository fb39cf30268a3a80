"""Installing the on-wiki templates (``templates_wikitext/<language>/``) under each wiki's localized names.

Every role of :class:`~bot.config.TemplateNames` has a file ``<role>.wikitext``, and may have subpages
``<role>.<subpage>.wikitext``, installed as ``Template:<localized name>/<subpage>``. A wiki gets the files of its
``language``, English where that language lacks one. Inside the files, tokens (see ``templates_wikitext/README.md``)
stand for what only the configuration knows: ``@@ROLE:signup@@`` is the wiki's name of the sign-up template,
``@@BOT@@`` the bot's username.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from pathlib import Path

from bot.config import PROJECT_ROOT, Settings, TemplateNames, WikiConfig
from bot.edit_outcome import EditOutcome
from bot.edits import TemplateEdit
from bot.publisher import publish
from bot.store import Store
from bot.wiki import Page, site

TEMPLATES_DIR = PROJECT_ROOT / "templates_wikitext"
FALLBACK_LANGUAGE = "en"
SUFFIX = ".wikitext"
TOKEN = re.compile(r"@@([A-Z_]+)(?::([a-z_]+))?@@")


class TemplateSourceError(Exception):
    """A file in templates_wikitext/ is misnamed or uses a token the installer does not know."""


def roles() -> tuple[str, ...]:
    return tuple(field.name for field in fields(TemplateNames))


@dataclass(frozen=True)
class TemplateSource:
    """One template page to install: a role, optionally one of its subpages, and the file holding its text."""

    role: str
    subpage: str | None
    path: Path

    def title(self, names: TemplateNames) -> str:
        """The page title without the namespace, e.g. ``Program sign-up/preload``."""
        name: str = getattr(names, self.role)
        return f"{name}/{self.subpage}" if self.subpage else name


def _parse_file_name(path: Path) -> tuple[str, str | None]:
    stem = path.name.removesuffix(SUFFIX)
    role, _, subpage = stem.partition(".")
    if role not in roles() or (subpage and not re.fullmatch(r"[a-z_]+", subpage)):
        raise TemplateSourceError(f"{path}: expected <role>{SUFFIX} or <role>.<subpage>{SUFFIX}, roles: {roles()}")
    return role, subpage or None


def _files(language: str) -> dict[str, Path]:
    directory = TEMPLATES_DIR / language
    return {path.name: path for path in directory.glob(f"*{SUFFIX}")} if directory.is_dir() else {}


def template_sources(language: str) -> list[TemplateSource]:
    """The pages to install for a wiki in ``language``: each role first, then its subpages, in role order."""
    files = {**_files(FALLBACK_LANGUAGE), **_files(language)}
    sources = [TemplateSource(*_parse_file_name(path), path) for path in files.values()]
    missing = set(roles()) - {source.role for source in sources if source.subpage is None}
    if missing:
        raise TemplateSourceError(f"no {SUFFIX} file for the role(s) {sorted(missing)} in {TEMPLATES_DIR}")
    order = {role: number for number, role in enumerate(roles())}
    return sorted(sources, key=lambda s: (order[s.role], s.subpage is not None, s.subpage or ""))


def expand_tokens(text: str, names: TemplateNames, bot_username: str, *, where: str = "template") -> str:
    """Replace ``@@ROLE:<role>@@`` with the wiki's name of that template and ``@@BOT@@`` with the bot's username."""

    def replace(match: re.Match[str]) -> str:
        kind, argument = match.group(1), match.group(2)
        if kind == "ROLE" and argument in roles():
            return str(getattr(names, argument))
        if kind == "BOT" and argument is None:
            return bot_username
        raise TemplateSourceError(f"{where}: unknown token {match.group(0)}")

    expanded = TOKEN.sub(replace, text)
    if "@@" in expanded:
        raise TemplateSourceError(f"{where}: malformed token near {expanded[expanded.index('@@') :][:40]!r}")
    return expanded


def template_texts(settings: Settings, wiki: WikiConfig) -> dict[str, str]:
    """Title (without namespace) to text of every template page for ``wiki``, tokens replaced; no wiki access."""
    return {
        source.title(wiki.templates): expand_tokens(
            source.path.read_text(encoding="utf-8"), wiki.templates, settings.bot_username, where=str(source.path)
        )
        for source in template_sources(wiki.language)
    }


def install_templates(settings: Settings, wiki: WikiConfig, store: Store | None = None) -> dict[str, EditOutcome]:
    """Write every template page whose text differs from ours; the names come from the wiki's config."""
    outcomes: dict[str, EditOutcome] = {}
    for title, text in template_texts(settings, wiki).items():
        full_title = Page(site(wiki), title, ns=10).title()
        outcomes[full_title] = publish(TemplateEdit(wiki, full_title, "", text=text), settings=settings, store=store)
    return outcomes
