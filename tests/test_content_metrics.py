"""Words added and references added/removed (bot/content_metrics.py), with explicit counts: single texts (messy
wikitext too), histories through a text fetcher, and one history on the real dev wiki read through pywikibot."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot import wiki as wiki_access
from bot.config import load_settings
from bot.content_metrics import (
    ContentCounts,
    TextRules,
    content_metrics,
    count_references,
    count_words,
    readable_text,
    text_rules,
    wiki_content_metrics,
)
from bot.metrics import RevisionFact
from devtools.scenario import Revision, import_revisions, page_history
from devtools.wikiuser import WikiUser

RULES = TextRules.make(["Sfn", "Harvnb"])
START = datetime(2024, 3, 1, 10, tzinfo=UTC)


# --- words ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", 0),
        ("The '''Tagus''' is a [[river]] in [[Iberia|the Iberian Peninsula]].", 9),
        # Headings, lists and definition lists keep their words, not their markup.
        ("== History ==\n* First item\n# Second item\n; Term : definition", 7),
        # References, templates (nested, parser functions, magic variables) and comments are out.
        (
            "A river.<ref>Smith, ''Rivers'', p. 3</ref> {{Infobox river|name={{lang|es|Tajo}}|length=1007}}"
            "{{#if:{{PAGENAME}}|yes|no}}<!-- a comment with words --> It flows west.",
            5,
        ),
        # A table, in wiki markup or HTML, is out entirely; the text around it stays.
        (
            'Before.\n{| class="wikitable"\n|+ Caption words\n! Header one !! Header two\n|-\n| cell one || cell '
            "two\n|}\nAfter.",
            2,
        ),
        ("Before <table><tr><td>html cell</td></tr></table> after", 2),
        # Categories are out, a file shows its caption only when thumbnailed or framed, [[:Category:X]] is a link.
        (
            "Text. [[Category:Rivers of Spain]] [[category:Rivers|Tagus]] [[File:Tagus.jpg|thumb|upright=1.2|The river "
            "at [[Toledo|Toledo, Spain]]]] [[Image:Map.png|200px|only a tooltip]] [[:Category:Rivers of Spain]]",
            9,
        ),
        # <nowiki> text is shown as written; a behaviour switch is not text; entities are what they show.
        ("__NOTOC__ <nowiki>[[not a link]] <ref>not a ref</ref></nowiki> A&nbsp;B &amp; C", 10),
        # Bold, italics and inline HTML are text; <br> separates; external links show their label or URL.
        (
            "'''bold''' ''it''al<small>ic</small> one<br/>two<br>three [https://example.org the label] "
            "https://example.org/x",
            8,
        ),
        # An unclosed <ref> is shown as text by MediaWiki, and so counted.
        ("Text <ref>never closed", 3),
        # <includeonly> is not shown on the page; <math>, <gallery> are not prose.
        ("Shown<includeonly> hidden words</includeonly> <math>x + y = z</math> <gallery>\nA.jpg|cap\n</gallery>", 1),
        ("#REDIRECT [[River Tagus]]", 0),
        ("  #redirect:[[River Tagus]] {{R from move}}", 0),
        # Unbalanced markup does not break the count.
        ("{{unclosed template A river [[unclosed link '''bold", 7),
        ("}} ]] </ref> </div> words", 5),
    ],
)
def test_words_of_the_readable_text(text: str, words: int) -> None:
    assert count_words(text, RULES) == words, readable_text(text, RULES)


def test_readable_text_is_what_a_reader_sees() -> None:
    assert readable_text("A [[File:X.jpg|thumb|Left bank<ref>r</ref>]] [[Category:Rivers]]<ref>x</ref>.").split() == [
        "A", "Left", "bank", ".",
    ]  # fmt: skip


# --- references ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "references"),
    [
        ("", 0),
        ("A.<ref>One</ref> B.<ref>Two</ref>", 2),
        # A named reference is defined once and reused: <ref name=x/> and <ref name=x></ref> are reuses.
        ('A<ref name="x">Def</ref> B<ref name=x/> C<ref name=x></ref> D<ref name="x">Def</ref> E<ref name=y />', 1),
        # An empty or blank <ref> defines nothing; groups make separate names; tag names are case-insensitive.
        ("<ref></ref><ref> </ref><REF>Upper</REF><ref group=note name=x>G</ref><ref name=x>H</ref>", 3),
        # Nothing in comments, <nowiki>, <pre>, <syntaxhighlight>; an unclosed <ref> is text.
        (
            "<!-- <ref>c</ref> --><nowiki><ref>n</ref></nowiki><pre><ref>p</ref></pre>"
            "<syntaxhighlight lang=html><ref>s</ref></syntaxhighlight><ref>unclosed",
            0,
        ),
        # MediaWiki ends a <ref> at its first </ref>: a ref nested in a ref is not another reference.
        ("<ref>outer <ref>inner</ref> rest</ref>", 1),
        # References inside templates' parameters count, list-defined references too, and {{#tag:ref}}.
        ("{{Infobox river|length=1007<ref>Atlas</ref>|mouth={{efn|Lisbon<ref>Guide</ref>}}}}", 2),
        ("Text<ref name=a/>\n<references>\n<ref name=a>Defined in the list</ref>\n</references>", 1),
        ("{{#tag:ref|A note|group=n}} {{#tag:ref||name=empty}} {{#tag:ref|Named|name=m}}<ref name=m/>", 2),
        # Short footnotes: configured names, first letter case-insensitive, Template: prefix, identical calls once.
        ("{{sfn|Smith|2001|p=3}} {{Sfn|Smith|2001|p=3}} {{Template:Sfn |Smith|2001|p=4}} {{sfn|Jones|1999}}", 3),
        ("{{SFN|Smith|2001}} {{Sfnp|Smith|2001}} {{harv|Smith|2001}}", 0),
        # {{Harvnb}} inside a <ref> is that reference, not another one.
        ("<ref>{{Harvnb|Smith|2001|p=3}}</ref> {{harvnb|Smith|2001|p=5}}", 2),
        ("{{efn|A note {{sfn|Smith|2001}}}}", 1),
        ("<!-- {{sfn|Smith|2001}} -->", 0),
    ],
)
def test_references_defined(text: str, references: int) -> None:
    assert count_references(text, RULES) == references


def test_footnote_templates_come_from_the_wikis_config_and_namespace_names() -> None:
    devwiki = load_settings().wiki("devwiki")
    rules = text_rules(devwiki, {6: ("Archivo",), 10: ("Plantilla",), 14: ("Categoría",)})
    assert rules.footnote_templates == {"Sfn", "Harvnb"}
    assert count_references("{{Plantilla:sfn|A|1}} {{harvnb|B|2}}", rules) == 2
    assert count_words("Río. [[Categoría:Ríos]] [[archivo:X.jpg|miniatura]] [[File:Y.jpg]]", rules) == 1
    # Without the config's templates, short footnotes are not references.
    assert count_references("{{sfn|A|1}}", TextRules.make()) == 0


# --- histories -----------------------------------------------------------------------------------------------------


def fact(rev_id: int, user: str, title: str, parent: int, *, page: int = 1, deleted: bool = False) -> RevisionFact:
    when = START + timedelta(hours=rev_id)
    return RevisionFact("devwiki", rev_id, user, 0 if deleted else page, 0, title, when, 0, 0, parent, deleted)


TEXTS: dict[int, str | None] = {
    # River: 5 words, 1 reference.
    1: "The '''Tagus''' is a river.<ref>Atlas</ref>",
    # 8 words (+3), 3 references (+2).
    2: "The '''Tagus''' is a long river in Iberia.<ref>Atlas</ref><ref name=b>Book</ref> {{sfn|Smith|2001}}",
    # 7 words (-1: adds none), 1 reference (-2).
    3: "The '''Tagus''' is a river in Iberia. {{sfn|Smith|2001}}",
    4: None,  # hidden by an admin
    5: "The '''Tagus''' is a river in Iberia and Portugal.",
    # Lake: 4 words, no reference.
    7: '{| class="wikitable"\n| A || B\n|}\nA lake<!-- note --> near {{convert|5|km}} Lisbon.',
    # Pond: its parent (8) was made by someone else: 2 words, 1 reference; then 5 words, 2 references.
    8: "A pond.<ref>Map</ref>",
    9: "A pond near Lisbon, Portugal.<ref>Map</ref><ref>Guide</ref>",
}
FACTS = [
    fact(1, "Bob", "River", 0),  # creation: +5 words, +1 reference
    fact(2, "Carol", "River", 1),  # +3 words, +2 references
    fact(3, "Bob", "River", 2),  # 0 words, -2 references
    fact(4, "Bob", "River", 3),  # its text is hidden: left out
    fact(5, "Carol", "River", 4),  # its parent's text is hidden: left out
    fact(6, "Bob", "Gone", 0, deleted=True),  # a deleted page: not counted, never fetched
    fact(7, "Carol", "Lake", 0, page=2),  # creation: +4 words
    fact(9, "Bob", "Pond", 8, page=3),  # +3 words, +1 reference
]


class Fetcher:
    """Texts by revision id, recording each call."""

    def __init__(self, texts: Mapping[int, str | None]) -> None:
        self.texts = texts
        self.calls: list[list[int]] = []

    def __call__(self, rev_ids: Sequence[int]) -> dict[int, str | None]:
        self.calls.append(list(rev_ids))
        return {rev_id: self.texts[rev_id] for rev_id in rev_ids if rev_id in self.texts}


def test_history_words_and_references_per_revision_participant_and_total() -> None:
    fetcher = Fetcher(TEXTS)
    metrics = content_metrics(FACTS, fetcher, RULES)
    assert metrics.total == ContentCounts(words_added=15, references_added=4, references_removed=2)
    assert metrics.total == (15, 4, 2)
    assert metrics.by_participant == {
        "Bob": ContentCounts(words_added=8, references_added=2, references_removed=2),
        "Carol": ContentCounts(words_added=7, references_added=2, references_removed=0),
    }
    assert metrics.by_revision == {
        1: (5, 1, 0), 2: (3, 2, 0), 3: (0, 0, 2), 7: (4, 0, 0), 9: (3, 1, 0),
    }  # fmt: skip
    assert metrics.unreadable == (4, 5)
    # One call for the revisions and their parents, each id once, no deleted revision, no parent 0.
    assert fetcher.calls == [[1, 2, 3, 4, 5, 7, 9, 8]]


def test_batches_fetch_each_text_once() -> None:
    fetcher = Fetcher(TEXTS)
    metrics = content_metrics(FACTS, fetcher, RULES, batch_size=2)
    assert metrics.total == (15, 4, 2)
    assert fetcher.calls == [[1, 2], [3, 4], [5, 7], [9, 8]]


def test_no_revisions_no_fetch() -> None:
    fetcher = Fetcher({})
    assert content_metrics([fact(6, "Bob", "Gone", 0, deleted=True)], fetcher, RULES).total == (0, 0, 0)
    assert fetcher.calls == []


def test_one_wiki_at_a_time() -> None:
    other = RevisionFact("devcommons", 1, "Bob", 1, 6, "X.png", START, 0, 0, 0)
    with pytest.raises(ValueError, match="one wiki"):
        content_metrics([FACTS[0], other], Fetcher(TEXTS), RULES)


# --- on the dev wiki -----------------------------------------------------------------------------------------------


def facts_from_history(wiki: str, title: str, namespace: int = 0) -> list[RevisionFact]:
    page_id, history = page_history(wiki, title)
    name = title.split(":", 1)[-1].replace(" ", "_")
    return [
        RevisionFact(wiki, r["revid"], r["user"], page_id, namespace, name, timestamp(r), r["size"], 0, r["parentid"])
        for r in history
    ]


def timestamp(revision: Mapping[str, Any]) -> datetime:
    return datetime.fromisoformat(str(revision["timestamp"]).replace("Z", "+00:00"))


@pytest.mark.usefixtures("fresh_wikis")
def test_history_on_the_dev_wiki_through_pywikibot(monkeypatch: pytest.MonkeyPatch) -> None:
    tagus = [
        # Bob creates: 5 words, 1 reference.
        "'''River Tagus''' is a river.<ref>Atlas of Iberia</ref>\n[[Category:Rivers]]",
        # Carol: 13 words (+8), 3 references (+2: an Sfn and a named ref, reused once).
        "'''River Tagus''' is the longest river in the Iberian Peninsula.<ref>Atlas of Iberia</ref>"
        "<ref name=len>Length survey</ref> It reaches Lisbon.{{sfn|Smith|2001|p=4}}<ref name=len/>\n"
        "{{Infobox river|length=1007}}\n[[Category:Rivers]]",
        # Bob: 10 words (-3), 2 references (-1), a table added (no words).
        "'''River Tagus''' is the longest Iberian river.<ref>Atlas of Iberia</ref> It reaches Lisbon."
        "{{sfn|Smith|2001|p=4}}\n{|\n| Length || 1007 km\n|}",
    ]
    ids = import_revisions(
        "devwiki",
        [
            Revision("River Tagus", 0, "Bob", "2024-03-01T10:00:00Z", tagus[0], "New"),
            Revision("River Tagus", 0, "Carol", "2024-03-02T10:00:00Z", tagus[1], "Expand"),
            Revision("River Tagus", 0, "Bob", "2024-03-03T10:00:00Z", tagus[2], "Trim"),
        ]
        # A page with 60 revisions, one word and every tenth one a reference more each time: more than one batch.
        + [
            Revision("Word list", 0, "Carol", f"2024-03-04T10:{n:02d}:00Z",
                     " ".join(f"w{i}" + ("<ref>r</ref>" if i % 10 == 0 else "") for i in range(1, n + 2)), "More")
            for n in range(60)
        ],
    )  # fmt: skip
    # Alice edits now, through the API: her edit adds 4 words and removes the Sfn.
    alice = WikiUser.on("devwiki", "Alice")
    alice_rev = alice.edit("River Tagus", tagus[2].replace("{{sfn|Smith|2001|p=4}}", " Its source is Albarracín."))
    facts = facts_from_history("devwiki", "River Tagus") + facts_from_history("devwiki", "Word list")
    assert [f.rev_id for f in facts] == [*ids[:3], alice_rev, *ids[3:]]

    requests: list[dict[str, Any]] = []
    devwiki = load_settings().wiki("devwiki")
    site_class = type(wiki_access.site(devwiki))
    real = site_class.simple_request

    def spy(self: Any, **kwargs: Any) -> Any:
        requests.append(kwargs)
        return real(self, **kwargs)

    monkeypatch.setattr(site_class, "simple_request", spy)
    metrics = wiki_content_metrics(devwiki, facts)
    assert metrics.by_revision[ids[0]] == (5, 1, 0)
    assert metrics.by_revision[ids[1]] == (8, 2, 0)
    assert metrics.by_revision[ids[2]] == (0, 0, 1)
    assert metrics.by_revision[alice_rev] == (4, 0, 1)
    # Word list: 60 words, 6 references, all added.
    assert metrics.by_participant == {
        "Bob": ContentCounts(5, 1, 1), "Carol": ContentCounts(68, 8, 0), "Alice": ContentCounts(4, 0, 1),
    }  # fmt: skip
    assert metrics.total == (77, 9, 2)
    assert metrics.unreadable == ()
    # 64 revisions (their parents among them): one request, with the main slot. The bot has apihighlimits, so
    # MediaWiki takes 500 revision ids at once from it (50 from other accounts).
    text_requests = [r for r in requests if r.get("prop") == "revisions"]
    assert [len(r["revids"].split("|")) for r in text_requests] == [64]
    assert all(r["rvslots"] == "main" for r in text_requests)


@pytest.mark.usefixtures("fresh_wikis")
def test_revision_texts_of_missing_revisions_are_none() -> None:
    (rev_id,) = import_revisions("devwiki", [Revision("Pond", 0, "Bob", "2024-03-01T10:00:00Z", "A pond.", "New")])
    assert wiki_access.revision_texts(load_settings().wiki("devwiki"), [rev_id, 999999, 0]) == {
        rev_id: "A pond.", 999999: None,
    }  # fmt: skip
