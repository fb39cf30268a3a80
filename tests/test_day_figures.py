"""Per-day figures for every metric (metrics.md, "Breakdowns"): words, references and Wikidata counts by the
program's local day, page views by UTC day from the store's cache; kept with each snapshot (table snapshot_day) on
SQLite and MariaDB, pruned with it, and published in the ``days`` download. No wiki is asked: revisions are facts
built here, their texts and views come from the store's caches or from a stand-in fetcher."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from bot import exports
from bot.aggregate import aggregate, day_figures
from bot.config import Settings, StateConfig
from bot.metrics import DayFigures, ProgramMetrics, RevisionFact, UploadFact, WikidataCounts
from bot.page_views import count_page_views, first_edit_days
from bot.pageviews import PageviewsClient
from bot.program import Message, Program
from bot.stats import _with_content_metrics
from bot.store import Store
from bot.wikidata_diff import wikidata_metrics
from tests.programs import make_program

ZONE = "Asia/Kolkata"  # UTC+05:30: a local day starts at 18:30 UTC the day before
PROGRAM = make_program(
    f"{{{{Program|name=Rivers|start=2026-03-01|end=2026-03-10|timezone={ZONE}|wikis=devwiki}}}}", ("Bob", "Carol")
)
SECRET = make_program(
    f"{{{{Program|name=Secret|start=2026-03-01|end=2026-03-10|timezone={ZONE}|wikis=devwiki|private=yes}}}}",
    ("Bob", "Carol"),
    page_id=6,
)
NOW = datetime(2026, 3, 15, 6, 0, tzinfo=UTC)  # today (UTC) 15 March: page views through 14 March
PROJECT = "dev.wikipedia"
D = date(2026, 3, 1)


def utc(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


def revision(
    wiki: str,
    rev_id: int,
    user: str,
    page_id: int,
    title: str,
    when: datetime,
    *,
    parent_id: int | None = None,
    deleted: bool = False,
) -> RevisionFact:
    """A revision of 100 bytes over a parent of 50 (parent: the revision before, unless given; 0 for a creation)."""
    parent = rev_id - 1 if parent_id is None else parent_id
    return RevisionFact(wiki, rev_id, user, page_id, 0, title, when, 100, 50, parent, deleted)


FACTS = [
    # 28 Feb 19:00 UTC is 1 March 00:30 in Kolkata: a local 1 March edit (but a UTC 28 February page-view day).
    revision("devwiki", 1, "Bob", 7, "Ebro", utc(28, 19, month=2), parent_id=0),
    revision("devwiki", 2, "Bob", 7, "Ebro", utc(1, 10)),  # 1 March 15:30 local
    revision("devwiki", 3, "Carol", 8, "Tajo", utc(1, 18, 45), parent_id=0),  # 2 March 00:15 local
    revision("devwiki", 4, "Carol", 0, "Gone", utc(2, 5), deleted=True),  # deleted since: no words
    # The same revision id on another wiki: its figures are that wiki's, not devwiki's revision 2's.
    revision("devwikidata", 2, "Bob", 9, "Q1", utc(3, 5)),
]
UPLOADS = [UploadFact("devcommons", "Carol", "Map.png", utc(4, 5), usage=1)]  # 4 March local: counts only
CONTENT = {("devwiki", 1): (12, 2, 0), ("devwiki", 2): (5, 0, 1), ("devwiki", 3): (30, 3, 0)}
WIKIDATA = {("devwikidata", 2): WikidataCounts(claims_added=2, labels_added=1)}


def counted_metrics() -> ProgramMetrics:
    return aggregate(participants=PROGRAM.confirmed, window=PROGRAM.window, timezone=ZONE, now=NOW,
                     revisions=FACTS, uploads=UPLOADS)  # fmt: skip


def test_words_references_and_wikidata_by_local_day_page_views_by_their_day() -> None:
    metrics = counted_metrics()
    assert list(metrics.by_day) == [D, D + timedelta(1), D + timedelta(2), D + timedelta(3)]
    views = {date(2026, 3, 1): 40, date(2026, 3, 2): 0, date(2026, 3, 12): 7}
    figures = day_figures(FACTS, ZONE, days=metrics.by_day, content=CONTENT, wikidata=WIKIDATA, page_views=views)
    none = WikidataCounts()
    assert figures == {
        date(2026, 3, 1): DayFigures(words_added=17, references_added=2, references_removed=1, page_views=40,
                                     wikidata=none),
        date(2026, 3, 2): DayFigures(words_added=30, references_added=3, references_removed=0, page_views=0,
                                     wikidata=none),
        date(2026, 3, 3): DayFigures(words_added=0, references_added=0, references_removed=0, page_views=0,
                                     wikidata=WikidataCounts(claims_added=2, labels_added=1)),
        date(2026, 3, 4): DayFigures(words_added=0, references_added=0, references_removed=0, page_views=0,
                                     wikidata=none),
        # Views after the program: a day of its own (page-view days are UTC days, taken as they are).
        date(2026, 3, 12): DayFigures(words_added=0, references_added=0, references_removed=0, page_views=7,
                                      wikidata=none),
    }  # fmt: skip
    assert sum(f.words_added or 0 for f in figures.values()) == 47

    # A program without content, Wikidata or page views: None every day, as for its totals.
    bare = day_figures(FACTS, ZONE, days=metrics.by_day)
    assert list(bare) == list(metrics.by_day)
    assert set(bare.values()) == {DayFigures()}


def entity(**parts: object) -> str:
    return json.dumps({"type": "item", "id": "Q1", **parts})


LABEL = {"en": {"language": "en", "value": "Ebro"}}
REFERENCE = {"snaks": {"P143": [{"snaktype": "value", "property": "P143", "datavalue": {"value": "enwiki"}}]}}


def claim(references: list[object]) -> dict[str, object]:
    snak = {"snaktype": "value", "property": "P31", "datavalue": {"value": {"id": "Q4022"}}}
    return {"P31": [{"id": "Q1$a", "mainsnak": snak, "rank": "normal", "references": references}]}


TEXTS = {
    10: entity(labels=LABEL, claims=claim([REFERENCE])),
    11: entity(labels=LABEL, descriptions={"en": {"language": "en", "value": "river"}}, claims=claim([REFERENCE])),
    12: entity(labels={"en": {"language": "en", "value": "Ebro river"}},
               descriptions={"en": {"language": "en", "value": "river"}}, claims=claim([])),
    13: json.dumps({"entity": "Q1", "redirect": "Q2"}),
}  # fmt: skip


def test_wikidata_counts_per_local_day_from_each_revisions_diff() -> None:
    facts = [
        revision("devwikidata", 10, "Bob", 9, "Q1", utc(1, 20), parent_id=0),  # 2 March 01:30 local: creation
        revision("devwikidata", 11, "Bob", 9, "Q1", utc(2, 10), parent_id=10),  # 2 March: a description
        revision("devwikidata", 12, "Carol", 9, "Q1", utc(2, 19), parent_id=11),  # 3 March 00:30: label, reference
        revision("devwikidata", 13, "Carol", 9, "Q1", utc(3, 5), parent_id=12),  # 3 March: redirect
    ]

    def fetch(ids: Iterable[int]) -> Mapping[int, str | None]:
        return {rev_id: TEXTS.get(rev_id) for rev_id in ids}

    found = wikidata_metrics(facts, fetch)
    by_revision = {("devwikidata", rev): diff.counts() for rev, diff in found.by_revision.items()}
    figures = day_figures(facts, ZONE, wikidata=by_revision)
    assert {day: f.wikidata for day, f in figures.items()} == {
        date(2026, 3, 2): WikidataCounts(items_created=1, labels_added=1, claims_added=1, references_added=1,
                                         descriptions_added=1),
        date(2026, 3, 3): WikidataCounts(labels_changed=1, references_removed=1, redirects=1),
    }  # fmt: skip
    assert found.total.counts() == WikidataCounts(
        items_created=1, labels_added=1, claims_added=1, references_added=1, descriptions_added=1, labels_changed=1,
        references_removed=1, redirects=1,
    )  # fmt: skip
    assert {f.words_added for f in figures.values()} == {None}


def days_between(first: date, last: date, views: Mapping[date, int]) -> dict[date, int]:
    """Every day of a fetched range, as the Pageviews client returns it (0 where there were none)."""
    return {first + timedelta(n): views.get(first + timedelta(n), 0) for n in range((last - first).days + 1)}


def fill_view_cache(store: Store) -> None:
    """Views already fetched through yesterday (14 March), so counting asks the API nothing."""
    store.record_views(PROJECT, "Ebro", days_between(date(2026, 2, 20), date(2026, 3, 14), {
        date(2026, 2, 27): 100,  # before the first counted edit's UTC day (28 February): not counted
        date(2026, 2, 28): 5, date(2026, 3, 1): 10, date(2026, 3, 5): 7, date(2026, 3, 14): 3,
    }))  # fmt: skip
    store.record_views(PROJECT, "Tajo", days_between(date(2026, 3, 1), date(2026, 3, 14), {
        date(2026, 3, 1): 4, date(2026, 3, 5): 1, date(2026, 3, 13): 6, date(2026, 3, 14): 2,
    }))  # fmt: skip


def unreachable_client(max_days: int = 365) -> PageviewsClient:
    """Nothing answers here: a request would fail the test."""
    return PageviewsClient("http://127.0.0.1:9/api/rest_v1", retries=0, timeout=1, max_days=max_days)


def test_page_views_per_utc_day_from_the_store_cache(store: Store) -> None:
    fill_view_cache(store)
    # Capped at 10 days: Ebro (first edited 28 February, UTC) counts through 9 March, Tajo (1 March) through 10 March.
    client = unreachable_client(max_days=10)
    first_days = first_edit_days(fact for fact in FACTS if fact.wiki == "devwiki")
    views = count_page_views(client, PROJECT, first_days, today=NOW.date(), cache=store)
    assert client.requests_made == 0
    assert views.by_article == {"Ebro": 5 + 10 + 7, "Tajo": 4 + 1}
    assert views.by_day == {date(2026, 2, 28): 5, date(2026, 3, 1): 10 + 4, date(2026, 3, 5): 7 + 1}
    assert sum(views.by_day.values()) == views.total == 27
    assert store.views_by_day(PROJECT, "Tajo", date(2026, 3, 5), date(2026, 3, 13)) == {
        date(2026, 3, 5): 1, date(2026, 3, 13): 6,
    }  # fmt: skip


def content_settings(settings: Settings) -> Settings:
    """devwiki with page views and without deletion alerts (alerts would ask the wiki; they have no days anyway)."""
    devwiki = replace(settings.wiki("devwiki"), pageviews_project=PROJECT, deletion_categories=(),
                      deletion_discussion_prefixes=())  # fmt: skip
    return replace(settings, wikis={**settings.wikis, "devwiki": devwiki})


EXPECTED_DAYS = {
    # 28 February is only a page-view day (UTC) of the edit made 1 March 00:30 local.
    date(2026, 2, 28): DayFigures(words_added=0, references_added=0, references_removed=0, page_views=5),
    date(2026, 3, 1): DayFigures(words_added=17, references_added=2, references_removed=1, page_views=14),
    date(2026, 3, 2): DayFigures(words_added=30, references_added=3, references_removed=0, page_views=0),
    date(2026, 3, 3): DayFigures(words_added=0, references_added=0, references_removed=0, page_views=0),
    date(2026, 3, 4): DayFigures(words_added=0, references_added=0, references_removed=0, page_views=0),
    date(2026, 3, 5): DayFigures(words_added=0, references_added=0, references_removed=0, page_views=8),
    date(2026, 3, 13): DayFigures(words_added=0, references_added=0, references_removed=0, page_views=6),
    date(2026, 3, 14): DayFigures(words_added=0, references_added=0, references_removed=0, page_views=5),
}


def full_metrics(program: Program, settings: Settings, store: Store) -> ProgramMetrics:
    """The stats engine's content step on cached revisions and views: what an update stores."""
    store.record_revision_content("devwiki", {rev: counts for (_wiki, rev), counts in CONTENT.items()})
    fill_view_cache(store)
    counted = [fact for fact in FACTS if fact.wiki == "devwiki"]
    notes: list[Message] = []
    metrics = _with_content_metrics(counted_metrics(), counted, program, content_settings(settings), {}, NOW,
                                    None, notes, store)  # fmt: skip
    assert notes == []
    return metrics


