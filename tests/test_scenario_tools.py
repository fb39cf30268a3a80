"""The scenario tools stats tests build on (devtools/scenario.py), checked where the bot will look: the _p views.

Histories at chosen times come from real imports; deletions, moves, hidden authors, uploads and file use from the
real Action API. Also the Wikidata-like wiki's entity pages.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from typing import Any

import pymysql
import pytest

from devtools import scenario
from devtools.scenario import Revision, delete_page, hide_author, import_revisions, move_page, upload_file, use_file
from devtools.wikiuser import STATE, WikiError, WikiUser

MARCH = "2024-03-01T10:00:00Z"


def replica(dbname: str, sql: str, *args: Any) -> tuple[tuple[Any, ...], ...]:
    """Run one query as the tool's read-only replica account (views only, as on Wiki Replicas)."""
    connection = pymysql.connect(host="127.0.0.1", database=dbname, read_default_file=str(STATE / "replica.my.cnf"))
    with connection, connection.cursor() as cursor:
        cursor.execute(sql, args)
        return tuple(cursor.fetchall())


def actor_id(dbname: str, name: str) -> int:
    ((actor,),) = replica(dbname, "SELECT actor_id FROM actor_user WHERE actor_name = %s", name)
    return int(actor)


# An item as Wikidata serializes it: type, id, labels, descriptions, aliases, claims, sitelinks; compact JSON with
# non-ASCII characters as UTF-8 (so rev_len, in bytes, differs from the number of characters).
ITEM = {
    "type": "item",
    "id": "Q1",
    "labels": {"en": {"language": "en", "value": "Tagus"}, "es": {"language": "es", "value": "río Tajo"}},
    "descriptions": {"en": {"language": "en", "value": "longest river of the Iberian Peninsula"}},
    "aliases": {"es": [{"language": "es", "value": "Tajo"}]},
    "claims": {
        "P31": [
            {
                "mainsnak": {
                    "snaktype": "value",
                    "property": "P31",
                    "datavalue": {
                        "value": {"entity-type": "item", "numeric-id": 4022, "id": "Q4022"},
                        "type": "wikibase-entityid",
                    },
                    "datatype": "wikibase-item",
                },
                "type": "statement",
                "id": "Q1$5627445f-43cb-ed6d-3adb-760e85bd17ee",
                "rank": "normal",
            }
        ]
    },
    "sitelinks": {"devwiki": {"site": "devwiki", "title": "River Tagus", "badges": []}},
}
ITEM_JSON = json.dumps(ITEM, ensure_ascii=False, separators=(",", ":"))
PROPERTY_JSON = json.dumps(
    {"type": "property", "datatype": "wikibase-item", "id": "P31",
     "labels": {"en": {"language": "en", "value": "instance of"}}, "descriptions": {}, "aliases": {}, "claims": {}},
    separators=(",", ":"),
)  # fmt: skip


# --- without the wikis -----------------------------------------------------------------------------------------


def test_sha1_is_mediawikis_base36() -> None:
    assert scenario.sha1_base36("") == "phoiac9h4m842xq45sp7s6u21eteeq1"
    assert len(scenario.sha1_base36("río")) == 31


def test_revision_validates_time_zone_and_model() -> None:
    revision = Revision("river tagus", 0, "Bob", "2024-03-01T11:00:00+01:00", "x")
    assert revision.when == datetime(2024, 3, 1, 10, tzinfo=UTC)
    assert revision.page_title == "River_tagus"
    assert Revision("a", 0, "Bob", MARCH, "río").rev_len == 4
    with pytest.raises(ValueError, match="time zone"):
        Revision("a", 0, "Bob", "2024-03-01T10:00:00", "x")
    with pytest.raises(ValueError, match="content model"):
        Revision("a", 0, "Bob", MARCH, "x", model="wikibase-lexeme")


