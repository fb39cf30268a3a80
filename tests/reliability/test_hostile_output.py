"""Generated hostile program pages, sign-up sections and campaign names pushed through the whole read -> render
path: whatever the page says, the bot's output parses to nothing but the bot's own templates, and its placement
never moves or deletes what organizers wrote.

The readers and renderers here are the real ones; only the wiki is left out (the on-wiki attacks are in
test_attacks_on_wiki.py).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import mwparserfromhell
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from mwparserfromhell.nodes import Comment, ExternalLink, Heading, Tag, Template, Wikilink

from bot.aggregate import aggregate
from bot.campaign_report import campaign_params
from bot.config import TemplateNames, load_settings
from bot.edits import CampaignReportEdit, EnrolmentEdit, OutcomeEdit, ReportEdit, TalkNoticeEdit
from bot.goals import goals_wikitext
from bot.goals import progress as goal_progress
from bot.metrics import RevisionFact
from bot.param_values import normalize_title
from bot.program import Message, Program, ProgramPageError
from bot.program_reader import build_program
from bot.render import outcome_params, participants_block
from bot.store import CampaignSummary, ProgramSummary
from bot.trust import PageRevision, TrustState
from bot.wikitext_writer import escape, link, template
from tests.test_program_page import CONTEXT

SETTINGS = load_settings()
WIKI = SETTINGS.wiki("devwiki")
NAMES = TemplateNames()
WHEN = datetime(2026, 3, 10, tzinfo=UTC)
GLOSSARY = "http://127.0.0.1:8190/glossary"
BOT_TEMPLATES = {
    normalize_title(name)
    for name in (
        NAMES.outcome, f"{NAMES.participants}/header", f"{NAMES.participants}/row", f"{NAMES.participants}/footer",
        NAMES.enrolment, NAMES.talk_notice, NAMES.campaign_report,
    )
}  # fmt: skip

ATTACKS = [
    "&#125;&#125;[[Category:X]]&#123;&#123;subst:Y&#125;&#125;", "}}[[Category:X]]{{subst:Y}}", "{{subst:Y}}",
    "[[Category:Spam]]", "[[File:X.png]]", "<nowiki>{{subst:Y}}</nowiki>", "&#91;&#91;Category:X&#93;&#93;",
    "~~~~", "~~~~~", "__NOTOC__", "__NOINDEX__", "\n== Fake ==\n", "\n* item", "\n#REDIRECT [[X]]", "|x=y",
    "<script>alert(1)</script>", "<ref>x</ref>", "<!--", "-->", "'''", "{|", "|}", "http://spam.example/",
    "[http://spam.example x]", "{{#invoke:X|y}}", "{{{1}}}", "&lt;b&gt;", "&amp;#123;", "\u202e", "=",
    "ISBN 123", "RFC 1", "{{Program outcome|edits=999}}", "{{Program participants/header}}", "Bob", "Ana María",
]  # fmt: skip
GOALS = ["50 articles created", "ediciones por participante: 20", "words_added: 10.000", "3 edits"]
# The progress bar of a goal (bot.goals._bar): the only tag the bot writes besides list bullets.
GOAL_BAR = re.compile(
    r'<span style="display:inline-block; width:6em; height:0.7em; background-color:#eaecf0; vertical-align:middle;">'
    r'<span style="display:block; width:\d{1,3}%; height:100%; background-color:#36c;"></span></span>'
)
# MediaWiki never stores control characters in page text (its sanitizer drops them on save).
TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=8)
PIECE = st.one_of(st.sampled_from(ATTACKS), TEXT)
VALUE = st.lists(PIECE, min_size=1, max_size=5).map("".join)


def _prefixes(text: str) -> str:
    return text.replace("\n", " ")


@st.composite
def hostile_pages(draw: st.DrawFn) -> tuple[str, str]:
    """A program page whose name, organizers, unknown parameter names, sign-ups and surroundings are hostile, and
    the hostile editor's name."""
    name = draw(VALUE)
    unknown = draw(st.lists(VALUE, max_size=2))
    extra = "".join(f"|{_prefixes(param)}=1" for param in unknown)
    timezone = draw(st.sampled_from(["UTC", "Europe/Madrid", draw(VALUE)]))
    signups = draw(st.lists(VALUE, max_size=4))
    lines = "\n".join(f"* {{{{Program sign-up|user={_prefixes(user)}}}}}" for user in signups)
    listed = "\n".join(f"# [[User:{_prefixes(user)}]] ~~~~" for user in draw(st.lists(VALUE, max_size=2)))
    before, after = draw(VALUE), draw(VALUE)
    # Goals, hashtags and change tags: some well-formed items (so progress is written) among hostile ones.
    goal_items = draw(st.lists(st.one_of(st.sampled_from(GOALS), VALUE), max_size=3))
    goals = "".join(f"\n* {_prefixes(item)}" for item in goal_items)
    hashtags = ", ".join(_prefixes(tag) for tag in draw(st.lists(st.one_of(st.just("#wikiday"), VALUE), max_size=2)))
    tags = ", ".join(_prefixes(tag) for tag in draw(st.lists(VALUE, max_size=2)))
    mode = _prefixes(draw(st.sampled_from(["participants", "anyone", draw(VALUE)])))
    page = (
        f"{before}\n{{{{Program|name={name}|start=2026-03-01|end=2026-03-31|timezone={_prefixes(timezone)}"
        f"|organizers=[[User:Ana]], {_prefixes(draw(VALUE))}{extra}|goals={goals}\n|hashtags={hashtags}"
        f"|tags={tags}|hashtag_mode={mode}}}}}\n{after}\n== Participants ==\n{lines}\n{listed}\n"
    )
    return page, _prefixes(draw(VALUE))


