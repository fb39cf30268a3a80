"""The program model: what the bot understood from program and campaign pages, independent of wikitext and wikis."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Message:
    """A problem or notice for the organizer, kept as a message key so each reader gets it in their language."""

    key: str
    params: tuple[str, ...] = ()


class ProgramType(StrEnum):
    """The kinds of program P&E knows; a type only chooses defaults (see ``TYPE_DEFAULTS``)."""

    EDITATHON = "editathon"
    COURSE = "course"
    ARTICLE_SCOPED = "article_scoped"
    BASIC = "basic"
    VISITING_SCHOLAR = "visiting_scholar"


class EditType(StrEnum):
    """The kinds of edit the bot may make for a program; organizers choose which."""

    OUTCOME = "outcome"
    PARTICIPANTS = "participants"
    ENROLMENT = "enrolment"
    TALK_NOTICE = "talk_notice"


@dataclass(frozen=True)
class TypeDefaults:
    edit_types: frozenset[EditType]
    signup_open: bool


TYPE_DEFAULTS: dict[ProgramType, TypeDefaults] = {
    ProgramType.EDITATHON: TypeDefaults(frozenset({EditType.OUTCOME, EditType.PARTICIPANTS}), True),
    ProgramType.COURSE: TypeDefaults(frozenset({EditType.OUTCOME, EditType.PARTICIPANTS, EditType.ENROLMENT}), True),
    ProgramType.ARTICLE_SCOPED: TypeDefaults(frozenset({EditType.OUTCOME, EditType.PARTICIPANTS}), True),
    ProgramType.BASIC: TypeDefaults(frozenset({EditType.OUTCOME, EditType.PARTICIPANTS}), True),
    # Visiting scholars are named by the partner institution, not self-enrolled.
    ProgramType.VISITING_SCHOLAR: TypeDefaults(frozenset({EditType.OUTCOME}), False),
}


@dataclass(frozen=True)
class TrackedWiki:
    wiki: str
    namespaces: tuple[int, ...]


@dataclass(frozen=True)
class Scope:
    """Which pages count. Empty (no list, category, template or PSID) means every page of the namespaces."""

    articles: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    category_depth: int = 0
    templates: tuple[str, ...] = ()
    petscan_psid: int | None = None
    excluded: tuple[str, ...] = ()

    @property
    def limited(self) -> bool:
        return bool(self.articles or self.categories or self.templates or self.petscan_psid)


@dataclass(frozen=True)
class Goal:
    """An organizer's goal (``goals=``, read by bot/goals.py): a number of the metric registry to reach, over the
    whole program or on average per confirmed participant."""

    metric: str
    """The registry's name of the metric (``articles_created``, ``retention_7``)."""
    target: int
    per_participant: bool = False


@dataclass(frozen=True)
class EditMarks:
    """Which edits count by what they carry (``hashtags=``, ``tags=``, ``hashtag_mode=``; bot/hashtags.py): an edit
    counts only if its summary has one of the hashtags or it has one of the change tags. ``anyone``: everyone who
    made such an edit in the window is counted (a hashtag campaign, no sign-up); otherwise only the participants'.
    Nothing set: every edit counts, as before."""

    hashtags: tuple[str, ...] = ()
    """Lowercase, without the ``#``."""
    tags: tuple[str, ...] = ()
    anyone: bool = False

    @property
    def active(self) -> bool:
        return bool(self.hashtags or self.tags)


