"""The publisher as a community reviews it, on the real dev wiki: each outcome produced by a real situation and found
in the edit log and on the site's /edits, and a dry run that saves nothing but prints the very diffs the real run
then saves.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import replace

import pytest
from flask.testing import FlaskClient

from bot.campaign_report import campaign_totals
from bot.clock import utcnow
from bot.config import Settings
from bot.exports import campaigns
from bot.store import Store
from bot.update import run_update
from devtools.wikiuser import WikiUser
from tests.programs import current_program, tick
from webservice import app as webapp


def edits_page(settings: Settings, monkeypatch: pytest.MonkeyPatch, query: str) -> str:
    monkeypatch.setattr(webapp, "settings", settings)
    client: FlaskClient = webapp.app.test_client()
    response = client.get(f"/edits?{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def total_edits(admin: WikiUser) -> int:
    return int(admin.get(action="query", meta="siteinfo", siprop="statistics")["query"]["statistics"]["edits"])


@pytest.mark.usefixtures("templates_installed")
def test_each_outcome_from_a_real_situation_is_logged_and_shown(
    settings: Settings, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    alice, bob, admin = (WikiUser.on("devwiki", n) for n in ("Alice", "Bob", "Admin"))
    alice.edit("Project:Open", current_program("Open", "|edit_types=outcome, enrolment"))
    alice.edit("Project:Excluded", current_program("Excluded") + "{{nobots}}\n")
    alice.edit("Project:Locked", current_program("Locked"))
    admin.post(action="protect", title="Project:Locked", protections="edit=sysop", token=admin.csrf)
    alice.edit("Project:Quiet", current_program("Quiet", "|bot_edits=no"))
    bob.edit("User:Bob", "#REDIRECT [[Bob's corner]]")
    bob.edit("Project:Open", appendtext="\n* {{Program sign-up|user=Bob}} ~~~~")
    run_update(settings, store, utcnow())
    run_update(settings, store, tick(settings))  # unchanged: no edit, and the log keeps one "no change" per target

    by_page = {(e.page, e.kind): e.outcome for e in reversed(store.edit_log())}  # the newest wins
    assert by_page[("Dev Wiki:Open", "outcome")] == "no_change"
    assert by_page[("Dev Wiki:Excluded", "outcome")] == "nobots"
    assert by_page[("Dev Wiki:Locked", "outcome")] == "protected"
    assert by_page[("Dev Wiki:Quiet", "outcome")] == "edit_type_off"
    assert by_page[("User:Bob", "enrolment")] == "redirect"
    saved = [e for e in store.edit_log(outcome="saved") if e.page == "Dev Wiki:Open" and e.kind == "outcome"]
    assert len(saved) == 1 and saved[0].revision == admin.revisions("Project:Open")[-1]["revid"]
    assert [e.outcome for e in store.edit_log() if e.page == "Dev Wiki:Open" and e.kind == "outcome"] == [
        "no_change", "saved",
    ]  # fmt: skip

    alice.edit("User:ProgramsBot/Stop", "Stop, please. ~~~~")
    alice.edit("Project:Open", current_program("Open", "|edit_types=outcome, enrolment") + "Changed.\n")
    run_update(settings, store, tick(settings, 2))
    assert store.edit_log(outcome="stopped")
    unconsented = replace(
        settings, wikis={**settings.wikis, "devwiki": replace(settings.wiki("devwiki"), bot_edits=False)}
    )
    alice.edit("User:ProgramsBot/Stop", "")
    run_update(unconsented, store, tick(settings, 3))
    assert store.edit_log(outcome="not_consented")

    html = edits_page(settings, monkeypatch, "outcome=protected")
    assert "Dev Wiki:Locked" in html and "Dev Wiki:Excluded" not in html
    assert "the page is protected" in html
    html = edits_page(settings, monkeypatch, "wiki=devwiki")
    for shown in ("excludes the bot", "the page is protected", "is a redirect", "stop page is set",
                  "has not approved bot edits", "does not allow this kind of edit"):  # fmt: skip
        assert shown in html, shown


@pytest.mark.usefixtures("templates_installed")
def test_dry_run_saves_nothing_and_prints_what_the_real_run_saves(
    settings: Settings, store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    alice, bob, admin = (WikiUser.on("devwiki", n) for n in ("Alice", "Bob", "Admin"))
    alice.edit("Project:One", current_program("One", "|edit_types=outcome, participants, enrolment, talk_notice"))
    bob.edit("Project:One", appendtext="\n== Participants ==\n* {{Program sign-up|user=Bob}} ~~~~")
    bob.edit("Ebro", "The Ebro is a river.")
    alice.edit("Project:Two", current_program("Two", "|start=never"))  # broken: a report on its talk page
    before_texts = {t: admin.page_text(t) for t in ("Project:One", "User:Bob", "Talk:Ebro", "Project talk:Two")}
    edits_before = total_edits(admin)
    now = utcnow()

    capsys.readouterr()
    run_update(settings, store, now, dry_run=True)
    printed = capsys.readouterr().out
    assert total_edits(admin) == edits_before  # nothing saved on the wiki
    assert not store.edit_log()  # and nothing logged as done
    diffs = dict(re.findall(r"--- devwiki: \w+ on ([^:\n]+:[^\n]+?): would save\n(.*?)(?=\n--- devwiki: |\Z)",
                            printed, flags=re.S))  # fmt: skip
    assert set(diffs) == {"Dev Wiki:One", "User:Bob", "Talk:Ebro", "Dev Wiki talk:Two"}, printed

    run_update(settings, store, now)
    assert total_edits(admin) == edits_before + 4
    for title, before in zip(("Dev Wiki:One", "User:Bob", "Talk:Ebro", "Dev Wiki talk:Two"), before_texts.values(),
                             strict=True):  # fmt: skip
        after = admin.page_text(title) or ""
        expected = "".join(
            difflib.unified_diff(
                (before or "").splitlines(keepends=True),
                after.splitlines(keepends=True),
                f"{title} (current)",
                f"{title} (new)",
            )
        )
        summary, _newline, diff = diffs[title].partition("\n")
        assert summary.startswith("summary: Bot: ") and summary.endswith("[[User:ProgramsBot/Tasks|bot tasks]])")
        assert diff.rstrip("\n") == expected.rstrip("\n"), title


@pytest.mark.usefixtures("templates_installed")
def test_held_untrusted_change_is_shown_as_held_where_readers_look(settings: Settings, store: Store) -> None:
    alice, mallory, admin = (WikiUser.on("devwiki", n) for n in ("Alice", "Mallory", "Admin"))
    alice.edit("Project:Ríos", current_program("Ríos"))
    text = admin.page_text("Project:Ríos") or ""
    mallory.edit("Project:Ríos", text.replace("|name=Ríos", "|name=Mallory's party"))
    run_update(settings, store, utcnow())
    html = admin.get(action="parse", page="Project:Ríos", prop="text", formatversion=2)["parse"]["text"]
    assert "As applied by the bot" in html
    assert "<b>Ríos</b>" in html  # the name in force, not Mallory's
    assert "Changes to name were made by someone who is not an organizer" in html
    # Once an organizer takes the change over, nothing is held any more.
    alice.edit("Project:Ríos", (admin.page_text("Project:Ríos") or "").replace("Mallory's party", "Ríos 2026"))
    run_update(settings, store, utcnow())
    html = admin.get(action="parse", page="Project:Ríos", prop="text", formatversion=2)["parse"]["text"]
    assert "<b>Ríos 2026</b>" in html and "not an organizer" not in html


@pytest.mark.usefixtures("templates_installed")
def test_campaign_pages_are_guarded_and_closed_campaigns_count_accepted_programs(
    settings: Settings, store: Store
) -> None:
    alice, bob, mallory = (WikiUser.on("devwiki", n) for n in ("Alice", "Bob", "Mallory"))
    alice.edit("Project:Rivers", "{{Program campaign|name=Rivers|organizers=Alice}}")
    mallory.edit("Project:Rivers", "{{Program campaign|name=Mallory's rivers|organizers=Alice, Mallory}}")
    alice.edit("Project:Ebro week", current_program("Ebro week", "|campaign=Rivers"))
    mallory.edit("Project:Spam week", current_program("Spam week", "|campaign=Rivers").replace("Alice", "Mallory"))
    bob.edit("Project:Ebro week", appendtext="\n* {{Program sign-up|user=Bob}} ~~~~")
    run_update(settings, store, utcnow())
    [campaign] = store.campaigns()
    assert (campaign.name, campaign.organizers) == ("Rivers", ("Alice",))  # Mallory's changes are held
    assert {m.params[0] for m in campaign.messages if m.key == "problem-untrusted-change"} == {"name", "organizers"}
    assert sorted(p.name for p in store.programs() if campaign.includes(p)) == ["Ebro week", "Spam week"]

    # Closed: only the programs the organizers accepted count, whoever else names the campaign.
    alice.edit(
        "Project:Rivers", "{{Program campaign|name=Rivers|organizers=Alice|closed=yes|programs=[[Project:Ebro week]]}}"
    )
    run_update(settings, store, utcnow())
    [campaign] = store.campaigns()
    assert campaign.closed
    assert [p.name for p in store.programs() if campaign.includes(p)] == ["Ebro week"]
    report = alice.page_text("Project:Rivers") or ""
    assert "Ebro week" in report and "Spam week" not in report


@pytest.mark.usefixtures("templates_installed")
def test_campaign_default_type_and_participants_counted_once(settings: Settings, store: Store) -> None:
    alice, bob, carol, admin = (WikiUser.on("devwiki", n) for n in ("Alice", "Bob", "Carol", "Admin"))
    alice.edit("Project:Rivers", "{{Program campaign|name=Rivers|organizers=Alice|default_type=course}}")
    # Ebro week names no type: it takes the campaign's (course).
    alice.edit("Project:Ebro week", current_program("Ebro week", "|campaign=Rivers"))
    alice.edit("Project:Tajo week", current_program("Tajo week", "|campaign=Rivers|type=editathon"))
    for user, titles in ((bob, ("Project:Ebro week", "Project:Tajo week")), (carol, ("Project:Tajo week",))):
        for title in titles:
            user.edit(title, appendtext=f"\n* {{{{Program sign-up|user={user.username}}}}} ~~~~")
    run_update(settings, store, utcnow())
    # A course enrols its self-signed participants by default; an edit-a-thon does not.
    enrolment = admin.page_text("User:Bob") or ""
    assert "|program=Dev Wiki:Ebro week|" in enrolment and "Tajo week" not in enrolment
    assert admin.page_text("User:Carol") is None
    report = admin.page_text("Project:Rivers") or ""
    assert "|participants=2\n" in report  # Bob is in both programs: one participant of the campaign
    [summary] = [s for s in store.programs() if s.name == "Ebro week"]
    assert summary.participants == 1


@pytest.mark.usefixtures("templates_installed")
def test_campaign_counts_an_edit_two_programs_counted_once(settings: Settings, store: Store) -> None:
    alice, bob, carol, admin = (WikiUser.on("devwiki", n) for n in ("Alice", "Bob", "Carol", "Admin"))
    alice.edit("Project:Rivers", "{{Program campaign|name=Rivers|organizers=Alice}}")
    alice.edit("Project:Ebro week", current_program("Ebro week", "|campaign=Rivers"))
    alice.edit("Project:Tajo week", current_program("Tajo week", "|campaign=Rivers"))
    bob.edit("Project:Ebro week", appendtext="\n* {{Program sign-up|user=Bob}} ~~~~")
    for user in (bob, carol):
        user.edit("Project:Tajo week", appendtext=f"\n* {{{{Program sign-up|user={user.username}}}}} ~~~~")
    bob.edit("Ebro", "E" * 100, summary="new")  # in both programs: creation, +100
    bob.edit("Tajo", "T" * 50, summary="new")  # in both programs: creation, +50
    carol.edit("Tajo", "T" * 20, summary="shorter")  # Tajo week only: -30
    run_update(settings, store, utcnow())
    programs = {summary.name: summary for summary in store.programs()}
    assert (programs["Ebro week"].edits, programs["Tajo week"].edits) == (2, 3)
    # Bob's two edits were counted by both programs: the campaign counts them once.
    report = admin.page_text("Project:Rivers") or ""
    assert "|participants=2\n" in report and "|edits=3\n" in report
    assert "|articles_edited=2\n" in report and "|articles_created=2\n" in report
    [campaign] = store.campaigns()
    totals = campaign_totals(store, campaign, store.programs())
    assert (totals.counts.edits, totals.counts.bytes_added, totals.counts.bytes_removed) == (3, 150, 30)
    table = campaigns(store)
    [row] = table.rows
    cells = dict(zip(table.columns, row, strict=True))
    assert (cells["campaign"], cells["programs"], cells["edits"], cells["articles_created"]) == ("Rivers", 2, 3, 2)