def read(page: str, hostile_editor: str) -> Program | ProgramPageError:
    """The page as created by Ana, then edited by a hostile account that rewrote it (an untrusted change)."""
    revisions = [
        PageRevision(1, "Ana", WHEN - timedelta(days=2), page),
        PageRevision(
            2, hostile_editor or "Mallory", WHEN - timedelta(days=1), page.replace("2026-03-31", "2026-04-30")
        ),
    ]
    program, _state = build_program(
        page_id=42, title="Project:Fuzz", context=CONTEXT, state=TrustState(), new_revisions=revisions,
        admins=frozenset(), missing_users=lambda names: frozenset(),
    )  # fmt: skip
    return program


def assert_inert(output: str, allowed_links: frozenset[str] = frozenset(), allowed_external: str | None = None) -> None:
    """The output parses to nothing but the bot's own templates, its own links, and plain text."""
    code = mwparserfromhell.parse(GOAL_BAR.sub("", output))
    for node in code.filter(recursive=True):
        if isinstance(node, Template):
            assert normalize_title(node.name.strip_code()) in BOT_TEMPLATES, node
            for param in node.params:
                assert str(param.name).strip().isidentifier(), param.name
        elif isinstance(node, Wikilink):
            assert str(node.title) in allowed_links, node
        elif isinstance(node, ExternalLink):
            assert allowed_external is not None and str(node.url) == allowed_external, node
        elif isinstance(node, Tag):
            assert node.wiki_markup == "*", node  # the bot's own bullet lists only
        else:
            assert not isinstance(node, Comment | Heading), node
    # Text such as "subst:" is harmless once its braces are escaped; these act wherever they stand.
    for forbidden in ("~~~", "__", "\u202e", "://spam"):
        assert forbidden not in output, forbidden


def metrics_for(program: Program):  # type: ignore[no-untyped-def]
    users = program.confirmed
    facts = [RevisionFact("devwiki", i + 1, user, 9, 0, "Ebro_river", WHEN - timedelta(hours=i + 1), 100, 0, 1)
             for i, user in enumerate(users)]  # fmt: skip
    return aggregate(participants=users, window=program.window, timezone="UTC", now=WHEN, revisions=facts)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(hostile=hostile_pages())