@pytest.mark.usefixtures("wikis_up")
def test_export_xml_is_schema_0_11_with_pages_grouped_and_sorted() -> None:
    text = "a < b & c\r\nd"
    revisions = [
        Revision("Lake", 1, "Bob", "2024-03-02T00:00:00Z", "second", "later"),
        Revision("River", 0, "192.0.2.7", MARCH, text, "anon", minor=True),
        Revision("Lake", 1, "Carol", MARCH, "first", "earlier"),
    ]
    root = ET.fromstring(scenario.export_xml("devwiki", revisions))
    ns = {"mw": scenario.EXPORT_NS}
    assert root.get("version") == "0.11"
    pages = root.findall("mw:page", ns)
    assert [(p.findtext("mw:title", namespaces=ns), p.findtext("mw:ns", namespaces=ns)) for p in pages] == [
        ("Talk:Lake", "1"),
        ("River", "0"),
    ]
    lake = [r.findtext("mw:contributor/mw:username", namespaces=ns) for r in pages[0].findall("mw:revision", ns)]
    assert lake == ["Carol", "Bob"]
    river = pages[1].find("mw:revision", ns)
    assert river is not None
    assert river.findtext("mw:contributor/mw:ip", namespaces=ns) == "192.0.2.7"
    assert river.find("mw:minor", ns) is not None
    assert river.findtext("mw:text", namespaces=ns) == text
    assert river.findtext("mw:sha1", namespaces=ns) == scenario.sha1_base36(text)


# --- on the dev wikis ------------------------------------------------------------------------------------------


@pytest.mark.usefixtures("fresh_wikis")
def test_imported_revisions_keep_timestamp_author_size_and_parent() -> None:
    first = "'''River Tagus''' is a river."
    second = first + " It flows into the Atlantic at Lisbon. [[Lisbon]] [[Category:Rivers of Spain]]"
    ids = import_revisions(
        "devwiki",
        [
            Revision("River Tagus", 0, "Bob", MARCH, first, "New article"),
            Revision("River Tagus", 0, "Bob", "2024-03-01T10:05:00Z", second, "Expand"),
        ],
    )
    rows = replica(
        "devwiki_p",
        "SELECT rev_id, rev_timestamp, rev_actor, actor_name, rev_len, rev_parent_id, comment_text"
        " FROM revision_userindex JOIN page ON page_id = rev_page JOIN actor_revision ON actor_id = rev_actor"
        " JOIN comment_revision ON comment_id = rev_comment_id"
        " WHERE page_namespace = 0 AND page_title = 'River_Tagus' ORDER BY rev_id",
    )
    bob = actor_id("devwiki_p", "Bob")
    # No null revision by the importing account: exactly the two imported ones.
    assert rows == (
        (ids[0], b"20240301100000", bob, b"Bob", len(first.encode()), 0, b"New article"),
        (ids[1], b"20240301100500", bob, b"Bob", len(second.encode()), ids[0], b"Expand"),
    )
    # The page and its link tables are those of the latest revision.
    assert replica(
        "devwiki_p", "SELECT page_latest, page_len, page_is_new FROM page WHERE page_title = 'River_Tagus'"
    ) == ((ids[1], len(second.encode()), 0),)
    page = "(SELECT page_id FROM page WHERE page_namespace = 0 AND page_title = 'River_Tagus')"
    assert replica(
        "devwiki_p", f"SELECT cl_to, cl_target_id IS NOT NULL FROM categorylinks WHERE cl_from = {page}"
    ) == ((b"Rivers_of_Spain", 1),)
    assert replica(
        "devwiki_p",
        f"SELECT lt_namespace, lt_title FROM pagelinks JOIN linktarget ON lt_id = pl_target_id WHERE pl_from = {page}",
    ) == ((0, b"Lisbon"),)
    # The wiki's own history agrees.
    history = WikiUser.on("devwiki", "Alice").revisions("River Tagus")
    assert [(r["user"], r["timestamp"]) for r in history] == [("Bob", MARCH), ("Bob", "2024-03-01T10:05:00Z")]


@pytest.mark.usefixtures("fresh_wikis")
def test_reimporting_the_same_revisions_adds_nothing() -> None:
    revisions = [Revision("Lake", 0, "Carol", MARCH, "A lake.", "Stub")]
    assert import_revisions("devwiki", revisions) == import_revisions("devwiki", revisions)
    assert replica("devwiki_p", "SELECT COUNT(*) FROM revision_userindex JOIN page ON page_id = rev_page"
                   " WHERE page_title = 'Lake'") == ((1,),)  # fmt: skip


