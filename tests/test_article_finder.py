"""The Article Finder end to end on the dev wikis: a scripted category tree whose ranking is known in advance (sizes,
references, Lift Wing scores and page views chosen so that each score can be worked out by hand from the formula in
bot/article_finder.py), asked for by the program's organizer on a subpage, answered by the main job, guarded by the
program's trust rules, and turned into the program's scope with one edit."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta

import mwparserfromhell
import pytest

from bot.__main__ import main
from bot.article_finder import Candidate, rank, score
from bot.clock import utcnow
from bot.config import Settings
from bot.program import Message
from bot.store import Store
from bot.update import run_update
from devtools.liftwing_server import LiftWingServer
from devtools.pageviews_server import PageviewsServer
from devtools.scenario import Revision, import_revisions
from devtools.wikiuser import WikiUser

PROGRAM = "Project:Rivers drive"
REQUEST = f"{PROGRAM}/Finder"
PROJECT = "dev.wikipedia"
HOSTILE = "Omega ''river'' http://example.org"


def sized(size: int, body: str) -> str:
    """``body`` padded with a comment to exactly ``size`` bytes (page_len is the text's UTF-8 length)."""
    padding = size - len(body.encode()) - len("\n<!--  -->")
    assert padding >= 0
    return f"{body}\n<!-- {'x' * padding} -->"


def refs(count: int) -> str:
    return "".join(f"<ref>Source {number}</ref>" for number in range(count))


RIVERS = "[[Category:Rivers of Testland]]"
ARTICLES = {
    # title: (size, text before padding, Lift Wing score, views on one day of the last 30)
    "Alpha river": (100, f"Alpha flows. {RIVERS}", 0.12, 9999),
    "Beta river": (24_000, f"Beta is long.{refs(12)} {RIVERS}", 0.9, 9999),
    "Gamma river": (5_000, f"Gamma.{refs(2)} {RIVERS}", 0.5, 99),
    "Delta creek": (1_000, f"Delta.{refs(1)} [[Category:Tributaries of Testland]] [[Category:Proposed deletion]]",
                    0.2, 0),
    "Epsilon lake": (300, "Epsilon. [[Category:Lakes of the tributaries]]", 0.1, 9999),  # depth 2: not asked for
    "Zeta river": (10_000, "Zeta, listed by title.", None, 999),  # no quality score
    HOSTILE: (200, f"Omega. {RIVERS}", 0.3, 0),
}  # fmt: skip


def scenario() -> dict[str, int]:
    """The articles and categories; returns each article's latest revision id."""
    when = (utcnow() - timedelta(days=40)).strftime("%Y-%m-%dT%H:%M:%SZ")
    revisions = [
        Revision("Tributaries of Testland", 14, "Admin", when, RIVERS),
        Revision("Lakes of the tributaries", 14, "Admin", when, "[[Category:Tributaries of Testland]]"),
        Revision("Eta redirect", 0, "Bob", when, f"#REDIRECT [[Alpha river]] {RIVERS}"),
        *(Revision(title, 0, "Bob", when, sized(size, body)) for title, (size, body, _q, _v) in ARTICLES.items()),
    ]
    ids = import_revisions("devwiki", revisions)
    return dict(zip(ARTICLES, ids[3:], strict=True))


@pytest.fixture
def services() -> Iterator[tuple[PageviewsServer, LiftWingServer]]:
    day = utcnow().date() - timedelta(days=3)
    views = {(PROJECT, title, day): count for title, (_s, _b, _q, count) in ARTICLES.items() if count}
    with PageviewsServer(views) as pageviews, LiftWingServer() as liftwing:
        yield pageviews, liftwing


def rows(text: str | None) -> list[dict[str, str]]:
    return [
        {str(p.name).strip(): str(p.value).strip() for p in node.params}
        for node in mwparserfromhell.parse(text or "").filter_templates()
        if node.name.strip() == "Program article finder/row"
    ]


def footer(text: str | None) -> dict[str, str]:
    for node in mwparserfromhell.parse(text or "").filter_templates():
        if node.name.strip() == "Program article finder/footer":
            return {str(p.name).strip(): str(p.value).strip() for p in node.params}
    return {}


def test_scores_by_the_documented_formula() -> None:
    """Each part of the score, worked out by hand."""
    assert score(Candidate("A", 1, 100, 0, 0.12, 9999)).score == 96  # (0.995 + 1 + 0.88) / 3 x 1
    assert score(Candidate("Z", 2, 10_000, 0, None, 999)).score == 66  # (0.5 + 1) / 2 x (0.5 + 0.5 x 0.75)
    assert score(Candidate("D", 3, 1_000, 1, 0.2, 0, ("Proposed deletion",))).score == 54  # 0.8833 x 0.5 + 10
    assert score(Candidate("N", 4, 1_000, 1, None, None)).score == 92  # need alone without page views: 0.925
    assert score(Candidate("F", 5, 40_000, 30, 1.0, 10**6)).score == 0
    assert score(Candidate("D", 3, 1_000, 1, 0.2, 0, ("Proposed deletion",))).reasons == (
        Message("finder-reason-alert", ("Proposed deletion",)),
        Message("finder-reason-few-references", ("1",)),
        Message("finder-reason-short", ("1000",)),
        Message("finder-reason-low-quality", ("0.20",)),
    )
    ties = [Candidate("B", 1, 100, 0, None, 5), Candidate("A", 2, 100, 0, None, 5), Candidate("C", 3, 100, 0, None, 7)]
    assert [r.candidate.title for r in rank(ties, 2)] == ["C", "A"]  # same score: more views, then title


@pytest.mark.usefixtures("templates_installed")
def test_finder_ranks_a_scripted_category_tree_for_the_organizer(
    settings: Settings,
    store: Store,
    services: tuple[PageviewsServer, LiftWingServer],
    capsys: pytest.CaptureFixture[str],
) -> None:
    pageviews, liftwing = services
    latest = scenario()
    liftwing.scores.update({latest[t]: quality for t, (_s, _b, quality, _v) in ARTICLES.items() if quality})
    devwiki = replace(settings.wiki("devwiki"), pageviews_project=PROJECT, articlequality_url=liftwing.base_url)
    settings = replace(settings, pageviews_url=pageviews.base_url, wikis={**settings.wikis, "devwiki": devwiki})
    alice, mallory = WikiUser.on("devwiki", "Alice"), WikiUser.on("devwiki", "Mallory")
    today = utcnow().date()
    start, end = today - timedelta(days=2), today + timedelta(days=5)
    alice.edit(PROGRAM, f"{{{{Program|name=Rivers drive|start={start}|end={end}|articles=[[Old river]]}}}}\n")
    request = "Intro.\n{{Program article finder|category=Rivers of Testland|depth=1|articles=Zeta river|limit=5}}\n"
    alice.edit(REQUEST, request + "Notes below.\n")
    # Someone else asks for more rows: held, not applied.
    mallory.edit(REQUEST, request.replace("limit=5", "limit=50") + "Notes below.\n")
    # A request on a page that is not a program's subpage, and one by a non-organizer on a subpage: never answered.
    alice.edit("Project:Elsewhere", request)
    mallory.edit(f"{PROGRAM}/Mallory", request)

    run_update(settings, store, utcnow())

    text = alice.page_text(REQUEST)
    found = rows(text)
    assert [(r["rank"], r["title"], r["score"]) for r in found] == [
        ("1", "Alpha river", "96"),
        ("2", "Zeta river", "66"),
        ("3", "Delta creek", "54"),
        ("4", "Gamma river", "51"),
        ("5", "Omega &#39;&#39;river&#39;&#39; http&#58;//example.org", "45"),
    ]  # Beta (3) is sixth; Epsilon lake is two levels down; the redirect is no article
    assert {r["title"]: (r["size"], r["references"], r["quality"], r["views"]) for r in found} == {
        "Alpha river": ("100", "0", "0.12", "9999"),
        "Zeta river": ("10000", "0", "\N{EN DASH}", "999"),
        "Delta creek": ("1000", "1", "0.20", "0"),
        "Gamma river": ("5000", "2", "0.50", "99"),
        "Omega &#39;&#39;river&#39;&#39; http&#58;//example.org": ("200", "0", "0.30", "0"),
    }
    assert (
        found[0]["reasons"]
        == "no references; short (100 bytes); low quality score (0.12); much read (9999 views in 30 days)"
    )
    assert found[2]["alerts"] == "Proposed deletion"
    assert found[2]["reasons"].startswith(
        "up for deletion (Proposed deletion): improving it may save it; only 1 reference"
    )
    ready = "[[Old river]] [[Alpha river]] [[Zeta river]] [[Delta creek]] [[Gamma river]] [[" + HOSTILE + "]]"
    expected_footer = {"looked_at": "6", "shown": "5"}
    assert {k: footer(text)[k] for k in expected_footer} == expected_footer
    assert footer(text)["articles"] == ready.replace("[[", "&#91;&#91;").replace("]]", "&#93;&#93;").replace(
        "''", "&#39;&#39;").replace("://", "&#58;//")  # fmt: skip
    # The organizer's text around the request is untouched; the table sits right below the request.
    held = request.replace("limit=5", "limit=50")  # Mallory's text stays on the page, held
    assert text is not None and text.startswith(held.rstrip("\n") + "\n{{Program article finder/header|")
    assert text.rstrip().endswith("Notes below.")
    last = alice.revisions(REQUEST)[-1]
    assert last["user"] == "ProgramsBot"
    assert last["comment"] == (
        "Bot: Article Finder list (5 articles) ([[:Dev Wiki:Rivers drive]]; [[User:ProgramsBot/Tasks|bot tasks]])"
    )
    # Hostile title: a link to the page itself, no external link, no italics.
    parsed = alice.get(action="parse", page=REQUEST, prop="links|externallinks|text", formatversion=2)["parse"]
    assert {"ns": 0, "title": HOSTILE, "exists": True} in parsed["links"]
    assert parsed["externallinks"] == []
    assert "<i>river</i>" not in parsed["text"]
    assert alice.page_text("Project:Elsewhere") == request.rstrip("\n")
    assert alice.page_text(f"{PROGRAM}/Mallory") == request.rstrip("\n")
    # Lift Wing was asked once per article looked at, with the wiki's language.
    assert len(liftwing.requests) == 6 and all('"lang": "en"' in r["body"] for r in liftwing.requests)

    # The same ranking from the command line, as JSON, with the dev config (no page views, no quality model: the
    # need alone, capped at 100; ties by title).
    assert main(["find-articles", "--wiki", "devwiki", "--category", "Rivers of Testland", "--depth", "1",
                 "--article", "Zeta river", "--limit", "2", "--format", "json"]) == 0  # fmt: skip
    assert json.loads(capsys.readouterr().out) == [
        {"rank": 1, "title": "Alpha river", "size": 100, "references": 0, "quality": None, "views": None,
         "alerts": "", "score": 100, "reasons": "no references; short (100 bytes)"},
        {"rank": 2, "title": "Delta creek", "size": 1000, "references": 1, "quality": None, "views": None,
         "alerts": "Proposed deletion", "score": 100,
         "reasons": "up for deletion (Proposed deletion): improving it may save it; only 1 reference; "
                    "short (1000 bytes)"},
    ]  # fmt: skip

    # Nothing changed: no new edit.
    revisions = len(alice.revisions(REQUEST))
    run_update(settings, store, utcnow())
    assert len(alice.revisions(REQUEST)) == revisions

    # The organizer picks ranks 1 and 3 (and asks again); the ready line holds the program's article and those.
    alice.edit(REQUEST, alice.page_text(REQUEST).replace("|limit=50}}", "|limit=50|choose=1, 3}}"))  # type: ignore[union-attr]
    run_update(settings, store, utcnow())
    text = alice.page_text(REQUEST)
    assert (
        footer(text)["articles"]
        == "&#91;&#91;Old river&#93;&#93; &#91;&#91;Alpha river&#93;&#93; &#91;&#91;Delta creek&#93;&#93;"
    )
    assert len(rows(text)) == 5  # Mallory's limit=50 is still held
    # One edit of the program page puts them in its scope (the displayed line, as the organizer copies it).
    program_text = alice.page_text(PROGRAM) or ""
    alice.edit(
        PROGRAM,
        program_text.replace("|articles=[[Old river]]", "|articles=[[Old river]] [[Alpha river]] [[Delta creek]]"),
    )
    results = run_update(settings, store, utcnow() + timedelta(hours=2))
    [result] = [r for r in results if r.title == "Dev Wiki:Rivers drive"]
    assert result.ok
    assert "scope=articles: 3" in (alice.page_text(PROGRAM) or "").replace("\n", "")
