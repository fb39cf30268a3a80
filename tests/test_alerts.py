"""Deletion alerts (bot/alerts.py): pages now in a deletion category of config/dev.yaml, or with a deletion
discussion page at one of its deletion_discussion_prefixes, from the replica views (sql/stats/alerts*.sql,
sql/stats/pages_by_*.sql) and from the Action API, which must agree, with the expected alerts written out."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.alerts import (
    DISCUSSION,
    Alert,
    Namespaces,
    alert_pages,
    alerted_articles,
    api_alerts,
    discussion_target,
    full_title,
    replica_alerts,
)
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


@pytest.mark.usefixtures("fresh_wikis")
def test_articles_with_a_deletion_discussion_page_from_replica_and_api() -> None:
    settings = load_settings()
    devwiki = settings.wiki("devwiki")
    assert devwiki.deletion_discussion_prefixes == ("Project:Articles for deletion/",)
    afd = 4  # Project, locally "Dev Wiki"
    import_revisions(
        "devwiki",
        [
            Revision("Contested bridge", 0, "Bob", MARCH, "A bridge."),
            Revision("Articles for deletion/Contested bridge", afd, "Dave", MARCH, "Delete: not notable."),
            # No discussion page: no alert.
            Revision("Sound bridge", 0, "Carol", MARCH, "A bridge with sources."),
            # Discussions under other names are not the convention: another prefix, a renomination's title.
            Revision("Miscellany for deletion/Sound bridge", afd, "Dave", MARCH, "Delete."),
            Revision("Articles for deletion/Sound bridge (2nd nomination)", afd, "Dave", MARCH, "Delete again."),
            # In two deletion categories and discussed: three alerts, one alerted article.
            Revision("Double trouble", 0, "Bob", MARCH,
                     "A town. [[Category:Articles for deletion]] [[Category:Proposed deletion]]"),
            Revision("Articles for deletion/Double trouble", afd, "Dave", MARCH, "Delete."),
            # A draft outside the main namespace: the discussion is named after its full title.
            Revision("Bob/Sandbox", 2, "Bob", MARCH, "Draft."),
            Revision("Articles for deletion/User:Bob/Sandbox", afd, "Dave", MARCH, "Delete."),
            # Discussed, but nobody in the program edited it: not among the pages asked about, so ignored.
            Revision("Others bridge", 0, "Dave", MARCH, "A bridge."),
            Revision("Articles for deletion/Others bridge", afd, "Dave", MARCH, "Delete."),
            # The discussion of an article that does not exist (any more): no alert either.
            Revision("Articles for deletion/Gone bridge", afd, "Dave", MARCH, "Deleted."),
        ],
    )  # fmt: skip
    ours = [(0, "Contested_bridge"), (0, "Sound_bridge"), (0, "Double_trouble"), (2, "Bob/Sandbox")]
    page_ids = [page_history("devwiki", title)[0] for title in ("Contested bridge", "Sound bridge", "Double trouble",
                                                                "User:Bob/Sandbox")]  # fmt: skip
    assert all(page_ids)
    assert page_history("devwiki", "Project:Articles for deletion/Others bridge")[0]
    expected = [
        Alert(0, "Contested_bridge", "Dev Wiki:Articles for deletion/Contested bridge", DISCUSSION),
        Alert(0, "Double_trouble", "Articles for deletion"),
        Alert(0, "Double_trouble", "Dev Wiki:Articles for deletion/Double trouble", DISCUSSION),
        Alert(0, "Double_trouble", "Proposed deletion"),
        Alert(2, "Bob/Sandbox", "Dev Wiki:Articles for deletion/User:Bob/Sandbox", DISCUSSION),
    ]
    mixed = [page_ids[0], *ours[1:], (0, "Gone bridge"), 999999]
    replica = Replica(devwiki, settings)
    try:
        assert replica_alerts(replica, page_ids) == expected
        assert replica_alerts(replica, ours) == expected
        assert replica_alerts(replica, mixed) == expected
    finally:
        replica.close()
    assert api_alerts(devwiki, page_ids) == expected
    assert api_alerts(devwiki, ours) == expected
    assert api_alerts(devwiki, mixed) == expected
    # As stats.py stores them: (wiki, namespace, title, category or discussion page). Three articles are alerted.
    stored = [("devwiki", alert.namespace, alert.title, alert.category) for alert in expected]
    assert len(stored) == 5
    assert alerted_articles(stored) == 3


def test_discussion_page_titles_from_the_configured_prefix() -> None:
    spaces = Namespaces(
        numbers={"project": 4, "wikipedia": 4, "user": 2, "usuario": 2},
        names={0: "", 2: "Usuario", 4: "Wikipedia"},
    )
    assert discussion_target("Wikipedia:Consultas de borrado/", spaces.numbers) == (4, "Consultas_de_borrado/")
    assert discussion_target("project: Articles_for  deletion/", spaces.numbers) == (4, "Articles_for_deletion/")
    # A trailing space belongs to the prefix; an unknown namespace name leaves the title in the main namespace.
    assert discussion_target("Project:AfD ", spaces.numbers) == (4, "AfD_")
    assert discussion_target("Projekt:AfD/", spaces.numbers) == (0, "Projekt:AfD/")
    assert full_title(0, "Río_Tajo", spaces.names) == "Río_Tajo"
    assert full_title(2, "Bob/Borrador", spaces.names) == "Usuario:Bob/Borrador"
    assert full_title(100, "Nowhere", spaces.names) is None
    assert alerted_articles([]) == 0
    assert alerted_articles([("eswiki", 0, "A", "X"), ("eswiki", 0, "A", "Y"), ("devwiki", 0, "A", "X")]) == 2
