"""Each kind of edit the bot makes, as one small object: its target page, how it turns the current text into the
new text, and its summary in the wiki's language.

The publisher (``bot.publisher``) takes any of them and applies the guards a community expects; a new edit kind
is one new class here plus its messages. Nothing here talks to a wiki, so every kind is tested on plain text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from bot.config import TemplateNames, WikiConfig
from bot.i18n import translate
from bot.notices import add_enrolment, add_talk_notice
from bot.organizer_report import place_report
from bot.program import EditType, Message, Program
from bot.render import place_block, place_outcome, place_participants, place_template
from bot.wikitext_writer import summary


@dataclass(frozen=True)
class Edit:
    """One edit the bot wants to make. Subclasses say what and where; the publisher decides whether and how."""

    wiki: WikiConfig
    title: str
    """The target page's full title."""
    program_key: str
    """The program (or campaign) the edit is for; '' for none (template installs)."""
    program_title: str = ""
    """Its page, linked from the summary so reviewers reach the program in one click."""

    kind: ClassVar[str] = ""
    """Stable identifier in the edit log and on the site."""
    edit_type: ClassVar[EditType | None] = None
    """The program edit type that must allow this kind; None when it needs no program's consent."""
    creates: ClassVar[bool] = False
    """Whether a missing target page may be created."""
    once: ClassVar[bool] = False
    """Saved at most once per page and program: a notice its user removed is not added again."""

    def apply(self, text: str) -> str:
        raise NotImplementedError

    def summary(self) -> str:
        raise NotImplementedError

    def _summary(self, key: str, *params: object) -> str:
        return summary(translate(self.wiki.language, key, *params))


@dataclass(frozen=True)
class OutcomeEdit(Edit):
    """``{{Program outcome}}`` below ``{{Program}}``, and the participants table (or its removal once private)."""

    params: dict[str, object] = field(default_factory=dict)
    participants: str | None = None
    numbers: tuple[int, int, int] = (0, 0, 0)
    kind: ClassVar[str] = "outcome"
    edit_type: ClassVar[EditType | None] = EditType.OUTCOME

    def apply(self, text: str) -> str:
        text = place_outcome(text, self.wiki.templates, self.params)
        return place_participants(text, self.wiki.templates, self.participants)

    def summary(self) -> str:
        return self._summary("summary-outcome", *self.numbers)


@dataclass(frozen=True)
class EnrolmentEdit(Edit):
    """A box on the user page of a participant who signed themselves up."""

    program: Program | None = None
    kind: ClassVar[str] = "enrolment"
    edit_type: ClassVar[EditType | None] = EditType.ENROLMENT
    creates: ClassVar[bool] = True
    once: ClassVar[bool] = True

    def apply(self, text: str) -> str:
        assert self.program is not None
        return add_enrolment(text, self.wiki.templates.enrolment, self.program, "participant")

    def summary(self) -> str:
        assert self.program is not None
        return self._summary("summary-enrolment", self.program.name)


@dataclass(frozen=True)
class TalkNoticeEdit(Edit):
    """A banner on the talk page of an article edited in the program."""

    program: Program | None = None
    kind: ClassVar[str] = "talk_notice"
    edit_type: ClassVar[EditType | None] = EditType.TALK_NOTICE
    creates: ClassVar[bool] = True
    once: ClassVar[bool] = True

    def apply(self, text: str) -> str:
        assert self.program is not None
        return add_talk_notice(text, self.wiki.templates.talk_notice, self.program)

    def summary(self) -> str:
        assert self.program is not None
        return self._summary("summary-talk-notice", self.program.name)


@dataclass(frozen=True)
class ReportEdit(Edit):
    """The bot's block for the organizers on the program page's talk page."""

    messages: tuple[Message, ...] = ()
    when: str = ""
    kind: ClassVar[str] = "report"
    creates: ClassVar[bool] = True

    def apply(self, text: str) -> str:
        return place_report(text, self.wiki.language, self.messages, self.when)

    def summary(self) -> str:
        return self._summary("summary-report", len(self.messages))


@dataclass(frozen=True)
class CampaignReportEdit(Edit):
    """``{{Program campaign report}}`` below ``{{Program campaign}}`` on a campaign page."""

    params: dict[str, object] = field(default_factory=dict)
    kind: ClassVar[str] = "campaign_report"

    def apply(self, text: str) -> str:
        names: TemplateNames = self.wiki.templates
        return place_template(text, names.campaign, names.campaign_report, self.params)

    def summary(self) -> str:
        return self._summary("summary-campaign-report", self.params.get("edits", 0))


@dataclass(frozen=True)
class ToolTableEdit(Edit):
    """An organizer tool's table (bot/organizer_tools.py) right below its request template on a program's subpage:
    ``block`` is the whole table (header, rows, footer), ``anchor`` the request template, ``base`` the table's
    template name. The page is the organizers' own; nothing else on it changes."""

    anchor: str = ""
    base: str = ""
    block: str = ""
    rows: int = 0
    summary_key: ClassVar[str] = ""

    def apply(self, text: str) -> str:
        return place_block(text, self.anchor, self.base, self.block)

    def summary(self) -> str:
        return self._summary(self.summary_key, self.rows)


@dataclass(frozen=True)
class ArticleFinderEdit(ToolTableEdit):
    """The Article Finder's ranked articles, asked for with ``{{Program article finder}}``."""

    kind: ClassVar[str] = "article_finder"
    summary_key: ClassVar[str] = "summary-article-finder"


@dataclass(frozen=True)
class InvitationListEdit(ToolTableEdit):
    """The editors worth inviting, asked for with ``{{Program invitations}}``; nobody is messaged."""

    kind: ClassVar[str] = "invitations"
    summary_key: ClassVar[str] = "summary-invitations"


@dataclass(frozen=True)
class TemplateEdit(Edit):
    """One of the bot's own templates, installed or updated to the text in ``templates_wikitext/``."""

    text: str = ""
    kind: ClassVar[str] = "template"
    creates: ClassVar[bool] = True

    def apply(self, text: str) -> str:
        return self.text

    def summary(self) -> str:
        return self._summary("summary-install-template", self.title)
