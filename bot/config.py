"""Tool settings, read once from one YAML file so that every part of the bot and the site agree.

The file is chosen by the ``PEBOT_CONFIG`` environment variable (default ``config/dev.yaml``, the local dev
wikis). Secrets never appear in it: it names the files that hold them (replica.my.cnf, pywikibot's password file).

The file is checked strictly: an unknown key, or a value of the wrong type or outside its choices, stops the tool with
a message naming the file and the key. The consent flag ``bot_edits`` is why: a typo (``bot_edit: false``) or a
quoted string (``bot_edits: "false"``) must never be read as anything but what the operator meant.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Collection, Hashable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, TypeVar
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
    article_finder: str = "Program article finder"
    invitations: str = "Program invitations"


@dataclass(frozen=True)
class ReplicaConfig:
    """How to reach one wiki's replica: the Toolforge Wiki Replicas, or a host with ``<dbname>_p`` views."""

    dbname: str
    toolforge: bool
    host: str | None = None
    port: int = 3306
    links_dbname: str | None = None
    """Where the wiki's link tables are, when not beside its pages: Commons' move to a cluster of their own
    (Phabricator T398709). Statements on link tables then run on a second connection to ``<links_dbname>_p``;
    None: the same connection."""


@dataclass(frozen=True)
class WikiConfig:
    """One wiki the bot reads, and writes to only when ``bot_edits`` says its community agreed."""

    name: str
    family: str
    code: str
    api_url: str
    article_url: str
    language: str
    replica: ReplicaConfig
    bot_edits: bool
    """The community consented to this bot's edits; False: read only, whatever a program page asks."""
    templates: TemplateNames
    kind: str = "content"
    """content, files (Commons-like) or wikidata: chooses default namespaces and which metrics apply."""
    pageviews_project: str | None = None
    """The Pageviews API's name for this wiki (en.wikipedia); None: no page views."""
    deletion_categories: tuple[str, ...] = ()
    """Categories (without prefix) whose members are up for deletion: speedy, proposed, discussion."""
    deletion_discussion_prefixes: tuple[str, ...] = ()
    """Full-title prefixes of per-article deletion discussion pages (``Wikipedia:Articles for deletion/``): an article
    is up for deletion while ``<prefix><its full title>`` exists. Written as the wiki has the titles."""
    footnote_templates: tuple[str, ...] = ()
    """Short-footnote templates (e.g. Sfn) that count as references."""
    stats_backend: str = "replica"
    """Where facts come from: "replica" (Wiki Replicas SQL) or "api" (the Action API, for wikis without replicas)."""
    articlequality_url: str | None = None
    """A Lift Wing inference API serving the language-agnostic ``articlequality`` model for this wiki's language
    (``https://api.wikimedia.org/service/lw/inference/v1``); None: the Article Finder shows no quality column."""

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
    """Everything the bot and the site read from the settings file; built by ``load_settings``."""

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
    petscan_url: str = "https://petscan.wmflabs.org"
    """Where programs' stored PetScan queries (``petscan=<PSID>``) are run (bot/petscan_client.py)."""
    site_url: str = "https://pebot.toolforge.org"
    """The tool's web site; each outcome links to its program's page there (status, downloads, "update now")."""
    glossary_url: str = "https://pebot.toolforge.org/glossary"
    """Where the definitions of the published numbers live; every report links to it."""
    new_editor_lead_in_days: int = 14
    retention_days: tuple[int, ...] = (7, 30)
    max_tracking_days: int = 731
    """A program whose tracking window is longer than this is refused: an organizer (or a vandal) must not make the
    bot count years of a wiki's history on every run."""
    talk_notices_per_program: int = 50
    """At most this many article talk-page notices for one program per run, so one program cannot flood a wiki."""
    talk_notices_per_run: int = 200
    """At most this many article talk-page notices in one update run, over all programs together."""
    ended_update_minutes: int = 60
    """How often a program that has not started, or that ended but has retention checks ahead, is counted again
    (programs on now: every update_interval_minutes; see bot/tiers.py)."""
    task_page: str = "User:ProgramsBot/Tasks"
    """The page describing the bot's tasks on each wiki; every edit summary links to it."""
    max_failed_cycles: int = 3
    """The continuous job exits non-zero after this many consecutive cycles failed on infrastructure (replicas,
    state database, API), so that Toolforge restarts it instead of it looping on a broken connection."""
    tick_seconds: int = 60
    """How often the continuous job looks at the wikis and the queue: a changed page or a refresh request waits at
    most this long; each program is still counted only when its tier says (update_interval_minutes...)."""
    lease_minutes: int = 30
    """How long a worker holds a program it took from the queue (renewed while the update runs): a worker killed
    mid-update leaves its program to be taken again after this long."""
    refresh_every_minutes: int = 5
    """A manual refresh of one program is accepted at most this often."""
    refreshes_per_client_per_hour: int = 10
    """And at most this many per browser (a random cookie, stored only as a salted hash) and hour."""
    web_secret_file: Path = Path.home() / ".pebot-web-secret"
    """The site's secret (signs refresh forms, salts client ids): made on first use, readable by the tool only."""
    hashtag_scan_revisions: int = 200_000
    """A hashtag campaign open to anyone reads at most this many revisions of a wiki per update to find who used its
    hashtags (bot/hashtags.py); a longer backlog is read over the next updates."""
    finder_candidates: int = 300
    """The Article Finder looks at most at this many articles of a category tree or list (the first by title): each
    costs an API text read, a page-view request and a quality request."""
    finder_rows: int = 50
    """At most this many articles in an Article Finder table, whatever the request's ``limit`` says."""
    invitation_rows: int = 50
    """At most this many editors in an invitation list, whatever the request's ``limit`` says."""
    invitation_pages: int = 300
    """An invitation list reads the revisions of at most this many articles (the first by title)."""
    invitation_days: int = 365
    """How far back an invitation list reads those articles' revisions; a request's ``days`` may only shorten it."""

    def wiki(self, name: str) -> WikiConfig:
        try:
            return self.wikis[name]
        except KeyError:
            raise ConfigError(f"unknown wiki {name!r}; configured: {', '.join(sorted(self.wikis))}") from None


