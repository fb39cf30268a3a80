"""The bot's templates land on the program page and nothing else on the page moves."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bot.aggregate import aggregate
from bot.config import TemplateNames
from bot.metrics import RevisionFact, WikidataCounts
from bot.program import Participant, SignupStatus
from bot.render import outcome_params, participants_block, place_outcome, place_participants
from bot.wikitext_writer import template
from tests.programs import make_program

TEMPLATES = TemplateNames()
WHEN = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
PROGRAM = make_program("{{Program|start=2026-03-01|end=2026-03-31|timezone=Europe/Madrid}}", ("Bob", "Carol"))


def metrics(size: int, now: datetime = WHEN):  # type: ignore[no-untyped-def]
    fact = RevisionFact("devwiki", 1, "Bob", 7, 0, "Ebro", WHEN - timedelta(hours=1), size, 0, 0)
    window = PROGRAM.definition.window
    return aggregate(participants=PROGRAM.confirmed, window=window, timezone="UTC", now=now, revisions=[fact])


def params(size: int, now: datetime = WHEN) -> dict[str, object]:
    return outcome_params(metrics(size, now), PROGRAM.definition, now, now + timedelta(hours=1), "http://x/glossary")


PAGE = """Intro  with  odd   spacing\t and a [[link]].
{{Program
|start=2026-03-01
|end = 2026-03-31 <!-- keep -->
}}
== Participants ==
* {{Program sign-up|user=Bob}}
"""


def test_outcome_parameters() -> None:
    assert {key: str(value) for key, value in params(120).items()} == {
        "applied_name": "Project:P", "applied_start": "2026-03-01", "applied_end": "2026-03-31",
        "participants": "2", "new_editors": "0", "edits": "1", "edits_deleted": "0", "articles_edited": "1",
        "articles_created": "1", "articles_created_deleted": "0", "bytes_added": "120", "bytes_removed": "0",
        "bytes_net": "120", "retention_7": "pending", "retention_30": "pending", "alerts": "0", "wikis": "devwiki",
        "namespaces": "devwiki: 0", "scope": "all",
        "window": "2026-03-01 00:00 to 2026-04-01 00:00 Europe/Madrid (2026-02-28T23:00:00Z to 2026-03-31T22:00:00Z)",
        "updated": "2026-03-02T12:00:00Z", "next_update": "2026-03-02T13:00:00Z", "glossary": "http://x/glossary",
    }  # fmt: skip


SCOPED = make_program(
    """{{Program|start=2026-03-01|end=2026-03-31|wikis=devwiki, devcommons, devwikidata|namespaces_devwiki=0, 2
|articles=Ebro
Tajo
Duero
|categories=[[Category:Rivers of Spain]] [[Category:Lakes]]|category_depth=2|scope_templates=Infobox river
|petscan=24680|exclude=Ebro (disambiguation)}}""",
    ("Bob",),
)


def scoped_params(wikidata: WikidataCounts | None = None) -> dict[str, object]:
    found = replace(metrics(120), wikidata=wikidata)
    return outcome_params(found, SCOPED.definition, WHEN, WHEN + timedelta(hours=1), "http://x/glossary")


def test_namespaces_and_scope_are_stated() -> None:
    written = scoped_params()
    assert (written["wikis"], written["namespaces"], written["scope"]) == (
        "devwiki, devcommons, devwikidata",
        "devwiki: 0, 2; devcommons: 6; devwikidata: 0, 120, 146",
        "articles: 3; categories: Rivers of Spain, Lakes (depth 2); scope_templates: Infobox river; petscan: 24680; "
        "exclude: 1",
    )
    only_psid = make_program("{{Program|start=2026-03-01|end=2026-03-31|petscan=13579|exclude=A\nB}}", ("Bob",))
    exclusions = make_program("{{Program|start=2026-03-01|end=2026-03-31|exclude=A}}", ("Bob",))
    for program, scope in ((only_psid, "petscan: 13579; exclude: 2"), (exclusions, "all; exclude: 1")):
        found = outcome_params(metrics(120), program.definition, WHEN, WHEN, "http://x/glossary")
        assert (found["namespaces"], found["scope"]) == ("devwiki: 0", scope)
    # Plain strings: the writer escapes them like any other value.
    assert "|namespaces=devwiki: 0, 2; devcommons: 6; devwikidata: 0, 120, 146\n" in template(
        "Program outcome", written, multiline=True
    )


def test_wikidata_parameters_sum_added_changed_removed() -> None:
    counts = WikidataCounts(
        items_created=2, claims_added=3, claims_changed=2, claims_removed=3, labels_added=5, labels_changed=1,
        labels_removed=3, descriptions_added=2, descriptions_removed=2, aliases_added=3, aliases_removed=3,
        sitelinks_added=2, sitelinks_changed=2, sitelinks_removed=2, properties_created=1, qualifiers_added=2,
        qualifiers_changed=1, qualifiers_removed=2, references_added=2, references_changed=1, references_removed=2,
        redirects=1,
    )  # fmt: skip
    written = scoped_params(counts)
    assert {key: value for key, value in written.items() if key.startswith("wikidata_")} == {
        "wikidata_items_created": 2, "wikidata_claims": 8, "wikidata_labels": 9, "wikidata_descriptions": 4,
        "wikidata_aliases": 6, "wikidata_sitelinks": 6, "wikidata_properties_created": 1, "wikidata_qualifiers": 5,
        "wikidata_references": 5, "wikidata_redirects": 1,
    }  # fmt: skip
    # A program without a Wikidata-like wiki has no Wikidata parameters at all.
    assert not [key for key in params(120) if key.startswith("wikidata_")]


def test_outcome_is_inserted_after_the_program_template_and_nothing_else_moves() -> None:
    result = place_outcome(PAGE, TEMPLATES, params(120))
    head, rest = result.split("\n{{Program outcome\n", 1)
    tail = rest.split("\n}}", 1)[1]
    assert head + tail == PAGE
    assert head.endswith("<!-- keep -->\n}}")


def test_unchanged_numbers_make_no_edit_and_changed_ones_replace_in_place() -> None:
    first = place_outcome(PAGE, TEMPLATES, params(120))
    assert place_outcome(first, TEMPLATES, params(120, WHEN + timedelta(minutes=5))) == first
    second = place_outcome(first, TEMPLATES, params(130, WHEN + timedelta(minutes=5)))
    assert second.count("{{Program outcome") == 1
    assert "|bytes_added=130" in second
    assert "|updated=2026-03-02T12:05:00Z" in second


def test_participants_table_replaced_between_header_and_footer() -> None:
    people = tuple(
        Participant(name, status, name, 1, WHEN)
        for name, status in (("Bob", SignupStatus.CONFIRMED), ("Dave", SignupStatus.UNCONFIRMED))
    )
    block = participants_block(TEMPLATES.participants, metrics(120), people)
    assert block == (
        "{{Program participants/header}}\n"
        "{{Program participants/row|user=Bob|edits=1|articles_edited=1|articles_created=1|bytes_added=120|uploads=0"
        "|status=confirmed}}\n"
        "{{Program participants/row|user=Dave|edits=0|articles_edited=0|articles_created=0|bytes_added=0|uploads=0"
        "|status=unconfirmed}}\n"
        "{{Program participants/footer}}"
    )
    with_outcome = place_outcome(PAGE, TEMPLATES, params(120))
    once = place_participants(with_outcome, TEMPLATES, block)
    assert once.count("{{Program participants/header}}") == 1
    assert place_participants(once, TEMPLATES, block) == once
    shorter = participants_block(TEMPLATES.participants, metrics(120), people[:1])
    twice = place_participants(once, TEMPLATES, shorter)
    assert twice == once.replace(block, shorter)


def test_page_without_program_template_gets_outcome_at_the_end() -> None:
    assert place_outcome("text\n\n", TEMPLATES, {"edits": "1"}) == "text\n{{Program outcome\n|edits=1\n}}\n"


def test_numbers_follow_the_registry_order_and_a_page_in_the_old_order_is_no_change() -> None:
    """The registry keeps the downloads' column order, so on a program with uploads the file numbers now come before
    bytes_net (they used to follow references_removed). Only the order changed: a page written in the old order with
    the same numbers is left alone, so deploying this makes no edit."""
    counted = metrics(120)
    with_uploads = replace(counted, total=replace(counted.total, uploads=1, uploads_in_use=1, upload_usage=2))
    new = outcome_params(with_uploads, PROGRAM.definition, WHEN, WHEN + timedelta(hours=1), "http://x/glossary")
    numbers = [key for key in new if key not in {"applied_name", "applied_start", "applied_end"}][:14]
    assert numbers == [
        "participants", "new_editors", "edits", "edits_deleted", "articles_edited", "articles_created",
        "articles_created_deleted", "bytes_added", "bytes_removed", "uploads", "uploads_in_use", "upload_usage",
        "bytes_net", "retention_7",
    ]  # fmt: skip
    files = ("uploads", "uploads_in_use", "upload_usage")
    rest = [key for key in new if key not in files]
    at = rest.index("bytes_net") + 1  # where the old code put them (no words, references or views here)
    old = {key: new[key] for key in (*rest[:at], *files, *rest[at:])}
    assert old == new and list(old) != list(new)
    outcome = template("Program outcome", old, multiline=True)
    page = PAGE.replace("}}\n== Participants", "}}\n" + outcome + "\n== Participants")
    assert place_outcome(page, TEMPLATES, new) == page
    assert place_outcome(page, TEMPLATES, {**new, "upload_usage": 3}) != page
