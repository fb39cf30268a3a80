"""Reading program pages: the ``{{Program}}`` template's parameters and the sign-ups, from real (messy) wikitext.

mwparserfromhell finds templates wherever they sit (comments and ``<nowiki>`` are not templates), so organizers
can lay the page out as they like. Anything unusable becomes a :class:`Message`, never an exception: one broken
page must not stop the others. Which parameters are *trusted* is decided elsewhere (``trust``); this module turns
a set of parameters into a :class:`ProgramDefinition`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, time
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import mwparserfromhell
from mwparserfromhell.nodes import Template
from mwparserfromhell.wikicode import Wikicode

from bot.config import TemplateNames, WikiConfig
from bot.goals import parse_goals
from bot.hashtags import parse_marks
from bot.param_values import (
    local_instant,
    normalize_title,
    parse_bool,
    parse_datetime,
    split_list,
    title_lines,
    username,
)
from bot.program import (
    TYPE_DEFAULTS,
    EditType,
    Message,
    ProgramDefinition,
    ProgramType,
    Scope,
    TrackedWiki,
)

TYPE_NAMES = {
    "editathon": ProgramType.EDITATHON,
    "edit-a-thon": ProgramType.EDITATHON,
    "editatón": ProgramType.EDITATHON,
    "course": ProgramType.COURSE,
    "classroom": ProgramType.COURSE,
    "class": ProgramType.COURSE,
    "curso": ProgramType.COURSE,
    "article_scoped": ProgramType.ARTICLE_SCOPED,
    "article-scoped": ProgramType.ARTICLE_SCOPED,
    "articles": ProgramType.ARTICLE_SCOPED,
    "basic": ProgramType.BASIC,
    "generic": ProgramType.BASIC,
    "visiting_scholar": ProgramType.VISITING_SCHOLAR,
    "visiting scholar": ProgramType.VISITING_SCHOLAR,
    "partnership": ProgramType.VISITING_SCHOLAR,
}
DEFAULT_NAMESPACES = {"content": (0,), "files": (6,), "wikidata": (0, 120, 146)}
CATEGORY_PREFIXES = ("category", "categoría")
TEMPLATE_PREFIXES = ("template", "plantilla")


@dataclass(frozen=True)
class PageContext:
    """What reading a page needs to know about its wiki and the tool's other wikis."""

    wiki: WikiConfig
    wikis: Mapping[str, WikiConfig]
    user_prefixes: frozenset[str]
    """Lowercase names of the User and User talk namespaces (and aliases), and ``special:contributions/`` forms."""
    signup_headings: frozenset[str] = frozenset({"participants", "participantes", "sign-ups", "inscritos"})
    max_tracking_days: int = 731
    """A longer tracking window is refused: nothing on a page decides how much the bot reads or writes."""
    campaign_types: Mapping[str, ProgramType] = field(default_factory=dict)
    """Campaign name -> its default program type, for programs that name the campaign and no type."""

    @property
    def templates(self) -> TemplateNames:
        return self.wiki.templates


def _template_name(template: Template) -> str:
    name = normalize_title(template.name.strip_code())
    prefix, colon, rest = name.partition(":")
    if colon and prefix.lower() in TEMPLATE_PREFIXES:
        name = normalize_title(rest)
    return name


def _templates(code: Wikicode, name: str) -> Iterator[Template]:
    wanted = normalize_title(name)
    for template in code.filter_templates(recursive=True):
        if _template_name(template) == wanted:
            yield template


def _raw_value(template: Template, name: str) -> str:
    """The parameter's wikitext without comments; links and markup are kept for the field readers."""
    value = mwparserfromhell.parse(str(template.get(name).value))
    for comment in value.filter_comments():
        value.remove(comment)
    return str(value).strip()


def template_params(text: str, template_name: str) -> tuple[dict[str, str], int]:
    """The first such template's parameters as raw wikitext, and how many such templates the page has."""
    found = list(_templates(mwparserfromhell.parse(text), template_name))
    if not found:
        return {}, 0
    params = {}
    for param in found[0].params:
        name = str(param.name).strip()
        if name:
            params[name] = _raw_value(found[0], name)
    return params, len(found)


def program_params(text: str, templates: TemplateNames) -> tuple[dict[str, str], int]:
    return template_params(text, templates.program)


def _plain(raw: str) -> str:
    """Display text of a value. Character references stay as written (``&#123;`` is not turned into ``{``): what
    the bot writes back is escaped by ``bot.wikitext_writer``, and a decoded reference must never become markup."""
    return " ".join(mwparserfromhell.parse(raw).strip_code(normalize=False).split())


def _is_user_link(title: str, context: PageContext) -> bool:
    lowered = " ".join(title.replace("_", " ").split()).lstrip(":").lower()
    if any(prefix.endswith("/") and lowered.startswith(prefix) for prefix in context.user_prefixes):
        return True
    namespace, colon, _ = lowered.partition(":")
    return bool(colon) and namespace.strip() in context.user_prefixes


