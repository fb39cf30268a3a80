"""Deletion alerts (bot/alerts.py): pages now in a deletion category of config/dev.yaml, from the replica views
(sql/stats/alerts*.sql) and from the Action API, which must agree, with the expected alerts written out."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.alerts import Alert, alert_pages, api_alerts, replica_alerts
from bot.config import load_settings
from bot.metrics import RevisionFact
from bot.replica import Replica
from devtools.scenario import Revision, import_revisions, page_history

MARCH = "2024-03-01T10:00:00Z"


@pytest.mark.usefixtures("fresh_wikis")
def test_pages_now_in_a_deletion_category_from_replica_and_api() -> None:
    settings = load_settings()
    devwiki = settings.wiki("devwiki")
    assert devwiki.deletion_categories == (
        "Candidates for speedy deletion", "Proposed deletion", "Articles for deletion",
    )  # fmt: skip
    import_revisions(
        "devwiki",
        [
            # A notice template that puts the pages using it (not itself) in the category, as PROD templates do.
            Revision("Proposed deletion notice", 10, "Admin", MARCH,
                     "This article is proposed for deletion.<includeonly>[[Category:Proposed deletion]]</includeonly>"),
            Revision("Hoax river", 0, "Bob", MARCH, "{{Proposed deletion notice}} A river."),
            Revision("Doubtful lake", 0, "Bob", MARCH,
                     "A lake. [[Category:Articles for deletion]] [[Category:Proposed deletion]] [[Category:Lakes]]"),
            Revision("Fine river", 0, "Carol", MARCH, "A river. [[Category:Rivers]]"),
            Revision("Speedy stub", 0, "Carol", MARCH, "x [[Category:Candidates_for_speedy_deletion|Stub]]"),
            # Was proposed for deletion, then rescued: not an alert now.
            Revision("Rescued river", 0, "Bob", MARCH, "A river. {{Proposed deletion notice}}"),
            Revision("Rescued river", 0, "Carol", "2024-03-02T10:00:00Z", "A river with sources."),
            # Up for deletion but nobody in the program edited it.
            Revision("Not ours", 0, "Dave", MARCH, "[[Category:Proposed deletion]]"),
            # A draft in the user namespace.
            Revision("Bob/Draft", 2, "Bob", MARCH, "Draft. [[Category:Candidates for speedy deletion]]"),
            # A category with a name close to a configured one is not one.
            Revision("Near miss", 0, "Bob", MARCH,
                     "[[Category:Proposed deletions]] [[Category:Proposed_deletion/old]]"),
        ],
    )  # fmt: skip
    ours = ["Hoax river", "Doubtful lake", "Fine river", "Speedy stub", "Rescued river", "Near miss"]
    page_ids = [page_history("devwiki", title)[0] for title in ours] + [page_history("devwiki", "User:Bob/Draft")[0]]
    assert all(page_ids)
    expected = [
        Alert(0, "Doubtful_lake", "Articles for deletion"),
        Alert(0, "Doubtful_lake", "Proposed deletion"),
        Alert(0, "Hoax_river", "Proposed deletion"),
        Alert(0, "Speedy_stub", "Candidates for speedy deletion"),
        Alert(2, "Bob/Draft", "Candidates for speedy deletion"),
    ]
    titles = [(0, title.replace(" ", "_")) for title in ours] + [(2, "Bob/Draft")]
    replica = Replica(devwiki, settings)
    try:
        assert replica_alerts(replica, page_ids) == expected
        assert replica_alerts(replica, titles) == expected
        # A missing page and a page id of nothing change nothing; mixed ids and titles work.
        assert replica_alerts(replica, [*page_ids[:3], *titles[3:], (0, "No such page"), 999999]) == expected
        assert replica_alerts(replica, []) == []
    finally:
        replica.close()
    assert api_alerts(devwiki, page_ids) == expected
    assert api_alerts(devwiki, titles) == expected
    assert api_alerts(devwiki, [*page_ids[:3], *titles[3:], (0, "No such page"), 999999]) == expected
    assert api_alerts(devwiki, []) == []


@pytest.mark.usefixtures("fresh_wikis")
def test_wiki_without_deletion_categories_has_no_alerts() -> None:
    settings = load_settings()
    devcommons = settings.wiki("devcommons")
    assert devcommons.deletion_categories == ()
    replica = Replica(devcommons, settings)
    try:
        assert replica_alerts(replica, [1, (0, "Main_Page")]) == []
    finally:
        replica.close()
    assert api_alerts(devcommons, [1]) == []


def test_pages_to_check_are_those_of_existing_pages() -> None:
    when = datetime(2024, 3, 1, tzinfo=UTC)
    facts = [
        RevisionFact("devwiki", 1, "Bob", 7, 0, "A", when, 1, 0, 0),
        RevisionFact("devwiki", 2, "Bob", 7, 0, "A", when, 2, 1, 1),
        RevisionFact("devwiki", 3, "Bob", 3, 0, "B", when, 1, 0, 0),
        RevisionFact("devwiki", 4, "Bob", 0, 0, "Gone", when, 1, 0, 0, deleted=True),
    ]
    assert alert_pages(facts) == [3, 7]
