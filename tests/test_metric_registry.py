"""The metric registry: each accessor reads its own number, every computed number has an entry, names never clash,
and docs/metrics.md describes exactly the registry's metrics with the registry's names."""

from __future__ import annotations

import re
from dataclasses import fields

from bot.config import PROJECT_ROOT
from bot.metric_registry import (
    COUNTS_EVERYWHERE,
    PENDING,
    REGISTRY,
    Dimension,
    Figures,
    Metric,
    PerDays,
    cells,
    columns,
    glossary_entries,
    headline,
    in_dimension,
    published,
)
from bot.metrics import Counts, DayFigures, Retention, WikidataCounts

# Every Counts field a different number, so an accessor reading the wrong field cannot pass.
COUNTS = Counts(*range(11, 11 + len(fields(Counts))))
WIKIDATA = WikidataCounts(*range(101, 101 + len(fields(WikidataCounts))))
FULL = Figures(
    counts=COUNTS, participants=3, new_editors=2, words_added=400, references_added=5, references_removed=6,
    page_views=7000, wikidata=WIKIDATA, retention=(Retention(7, 2, 1), Retention(30, None, None)),
    alerts=(("devwiki", 0, "Ebro", "Speedy", "category"), ("devwiki", 0, "Ebro", "AfD/Ebro", "discussion"),
            ("devwiki", 0, "Tajo", "Speedy", "category")),
)  # fmt: skip


def values(metrics: tuple[Metric, ...], figures: Figures) -> dict[str, object]:
    return {metric.name: metric.value(figures) for metric in metrics}


def row(dimension: Dimension, figures: Figures, retention_days: tuple[int, ...] = ()) -> dict[str, object]:
    """One download row of ``dimension`` as column -> cell."""
    metrics = in_dimension(dimension, retention_days)
    return dict(zip(columns(metrics), cells(metrics, figures), strict=True))


def test_each_metric_reads_its_own_number() -> None:
    assert values(published((7, 30)), FULL) == {
        "participants": 3, "new_editors": 2, "edits": 11, "edits_deleted": 12, "articles_edited": 13,
        "articles_created": 14, "articles_created_deleted": 15, "bytes_added": 16, "bytes_removed": 17,
        "uploads": 18, "uploads_in_use": 19, "upload_usage": 20, "bytes_net": 16 - 17, "words_added": 400,
        "references_added": 5, "references_removed": 6, "page_views": 7000, "retention_7": 2, "retention_30": None,
        "new_editors_retention_7": 1, "new_editors_retention_30": None,
        # WikidataCounts fields in order: items_created=101, claims 102-104, labels 105-107, descriptions 108-110,
        # aliases 111-112, sitelinks 113-115, properties_created=116, qualifiers 117-119, references 120-122,
        # redirects=123.
        "wikidata_items_created": 101, "wikidata_claims": 102 + 103 + 104, "wikidata_labels": 105 + 106 + 107,
        "wikidata_descriptions": 108 + 109 + 110, "wikidata_aliases": 111 + 112,
        "wikidata_sitelinks": 113 + 114 + 115, "wikidata_properties_created": 116,
        "wikidata_qualifiers": 117 + 118 + 119, "wikidata_references": 120 + 121 + 122, "wikidata_redirects": 123,
        "alerts": 2,  # articles, not alerts: Ebro's category and discussion are one
    }  # fmt: skip


def test_a_number_not_computed_is_none_not_zero() -> None:
    bare = values(published((7,)), Figures(counts=COUNTS, participants=3, new_editors=0))
    absent = {name for name, value in bare.items() if value is None}
    assert absent == {
        "words_added", "references_added", "references_removed", "page_views", "retention_7",
        "new_editors_retention_7", *(m.name for m in published() if m.name.startswith("wikidata_")),
    }  # fmt: skip


