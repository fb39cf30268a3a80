"""The invitation list end to end on the dev wikis: a scripted history of a category's articles in which the right
invitees, their order and their scores are known in advance (worked out by hand from the formula in
bot/invitations.py), with every kind of editor the list must leave out: a blocked account, a bot, the organizer, a
participant, an IP, an imported name without an account, edits before the window and edits to other pages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import mwparserfromhell
import pytest

from bot.config import Settings
from bot.invitations import Editor, rank
from bot.store import Store
from bot.update import run_update
from devtools.scenario import Revision, block_user, import_revisions, mwscript
from devtools.wikiuser import WikiUser

PROGRAM = "Project:Lakes drive"
REQUEST = f"{PROGRAM}/Invitations"
HOSTILE = "Zed ''italic'' =x="
LAKES = "[[Category:Lakes of Testland]]"


def text(size: int) -> str:
    body = f"A lake. {LAKES}"
    return body + "\n<!-- " + "x" * (size - len(body) - len("\n<!--  -->")) + " -->"


def history(now: datetime) -> list[Revision]:
    def at(days: float) -> str:
        return (now - timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")

    return [
        # Lake A: Bob writes it; Mallory (blocked) and Alice (the organizer) add to it.
        Revision("Lake A", 0, "Bob", at(10), text(3000)),
        Revision("Lake A", 0, "Bob", at(5), text(6000)),
        Revision("Lake A", 0, "Mallory", at(3), text(9000)),
        Revision("Lake A", 0, "Alice", at(2), text(9100)),
        # Lake B: Bob again; then another bot account, this bot, Admin (a participant) and a logged-out editor.
        Revision("Lake B", 0, "Bob", at(8), text(2000)),
        Revision("Lake B", 0, "Bob", at(6), text(2500)),
        Revision("Lake B", 0, "HelperBot", at(4.5), text(2550)),
        Revision("Lake B", 0, "ProgramsBot", at(4), text(2600)),
        Revision("Lake B", 0, "Admin", at(1), text(2700)),
        Revision("Lake B", 0, "192.0.2.7", at(0.5), text(2800)),
        # Lake C: Carol's creation is older than the window; Dave shortened it long ago; an imported name.
        Revision("Lake C", 0, "Carol", at(400), text(400)),
        Revision("Lake C", 0, "Dave", at(300), text(350)),
        Revision("Lake C", 0, "Carol", at(20), text(800)),
        Revision("Lake C", 0, HOSTILE, at(15), text(1000)),
        Revision("Lake C", 0, "Eve", at(10), text(900)),
        # Not in the category: Dave's many recent edits here do not count.
        *(Revision("Other page", 0, "Dave", at(2 - n / 10), f"Other {n}.") for n in range(5)),
    ]


def rows(page: str | None) -> list[dict[str, str]]:
    return [
        {str(p.name).strip(): str(p.value).strip() for p in node.params}
        for node in mwparserfromhell.parse(page or "").filter_templates()
        if node.name.strip() == "Program invitations/row"
    ]


def footer(page: str | None) -> dict[str, str]:
    for node in mwparserfromhell.parse(page or "").filter_templates():
        if node.name.strip() == "Program invitations/footer":
            return {str(p.name).strip(): str(p.value).strip() for p in node.params}
    return {}


def test_scores_by_the_documented_formula() -> None:
    now = datetime(2026, 6, 1, tzinfo=UTC)
    bob = Editor("Bob", 1, 4, 2, 8500, now - timedelta(days=5))
    dave = Editor("Dave", 2, 1, 1, 0, now - timedelta(days=300))
    idle = Editor("Idle", 3, 1, 1, 0, now - timedelta(days=365))  # 3.5: under the minimum of 5
    # Bob: 35 x 0.4 + 35 x log10(8501)/4 + 30 x (1 - 5/365) = 14 + 34.38 + 29.59
    assert [(i.editor.name, i.score) for i in rank([idle, dave, bob], now, 365, 10)] == [("Bob", 78), ("Dave", 9)]
    assert [i.editor.name for i in rank([idle, dave, bob], now, 365, 1)] == ["Bob"]


@pytest.mark.usefixtures("templates_installed")
def test_invitation_list_finds_the_right_editors(settings: Settings, store: Store) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    mwscript("devwiki", "createAndPromote.php", HOSTILE, "Zed-password-0123456789")
    mwscript("devwiki", "createAndPromote.php", "--bot", "HelperBot", "Helper-password-0123456789")
    import_revisions("devwiki", history(now))
    block_user("devwiki", "Mallory")
    alice, admin = WikiUser.on("devwiki", "Alice"), WikiUser.on("devwiki", "Admin")
    today = now.date()
    start, end = today - timedelta(days=2), today + timedelta(days=5)
    alice.edit(PROGRAM, f"{{{{Program|name=Lakes drive|start={start}|end={end}}}}}\n\n== Participants ==\n")
    admin.edit(PROGRAM, (alice.page_text(PROGRAM) or "") + "\n* {{Program sign-up|user=Admin}}")
    alice.edit(REQUEST, "{{Program invitations|category=Lakes of Testland|limit=10}}")
    alice.edit("Project:Secret drive", f"{{{{Program|start={start}|end={end}|private=yes}}}}")
    alice.edit("Project:Secret drive/Invitations", "{{Program invitations|category=Lakes of Testland}}")

    run_update(settings, store, now)

    page = alice.page_text(REQUEST)
    found = rows(page)
    assert [(r["rank"], r["user"], r["score"]) for r in found] == [
        ("1", "Bob", "78"),
        ("2", "Carol", "55"),  # 35 x 0.1 + 35 x log10(451)/4 + 30 x (1 - 20/365)
        ("3", "Zed &#39;&#39;italic&#39;&#39; &#61;x&#61;", "52"),  # 35 x 0.1 + 35 x log10(201)/4 + 30 x (1 - 15/365)
        ("4", "Dave", "9"),  # 35 x 0.1 + 0 + 30 x (1 - 300/365): his bytes went down, his other edits are elsewhere
    ]
    assert [(r["edits"], r["articles"], r["bytes_added"], r["last_edit"]) for r in found] == [
        ("4", "2", "8500", f"{today - timedelta(days=5)}"),
        ("1", "1", "450", f"{today - timedelta(days=20)}"),
        ("1", "1", "200", f"{today - timedelta(days=15)}"),
        ("1", "1", "0", f"{today - timedelta(days=300)}"),
    ]
    assert (
        found[0]["reasons"]
        == f"4 edits to 2 of these articles; 8500 bytes added; last edit on {today - timedelta(days=5)}"
    )
    assert {k: footer(page)[k] for k in ("looked_at", "days", "shown")} == {
        "looked_at": "3",
        "days": "365",
        "shown": "4",
    }
    assert alice.revisions(REQUEST)[-1]["comment"].startswith("Bot: invitation list (4 editors; nobody was messaged)")
    # The hostile name is a user link, nothing more.
    parsed = alice.get(action="parse", page=REQUEST, prop="links|externallinks|templates|text", formatversion=2)[
        "parse"
    ]
    assert {"ns": 2, "title": f"User:{HOSTILE}", "exists": False} in parsed["links"]
    assert "<i>italic</i>" not in parsed["text"]
    # Nobody was messaged: the bot's only edits are the program's own pages.
    bot_pages = {c["title"] for c in admin.contributions("ProgramsBot")}
    assert not any(title.startswith(("User talk:", "User:")) for title in bot_pages), bot_pages
    # A private program gets no list, and says why.
    secret = alice.page_text("Project:Secret drive/Invitations")
    assert rows(secret) == []
    assert footer(secret)["note"].startswith("This program is private: no invitation list")

    # The organizer narrows the window and the list: Dave's edit is now too old.
    alice.edit(REQUEST, "{{Program invitations|category=Lakes of Testland|limit=2|days=100}}")
    run_update(settings, store, now)
    page = alice.page_text(REQUEST)
    assert [(r["user"], r["score"]) for r in rows(page)] == [("Bob", "77"), ("Carol", "51")]
    assert footer(page)["days"] == "100"
