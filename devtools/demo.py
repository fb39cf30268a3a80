"""The demo scenario: a program page on devwiki, two sign-ups, and real edits by several users.

Run by scripts/demo on freshly reset dev wikis. It prints what the bot should find, so a newcomer can compare the
bot's outcome with the wiki's own history.
"""

from __future__ import annotations

from datetime import timedelta

from bot.clock import utcnow
from devtools.wikiuser import WikiUser

PROGRAM_TITLE = "Project:Demo edit-a-thon"


def program_text(start: str, end: str) -> str:
    return f"""Welcome to the demo edit-a-thon! Improve articles about rivers.

{{{{Program
|name = Demo edit-a-thon
|start = {start}
|end = {end}
|wikis = devwiki
}}}}

== Participants ==
"""


def seed() -> dict[str, int]:
    today = utcnow().date()
    alice = WikiUser.on("devwiki", "Alice")
    bob = WikiUser.on("devwiki", "Bob")
    carol = WikiUser.on("devwiki", "Carol")
    dave = WikiUser.on("devwiki", "Dave")

    # Alice organizes: she creates the program page but does not sign up, so her edits do not count.
    start, end = (today - timedelta(days=7)).isoformat(), (today + timedelta(days=7)).isoformat()
    alice.edit(PROGRAM_TITLE, program_text(start, end), "Create the demo edit-a-thon")
    alice.edit("River Ebro", "The '''Ebro''' is a river in Spain.", "Stub")
    # Bob and Carol sign up, each with their own line.
    for user in (bob, carol):
        user.edit(
            PROGRAM_TITLE,
            appendtext=f"\n* {{{{Program sign-up|user={user.username}}}}} ~~~~",
            summary="Sign up",
        )
    # Bob: creates two articles and expands one: 3 edits on 2 articles. His talk-page edit is not in namespace 0.
    bob.edit("River Tagus", "The '''Tagus''' is the longest river of the Iberian Peninsula.", "New article")
    bob.edit("River Duero", "The '''Duero''' flows through Spain and Portugal.", "New article")
    bob.edit("River Tagus", appendtext="\n\nIt flows into the Atlantic Ocean at Lisbon.", summary="Expand")
    bob.edit("Talk:River Tagus", "Sources needed. ~~~~", "Comment")
    # Carol: edits Bob's article and Alice's stub: 2 edits on 2 articles, one of them also edited by Bob.
    carol.edit("River Tagus", appendtext="\n\n== Course ==\nIt rises in the Sierra de Albarracín.", summary="Course")
    carol.edit("River Ebro", appendtext="\n\nIt flows into the Mediterranean Sea.", summary="Mouth")
    # Dave edits too, but never signed up: not counted.
    dave.edit("River Duero", appendtext="\n\nIts basin is the largest of the peninsula.", summary="Basin")
    return {"participants": 2, "edits": 5, "articles_edited": 3}


if __name__ == "__main__":
    expected = seed()
    print(
        "demo: seeded; the bot should report "
        + ", ".join(f"{value} {key.replace('_', ' ')}" for key, value in expected.items())
    )
