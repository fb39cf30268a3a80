"""Parsing program pages from the wikitext organizers really write."""

from __future__ import annotations

from datetime import date

from bot.config import TemplateNames
from bot.program import Message, Program, ProgramPageError
from bot.program_page import normalize_username, parse_program_page, signups

TEMPLATES = TemplateNames(program="Program", signup="Program sign-up", outcome="Program outcome")
KNOWN = {"devwiki", "devcommons"}


def parse(text: str) -> Program | ProgramPageError:
    return parse_program_page(
        text, wiki="devwiki", page_id=7, title="Project:X", templates=TEMPLATES, known_wikis=KNOWN
    )


def test_a_complete_program() -> None:
    text = """Intro.
{{Program
| name = Edit-a-thon de ríos
| start = 2026-03-01
| end = 2026-03-31
| wikis = devwiki, devcommons
| namespaces = 0, 2
}}
== Participants ==
* {{Program sign-up|user=Bob}} [[User:Bob|Bob]] 10:00, 1 March 2026 (UTC)
* {{Program sign-up|carol_smith}}
"""
    program = parse(text)
    assert program == Program(
        wiki="devwiki",
        page_id=7,
        title="Project:X",
        name="Edit-a-thon de ríos",
        start=date(2026, 3, 1),
        end=date(2026, 3, 31),
        tracked_wikis=("devwiki", "devcommons"),
        namespaces=(0, 2),
        participants=("Bob", "Carol smith"),
        messages=(),
    )
    assert program.key == "devwiki:7"
    start, end = program.window
    assert start.isoformat() == "2026-03-01T00:00:00+00:00"
    assert end.isoformat() == "2026-04-01T00:00:00+00:00"  # the whole end day counts


def test_defaults_are_the_host_wiki_main_namespace_and_the_page_title() -> None:
    program = parse("{{program|start=2026-01-01|end=2026-01-02}}")
    assert isinstance(program, Program)
    assert (program.name, program.tracked_wikis, program.namespaces, program.participants) == (
        "Project:X",
        ("devwiki",),
        (0,),
        (),
    )


def test_template_name_variants_comments_and_nowiki() -> None:
    text = """<!-- {{Program|start=1999-01-01|end=1999-01-02}} -->
<nowiki>{{Program sign-up|user=Ghost}}</nowiki>
{{ Template:Program_<!-- c -->
|start=2026-05-01<!-- first day -->
|end=2026-05-02
}}
* {{program_sign-up |user = alice }}
* {{Program sign-up|user=Alice}}
"""
    program = parse(text)
    assert isinstance(program, Program)
    assert program.start == date(2026, 5, 1)
    assert program.participants == ("Alice",)


def test_bad_dates_and_unknown_wikis_become_messages() -> None:
    result = parse("{{Program|start=2026-02-30|end=|wikis=nowhere}}")
    assert isinstance(result, ProgramPageError)
    assert result.messages == (
        Message("problem-date-invalid", ("start", "2026-02-30")),
        Message("problem-date-missing", ("end",)),
        Message("problem-no-tracked-wiki", ()),
        Message("problem-unknown-wiki", ("nowhere",)),
    )


def test_end_before_start() -> None:
    result = parse("{{Program|start=2026-02-10|end=2026-02-01}}")
    assert isinstance(result, ProgramPageError)
    assert result.messages == (Message("problem-end-before-start", ("2026-02-10", "2026-02-01")),)


def test_a_page_without_the_template() -> None:
    result = parse("Just text {{Other|x}}")
    assert isinstance(result, ProgramPageError)
    assert result.messages == (Message("problem-no-program-template", ("Program",)),)


def test_partial_problems_keep_the_program() -> None:
    program = parse("{{Program|start=2026-01-01|end=2026-01-02|wikis=devwiki, xxwiki|namespaces=0,Talk}}{{Program}}")
    assert isinstance(program, Program)
    assert program.tracked_wikis == ("devwiki",)
    assert program.messages == (
        Message("problem-several-program-templates", ("Program",)),
        Message("problem-unknown-wiki", ("xxwiki",)),
        Message("problem-namespace-invalid", ("Talk",)),
    )


def test_username_normalization() -> None:
    assert normalize_username("  carol__smith ") == "Carol smith"
    assert signups("{{Program sign-up|user=}}{{Program sign-up}}", TEMPLATES) == ()
