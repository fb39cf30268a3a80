"""Two backends, one result: the replica SQL (bot/facts_replica.py) and the Action API (bot/facts_api.py) read the
same facts from one scripted scenario on the three dev wikis, and aggregate() turns them into numbers stated here.

The window has to contain "now": uploads and the reverted edit are real API actions, and a new editor is an account
created during the test. So the window starts just after the reset (every account made at install is older, so
with a lead-in of 0 days only the test's new account is a new editor) and ends 7 days later; edits "inside" it at
later hours, "after" it and for retention are imported with those (future) timestamps.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from bot import facts_api, facts_replica, wiki
from bot.aggregate import aggregate
from bot.config import Settings
from bot.facts_replica import FactRequest, WikiFacts
from bot.metrics import Counts, Retention, RevisionFact, UploadFact, UserFact, UsingPage
from bot.replica import Replica
from devtools import scenario
from devtools.scenario import Revision, WikiUser

PARTICIPANTS = ("Bob", "Carol", "Dave", "Nina")
# Asked of the backends: plus the bot's own account (never counted) and a name that is no account anywhere.
ASKED = (*PARTICIPANTS, "ProgramsBot", "Nobody Such")
NAMESPACES = {"devwiki": (0,), "devcommons": (6,), "devwikidata": (0, 120)}
DUERO_ADDITION = " It flows to Porto."  # 19 bytes


def sized(label: str, size: int) -> str:
    """A text of exactly ``size`` UTF-8 bytes that starts with ``label``."""
    padding = size - len(label.encode())
    assert padding >= 1
    return label + " " + "x" * (padding - 1)


def item(label: str) -> str:
    """Entity JSON as Wikidata serializes it (compact)."""
    return json.dumps(
        {"type": "item", "id": "Q1", "labels": {"en": {"language": "en", "value": label}}}, separators=(",", ":")
    )


@dataclass(frozen=True)
class Built:
    start: datetime
    end: datetime
    hidden_rev: int


def build(start: datetime) -> Built:
    """The scenario; every number the tests below state follows from the sizes written here."""
    end = start + timedelta(days=7)

    def at(hours: float) -> datetime:
        return start + timedelta(hours=hours)

    password = secrets.token_hex(16)
    scenario.mwscript("devwiki", "createAndPromote.php", "Nina", password)  # registered now: a new editor
    ids = scenario.import_revisions(
        "devwiki",
        [
            Revision("Ebro", 0, "Bob", start - timedelta(days=2), sized("Ebro", 100)),  # before the window
            Revision("Ebro", 0, "Bob", at(2), sized("Ebro b", 150)),  # +50
            Revision("Ebro", 0, "Mallory", at(3), sized("Ebro m", 160)),  # not a participant
            Revision("Ebro", 0, "Carol", at(4), sized("Ebro c", 130)),  # -30
            Revision("Ebro", 0, "192.0.2.7", at(5), sized("Ebro ip", 140)),  # an IP
            Revision("Ebro", 0, "Bob", end + timedelta(days=1), sized("Ebro late", 200)),  # after the window
            Revision("Limia", 0, "Bob", start, sized("Limia", 25)),  # at the very start: counts, creation, +25
            Revision("Limia", 0, "Carol", end, sized("Limia c", 30)),  # at the very end: the end is exclusive
            Revision("Tajo", 0, "Carol", at(6), sized("Tajo", 80)),  # creation, +80
            Revision("Tajo", 0, "Bob", at(7), sized("Tajo b", 90)),  # its author gets hidden
            Revision("Tajo", 0, "Mallory", at(8), sized("Tajo m", 95)),
            Revision("Ebro", 1, "Bob", at(8), sized("Talk", 30)),  # Talk: not a tracked namespace
            Revision("Ebro", 1, "Bob", end + timedelta(days=10), sized("Talk late", 35)),  # no retention either
            Revision("Bob/Draft river", 2, "Bob", at(9), sized("Draft", 60)),  # moved to main below: +60
            Revision("Hoax", 0, "Bob", at(10), sized("Hoax", 40)),  # deleted below: created, since deleted
            Revision("Hoax", 0, "Carol", at(11), sized("Hoax c", 50)),
            Revision("Old page", 0, "Mallory", start - timedelta(days=5), sized("Old", 70)),  # deleted below
            Revision("Old page", 0, "Carol", at(12), sized("Old c", 75)),  # only edited, since deleted
            Revision("Miño", 0, "Nina", at(13), sized("Río Miño", 45)),  # the new editor's creation, +45
            Revision("Bot log", 0, "ProgramsBot", at(14), sized("Bot", 20)),  # the bot: never counted
            Revision("Sil", 0, "Nina", end + timedelta(days=8), sized("Sil", 30)),  # Nina retained at 7 days
            Revision("Sil", 0, "Carol", end + timedelta(days=31), sized("Sil c", 40)),  # Carol at 7 and 30 days
        ],
    )
    scenario.import_revisions(
        "devwikidata",
        [
            Revision("Q1", 0, "Bob", at(15), item("Ebro"), model="wikibase-item"),  # 74 bytes, creation
            Revision("Q1", 0, "Carol", at(16), item("Ebro river"), model="wikibase-item"),  # +6
        ],
    )
    scenario.hide_author("devwiki", ids[9], "Hidden author")
    scenario.move_page("devwiki", "User:Bob/Draft river", "Guadiana", "Ready", redirect=False)
    scenario.delete_page("devwiki", "Hoax", "Hoax")
    scenario.delete_page("devwiki", "Old page", "Not notable")
    _real_edits()
    return Built(start, end, ids[9])


def _real_edits() -> None:
    """Edits and uploads through the API, now (inside the window)."""
    mallory, carol = WikiUser.on("devwiki", "Mallory"), WikiUser.on("devwiki", "Carol")
    mallory.edit("Duero", "Duero is a river.", "New")
    reverted = carol.edit("Duero", appendtext=DUERO_ADDITION, summary="More")  # +19, then reverted: still counts
    mallory.edit("Duero", undo=reverted, summary="Revert")
    # A new file's description page holds the upload comment: Carol creates a 15-byte page, Bob a 6-byte one.
    file = scenario.upload_file("Carol", "Ebro map.png", comment="Map of the Ebro")
    scenario.upload_file("Bob", "Unused.png", comment="Unused")
    scenario.upload_file("Mallory", "Other.png", comment="Not a participant's")
    # A new version of her file: an overwrite, not an upload; it adds a null revision (0 bytes) to the file page.
    overwriter = WikiUser.on("devcommons", "Carol")
    overwriter.post(
        action="upload", filename=file, comment="Better map", ignorewarnings=1, token=overwriter.csrf,
        files={"file": (file, scenario.tiny_png(7), "application/octet-stream")},
    )  # fmt: skip
    for page in ("Duero", "Ebro basin", "Talk:Duero"):  # two main-namespace uses; a talk page does not count
        scenario.use_file("devwiki", "Mallory", page, file)


def replica_facts(settings: Settings, built: Built) -> dict[str, WikiFacts]:
    result = {}
    for name, namespaces in NAMESPACES.items():
        replica = Replica(settings.wiki(name), settings)
        try:
            result[name] = facts_replica.wiki_facts(replica, request(settings, built, namespaces))
        finally:
            replica.close()
    return result


def api_facts(settings: Settings, built: Built, user: str | None) -> dict[str, WikiFacts]:
    """As the bot (``user`` None, every default) or as another account of the password file."""
    wiki.forget_logins()  # one cookie jar per process: never two accounts on one wiki at once
    if user is None:
        return {
            name: facts_api.wiki_facts(settings.wiki(name), request(settings, built, namespaces))
            for name, namespaces in NAMESPACES.items()
        }
    sites = {name: wiki.site_as(settings.wiki(name), user) for name in NAMESPACES}
    usage_from = [sites["devwiki"], sites["devwikidata"]]  # the wikis devcommons' globalimagelinks view covers
    return {
        name: facts_api.wiki_facts(
            settings.wiki(name), request(settings, built, namespaces), site=sites[name], usage_from=usage_from
        )
        for name, namespaces in NAMESPACES.items()
    }


def request(settings: Settings, built: Built, namespaces: tuple[int, ...]) -> FactRequest:
    return FactRequest(ASKED, (built.start, built.end), namespaces, settings.bot_username)


def ordered(facts: Iterable[RevisionFact | UserFact | UploadFact]) -> list[RevisionFact | UserFact | UploadFact]:
    return sorted(facts, key=repr)


def revisions(facts: dict[str, WikiFacts]) -> Iterator[RevisionFact]:
    for wiki_facts in facts.values():
        yield from wiki_facts.all_revisions


@pytest.fixture
def built(fresh_wikis: None) -> Iterator[Built]:
    """The scenario on fresh wikis. The farm lock is held shared meanwhile: a reset from another test run on these
    shared wikis waits until this test has read its facts."""
    with scenario.farm_lock_shared():
        start = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=1)
        time.sleep(max(0.0, (start - datetime.now(UTC)).total_seconds()))
        yield build(start)


def test_both_backends_read_the_same_facts_and_aggregate_to_the_stated_numbers(
    settings: Settings, built: Built
) -> None:
    by_replica = replica_facts(settings, built)
    by_admin = api_facts(settings, built, "Admin")  # has deletedhistory: sees deleted revisions (and hidden ones)
    by_bot = api_facts(settings, built, None)  # the bot's BotPassword has no deletedhistory grant
    for name in NAMESPACES:
        sql, api, bot = by_replica[name], by_admin[name], by_bot[name]
        assert ordered(api.revisions) == ordered(sql.revisions), name
        assert sql.deleted is not None and api.deleted is not None
        assert ordered(api.deleted) == ordered(sql.deleted), name
        assert ordered(api.users) == ordered(sql.users), name
        assert ordered(api.uploads) == ordered(sql.uploads), name
        assert bot.deleted is None, name  # unavailable: the caller says so
        assert (ordered(bot.revisions), ordered(bot.users), ordered(bot.uploads)) == (
            ordered(sql.revisions), ordered(sql.users), ordered(sql.uploads),
        )  # fmt: skip

    facts = list(revisions(by_replica))
    assert built.hidden_rev not in {fact.rev_id for fact in facts}
    assert {fact.username for fact in facts} == {"Bob", "Carol", "Nina"}  # no bot, IP, non-participant
    guadiana = [fact for fact in facts if fact.title == "Guadiana"]
    assert [(f.namespace, f.username, f.size, f.parent_size, f.parent_id) for f in guadiana] == [(0, "Bob", 60, 0, 0)]
    old_page = [fact for fact in facts if fact.title == "Old_page"]  # the parent is Mallory's, in the archive
    assert [(f.deleted, f.page_id, f.size, f.parent_size, f.creation) for f in old_page] == [(True, 0, 75, 70, False)]
    assert {(u.wiki, u.username) for f in by_replica.values() for u in f.users} == {
        ("devwiki", "Bob"), ("devwiki", "Carol"), ("devwiki", "Dave"), ("devwiki", "Nina"),
        ("devcommons", "Bob"), ("devcommons", "Carol"), ("devcommons", "Dave"),
        ("devwikidata", "Bob"), ("devwikidata", "Carol"), ("devwikidata", "Dave"),
    }  # fmt: skip
    (upload_rows,) = [f.uploads for f in by_replica.values() if f.uploads]
    assert sorted((u.username, u.file, u.usage) for u in upload_rows) == [
        ("Bob", "Unused.png", 0), ("Carol", "Ebro_map.png", 2),
    ]  # fmt: skip
    # The pages behind the usage, by database name and title (the talk page is not a use); views are stats.py's.
    assert {u.file: u.pages for u in upload_rows} == {
        "Unused.png": (), "Ebro_map.png": (UsingPage("devwiki", "Duero"), UsingPage("devwiki", "Ebro_basin")),
    }  # fmt: skip

    metrics = aggregate(
        participants=PARTICIPANTS,
        window=(built.start, built.end),
        timezone="UTC",
        now=built.end + timedelta(days=31, hours=1),
        revisions=facts,
        uploads=upload_rows,
        users=[u for f in by_replica.values() for u in f.users],
        lead_in_days=0,  # accounts made at install are older than the window: only Nina is new
    )
    assert metrics.by_wiki == {
        "devwiki": Counts(edits=7, edits_deleted=3, articles_edited=6, articles_created=4,
                          articles_created_deleted=1, bytes_added=50 + 25 + 80 + 60 + 19 + 45, bytes_removed=30),
        "devcommons": Counts(edits=3, articles_edited=2, articles_created=2, bytes_added=15 + 6,
                             uploads=2, uploads_in_use=1, upload_usage=2),
        "devwikidata": Counts(edits=2, articles_edited=1, articles_created=1, bytes_added=74 + 6),
    }  # fmt: skip
    assert metrics.total == Counts(
        edits=12, edits_deleted=3, articles_edited=9, articles_created=7, articles_created_deleted=1,
        bytes_added=279 + 21 + 80, bytes_removed=30, uploads=2, uploads_in_use=1, upload_usage=2,
    )  # fmt: skip
    assert metrics.by_participant["Bob"] == Counts(
        edits=5, edits_deleted=1, articles_edited=5, articles_created=4, articles_created_deleted=1,
        bytes_added=50 + 25 + 60 + 74 + 6, uploads=1,
    )  # fmt: skip
    assert metrics.by_participant["Carol"] == Counts(
        edits=6, edits_deleted=2, articles_edited=5, articles_created=2, bytes_added=80 + 19 + 15 + 6,
        bytes_removed=30, uploads=1, uploads_in_use=1, upload_usage=2,
    )  # fmt: skip
    assert metrics.by_participant["Nina"] == Counts(edits=1, articles_edited=1, articles_created=1, bytes_added=45)
    assert metrics.by_participant["Dave"] == Counts()
    assert metrics.participants == 4
    assert metrics.new_editors == ("Nina",)
    assert metrics.retention == (Retention(7, 2, 1), Retention(30, 1, 0))  # Nina and Carol; Carol


# --- without the wikis -----------------------------------------------------------------------------------------

START = datetime(2024, 1, 1, tzinfo=UTC)


def test_long_windows_and_long_lists_become_bounded_statements() -> None:
    window = (START, START + timedelta(days=200))
    assert list(facts_replica.slices(window)) == [
        (b"20240101000000", b"20240402000000"), (b"20240402000000", b"20240703000000"),
        (b"20240703000000", b"20240719000000"),
    ]  # fmt: skip
    assert [len(batch) for batch in facts_replica.batches(list(range(1200)))] == [500, 500, 200]
    assert facts_api.window_params("uc", window) == {
        "ucstart": "2024-01-01T00:00:00Z", "ucend": "2024-07-18T23:59:59Z", "ucdir": "newer",
    }  # fmt: skip


def test_sizes_of_creations_lost_parents_and_hidden_lengths() -> None:
    assert facts_replica.sizes(100, True, 80) == (100, 80)
    assert facts_replica.sizes(50, False, None) == (50, 0)  # a creation, or a parent nowhere to be found
    assert facts_replica.sizes(None, True, 80) == (80, 80)  # the text is hidden: no byte change
    assert facts_replica.sizes(100, True, None) == (100, 100)  # the parent's text is hidden: no byte change


def test_the_bot_is_never_asked_about() -> None:
    asked = FactRequest(("Carol", "ProgramsBot", "Bob", "Carol", ""), (START, START), (0,), "ProgramsBot")
    assert asked.participants == ("Bob", "Carol")
