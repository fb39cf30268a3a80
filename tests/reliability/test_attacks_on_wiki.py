"""The attacks of the "Safe on a hostile wiki" issue, tried with real accounts on the dev wiki: after each, no page the
bot edited holds a category, link or template it did not mean to write, ``{{Program}}`` is intact, and no subject
page is touched. Every check reads the wiki through its own API, not through the bot.
"""

from __future__ import annotations

import difflib
from dataclasses import replace
from datetime import timedelta

import mwparserfromhell
import pytest
from mwparserfromhell.nodes import ExternalLink, Heading, Tag, Template, Wikilink

from bot.clock import utcnow
from bot.config import Settings, load_settings
from bot.param_values import normalize_title
from bot.program import Message
from bot.store import Store
from bot.templates import install_templates
from bot.update import run_update
from devtools.wikiuser import WikiUser

BOT_TEMPLATES = {
    "Program outcome", "Program participants/header", "Program participants/row", "Program participants/footer",
    "Program enrolment", "Program article notice", "Program campaign report",
}  # fmt: skip
PAYLOAD = "&#125;&#125;[[Category:Hijacked]]&#123;&#123;subst:Payload&#125;&#125;"


@pytest.fixture
def wiki(fresh_wikis: None, settings: Settings) -> None:
    install_templates(settings, settings.wiki("devwiki"))
    WikiUser.on("devwiki", "Admin").edit("Template:Payload", "[[Category:Hijacked]]PAYLOAD RAN")


def window() -> tuple[str, str]:
    today = utcnow().date()
    return (today - timedelta(days=2)).isoformat(), (today + timedelta(days=5)).isoformat()


def program(extra: str = "", name: str = "Ríos") -> str:
    start, end = window()
    return f"{{{{Program|name={name}|start={start}|end={end}|organizers=Alice{extra}}}}}\n\n== Participants ==\n"


def bot_additions(admin: WikiUser) -> dict[str, str]:
    """Per page the bot edited, the lines its revisions added (from the wiki's own history)."""
    added: dict[str, list[str]] = {}
    contributions = admin.get(action="query", list="usercontribs", ucuser="ProgramsBot", uclimit="max",
                              ucprop="ids|title", formatversion=2)["query"]["usercontribs"]  # fmt: skip
    for change in contributions:
        if change["title"].startswith("Template:"):
            continue
        texts = {}
        for revid in (change["parentid"], change["revid"]):
            if not revid:
                texts[revid] = ""
                continue
            pages = admin.get(action="query", prop="revisions", revids=revid, rvprop="content", rvslots="main",
                              formatversion=2)["query"]["pages"]  # fmt: skip
            texts[revid] = pages[0]["revisions"][0]["slots"]["main"]["content"]
        diff = difflib.ndiff(texts[change["parentid"]].splitlines(), texts[change["revid"]].splitlines())
        added.setdefault(change["title"], []).extend(line[2:] for line in diff if line.startswith("+ "))
    return {title: "\n".join(lines) for title, lines in added.items()}


def assert_only_bot_markup(title: str, added: str) -> None:
    """What the bot added parses to its own templates, its own heading and bullets, and text."""
    for node in mwparserfromhell.parse(added).filter(recursive=True):
        if isinstance(node, Template):
            assert normalize_title(node.name.strip_code()) in BOT_TEMPLATES, (title, node)
        elif isinstance(node, Wikilink | ExternalLink):
            # The only links are the tool's own: the glossary and the program's page on the site (config URLs).
            config = load_settings()
            url = str(node.url)
            ours = url == config.glossary_url or url.startswith(f"{config.site_url}/program/")
            assert isinstance(node, ExternalLink) and ours, (title, node)
        elif isinstance(node, Heading):
            assert "bot report" in str(node.title), (title, node)
        elif isinstance(node, Tag):
            assert node.wiki_markup == "*", (title, node)
    assert "~~~" not in added and "__" not in added


def categories_and_templates(admin: WikiUser, title: str) -> tuple[set[str], set[str]]:
    page = admin.get(action="query", prop="categories|templates", titles=title, cllimit="max", tllimit="max",
                     formatversion=2)["query"]["pages"][0]  # fmt: skip
    return {c["title"] for c in page.get("categories", [])}, {t["title"] for t in page.get("templates", [])}


