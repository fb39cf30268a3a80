"""The bot's outcome template lands on the page and nothing else on the page moves."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.config import TemplateNames
from bot.render import outcome_params, place_outcome
from bot.stats import ParticipantStats, ProgramStats, WikiStats

TEMPLATES = TemplateNames(program="Program", signup="Program sign-up", outcome="Program outcome")
WHEN = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def stats(edits: int) -> ProgramStats:
    people = (ParticipantStats("Bob", edits, 1), ParticipantStats("Carol", 0, 0))
    return ProgramStats(participants=people, wikis=(WikiStats("devwiki", edits, 1, people),))


PAGE = """Intro  with  odd   spacing\t and a [[link]].
{{Program
|start=2026-03-01
|end = 2026-03-31 <!-- keep -->
}}
== Participants ==
* {{Program sign-up|user=Bob}}
"""


def test_outcome_is_inserted_after_the_program_template() -> None:
    result = place_outcome(PAGE, TEMPLATES, outcome_params(stats(3), WHEN))
    outcome = (
        "{{Program outcome\n|participants=2\n|edits=3\n|articles_edited=1\n|wikis=devwiki\n"
        "|updated=2026-03-02T12:00:00Z\n}}"
    )
    assert result == PAGE.replace("<!-- keep -->\n}}\n", "<!-- keep -->\n}}\n" + outcome + "\n")


def test_existing_outcome_is_replaced_in_place_and_unchanged_numbers_make_no_edit() -> None:
    first = place_outcome(PAGE, TEMPLATES, outcome_params(stats(3), WHEN))
    later = datetime(2026, 3, 3, tzinfo=UTC)
    assert place_outcome(first, TEMPLATES, outcome_params(stats(3), later)) == first
    second = place_outcome(first, TEMPLATES, outcome_params(stats(4), later))
    assert second.count("{{Program outcome") == 1
    assert "|edits=4" in second
    assert "2026-03-03T00:00:00Z" in second
    before, after = first.split("{{Program outcome")
    assert second.startswith(before)
    assert second.endswith(after.split("}}", 1)[1])


def test_page_without_program_template_gets_outcome_at_the_end() -> None:
    assert place_outcome("text\n\n", TEMPLATES, {"edits": "1"}) == "text\n{{Program outcome\n|edits=1\n}}\n"
