"""Reading program definitions and sign-ups from the wikitext organizers really write."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.config import load_settings
from bot.param_values import normalize_title, parse_datetime, title_lines, username
from bot.program import EditType, Message, ProgramType, Scope, TrackedWiki
from bot.program_page import PageContext, parse_definition, program_params, resolve_wiki, signups

SETTINGS = load_settings()
PREFIXES = frozenset(
    {
        "user",
        "user talk",
        "usuario",
        "usuaria",
        "usuario discusión",
        "special:contributions/",
        "especial:contribuciones/",
    }
)
CONTEXT = PageContext(wiki=SETTINGS.wiki("devwiki"), wikis=SETTINGS.wikis, user_prefixes=PREFIXES)


def definition(text: str):  # type: ignore[no-untyped-def]
    params, _count = program_params(text, CONTEXT.templates)
    return parse_definition(params, CONTEXT, "Project:X")


def test_a_complete_program() -> None:
    text = """Intro.
{{Program
| name = Editatón de ríos
| type = edit-a-thon
| description = Rivers of [[Spain]].
| institution = Wikimedia España
| location = Madrid
| start = 1 de marzo de 2026
| end = March 31, 2026
| tracking_start = 2026-02-25
| tracking_end = 2026-04-15 18:00
| timezone = Europe/Madrid
| wikis = devwiki, devcommons
| namespaces = 0, 118
| namespaces_devcommons = 6
| organizers = [[Usuario:Ana|Ana]], [[User:Bob_Smith]]
| facilitators = carol
| campaign = Ríos 2026, WikiWomen
| articles = [[Ebro]] [[Tajo#Curso]]
| categories = Categoría:Ríos de España
| category_depth = 2
| scope_templates = Plantilla:Infobox río
| petscan = 12345
| exclude = Duero
| private = no
| signup = open
| signup_close = 2026-03-15
| edit_types = outcome, participants, enrolment
}}"""
    parsed, messages = definition(text)
    assert messages == ()
    assert parsed is not None
    assert (parsed.name, parsed.type, parsed.description, parsed.institution, parsed.location) == (
        "Editatón de ríos", ProgramType.EDITATHON, "Rivers of Spain.", "Wikimedia España", "Madrid",
    )  # fmt: skip
    assert (parsed.event_start, parsed.event_end) == (date(2026, 3, 1), date(2026, 3, 31))
    # Madrid is UTC+1 in February and UTC+2 on 15 April; a bare start date is local midnight.
    assert parsed.window == (datetime(2026, 2, 24, 23, 0, tzinfo=UTC), datetime(2026, 4, 15, 16, 0, tzinfo=UTC))
    assert parsed.tracked == (TrackedWiki("devwiki", (0, 118)), TrackedWiki("devcommons", (6,)))
    assert (parsed.organizers, parsed.facilitators) == (("Ana", "Bob Smith"), ("Carol",))
    assert parsed.campaigns == ("Ríos 2026", "WikiWomen")
    assert parsed.scope == Scope(
        articles=("Ebro", "Tajo"), categories=("Ríos de España",), category_depth=2,
        templates=("Infobox río",), petscan_psid=12345, excluded=("Duero",),
    )  # fmt: skip
    assert (parsed.private, parsed.signup_open, parsed.bot_edits) == (False, True, True)
    assert parsed.signup_closes_at() == datetime(2026, 3, 15, 23, 0, tzinfo=UTC)  # end of the 15th in Madrid
    assert parsed.edit_types == {EditType.OUTCOME, EditType.PARTICIPANTS, EditType.ENROLMENT}


def test_defaults() -> None:
    parsed, messages = definition("{{program|start=2026-01-01|end=2026-01-02}}")
    assert messages == ()
    assert parsed is not None
    assert (parsed.name, parsed.type, parsed.timezone, parsed.tracked) == (
        "Project:X", ProgramType.BASIC, "UTC", (TrackedWiki("devwiki", (0,)),),
    )  # fmt: skip
    assert parsed.window == (datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 3, tzinfo=UTC))
    assert parsed.edit_types == {EditType.OUTCOME, EditType.PARTICIPANTS}
    assert not parsed.scope.limited
    commons, _ = definition("{{Program|start=2026-01-01|end=2026-01-02|wikis=devcommons}}")
    assert commons is not None and commons.tracked == (TrackedWiki("devcommons", (6,)),)  # a file wiki's File: ns


def test_template_name_variants_comments_nowiki_and_repeated_parameters() -> None:
    text = """<!-- {{Program|start=1999-01-01|end=1999-01-02}} -->
<nowiki>{{Program|start=1998-01-01}}</nowiki>
{{ Template:Program_<!-- c -->
|start=2026-05-01<!-- first day -->
|end=2026-05-10
|end=2026-05-02
|name=
}}"""
    parsed, messages = definition(text)
    assert parsed is not None and messages == ()
    assert (parsed.event_start, parsed.event_end, parsed.name) == (date(2026, 5, 1), date(2026, 5, 2), "Project:X")


@pytest.mark.parametrize(
    ("text", "errors"),
    [
        ("{{Program|start=2026-02-30|end=}}", [("problem-date-invalid", ("start", "2026-02-30")),
                                            ("problem-date-missing", ("end",))]),
        ("{{Program|start=03/04/2026|end=2026-05-01}}", [("problem-date-ambiguous", ("start", "03/04/2026"))]),
        ("{{Program|start=2026-02-10|end=2026-02-01}}", [("problem-end-before-start", ("2026-02-10", "2026-02-01"))]),
        ("{{Program|start=2026-02-01|end=2026-02-10|wikis=nowhere}}", [("problem-no-tracked-wiki", ()),
                                                                       ("problem-unknown-wiki", ("nowhere",))]),
    ],
)  # fmt: skip
def test_fatal_problems(text: str, errors: list[tuple[str, tuple[str, ...]]]) -> None:
    parsed, messages = definition(text)
    assert parsed is None
    assert messages == tuple(Message(key, params) for key, params in errors)


def test_minor_problems_keep_the_program() -> None:
    parsed, messages = definition(
        "{{Program|start=2026-01-01|end=2026-01-02|wikis=devwiki, xxwiki|namespaces=0,Talk|timezone=Mars/Base"
        "|type=party|private=maybe|edit_types=outcome, spam|category_depth=99|petscan=abc}}"
    )
    assert parsed is not None
    assert parsed.tracked == (TrackedWiki("devwiki", (0,)),)
    assert (parsed.timezone, parsed.type, parsed.private, parsed.edit_types) == (
        "UTC", ProgramType.BASIC, False, {EditType.OUTCOME},
    )  # fmt: skip
    assert {m.key for m in messages} == {
        "problem-unknown-wiki", "problem-namespace-invalid", "problem-timezone-unknown", "problem-type-unknown",
        "problem-yes-no", "problem-edit-type-unknown", "problem-depth-invalid", "problem-petscan-invalid",
    }  # fmt: skip


def test_signups_from_templates_and_signature_lists() -> None:
    text = """{{Program|start=2026-01-01|end=2026-01-02}}
* {{Program sign-up|user=bob_smith}} [[User:Bob smith|Bob]] 10:00, 1 March 2026 (UTC)
* {{Program sign-up|Carol}}
* {{program sign-up|user=}}
<nowiki>* {{Program sign-up|user=Ghost}}</nowiki>
== Participantes ==
# [[Usuario:Ana|Ana]] ([[Usuario discusión:Ana|discusión]]) 10:00 1 mar 2026
# [[Especial:Contribuciones/Dora]]
# [[Usuario:Ana|Ana again]]
# Just text without a signature
# [[Madrid]] is not a user
* {{Program sign-up|user=Carol}}
== Notes ==
* [[User:Eve|Eve]] commented here, she did not sign up.
"""
    assert signups(text, CONTEXT) == ("Bob smith", "Carol", "Ana", "Dora")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-03-01", (date(2026, 3, 1), None)),
        ("2026/3/1", (date(2026, 3, 1), None)),
        ("1 March 2026", (date(2026, 3, 1), None)),
        ("March 1, 2026", (date(2026, 3, 1), None)),
        ("1 de marzo de 2026", (date(2026, 3, 1), None)),
        ("1 mar. 2026", (date(2026, 3, 1), None)),
        ("25/12/2026", (date(2026, 12, 25), None)),
        ("12.12.2026", (date(2026, 12, 12), None)),
        ("2026-03-01 09:30", (date(2026, 3, 1), __import__("datetime").time(9, 30))),
        ("2026-03-01T09:30:00Z", (date(2026, 3, 1), __import__("datetime").time(9, 30))),
    ],
)
def test_date_forms(raw: str, expected: object) -> None:
    assert parse_datetime(raw) == expected


def test_usernames_titles_and_wikis() -> None:
    assert username("[[Usuario:ana_maría|Ana]]", PREFIXES) == "Ana maría"
    assert username(" user : Bob ", PREFIXES) == "Bob"
    assert username("Especial:Contribuciones/Dora", PREFIXES) == "Dora"
    with pytest.raises(ValueError, match="problem-username-invalid"):
        username("[[User:]]", PREFIXES)
    assert normalize_title("  carol__smith ") == "Carol smith"
    assert title_lines("* ebro\n* [[:Tajo]]") == ("Tajo",)
    assert title_lines("* ebro\n#duero\n\n") == ("Ebro", "Duero")
    assert resolve_wiki("DevWiki", SETTINGS.wikis) == "devwiki"
    assert resolve_wiki("http://127.0.0.1:8182/", SETTINGS.wikis) == "devcommons"  # by host and port
    assert resolve_wiki("fr.wikipedia.org", SETTINGS.wikis) is None
