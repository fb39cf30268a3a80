"""The ledger (bot/ledger.py): a first update counts in full; a later one reads only what changed, and after a
deletion, a move into a tracked namespace, a suppression and new edits it holds exactly what a full recount holds.

Edits are real API edits on the dev wiki made now, inside a window around now (the ledger's reads are a matter of
real time). Sizes are chosen so every count below follows from the texts written here.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Collection
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot import facts_replica, ledger
from bot.aggregate import Counting, PageFilter, aggregate
from bot.config import Settings, StateConfig
from bot.facts_replica import FactRequest, WikiFacts
from bot.metrics import Counts, ProgramMetrics, RevisionFact, UserFact
from bot.replica import Replica, _int_lists
from bot.store import LedgerState, Store
from devtools import scenario
from devtools.scenario import WikiUser, utc

KEY = "devwiki:4242"


def request(participants: tuple[str, ...] = ("Bob", "Carol")) -> FactRequest:
    now = datetime.now(UTC).replace(microsecond=0)
    return FactRequest(
        usernames=participants,
        window=(now - timedelta(days=2), now + timedelta(days=5)),
        namespaces=(0,),
        bot_username="ProgramsBot",
    )


def counts(facts: WikiFacts, asked: FactRequest) -> Counts:
    return aggregate(
        participants=asked.participants,
        window=asked.window,
        timezone="UTC",
        now=datetime.now(UTC),
        revisions=facts.all_revisions,
    ).total


def rows(facts: WikiFacts) -> set[RevisionFact]:
    return set(facts.all_revisions)


def first_edits() -> tuple[WikiUser, WikiUser]:
    """What every test starts from: Bob creates Ebro (+100) and adds to it (+20); Carol creates Tajo (+50)."""
    bob, carol = WikiUser.on("devwiki", "Bob"), WikiUser.on("devwiki", "Carol")
    bob.edit("Ebro", "E" * 100, summary="new")  # creation, +100
    bob.edit("Ebro", "E" * 120, summary="more")  # +20
    carol.edit("Tajo", "T" * 50, summary="new")  # creation, +50
    return bob, carol


@pytest.mark.parametrize("busy_wiki", [False, True], ids=["by-time", "by-actor"])
def test_update_after_delete_move_suppress_equals_recount(
    fresh_wikis: None, settings: Settings, store: Store, busy_wiki: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``busy_wiki``: the wiki saved more since the last read than the range reads at once, so the new revisions
    are read by the participants' actors instead (ledger.WIKI_RANGE_ROWS); the results are the same."""
    if busy_wiki:
        monkeypatch.setattr(ledger, "WIKI_RANGE_ROWS", 1)
    bob, carol = first_edits()
    carol_edit = carol.edit("Tajo", "T" * 80, summary="more")  # +30, suppressed below
    bob.edit("User:Bob/Duero", "D" * 40, summary="draft")  # user space: not tracked until moved to main
    replica = Replica(settings.wiki("devwiki"), settings)
    asked = request()

    first, recounted = ledger.wiki_facts(replica, asked, "replica", store=store, program_key=KEY)
    assert recounted
    assert counts(first, asked) == Counts(
        edits=4, articles_edited=2, articles_created=2, bytes_added=200, bytes_removed=0
    )

    scenario.delete_page("devwiki", "Ebro", reason="test")
    scenario.move_page("devwiki", "User:Bob/Duero", "Duero", redirect=False)
    scenario.hide_author("devwiki", carol_edit, reason="test", suppress=True)
    bob.edit("Limia", "L" * 10, summary="new")  # a new revision since the first update: creation, +10

    second, recounted = ledger.wiki_facts(replica, asked, "replica", store=store, program_key=KEY)
    assert not recounted
    full = facts_replica.wiki_facts(replica, asked)
    assert rows(second) == rows(full)
    assert counts(second, asked) == counts(full, asked)
    # Ebro's two edits are now on a deleted page (no bytes); Duero (+40) and Limia (+10) are created articles in
    # main; Carol's suppressed edit is gone, her creation of Tajo (+50) stays.
    assert counts(second, asked) == Counts(
        edits=3,
        edits_deleted=2,
        articles_edited=3,
        articles_created=3,
        articles_created_deleted=1,
        bytes_added=100,
        bytes_removed=0,
    )
    # The ledger in the store is what the update returned: a third update with nothing new changes nothing, and
    # writes only the ledger's state (it re-reads the last minutes and the touched pages, finds the same facts, and
    # writes back only facts that differ; SQLite counts each row written).
    changes = store._connection.total_changes
    third, recounted = ledger.wiki_facts(replica, asked, "replica", store=store, program_key=KEY)
    assert not recounted and rows(third) == rows(second)
    assert store._connection.total_changes - changes == 1
    assert set(store.ledger_revisions(KEY, "devwiki")) == rows(second)


