"""The main job end to end, on the real dev wikis: program pages written by real accounts, counts from the _p
views over SQL, snapshots in the store, the outcome written back by the bot through the API.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import mwparserfromhell
import pytest

from bot.clock import utcnow
from bot.config import Settings
from bot.edit_outcome import EditOutcome
from bot.program import Message
from bot.store import Store
from bot.update import ProgramResult, run_update
from devtools import demo
from devtools.wikiuser import WikiUser
from tests.programs import tick

pytestmark = pytest.mark.usefixtures("fresh_wikis")


def program_page(start: str, end: str, extra: str = "") -> str:
    return f"Before  the template.\n{{{{Program|name=Test <b>program</b>|start={start}|end={end}}}}}\n{extra}\nAfter.\n"


def window() -> tuple[str, str]:
    today = utcnow().date()
    return (today - timedelta(days=3)).isoformat(), (today + timedelta(days=3)).isoformat()


def outcome(text: str | None) -> dict[str, str]:
    """The parameters of the bot's outcome template on a page."""
    for template in mwparserfromhell.parse(text or "").filter_templates():
        if template.name.strip() == "Program outcome":
            return {str(p.name).strip(): str(p.value).strip() for p in template.params}
    return {}


def by_title(results: list[ProgramResult]) -> dict[str, ProgramResult]:
    return {result.title: result for result in results}


@pytest.mark.usefixtures("templates_installed")
def test_demo_numbers_match_the_wikis_own_history(settings: Settings, store: Store) -> None:
    expected = demo.seed()
    admin = WikiUser.on("devwiki", "Admin")
    # The wiki's own record, through the API: main-namespace contributions of the two participants.
    contributions = [c for user in ("Bob", "Carol") for c in admin.contributions(user) if c["ns"] == 0]
    assert len(contributions) == expected["edits"] == 5
    assert len({c["title"] for c in contributions}) == expected["articles_edited"] == 3

    results = run_update(settings, store, utcnow())
    [result] = results
    assert result.ok
    assert result.edit.saved

    numbers = outcome(admin.page_text(demo.PROGRAM_TITLE))
    assert {k: numbers[k] for k in ("participants", "edits", "articles_edited", "articles_created", "wikis")} == {
        "participants": "2", "edits": "5", "articles_edited": "3", "articles_created": "2", "wikis": "devwiki",
    }  # fmt: skip
    last = admin.revisions(demo.PROGRAM_TITLE)[-1]
    assert last["user"] == "ProgramsBot"
    assert last["revid"] == result.edit.revision
    assert last["comment"] == (
        "Bot: updating program outcome (2 participants, 5 edits, 3 articles edited)"
        f" ([[:{result.title}]]; [[User:ProgramsBot/Tasks|bot tasks]])"
    )
    flags = admin.get(action="query", list="recentchanges", rcprop="ids|flags", rcshow="bot", rclimit=50)
    assert result.edit.revision in {change["revid"] for change in flags["query"]["recentchanges"]}

    [summary] = store.programs()
    assert (summary.participants, summary.edits, summary.articles_edited) == (2, 5, 3)
    assert store.participants(summary.key, summary.updated_at or "") == [("Bob", 3, 2), ("Carol", 2, 2)]
    # Bytes, checked against the wiki's own sizes: every counted revision's size minus its parent's.
    sizes = {
        title: [r["size"] for r in admin.revisions(title)] for title in ("River Tagus", "River Duero", "River Ebro")
    }
    by = {title: [r["user"] for r in admin.revisions(title)] for title in sizes}
    added = sum(
        max(size - (sizes[t][i - 1] if i else 0), 0)
        for t in sizes for i, size in enumerate(sizes[t]) if by[t][i] in ("Bob", "Carol")
    )  # fmt: skip
    assert numbers["bytes_added"] == str(added)

    # Nothing changed: the next run stores a new snapshot but does not edit the page.
    again = run_update(settings, store, tick(settings))  # its next update
    assert again[0].edit == EditOutcome("no_change")
    assert admin.revisions(demo.PROGRAM_TITLE)[-1]["revid"] == result.edit.revision