@pytest.mark.usefixtures("wiki")
def test_hostile_names_and_parameter_names_come_out_inert(settings: Settings, store: Store) -> None:
    alice, bob, mallory, admin = (WikiUser.on("devwiki", n) for n in ("Alice", "Bob", "Mallory", "Admin"))
    alice.edit("Project:Ríos", program("|edit_types=outcome, participants, enrolment, talk_notice", name=PAYLOAD))
    bob.edit("Project:Ríos", appendtext="\n* {{Program sign-up|user=Bob}} ~~~~")
    bob.edit("Ebro", "The Ebro is a river.")
    text = alice.page_text("Project:Ríos") or ""
    # Mallory adds a parameter whose *name* is the payload: it is held, and named in the organizers' report.
    mallory.edit("Project:Ríos", text.replace("|organizers=Alice", f"|organizers=Alice|{PAYLOAD}=1"))

    [result] = run_update(settings, store, utcnow())
    assert result.ok
    additions = bot_additions(admin)
    assert {"Dev Wiki:Ríos", "Dev Wiki talk:Ríos", "User:Bob", "Talk:Ebro"} <= set(additions)
    for title, added in additions.items():
        assert_only_bot_markup(title, added)
        if title == "Dev Wiki:Ríos":
            continue  # the organizers' own text carries the payload there: what it does is theirs, not the bot's
        categories, templates = categories_and_templates(admin, title)
        assert "Category:Hijacked" not in categories, title
        assert "Template:Payload" not in templates, title
    assert "PAYLOAD RAN" not in (admin.page_text("User:Bob") or "")


@pytest.mark.usefixtures("wiki")
def test_program_page_in_a_talk_namespace_gets_nothing_written_anywhere(settings: Settings, store: Store) -> None:
    alice, mallory, admin = (WikiUser.on("devwiki", n) for n in ("Alice", "Mallory", "Admin"))
    alice.edit("Ebro", "The Ebro is a river.")
    mallory.edit("Talk:Ebro", "{{Program|name=Broken|start=not a date}}")  # the report would land on the article
    mallory.edit("Talk:Ebro river", program())  # even a valid one is refused there
    results = run_update(settings, store, utcnow())
    assert {r.title: r.messages for r in results} == {
        "Talk:Ebro": (Message("problem-program-in-talk"),),
        "Talk:Ebro river": (Message("problem-program-in-talk"),),
    }
    assert [r["user"] for r in admin.revisions("Ebro")] == ["Alice"]
    assert bot_additions(admin) == {}
    assert all(not s.ok for s in store.programs())


@pytest.mark.usefixtures("wiki")
def test_page_that_never_parsed_gets_only_its_own_talk_page(settings: Settings, store: Store) -> None:
    alice, admin = WikiUser.on("devwiki", "Alice"), WikiUser.on("devwiki", "Admin")
    alice.edit("Project:Broken", "{{Program|name=B|start=2026-13-01|end=year one}}")
    # A page that only transcludes {{Program}} through another template is no organizers' page: nothing is written.
    admin.edit("Template:Wrapper", "{{Program}}")
    alice.edit("Some article", "{{Wrapper}}")
    run_update(settings, store, utcnow())
    assert set(bot_additions(admin)) == {"Dev Wiki talk:Broken"}


@pytest.mark.usefixtures("wiki")
def test_planted_header_above_the_program_leaves_it_intact(settings: Settings, store: Store) -> None:
    alice, mallory, admin = (WikiUser.on("devwiki", n) for n in ("Alice", "Mallory", "Admin"))
    alice.edit("Project:Ríos", program() + "* {{Program sign-up|user=Alice}}\n")
    run_update(settings, store, utcnow())
    organizers_text = admin.page_text("Project:Ríos") or ""
    definition = str(mwparserfromhell.parse(organizers_text).filter_templates()[0])
    mallory.edit("Project:Ríos", "{{Program participants/header}}\n" + organizers_text)
    alice.edit("Ebro", "River.")
    run_update(settings, store, utcnow())
    after = admin.page_text("Project:Ríos") or ""
    assert definition.split("}}")[0] in after  # the definition is intact
    code = mwparserfromhell.parse(after)
    assert sum(1 for t in code.filter_templates() if t.name.strip() == "Program outcome") == 1
    assert after.startswith("{{Program participants/header}}\n{{Program|")
    [summary] = store.programs()
    assert summary.edits == 1