def test_the_stats_engine_sums_cached_figures_by_day(settings: Settings, store: Store) -> None:
    metrics = full_metrics(PROGRAM, settings, store)
    assert metrics.day_figures == EXPECTED_DAYS
    assert (metrics.words_added, metrics.references_added, metrics.references_removed) == (47, 5, 1)
    assert metrics.page_views == sum(f.page_views or 0 for f in metrics.day_figures.values()) == 38


def with_figures(figures: dict[date, DayFigures]) -> ProgramMetrics:
    return replace(counted_metrics(), day_figures=figures)


FIGURES = {
    date(2026, 3, 1): DayFigures(17, 2, 1, 14, WikidataCounts(claims_added=2, redirects=1)),
    date(2026, 3, 2): DayFigures(30, 3, 0, None, WikidataCounts()),
    date(2026, 3, 12): DayFigures(None, None, None, 2_500_000_000, None),  # beyond a 32-bit integer
}


def round_trip(store: Store) -> None:
    first, second = utc(5, 0), utc(6, 0)
    store.record_program(PROGRAM)
    store.record_snapshot(PROGRAM, counted_metrics(), utc(4, 0), backend="replica")  # no figures
    store.record_snapshot(PROGRAM, with_figures(FIGURES), first, backend="replica")
    store.record_snapshot(PROGRAM, with_figures({date(2026, 3, 9): DayFigures(1, 1, 1, 1)}), second, "replica")
    later = {date(2026, 3, 1): DayFigures(3, 0, 0, 9, None)}
    store.record_snapshot(PROGRAM, with_figures(later), second, backend="replica")  # the same second: replaced
    assert store.snapshot_days(PROGRAM.key, "2026-03-04T00:00:00Z") == []
    assert store.snapshot_days(PROGRAM.key, "2026-03-05T00:00:00Z") == [
        (day.isoformat(), figures) for day, figures in FIGURES.items()
    ]
    assert store.snapshot_days(PROGRAM.key, "2026-03-06T00:00:00Z") == [("2026-03-01", DayFigures(3, 0, 0, 9))]