@pytest.mark.usefixtures("templates_installed")
def test_only_the_outcome_changes_on_the_page(settings: Settings, store: Store) -> None:
    alice = WikiUser.on("devwiki", "Alice")
    start, end = window()
    original = program_page(start, end, "* {{Program sign-up|user=Alice}}\n<!-- organizers' notes -->  \n")
    alice.edit("Project:Bytes", original)
    alice.edit("Some article", "Text.")
    run_update(settings, store, utcnow())
    text = alice.page_text("Project:Bytes")
    assert text is not None
    head, outcome_and_tail = text.split("\n{{Program outcome", 1)
    tail = outcome_and_tail.split("\n{{Program participants/footer}}", 1)[1]
    assert head + tail == original.rstrip()  # MediaWiki trims trailing whitespace on save, nothing else moved
    assert (outcome(text)["participants"], outcome(text)["edits"], outcome(text)["articles_edited"]) == ("1", "1", "1")


@pytest.mark.usefixtures("templates_installed")
def test_window_namespaces_and_non_participants(settings: Settings, store: Store) -> None:
    bob = WikiUser.on("devwiki", "Bob")
    dave = WikiUser.on("devwiki", "Dave")
    signup = "* {{Program sign-up|user=Bob}}\n* {{Program sign-up|user=Nobody such}}"
    start, end = window()
    bob.edit("Project:Current", program_page(start, end, signup))
    bob.edit("Project:Past", program_page("2020-01-01", "2020-12-31", signup))
    bob.edit("Alpha", "a")
    bob.edit("Alpha", "ab")
    bob.edit("User:Bob", "me")  # namespace 2: not tracked by default
    dave.edit("Beta", "b")  # Dave never signed up
    results = by_title(run_update(settings, store, utcnow()))
    assert set(results) == {"Dev Wiki:Current", "Dev Wiki:Past"}
    summaries = {s.title: s for s in store.programs()}
    current, past = summaries["Dev Wiki:Current"], summaries["Dev Wiki:Past"]
    # A name that is no account is reported, not counted.
    assert (current.participants, current.edits, current.articles_edited) == (1, 2, 1)
    assert (past.participants, past.edits, past.articles_edited) == (1, 0, 0)
    assert store.participants(current.key, current.updated_at or "") == [("Bob", 2, 1)]
    assert Message("problem-unknown-user", ("Nobody such",)) in current.messages


@pytest.mark.usefixtures("templates_installed")
def test_guards_nobots_stop_page_and_consent(settings: Settings, store: Store) -> None:
    alice = WikiUser.on("devwiki", "Alice")
    start, end = window()
    alice.edit("Project:Guarded", program_page(start, end, "{{nobots}}"))
    [result] = run_update(settings, store, utcnow())
    assert result.edit == EditOutcome("nobots")
    assert "{{Program outcome" not in (alice.page_text("Project:Guarded") or "")

    alice.edit("Project:Guarded", program_page(start, end))
    alice.edit("User:ProgramsBot/Stop", "Stop: the numbers look wrong. ~~~~")
    [result] = run_update(settings, store, tick(settings))
    assert result.edit == EditOutcome("stopped")

    alice.edit("User:ProgramsBot/Stop", "")
    unconsented = replace(
        settings, wikis={**settings.wikis, "devwiki": replace(settings.wiki("devwiki"), bot_edits=False)}
    )
    [result] = run_update(unconsented, store, tick(settings, 2))
    assert result.edit == EditOutcome("not_consented")
    assert "{{Program outcome" not in (alice.page_text("Project:Guarded") or "")
    # The snapshot is still stored: the site shows the numbers even where the wiki is not edited.
    assert store.programs()[0].updated_at is not None

    [result] = run_update(settings, store, tick(settings, 3))
    assert result.edit.saved


@pytest.mark.usefixtures("templates_installed")
def test_a_broken_program_does_not_stop_the_others(settings: Settings, store: Store) -> None:
    alice = WikiUser.on("devwiki", "Alice")
    start, end = window()
    alice.edit("Project:Broken", "{{Program|start=2026-13-01|end=2026-01-01}}")
    alice.edit("Project:Fine", program_page(start, end))
    results = by_title(run_update(settings, store, datetime.now(UTC)))
    assert results["Dev Wiki:Broken"].ok is False
    assert results["Dev Wiki:Broken"].messages == (Message("problem-date-invalid", ("start", "2026-13-01")),)
    assert results["Dev Wiki:Broken"].edit is None
    assert results["Dev Wiki:Fine"].edit is not None and results["Dev Wiki:Fine"].edit.saved
    assert "{{Program outcome" not in (alice.page_text("Project:Broken") or "")