@pytest.mark.usefixtures("wiki")
def test_enrolment_only_for_self_sign_ups_and_never_again_once_removed(settings: Settings, store: Store) -> None:
    alice, bob, admin = (WikiUser.on("devwiki", n) for n in ("Alice", "Bob", "Admin"))
    alice.edit("Project:Ríos", program("|edit_types=outcome, enrolment") + "* {{Program sign-up|user=Carol}}\n")
    bob.edit("Project:Ríos", appendtext="\n* {{Program sign-up|user=Bob}} ~~~~")
    run_update(settings, store, utcnow())
    assert admin.page_text("User:Carol") is None  # listed by the organizer: counted, but not written to
    bob_page = admin.page_text("User:Bob") or ""
    assert "{{Program enrolment|" in bob_page and "|program_id=" in bob_page
    bob.edit("User:Bob", "I prefer my page plain.")
    run_update(settings, store, utcnow())
    assert admin.page_text("User:Bob") == "I prefer my page plain."
    saved = [e for e in store.edit_log(outcome="saved") if e.kind == "enrolment"]
    assert [e.page for e in saved] == ["User:Bob"]


@pytest.mark.usefixtures("wiki")
def test_redirected_user_page_is_never_followed(settings: Settings, store: Store) -> None:
    alice, bob, admin = (WikiUser.on("devwiki", n) for n in ("Alice", "Bob", "Admin"))
    admin.edit("Main Page", "Welcome.")
    bob.edit("User:Bob", "#REDIRECT [[Main Page]]")
    alice.edit("Project:Ríos", program("|edit_types=outcome, enrolment"))
    bob.edit("Project:Ríos", appendtext="\n* {{Program sign-up|user=Bob}} ~~~~")
    run_update(settings, store, utcnow())
    assert admin.page_text("Main Page") == "Welcome."
    assert admin.page_text("User:Bob") == "#REDIRECT [[Main Page]]"
    [entry] = [e for e in store.edit_log() if e.kind == "enrolment"]
    assert (entry.page, entry.outcome) == ("User:Bob", "redirect")


@pytest.mark.usefixtures("wiki")
def test_talk_notices_stop_at_their_cap(settings: Settings, store: Store) -> None:
    alice, bob, admin = (WikiUser.on("devwiki", n) for n in ("Alice", "Bob", "Admin"))
    alice.edit("Project:Ríos", program("|edit_types=outcome, talk_notice"))
    bob.edit("Project:Ríos", appendtext="\n* {{Program sign-up|user=Bob}} ~~~~")
    for article in ("Alpha", "Beta", "Gamma"):
        bob.edit(article, "Text.")
    capped = replace(settings, talk_notices_per_program=2, talk_notices_per_run=10)
    [result] = run_update(capped, store, utcnow())
    noticed = [t for t in ("Talk:Alpha", "Talk:Beta", "Talk:Gamma") if admin.page_text(t) is not None]
    assert len(noticed) == 2
    assert Message("problem-notices-capped", ("2", "10")) in result.messages
    assert [e.outcome for e in store.edit_log() if e.kind == "talk_notice"].count("capped") == 1


@pytest.mark.usefixtures("wiki")
@pytest.mark.parametrize(
    ("dates", "problem"),
    [
        ("|start=0001-01-01|end=2026-12-31", "problem-date-invalid"),
        ("|start=2026-01-01|end=9999-12-31", "problem-date-invalid"),
        ("|start=2020-01-01|end=2026-12-31", "problem-window-too-long"),
    ],
)
def test_unbounded_windows_are_refused_and_the_trust_state_kept(
    settings: Settings, store: Store, dates: str, problem: str
) -> None:
    alice = WikiUser.on("devwiki", "Alice")
    revision = alice.edit("Project:Forever", f"{{{{Program|name=F{dates}|organizers=Alice}}}}")
    [result] = run_update(settings, store, utcnow())
    assert not result.ok
    assert problem in {m.key for m in result.messages}
    [summary] = store.programs()
    assert store.trust_state(summary.key).last_revid == revision  # saved: the next run does not re-read it
    [again] = run_update(settings, store, utcnow())
    assert again.messages == result.messages


@pytest.mark.usefixtures("wiki")
def test_program_turned_private_loses_its_participants_table(settings: Settings, store: Store) -> None:
    alice, admin = WikiUser.on("devwiki", "Alice"), WikiUser.on("devwiki", "Admin")
    alice.edit("Project:Ríos", program() + "* {{Program sign-up|user=Alice}}\n")
    run_update(settings, store, utcnow())
    assert "{{Program participants/row|user=Alice" in (admin.page_text("Project:Ríos") or "")
    text = admin.page_text("Project:Ríos") or ""
    alice.edit("Project:Ríos", text.replace("|organizers=Alice", "|organizers=Alice|private=yes"))
    run_update(settings, store, utcnow())
    after = admin.page_text("Project:Ríos") or ""
    assert "Program participants/" not in after
    assert "{{Program outcome" in after
    assert "* {{Program sign-up|user=Alice}}" in after  # the organizers' own lines stay
