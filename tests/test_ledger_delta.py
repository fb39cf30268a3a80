"""A ledger update's counts patched instead of counted again (bot/aggregate.py LedgerDelta, taken by bot/ledger.py
around its write): after every kind of change an update makes -- new rows, a page deleted (its rows under a new key),
a page moved (same id, new title), a creation deleted, a row removed, a participant's first row, a day and a wiki
emptied -- the patched numbers and the articles' order equal the five GROUP BYs over the whole ledger, on SQLite and
MariaDB. No dev wiki: the ledger is written as bot/ledger.py's warm path writes it (the changed rows only, marked, by
``ledger._record``), from rows made here.
"""

from __future__ import annotations

import copy
import itertools
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import aggregate as aggregate_module
from bot import ledger
from bot.aggregate import Counting, LedgerDelta, PageFilter, aggregate
from bot.metrics import Counts, ProgramMetrics, RevisionFact
from bot.store import LedgerState, Store

WIKIS = ("devwiki", "devcommons")
PEOPLE = ("Bob", "Carol", "Dan")
START, END = datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 3, 8, tzinfo=UTC)
TIMEZONE = "Europe/Madrid"  # 23:30 UTC is the next local day
SCOPES = {"devwiki": PageFilter(excluded=frozenset({(0, "Spam")})), "devcommons": PageFilter()}
_keys = itertools.count(1)


def counting(wiki: str) -> Counting:
    return Counting(frozenset(PEOPLE), (START, END), TIMEZONE, SCOPES[wiki])


def rev(wiki: str, rev_id: int, user: str, page: int, title: str, hours: float, size: int, parent: int = 0,
        parent_size: int = 0, *, namespace: int = 0, deleted: bool = False) -> RevisionFact:  # fmt: skip
    when = START + timedelta(hours=hours)
    return RevisionFact(wiki, rev_id, user, 0 if deleted else page, namespace, title, when, size, parent_size, parent,
                        deleted)  # fmt: skip


def deleted(fact: RevisionFact) -> RevisionFact:
    """The revision after its page was deleted: in the archive, under the title it had."""
    return replace(fact, page_id=0, deleted=True)


class Program:
    """One program's ledgers on WIKIS as the continuous job keeps them: this process wrote them (bot/ledger.py
    remembers the rows, a version of each, and the LedgerDelta of the write that made it), rows marked by its
    Counting. ``write`` makes a wiki's rows those given the way an update does: a recount the first time, then only
    the rows that differ written and the others removed, with the delta ``ledger._Pages`` and ``ledger._record``
    take around that write (None when the pages' rows are too many)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.key = f"devwiki:{next(_keys)}"
        self.rows: dict[str, list[RevisionFact]] = {}

    def write(self, wiki: str, rows: list[RevisionFact]) -> LedgerDelta | None:
        marks = counting(wiki)
        now = ledger._Index.of(ledger._ordered(rows))
        state = LedgerState("f" * 64, START, START, marks.fingerprint, uuid.uuid4().hex)
        entry = ledger._written.get(self.store, {}).get((self.key, wiki))
        delta = None
        if entry is None:
            self.store.record_ledger(self.key, wiki, state, upsert=rows, replace_all=True, days=marks.days(rows))
        else:
            upsert = [fact for fact in now.by_id.values() if entry.rows.by_id.get(fact.rev_id) != fact]
            gone = set(entry.rows.by_id) - set(now.by_id)
            pages = ledger._Pages.of(entry.version, entry.rows, now, marks, upsert, gone)
            delta = ledger._record(self.store, self.key, wiki, state, upsert=upsert, remove=sorted(gone),
                                   days=marks.days(upsert), pages=pages)  # fmt: skip
        revisions = ledger._ordered(rows)
        ledger._remember(self.store, self.key, wiki, state, revisions, ids=None, users=None, index=now, changed=True,
                         delta=delta)  # fmt: skip
        self.rows[wiki] = list(revisions)
        return delta

    def counted(self) -> ProgramMetrics:
        """What the bot publishes: aggregate() over the program's ledger with the versions (and deltas) this
        process wrote."""
        return self._aggregate(ledger.ref(self.store, self.key, WIKIS))

    def grouped_in_full(self) -> ProgramMetrics:
        """The five GROUP BYs over the whole ledger in the store, as a process that did not write it counts."""
        return self._aggregate(aggregate_module.LedgerRef(self.store, self.key))

    def _aggregate(self, ref: aggregate_module.LedgerRef) -> ProgramMetrics:
        """Every row handed over as bot/stats.py does: wiki by wiki, each wiki's live rows and then its deleted ones."""
        every = [self.rows.get(wiki, []) for wiki in WIKIS]
        facts = [fact for rows in every for part in (False, True) for fact in rows if fact.deleted == part]
        return aggregate(participants=PEOPLE, window=(START, END), timezone=TIMEZONE, now=END, revisions=facts,
                         scopes=SCOPES, ledger=ref)  # fmt: skip


