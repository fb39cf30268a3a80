"""Generated wikitext thrown at the readers: no crash, and every failure is a message for the organizer."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.campaign_page import parse_campaign_page
from bot.program import ProgramDefinition
from bot.program_page import parse_definition, program_params, signups
from bot.trust import PageRevision, TrustState, fold
from tests.test_program_page import CONTEXT

PARAMS = [
    "name", "type", "start", "end", "tracking_start", "tracking_end", "timezone", "wikis", "namespaces",
    "namespaces_devwiki", "organizers", "facilitators", "campaign", "articles", "categories", "category_depth",
    "scope_templates", "petscan", "exclude", "private", "signup", "signup_close", "bot_edits", "edit_types", "1",
]  # fmt: skip
PIECES = st.sampled_from(
    [
        "2026-03-01", "1 de marzo de 2026", "31/02/2026", "03/04/2026", "yes", "no", "Europe/Madrid", "devwiki",
        "xx", "0, 2", "-1", "[[User:Bob|Bob]]", "[[Usuario:Ána]]", "Special:Contributions/Eve", "<!-- c -->",
        "<nowiki>{{Program}}</nowiki>", "{{{1|}}}", "[[", "]]", "{{", "}}", "|", "=", "\n", "* ", "# ",
        "== Participants ==",
        "<ref>x</ref>", "<script>alert(1)</script>", "ñ", "\u200f", "&nbsp;", "{{Program sign-up|user=", "~~~~",
    ]
)  # fmt: skip
VALUES = st.lists(st.one_of(PIECES, st.text(max_size=12)), max_size=6).map("".join)


@st.composite
def program_pages(draw: st.DrawFn) -> str:
    params = draw(st.lists(st.tuples(st.sampled_from(PARAMS), VALUES), max_size=10))
    body = "".join(f"|{name}={value}" for name, value in params)
    before, after = draw(VALUES), draw(st.lists(st.one_of(PIECES, VALUES), max_size=8).map("".join))
    template = draw(st.sampled_from(["Program", "program", "Template:Program", "Program campaign", "Program sign-up"]))
    return f"{before}{{{{{template}{body}}}}}{after}"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(page=st.one_of(program_pages(), st.text(max_size=200)))
def test_readers_never_crash(page: str) -> None:
    params, _count = program_params(page, CONTEXT.templates)
    definition, messages = parse_definition(params, CONTEXT, "Project:Fuzz")
    assert definition is not None or messages  # a failure always says why
    if definition is not None:
        assert isinstance(definition, ProgramDefinition)
        start, end = definition.window
        assert start < end
    assert all(isinstance(name, str) and name for name in signups(page, CONTEXT))
    parse_campaign_page(page, page_id=1, title="Project:C", context=CONTEXT)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(st.one_of(program_pages(), st.text(max_size=80)), min_size=1, max_size=5),
       users=st.lists(st.sampled_from(["Ana", "Bob", "Mallory", None]), min_size=5, max_size=5))  # fmt: skip
def test_history_fold_never_crashes(texts: list[str], users: list[str | None]) -> None:
    revisions = [
        PageRevision(i + 1, users[i], datetime(2026, 3, 1, i, tzinfo=UTC), text) for i, text in enumerate(texts)
    ]
    state = fold(TrustState(), revisions, context=CONTEXT, title="Project:Fuzz", admins=frozenset())
    assert TrustState.from_json(state.to_json()) == state