def signups(text: str, context: PageContext) -> tuple[str, ...]:
    """Usernames signed up on the page, normalized, first occurrence kept.

    Two forms count: ``{{Program sign-up|user=Name}}`` anywhere, and, in a section whose heading is one of the
    sign-up headings, list items that start with a signature (the first link to a user page, talk page or
    contributions), as sign-up lists on wikis have always been written.
    """
    code = mwparserfromhell.parse(text)
    found: dict[str, None] = {}
    for template in _templates(code, context.templates.signup):
        raw = _raw_value(template, "user") if template.has("user") else ""
        if not raw and template.has("1"):
            raw = _raw_value(template, "1")
        try:
            found.setdefault(username(_plain(raw) if "[[" not in raw else raw, context.user_prefixes), None)
        except ValueError:
            continue
    for section in code.get_sections(levels=[2, 3, 4], include_lead=False, flat=True):
        heading = section.filter_headings(recursive=False)[0]
        if heading.title.strip_code().strip().lower() not in context.signup_headings:
            continue
        for line in str(section).splitlines():
            if not line.startswith(("*", "#")):
                continue
            line_code = mwparserfromhell.parse(line)
            if any(True for _ in _templates(line_code, context.templates.signup)):
                continue
            for link in line_code.filter_wikilinks():
                if _is_user_link(str(link.title), context):
                    with contextlib.suppress(ValueError):
                        found.setdefault(username(str(link.title), context.user_prefixes), None)
                    break
    return tuple(found)


def resolve_wiki(raw: str, wikis: Mapping[str, WikiConfig]) -> str | None:
    """A tracked wiki named by database name (eswiki) or domain (es.wikipedia.org, https://...)."""
    name = raw.strip().lower()
    if name in wikis:
        return name
    try:
        host = urlsplit(name if "//" in name else f"//{name}").netloc
    except ValueError:  # e.g. a stray "[" reads as a broken IPv6 address
        return None
    for config in wikis.values():
        config_host = urlsplit(config.api_url).netloc
        if host and host in (config_host, config_host.removesuffix(".org")):
            return config.name
    return None


def _strip_prefix(title: str, prefixes: tuple[str, ...]) -> str:
    prefix, colon, rest = title.partition(":")
    return normalize_title(rest) if colon and prefix.strip().lower() in prefixes else title


class FieldReader:
    """Collects the messages while reading one set of parameters."""

    def __init__(self, params: Mapping[str, str], context: PageContext) -> None:
        self.params = params
        self.context = context
        self.errors: list[Message] = []
        self.notes: list[Message] = []

    def plain(self, name: str) -> str:
        return _plain(self.params.get(name, ""))

    def when(self, name: str, *, required: bool) -> tuple[date, time | None] | None:
        raw = self.plain(name)
        if not raw:
            if required:
                self.errors.append(Message("problem-date-missing", (name,)))
            return None
        try:
            return parse_datetime(raw)
        except ValueError as error:
            (self.errors if required else self.notes).append(Message(str(error), (name, raw)))
            return None

    def boolean(self, name: str, default: bool) -> bool:
        raw = self.plain(name)
        if not raw:
            return default
        try:
            return parse_bool(raw)
        except ValueError:
            self.notes.append(Message("problem-yes-no", (name, raw)))
            return default

    def users(self, name: str) -> tuple[str, ...]:
        names: dict[str, None] = {}
        raw = self.params.get(name, "")
        links = mwparserfromhell.parse(raw).filter_wikilinks()
        items = [str(link.title) for link in links] if links else list(split_list(_plain(raw)))
        for item in items:
            try:
                names.setdefault(username(item, self.context.user_prefixes), None)
            except ValueError:
                self.notes.append(Message("problem-username-invalid", (name, item)))
        return tuple(names)


def trusted_users(params: Mapping[str, str], context: PageContext) -> frozenset[str]:
    """Organizers and facilitators named by a set of parameters (the page creator is added by the caller)."""
    reader = FieldReader(params, context)
    return frozenset(reader.users("organizers")) | frozenset(reader.users("facilitators"))


