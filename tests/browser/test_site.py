"""The site as a visitor's browser shows it, over what the bot counted from the dev wikis (site_data.py).

Every expected figure follows from the actions in site_data.py: the public program "Rivers of Iberia" has Bob,
Carol, Dave and Mallory, 63 counted edits on devwiki (60 imported, 15 each, plus Bob's and Carol's file uses and
Mallory's new article) and 3 on devcommons (each uploaded file's description page): Bob 18, Carol 17, Dave 15,
Mallory 16; 12 edits on each of the five days before today and 6 today. "Deltas week" counts Carol's devwiki edits
(16), "Quiet circle" (private) Dave's and Mallory's (31); "Winter maps" ended before anyone edited.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import Page, expect

from tests.browser.screenshots import screenshot
from tests.browser.site_data import (
    ALERTED,
    ENDED,
    INSTITUTION,
    PARTICIPANTS,
    PRIVATE,
    PUBLIC,
    RIVERS,
    SECOND,
    UPLOADS,
    SiteData,
)

EDITS = {"Bob": 18, "Carol": 17, "Dave": 15, "Mallory": 16}
TABS = ("participants", "articles", "uploads", "activity", "alerts", "charts")


def cells(page: Page, row_selector: str) -> list[list[str]]:
    """The text of each cell (header or data) of each row matching the selector."""
    return [
        [text.strip() for text in row.locator("th, td").all_inner_texts()] for row in page.locator(row_selector).all()
    ]


def program_names(page: Page) -> list[str]:
    return [row[0] for row in cells(page, "[data-testid=program-row]")]


def query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_home_lists_the_programs_with_their_figures(page: Page, site: str, site_data: SiteData) -> None:
    page.goto(f"{site}/?uselang=en")
    expect(page.locator("h1")).to_have_text("Programs")
    rows = {row[0]: row for row in cells(page, "[data-testid=program-row]")}
    # participants, edits, articles edited
    assert {name: row[3:6] for name, row in rows.items()} == {
        PUBLIC: ["4", "66", "10"], SECOND: ["1", "16", "3"], PRIVATE: ["2", "31", "7"], ENDED: ["0", "0", "0"],
    }  # fmt: skip
    expect(page.get_by_test_id("totals")).to_have_text(
        "4 programs found: 4 participants, 66 edits, 10 articles edited."  # each once: all are Rivers of Iberia's
    )
    screenshot(page, "home")
    page.get_by_role("link", name=PUBLIC).click()
    expect(page).to_have_url(f"{site}/program/{site_data.keys[PUBLIC]}")
    expect(page.locator("h1")).to_have_text(PUBLIC)


PLACEHOLDER_ROOM = """(input) => {
    const style = getComputedStyle(input);
    const context = document.createElement("canvas").getContext("2d");
    context.font = style.font;
    const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    return [context.measureText(input.placeholder).width, room];
}"""


def test_the_search_placeholder_fits(page: Page, site: str) -> None:
    for language in ("en", "es"):
        page.goto(f"{site}/?uselang={language}")
        needed, room = page.get_by_test_id("search").evaluate(PLACEHOLDER_ROOM)
        assert 0 < needed <= room, language


def test_search_and_filters(page: Page, site: str) -> None:
    page.goto(f"{site}/?uselang=en")
    search = page.get_by_test_id("search")

    def find(text: str = "", **selects: str) -> list[str]:
        search.fill(text)
        for name in ("wiki", "type", "campaign", "status"):
            page.get_by_test_id(f"filter-{name}").select_option(selects.get(name, ""))
        with page.expect_navigation():  # a plain GET form: the answer is a new page
            page.get_by_test_id("search-submit").click()
        return program_names(page)

    assert find(INSTITUTION) == [PUBLIC]  # by institution
    assert find("deltas") == [SECOND]  # by name, any case
    assert find("devcommons") == [PUBLIC, ENDED]  # by tracked wiki
    # By organizer: a private program's organizers are not searched (they would tie people to it).
    assert find("Alice") == [SECOND, PUBLIC, ENDED]
    assert find(campaign="Rivers") == [SECOND, PUBLIC]
    expect(page.get_by_test_id("totals")).to_have_text(
        "2 programs found: 4 participants, 66 edits, 10 articles edited."  # as the campaign's totals
    )
    assert query(page.url)["campaign"] == ["Rivers"]
    assert find(status="ended") == [ENDED]
    assert find(status="ongoing") == [SECOND, PRIVATE, PUBLIC]
    assert find(type="course") == [SECOND]
    assert find(wiki="devcommons", type="editathon") == [PUBLIC]
    assert find("nothing like this") == []


def test_every_tab_of_a_program(page: Page, site: str, site_data: SiteData) -> None:
    key = site_data.keys[PUBLIC]
    page.goto(f"{site}/program/{key}?uselang=en")
    expect(page.get_by_test_id("institution")).to_have_text(INSTITUTION)
    outcome = dict((row[0], row[1]) for row in cells(page, "[data-testid=outcome] tr"))
    assert (outcome["Participants"], outcome["Edits"], outcome["Articles edited"]) == ("4", "66", "10")
    # Created: the six rivers and Mallory's article on devwiki, and the three files' description pages.
    assert (outcome["Articles created"], outcome["Files uploaded"], outcome["Uploaded files in use"]) == (
        "10",
        "3",
        "2",
    )
    assert outcome["Views of edited and created articles"] == "140"  # River Tagus 100, River Ebro 40
    screenshot(page, "program-overview")
    for tab in TABS:
        page.get_by_test_id(f"tab-{tab}").click()
        expect(page).to_have_url(re.compile(rf"/program/{key}/{tab}\?uselang=en$"))
        expect(page.get_by_test_id(f"tab-{tab}")).to_have_attribute("aria-current", "page")
        expect(page.get_by_test_id(f"tab-panel-{tab}")).to_be_visible()
        screenshot(page, f"program-{tab}")


def test_participants_tab_links_each_uploader_to_their_uploads(page: Page, site: str, site_data: SiteData) -> None:
    page.goto(f"{site}/program/{site_data.keys[PUBLIC]}/participants?uselang=en")
    people = {row[0]: int(row[2]) for row in cells(page, "[data-testid=participant-row]")}
    assert people == EDITS
    bob = page.get_by_test_id("participant-row").filter(has_text="Bob")
    bob.get_by_test_id("participant-uploads").click()
    expect(page.get_by_test_id("uploader-select")).to_have_value("Bob")
    expect(page.get_by_test_id("upload")).to_have_count(2)


def test_articles_tab_links_each_article_to_its_wiki_with_views(page: Page, site: str, site_data: SiteData) -> None:
    page.goto(f"{site}/program/{site_data.keys[PUBLIC]}/articles?uselang=en")
    rows = {row[0]: row for row in cells(page, "[data-testid=article-row]")}
    assert set(rows) == {*RIVERS, ALERTED, *(f"File:{name}" for name in UPLOADS)}
    # edits, views
    assert (rows["River Tagus"][3], rows["River Tagus"][6]) == ("11", "100")
    assert (rows["River Ebro"][3], rows["River Ebro"][6]) == ("11", "40")
    assert (rows["River Duero"][3], rows["River Duero"][6]) == ("10", "0")
    link = page.get_by_role("link", name="River Júcar", exact=True)
    expect(link).to_have_attribute("href", "http://127.0.0.1:8181/index.php/River_J%C3%BAcar")


def test_upload_views_and_the_uploader_filter(page: Page, site: str, site_data: SiteData) -> None:
    page.goto(f"{site}/program/{site_data.keys[PUBLIC]}/uploads?uselang=en")
    gallery = page.get_by_test_id("uploads-gallery")
    expect(gallery.get_by_test_id("upload")).to_have_count(3)
    credits = gallery.get_by_test_id("upload").evaluate_all(
        "items => items.map(i => [i.querySelector('.file-name').textContent, i.querySelector('.credit').textContent])"
    )
    assert sorted(credits) == [
        ["Ebro delta.png", "by Carol · devcommons"], ["Tagus mouth.png", "by Bob · devcommons"],
        ["Tagus source.png", "by Bob · devcommons"],
    ]  # fmt: skip
    # The thumbnails come from devcommons and load (the policy lets the file wiki's images in).
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=uploads-gallery] img')]"
        ".every(image => image.complete && image.naturalWidth === 1)"  # site_data's files are 1x1 PNGs
    )
    page.get_by_test_id("upload-view-list").click()
    expect(page.get_by_test_id("upload-view-list")).to_have_attribute("aria-current", "true")
    listed = cells(page, "[data-testid=uploads-list] [data-testid=upload]")
    # file, wiki, uploader, used on
    assert sorted((row[0], row[1], row[2], row[4]) for row in listed) == [
        ("Ebro delta.png", "devcommons", "Carol", "1"), ("Tagus mouth.png", "devcommons", "Bob", "0"),
        ("Tagus source.png", "devcommons", "Bob", "1"),
    ]  # fmt: skip
    page.get_by_test_id("upload-view-tile").click()
    expect(page.get_by_test_id("uploads-tile").get_by_test_id("upload")).to_have_count(3)
    page.get_by_test_id("uploader-select").select_option("Bob")
    with page.expect_navigation():
        page.get_by_test_id("uploader-submit").click()
    assert query(page.url)["view"] == ["tile"] and query(page.url)["uploader"] == ["Bob"]
    tiles = page.get_by_test_id("uploads-tile").locator(".file-name")
    expect(tiles).to_have_count(2)
    # Uploaded within the same second: in no set order.
    assert sorted(tiles.all_inner_texts()) == ["Tagus mouth.png", "Tagus source.png"]
    page.get_by_role("link", name="Tagus source.png").click()
    expect(page.get_by_test_id("file-name")).to_have_text("Tagus source.png")
    expect(page.get_by_test_id("file-usage")).to_contain_text("one page")
    # The page using it, linked to its wiki, with its views of the last 30 days (100 yesterday, site_data's views).
    assert cells(page, "[data-testid=file-page]") == [["River Tagus", "devwiki", "100"]]
    expect(page.get_by_role("link", name="River Tagus")).to_have_attribute(
        "href", "http://127.0.0.1:8181/index.php/River_Tagus"
    )
    screenshot(page, "file")
    expect(page.get_by_test_id("tab-uploads")).to_have_attribute("aria-current", "page")


def test_activity_lists_50_revisions_then_see_more(page: Page, site: str, site_data: SiteData) -> None:
    page.goto(f"{site}/program/{site_data.keys[PUBLIC]}/activity?uselang=en")
    revisions = page.get_by_test_id("revision")
    expect(revisions).to_have_count(50)
    # Newest first: today's six live edits (same minute, so in no set order), then the imported ones.
    today = {(row[1], row[2], row[3]) for row in cells(page, "[data-testid=revision]")[:6]}
    assert today == {
        ("devwiki", "Mallory", f"{ALERTED} created"), ("devwiki", "Bob", RIVERS[0]), ("devwiki", "Carol", RIVERS[1]),
        *(("devcommons", uploader, f"File:{name} created") for name, uploader in UPLOADS.items()),
    }  # fmt: skip
    page.get_by_test_id("see-more").click()
    expect(revisions).to_have_count(66)
    expect(page.get_by_test_id("see-more")).to_have_count(0)
    oldest = cells(page, "[data-testid=revision]")[-1]
    assert (oldest[2], oldest[3]) == ("Bob", f"{RIVERS[0]} created")  # imported revision 0


def test_alerts_tab(page: Page, site: str, site_data: SiteData) -> None:
    page.goto(f"{site}/program/{site_data.keys[PUBLIC]}/alerts?uselang=en")
    expect(page.get_by_test_id("alerts").locator("li")).to_have_text(
        [f"devwiki: {ALERTED.replace(' ', '_')} (Proposed deletion)"]
    )
    expect(page.get_by_test_id("edit-log")).to_contain_text("program outcome")


def test_chart_has_a_point_per_day_with_edits(page: Page, site: str, site_data: SiteData) -> None:
    page.goto(f"{site}/program/{site_data.keys[PUBLIC]}/charts?uselang=en")
    chart = page.get_by_test_id("chart-edits")
    expect(chart).to_have_attribute("role", "img")
    points = chart.locator("g.point")
    expect(points).to_have_count(6)
    # The five days of imported revisions (12 each), then today's 6 live edits.
    expected = [[(site_data.today - timedelta(days=5 - i)).isoformat(), 12 if i < 5 else 6] for i in range(6)]
    assert points.evaluate_all("gs => gs.map(g => [g.dataset.day, Number(g.dataset.value)])") == expected
    box = chart.bounding_box()
    assert box is not None and box["width"] > 200 and box["height"] > 50  # drawn, not collapsed


def test_language_switch_keeps_the_page_and_its_query(page: Page, site: str, site_data: SiteData) -> None:
    path = f"/program/{site_data.keys[PUBLIC]}/uploads"
    page.goto(f"{site}{path}?view=list&uploader=Bob&uselang=en")
    expect(page.get_by_test_id("tab-uploads")).to_have_text("Uploads")
    page.get_by_test_id("language-es").click()
    expect(page).to_have_url(re.compile(r"uselang=es"))
    assert urlsplit(page.url).path == path
    assert query(page.url) == {"view": ["list"], "uploader": ["Bob"], "uselang": ["es"]}
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_test_id("tab-uploads")).to_have_text("Archivos subidos")
    expect(page.get_by_test_id("upload")).to_have_count(2)
    page.get_by_test_id("language-en").click()
    expect(page).to_have_url(re.compile(r"uselang=en"))
    assert query(page.url) == {"view": ["list"], "uploader": ["Bob"], "uselang": ["en"]}


def test_participants_csv_download(page: Page, site: str, site_data: SiteData) -> None:
    page.goto(f"{site}/program/{site_data.keys[PUBLIC]}?uselang=en")
    with page.expect_download() as info:
        page.get_by_test_id("csv-participants").click()
    download = info.value
    assert download.suggested_filename == f"{site_data.keys[PUBLIC].replace(':', '-')}-participants.csv"
    rows = list(csv.DictReader(io.StringIO(download.path().read_text(encoding="utf-8"))))
    assert {row["username"]: int(row["edits"]) for row in rows} == EDITS


def test_embed_snippet_renders_in_another_page(page: Page, site: str, site_data: SiteData) -> None:
    page.goto(f"{site}/program/{site_data.keys[PUBLIC]}?uselang=en")
    snippet = page.get_by_test_id("embed-snippet").input_value()
    assert snippet.startswith(f'<iframe src="{site}/program/{site_data.keys[PUBLIC]}/embed"'), snippet
    # A blog post somewhere else (no origin of ours) pasting the snippet.
    page.set_content(f"<!doctype html><title>My blog</title><h1>Our edit-a-thon</h1>\n{snippet}\n<p>Thanks!</p>")
    frame = page.frame_locator("iframe")
    expect(frame.get_by_test_id("embed-edits")).to_have_text("66")
    expect(frame.get_by_test_id("embed-participants")).to_have_text("4")
    expect(frame.get_by_role("link", name=PUBLIC)).to_be_visible()
    screenshot(page, "embed")


def test_campaign_page(page: Page, site: str, site_data: SiteData) -> None:
    page.goto(f"{site}/campaigns?uselang=en")
    page.get_by_role("link", name="Rivers").first.click()
    expect(page).to_have_url(re.compile(rf"/campaign/{site_data.campaign_key}"))
    # Carol's Deltas week edits are hers in Rivers of Iberia too: counted once.
    expect(page.get_by_test_id("total-participants")).to_have_text("4")
    expect(page.get_by_test_id("total-edits")).to_have_text("66")
    assert [row[0] for row in cells(page, "[data-testid=campaign-program]")] == [SECOND, PUBLIC]
    screenshot(page, "campaign")


def test_user_page_lists_public_programs_only(page: Page, site: str, site_data: SiteData) -> None:
    page.goto(f"{site}/program/{site_data.keys[PUBLIC]}/participants?uselang=en")
    page.get_by_role("link", name="Carol", exact=True).click()
    expect(page.get_by_test_id("user-name")).to_have_text("Carol")
    assert [(row[0], row[3]) for row in cells(page, "[data-testid=user-program]")] == [(SECOND, "16"), (PUBLIC, "17")]
    screenshot(page, "user")
    page.goto(f"{site}/user/Dave?uselang=en")  # Dave is in the private program too
    assert [(row[0], row[3]) for row in cells(page, "[data-testid=user-program]")] == [(PUBLIC, "15")]


def test_private_program_shows_no_username(page: Page, site: str, site_data: SiteData) -> None:
    key = site_data.keys[PRIVATE]
    page.goto(f"{site}/program/{key}?uselang=en")
    outcome = dict((row[0], row[1]) for row in cells(page, "[data-testid=outcome] tr"))
    assert (outcome["Participants"], outcome["Edits"]) == ("2", "31")
    screenshot(page, "program-private")
    texts = {"overview": page.content()}
    downloads = set(page.locator("a[href$='.csv'], a[href$='.json']").evaluate_all("links => links.map(a => a.href)"))
    for tab in TABS:
        page.get_by_test_id(f"tab-{tab}").click()
        expect(page.get_by_test_id(f"tab-panel-{tab}")).to_be_visible()
        texts[tab] = page.content()
        downloads |= set(page.locator("a[href$='.csv'], a[href$='.json']").evaluate_all("ls => ls.map(a => a.href)"))
    expect(page.get_by_test_id("chart-edits")).to_have_count(0)  # fewer than 5 people: no per-day breakdown
    assert len(downloads) >= 10, downloads
    texts |= {url: page.request.get(url).text() for url in downloads}
    page.goto(f"{site}/program/{key}/embed")
    texts["embed"] = page.content()
    for name in PARTICIPANTS:  # its own participants and everyone else's
        for where, text in texts.items():
            assert name not in text, (name, where)


def test_refresh_button_queues_an_update(page: Page, site: str, site_data: SiteData) -> None:
    page.goto(f"{site}/program/{site_data.keys[SECOND]}?uselang=en")
    page.get_by_test_id("refresh-button").click()
    expect(page.locator("p.notice")).to_have_text(
        "Queued: the bot counts this program as soon as a worker is free; this page reloads itself until it is done."
    )
    assert query(page.url)["refresh"] == ["queued"]
    expect(page.locator("meta[http-equiv='refresh']")).to_have_attribute("content", "15")