@dataclass(frozen=True)
class ProgramDefinition:
    """Everything an organizer configures in ``{{Program}}``; only trusted edits change it."""

    name: str
    type: ProgramType
    description: str
    institution: str
    location: str
    event_start: date
    event_end: date
    tracking_start: datetime
    """Local (naive) date-time in ``timezone``, inclusive."""
    tracking_end: datetime
    """Local (naive) date-time in ``timezone``, exclusive (the day after an end date)."""
    timezone: str
    tracked: tuple[TrackedWiki, ...]
    organizers: tuple[str, ...]
    facilitators: tuple[str, ...]
    campaigns: tuple[str, ...]
    scope: Scope
    private: bool
    signup_open: bool
    signup_close: datetime | None
    """Local (naive) instant after which self sign-ups are refused (exclusive)."""
    bot_edits: bool
    edit_types: frozenset[EditType]
    goals: tuple[Goal, ...] = ()
    """Event goals, in the order written (bot/goals.py)."""
    marks: EditMarks = EditMarks()
    """Hashtags and change tags an edit must carry to count (bot/hashtags.py)."""

    @property
    def window(self) -> tuple[datetime, datetime]:
        """The tracking window in UTC, start inclusive, end exclusive (metrics.md, "Window")."""
        zone = ZoneInfo(self.timezone)
        return (
            self.tracking_start.replace(tzinfo=zone).astimezone(UTC),
            self.tracking_end.replace(tzinfo=zone).astimezone(UTC),
        )

    def signup_closes_at(self) -> datetime | None:
        if self.signup_close is None:
            return None
        return self.signup_close.replace(tzinfo=ZoneInfo(self.timezone)).astimezone(UTC)

    @property
    def tracked_wikis(self) -> tuple[str, ...]:
        return tuple(tracked.wiki for tracked in self.tracked)


class SignupStatus(StrEnum):
    CONFIRMED = "confirmed"
    """Added by the participant, or by an organizer/facilitator/admin."""
    UNCONFIRMED = "unconfirmed"
    """Added by someone else: held, reported, not counted."""
    LATE = "late"
    """Self sign-up after the close date (or while sign-up was closed): refused, reported."""
    WITHDRAWN = "withdrawn"
    """Removed by the participant or an organizer."""
    UNKNOWN_USER = "unknown_user"
    """No such account on the program's wiki."""


@dataclass(frozen=True)
class Participant:
    username: str
    status: SignupStatus
    added_by: str
    revision: int
    timestamp: datetime


@dataclass(frozen=True)
class Program:
    wiki: str
    page_id: int
    title: str
    definition: ProgramDefinition
    participants: tuple[Participant, ...]
    messages: tuple[Message, ...] = field(default=())
    held: tuple[str, ...] = ()
    """``{{Program}}`` parameters whose current value on the page is an untrusted change, not applied."""

    @property
    def key(self) -> str:
        """Stable identity: the page id survives renames of the program page."""
        return f"{self.wiki}:{self.page_id}"

    @property
    def name(self) -> str:
        return self.definition.name

    @property
    def window(self) -> tuple[datetime, datetime]:
        return self.definition.window

    @property
    def confirmed(self) -> tuple[str, ...]:
        """The usernames whose edits count."""
        return tuple(p.username for p in self.participants if p.status is SignupStatus.CONFIRMED)


# Messages that name participants or other users: a private program never shows them outside the store.
USERNAME_MESSAGES = frozenset(
    {
        "problem-untrusted-change",
        "problem-signup-unconfirmed",
        "problem-signup-late",
        "problem-unknown-user",
        "problem-signup-removed-by-other",
        "problem-definition-untrusted",
        "problem-username-invalid",
    }
)


def public_messages(messages: tuple[Message, ...], private: bool) -> tuple[Message, ...]:
    """The messages that may be published: all of them, or for a private program those naming no user."""
    if not private:
        return messages
    return tuple(m for m in messages if m.key not in USERNAME_MESSAGES)


@dataclass(frozen=True)
class ProgramPageError:
    """A program page the bot could not turn into a program; the messages say why, for the organizer."""

    wiki: str
    page_id: int
    title: str
    messages: tuple[Message, ...]

    @property
    def key(self) -> str:
        return f"{self.wiki}:{self.page_id}"


@dataclass(frozen=True)
class Campaign:
    """A campaign page's ``{{Program campaign}}``; programs join by naming it in their ``campaign`` parameter."""

    wiki: str
    page_id: int
    title: str
    name: str
    description: str
    start: date | None
    end: date | None
    organizers: tuple[str, ...]
    default_type: ProgramType
    messages: tuple[Message, ...] = ()
    closed: bool = False
    """A closed campaign counts only the programs its organizers accepted (``accepted``)."""
    accepted: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return f"{self.wiki}:{self.page_id}"