def parse_definition(
    params: Mapping[str, str], context: PageContext, title: str
) -> tuple[ProgramDefinition | None, tuple[Message, ...]]:
    """The definition these parameters describe, or None with the errors that prevent it."""
    read = FieldReader(params, context)
    type_raw = read.plain("type").lower()
    program_type = TYPE_NAMES.get(type_raw, ProgramType.BASIC)
    if not type_raw:  # the first named campaign with a default type gives it
        named = (context.campaign_types.get(normalize_title(c)) for c in split_list(read.plain("campaign")))
        program_type = next((t for t in named if t is not None), program_type)
    if type_raw and type_raw not in TYPE_NAMES:
        read.notes.append(Message("problem-type-unknown", (type_raw,)))
    defaults = TYPE_DEFAULTS[program_type]

    start = read.when("start", required=True)
    end = read.when("end", required=True)
    tracking_start = read.when("tracking_start", required=False) or start
    tracking_end = read.when("tracking_end", required=False) or end
    close = read.when("signup_close", required=False)

    timezone = read.plain("timezone") or "UTC"
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        read.notes.append(Message("problem-timezone-unknown", (timezone,)))
        timezone = "UTC"

    tracked: list[TrackedWiki] = []
    for raw_wiki in split_list(read.plain("wikis")) or (context.wiki.name,):
        wiki = resolve_wiki(raw_wiki, context.wikis)
        if wiki is None:
            read.notes.append(Message("problem-unknown-wiki", (raw_wiki,)))
            continue
        if wiki in (t.wiki for t in tracked):
            continue
        raw_ns = read.plain(f"namespaces_{wiki}") or read.plain("namespaces")
        namespaces: list[int] = []
        for item in split_list(raw_ns):
            if item.lstrip("-").isdigit():
                namespaces.append(int(item))
            else:
                read.notes.append(Message("problem-namespace-invalid", (item,)))
        tracked.append(TrackedWiki(wiki, tuple(namespaces) or DEFAULT_NAMESPACES[context.wikis[wiki].kind]))
    if not tracked:
        read.errors.append(Message("problem-no-tracked-wiki"))

    depth_raw = read.plain("category_depth") or "0"
    depth = int(depth_raw) if depth_raw.isdigit() and int(depth_raw) <= 10 else 0
    if depth_raw != str(depth):
        read.notes.append(Message("problem-depth-invalid", (depth_raw,)))
    psid_raw = read.plain("petscan")
    if psid_raw and not psid_raw.isdigit():
        read.notes.append(Message("problem-petscan-invalid", (psid_raw,)))
    scope = Scope(
        articles=title_lines(params.get("articles", "")),
        categories=tuple(_strip_prefix(t, CATEGORY_PREFIXES) for t in title_lines(params.get("categories", ""))),
        category_depth=depth,
        templates=tuple(_strip_prefix(t, TEMPLATE_PREFIXES) for t in title_lines(params.get("scope_templates", ""))),
        petscan_psid=int(psid_raw) if psid_raw.isdigit() else None,
        excluded=title_lines(params.get("exclude", "")),
    )

    edit_types: set[EditType] = set()
    for item in split_list(read.plain("edit_types")):
        try:
            edit_types.add(EditType(item.lower()))
        except ValueError:
            read.notes.append(Message("problem-edit-type-unknown", (item,)))
    signup_raw = read.plain("signup")
    signup_open = defaults.signup_open
    if signup_raw:
        try:
            signup_open = parse_bool(signup_raw)
        except ValueError:
            read.notes.append(Message("problem-signup-invalid", (signup_raw,)))

    # Event goals (bot/goals.py): a broken item is a message, the other goals and the program still count.
    goals, goal_notes = parse_goals(params.get("goals", ""))
    read.notes.extend(goal_notes)
    marks, mark_notes = parse_marks(read.plain("hashtags"), read.plain("tags"), read.plain("hashtag_mode"))
    read.notes.extend(mark_notes)

    organizers, facilitators = read.users("organizers"), read.users("facilitators")
    private, bot_edits = read.boolean("private", False), read.boolean("bot_edits", True)

    if not (start and end and tracking_start and tracking_end):
        return None, tuple(read.errors + read.notes)
    event_start, event_end = start[0], end[0]
    window_start = local_instant(*tracking_start, end=False)
    window_end = local_instant(*tracking_end, end=True)
    if event_end < event_start:
        read.errors.append(Message("problem-end-before-start", (str(event_start), str(event_end))))
    elif window_end <= window_start:
        read.errors.append(Message("problem-tracking-empty", (str(window_start), str(window_end))))
    elif (window_end - window_start).days > context.max_tracking_days:
        limit = str(context.max_tracking_days)
        read.errors.append(Message("problem-window-too-long", (str(window_start), str(window_end), limit)))
    if read.errors:
        return None, tuple(read.errors + read.notes)
    return (
        ProgramDefinition(
            name=(read.plain("name") or title)[:255],
            type=program_type,
            description=read.plain("description"),
            institution=read.plain("institution"),
            location=read.plain("location"),
            event_start=event_start,
            event_end=event_end,
            tracking_start=window_start,
            tracking_end=window_end,
            timezone=timezone,
            tracked=tuple(tracked),
            organizers=organizers,
            facilitators=facilitators,
            campaigns=tuple(normalize_title(name) for name in split_list(read.plain("campaign"))),
            scope=scope,
            private=private,
            signup_open=signup_open,
            signup_close=local_instant(*close, end=True) if close else None,
            bot_edits=bot_edits,
            edit_types=frozenset(edit_types) or defaults.edit_types,
            goals=goals,
            marks=marks,
        ),
        tuple(read.notes),
    )