def test_every_counts_field_and_every_wikidata_part_is_published_once_in_download_order() -> None:
    """A field added to Counts or WikidataCounts without a registry entry fails here; the order is the downloads'
    column order, which spreadsheets may rely on."""
    assert columns(in_dimension(Dimension.PARTICIPANT)) == (*(f.name for f in fields(Counts)), "bytes_net")
    wikidata = [c for c in columns(in_dimension(Dimension.TOTAL)) if c.startswith("wikidata_")]
    assert wikidata == [f"wikidata_{f.name}" for f in fields(WikidataCounts)]
    assert cells(in_dimension(Dimension.PARTICIPANT), FULL) == (*range(11, 21), -1)


def test_each_download_has_the_columns_of_its_dimension() -> None:
    counts = columns(in_dimension(Dimension.PARTICIPANT))
    assert columns(in_dimension(Dimension.TOTAL, (30, 7))) == (
        "participants", "new_editors", *counts, "words_added", "references_added", "references_removed",
        "page_views", "retained_7_days", "retained_30_days", "new_editors_retained_7_days",
        "new_editors_retained_30_days", *(f"wikidata_{f.name}" for f in fields(WikidataCounts)),
    )  # fmt: skip
    assert columns(in_dimension(Dimension.WIKI)) == counts
    assert columns(in_dimension(Dimension.ARTICLE)) == (*counts, "page_views")
    assert columns(in_dimension(Dimension.DAY)) == (
        *counts, "words_added", "references_added", "references_removed", "page_views",
        *(f"wikidata_{f.name}" for f in fields(WikidataCounts)),
    )  # fmt: skip
    assert columns(in_dimension(Dimension.CAMPAIGN)) == ("participants", *counts)
    assert [m.name for m in headline(Dimension.WIKI)] == ["edits", "articles_edited", "articles_created", "uploads"]
    assert headline(Dimension.PARTICIPANT) == headline(Dimension.WIKI)


def test_names_never_clash() -> None:
    metrics = published((7, 30))
    assert len({m.name for m in metrics}) == len(metrics)
    outcome = [m.outcome for m in metrics if m.outcome]
    assert len(set(outcome)) == len(outcome)
    for dimension in Dimension:
        found = columns(in_dimension(dimension, (7, 30)))
        assert len(set(found)) == len(found), dimension


def test_outcome_values() -> None:
    written = {m.outcome: m.outcome_value(FULL) for m in published((7, 30)) if m.outcome}
    assert (written["retention_7"], written["retention_30"]) == (2, PENDING)
    assert written["wikidata_claims"] == 309
    # The file rows are shown only for a program with uploads; without, the parameters are left out.
    no_uploads = Figures(counts=Counts(edits=1, uploads_in_use=0, upload_usage=0))
    by_name = {m.name: m for m in published()}
    assert [by_name[n].outcome_value(no_uploads) for n in ("uploads", "uploads_in_use", "upload_usage")] == [None] * 3
    assert by_name["edits"].outcome_value(no_uploads) == 1
    assert by_name["bytes_removed"].outcome_value(no_uploads) == 0  # a real zero stays
    # Retention in the CSV: pending is an empty cell.
    assert row(Dimension.TOTAL, FULL, (7, 30))["retained_30_days"] is None


def test_a_day_without_stored_figures_has_only_counts() -> None:
    old = row(Dimension.DAY, Figures.of_day(COUNTS, None))
    assert old["edits"] == 11
    assert {c for c, v in old.items() if v is None} == {
        "words_added", "references_added", "references_removed", "page_views",
        *(f"wikidata_{f.name}" for f in fields(WikidataCounts)),
    }  # fmt: skip
    kept = row(Dimension.DAY, Figures.of_day(Counts(), DayFigures(3, 1, 0, 9, WikidataCounts(claims_changed=2))))
    assert [kept[c] for c in ("edits", "words_added", "references_added", "references_removed", "page_views")] == [
        0, 3, 1, 0, 9
    ]  # fmt: skip
    assert (kept["wikidata_claims_changed"], kept["wikidata_claims_added"]) == (2, 0)