_T = TypeVar("_T")
_BOOL_TAG = "tag:yaml.org,2002:bool"
_ENGINES = ("sqlite", "mysql", "toolsdb")
_KINDS = ("content", "files", "wikidata")
_STATS_BACKENDS = ("replica", "api")
_LANGUAGE = re.compile(r"[a-z]{2,3}(-[a-z0-9]{1,8}){0,3}")
"""MediaWiki language codes (en, als, zh-min-nan, be-tarask). The code names a directory of templates_wikitext/ and a
messages file, so nothing else may get through."""
_WIKI_NAME = re.compile(r"[a-z][a-z0-9_]*")
"""Database names (eswiki, be_x_oldwiki): the store keys pages as ``<wiki>:<page id>``, so no colon, no space."""
_TEMPLATE_NAME_FORBIDDEN = "{}[]|<>#"
"""Characters that would break the wikitext the bot writes around a template name, or are not allowed in titles."""
_TEMPLATE_ROLES = tuple(field.name for field in fields(TemplateNames))
_MISSING: Any = object()


class _StrictLoader(yaml.SafeLoader):
    """PyYAML's safe loader, with YAML 1.2 booleans and without duplicate keys.

    PyYAML follows YAML 1.1, where ``yes``, ``no``, ``on`` and ``off`` are booleans too: ``language: no`` (Norwegian)
    would become False. Here only true/false are booleans; anything else stays text and the checks below refuse it
    by name. A key written twice would silently keep its last value, hiding which line decides ``bot_edits``.
    """

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Hashable, Any]:
        seen: set[Hashable] = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":  # ``<<: *anchor`` is meant to be overridden
                continue
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, Hashable) and key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"{key!r} is written twice in the same mapping", key_node.start_mark
                )
            if isinstance(key, Hashable):
                seen.add(key)
        return super().construct_mapping(node, deep=deep)


