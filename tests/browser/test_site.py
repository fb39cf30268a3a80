"""The site as a visitor's browser shows it, over what the bot counted from the dev wikis (site_data.py).

Every expected figure follows from the actions in site_data.py: the public program "Rivers of Iberia" has Bob,
Carol, Dave and Mallory, 63 counted edits on devwiki (60 imported, 15 each, plus Bob's and Carol's file uses and
Mallory's new article) and 3 on devcommons (each uploaded file's description page): Bob 18, Carol 17, Dave 15,
Mallory 16.
"""

from __future__ import annotations

import csv
import io
import re

from playwright.sync_api import Page, expect

from tests.browser.screenshots import screenshot
from tests.browser.site_data import PARTICIPANTS, PRIVATE, PUBLIC, SECOND, SiteData

EDITS = {"Bob": 18, "Carol": 17, "Dave": 15, "Mallory": 16}


def row_texts(page: Page, selector: str) -> list[list[str]]:
    """The cells' text of each body row of a table."""
    return [
        [cell.strip() for cell in row.locator("td, th").all_inner_texts()]
        for row in page.locator(f"{selector} tbody tr").all()
    ]


def test_home_lists_the_programs_with_their_figures(page: Page, site: str, site_data: SiteData) -> None:
    page.goto(f"{site}/?uselang=en")
    expect(page.locator("h1")).to_have_text("Programs")
    rows = {cells[0]: cells for cells in row_texts(page, "table")}
    assert set(rows) == {PUBLIC, SECOND, PRIVATE}
    # participants, edits, articles edited
    assert rows[PUBLIC][3:6] == ["4", "66", "10"]
    assert rows[SECOND][3:6] == ["1", "16", "3"]
    assert rows[PRIVATE][3:6] == ["2", "31", "7"]
    screenshot(page, "home")
    page.get_by_role("link", name=PUBLIC).click()
    expect(page).to_have_url(f"{site}/program/{site_data.keys[PUBLIC]}")
    expect(page.locator("h1")).to_have_text(PUBLIC)


def test_program_page_shows_each_participants_figures(page: Page, site: str, site_data: SiteData) -> None:
    page.goto(f"{site}/program/{site_data.keys[PUBLIC]}?uselang=en")
    outcome = dict(
        (row.locator("th").inner_text(), row.locator("td").inner_text())
        for row in page.locator("h2:has-text('Outcome') + table tr").all()
    )
    assert (outcome["Participants"], outcome["Edits"], outcome["Articles edited"]) == ("4", "66", "10")
    # Created: the six rivers and Mallory's article on devwiki, and the three files' description pages.
    created = outcome["Articles created"]
    assert (created, outcome["Files uploaded"], outcome["Uploaded files in use"]) == ("10", "3", "2")
    assert outcome["Views of edited and created articles"] == "140"  # River Tagus 100, River Ebro 40
    people = {cells[0]: int(cells[2]) for cells in row_texts(page, "h2:has-text('Participants') + table")}
    assert people == EDITS
    screenshot(page, "program")


def test_campaigns_and_glossary(page: Page, site: str) -> None:
    page.goto(f"{site}/campaigns?uselang=en")
    expect(page.locator("h2")).to_have_text(["Rivers"])
    expect(page.locator("h2 + ul li")).to_have_text([f"{SECOND} (16 edits)", f"{PUBLIC} (66 edits)"])
    screenshot(page, "campaigns")
    page.get_by_role("link", name="Glossary").click()
    expect(page.locator("dt#edits")).to_be_visible()
    screenshot(page, "glossary")


def test_participants_csv_download(page: Page, site: str, site_data: SiteData) -> None:
    page.goto(f"{site}/program/{site_data.keys[PUBLIC]}?uselang=en")
    with page.expect_download() as info:
        page.locator("a[href$='/participants.csv']").click()
    download = info.value
    assert download.suggested_filename == f"{site_data.keys[PUBLIC].replace(':', '-')}-participants.csv"
    rows = list(csv.DictReader(io.StringIO(download.path().read_text(encoding="utf-8"))))
    assert {row["username"]: int(row["edits"]) for row in rows} == EDITS


def test_language_switch_keeps_the_page(page: Page, site: str, site_data: SiteData) -> None:
    path = f"/program/{site_data.keys[PUBLIC]}"
    page.goto(f"{site}{path}?uselang=en")
    expect(page.locator("h2", has_text="Outcome")).to_be_visible()
    page.get_by_role("link", name="español").click()
    assert re.fullmatch(rf"{re.escape(site + path)}\?(.*&)?uselang=es(&.*)?", page.url), page.url
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator("h2", has_text="Resultados")).to_be_visible()
    expect(page.locator("h1")).to_have_text(PUBLIC)


def test_private_program_shows_no_username(page: Page, site: str, site_data: SiteData) -> None:
    key = site_data.keys[PRIVATE]
    page.goto(f"{site}/program/{key}?uselang=en")
    expect(page.get_by_text("This program is private: only totals are published.")).to_be_visible()
    outcome = page.locator("h2:has-text('Outcome') + table")
    expect(outcome.locator("tr", has_text="Participants").locator("td")).to_have_text("2")
    expect(outcome.locator("tr", has_text="Edits").first.locator("td")).to_have_text("31")
    screenshot(page, "program-private")
    html = page.content()
    downloads = page.locator("a[href$='.csv'], a[href$='.json']").evaluate_all("links => links.map(a => a.href)")
    assert len(downloads) >= 10, downloads
    bodies = {url: page.request.get(url).text() for url in downloads}
    for name in PARTICIPANTS:  # its own participants and everyone else's
        assert name not in html, name
        for url, body in bodies.items():
            assert name not in body, (name, url)


def test_refresh_button_queues_an_update(page: Page, site: str, site_data: SiteData) -> None:
    page.goto(f"{site}/program/{site_data.keys[SECOND]}?uselang=en")
    page.get_by_role("button", name="Update now").click()
    expect(page.locator("p.notice")).to_have_text(
        "Queued: the bot counts this program as soon as a worker is free; this page reloads itself until it is done."
    )
    assert "refresh=queued" in page.url
    expect(page.locator("meta[http-equiv='refresh']")).to_have_attribute("content", "15")