def test_per_days_metrics_expand_once_per_n() -> None:
    [retention] = [e for e in REGISTRY if isinstance(e, PerDays) and e.name == "retention"]
    seven = retention.expand(7)
    assert (seven.name, seven.outcome, seven.column_names, seven.label_params) == (
        "retention_7",
        "retention_7",
        ("retained_7_days",),
        (7,),
    )
    assert [m.name for m in published((30, 7, 30)) if m.name.startswith("retention_")] == [
        "retention_7",
        "retention_30",
    ]
    assert not [m for m in published() if m.name.startswith("retention")]


def test_counts_exist_in_every_dimension_and_the_glossary_groups_by_entry() -> None:
    by_name = {m.name: m for m in published()}
    assert all(by_name[f.name].dimensions == COUNTS_EVERYWHERE for f in fields(Counts))
    entries = {entry.id: [m.name for m in entry.metrics] for entry in glossary_entries()}
    assert list(entries) == list(dict.fromkeys(entry.glossary for entry in REGISTRY))
    assert entries["bytes"] == ["bytes_added", "bytes_removed", "bytes_net"]
    assert entries["retention"] == ["retention", "new_editors_retention"]
    assert len(entries["wikidata"]) == 10
    assert sum(len(names) for names in entries.values()) == len(REGISTRY)


# --- docs/metrics.md ---------------------------------------------------------------------------------------------

DOCS = PROJECT_ROOT / "docs" / "metrics.md"
DASH = "—"


def documented() -> dict[str, tuple[tuple[str, ...], tuple[str, ...], frozenset[Dimension]]]:
    """name -> (outcome parameters, CSV columns, dimensions) of each metric row of "The published numbers"."""
    text = DOCS.read_text(encoding="utf-8")
    section = text[text.index("\n## The published numbers") :]
    section = section[: section.index("\n## ", 1)]
    rows: dict[str, tuple[tuple[str, ...], tuple[str, ...], frozenset[Dimension]]] = {}
    for line in section.splitlines():
        cells_ = [cell.strip().replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", line.strip()[1:-1])]
        if not line.startswith("| `") or len(cells_) != 8:
            continue
        name = cells_[0].strip("`")
        assert name not in rows, f"{name} documented twice"
        rows[name] = (code(cells_[2]), code(cells_[3]), breakdowns(cells_[4]))
    return rows


def code(cell: str) -> tuple[str, ...]:
    return () if cell == DASH else tuple(re.findall(r"`([^`]+)`", cell))


def breakdowns(cell: str) -> frozenset[Dimension]:
    if cell == "all":
        return COUNTS_EVERYWHERE
    if cell == DASH:
        return frozenset({Dimension.TOTAL})
    return frozenset({Dimension.TOTAL, *(Dimension(part.strip()) for part in cell.split(","))})


def test_docs_describe_exactly_the_registry() -> None:
    rows = documented()
    assert set(rows) == {entry.name for entry in REGISTRY}
    for entry in REGISTRY:
        assert rows[entry.name] == (entry.outcome_names, entry.column_names, entry.dimensions), entry.name


def test_the_docs_check_reads_the_tables() -> None:
    """The parser above finds every row and would notice a changed name (so the test above cannot pass vacuously)."""
    rows = documented()
    assert rows["bytes_net"] == (("bytes_net",), ("bytes_net",), COUNTS_EVERYWHERE)
    assert rows["retention"] == (("retention_N",), ("retained_N_days",), frozenset({Dimension.TOTAL}))
    assert rows["alerts"] == (("alerts",), (), frozenset({Dimension.TOTAL}))
    assert rows["page_views"][2] == {Dimension.TOTAL, Dimension.DAY, Dimension.ARTICLE}