_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _BOOL_TAG]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_StrictLoader.add_implicit_resolver(_BOOL_TAG, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


def _shown(value: object) -> str:
    """A value as the operator wrote it in YAML, so the message points at the text in the file."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "null" if value is None else repr(value)


class _Section:
    """One mapping of the settings file with its key path, so that every complaint names the file and the key.

    Reading a key through it checks the type and range on the way; keys nobody reads are refused up front, so a typo
    fails loudly instead of leaving a default in force.
    """

    def __init__(self, file: str, path: str, raw: object, allowed: Collection[str] | None) -> None:
        """``allowed``: the keys this mapping may hold; None for a mapping keyed by names (``wikis``)."""
        self.file, self.path = file, path
        if raw is None:
            raw = {}
        if not isinstance(raw, dict):
            raise self.error(path or "the file", f"must be a mapping of keys to values, not {_shown(raw)}")
        self.raw: dict[Any, Any] = raw
        for key in raw:
            if allowed is not None and key not in allowed:
                close = difflib.get_close_matches(str(key), allowed, n=1)
                hint = f" (did you mean {close[0]}?)" if close else f"; known keys: {', '.join(sorted(allowed))}"
                raise ConfigError(f"{file}: unknown key {self.key_path(key)}{hint}")

    def key_path(self, key: object) -> str:
        return f"{self.path}.{key}" if self.path else str(key)

    def error(self, path: str, problem: str) -> ConfigError:
        return ConfigError(f"{self.file}: {path} {problem}")

    def _get(self, key: str, default: _T) -> object | _T:
        value: object = self.raw.get(key, _MISSING)
        if value is _MISSING:
            if default is _MISSING:
                raise self.error(self.key_path(key), "is required")
            return default
        return value

    def _check_str(self, key: str, value: object) -> str:
        if not isinstance(value, str):
            raise self.error(self.key_path(key), f"must be a string, not {_shown(value)}")
        if not value.strip():
            raise self.error(self.key_path(key), "must not be empty")
        return value

    def text(self, key: str, default: str = _MISSING) -> str:
        return self._check_str(key, self._get(key, default))

    def optional_text(self, key: str) -> str | None:
        value = self._get(key, None)
        return None if value is None else self._check_str(key, value)

    def flag(self, key: str, default: bool) -> bool:
        value = self._get(key, default)
        if not isinstance(value, bool):
            raise self.error(self.key_path(key), f"must be true or false, not {_shown(value)}")
        return value

    def _check_int(self, path: str, value: object, minimum: int, maximum: int | None = None) -> int:
        # bool is a subclass of int: ``port: true`` must not become port 1.
        if not isinstance(value, int) or isinstance(value, bool):
            raise self.error(path, f"must be a whole number, not {_shown(value)}")
        if value < minimum or (maximum is not None and value > maximum):
            bounds = f"at least {minimum}" if maximum is None else f"between {minimum} and {maximum}"
            raise self.error(path, f"must be {bounds}, not {value}")
        return value

    def number(self, key: str, default: int, minimum: int = 1, maximum: int | None = None) -> int:
        return self._check_int(self.key_path(key), self._get(key, default), minimum, maximum)

    def choice(self, key: str, choices: tuple[str, ...], default: str = _MISSING) -> str:
        value = self._get(key, default)
        if value not in choices:
            raise self.error(self.key_path(key), f"must be one of {', '.join(choices)}, not {_shown(value)}")
        return str(value)

    def _list(self, key: str) -> list[object] | None:
        value = self._get(key, None)
        if value is not None and not isinstance(value, list):
            raise self.error(self.key_path(key), f"must be a list, not {_shown(value)}")
        return value

    def texts(self, key: str) -> tuple[str, ...]:
        return tuple(self._check_str(f"{key}[{i}]", item) for i, item in enumerate(self._list(key) or ()))

    def numbers(self, key: str, default: tuple[int, ...], minimum: int = 1) -> tuple[int, ...]:
        items = self._list(key)
        if items is None:
            return default
        return tuple(self._check_int(f"{self.key_path(key)}[{i}]", item, minimum) for i, item in enumerate(items))

    def path_value(self, key: str, default: str = _MISSING) -> Path:
        path = Path(os.path.expanduser(self.text(key, default)))
        return path if path.is_absolute() else PROJECT_ROOT / path

    def optional_path(self, key: str) -> Path | None:
        return None if self.raw.get(key) is None else self.path_value(key)

    def section(self, key: str, allowed: Collection[str] | None) -> _Section:
        return _Section(self.file, self.key_path(key), self.raw.get(key), allowed)


_TOP_KEYS = (
    "bot_username", "stop_page", "task_page", "admins", "admins_page", "pywikibot_dir", "state", "replica",
    "update_interval_minutes", "ended_update_minutes", "new_editor_lead_in_days", "retention_days", "pageviews_url",
    "petscan_url", "site_url", "glossary_url", "max_tracking_days", "talk_notices_per_program", "talk_notices_per_run",
    "max_failed_cycles", "hashtag_scan_revisions", "finder_candidates", "finder_rows", "invitation_rows",
    "invitation_pages", "invitation_days",
    "tick_seconds", "lease_minutes", "refresh_every_minutes", "refreshes_per_client_per_hour", "web_secret_file",
    "wikis",
)  # fmt: skip
_STATE_KEYS = ("engine", "path", "database", "host", "port", "credentials")
_REPLICA_KEYS = ("credentials", "statement_timeout_seconds")
_WIKI_KEYS = (
    "kind", "family", "code", "api", "article_url", "language", "replica", "bot_edits", "pageviews_project",
    "deletion_categories", "deletion_discussion_prefixes", "footnote_templates", "stats_backend", "templates",
    "articlequality_url",
)  # fmt: skip
_WIKI_REPLICA_KEYS = ("dbname", "toolforge", "host", "port", "none", "links_dbname")
"""``none: true``: the wiki has no replica, so its facts come from the Action API (same as stats_backend: api)."""
_DEFAULTS: dict[str, Any] = {field.name: field.default for field in fields(Settings)}


def _state(settings: _Section) -> StateConfig:
    state = settings.section("state", _STATE_KEYS)
    config = StateConfig(
        engine=state.choice("engine", _ENGINES, "sqlite"),
        path=state.optional_path("path"),
        database=state.optional_text("database"),
        host=state.optional_text("host"),
        port=state.number("port", 3306, maximum=65535),
        credentials=state.optional_path("credentials"),
    )
    needed = "path" if config.engine == "sqlite" else "database"
    if getattr(config, needed) is None:
        raise state.error(state.key_path(needed), f"is required when state.engine is {config.engine}")
    return config


def _templates(wiki: _Section) -> TemplateNames:
    templates = wiki.section("templates", _TEMPLATE_ROLES)
    names = {role: templates.text(role) for role in templates.raw}
    for role, name in names.items():
        if any(char in name for char in _TEMPLATE_NAME_FORBIDDEN):
            problem = f"must be a template name without any of {_TEMPLATE_NAME_FORBIDDEN}, not {name!r}"
            raise templates.error(templates.key_path(role), problem)
    return TemplateNames(**names)


def _links_dbname(replica: _Section) -> str | None:
    links = replica.optional_text("links_dbname")
    if links is not None and replica.flag("toolforge", False):
        # Wiki Replicas have not said yet how Commons' link tables will be reached (T398709): no guessing.
        raise replica.error(replica.key_path("links_dbname"), "is for a local replica (host/port) only")
    return links


def _wiki(wikis: _Section, name: object) -> WikiConfig:
    wiki = wikis.section(str(name), _WIKI_KEYS)
    if not isinstance(name, str) or not _WIKI_NAME.fullmatch(name):
        raise wiki.error(wiki.path, "is not a wiki database name (lowercase letters, digits and _, like eswiki)")
    replica = wiki.section("replica", _WIKI_REPLICA_KEYS)
    language = wiki.text("language", "en")
    if not _LANGUAGE.fullmatch(language):
        raise wiki.error(wiki.key_path("language"), f"must be a language code like en or zh-min-nan, not {language!r}")
    article_url = wiki.text("article_url")
    if "$1" not in article_url:
        raise wiki.error(wiki.key_path("article_url"), f"must contain $1 where the title goes, not {article_url!r}")
    no_replica = replica.flag("none", False)
    stats_backend = wiki.choice("stats_backend", _STATS_BACKENDS, "api" if no_replica else "replica")
    if no_replica and stats_backend != "api":
        raise wiki.error(wiki.key_path("stats_backend"), "must be api (or left out) when replica.none is true")
    return WikiConfig(
        name=name,
        family=wiki.text("family"),
        code=wiki.text("code"),
        api_url=wiki.text("api"),
        article_url=article_url,
        language=language,
        replica=ReplicaConfig(
            dbname=replica.text("dbname", name),
            toolforge=replica.flag("toolforge", False),
            host=replica.optional_text("host"),
            port=replica.number("port", 3306, maximum=65535),
            links_dbname=_links_dbname(replica),
        ),
        bot_edits=wiki.flag("bot_edits", False),
        templates=_templates(wiki),
        kind=wiki.choice("kind", _KINDS, "content"),
        pageviews_project=wiki.optional_text("pageviews_project"),
        deletion_categories=wiki.texts("deletion_categories"),
        deletion_discussion_prefixes=wiki.texts("deletion_discussion_prefixes"),
        footnote_templates=wiki.texts("footnote_templates"),
        stats_backend=stats_backend,
        articlequality_url=wiki.optional_text("articlequality_url"),
    )


def _read(config_path: Path, label: str) -> object:
    try:
        text = config_path.read_text(encoding="utf-8")
    except OSError as error:
        raise ConfigError(f"cannot read settings file {label}: {error}") from None
    try:
        raw: object = yaml.load(text, Loader=_StrictLoader)  # noqa: S506 -- a SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        where = f", line {error.problem_mark.line + 1}" if error.problem_mark else ""
        raise ConfigError(f"{label}{where}: {error.problem or error}") from None
    except yaml.YAMLError as error:
        raise ConfigError(f"{label}: not valid YAML: {error}") from None
    if raw is None:  # an empty or truncated file: better stopped than run on defaults
        raise ConfigError(f"{label}: holds no settings")
    return raw


def load_settings(path: Path | str | None = None) -> Settings:
    """Read and check the settings file; a ``ConfigError`` names the file and the key path of the first problem."""
    config_path = Path(path or os.environ.get("PEBOT_CONFIG") or DEFAULT_CONFIG)
    if not config_path.is_absolute():
        config_path = PROJECT_ROOT / config_path
    label = str(config_path.relative_to(PROJECT_ROOT) if config_path.is_relative_to(PROJECT_ROOT) else config_path)
    settings = _Section(label, "", _read(config_path, label), _TOP_KEYS)
    replica = settings.section("replica", _REPLICA_KEYS)
    wikis = settings.section("wikis", None)

    def number(key: str, minimum: int = 1) -> int:
        return settings.number(key, _DEFAULTS[key], minimum)

    return Settings(
        bot_username=settings.text("bot_username", "ProgramsBot"),
        stop_page=settings.text("stop_page", "User:ProgramsBot/Stop"),
        task_page=settings.text("task_page", "User:ProgramsBot/Tasks"),
        pywikibot_dir=settings.path_value("pywikibot_dir", "~/.pywikibot"),
        state=_state(settings),
        replica_credentials=replica.optional_path("credentials"),
        statement_timeout_seconds=replica.number("statement_timeout_seconds", 120),
        update_interval_minutes=settings.number("update_interval_minutes", 60),
        ended_update_minutes=settings.number("ended_update_minutes", 60),
        wikis={name: _wiki(wikis, name) for name in wikis.raw},
        admins=frozenset(settings.texts("admins")),
        admins_page=settings.optional_text("admins_page"),
        pageviews_url=settings.text("pageviews_url", _DEFAULTS["pageviews_url"]),
        petscan_url=settings.text("petscan_url", _DEFAULTS["petscan_url"]),
        site_url=settings.text("site_url", _DEFAULTS["site_url"]).rstrip("/"),
        glossary_url=settings.text("glossary_url", _DEFAULTS["glossary_url"]),
        new_editor_lead_in_days=number("new_editor_lead_in_days", minimum=0),
        retention_days=settings.numbers("retention_days", _DEFAULTS["retention_days"]),
        max_tracking_days=number("max_tracking_days"),
        talk_notices_per_program=number("talk_notices_per_program"),
        talk_notices_per_run=number("talk_notices_per_run"),
        max_failed_cycles=number("max_failed_cycles"),
        tick_seconds=settings.number("tick_seconds", 60, 10),
        lease_minutes=number("lease_minutes"),
        refresh_every_minutes=number("refresh_every_minutes"),
        refreshes_per_client_per_hour=number("refreshes_per_client_per_hour"),
        web_secret_file=settings.path_value("web_secret_file", "~/.pebot-web-secret"),
        hashtag_scan_revisions=number("hashtag_scan_revisions"),
        finder_candidates=number("finder_candidates"),
        finder_rows=number("finder_rows"),
        invitation_rows=number("invitation_rows"),
        invitation_pages=number("invitation_pages"),
        invitation_days=number("invitation_days"),
    )