def test_recount_when_participants_change_or_after_a_day(fresh_wikis: None, settings: Settings, store: Store) -> None:
    WikiUser.on("devwiki", "Bob").edit("Ebro", "E" * 100, summary="new")
    WikiUser.on("devwiki", "Carol").edit("Tajo", "T" * 50, summary="new")
    replica = Replica(settings.wiki("devwiki"), settings)
    only_bob = request(("Bob",))

    facts, recounted = ledger.wiki_facts(replica, only_bob, "replica", store=store, program_key=KEY)
    assert recounted and {fact.username for fact in facts.all_revisions} == {"Bob"}

    both = request(("Bob", "Carol"))
    facts, recounted = ledger.wiki_facts(replica, both, "replica", store=store, program_key=KEY)
    assert recounted and {fact.username for fact in facts.all_revisions} == {"Bob", "Carol"}

    state = store.ledger_state(KEY, "devwiki")
    assert state is not None
    day_old = replace(state, recounted_at=state.recounted_at - ledger.RECOUNT_EVERY)
    store.record_ledger(KEY, "devwiki", day_old, upsert=[])
    _facts, recounted = ledger.wiki_facts(replica, both, "replica", store=store, program_key=KEY)
    assert recounted


def test_a_recount_runs_without_the_cyclic_collector(
    fresh_wikis: None, settings: Settings, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A recount reads, writes and counts its rows with the cyclic collector off (bot/bulk.py), an update with it
    on, and it is on again after either."""
    WikiUser.on("devwiki", "Bob").edit("Ebro", "E" * 100, summary="new")
    replica = Replica(settings.wiki("devwiki"), settings)
    asked = request(("Bob",))
    collecting: list[tuple[str, bool]] = []
    record, revisions = store.record_ledger, facts_replica.revisions

    def recorded(*args: Any, **kwargs: Any) -> None:
        collecting.append(("write", gc.isenabled()))
        record(*args, **kwargs)

    def read(*args: Any, **kwargs: Any) -> list[RevisionFact]:
        collecting.append(("read", gc.isenabled()))
        return revisions(*args, **kwargs)

    monkeypatch.setattr(store, "record_ledger", recorded)
    monkeypatch.setattr(facts_replica, "revisions", read)
    facts, recounted = ledger.wiki_facts(replica, asked, "replica", store=store, program_key=KEY)
    assert recounted and collecting == [("read", False), ("write", False)] and gc.isenabled()
    assert {fact.title for fact in facts.all_revisions} == {"Ebro"}

    collecting.clear()
    _facts, recounted = ledger.wiki_facts(replica, asked, "replica", store=store, program_key=KEY)
    assert not recounted and collecting == [("write", True)] and gc.isenabled()


def counted_through_ledger(facts: WikiFacts, asked: FactRequest, store: Store, scope: PageFilter) -> ProgramMetrics:
    """As bot/stats.py counts: aggregate() over the program's ledger, with the versions this process wrote."""
    return aggregate(
        participants=asked.participants,
        window=asked.window,
        timezone="UTC",
        now=datetime.now(UTC),
        revisions=facts.all_revisions,
        scopes={"devwiki": scope},
        ledger=ledger.ref(store, KEY, ["devwiki"]),
    )


def recounted_in_full(replica: Replica, asked: FactRequest, scope: PageFilter) -> ProgramMetrics:
    """The same numbers from a full read of the replicas and a scratch ledger: what the update must equal."""
    return aggregate(
        participants=asked.participants,
        window=asked.window,
        timezone="UTC",
        now=datetime.now(UTC),
        revisions=facts_replica.wiki_facts(replica, asked).all_revisions,
        scopes={"devwiki": scope},
    )


def test_update_with_nothing_new_writes_no_row_and_a_new_edit_is_counted(
    fresh_wikis: None, settings: Settings, store: Store
) -> None:
    _, carol = first_edits()
    replica = Replica(settings.wiki("devwiki"), settings)
    asked = request()
    everything = PageFilter()
    counting = Counting(frozenset(asked.participants), asked.window, "UTC", everything)

    first, recounted = ledger.wiki_facts(replica, asked, "replica", store=store, program_key=KEY, counting=counting)
    assert recounted
    version = ledger.ref(store, KEY, ["devwiki"]).generations
    assert version is not None
    before = counted_through_ledger(first, asked, store, everything)
    assert before.total == Counts(edits=3, articles_edited=2, articles_created=2, bytes_added=170)
    assert before == recounted_in_full(replica, asked, everything)

    # Nothing new: the update re-reads the last minutes and the touched pages, finds the same facts, and writes only
    # the ledger's state (SQLite counts each row written); its version stays, and the numbers are the same.
    changes = store._connection.total_changes
    second, recounted = ledger.wiki_facts(replica, asked, "replica", store=store, program_key=KEY, counting=counting)
    assert not recounted and rows(second) == rows(first)
    assert store._connection.total_changes - changes == 1
    assert ledger.ref(store, KEY, ["devwiki"]).generations == version
    assert counted_through_ledger(second, asked, store, everything) == before

    carol.edit("Tajo", "T" * 30, summary="less")  # -20
    third, recounted = ledger.wiki_facts(replica, asked, "replica", store=store, program_key=KEY, counting=counting)
    assert not recounted
    assert ledger.ref(store, KEY, ["devwiki"]).generations != version
    after = counted_through_ledger(third, asked, store, everything)
    assert after.total == Counts(edits=4, articles_edited=2, articles_created=2, bytes_added=170, bytes_removed=20)
    assert after == recounted_in_full(replica, asked, everything)
    assert set(store.ledger_revisions(KEY, "devwiki")) == rows(third)


def test_an_update_patches_the_last_counts_with_the_pages_it_wrote(
    fresh_wikis: None, settings: Settings, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The continuous job's usual update: aggregate() takes it into its last counts from the counts of the pages
    it wrote, before and after (bot/aggregate.py LedgerDelta), without a GROUP BY over the whole ledger; after a
    deletion, a move into the tracked namespace and a new edit the numbers and the articles' order are a recount's."""
    monkeypatch.setattr(ledger, "DELTA_SHARE", 100.0)  # the ledger here is a few rows: patch whatever the share
    bob, carol = first_edits()
    bob.edit("User:Bob/Duero", "D" * 40, summary="draft")  # user space: not tracked until moved to main
    replica = Replica(settings.wiki("devwiki"), settings)
    asked = request()
    everything = PageFilter()
    counting = Counting(frozenset(asked.participants), asked.window, "UTC", everything)
    first, _ = ledger.wiki_facts(replica, asked, "replica", store=store, program_key=KEY, counting=counting)
    assert counted_through_ledger(first, asked, store, everything).total == Counts(
        edits=3, articles_edited=2, articles_created=2, bytes_added=170
    )

    scenario.delete_page("devwiki", "Ebro", reason="test")
    scenario.move_page("devwiki", "User:Bob/Duero", "Duero", redirect=False)
    carol.edit("Tajo", "T" * 30, summary="less")  # -20
    second, recounted = ledger.wiki_facts(replica, asked, "replica", store=store, program_key=KEY, counting=counting)
    assert not recounted and [wiki for wiki, _delta in ledger.ref(store, KEY, ["devwiki"]).deltas] == ["devwiki"]
    in_full: list[str] = []
    real = store.ledger_counts

    def ledger_counts(keys: Collection[str], dimension: str, only: tuple[str, Collection[int]] | None = None) -> Any:
        if only is None:
            in_full.append(dimension)
        return real(keys, dimension, only)

    monkeypatch.setattr(store, "ledger_counts", ledger_counts)
    after = counted_through_ledger(second, asked, store, everything)
    assert in_full == []
    # Ebro's two edits are on a deleted page now; Duero (+40) is a created article in main; Tajo lost 20 bytes.
    assert after.total == Counts(edits=3, edits_deleted=2, articles_edited=2, articles_created=2,
                                 articles_created_deleted=1, bytes_added=90, bytes_removed=20)  # fmt: skip
    assert list(after.by_article) == [("devwiki", 0, "Tajo"), ("devwiki", 0, "Duero")]
    full = recounted_in_full(replica, asked, everything)
    assert after == full and list(after.by_article) == list(full.by_article)


def test_a_new_scope_marks_every_row_again_and_another_writer_is_noticed(
    fresh_wikis: None, settings: Settings, store: Store
) -> None:
    first_edits()
    replica = Replica(settings.wiki("devwiki"), settings)
    asked = request()
    people = frozenset(asked.participants)
    everything, ebro = PageFilter(), PageFilter(pages=frozenset({(0, "Ebro")}))
    first, _ = ledger.wiki_facts(
        replica, asked, "replica", store=store, program_key=KEY, counting=Counting(people, asked.window, "UTC")
    )
    assert counted_through_ledger(first, asked, store, everything).total.edits == 3

    # The scope now lists only Ebro (its category changed, say): no recount, every row marked again.
    only_ebro = Counting(people, asked.window, "UTC", ebro)
    second, recounted = ledger.wiki_facts(replica, asked, "replica", store=store, program_key=KEY, counting=only_ebro)
    assert not recounted
    narrowed = counted_through_ledger(second, asked, store, ebro)
    assert narrowed.total == Counts(edits=2, articles_edited=1, articles_created=1, bytes_added=120)
    assert narrowed == recounted_in_full(replica, asked, ebro)

    # Someone else (another worker) wrote the ledger since this process did, leaving the same state but for its
    # write token: its rows are read back, not taken from memory. Here every row is gone: the update finds them
    # again among the last minutes' revisions and writes them back.
    state = store.ledger_state(KEY, "devwiki")
    assert state is not None and state.written
    emptied = replace(state, written="another worker's write")
    store.record_ledger(KEY, "devwiki", emptied, upsert=[], remove=[fact.rev_id for fact in second.all_revisions])
    third, recounted = ledger.wiki_facts(replica, asked, "replica", store=store, program_key=KEY, counting=only_ebro)
    assert not recounted and rows(third) == rows(second)
    assert set(store.ledger_revisions(KEY, "devwiki")) == rows(second)
    assert counted_through_ledger(third, asked, store, ebro) == narrowed


def test_an_update_asks_only_for_the_news_and_the_users_who_made_them(
    fresh_wikis: None, settings: Settings, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    bob, carol = WikiUser.on("devwiki", "Bob"), WikiUser.on("devwiki", "Carol")
    bob.edit("Ebro", "E" * 100, summary="new")  # creation, +100
    carol.edit("Tajo", "T" * 50, summary="new")  # creation, +50
    replica = Replica(settings.wiki("devwiki"), settings)
    now = datetime.now(UTC).replace(microsecond=0)
    # The window closes a second from now: Bob's edit below falls after it (not counted, but his latest edit).
    asked = replace(request(), window=(now - timedelta(days=2), now + timedelta(seconds=1)))
    asked_actors: list[str] = []
    asked_users: list[tuple[str, ...]] = []
    real_actors, real_users = facts_replica.actors, facts_replica.users

    def actors(replica: Replica, request: FactRequest) -> dict[int, str]:
        asked_actors.extend(request.participants)
        return real_actors(replica, request)

    def users(replica: Replica, ids: dict[int, str], request: FactRequest) -> list[UserFact]:
        asked_users.append(tuple(sorted(ids.values())))
        return real_users(replica, ids, request)

    first, recounted = ledger.wiki_facts(replica, asked, "replica", store=store, program_key=KEY)
    assert recounted and counts(first, asked) == Counts(edits=2, articles_edited=2, articles_created=2, bytes_added=150)
    monkeypatch.setattr(facts_replica, "actors", actors)
    monkeypatch.setattr(facts_replica, "users", users)

    # Nothing new: no name looked up again, no user read again; the same rows and users.
    second, recounted = ledger.wiki_facts(replica, asked, "replica", store=store, program_key=KEY)
    assert not recounted and rows(second) == rows(first) and set(second.users) == set(first.users)
    assert asked_actors == [] and asked_users == []

    time.sleep(2)
    later = bob.edit("Ebro", "E" * 90, summary="after the window")
    [when] = [utc(rev["timestamp"]) for rev in bob.revisions("Ebro") if rev["revid"] == later]
    assert when >= asked.window[1]
    third, recounted = ledger.wiki_facts(replica, asked, "replica", store=store, program_key=KEY)
    assert not recounted and rows(third) == rows(first)  # outside the window: no row
    assert asked_actors == [] and asked_users == [("Bob",)]  # only Bob's latest edit can have moved
    latest = {user.username: user.last_edit for user in third.users}
    assert latest["Bob"] == when
    assert latest["Carol"] == {user.username: user.last_edit for user in first.users}["Carol"]
    full = facts_replica.wiki_facts(replica, asked)
    assert rows(third) == rows(full) and set(third.users) == set(full.users)


@pytest.mark.parametrize("engine", ["sqlite", "mysql"])
def test_ledger_counts_distinct_pages_per_wiki_and_deleted_titles(
    engine: str, tmp_path: object, mariadb_database: str
) -> None:
    config = (
        StateConfig(engine="sqlite", path=tmp_path / "state.sqlite3")  # type: ignore[operator]
        if engine == "sqlite"
        else StateConfig(engine="mysql", host="127.0.0.1", database=mariadb_database)
    )
    store = Store.open(config)
    when = datetime(2026, 3, 1, 12, 30, tzinfo=UTC)
    state = LedgerState("f" * 64, when, when, "c" * 64)

    def fact(wiki: str, rev: int, page: int, title: str, size: int, parent: int, deleted: bool = False) -> RevisionFact:
        return RevisionFact(wiki, rev, "Bob", page, 0, title, when, size, 0 if not parent else 10, parent, deleted)

    devwiki = [
        fact("devwiki", 1, 7, "Ebro", 100, 0),  # creates page 7: +100
        fact("devwiki", 2, 7, "Ebro", 5, 1),  # -5
        fact("devwiki", 3, 0, "Gone", 30, 0, deleted=True),  # created a page deleted since
        fact("devwiki", 4, 0, "Gone", 40, 3, deleted=True),
        fact("devwiki", 5, 0, "Other_gone", 20, 0, deleted=True),
    ]
    # The same page id and deleted title on another wiki are other pages.
    devcommons = [fact("devcommons", 1, 7, "Ebro", 50, 0), fact("devcommons", 9, 0, "Gone", 10, 0, deleted=True)]
    for wiki, facts in (("devwiki", devwiki), ("devcommons", devcommons)):
        days = {item.rev_id: "2026-03-01" for item in facts}
        store.record_ledger(KEY, wiki, state, upsert=facts, replace_all=True, days=days)
    [(_, total)] = store.ledger_counts([KEY], "total")
    assert total == Counts(
        edits=3,
        edits_deleted=4,
        articles_edited=2,
        articles_created=2,
        articles_created_deleted=3,
        bytes_added=150,
        bytes_removed=5,
    )
    by_wiki = dict(store.ledger_counts([KEY], "wiki"))
    assert by_wiki[("devwiki",)] == Counts(
        edits=2, edits_deleted=3, articles_edited=1, articles_created=1, articles_created_deleted=2, bytes_added=100,
        bytes_removed=5,
    )  # fmt: skip
    assert dict(store.ledger_counts([KEY], "article"))[("devcommons", 0, "Ebro")] == Counts(
        edits=1, articles_edited=1, articles_created=1, bytes_added=50
    )
    assert store.ledger_state(KEY, "devwiki") == state
    store.close()


@pytest.mark.parametrize("engine", ["sqlite", "mysql"])
def test_store_keeps_ledger_rows_and_state(engine: str, tmp_path: object, mariadb_database: str) -> None:
    config = (
        StateConfig(engine="sqlite", path=tmp_path / "state.sqlite3")  # type: ignore[operator]
        if engine == "sqlite"
        else StateConfig(engine="mysql", host="127.0.0.1", database=mariadb_database)
    )
    store = Store.open(config)
    when = datetime(2026, 3, 1, 12, 30, tzinfo=UTC)
    facts = [
        RevisionFact("devwiki", rev, "Bob", 7, 0, "Ebro", when + timedelta(minutes=rev), 10 * rev, 0, 0)
        for rev in range(1, 1201)
    ]
    state = LedgerState("f" * 64, when, when)
    store.record_ledger(KEY, "devwiki", state, upsert=facts, replace_all=True)
    assert store.ledger_revisions(KEY, "devwiki") == facts
    assert store.ledger_state(KEY, "devwiki") == state

    moved = replace(facts[0], namespace=2, title="Bob/Ebro", deleted=True, page_id=0)
    later = replace(state, read_until=when + timedelta(hours=1))
    store.record_ledger(KEY, "devwiki", later, upsert=[moved], remove=[2, 3])
    kept = store.ledger_revisions(KEY, "devwiki")
    assert len(kept) == 1198 and moved in kept and {2, 3}.isdisjoint(fact.rev_id for fact in kept)
    assert store.ledger_state(KEY, "devwiki") == later
    assert store.ledger_revisions("other", "devwiki") == [] and store.ledger_state(KEY, "devcommons") is None
    store.close()


def test_mediawiki_timestamps_are_read_without_strptime_and_checked() -> None:
    assert facts_replica.from_mw_timestamp(b"20240229235959") == datetime(2024, 2, 29, 23, 59, 59, tzinfo=UTC)
    assert facts_replica.from_mw_timestamp("20260101000000") == datetime(2026, 1, 1, tzinfo=UTC)
    # The same day again comes from the day cache, the time still its own.
    assert facts_replica.from_mw_timestamp(b"20240229000001") == datetime(2024, 2, 29, 0, 0, 1, tzinfo=UTC)
    for bad in (b"2024022923595", b"20240229240000", b"20240229236000", b"20230229000000", b"2024-02-29T00:00"):
        with pytest.raises(ValueError, match="not a MediaWiki timestamp"):
            facts_replica.from_mw_timestamp(bad)


def page_touched(replica: Replica, page_id: int) -> str:
    [(_page, touched)] = replica.query("stats/page_touched", {"page_ids": [page_id]})
    return facts_replica.text(touched)


def newest_time(user: WikiUser, title: str) -> str:
    """The MediaWiki timestamp of the page's newest revision, hidden author or not (the API's own history)."""
    return facts_replica.text(facts_replica.mw_timestamp(utc(user.revisions(title)[-1]["timestamp"])))


def test_page_touched_is_the_time_of_an_edit_and_later_after_other_events(
    fresh_wikis: None, settings: Settings
) -> None:
    """What bot/ledger.py relies on to skip a touched page: an edit sets page_touched to its revision's time; a
    revision deletion, a suppression and a purge move it past the newest revision (a second apart here: within the
    same second page_touched stays); a move sets it to its null revision's time (moves are logged)."""
    replica = Replica(settings.wiki("devwiki"), settings)
    bob, admin = WikiUser.on("devwiki", "Bob"), WikiUser.on("devwiki", "Admin")
    first = bob.edit("Ebro", "E" * 100, summary="new")
    bob.edit("Ebro", "E" * 120, summary="more")
    page_id, _history = scenario.page_history("devwiki", "Ebro")
    WikiUser.on("devwiki", "Carol").edit("Tajo", "T", summary="elsewhere")  # the job queue runs after a request
    assert page_touched(replica, page_id) == newest_time(bob, "Ebro")

    time.sleep(1.1)
    scenario.hide_author("devwiki", first, reason="test")  # a revision deletion (logged)
    assert page_touched(replica, page_id) > newest_time(bob, "Ebro")
    third = bob.edit("Ebro", "E" * 130, summary="again")  # an edit after it: its time again
    assert page_touched(replica, page_id) == newest_time(bob, "Ebro")

    time.sleep(1.1)
    scenario.hide_author("devwiki", third, reason="test", suppress=True)  # no log on the replicas
    assert page_touched(replica, page_id) > newest_time(bob, "Ebro")

    time.sleep(1.1)
    scenario.move_page("devwiki", "Ebro", "Ebro river", redirect=False)
    [*_older, moved] = bob.revisions("Ebro river")
    assert moved["revid"] > third and page_touched(replica, page_id) == newest_time(bob, "Ebro river")

    time.sleep(1.1)
    admin.post(action="purge", titles="Ebro river")
    assert page_touched(replica, page_id) > newest_time(bob, "Ebro river")


@pytest.mark.parametrize("busy_wiki", [False, True], ids=["by-time", "by-actor"])
def test_an_explained_touch_is_not_read_again_and_an_unexplained_one_is(
    fresh_wikis: None, settings: Settings, store: Store, monkeypatch: pytest.MonkeyPatch, busy_wiki: bool
) -> None:
    """Someone else's edit touches Ebro: that edit is Ebro's newest revision, Bob's rows on it are not asked for
    again (on a busy wiki, read by the participants' actors, only their own edits are seen and explain a touch). A
    purge touches Tajo after its newest revision (as a suppression would): Carol's row on it is. A page whose
    newest revision is hidden is never explained, even when its page_touched is that revision's time (a
    suppression within the second of the edits before it leaves page_touched as it was): read by time, the
    revision is seen hidden; by actor, it is not seen, and is the page's page_latest."""
    if busy_wiki:
        monkeypatch.setattr(ledger, "WIKI_RANGE_ROWS", 1)
    first_edits()
    replica = Replica(settings.wiki("devwiki"), settings)
    asked = request()
    first, recounted = ledger.wiki_facts(replica, asked, "replica", store=store, program_key=KEY)
    assert recounted
    pages = {fact.title: fact.page_id for fact in first.all_revisions}
    [tajo] = [fact.rev_id for fact in first.all_revisions if fact.title == "Tajo"]
    ebro = sorted(fact.rev_id for fact in first.all_revisions if fact.title == "Ebro")
    asked_revs: list[int] = []
    real_reread = facts_replica.reread

    def reread(replica: Replica, ids: dict[int, str], request: FactRequest, **kinds: Any) -> list[RevisionFact]:
        asked_revs.extend(kinds.get("revs", ()))
        return real_reread(replica, ids, request, **kinds)

    monkeypatch.setattr(facts_replica, "reread", reread)

    # Both pages touched only by the edits the update sees (all within its REPLICATION_LAG): nothing asked again.
    second, recounted = ledger.wiki_facts(replica, asked, "replica", store=store, program_key=KEY)
    assert not recounted and rows(second) == rows(first) and asked_revs == []

    time.sleep(1.1)  # the purge a second after Tajo's creation, or page_touched would stay at its time
    admin = WikiUser.on("devwiki", "Admin")
    admin.edit("Ebro", "E" * 150, summary="not a participant")
    admin.post(action="purge", titles="Tajo")
    third, recounted = ledger.wiki_facts(replica, asked, "replica", store=store, program_key=KEY)
    assert not recounted and sorted(asked_revs) == ([*ebro, tajo] if busy_wiki else [tajo])
    full = facts_replica.wiki_facts(replica, asked)
    assert rows(third) == rows(full) == rows(first)

    hidden = WikiUser.on("devwiki", "Carol").edit("Tajo", "T" * 60, summary="hidden below")
    scenario.hide_author("devwiki", hidden, reason="test", suppress=True)
    since = datetime.now(UTC) - ledger.REPLICATION_LAG
    _found, _actors, newest = ledger._new_revisions(replica, facts_replica.actors(replica, asked), since)
    if busy_wiki:
        touch = ledger._touched_pages(replica, [pages["Tajo"]], since)[pages["Tajo"]]
        assert newest[pages["Tajo"]][1] == tajo and touch is not None and touch[1] == hidden
    else:
        assert pages["Ebro"] in newest and pages["Tajo"] not in newest
    asked_revs.clear()
    fourth, recounted = ledger.wiki_facts(replica, asked, "replica", store=store, program_key=KEY)
    assert not recounted and sorted(asked_revs) == ([*ebro, tajo] if busy_wiki else [tajo])  # Ebro: as above
    assert rows(fourth) == rows(facts_replica.wiki_facts(replica, asked)) == rows(first)


def test_an_index_patched_is_the_index_built_again() -> None:
    """ledger._Index.patched (an update's changed rows) gives the rows, order and index _Index.of gives."""
    when = datetime(2026, 3, 1, 12, tzinfo=UTC)

    def fact(rev: int, page: int, title: str, minutes: int, deleted: bool = False) -> RevisionFact:
        at = when + timedelta(minutes=minutes)
        return RevisionFact("devwiki", rev, "Bob", 0 if deleted else page, 0, title, at, 10, 5, rev - 1, deleted)

    rows = ledger._ordered(
        [fact(rev, 1 + rev % 3, f"P{rev % 3}", rev) for rev in range(1, 40)] + [fact(50, 0, "Gone", 7, deleted=True)]
    )
    index = ledger._Index.of(rows)
    by_id = index.by_id
    changes = [
        fact(60, 1, "P0", 100),  # new, the newest
        fact(61, 9, "P9", 3),  # new, in the middle: a page the ledger did not have
        fact(5, 0, "P2", 5, deleted=True),  # its page deleted
        replace(by_id[8], page_id=4, title="Moved"),  # moved with its page
        replace(by_id[50], page_id=3, title="P0", deleted=False),  # undeleted
    ]
    gone = [by_id[rev] for rev in range(1, 40, 3)] + [by_id[2], by_id[33]]  # page 2 emptied
    replaced = gone + [by_id[change.rev_id] for change in changes if change.rev_id in by_id]
    patched_rows, patched = index.patched(rows, replaced, changes)

    kept = {fact.rev_id: fact for fact in rows if fact not in gone} | {fact.rev_id: fact for fact in changes}
    expected = ledger._ordered(kept.values())
    rebuilt = ledger._Index.of(expected)
    assert patched_rows == expected
    assert (patched.by_id, patched.live, patched.deleted) == (rebuilt.by_id, rebuilt.live, rebuilt.deleted)
    assert 2 not in patched.pages and 2 in index.pages
    for mine, theirs in ((patched.pages, rebuilt.pages), (patched.titles, rebuilt.titles)):
        assert {key: sorted(ids) for key, ids in mine.items()} == {key: sorted(ids) for key, ids in theirs.items()}
    again = ledger._Index.of(rows)  # the index patched is left as it was
    assert (index.by_id, index.pages, index.titles, index.live) == (again.by_id, again.pages, again.titles, again.live)


def test_a_list_of_integers_is_written_into_the_statement_and_text_is_left_to_pymysql(
    wikis_up: None, settings: Settings
) -> None:
    statement = "SELECT 1 WHERE a IN %(ids)s AND b IN %(names)s AND c = %(one)s"
    sent, bound = _int_lists(statement, {"ids": [3, 1, 2], "names": ("1", "x'"), "one": 5})
    assert sent == "SELECT 1 WHERE a IN (3,1,2) AND b IN %(names)s AND c = %(one)s"
    assert bound == {"names": ("1", "x'"), "one": 5}
    for not_all_ints in ([1, "2"], [1.5], [(0, "Ebro")], [2**64]):
        assert _int_lists(statement, {"ids": not_all_ints})[1] == {"ids": not_all_ints}
    # Through the real replica: the statement runs, an id of a page there found, the others not.
    WikiUser.on("devwiki", "Bob").edit("Ebro", "E", summary="new")
    page_id, _history = scenario.page_history("devwiki", "Ebro")
    replica = Replica(settings.wiki("devwiki"), settings)
    [(found, _touched)] = replica.query("stats/page_touched", {"page_ids": (page_id, 0, page_id + 10_000)})
    assert found == page_id