@pytest.mark.usefixtures("fresh_wikis")
def test_unknown_authors_get_imported_actors_and_ips_stay_ips() -> None:
    ids = import_revisions(
        "devwiki",
        [
            Revision("Pond", 0, "Nobody Here", MARCH, "A pond.", "x"),
            Revision("Pond", 0, "192.0.2.7", "2024-03-02T00:00:00Z", "A small pond.", "y"),
        ],
    )
    rows = replica(
        "devwiki_p",
        "SELECT rev_id, actor_name, actor_user FROM revision_userindex JOIN actor ON actor_id = rev_actor"
        " WHERE rev_id IN (%s, %s) ORDER BY rev_id",
        *ids,
    )
    assert rows == ((ids[0], b"imported>Nobody Here", None), (ids[1], b"192.0.2.7", None))


@pytest.mark.usefixtures("fresh_wikis")
def test_page_created_by_import_then_deleted_moves_to_archive() -> None:
    ids = import_revisions(
        "devwiki",
        [
            Revision("Hoax river", 0, "Bob", MARCH, "A river that does not exist.", "New article"),
            Revision("Hoax river", 0, "Carol", "2024-03-03T08:00:00Z", "A river that may not exist.", "Doubt"),
        ],
    )
    delete_page("devwiki", "Hoax river", "Hoax")
    assert replica("devwiki_p", "SELECT COUNT(*) FROM revision_userindex WHERE rev_id IN (%s, %s)", *ids) == ((0,),)
    assert replica("devwiki_p", "SELECT COUNT(*) FROM page WHERE page_title = 'Hoax_river'") == ((0,),)
    archived = replica(
        "devwiki_p",
        "SELECT ar_rev_id, ar_namespace, ar_title, ar_timestamp, actor_name, ar_parent_id, ar_len"
        " FROM archive_userindex JOIN actor_archive ON actor_id = ar_actor WHERE ar_title = 'Hoax_river'"
        " ORDER BY ar_rev_id",
    )
    assert archived == (
        (ids[0], 0, b"Hoax_river", b"20240301100000", b"Bob", 0, len(b"A river that does not exist.")),
        (ids[1], 0, b"Hoax_river", b"20240303080000", b"Carol", ids[0], len(b"A river that may not exist.")),
    )
    assert replica(
        "devwiki_p",
        "SELECT log_type, log_action, log_title, actor_name FROM logging_userindex"
        " JOIN actor_logging ON actor_id = log_actor WHERE log_type = 'delete' AND log_title = 'Hoax_river'",
    ) == ((b"delete", b"delete", b"Hoax_river", b"Admin"),)


@pytest.mark.usefixtures("fresh_wikis")
def test_hidden_author_disappears_from_revision_userindex() -> None:
    ids = import_revisions(
        "devwiki",
        [
            Revision("Reservoir", 0, "Bob", MARCH, "A reservoir.", "New"),
            Revision("Reservoir", 0, "Mallory", "2024-03-01T11:00:00Z", "A reservoir. Vandalism.", "Vandalism"),
        ],
    )
    hide_author("devwiki", ids[1], "Offensive user name")
    assert replica(
        "devwiki_p", "SELECT rev_id FROM revision_userindex WHERE rev_id IN (%s, %s) ORDER BY rev_id", *ids
    ) == ((ids[0],),)
    # `revision` keeps the row but masks its author, as on the replicas.
    assert replica("devwiki_p", "SELECT rev_actor, rev_deleted FROM revision WHERE rev_id = %s", ids[1]) == ((None, 4),)


@pytest.mark.usefixtures("fresh_wikis")
def test_moved_page_keeps_its_history_under_the_new_title() -> None:
    ids = import_revisions("devwiki", [Revision("Draft river", 2, "Bob", MARCH, "A draft.", "Draft")])
    move_page("devwiki", "User:Draft river", "River Guadiana", "Ready", redirect=False)
    assert replica(
        "devwiki_p",
        "SELECT page_namespace, page_title, rev_id FROM revision_userindex JOIN page ON page_id = rev_page"
        " WHERE rev_id = %s",
        ids[0],
    ) == ((0, b"River_Guadiana", ids[0]),)
    assert replica("devwiki_p", "SELECT COUNT(*) FROM page WHERE page_title = 'Draft_river'") == ((0,),)