@pytest.fixture
def full_counts(any_store: Store, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The dimensions the store counted over the whole ledger (``Store.ledger_counts`` without ``only``), and an
    update's pages never too many to patch (the ledgers here are small)."""
    calls: list[str] = []
    real = any_store.ledger_counts

    def spy(keys: Any, dimension: str, only: Any = None) -> Any:
        if only is None:
            calls.append(dimension)
        return real(keys, dimension, only)

    monkeypatch.setattr(any_store, "ledger_counts", spy)
    monkeypatch.setattr(ledger, "DELTA_SHARE", 100.0)
    return calls


def patched_equals_full(program: Program, calls: list[str], *, patched: bool = True) -> ProgramMetrics:
    """The numbers the bot publishes after a write, checked equal to the GROUP BYs over every row; ``patched``:
    reached without them."""
    calls.clear()
    published = program.counted()
    assert calls == ([] if patched else list(aggregate_module.DIMENSIONS))
    full = program.grouped_in_full()
    assert published == full
    assert list(published.by_article) == list(full.by_article)
    assert list(published.by_day) == list(full.by_day)
    return published


def test_each_kind_of_update_patches_the_counts_to_what_a_full_count_gives(
    any_store: Store, full_counts: list[str]
) -> None:
    program = Program(any_store)
    ebro = [
        rev("devwiki", 1, "Bob", 10, "Ebro", 1, 100),  # creates Ebro: +100, 1 March
        rev("devwiki", 2, "Bob", 10, "Ebro", 23.5, 120, 1, 100),  # +20, 23:30 UTC: 2 March in Madrid
    ]
    tajo = [rev("devwiki", 3, "Carol", 11, "Tajo", 30, 50)]  # creates Tajo: +50, 2 March
    spam = [rev("devwiki", 4, "Bob", 12, "Spam", 31, 5)]  # out of the scope: not counted
    outside = [rev("devwiki", 5, "Eve", 10, "Ebro", 32, 130, 2, 120)]  # not a participant
    upload = [rev("devcommons", 6, "Carol", 20, "Map.png", 100, 900, namespace=6)]  # 5 March
    program.write("devwiki", ebro + tajo + spam + outside)
    program.write("devcommons", upload)
    first = patched_equals_full(program, full_counts, patched=False)  # nothing counted yet
    published_first = copy.deepcopy(first)
    assert first.total == Counts(edits=4, articles_edited=3, articles_created=3, bytes_added=1070)
    assert list(first.by_article) == [("devwiki", 0, "Ebro"), ("devwiki", 0, "Tajo"), ("devcommons", 6, "Map.png")]
    assert [(day.day, counts.edits) for day, counts in first.by_day.items()] == [(1, 1), (2, 2), (5, 1)]

    # New rows: Carol shortens Ebro (-30, her first Ebro row), Bob creates Duero (+60).
    carol_ebro = rev("devwiki", 7, "Carol", 10, "Ebro", 60, 90, 2, 120)
    duero = [rev("devwiki", 8, "Bob", 13, "Duero", 61, 60)]
    devwiki = ebro + tajo + spam + outside + [carol_ebro] + duero
    assert program.write("devwiki", devwiki) is not None
    news = patched_equals_full(program, full_counts)
    assert news.total == Counts(edits=6, articles_edited=4, articles_created=4, bytes_added=1130, bytes_removed=30)
    assert news.by_participant["Carol"] == Counts(edits=3, articles_edited=3, articles_created=2, bytes_added=950,
                                                  bytes_removed=30)  # fmt: skip
    assert list(news.by_article) == [
        ("devwiki", 0, "Ebro"), ("devwiki", 0, "Tajo"), ("devwiki", 0, "Duero"), ("devcommons", 6, "Map.png"),
    ]  # fmt: skip

    # Tajo deleted: Carol's creation moves to the archive (a new key: namespace and title); no bytes, one deleted
    # page created, and Tajo leaves the articles.
    devwiki = ebro + [deleted(fact) for fact in tajo] + spam + outside + [carol_ebro] + duero
    program.write("devwiki", devwiki)
    gone = patched_equals_full(program, full_counts)
    assert gone.total == Counts(edits=5, edits_deleted=1, articles_edited=3, articles_created=3,
                                articles_created_deleted=1, bytes_added=1080, bytes_removed=30)  # fmt: skip
    assert ("devwiki", 0, "Tajo") not in gone.by_article

    # Ebro moved to Río_Ebro: same page id, every row's title changes; the article keeps its place.
    moved = [replace(fact, title="Río_Ebro") for fact in [*ebro, carol_ebro]]
    devwiki = moved[:2] + [deleted(fact) for fact in tajo] + spam + outside + moved[2:] + duero
    program.write("devwiki", devwiki)
    after_move = patched_equals_full(program, full_counts)
    assert list(after_move.by_article) == [
        ("devwiki", 0, "Río_Ebro"), ("devwiki", 0, "Duero"), ("devcommons", 6, "Map.png"),
    ]  # fmt: skip
    assert after_move.total == gone.total

    # A creation deleted (Duero), Carol's Ebro edit gone (its author hidden), Dan's first row (on Río_Ebro).
    dan = rev("devwiki", 9, "Dan", 10, "Río_Ebro", 70, 95, 7, 90)
    devwiki = moved[:2] + [deleted(fact) for fact in tajo + duero] + spam + outside + [dan]
    program.write("devwiki", devwiki)
    later = patched_equals_full(program, full_counts)
    assert later.total == Counts(edits=4, edits_deleted=2, articles_edited=2, articles_created=2,
                                 articles_created_deleted=2, bytes_added=1025)  # fmt: skip
    assert later.by_participant["Dan"] == Counts(edits=1, articles_edited=1, bytes_added=5)
    assert later.by_participant["Carol"] == Counts(edits=1, edits_deleted=1, articles_edited=1, articles_created=1,
                                                   articles_created_deleted=1, bytes_added=900)  # fmt: skip

    # devcommons emptied: its wiki, its day (5 March) and its article go.
    program.write("devcommons", [])
    emptied = patched_equals_full(program, full_counts)
    assert "devcommons" not in emptied.by_wiki
    assert [day.day for day in emptied.by_day] == [1, 2, 3]
    assert list(emptied.by_article) == [("devwiki", 0, "Río_Ebro")]

    # An update that carries no delta (too many rows on its pages, say) is counted in full, and the next one is
    # patched from that count again.
    program.write("devcommons", upload)
    entry = ledger._written[any_store][(program.key, "devcommons")]
    ledger._written[any_store][(program.key, "devcommons")] = replace(entry, delta=None)
    patched_equals_full(program, full_counts, patched=False)
    program.write("devwiki", [*devwiki, rev("devwiki", 10, "Bob", 14, "Miño", 120, 10)])
    assert list(patched_equals_full(program, full_counts).by_article) == [
        ("devwiki", 0, "Río_Ebro"), ("devwiki", 0, "Miño"), ("devcommons", 6, "Map.png"),
    ]  # fmt: skip
    assert first == published_first  # what was published stays as it was (the counts are patched in place)


def test_an_article_whose_first_revision_moves_is_put_back_in_order(any_store: Store, full_counts: list[str]) -> None:
    """The articles are listed in the order of their first counted revision: when that revision goes (hidden,
    say), the article moves back among the others."""
    program = Program(any_store)
    rows = [
        rev("devwiki", 1, "Bob", 10, "Ebro", 1, 100),
        rev("devwiki", 2, "Carol", 11, "Tajo", 2, 50),
        rev("devwiki", 3, "Bob", 12, "Duero", 3, 70),
        rev("devwiki", 4, "Carol", 10, "Ebro", 4, 110, 1, 100),
        rev("devwiki", 5, "Carol", 13, "Miño", 5, 30),
    ]
    program.write("devwiki", rows)
    program.write("devcommons", [])
    patched_equals_full(program, full_counts, patched=False)
    program.write("devwiki", rows[1:])  # Ebro's creation gone: Ebro now first reached at hour 4, after Duero
    after = patched_equals_full(program, full_counts)
    assert list(after.by_article) == [
        ("devwiki", 0, "Tajo"), ("devwiki", 0, "Duero"), ("devwiki", 0, "Ebro"), ("devwiki", 0, "Miño"),
    ]  # fmt: skip
    assert after.by_article[("devwiki", 0, "Ebro")] == Counts(edits=1, articles_edited=1, bytes_added=10)


def test_a_delta_is_taken_only_for_a_few_pages(any_store: Store, full_counts: list[str]) -> None:
    """With the ledger's share (DELTA_SHARE) at its real value, a change on a page holding most rows is counted in
    full instead."""
    program = Program(any_store)
    busy = [rev("devwiki", rev_id, "Bob", 10, "Ebro", rev_id, 100 + rev_id, rev_id - 1, 99 + rev_id)
            for rev_id in range(1, 21)]  # fmt: skip
    quiet = [rev("devwiki", 100 + page, "Carol", page, f"Page_{page}", 30, 10) for page in range(20, 40)]
    program.write("devwiki", busy + quiet)
    program.write("devcommons", [])
    patched_equals_full(program, full_counts, patched=False)
    more = rev("devwiki", 21, "Bob", 10, "Ebro", 25, 200, 20, 119)
    new_page = rev("devwiki", 200, "Dan", 50, "New", 40, 10)
    with pytest.MonkeyPatch.context() as real_share:
        real_share.setattr(ledger, "DELTA_SHARE", 0.25)
        assert program.write("devwiki", [*busy, more, *quiet]) is None  # Ebro's 21 rows are more than 41 / 4
        patched_equals_full(program, full_counts, patched=False)
        assert program.write("devwiki", [*busy, more, *quiet, new_page]) is not None
        patched_equals_full(program, full_counts)


# --- any sequence of updates ---------------------------------------------------------------------------------------

TITLES = ("Ebro", "Tajo", "Duero", "Spam", "Miño")


@st.composite
def updates(draw: st.DrawFn) -> list[tuple[str, list[RevisionFact]]]:
    """A first ledger and a few updates, each one wiki's rows after it: rows added (any author, in and out of the
    window), pages deleted, moved (new title or namespace, into and out of the scope), undeleted under a new id,
    rows removed or re-read with other sizes."""
    rev_ids = itertools.count(1)
    page_ids = itertools.count(10)
    pages: dict[str, dict[int, tuple[int, str]]] = {wiki: {} for wiki in WIKIS}
    rows: dict[str, list[RevisionFact]] = {wiki: [] for wiki in WIKIS}

    def new_row(wiki: str) -> RevisionFact:
        if pages[wiki] and draw(st.booleans()):
            page = draw(st.sampled_from(sorted(pages[wiki])))
            namespace, title = pages[wiki][page]
            earlier = [fact for fact in rows[wiki] if fact.page_id == page]
            parent, parent_size = (earlier[-1].rev_id, earlier[-1].size) if earlier else (0, 0)
        else:
            page, parent, parent_size = next(page_ids), 0, 0
            namespace, title = draw(st.sampled_from([0, 2])), draw(st.sampled_from(TITLES))
            pages[wiki][page] = (namespace, title)
        user = draw(st.sampled_from((*PEOPLE, "Eve")))
        hours = draw(st.sampled_from([-2, 0, 1, 22.5, 23.5, 47, 100, 167.5, 168, 170]))  # in, around, out
        return rev(wiki, next(rev_ids), user, page, title, hours, draw(st.integers(0, 300)), parent, parent_size,
                   namespace=namespace)  # fmt: skip

    def change(wiki: str) -> None:
        kind = draw(st.sampled_from(["add", "add", "delete", "move", "undelete", "remove", "reread"]))
        live = sorted({fact.page_id for fact in rows[wiki] if not fact.deleted})
        if kind == "add" or (kind in ("delete", "move") and not live) or not rows[wiki]:
            rows[wiki] += [new_row(wiki) for _ in range(draw(st.integers(1, 3)))]
        elif kind == "delete":
            page = draw(st.sampled_from(live))
            rows[wiki] = [deleted(fact) if fact.page_id == page else fact for fact in rows[wiki]]
            del pages[wiki][page]
        elif kind == "move":
            page = draw(st.sampled_from(live))
            pages[wiki][page] = (draw(st.sampled_from([0, 2])), draw(st.sampled_from(TITLES)))
            namespace, title = pages[wiki][page]
            rows[wiki] = [replace(fact, namespace=namespace, title=title) if fact.page_id == page else fact
                          for fact in rows[wiki]]  # fmt: skip
        elif kind == "undelete":
            gone = sorted({(fact.namespace, fact.title) for fact in rows[wiki] if fact.deleted})
            if gone:
                namespace, title = draw(st.sampled_from(gone))
                page = next(page_ids)
                pages[wiki][page] = (namespace, title)
                rows[wiki] = [replace(fact, page_id=page, deleted=False)
                              if fact.deleted and (fact.namespace, fact.title) == (namespace, title) else fact
                              for fact in rows[wiki]]  # fmt: skip
        elif kind == "remove":
            removed = draw(st.sampled_from(rows[wiki]))
            rows[wiki] = [fact for fact in rows[wiki] if fact != removed]
        else:
            again = draw(st.sampled_from(rows[wiki]))
            rows[wiki] = [replace(fact, size=fact.size + 7) if fact == again else fact for fact in rows[wiki]]

    for wiki in WIKIS:
        rows[wiki] = [new_row(wiki) for _ in range(draw(st.integers(0, 6)))]
    sequence = [(wiki, list(rows[wiki])) for wiki in WIKIS]
    for _ in range(draw(st.integers(1, 6))):
        wiki = draw(st.sampled_from(WIKIS))
        for _ in range(draw(st.integers(1, 3))):
            change(wiki)
        sequence.append((wiki, list(rows[wiki])))
    return sequence


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sequence=updates())
def test_any_sequence_of_updates_patches_to_a_full_count(
    any_store: Store, full_counts: list[str], sequence: list[tuple[str, list[RevisionFact]]]
) -> None:
    program = Program(any_store)
    for wiki, rows in sequence[: len(WIKIS)]:
        program.write(wiki, rows)
    program.counted()
    for wiki, rows in sequence[len(WIKIS) :]:
        ranked = set(aggregate_module._last_counts[any_store][program.key].ranks)
        assert program.write(wiki, rows) is not None
        full_counts.clear()
        published = program.counted()
        # Patched, unless a wiki that had no article gets one: its place among the wikis is a full count's.
        first_on_a_wiki = any(page[0] not in ranked for page in published.by_article)
        assert full_counts == (list(aggregate_module.DIMENSIONS) if first_on_a_wiki else [])
        full = program.grouped_in_full()
        assert published == full
        assert list(published.by_article) == list(full.by_article)