# Found in CI: an outcome planted inside a sign-up's link is not the bot's, and placing the outcome stays idempotent.
@example(
    hostile=(
        "{{Program|name=X|start=2026-03-01|end=2026-03-31|organizers=[[User:Ana]]}}\n== Participants ==\n"
        "# [[User:{{Program outcome|edits=999}}]] ~~~~\n",
        "Mallory",
    )
)
@example(
    hostile=(
        "{{Program|name=X|start=2026-03-01|end=2026-03-31|organizers=[[User:Ana]]|goals=\n* 3 edits\n* }}[[Category:X]]"
        "\n* 0 edits\n|hashtags=#wikiday, #}}|tags={{subst:Y}}|hashtag_mode=[[X]]}}\n== Participants ==\n"
        "* {{Program sign-up|user=Bob}}\n",
        "Mallory",
    )
)
def test_whatever_the_page_says_the_bot_writes_only_its_own_templates(hostile: tuple[str, str]) -> None:
    page, editor = hostile
    program = read(page, editor)
    if isinstance(program, ProgramPageError):
        report = ReportEdit(WIKI, "Project talk:Fuzz", "devwiki:42", messages=program.messages, when="2026-03-10")
        assert_inert(report.apply("").split("\n", 1)[1])  # below the bot's own heading
        return
    metrics = metrics_for(program)
    goals = goals_wikitext(WIKI.language, goal_progress(program.definition.goals, metrics))
    params = outcome_params(metrics, program.definition, WHEN, WHEN + timedelta(hours=1), GLOSSARY, goals=goals)
    block = participants_block(NAMES.participants, metrics, program.participants)
    outcome = OutcomeEdit(WIKI, program.title, program.key, params=params, participants=block)
    new_page = outcome.apply(page)
    written = template(NAMES.outcome, params, multiline=True)
    assert_inert(written + "\n" + block, allowed_external=GLOSSARY)
    # The bot added exactly what it wrote (and line breaks around it): everything else is as the organizers left it.
    assert written in new_page
    assert block in new_page
    # (A planted outcome below {{Program}} is the bot's to replace: it is left out of the comparison.)
    rest = new_page.replace(written, "", 1).replace(block, "", 1)
    planted = "{{Program outcome|edits=999}}"
    assert "".join(rest.replace(planted, "").split()) == "".join(page.replace(planted, "").split())
    assert str(mwparserfromhell.parse(page).filter_templates()[0]) in new_page
    # Running again changes nothing.
    assert outcome.apply(new_page) == new_page

    report = ReportEdit(WIKI, "Project talk:Fuzz", program.key, messages=program.messages, when="2026-03-10")
    assert_inert(report.apply("").split("\n", 1)[1])
    for notice in (
        EnrolmentEdit(WIKI, "User:Bob", program.key, program=program),
        TalkNoticeEdit(WIKI, "Talk:Ebro river", program.key, program=program),
    ):
        assert_inert(notice.apply(""))


@settings(max_examples=500, deadline=None)
@given(names=st.lists(st.tuples(VALUE, VALUE), min_size=1, max_size=4), campaign=VALUE)
def test_campaign_reports_list_hostile_program_names_as_plain_link_labels(
    names: list[tuple[str, str]], campaign: str
) -> None:
    programs = [
        ProgramSummary(f"devwiki:{i}", "devwiki", f"Project:P{i}", f"{name}{title}", None, None, ("devwiki",),
                       (campaign,), False, "2026-03-10T00:00:00Z", True, (), None, None, False, None, None, None, None)
        for i, (name, title) in enumerate(names)
    ]  # fmt: skip
    summary = CampaignSummary("devwiki:1", "devwiki", "Project:C", campaign, "", None, None, (), "", ())
    params = campaign_params(_NoSnapshots(), summary, programs, WHEN)  # type: ignore[arg-type]
    edit = CampaignReportEdit(WIKI, "Project:C", summary.key, params=params)
    page = "{{Program campaign|name=x}}\n"
    added = edit.apply(page)[len(page) :]
    assert_inert(added, allowed_links=frozenset(f":Project:P{i}" for i in range(len(names))))


class _NoSnapshots:
    """The campaign report reads snapshots only for updated programs; these have none."""

    def snapshot_counts(self, *_args: object) -> list[object]:
        raise AssertionError("not updated: never read")


@given(value=st.text(max_size=60))
@settings(max_examples=1000, deadline=None)
def test_escape_is_inert_and_keeps_the_display_text(value: str) -> None:
    escaped = escape(value)
    assert "\n" not in escaped
    assert_inert(template(NAMES.enrolment, {"name": value, "program": value}))
    # What a reader sees (entities decoded) is the value, whitespace folded, invisible controls dropped.
    shown = mwparserfromhell.parse(escaped).strip_code(normalize=True, collapse=False)
    assert shown.replace("&#95;", "_") == shown  # nothing left encoded twice


