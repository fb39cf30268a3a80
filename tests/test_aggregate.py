"""The arithmetic from facts to numbers, with explicit expected values for each metric of metrics.md."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.aggregate import PageFilter, aggregate
from bot.metrics import Counts, Retention, RevisionFact, UploadFact, UserFact

START, END = datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 4, 1, tzinfo=UTC)


def rev(rev_id: int, user: str, page: int, title: str, day: int, size: int, parent_size: int, parent: int,
        *, wiki: str = "devwiki", ns: int = 0, deleted: bool = False, hour: int = 12) -> RevisionFact:  # fmt: skip
    when = START + timedelta(days=day - 1, hours=hour)
    return RevisionFact(wiki, rev_id, user, 0 if deleted else page, ns, title, when, size, parent_size, parent, deleted)


FACTS = [
    rev(1, "Bob", 10, "Ebro", 1, 100, 0, 0),  # creates Ebro: +100
    rev(2, "Bob", 10, "Ebro", 2, 80, 100, 1),  # -20
    rev(3, "Carol", 10, "Ebro", 2, 130, 80, 2),  # +50, Ebro now edited by two people
    rev(4, "Carol", 11, "Tajo", 3, 40, 30, 9),  # +10
    rev(5, "Bob", 0, "Duero", 3, 60, 0, 0, deleted=True),  # created, since deleted
    rev(6, "Bob", 0, "Duero", 4, 70, 60, 5, deleted=True),
    rev(7, "Bob", 12, "Spam", 4, 5, 0, 0),  # excluded by the scope
    rev(8, "Dave", 10, "Ebro", 4, 140, 130, 3),  # not a participant
    rev(9, "Bob", 10, "Ebro", 40, 150, 130, 3),  # after the window
    rev(10, "Carol", 20, "Map.png", 5, 900, 0, 0, wiki="devcommons", ns=6),
    rev(11, "Bob", 10, "Ebro", 1, 100, 100, 1, hour=-1),  # 28 February 23:00 UTC: before the window
]


def test_revision_metrics_per_program_wiki_participant_and_day() -> None:
    metrics = aggregate(
        participants=("Bob", "Carol", "Idle"),
        window=(START, END),
        timezone="UTC",
        now=END + timedelta(days=1),
        revisions=FACTS,
        scopes={"devwiki": PageFilter(excluded=frozenset({(0, "Spam")}))},
    )
    assert metrics.total == Counts(
        edits=5, edits_deleted=2, articles_edited=3, articles_created=2, articles_created_deleted=1,
        bytes_added=1060, bytes_removed=20,
    )  # fmt: skip
    assert metrics.total.bytes_net == 1040
    assert metrics.by_wiki == {
        "devcommons": Counts(edits=1, articles_edited=1, articles_created=1, bytes_added=900),
        "devwiki": Counts(edits=4, edits_deleted=2, articles_edited=2, articles_created=1, articles_created_deleted=1,
                          bytes_added=160, bytes_removed=20),
    }  # fmt: skip
    assert metrics.by_participant["Bob"] == Counts(
        edits=2, edits_deleted=2, articles_edited=1, articles_created=1, articles_created_deleted=1,
        bytes_added=100, bytes_removed=20,
    )  # fmt: skip
    assert metrics.by_participant["Idle"] == Counts()
    assert [(day.day, counts.edits, counts.edits_deleted) for day, counts in metrics.by_day.items()] == [
        (1, 1, 0), (2, 2, 0), (3, 1, 1), (4, 0, 1), (5, 1, 0),
    ]  # fmt: skip
    assert list(metrics.by_article) == [
        ("devwiki", 0, "Ebro"),
        ("devwiki", 0, "Tajo"),
        ("devcommons", 6, "Map.png"),
    ]
    assert metrics.by_article[("devwiki", 0, "Ebro")] == Counts(
        edits=3, articles_edited=1, articles_created=1, bytes_added=150, bytes_removed=20
    )


def test_scope_list_and_local_days() -> None:
    metrics = aggregate(
        participants=("Bob", "Carol"), window=(START, END), timezone="America/Bogota", now=END, revisions=FACTS,
        scopes={"devwiki": PageFilter(pages=frozenset({(0, "Ebro")}))},
    )  # fmt: skip
    assert (metrics.total.edits, metrics.total.articles_edited) == (4, 2)  # Ebro (3 edits) and the commons file
    assert sorted(metrics.by_day) == [date(2026, 3, 1), date(2026, 3, 2), date(2026, 3, 5)]  # 12:00 UTC is 07:00 there


def test_uploads_new_editors_and_retention() -> None:
    users = [
        UserFact("devwiki", "Bob", datetime(2020, 1, 1, tzinfo=UTC), END + timedelta(days=8)),
        UserFact("devwiki", "Nina", START - timedelta(days=3), END + timedelta(days=40)),  # new (lead-in), retained
        UserFact("devcommons", "Nina", START + timedelta(days=2), None),  # local account created later: earliest wins
        UserFact("devwiki", "Olga", START + timedelta(days=5), END + timedelta(days=2)),  # new, not retained
        UserFact("devwiki", "Pia", START - timedelta(days=20), None),  # registered before the lead-in
    ]
    uploads = [
        UploadFact("devcommons", "Nina", "Map.png", START + timedelta(days=1), usage=3),
        UploadFact("devcommons", "Nina", "Unused.png", START + timedelta(days=1)),
        UploadFact("devcommons", "Olga", "Late.png", END + timedelta(days=1), usage=1),
    ]
    people = ("Bob", "Nina", "Olga", "Pia")
    metrics = aggregate(
        participants=people, window=(START, END), timezone="UTC", now=END + timedelta(days=10),
        revisions=(), uploads=uploads, users=users,
    )  # fmt: skip
    assert metrics.new_editors == ("Nina", "Olga")
    assert (metrics.total.uploads, metrics.total.uploads_in_use, metrics.total.upload_usage) == (2, 1, 3)
    assert metrics.by_wiki["devcommons"].uploads == 2
    assert metrics.by_participant["Nina"].upload_usage == 3
    assert [u.file for u in metrics.uploads] == ["Map.png", "Unused.png"]
    assert metrics.retention == (Retention(7, 2, 1), Retention(30, None, None))  # 30 days: pending
    later = aggregate(
        participants=people, window=(START, END), timezone="UTC", now=END + timedelta(days=31),
        revisions=(), users=users,
    )  # fmt: skip
    assert later.retention == (Retention(7, 2, 1), Retention(30, 1, 1))