def test_snapshot_days_round_trip_on_sqlite(store: Store) -> None:
    round_trip(store)


def test_snapshot_days_round_trip_on_mariadb(mariadb_database: str) -> None:
    store = Store.open(StateConfig(engine="mysql", host="127.0.0.1", database=mariadb_database))
    try:
        round_trip(store)
    finally:
        store.close()


def test_prune_removes_the_days_with_their_snapshot(store: Store) -> None:
    store.record_program(PROGRAM)
    times = [utc(1, 1), utc(1, 9), utc(1, 23), utc(20, 1), utc(20, 2)]
    for index, when in enumerate(times):  # other numbers each time (the same ones would only re-stamp the last)
        store.record_snapshot(PROGRAM, replace(with_figures(FIGURES), words_added=index), when, backend="replica")
    store.prune_snapshots(PROGRAM.key, utc(15, 0))
    kept = [s.taken_at for s in store.snapshots(PROGRAM.key)]
    assert kept == ["2026-03-01T23:00:00Z", "2026-03-20T01:00:00Z", "2026-03-20T02:00:00Z"]
    for taken_at in kept:
        assert len(store.snapshot_days(PROGRAM.key, taken_at)) == 3
    for pruned in ("2026-03-01T01:00:00Z", "2026-03-01T09:00:00Z"):
        assert store.snapshot_days(PROGRAM.key, pruned) == []
    rows = store._connection.execute("SELECT COUNT(*) FROM snapshot_day").fetchone()[0]
    assert rows == 3 * len(kept)