@pytest.mark.usefixtures("fresh_wikis")
def test_uploaded_file_used_on_the_content_wiki_shows_in_globalimagelinks() -> None:
    name = upload_file("Alice", "Tagus map.png", comment="Map")
    assert name == "Tagus map.png"
    use_file("devwiki", "Bob", "River Tagus", name)
    assert replica(
        "devcommons_p",
        "SELECT actor_name, log_action, log_title FROM logging_userindex JOIN actor_logging ON actor_id = log_actor"
        " WHERE log_type = 'upload' AND log_title = 'Tagus_map.png'",
    ) == ((b"Alice", b"upload", b"Tagus_map.png"),)
    # Commons' link tables, globalimagelinks among them, have a database of their own (T398709).
    assert replica(
        "devcommons_links_p",
        "SELECT gil_wiki, gil_page_namespace_id, gil_page_title FROM globalimagelinks WHERE gil_to = 'Tagus_map.png'",
    ) == ((b"devwiki", 0, b"River_Tagus"),)


@pytest.mark.usefixtures("fresh_wikis")
def test_item_imported_on_devwikidata_keeps_its_json_exactly() -> None:
    ids = import_revisions(
        "devwikidata",
        [
            Revision("Q1", 0, "Alice", MARCH, ITEM_JSON, "/* wbeditentity-create-item:0| */", model="wikibase-item"),
            Revision("P31", 120, "Alice", MARCH, PROPERTY_JSON, "/* wbeditentity-create-property:0| */",
                     model="wikibase-property"),
        ],
    )  # fmt: skip
    pages = scenario.api_get(
        "devwikidata", action="query", prop="revisions", titles="Q1|Property:P31", rvprop="ids|content|size",
        rvslots="main",
    )["query"]["pages"]  # fmt: skip
    stored = {page["title"]: page["revisions"][0] for page in pages}
    assert stored["Q1"]["slots"]["main"]["content"] == ITEM_JSON
    assert stored["Q1"]["slots"]["main"]["contentmodel"] == "wikibase-item"
    assert stored["Property:P31"]["slots"]["main"]["content"] == PROPERTY_JSON
    assert stored["Property:P31"]["slots"]["main"]["contentmodel"] == "wikibase-property"
    assert replica(
        "devwikidata_p",
        "SELECT rev_id, page_namespace, page_title, page_content_model, rev_len, rev_timestamp, actor_name,"
        " comment_text FROM revision_userindex JOIN page ON page_id = rev_page"
        " JOIN actor_revision ON actor_id = rev_actor JOIN comment_revision ON comment_id = rev_comment_id"
        " WHERE page_namespace IN (0, 120) AND page_title IN ('Q1', 'P31') ORDER BY rev_id",
    ) == (
        (ids[0], 0, b"Q1", b"wikibase-item", len(ITEM_JSON.encode()), b"20240301100000", b"Alice",
         b"/* wbeditentity-create-item:0| */"),
        (ids[1], 120, b"P31", b"wikibase-property", len(PROPERTY_JSON.encode()), b"20240301100000", b"Alice",
         b"/* wbeditentity-create-property:0| */"),
    )  # fmt: skip
    assert len(ITEM_JSON.encode()) > len(ITEM_JSON)  # the size is in bytes


@pytest.mark.usefixtures("fresh_wikis")
def test_devwikidata_stores_entity_json_from_the_api_verbatim_and_refuses_anything_else() -> None:
    bob = WikiUser.on("devwikidata", "Bob")
    item = ITEM_JSON.replace('"Q1', '"Q2')
    rev_id = bob.edit("Q2", item, "/* wbeditentity-create-item:0| */")
    assert bob.page_text("Q2") == item
    assert replica(
        "devwikidata_p",
        "SELECT rev_len, page_content_model, comment_text FROM revision_userindex JOIN page ON page_id = rev_page"
        " JOIN comment_revision ON comment_id = rev_comment_id WHERE rev_id = %s",
        rev_id,
    ) == ((len(item.encode()), b"wikibase-item", b"/* wbeditentity-create-item:0| */"),)
    for not_an_object in ("[1, 2]", "Q5", '{"type": "item"'):
        with pytest.raises(WikiError, match="invalid-content-data"):
            bob.edit("Q3", not_an_object, "/* wbeditentity-create-item:0| */")
