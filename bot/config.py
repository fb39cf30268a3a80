"""Tool settings, read once from one YAML file so that every part of the bot and the site agree.

The file is chosen by the ``PEBOT_CONFIG`` environment variable (default ``config/dev.yaml``, the local dev
wikis). Secrets never appear in it: it names the files that hold them (replica.my.cnf, pywikibot's password file).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import yaml

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = PROJECT_ROOT / "config" / "dev.yaml"


class ConfigError(Exception):
    """The settings file is missing or says something the tool cannot use."""


@dataclass(frozen=True)
class TemplateNames:
    """On-wiki template names, localized per wiki; their parameter names stay English everywhere.

    Each field is a role; ``templates_wikitext/<language>/<role>.wikitext`` holds that role's template text.
    """

    program: str = "Program"
    signup: str = "Program sign-up"
    join: str = "Program join"
    campaign: str = "Program campaign"
    outcome: str = "Program outcome"
    participants: str = "Program participants"
    enrolment: str = "Program enrolment"
    talk_notice: str = "Program article notice"
    campaign_report: str = "Program campaign report"


@dataclass(frozen=True)
class ReplicaConfig:
    """How to reach one wiki's replica: the Toolforge Wiki Replicas, or a host with ``<dbname>_p`` views."""

    dbname: str
    toolforge: bool
    host: str | None = None
    port: int = 3306


@dataclass(frozen=True)
class WikiConfig:
    name: str
    family: str
    code: str
    api_url: str
    article_url: str
    language: str
    replica: ReplicaConfig
    bot_edits: bool
    templates: TemplateNames
    kind: str = "content"
    """content, files (Commons-like) or wikidata: chooses default namespaces and which metrics apply."""
    pageviews_project: str | None = None
    """The Pageviews API's name for this wiki (en.wikipedia); None: no page views."""
    deletion_categories: tuple[str, ...] = ()
    """Categories (without prefix) whose members are up for deletion: speedy, proposed, discussion."""
    footnote_templates: tuple[str, ...] = ()
    """Short-footnote templates (e.g. Sfn) that count as references."""
    stats_backend: str = "replica"
    """Where facts come from: "replica" (Wiki Replicas SQL) or "api" (the Action API, for wikis without replicas)."""

    def page_url(self, title: str) -> str:
        return self.article_url.replace("$1", quote(title.replace(" ", "_"), safe="/:"))


@dataclass(frozen=True)
class StateConfig:
    """Where snapshots live: a SQLite file, a MariaDB database (tests), or ToolsDB on Toolforge."""

    engine: str
    path: Path | None = None
    database: str | None = None
    host: str | None = None
    port: int = 3306
    credentials: Path | None = None


@dataclass(frozen=True)
class Settings:
    bot_username: str
    stop_page: str
    pywikibot_dir: Path
    state: StateConfig
    replica_credentials: Path | None
    statement_timeout_seconds: int
    update_interval_minutes: int
    wikis: dict[str, WikiConfig]
    admins: frozenset[str] = frozenset()
    """Tool admins: may change any program's definition and sign-ups, on every wiki."""
    admins_page: str | None = None
    """An on-wiki list of more admins (one per line), trusted only while protected for sysops."""
    pageviews_url: str = "https://wikimedia.org/api/rest_v1"
    glossary_url: str = "https://pebot.toolforge.org/glossary"
    """Where the definitions of the published numbers live; every report links to it."""
    new_editor_lead_in_days: int = 14
    retention_days: tuple[int, ...] = (7, 30)

    def wiki(self, name: str) -> WikiConfig:
        try:
            return self.wikis[name]
        except KeyError:
            raise ConfigError(f"unknown wiki {name!r}; configured: {', '.join(sorted(self.wikis))}") from None


def _path(value: Any) -> Path:
    path = Path(os.path.expanduser(str(value)))
    return path if path.is_absolute() else PROJECT_ROOT / path


def _wiki(name: str, raw: dict[str, Any]) -> WikiConfig:
    replica = raw.get("replica") or {}
    templates = raw.get("templates") or {}
    try:
        return WikiConfig(
            name=name,
            family=str(raw["family"]),
            code=str(raw["code"]),
            api_url=str(raw["api"]),
            article_url=str(raw["article_url"]),
            language=str(raw.get("language", "en")),
            replica=ReplicaConfig(
                dbname=str(replica.get("dbname", name)),
                toolforge=bool(replica.get("toolforge", False)),
                host=replica.get("host"),
                port=int(replica.get("port", 3306)),
            ),
            bot_edits=bool(raw.get("bot_edits", False)),
            templates=TemplateNames(**{role: str(name) for role, name in templates.items()}),
            kind=str(raw.get("kind", "content")),
            pageviews_project=raw.get("pageviews_project"),
            deletion_categories=tuple(str(c) for c in raw.get("deletion_categories") or ()),
            footnote_templates=tuple(str(t) for t in raw.get("footnote_templates") or ()),
            stats_backend="api" if replica.get("none") else str(raw.get("stats_backend", "replica")),
        )
    except KeyError as missing:
        raise ConfigError(f"wiki {name!r} needs a {missing} setting") from None


def load_settings(path: Path | str | None = None) -> Settings:
    config_path = Path(path or os.environ.get("PEBOT_CONFIG") or DEFAULT_CONFIG)
    if not config_path.is_absolute():
        config_path = PROJECT_ROOT / config_path
    try:
        raw = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ConfigError(f"cannot read settings file {config_path}: {error}") from None
    state = raw.get("state") or {}
    replica = raw.get("replica") or {}
    return Settings(
        bot_username=str(raw.get("bot_username", "ProgramsBot")),
        stop_page=str(raw.get("stop_page", "User:ProgramsBot/Stop")),
        pywikibot_dir=_path(raw.get("pywikibot_dir", "~/.pywikibot")),
        state=StateConfig(
            engine=str(state.get("engine", "sqlite")),
            path=_path(state["path"]) if state.get("path") else None,
            database=state.get("database"),
            host=state.get("host"),
            port=int(state.get("port", 3306)),
            credentials=_path(state["credentials"]) if state.get("credentials") else None,
        ),
        replica_credentials=_path(replica["credentials"]) if replica.get("credentials") else None,
        statement_timeout_seconds=int(replica.get("statement_timeout_seconds", 120)),
        update_interval_minutes=int(raw.get("update_interval_minutes", 60)),
        wikis={name: _wiki(name, wiki) for name, wiki in (raw.get("wikis") or {}).items()},
        admins=frozenset(str(name) for name in raw.get("admins") or ()),
        admins_page=raw.get("admins_page"),
        pageviews_url=str(raw.get("pageviews_url", "https://wikimedia.org/api/rest_v1")),
        glossary_url=str(raw.get("glossary_url", "https://pebot.toolforge.org/glossary")),
        new_editor_lead_in_days=int(raw.get("new_editor_lead_in_days", 14)),
        retention_days=tuple(int(d) for d in raw.get("retention_days") or (7, 30)),
    )
