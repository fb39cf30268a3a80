"""Issue 18, hashtag and change-tag scope (bot/hashtags.py) on the real dev wiki: a scripted October 2026 history
with participants' edits with and without the hashtag in the summary, a non-participant's hashtag edit, look-alikes
that are not the hashtag, and a tagged edit; counted by the bot's main job through the replica views, once for
"participants AND hashtag" and once for "anyone who used it"."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot.clock import utcnow
from bot.config import Settings
from bot.hashtags import carries, parse_marks, resume_point
from bot.ledger import REPLICATION_LAG
from bot.metrics import Counts
from bot.program import EditMarks, Message
from bot.replica import Replica
from bot.stats import program_metrics
from bot.store import ProgramSummary, Store
from bot.templates import install_templates
from bot.update import run_update
from devtools import scenario
from devtools.scenario import Revision
from devtools.wikiuser import WikiUser
from tests.programs import make_program, tick
from tests.test_scenario_tools import replica as replica_sql

TAG = "campaign-wikiday"


def test_parameters_as_organizers_write_them() -> None:
    hashtags = "#WikiDay, #8M\n#wikiday ; Mujeres_en_rojo, #no-such"
    marks, notes = parse_marks(hashtags, f"{TAG}, mobile edit", "cualquiera")
    assert marks == EditMarks(("wikiday", "8m", "mujeres_en_rojo"), (TAG, "mobile edit"), anyone=True)
    assert notes == (Message("problem-hashtag-invalid", ("#no-such",)),)
    assert parse_marks("", "", "anyone") == (EditMarks(), (Message("problem-hashtag-mode-without-hashtags"),))
    assert parse_marks("#x", "", "everybody")[1] == (Message("problem-hashtag-mode-unknown", ("everybody",)),)
    assert parse_marks("#x", "", "participantes") == (EditMarks(("x",)), ())
    program = make_program("{{Program|start=2026-03-01|end=2026-03-02|hashtags=#wikiday|hashtag_mode=anyone}}")
    assert program.definition.marks == EditMarks(("wikiday",), (), anyone=True)


def test_what_counts_as_the_hashtag_in_a_summary() -> None:
    marks = EditMarks(("wikiday", "día_del_río"))
    assert carries(marks, "New article #wikiday")
    assert carries(marks, "#WIKIDAY: start")
    assert carries(marks, "(#wikiday)")
    assert carries(marks, "para el #Día_del_río")
    assert not carries(marks, "#wikidays")  # another hashtag
    assert not carries(marks, "a#wikiday")  # inside a word
    assert not carries(marks, "&#wikiday;")  # part of a character reference
    assert not carries(marks, "wikiday")


HISTORY = [
    Revision("Ebro", 0, "Bob", "2026-10-02T10:00:00Z", "The Ebro river. " * 5, "New article #wikiday"),  # counts
    Revision("Ebro", 0, "Bob", "2026-10-03T10:00:00Z", "The Ebro river. " * 8, "More"),  # no hashtag
    Revision("Tajo", 0, "Carol", "2026-10-03T12:00:00Z", "The Tajo. " * 4, "Start (#WikiDay)"),  # counts
    Revision("Tajo", 0, "Carol", "2026-10-04T12:00:00Z", "The Tajo. " * 6, "a#wikiday and #wikidays"),  # neither
    Revision("Sil", 0, "Mallory", "2026-10-05T08:00:00Z", "The Sil. " * 3, "#wikiday"),  # not a participant
    Revision("Lago", 0, "Dave", "2026-10-05T09:00:00Z", "A lake. " * 3, "New"),
    Revision("Lago", 0, "Dave", "2026-10-06T09:00:00Z", "A lake. " * 5, "More"),  # tagged below: counts
    Revision("Ebro", 1, "Bob", "2026-10-06T10:00:00Z", "Talk.", "#wikiday"),  # Talk: not a tracked namespace
    Revision("Miño", 0, "Bob", "2026-10-12T10:00:00Z", "The Miño.", "#wikiday"),  # after the window
]


def program_page(name: str, extra: str, participants: tuple[str, ...]) -> str:
    signups = "".join(f"\n* {{{{Program sign-up|user={user}}}}}" for user in participants)
    return (
        f"{{{{Program|name={name}|start=2026-10-01|end=2026-10-10|organizers=Alice|hashtags=#wikiday|tags={TAG}"
        f"{extra}}}}}\n\n== Participants =={signups}\n"
    )


@pytest.fixture
def history(fresh_wikis: None, settings: Settings) -> None:
    install_templates(settings, settings.wiki("devwiki"))
    with scenario.farm_lock_shared():
        ids = scenario.import_revisions("devwiki", HISTORY)
    scenario.mwscript("devwiki", "addChangeTag.php", "--tag", TAG, "--reason", "Wikiday campaign")
    dave = WikiUser.on("devwiki", "Dave")
    dave.post(action="tag", revid=ids[6], add=TAG, reason="campaign", token=dave.csrf)
    alice = WikiUser.on("devwiki", "Alice")
    alice.edit("Project:Wikiday", program_page("Wikiday", "", ("Bob", "Carol", "Dave")))
    alice.edit("Project:Wikiday abierto", program_page("Wikiday abierto", "|hashtag_mode=cualquiera", ()))


def counts(store: Store, name: str, dimension: str) -> dict[str, Counts]:
    summary = next(p for p in store.programs() if p.name == name)
    return {value: found for value, found, _ in store.snapshot_counts(summary.key, str(summary.updated_at), dimension)}


@pytest.mark.usefixtures("history")
def test_participants_and_hashtag_or_anyone_with_it(settings: Settings, store: Store) -> None:
    results = run_update(settings, store, utcnow())
    assert all(result.ok for result in results)

    # Participants AND (hashtag or tag): Bob's and Carol's hashtag edits, Dave's tagged edit; nothing else.
    assert counts(store, "Wikiday", "total")[""] == Counts(
        edits=3, articles_edited=3, articles_created=2, bytes_added=80 + 40 + 16
    )
    assert {name: c.edits for name, c in counts(store, "Wikiday", "participant").items()} == {
        "Bob": 1, "Carol": 1, "Dave": 1,
    }  # fmt: skip
    assert sorted(counts(store, "Wikiday", "day")) == ["2026-10-02", "2026-10-03", "2026-10-06"]

    # Anyone: nobody signed up; everyone who used the hashtag or the tag, Mallory included.
    anyone = next(p for p in store.programs() if p.name == "Wikiday abierto")
    assert anyone.participants == 4
    assert counts(store, "Wikiday abierto", "total")[""] == Counts(
        edits=4, articles_edited=4, articles_created=3, bytes_added=80 + 40 + 27 + 16
    )
    assert {name: c.edits for name, c in counts(store, "Wikiday abierto", "participant").items()} == {
        "Bob": 1, "Carol": 1, "Dave": 1, "Mallory": 1,
    }  # fmt: skip

    # Without the ledger the replica backend counts the same; the API backend cannot read summaries, and says so.
    program = make_program(program_page("Wikiday", "", ()), ("Bob", "Carol", "Dave"))
    replica = Replica(settings.wiki("devwiki"), settings)
    try:
        metrics, notes = program_metrics(program, settings, {"devwiki": replica}, utcnow(), backend="replica")
        assert (metrics.total.edits, notes) == (3, ())
        metrics, notes = program_metrics(program, settings, {"devwiki": replica}, utcnow(), backend="api")
        assert metrics.total.edits == 0
        assert Message("problem-hashtags-unavailable", ("devwiki",)) in notes
    finally:
        replica.close()

    # The outcome states the hashtag scope in force.
    page = WikiUser.on("devwiki", "Alice").page_text("Project:Wikiday abierto") or ""
    assert f"|scope=all; hashtags: #wikiday; tags: {TAG}; hashtag_mode: anyone\n" in page
    assert "|participants=4\n|new_editors=0\n|edits=4\n" in page


@pytest.fixture
def campaign_now(fresh_wikis: None, settings: Settings) -> None:
    """A hashtag campaign on now (from three days ago to three days ahead) with two earlier hashtag edits."""
    install_templates(settings, settings.wiki("devwiki"))
    today = utcnow().replace(microsecond=0)
    with scenario.farm_lock_shared():
        scenario.import_revisions("devwiki", [
            Revision("Ebro", 0, "Bob", today - timedelta(days=2), "The Ebro. " * 3, "#wikiday"),
            Revision("Tajo", 0, "Carol", today - timedelta(days=1), "The Tajo. " * 3, "No hashtag"),
            Revision("Bot log", 0, "ProgramsBot", today - timedelta(days=1), "Log.", "#wikiday"),  # never counted
        ])  # fmt: skip
    start, end = (today.date() - timedelta(days=3)).isoformat(), (today.date() + timedelta(days=3)).isoformat()
    WikiUser.on("devwiki", "Alice").edit(
        "Project:Wikiday now",
        f"{{{{Program|name=Wikiday now|start={start}|end={end}|organizers=Alice|hashtags=#wikiday"
        "|hashtag_mode=anyone}}\n",
    )


@pytest.mark.usefixtures("campaign_now")
def test_a_hashtag_campaign_searches_each_revision_once_and_finds_new_users(settings: Settings, store: Store) -> None:
    run_update(settings, store, utcnow())
    summary = next(p for p in store.programs() if p.name == "Wikiday now")
    assert (summary.participants, summary.edits) == (1, 1)  # Bob
    kept = store.hashtag_search(summary.key, "devwiki")
    assert kept is not None and kept[2] == frozenset({"Bob"})
    # Searched up to the update's time: the next search starts there less the replication lag.
    assert abs(utcnow() - kept[1] - REPLICATION_LAG) < timedelta(minutes=5)

    # Carol now uses the hashtag: the next update's search (from the last one's end, less the replication lag)
    # finds her, and keeps Bob without reading his week again. (Searches end on whole seconds: the next one is
    # at least a second later, or the two could end on the same second.)
    WikiUser.on("devwiki", "Carol").edit("Tajo", appendtext=" More.", summary="Sources #WikiDay")
    while utcnow() - kept[1] - REPLICATION_LAG < timedelta(seconds=1.1):
        time.sleep(0.1)
    run_update(settings, store, tick(settings))
    summary = next(p for p in store.programs() if p.name == "Wikiday now")
    assert (summary.participants, summary.edits) == (2, 2)
    kept_again = store.hashtag_search(summary.key, "devwiki")
    assert kept_again is not None and kept_again[2] == frozenset({"Bob", "Carol"}) and kept_again[1] > kept[1]


def test_where_the_next_search_starts() -> None:
    """After a search of [start, end) that got to ``reached`` (bot.hashtags.resume_point), with a 10-minute lag."""
    lag, at = timedelta(minutes=10), datetime(2026, 10, 5, 12, 0, tzinfo=UTC)
    start = at - timedelta(days=2)
    assert resume_point(start, at, at, lag) == at - lag  # complete: the lag read again
    assert resume_point(start, at, at - timedelta(days=1), lag) == at - timedelta(days=1)  # stopped: from there
    assert resume_point(start, at, at - timedelta(minutes=3), lag) == at - lag  # stopped within the lag
    # More than the limit within the lag: on from the last one read rather than the same search again.
    assert resume_point(at - lag, at, at - timedelta(minutes=3), lag) == at - timedelta(minutes=3)
    # The whole limit in one second: the next second.
    assert resume_point(start, at, start, lag) == start + timedelta(seconds=1)


@pytest.mark.usefixtures("campaign_now")
def test_a_search_the_scan_limit_stops_goes_on_from_where_it_stopped(settings: Settings, store: Store) -> None:
    """A limit of 3 revisions: the first update reads Dave's three oldest edits of the window, tells the organizer
    how far it got and finds nobody; the second goes on from the last one it read (not rewound by the replication
    lag, not from the start) and finds Bob's hashtag; with the limit lifted the third reaches the update's time."""
    today = utcnow().replace(microsecond=0)
    with scenario.farm_lock_shared():
        scenario.import_revisions("devwiki", [
            Revision("Cinca", 0, "Dave", today - timedelta(days=2, hours=12 - n), "The Cinca. " * (n + 1), "Prose")
            for n in range(4)
        ])  # fmt: skip
    window_start = (today - timedelta(days=3)).strftime("%Y%m%d000000")  # the program's start, in UTC
    [(third,)] = replica_sql(
        "devwiki_p", "SELECT rev_timestamp FROM revision WHERE rev_timestamp >= %s ORDER BY rev_timestamp LIMIT 1 "
        "OFFSET 2", window_start,
    )  # fmt: skip
    assert third.decode() == (today - timedelta(days=2, hours=10)).strftime("%Y%m%d%H%M%S")  # Dave's third
    limited = replace(settings, hashtag_scan_revisions=3)

    def update(settings: Settings, ticks: int) -> tuple[ProgramSummary, datetime, list[Message]]:
        run_update(settings, store, tick(settings, ticks))
        summary = next(p for p in store.programs() if p.name == "Wikiday now")
        kept = store.hashtag_search(summary.key, "devwiki")
        assert kept is not None
        return summary, kept[1], [m for m in summary.messages if m.key == "problem-hashtag-search-capped"]

    summary, resume, capped = update(limited, 0)
    assert resume == today - timedelta(days=2, hours=10)
    assert [m.params[:2] for m in capped] == [("devwiki", "3")]
    assert summary.participants == 0

    summary, resume, capped = update(limited, 1)  # Dave's third and fourth, then Bob's
    [(bobs,)] = replica_sql(
        "devwiki_p", "SELECT rev_timestamp FROM revision_userindex JOIN actor_revision ON actor_id = rev_actor "
        "WHERE actor_name = 'Bob' AND rev_timestamp >= %s", window_start,
    )  # fmt: skip
    assert resume.strftime("%Y%m%d%H%M%S") == bobs.decode()
    assert capped and summary.participants == 1

    summary, resume, capped = update(settings, 2)
    assert not capped
    assert abs(utcnow() - resume - REPLICATION_LAG) < timedelta(minutes=5)
    assert (summary.participants, summary.edits) == (1, 1)  # Bob, as without a limit
