"""Issue 3 on the real dev wiki: programs, sign-ups and campaigns written by several accounts, hostile ones
included, read by the bot's main job; the model it stores is checked field by field, and the organizers' report
reaches the program's talk page.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.clock import utcnow
from bot.config import Settings
from bot.edit_outcome import EditOutcome
from bot.program import Message, SignupStatus
from bot.store import Store
from bot.templates import install_templates
from bot.update import run_update
from devtools.wikiuser import WikiUser
from tests.programs import tick


@pytest.fixture
def wiki(fresh_wikis: None, settings: Settings) -> None:
    install_templates(settings, settings.wiki("devwiki"))


def program_text(extra: str = "", organizers: str = "Alice") -> str:
    today = utcnow().date()
    start, end = (today - timedelta(days=2)).isoformat(), (today + timedelta(days=5)).isoformat()
    return (
        f"{{{{Program|name=Ríos|type=editathon|start={start}|end={end}|organizers={organizers}{extra}}}}}\n"
        "Intro.\n\n== Participants ==\n"
    )


def signup(user: str) -> str:
    return f"\n* {{{{Program sign-up|user={user}}}}} ~~~~"


@pytest.mark.usefixtures("wiki")
def test_trust_rules_with_real_accounts(settings: Settings, store: Store) -> None:
    alice, bob, carol, mallory = (WikiUser.on("devwiki", name) for name in ("Alice", "Bob", "Carol", "Mallory"))
    title = "Project:Ríos"
    alice.edit(title, program_text(extra="|facilitators=Carol"))
    bob.edit(title, appendtext=signup("Bob"))  # Bob signs himself up
    mallory.edit(title, appendtext=signup("Dave"))  # Mallory signs Dave up: held
    carol.edit(title, appendtext=signup("Nobody such"))  # a facilitator adds a name that is no account
    text = alice.page_text(title) or ""
    mallory.edit(title, text.replace("|name=Ríos", "|name=Mallory's party"))  # an untrusted definition change

    [result] = run_update(settings, store, utcnow())
    assert result.ok
    [summary] = store.programs()
    assert summary.name == "Ríos"  # Mallory's name change is ignored
    assert [(p.username, p.status, p.added_by) for p in store.signups(summary.key)] == [
        ("Bob", SignupStatus.CONFIRMED, "Bob"),
        ("Dave", SignupStatus.UNCONFIRMED, "Mallory"),
        ("Nobody such", SignupStatus.UNKNOWN_USER, "Carol"),
    ]
    revision = str(alice.revisions(title)[4]["revid"])
    assert summary.messages == (
        Message("problem-untrusted-change", ("name", "Mallory", revision)),
        Message("problem-signup-unconfirmed", ("Dave", "Mallory")),
        Message("problem-unknown-user", ("Nobody such",)),
    )
    assert summary.participants == 1  # only Bob counts

    # The organizers' report: one section on the talk page, naming each problem.
    talk = alice.page_text("Project talk:Ríos") or ""
    assert talk.count("== Programs & Events bot report ==") == 1
    assert "Mallory (revision " in talk and "Dave was signed up by Mallory" in talk
    assert result.report.saved

    # Nothing changed: no new edit of the page or the talk page.
    [again] = run_update(settings, store, tick(settings))
    assert (again.edit, again.report) == (EditOutcome("no_change"), EditOutcome("no_change"))

    # The problems get fixed: Alice reverts the name, Dave signs up himself, Carol removes the unknown name.
    fixed = (alice.page_text(title) or "").replace("|name=Mallory's party", "|name=Ríos")
    alice.edit(title, fixed)
    dave = WikiUser.on("devwiki", "Dave")
    dave.edit(title, appendtext="\n: Yes, count me in. ~~~~")  # Dave edits while Mallory's line for him is there
    lines = (carol.page_text(title) or "").split("\n")
    carol.edit(title, "\n".join(line for line in lines if "user=Nobody such" not in line))  # the whole line
    [third] = run_update(settings, store, tick(settings, 2))
    assert third.messages == ()
    assert [(p.username, p.status) for p in store.signups(summary.key)] == [
        ("Bob", SignupStatus.CONFIRMED), ("Nobody such", SignupStatus.WITHDRAWN), ("Dave", SignupStatus.CONFIRMED),
    ]  # fmt: skip
    talk = alice.page_text("Project talk:Ríos") or ""
    assert talk.count("== Programs & Events bot report ==") == 1 and "No open problems." in talk


@pytest.mark.usefixtures("wiki")
def test_campaigns_membership_alphabetical(settings: Settings, store: Store) -> None:
    alice, bob = WikiUser.on("devwiki", "Alice"), WikiUser.on("devwiki", "Bob")
    alice.edit(
        "Project:Campaign rivers", "{{Program campaign|name=Rivers 2026|description=All rivers|start=2026-01-01}}"
    )
    bob.edit("Project:Campaign art", "{{Program campaign|name=art+feminism|organizers=Bob}}")
    alice.edit("Project:River A", program_text(extra="|campaign=Rivers 2026"))
    bob.edit("Project:River B", program_text(extra="|campaign=rivers 2026, Art+feminism", organizers="Bob"))
    run_update(settings, store, utcnow())
    campaigns = store.campaigns()
    assert [(c.name, c.organizers, c.description) for c in campaigns] == [
        ("Art+feminism", ("Bob",), ""),
        ("Rivers 2026", (), "All rivers"),
    ]
    members = {p.title: p.campaigns for p in store.programs()}
    assert members == {"Dev Wiki:River A": ("Rivers 2026",), "Dev Wiki:River B": ("Rivers 2026", "Art+feminism")}
    # The bot's report on each campaign page: its programs, alphabetical, and their summed numbers.
    report = alice.page_text("Project:Campaign rivers") or ""
    assert (
        "{{Program campaign report\n|programs=\n* [[:Dev Wiki:River A|Ríos]]\n* [[:Dev Wiki:River B|Ríos]]\n" in report
    )
    assert "|participants=0\n|edits=0\n" in report
    before = alice.revisions("Project:Campaign rivers")[-1]["revid"]
    run_update(settings, store, utcnow() + timedelta(seconds=1))
    assert alice.revisions("Project:Campaign rivers")[-1]["revid"] == before  # nothing changed: no edit


@pytest.mark.usefixtures("wiki")
def test_changed_pages_only_are_reread(settings: Settings, store: Store) -> None:
    alice = WikiUser.on("devwiki", "Alice")
    alice.edit("Project:Quiet", program_text())
    run_update(settings, store, utcnow())
    [summary] = store.programs()
    run_update(settings, store, utcnow() + timedelta(seconds=1))  # folds the bot's own outcome edit
    first = store.trust_state(summary.key)
    run_update(settings, store, utcnow() + timedelta(seconds=1))
    assert store.trust_state(summary.key) == first
    WikiUser.on("devwiki", "Bob").edit("Project:Quiet", appendtext=signup("Bob"))
    run_update(settings, store, utcnow() + timedelta(seconds=2))
    assert store.trust_state(summary.key).last_revid > first.last_revid
    assert [p.username for p in store.signups(summary.key)] == ["Bob"]


@pytest.mark.usefixtures("wiki")
def test_enrolment_and_talk_notices_only_when_allowed(settings: Settings, store: Store) -> None:
    alice, bob, carol = (WikiUser.on("devwiki", name) for name in ("Alice", "Bob", "Carol"))
    carol.edit("User:Carol", "About me. {{nobots}}")  # Carol does not want bot edits on her user page
    alice.edit("Project:Noticed", program_text(extra="|edit_types=outcome, enrolment, talk_notice"))
    alice.edit("Project:Quiet one", program_text())  # default edit types: no notices
    for user in (bob, carol):
        user.edit("Project:Noticed", appendtext=signup(user.username))
        user.edit("Project:Quiet one", appendtext=signup(user.username))
    bob.edit("Alpha", "An article.")
    bob.edit("Talk:Alpha", "== Sources ==\nSome. ~~~~")
    run_update(settings, store, utcnow())
    page_id = str(next(s.key for s in store.programs() if s.title == "Dev Wiki:Noticed").split(":")[1])
    assert (bob.page_text("User:Bob") or "").startswith(
        f"{{{{Program enrolment|program=Dev Wiki:Noticed|program_id={page_id}|name=Ríos|role=participant}}}}"
    )
    assert "Program enrolment" not in (carol.page_text("User:Carol") or "")
    talk = bob.page_text("Talk:Alpha") or ""
    assert talk.startswith(f"{{{{Program article notice|program=Dev Wiki:Noticed|program_id={page_id}|name=Ríos|start=")
    assert talk.count("Program article notice") == 1  # only the program that allows it
    assert talk.endswith("== Sources ==\nSome. [[User:Bob|Bob]] ([[User talk:Bob|talk]]) " + talk.rsplit(") ", 1)[1])
    revisions = len(bob.revisions("Talk:Alpha")), len(bob.revisions("User:Bob"))
    run_update(settings, store, utcnow() + timedelta(seconds=2))
    assert (len(bob.revisions("Talk:Alpha")), len(bob.revisions("User:Bob"))) == revisions


@pytest.mark.usefixtures("wiki")
def test_admins_from_a_protected_on_wiki_list(settings: Settings, store: Store) -> None:
    admin, alice, dave = (WikiUser.on("devwiki", name) for name in ("Admin", "Alice", "Dave"))
    alice.edit("Project:Guarded program", program_text())
    dave.edit(
        "Project:Guarded program",
        (alice.page_text("Project:Guarded program") or "").replace("|name=Ríos", "|name=Dave's"),
    )
    listing = "Admins of the Programs & Events bot:\n* [[User:Dave|Dave]]\n"
    admin.edit("User:ProgramsBot/Admins", listing)
    run_update(settings, store, utcnow())
    assert store.programs()[0].name == "Ríos"  # the list is not protected yet: Dave is not trusted
    admin.post(action="protect", title="User:ProgramsBot/Admins", protections="edit=sysop", token=admin.csrf)
    dave.edit(
        "Project:Guarded program",
        (alice.page_text("Project:Guarded program") or "").replace("|name=Dave's", "|name=Dave's again"),
    )
    run_update(settings, store, utcnow() + timedelta(seconds=2))
    assert store.programs()[0].name == "Dave's again"  # now he is an admin of the tool
