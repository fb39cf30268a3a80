"""Wikidata counts from entity JSON diffs (bot/wikidata_diff.py): fixtures in Wikidata's exact serialization with
explicit numbers, and the same history imported on devwikidata and read back through pywikibot."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from contextlib import closing
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot import stats
from bot import wiki as wiki_access
from bot.aggregate import aggregate
from bot.config import Settings, load_settings
from bot.exports import program_stats
from bot.metrics import ProgramMetrics, RevisionFact, WikidataCounts
from bot.program import Message, Program
from bot.store import Store
from bot.wikidata_diff import (
    EMPTY,
    EntityDiff,
    Redirect,
    diff_texts,
    entity_diff,
    parse_entity,
    wiki_wikidata_metrics,
    wikidata_metrics,
)
from devtools.scenario import Revision, import_revisions, page_history
from tests.programs import make_program

GREGORIAN = "http://www.wikidata.org/entity/Q1985727"


# --- Wikidata's serialization --------------------------------------------------------------------------------------


def term(lang: str, value: str) -> dict[str, str]:
    return {"language": lang, "value": value}


def item_snak(prop: str, numeric_id: int, snak_hash: str | None = None) -> dict[str, Any]:
    snak: dict[str, Any] = {"snaktype": "value", "property": prop}
    if snak_hash:
        snak["hash"] = snak_hash
    snak["datavalue"] = {
        "value": {"entity-type": "item", "numeric-id": numeric_id, "id": f"Q{numeric_id}"},
        "type": "wikibase-entityid",
    }
    snak["datatype"] = "wikibase-item"
    return snak


def year_snak(prop: str, year: int, snak_hash: str) -> dict[str, Any]:
    return {
        "snaktype": "value", "property": prop, "hash": snak_hash,
        "datavalue": {"value": {"time": f"+{year}-00-00T00:00:00Z", "timezone": 0, "before": 0, "after": 0,
                                "precision": 9, "calendarmodel": GREGORIAN}, "type": "time"},
        "datatype": "time",
    }  # fmt: skip


def reference(ref_hash: str, *snaks: dict[str, Any]) -> dict[str, Any]:
    grouped: dict[str, list[dict[str, Any]]] = {}
    for snak in snaks:
        grouped.setdefault(snak["property"], []).append(snak)
    return {"hash": ref_hash, "snaks": grouped, "snaks-order": list(grouped)}


def statement(
    guid: str,
    prop: str,
    numeric_id: int,
    *,
    rank: str = "normal",
    qualifiers: Sequence[dict[str, Any]] = (),
    references: Sequence[dict[str, Any]] = (),
) -> dict[str, Any]:
    result: dict[str, Any] = {"mainsnak": item_snak(prop, numeric_id), "type": "statement"}
    if qualifiers:
        grouped: dict[str, list[dict[str, Any]]] = {}
        for qualifier in qualifiers:
            grouped.setdefault(qualifier["property"], []).append(qualifier)
        result["qualifiers"] = grouped
        result["qualifiers-order"] = list(grouped)
    result["id"] = guid
    result["rank"] = rank
    if references:
        result["references"] = list(references)
    return result


def item(entity_id: str, **parts: Any) -> dict[str, Any]:
    """An item as Wikidata stores it; a part left out is an empty map, stored as [] (PHP's empty array)."""
    entity: dict[str, Any] = {"type": "item", "id": entity_id}
    for key in ("labels", "descriptions", "aliases", "claims", "sitelinks"):
        entity[key] = parts.get(key) or []
    return entity


def sitelink(site: str, title: str, *badges: str) -> dict[str, Any]:
    return {"site": site, "title": title, "badges": list(badges)}


def dump(entity: Mapping[str, Any]) -> str:
    return json.dumps(entity, ensure_ascii=False, separators=(",", ":"))


S1, S2, S3 = (f"Q1${guid}" for guid in ("5627445f-43cb-ed6d-3adb-760e85bd17ee", "0b3c5e94-4d6e-8e2a-7c3c-1f4e0f8e6a21",
                                        "9a1f2c3d-0000-4e5f-8a9b-abcdefabcdef"))  # fmt: skip
# References: P248 (stated in) an item. Reference and snak hashes are SHA-1s in hex, as Wikibase writes them.
R1 = reference(
    "fa278ebfc458360e5aed63d5058cca83c46134f1", item_snak("P248", 36578, "d6b4bc80e47def2fab91836d81e1db62c640279c")
)
R1_CHANGED = reference(
    "8e9c2a7b1f3d4e5a6b7c8d9e0f1a2b3c4d5e6f70", item_snak("P248", 1, "1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e")
)
R2 = reference(
    "1c7f0e1b2a3d4c5b6a7f8e9d0c1b2a3f4e5d6c7b", item_snak("P248", 2, "2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f0a1b")
)

# Q1's history: created by Alice, edited by Bob, by Alice, emptied by Bob for a merge into Q2, then a redirect.
V1 = item(
    "Q1",
    labels={"en": term("en", "Tagus"), "es": term("es", "Tajo")},
    descriptions={"en": term("en", "river in Iberia")},
    aliases={"es": [term("es", "Río Tajo")], "en": [term("en", "Tejo")]},
    claims={
        "P31": [statement(S1, "P31", 4022, references=[R1])],
        "P17": [statement(S2, "P17", 29, qualifiers=[year_snak("P580", 1900, "b1")])],
    },
    sitelinks={"devwiki": sitelink("devwiki", "River Tagus")},
)
V2 = item(
    "Q1",
    labels={"en": term("en", "Tagus"), "es": term("es", "río Tajo"), "pt": term("pt", "Tejo")},
    descriptions={"es": term("es", "río de la península ibérica")},
    aliases={"es": [term("es", "Río Tajo"), term("es", "Tajo")]},
    claims={
        "P31": [statement(S1, "P31", 4022, references=[R1_CHANGED, R2])],
        "P17": [
            statement(S2, "P17", 29, qualifiers=[year_snak("P580", 1901, "b2"), year_snak("P582", 2000, "b3")]),
            statement(S3, "P17", 45),
        ],
    },
    sitelinks={"devwiki": sitelink("devwiki", "Tagus"), "eswiki": sitelink("eswiki", "Río Tajo")},
)
V3 = item(
    "Q1",
    labels=V2["labels"],
    descriptions=V2["descriptions"],
    claims={
        "P17": [statement(S2, "P17", 29, rank="preferred",
                          qualifiers=[year_snak("P580", 1901, "b2"), year_snak("P582", 2000, "b3")])],
        "P31": [statement(S1, "P31", 355304, references=[R1_CHANGED, R2])],
    },
    sitelinks={"devwiki": sitelink("devwiki", "Tagus"), "eswiki": sitelink("eswiki", "Río Tajo", "Q17437796")},
)  # fmt: skip
V4 = item("Q1")
V5 = {"entity": "Q1", "redirect": "Q2"}
Q2 = item("Q2", labels={"en": term("en", "Tagus river")})
P31 = {
    "type": "property", "datatype": "wikibase-item", "id": "P31", "labels": {"en": term("en", "instance of")},
    "descriptions": [], "aliases": [], "claims": [],
}  # fmt: skip

ALICE_V1 = EntityDiff(items_created=1, labels_added=2, descriptions_added=1, aliases_added=2, claims_added=2,
                      qualifiers_added=1, references_added=1, sitelinks_added=1)  # fmt: skip
BOB_V2 = EntityDiff(
    labels_added=1, labels_changed=1, descriptions_added=1, descriptions_removed=1, aliases_added=1, aliases_removed=1,
    claims_added=1, references_added=1, references_changed=1, qualifiers_added=1, qualifiers_changed=1,
    sitelinks_added=1, sitelinks_changed=1,
)  # fmt: skip
ALICE_V3 = EntityDiff(claims_changed=2, claims_removed=1, sitelinks_changed=1, aliases_removed=2)
BOB_V4 = EntityDiff(labels_removed=3, descriptions_removed=1, claims_removed=2, qualifiers_removed=2,
                    references_removed=2, sitelinks_removed=2)  # fmt: skip
BOB_V5 = EntityDiff(redirects=1)
CAROL_Q2 = EntityDiff(items_created=1, labels_added=1)
CAROL_P31 = EntityDiff(properties_created=1, labels_added=1)
TOTAL = EntityDiff(
    items_created=2, properties_created=1, claims_added=3, claims_changed=2, claims_removed=3, labels_added=5,
    labels_changed=1, labels_removed=3, descriptions_added=2, descriptions_removed=2, aliases_added=3,
    aliases_removed=3, sitelinks_added=2, sitelinks_changed=2, sitelinks_removed=2, qualifiers_added=2,
    qualifiers_changed=1, qualifiers_removed=2, references_added=2, references_changed=1, references_removed=2,
    redirects=1,
)  # fmt: skip


def texts(entity: Mapping[str, Any], parent: Mapping[str, Any] | None) -> EntityDiff | None:
    return diff_texts(dump(entity), "" if parent is None else dump(parent), creation=parent is None)


# --- single revisions ----------------------------------------------------------------------------------------------


def test_item_created() -> None:
    assert texts(V1, None) == ALICE_V1


def test_terms_claims_qualifiers_references_sitelinks_edited() -> None:
    assert texts(V2, V1) == BOB_V2


def test_statements_matched_by_id_whatever_their_order() -> None:
    # V3 lists P17 before P31: only the new value of S1, S2's new rank and S3's removal count as claims.
    assert texts(V3, V2) == ALICE_V3


def test_emptied_item_counts_its_removals() -> None:
    assert texts(V4, V3) == BOB_V4


def test_redirect_counts_as_a_redirect_only() -> None:
    assert texts(V5, V4) == BOB_V5
    assert texts(V5, V3) == BOB_V5  # even straight from a full item: its content moved to the target
    assert texts(V5, V5) == EntityDiff()  # a null edit keeps the redirect
    assert texts({"entity": "Q1", "redirect": "Q3"}, V5) == BOB_V5  # retargeted
    # Undoing the redirect restores the item: its parts count as added, no item is created.
    restored = texts(V1, V5)
    assert restored == EntityDiff(**{**vars(ALICE_V1), "items_created": 0})
    assert parse_entity(dump(V5)) == Redirect("Q2")


def test_property_created() -> None:
    assert texts(P31, None) == CAROL_P31
    assert texts(Q2, None) == CAROL_Q2


def test_nothing_changed_counts_nothing() -> None:
    assert texts(V1, V1) == EntityDiff()
    # Snak hashes and datatype are not meaning, nor is the order of keys, statements or aliases.
    rehashed = json.loads(dump(V1))
    del rehashed["claims"]["P31"][0]["mainsnak"]["datatype"]
    rehashed["claims"]["P17"][0]["qualifiers"]["P580"][0]["hash"] = "other"
    rehashed["claims"] = dict(reversed(list(rehashed["claims"].items())))
    rehashed["aliases"] = {"en": rehashed["aliases"]["en"], "es": rehashed["aliases"]["es"]}
    assert texts(rehashed, V1) == EntityDiff()


def test_same_value_new_statement_is_one_added_one_removed() -> None:
    before = item("Q9", claims={"P31": [statement("Q9$a", "P31", 5)]})
    after = item("Q9", claims={"P31": [statement("Q9$b", "P31", 5)]})
    assert texts(after, before) == EntityDiff(claims_added=1, claims_removed=1)


def test_aliases_per_value_and_labels_per_language() -> None:
    before = item("Q9", labels={"en": term("en", "A")}, aliases={"en": [term("en", "x"), term("en", "y")]})
    after = item(
        "Q9",
        labels={"de": term("de", "A")},
        aliases={"en": [term("en", "y"), term("en", "z")], "de": [term("de", "x")]},
    )
    # Label: en removed, de added (another language is not a change). Aliases: en x removed, en z and de x added.
    assert texts(after, before) == EntityDiff(labels_added=1, labels_removed=1, aliases_added=2, aliases_removed=1)


def test_unreadable_json() -> None:
    assert diff_texts(None, "") is None
    assert diff_texts(dump(V1), None) is None
    assert diff_texts("[1, 2]", "") is None
    assert diff_texts("{not json", "") is None
    assert diff_texts("", "") is None
    assert parse_entity("") is EMPTY
    assert entity_diff(V1, EMPTY, creation=True) == ALICE_V1


def test_counts_fill_wikidata_counts() -> None:
    assert TOTAL.counts() == WikidataCounts(
        items_created=2, claims_added=3, claims_changed=2, claims_removed=3, labels_added=5, labels_changed=1,
        labels_removed=3, descriptions_added=2, descriptions_changed=0, descriptions_removed=2, aliases_added=3,
        aliases_removed=3, sitelinks_added=2, sitelinks_changed=2, sitelinks_removed=2, properties_created=1,
        qualifiers_added=2, qualifiers_changed=1, qualifiers_removed=2, references_added=2, references_changed=1,
        references_removed=2, redirects=1,
    )  # fmt: skip
    assert type(TOTAL.counts()) is WikidataCounts


# --- stored in a snapshot ------------------------------------------------------------------------------------------

STORED = make_program("{{Program|start=2024-03-01|end=2024-03-31|wikis=devwikidata}}", ("Alice", "Bob", "Carol"))
# A snapshot's wikidata column as written before properties, qualifiers, references and redirects were kept.
OLD_JSON = (
    '{"items_created": 2, "claims_added": 3, "claims_changed": 2, "claims_removed": 3, "labels_added": 5, '
    '"labels_changed": 1, "labels_removed": 3, "descriptions_added": 2, "descriptions_changed": 0, '
    '"descriptions_removed": 2, "aliases_added": 3, "aliases_removed": 3, "sitelinks_added": 2, '
    '"sitelinks_changed": 2, "sitelinks_removed": 2}'
)


def stored_metrics(wikidata: WikidataCounts) -> ProgramMetrics:
    found = aggregate(participants=STORED.confirmed, window=STORED.window, timezone="UTC", now=START, revisions=[])
    return replace(found, wikidata=wikidata)


def test_wikidata_counts_round_trip_through_the_store(store: Store, settings: Settings) -> None:
    taken = datetime(2024, 4, 1, tzinfo=UTC)
    store.record_program(STORED)
    store.record_snapshot(STORED, stored_metrics(TOTAL.counts()), taken, backend="api")
    [snapshot] = store.snapshots(STORED.key)
    assert snapshot.wikidata == TOTAL.counts()
    assert (snapshot.wikidata.qualifiers_changed, snapshot.wikidata.references_removed) == (1, 2)
    assert (snapshot.wikidata.properties_created, snapshot.wikidata.redirects) == (1, 1)


def test_snapshot_stored_without_the_new_counts_still_loads(store: Store, settings: Settings) -> None:
    taken = datetime(2024, 4, 1, tzinfo=UTC)
    store.record_program(STORED)
    store.record_snapshot(STORED, stored_metrics(TOTAL.counts()), taken, backend="api")
    assert settings.state.path is not None
    with closing(sqlite3.connect(settings.state.path)) as connection, connection:
        connection.execute("UPDATE snapshot SET wikidata = ?", (OLD_JSON,))
    [snapshot] = store.snapshots(STORED.key)
    assert snapshot.wikidata == WikidataCounts(
        items_created=2, claims_added=3, claims_changed=2, claims_removed=3, labels_added=5, labels_changed=1,
        labels_removed=3, descriptions_added=2, descriptions_removed=2, aliases_added=3, aliases_removed=3,
        sitelinks_added=2, sitelinks_changed=2, sitelinks_removed=2,
    )  # fmt: skip
    assert (snapshot.wikidata.properties_created, snapshot.wikidata.qualifiers_added, snapshot.wikidata.redirects) == (
        0, 0, 0,
    )  # fmt: skip


# --- histories -----------------------------------------------------------------------------------------------------

START = datetime(2024, 3, 1, 10, tzinfo=UTC)


def fact(rev_id: int, user: str, title: str, parent: int, *, namespace: int = 0, deleted: bool = False) -> RevisionFact:
    when = START + timedelta(hours=rev_id)
    return RevisionFact("devwikidata", rev_id, user, 0 if deleted else 1, namespace, title, when, 0, 0, parent, deleted)


class Fetcher:
    def __init__(self, texts: Mapping[int, str | None]) -> None:
        self.texts = texts
        self.calls: list[list[int]] = []

    def __call__(self, rev_ids: Sequence[int]) -> dict[int, str | None]:
        self.calls.append(list(rev_ids))
        return {rev_id: self.texts[rev_id] for rev_id in rev_ids if rev_id in self.texts}


def test_history_per_participant_and_total() -> None:
    fetcher = Fetcher({1: dump(V1), 2: dump(V2), 3: dump(V3), 4: dump(V4), 5: dump(V5), 6: dump(Q2), 7: dump(P31),
                       8: None, 9: "not json"})  # fmt: skip
    facts = [
        fact(1, "Alice", "Q1", 0), fact(2, "Bob", "Q1", 1), fact(3, "Alice", "Q1", 2), fact(4, "Bob", "Q1", 3),
        fact(5, "Bob", "Q1", 4), fact(6, "Carol", "Q2", 0), fact(7, "Carol", "P31", 0, namespace=120),
        fact(8, "Carol", "Q3", 0),  # hidden text
        fact(9, "Carol", "Q4", 0),  # not an entity
        fact(10, "Carol", "Q5", 0, deleted=True),  # deleted page: skipped
    ]  # fmt: skip
    metrics = wikidata_metrics(facts, fetcher)
    assert metrics.by_revision == {1: ALICE_V1, 2: BOB_V2, 3: ALICE_V3, 4: BOB_V4, 5: BOB_V5, 6: CAROL_Q2,
                                   7: CAROL_P31}  # fmt: skip
    assert metrics.by_participant == {
        "Alice": ALICE_V1.plus(ALICE_V3), "Bob": BOB_V2.plus(BOB_V4).plus(BOB_V5), "Carol": CAROL_Q2.plus(CAROL_P31),
    }  # fmt: skip
    assert metrics.by_participant["Bob"] == EntityDiff(
        labels_added=1, labels_changed=1, labels_removed=3, descriptions_added=1, descriptions_removed=2,
        aliases_added=1, aliases_removed=1, claims_added=1, claims_removed=2, qualifiers_added=1, qualifiers_changed=1,
        qualifiers_removed=2, references_added=1, references_changed=1, references_removed=2, sitelinks_added=1,
        sitelinks_changed=1, sitelinks_removed=2, redirects=1,
    )  # fmt: skip
    assert metrics.total == TOTAL
    assert metrics.unreadable == (8, 9)
    assert fetcher.calls == [[1, 2, 3, 4, 5, 6, 7, 8, 9]]


# --- on devwikidata ------------------------------------------------------------------------------------------------


@pytest.mark.usefixtures("fresh_wikis")
def test_history_imported_on_devwikidata_read_through_pywikibot(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    day = "2024-03-0{}T10:00:00Z"
    update = "/* wbeditentity-update:0| */"
    ids = import_revisions(
        "devwikidata",
        [
            Revision("Q1", 0, "Alice", day.format(1), dump(V1), "/* wbeditentity-create-item:0| */",
                     model="wikibase-item"),
            Revision("Q1", 0, "Bob", day.format(2), dump(V2), update, model="wikibase-item"),
            Revision("Q1", 0, "Alice", day.format(3), dump(V3), update, model="wikibase-item"),
            Revision("Q1", 0, "Bob", day.format(4), dump(V4), "/* wbmergeitems-to:0||Q2 */", model="wikibase-item"),
            Revision("Q1", 0, "Bob", "2024-03-04T10:00:01Z", dump(V5), "/* wbcreateredirect:0||Q1|Q2 */",
                     model="wikibase-item"),
            Revision("Q2", 0, "Carol", day.format(1), dump(Q2), "/* wbeditentity-create-item:0| */",
                     model="wikibase-item"),
            Revision("P31", 120, "Carol", day.format(1), dump(P31), "/* wbeditentity-create-property:0| */",
                     model="wikibase-property"),
        ],
    )  # fmt: skip
    facts = []
    for title, namespace in (("Q1", 0), ("Q2", 0), ("Property:P31", 120)):
        page_id, history = page_history("devwikidata", title)
        facts += [
            RevisionFact("devwikidata", int(r["revid"]), str(r["user"]), page_id, namespace, title.split(":")[-1],
                         datetime.fromisoformat(str(r["timestamp"]).replace("Z", "+00:00")), int(r["size"]), 0,
                         int(r["parentid"]))
            for r in history
        ]  # fmt: skip
    assert [f.rev_id for f in facts] == ids
    assert [f.parent_id for f in facts] == [0, *ids[:4], 0, 0]
    metrics = wiki_wikidata_metrics(load_settings().wiki("devwikidata"), facts)
    assert metrics.unreadable == ()
    assert [metrics.by_revision[rev_id] for rev_id in ids] == [
        ALICE_V1, BOB_V2, ALICE_V3, BOB_V4, BOB_V5, CAROL_Q2, CAROL_P31,
    ]  # fmt: skip
    assert metrics.total == TOTAL
    assert metrics.by_participant["Carol"] == EntityDiff(items_created=1, properties_created=1, labels_added=2)

    # An update keeps each revision's counts: the next one reads no entity JSON again.
    wikidata = load_settings().wiki("devwikidata")
    first = stats._wikidata_by_revision(wikidata, facts, store)
    assert first == {rev_id: metrics.by_revision[rev_id].counts() for rev_id in ids}

    def no_reading(*_args: object) -> None:
        raise AssertionError("entity JSON read again")

    monkeypatch.setattr(wiki_access, "revision_texts", no_reading)
    assert stats._wikidata_by_revision(wikidata, facts, store) == first


def recorded(store: Store, program: Program, wikidata: WikidataCounts | None) -> None:
    """A program as the update job leaves it: definition, snapshot and status."""
    taken = datetime(2024, 4, 1, tzinfo=UTC)
    store.record_program(program)
    store.record_snapshot(program, replace(stored_metrics(WikidataCounts()), wikidata=wikidata), taken, backend="api")
    store.record_status(
        key=program.key, wiki=program.wiki, title=program.title, checked_at=taken, ok=True, messages=(),
        edit_outcome=Message("outcome-saved", ("1",)),
    )  # fmt: skip


def wikidata_cells(store: Store, key: str) -> dict[str, object]:
    table = program_stats(store, store.programs(), ["devwikidata"])
    [row] = [dict(zip(table.columns, values, strict=True)) for values in table.rows if values[0] == key]
    return {column: value for column, value in row.items() if column.startswith("wikidata_")}


def test_wikidata_counts_in_the_program_download(store: Store) -> None:
    recorded(store, STORED, TOTAL.counts())
    assert wikidata_cells(store, STORED.key) == {
        "wikidata_items_created": 2, "wikidata_claims_added": 3, "wikidata_claims_changed": 2,
        "wikidata_claims_removed": 3, "wikidata_labels_added": 5, "wikidata_labels_changed": 1,
        "wikidata_labels_removed": 3, "wikidata_descriptions_added": 2, "wikidata_descriptions_changed": 0,
        "wikidata_descriptions_removed": 2, "wikidata_aliases_added": 3, "wikidata_aliases_removed": 3,
        "wikidata_sitelinks_added": 2, "wikidata_sitelinks_changed": 2, "wikidata_sitelinks_removed": 2,
        "wikidata_properties_created": 1, "wikidata_qualifiers_added": 2, "wikidata_qualifiers_changed": 1,
        "wikidata_qualifiers_removed": 2, "wikidata_references_added": 2, "wikidata_references_changed": 1,
        "wikidata_references_removed": 2, "wikidata_redirects": 1,
    }  # fmt: skip
    # Without a Wikidata-like wiki the columns are there, empty.
    other = make_program("{{Program|start=2024-03-01|end=2024-03-31}}", ("Bob",), page_id=6, title="Project:Q")
    recorded(store, other, None)
    cells = wikidata_cells(store, other.key)
    assert len(cells) == 23
    assert set(cells.values()) == {None}