def test_entity_encoded_braces_from_the_issue_stay_text() -> None:
    """The attack of the issue: a name whose entity-encoded braces become live markup once decoded."""
    page = "{{Program|name=&#125;&#125;[[Category:X]]&#123;&#123;subst:Y&#125;&#125;|start=2026-03-01|end=2026-03-31}}"
    program = read(page, "Ana")
    assert isinstance(program, Program)
    notice = EnrolmentEdit(WIKI, "User:Bob", program.key, program=program).apply("")
    assert_inert(notice)
    # The references stay references (shown as braces, never parsed); the link is read as its text.
    assert "|name=&#125;&#125;Category:X&#123;&#123;subst:Y&#125;&#125;|" in notice


def test_link_refuses_what_cannot_be_a_title() -> None:
    assert link("Project:P", "<b>") == "[[:Project:P|&lt;b&gt;]]"
    assert link("X]]{{subst:Y}}", "label") == "label"
    assert link("Category:Foo__NOTOC__", "x") == "[[:Category:Foo NOTOC|x]]"


def test_planted_participants_header_above_the_program_does_not_swallow_it() -> None:
    """The attack of the issue: a header planted above {{Program}} made the bot replace everything down to its
    footer, {{Program}} and the outcome included."""
    page = (
        "{{Program participants/header}}\nIntro\n{{Program|name=P|start=2026-03-01|end=2026-03-31}}\n"
        "{{Program outcome\n|edits=1\n}}\n{{Program participants/header}}\n"
        "{{Program participants/row|user=Bob|edits=1}}\n{{Program participants/footer}}\nAfter\n"
    )
    program = read(page, "Ana")
    assert isinstance(program, Program)
    metrics = metrics_for(program)
    block = participants_block(NAMES.participants, metrics, ())
    params = outcome_params(metrics, program.definition, WHEN, WHEN, GLOSSARY)
    new = OutcomeEdit(WIKI, "Project:P", program.key, params=params, participants=block).apply(page)
    assert new.startswith("{{Program participants/header}}\nIntro\n{{Program|name=P|start=2026-03-01|end=2026-03-31}}")
    assert new.count("{{Program participants/row") == 0
    assert new.endswith("{{Program participants/header}}\n{{Program participants/footer}}\nAfter\n")
    # A private program: the bot's table goes, the planted header stays.
    removed = OutcomeEdit(WIKI, "Project:P", program.key, params=params, participants=None).apply(new)
    assert removed.count("{{Program participants/header}}") == 1
    assert removed.startswith("{{Program participants/header}}\nIntro\n")
    assert "{{Program participants/footer}}" not in removed


def test_outcome_planted_inside_the_program_template_is_not_the_bots() -> None:
    page = "{{Program|name=P|description={{Program outcome|edits=5}}|start=2026-03-01|end=2026-03-31}}\n"
    program = read(page, "Ana")
    assert isinstance(program, Program)
    params = outcome_params(metrics_for(program), program.definition, WHEN, WHEN, GLOSSARY)
    new = OutcomeEdit(WIKI, "Project:P", program.key, params=params).apply(page)
    assert new.startswith(page.rstrip("\n"))  # {{Program}} untouched, the bot's outcome added below it
    assert new.count("{{Program outcome") == 2


def test_report_keeps_replies_and_ignores_a_planted_heading() -> None:
    messages = (Message("problem-unknown-user", ("X]]{{subst:Y}}",)),)
    first = ReportEdit(WIKI, "Talk:P", "k", messages=messages, when="2026-03-10").apply("")
    heading = first.split("\n", 1)[0]
    replied = first + ":Thanks, fixing it. ~~~~\n"
    planted = f"{heading}\nSomebody's discussion that must stay.\n\n" + replied
    again = ReportEdit(WIKI, "Talk:P", "k", messages=(), when="2026-03-11").apply(planted)
    assert "Somebody's discussion that must stay." in again
    assert ":Thanks, fixing it. ~~~~" in again
    assert "No open problems." in again
    assert "subst" not in again.split(":Thanks")[0].replace("subst&#58;", "").replace("&#123;&#123;subst", "")


def test_unknown_user_message_parameters_are_escaped_in_the_report() -> None:
    program = replace(read("{{Program|start=2026-03-01|end=2026-03-31}}", "Ana"))
    assert isinstance(program, Program)
    text = ReportEdit(WIKI, "Talk:P", "k", messages=(Message("problem-untrusted-change", ("[[Category:X]]", "~~~~",
                                                                                           "1")),),
                      when="2026-03-10").apply("")  # fmt: skip
    assert_inert(text.split("\n", 1)[1])