COUNTS_HEADER = ["edits", "edits_deleted", "articles_edited", "articles_created", "articles_created_deleted",
                 "bytes_added", "bytes_removed", "uploads", "uploads_in_use", "upload_usage", "bytes_net"]  # fmt: skip
WIKIDATA_HEADER = [f"wikidata_{name}" for name in WikidataCounts.__dataclass_fields__]
EMPTY_WIKIDATA = (None,) * len(WIKIDATA_HEADER)


def publish(store: Store, program: Program, metrics: ProgramMetrics) -> None:
    store.record_program(program)
    store.record_snapshot(program, metrics, NOW, backend="replica")
    store.record_status(key=program.key, wiki="devwiki", title=program.title, checked_at=NOW, ok=True, messages=(),
                        edit_outcome=Message("outcome-saved", ("1",)))  # fmt: skip


def test_days_export_has_the_figures_of_each_day(settings: Settings, store: Store) -> None:
    metrics = full_metrics(PROGRAM, settings, store)
    publish(store, PROGRAM, metrics)
    [summary] = store.programs()
    table = exports.days(store, summary)
    assert list(table.columns) == ["day", *COUNTS_HEADER, "words_added", "references_added", "references_removed",
                                   "page_views", *WIKIDATA_HEADER]  # fmt: skip
    assert table.rows == [
        ("2026-02-28", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, *EMPTY_WIKIDATA),
        ("2026-03-01", 2, 0, 1, 1, 0, 100, 0, 0, 0, 0, 100, 17, 2, 1, 14, *EMPTY_WIKIDATA),
        ("2026-03-02", 1, 1, 1, 1, 0, 50, 0, 0, 0, 0, 50, 30, 3, 0, 0, *EMPTY_WIKIDATA),
        ("2026-03-03", 1, 0, 1, 0, 0, 50, 0, 0, 0, 0, 50, 0, 0, 0, 0, *EMPTY_WIKIDATA),
        ("2026-03-04", 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, *EMPTY_WIKIDATA),
        ("2026-03-05", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 8, *EMPTY_WIKIDATA),
        ("2026-03-13", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 6, *EMPTY_WIKIDATA),
        ("2026-03-14", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, *EMPTY_WIKIDATA),
    ]
    csv_lines = table.to_csv().split("\r\n")
    assert csv_lines[2] == "2026-03-01,2,0,1,1,0,100,0,0,0,0,100,17,2,1,14" + "," * len(WIKIDATA_HEADER)
    days_json = json.loads(table.to_json())
    assert {k: days_json[1][k] for k in ("day", "edits", "words_added", "page_views", "wikidata_claims_added")} == {
        "day": "2026-03-01", "edits": 2, "words_added": 17, "page_views": 14, "wikidata_claims_added": None,
    }  # fmt: skip


def test_days_export_with_wikidata_and_a_snapshot_without_figures(store: Store) -> None:
    figures = {date(2026, 3, 3): DayFigures(None, None, None, None, WikidataCounts(claims_added=2, labels_added=1))}
    publish(store, PROGRAM, with_figures(figures))
    [summary] = store.programs()
    rows = {row[0]: row for row in exports.days(store, summary).rows}
    wikidata = dict(zip(WIKIDATA_HEADER, rows["2026-03-03"][-len(WIKIDATA_HEADER) :], strict=True))
    assert (wikidata["wikidata_claims_added"], wikidata["wikidata_labels_added"]) == (2, 1)
    assert sum(wikidata.values()) == 3
    assert rows["2026-03-01"][12:] == (None,) * (4 + len(WIKIDATA_HEADER))  # counts only: no figures stored


def test_private_program_with_few_participants_has_no_day_rows(settings: Settings, store: Store) -> None:
    publish(store, SECRET, full_metrics(SECRET, settings, store))
    [summary] = store.programs()
    assert summary.private and summary.participants == 2
    table = exports.days(store, summary)
    assert table.rows == []
    assert table.to_csv() == ",".join(table.columns) + "\r\n"
    assert "page_views" in table.columns and "words_added" in table.columns
