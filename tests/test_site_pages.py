"""The site's pages over a store the bot's own aggregate and store filled (as bot/stats.py writes it): finding
programs, a program's overview and tabs, a campaign's and a user's pages, the embeddable stats, the language switch,
and a private program that names nobody anywhere.

Through the Flask test client over a real per-test SQLite store (tests/conftest.py); browser tests of the same pages
run in headless Chromium elsewhere.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
from flask.testing import FlaskClient

from bot.aggregate import LedgerRef, aggregate
from bot.config import Settings
from bot.metrics import RevisionFact, UploadFact, UsingPage
from bot.program import Campaign, Message, Program, ProgramType
from bot.store import LedgerState, Store
from tests.programs import make_program
from webservice import app as webapp

WHEN = datetime(2026, 1, 20, 8, 0, tzinfo=UTC)
Alert = tuple[str, int, str, str, str]
RIVERS = make_program(
    """{{Program|name=Ebro <nowiki><rivers></nowiki>|type=editathon|start=2026-01-01|end=2026-01-31
|timezone=Europe/Madrid|wikis=devwiki, devcommons|campaign=Rivers|institution=Universidad de Zaragoza|location=Zaragoza
|description=Rivers of <i>Aragón</i>|organizers=Olga|articles=Ebro river
Gállego|exclude=Sandbox}}""",
    ("Alice", "Bob", "Carol"),
    page_id=30,
    title="Project:Ebro",
)
LAKES = make_program(
    "{{Program|name=Alpine lakes|type=course|start=2026-01-01|end=2026-01-31|wikis=devwiki|campaign=Rivers}}",
    ("Bob", "Dave"),
    page_id=31,
    title="Project:Lakes",
)
SECRET = make_program(
    """{{Program|name=Secret rivers|start=2026-01-01|end=2026-01-31|wikis=devwiki, devcommons|private=yes
|campaign=Rivers|organizers=Quentin}}""",
    ("Zed", "Yolanda"),
    page_id=32,
    title="Project:Secret",
)
SECRET_NAMES = ("Zed", "Yolanda", "Quentin")
CAMPAIGN = Campaign("devwiki", 33, "Project:Rivers", "Rivers", "All rivers", None, None, ("Olga",), ProgramType.BASIC)


def revisions(wiki: str, user: str, first_id: int, count: int, namespace: int = 0) -> list[RevisionFact]:
    """``count`` revisions by ``user``, one a day back from WHEN, on pages of its own (the first one creates it)."""
    return [
        RevisionFact(wiki, first_id + i, user, 1000 + first_id + i // 3, namespace, f"{user}_page_{i // 3}",
                     WHEN - timedelta(days=i % 10, hours=i), 200 + 10 * i, 200, 0 if i % 3 == 0 else first_id + i - 1)
        for i in range(count)
    ]  # fmt: skip


def record(
    store: Store,
    program: Program,
    facts: list[RevisionFact],
    uploads: list[UploadFact],
    alerts: tuple[Alert, ...] = (),
    unchanged_at: datetime | None = None,
) -> None:
    """As bot/stats.py does: the facts into the program's ledgers (per wiki), the counts GROUP BYs over them; the
    deletion alerts as bot/stats.py found them. ``unchanged_at``: a later update with nothing new, whose snapshot
    shares the first one's rows (Store.record_snapshot)."""
    for wiki in program.definition.tracked_wikis:
        mine = [fact for fact in facts if fact.wiki == wiki]
        store.record_ledger(program.key, wiki, LedgerState("", WHEN, WHEN), upsert=mine, replace_all=True)
    metrics = aggregate(participants=program.confirmed, window=program.window, timezone=program.definition.timezone,
                        now=WHEN, revisions=facts, uploads=uploads, ledger=LedgerRef(store, program.key))  # fmt: skip
    metrics = replace(metrics, alerts=alerts)
    store.record_program(program)
    store.record_snapshot(program, metrics, WHEN, backend="replica")
    if unchanged_at is not None:
        store.record_snapshot(program, metrics, unchanged_at, backend="replica")
    store.record_status(key=program.key, wiki="devwiki", title=program.title, checked_at=WHEN, ok=True,
                        messages=(Message("problem-unknown-user", (program.confirmed[-1],)),),
                        edit_outcome=Message("outcome-saved", ("77",)))  # fmt: skip


@pytest.fixture
def client(settings: Settings, store: Store, monkeypatch: pytest.MonkeyPatch) -> FlaskClient:
    monkeypatch.setattr(webapp, "settings", settings)
    rivers = revisions("devwiki", "Alice", 100, 120) + revisions("devwiki", "Bob", 300, 6)
    rivers += revisions("devcommons", "Alice", 400, 3, namespace=6)
    files = [UploadFact("devcommons", "Alice", f"Ebro_{n}.jpg", WHEN - timedelta(days=n), usage=n) for n in range(3)]
    # Ebro_2.jpg's two uses: one on a configured wiki (linked, with views), one on a wiki the tool does not know.
    files[2] = replace(files[2], pages=(UsingPage("devwiki", "Ebro_<b>delta</b>", 1234), UsingPage("frwiki", "Èbre")))
    files.append(UploadFact("devcommons", "Bob", "Gállego.png", WHEN - timedelta(days=5), usage=0))
    record(store, RIVERS, rivers, files, (("devwiki", 0, "Alice_page_1", "Speedy deletion", "category"),))
    # Bob's revisions count in both programs of the campaign: once in its totals.
    record(store, LAKES, revisions("devwiki", "Bob", 300, 6) + revisions("devwiki", "Dave", 500, 2), [])
    secret = revisions("devwiki", "Zed", 600, 4) + revisions("devwiki", "Yolanda", 700, 2)
    record(
        store,
        SECRET,
        secret,
        [UploadFact("devcommons", "Zed", "Zed_secret.jpg", WHEN, usage=1)],
        (("devwiki", 0, "Zed_page_0", "Speedy deletion", "category"),),
    )
    store.record_campaign(CAMPAIGN, WHEN)
    return webapp.app.test_client()


def page(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def row_names(html: str) -> list[str]:
    """The program names of the home page's table, in order."""
    return [
        unescape(name)
        for name in re.findall(r'<tr data-testid="program-row">\s*<th scope="row"><a [^>]*>([^<]*)<', html)
    ]


def test_home_finds_programs_by_name_institution_organizer_and_wiki(client: FlaskClient) -> None:
    assert row_names(page(client, "/?uselang=en")) == ["Alpine lakes", "Ebro <rivers>", "Secret rivers"]
    assert row_names(page(client, "/?q=zaragoza")) == ["Ebro <rivers>"]  # institution
    assert row_names(page(client, "/?q=olga")) == ["Ebro <rivers>"]  # organizer
    assert row_names(page(client, "/?q=Quentin")) == []  # a private program's organizer finds nothing
    assert row_names(page(client, "/?q=devcommons")) == ["Ebro <rivers>", "Secret rivers"]  # tracked wiki
    assert row_names(page(client, "/?type=course")) == ["Alpine lakes"]
    assert row_names(page(client, "/?wiki=devcommons&type=editathon")) == ["Ebro <rivers>"]
    assert row_names(page(client, "/?campaign=Rivers&status=ended")) == ["Alpine lakes", "Ebro <rivers>",
                                                                          "Secret rivers"]  # fmt: skip
    assert row_names(page(client, "/?status=ongoing")) == []
    html = page(client, "/?q=rivers&uselang=en")
    assert "2 programs found: 5 participants, 135 edits, 46 articles edited." in html  # Ebro 129 + secret 6
    # Each person, revision and article once, as the campaign's totals: Bob and his 6 revisions on 2 articles are in
    # two programs (summed over programs it was 7 participants, 143 edits, 49 articles).
    home = page(client, "/?uselang=en")
    assert "3 programs found: 6 participants, 137 edits, 47 articles edited." in home
    assert re.findall(r'<a href="([^"]+)"[^>]*>(?:CSV|JSON)</a>', home) == ["/programs.csv", "/programs.json"]
    assert "/api/programs.json" not in home  # one JSON link
    assert "Ebro &lt;rivers&gt;" in html and "<rivers>" not in html


def test_home_sorts_and_pages_keeping_the_query(client: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    from webservice import home

    assert row_names(page(client, "/?sort=edits&order=desc"))[0] == "Ebro <rivers>"
    html = page(client, "/?sort=name&order=desc")
    assert row_names(html) == ["Secret rivers", "Ebro <rivers>", "Alpine lakes"]
    assert 'aria-sort="descending"' in html
    monkeypatch.setattr(home, "PER_PAGE", 2)
    first = page(client, "/?q=r&uselang=es")
    assert row_names(first) == ["Alpine lakes", "Ebro <rivers>"]
    assert 'href="/?q=r&amp;uselang=es&amp;page=2" rel="next"' in first
    assert row_names(page(client, "/?q=r&uselang=es&page=2")) == ["Secret rivers"]
    assert row_names(page(client, "/?q=r&page=99")) == ["Secret rivers"]  # past the end: the last page


def test_program_overview_states_what_the_program_is(client: FlaskClient) -> None:
    html = page(client, f"/program/{RIVERS.key}?uselang=en")
    assert "Rivers of &lt;i&gt;Aragón&lt;/i&gt;" in html or "Rivers of Aragón" in html
    assert '<dd data-testid="institution">Universidad de Zaragoza</dd>' in html
    # Madrid is UTC+1 in January: local midnight is 23:00 UTC the day before; the end is exclusive.
    window = html.split('data-testid="window">', 1)[1].split("</dd>", 1)[0]
    assert "from 2026-01-01 00:00 to 2026-02-01 00:00 (Europe/Madrid time, the end not included)" in window
    assert "from 2025-12-31 23:00 to 2026-01-31 23:00 UTC" in window
    # A program in UTC states its window once.
    lakes = page(client, f"/program/{LAKES.key}?uselang=en").split('data-testid="window">', 1)[1].split("</dd>", 1)[0]
    assert lakes == "from 2026-01-01 00:00 to 2026-02-01 00:00 (UTC time, the end not included)"
    assert '<a href="/user/Olga">Olga</a>' in html
    assert "devwiki (namespaces 0); devcommons (namespaces 6)" in html
    assert "2 listed articles; 1 article excluded" in html
    join = re.search(r'<a href="([^"]+)" class="button" data-testid="join-link">', html)
    assert join is not None
    assert unescape(join.group(1)) == (
        "http://127.0.0.1:8181/index.php/Project:Ebro?action=edit&section=new&nosummary=1"
        "&preload=Template%3AProgram+sign-up%2Fpreload&editintro=Template%3AProgram+join%2Feditintro"
    )
    assert 'data-testid="refresh-button"' in html and 'data-testid="last-update">2026-01-20T08:00:00Z<' in html
    assert 'href="/program/devwiki:30/participants.csv" data-testid="csv-participants"' in html
    tabs = re.findall(r'data-testid="tab-([a-z]+)"', html)
    assert tabs == ["overview", "participants", "articles", "uploads", "activity", "alerts", "charts"]


def test_embed_snippet_escapes_the_name_and_only_the_embed_may_be_framed(client: FlaskClient) -> None:
    html = page(client, f"/program/{RIVERS.key}")
    snippet = unescape(html.split('data-testid="embed-snippet"', 1)[1].split(">", 1)[1].split("</textarea>", 1)[0])
    assert snippet == (
        '<iframe src="http://localhost/program/devwiki:30/embed" title="Ebro &lt;rivers&gt;" width="340" '
        'height="220" loading="lazy" referrerpolicy="no-referrer"></iframe>'
    )
    embed = client.get(f"/program/{RIVERS.key}/embed?uselang=es")
    assert "frame-ancestors *" in embed.headers["Content-Security-Policy"] and "X-Frame-Options" not in embed.headers
    text = embed.get_data(as_text=True)
    assert '<dd data-testid="embed-edits">129</dd>' in text and "Participantes" in text
    assert client.get(f"/program/{RIVERS.key}").headers["X-Frame-Options"] == "DENY"


def test_participants_tab_links_upload_counts_to_their_uploads(client: FlaskClient) -> None:
    html = page(client, f"/program/{RIVERS.key}/participants?uselang=en")
    rows = re.findall(r'<tr data-testid="participant-row"><th scope="row"><a [^>]*>([^<]*)</a>', html)
    assert rows == ["Alice", "Bob", "Carol"]
    assert (
        '<a href="/program/devwiki:30/uploads?uploader=Alice&amp;uselang=en" data-testid="participant-uploads">3</a>'
    ) in html
    by_edits = page(client, f"/program/{RIVERS.key}/participants?sort=edits&order=asc")
    assert re.findall(r'<tr data-testid="participant-row"><th scope="row"><a [^>]*>([^<]*)</a>', by_edits) == [
        "Carol", "Bob", "Alice"
    ]  # fmt: skip


def test_articles_tab_lists_edited_created_listed_and_excluded(client: FlaskClient) -> None:
    html = page(client, f"/program/{RIVERS.key}/articles?uselang=en")
    assert "43 articles" in html
    assert '<a href="http://127.0.0.1:8181/index.php/Alice_page_0">Alice page 0</a>' in html
    assert '<a href="http://127.0.0.1:8182/index.php/File:Alice_page_0">File:Alice page 0</a>' in html
    assert html.count('data-testid="article-created"') == 43  # every page here starts with a participant's edit
    listed = html.split('data-testid="scope-listed">', 1)[1].split("</ul>", 1)[0]
    assert re.findall(r">([^<]+)</a>", listed) == ["Ebro river", "Gállego"]
    assert "<li>Sandbox</li>" in html.split('data-testid="scope-excluded">', 1)[1]


def test_uploads_views_filter_and_file_page(client: FlaskClient) -> None:
    gallery = page(client, f"/program/{RIVERS.key}/uploads?uselang=en")
    assert gallery.count('<li class="upload" data-testid="upload">') == 4
    assert '<img src="http://127.0.0.1:8182/index.php/Special:FilePath/Ebro_0.jpg?width=240"' in gallery
    assert "by Alice · devcommons" in gallery
    assert (
        "img-src 'self' http://127.0.0.1:8182;"
        in client.get(f"/program/{RIVERS.key}/uploads").headers["Content-Security-Policy"]
    )
    listed = page(client, f"/program/{RIVERS.key}/uploads?view=list&uploader=Bob")
    assert re.findall(r'<tr class="upload" data-testid="upload"><th scope="row"><a [^>]*>([^<]*)<', listed) == [
        "Gállego.png"
    ]
    tiles = page(client, f"/program/{RIVERS.key}/uploads?view=tile&uploader=Alice")
    assert tiles.count('data-testid="upload"') == 3 and 'data-testid="uploads-tile"' in tiles
    detail = page(client, f"/program/{RIVERS.key}/file?wiki=devcommons&file=Ebro_2.jpg&uselang=en")
    assert '<h2 data-testid="file-name">Ebro 2.jpg</h2>' in detail and "2 pages" in detail
    assert 'href="http://127.0.0.1:8182/index.php/File:Ebro_2.jpg#filelinks"' in detail
    assert re.findall(r'<tr data-testid="file-page">(.*?)</tr>', detail) == [
        '<th scope="row"><a href="http://127.0.0.1:8181/index.php/Ebro_%3Cb%3Edelta%3C/b%3E">'
        'Ebro &lt;b&gt;delta&lt;/b&gt;</a></th><td>devwiki</td><td class="num">1234</td>',
        '<th scope="row">Èbre</th><td>frwiki</td><td class="num">not known</td>',
    ]
    assert "Views in the last 30 days" in detail and 'data-testid="file-pages-capped"' not in detail
    # Used, but counted before the pages were kept: said so.
    older = page(client, f"/program/{RIVERS.key}/file?wiki=devcommons&file=Ebro_1.jpg&uselang=es")
    assert 'data-testid="file-page"' not in older and "tras la próxima actualización" in older
    assert client.get(f"/program/{RIVERS.key}/file?wiki=devcommons&file=Nope.jpg").status_code == 404


def test_activity_lists_50_revisions_and_see_more_adds_50(client: FlaskClient) -> None:
    html = page(client, f"/program/{RIVERS.key}/activity?uselang=en")
    assert html.count('data-testid="revision"') == 50
    more = re.search(r'<a href="([^"]+)" id="see-more" data-testid="see-more"', html)
    assert (
        more is not None and unescape(more.group(1)) == "/program/devwiki:30/activity?uselang=en&shown=100#revision-50"
    )
    assert page(client, "/program/devwiki:30/activity?shown=100").count('data-testid="revision"') == 100
    last = page(client, "/program/devwiki:30/activity?shown=150")
    assert last.count('data-testid="revision"') == 129 and 'data-testid="see-more"' not in last
    first = re.search(r'<tr class="revision" id="revision-0" data-testid="revision"><td>([^<]*)</td>', html)
    assert first is not None and first.group(1) == "2026-01-20 08:00"  # newest first


def test_alerts_tab_has_messages_and_the_programs_edit_log(client: FlaskClient, store: Store) -> None:
    from bot.store import LoggedEdit

    store.log_edit(
        LoggedEdit("devwiki", "Project:Ebro", RIVERS.key, "outcome", "saved", 88, "", "2026-01-20T08:01:00Z")
    )
    html = page(client, f"/program/{RIVERS.key}/alerts?uselang=en")
    assert "Carol" in html.split('data-testid="messages">', 1)[1]  # the unknown-user message of a public program
    log = html.split('data-testid="edit-log">', 1)[1]
    assert 'href="http://127.0.0.1:8181/index.php/Special:Diff/88"' in log
    assert re.findall(r'<ul data-testid="alerts"><li>([^<]*)</li></ul>', html) == [
        "devwiki: Alice_page_1 (Speedy deletion)"
    ]
    secret = page(client, f"/program/{SECRET.key}/alerts?uselang=en")
    assert "Zed_page_0" not in secret and "Some figures are not shown" in secret  # an article: 2 people behind it
    campaign = page(client, f"/campaign/{CAMPAIGN.key}/alerts?uselang=en")
    assert "Alice_page_1 (Speedy deletion)" in campaign and "Zed_page_0" not in campaign
    assert 'data-testid="breakdowns-hidden"' in campaign


def test_charts_have_one_point_per_day_and_a_table(client: FlaskClient) -> None:
    html = page(client, f"/program/{RIVERS.key}/charts?uselang=en")
    svgs = re.findall(
        r'<svg role="img" aria-labelledby="(chart-\w+)-title chart-\w+-desc"[^>]*data-points="(\d+)"', html
    )
    # Local (Madrid) days of the revisions: 2026-01-06 to 2026-01-20, quiet days included.
    assert svgs == [("chart-edits", "15"), ("chart-articles", "15"), ("chart-bytes", "15")]
    edits = html.split('data-testid="chart-edits"', 1)[1].split("</svg>", 1)[0]
    assert edits.count('<g class="point"') == 15
    assert re.findall(r'data-day="([^"]+)"', edits)[::14] == ["2026-01-06", "2026-01-20"]
    assert sum(int(v) for v in re.findall(r'<g class="point" data-day="[^"]+" data-value="(\d+)"', edits)) == 129
    table = html.split('data-testid="chart-edits-table">', 1)[1].split("</table>", 1)[0]
    assert re.findall(r'<th scope="col" class="num">([^<]*)</th>', table) == ["devcommons", "devwiki", "Total"]


PRIVATE_URLS = (
    "/", "/?q=secret", f"/program/{SECRET.key}", f"/program/{SECRET.key}/participants",
    f"/program/{SECRET.key}/articles",
    f"/program/{SECRET.key}/uploads", f"/program/{SECRET.key}/uploads?view=list", f"/program/{SECRET.key}/activity",
    f"/program/{SECRET.key}/alerts", f"/program/{SECRET.key}/charts", f"/program/{SECRET.key}/embed",
    f"/campaign/{CAMPAIGN.key}", f"/campaign/{CAMPAIGN.key}/participants", f"/campaign/{CAMPAIGN.key}/articles",
    f"/campaign/{CAMPAIGN.key}/uploads", f"/campaign/{CAMPAIGN.key}/activity", f"/campaign/{CAMPAIGN.key}/charts",
    f"/campaign/{CAMPAIGN.key}/alerts", "/campaigns", "/user/Olga", "/user/Bob", "/edits",
    *(f"/program/{SECRET.key}/{kind}.{fmt}" for kind in ("stats", "participants", "articles", "uploads", "days")
      for fmt in ("csv", "json")),
    "/programs.csv", "/campaigns.csv", "/api/programs.json",
)  # fmt: skip


@pytest.mark.parametrize("url", PRIVATE_URLS)
def test_a_private_program_names_nobody_anywhere(client: FlaskClient, url: str) -> None:
    text = page(client, url)
    for name in SECRET_NAMES:
        assert name not in text, (url, name)


def test_private_program_tabs_say_why_they_are_empty(client: FlaskClient) -> None:
    assert 'data-testid="private-notice"' in page(client, f"/program/{SECRET.key}/participants")
    assert 'data-testid="charts-none"' in page(client, f"/program/{SECRET.key}/charts")
    assert "not shown (private program)" in page(client, f"/program/{SECRET.key}?uselang=en")
    # A private program's participant has the page of someone in no program at all (only the name they asked for).
    assert page(client, "/user/Zed").replace("Zed", "Nobody") == page(client, "/user/Nobody")


def test_campaign_page_counts_each_revision_once_and_lists_programs_alphabetically(client: FlaskClient) -> None:
    html = page(client, f"/campaign/{CAMPAIGN.key}?uselang=en")
    programs = re.findall(r'<tr data-testid="campaign-program"><th scope="row"><a [^>]*>([^<]*)<', html)
    assert [unescape(p) for p in programs] == ["Alpine lakes", "Ebro <rivers>", "Secret rivers"]
    # Ebro 129 + lakes 8 + secret 6, less Bob's 6 revisions that two programs counted.
    assert '<td class="num" data-testid="total-edits">137</td>' in html
    assert '<td class="num" data-testid="total-participants">6</td>' in html  # Bob once
    people = page(client, f"/campaign/{CAMPAIGN.key}/participants")
    names = re.findall(r'<tr data-testid="participant-row"><th scope="row"><a [^>]*>([^<]*)</a>', people)
    assert names == ["Alice", "Bob", "Carol", "Dave"]  # the private program's people are not listed
    activity = page(client, f"/campaign/{CAMPAIGN.key}/activity?shown=500")
    assert activity.count('data-testid="revision"') == 131  # 129 + Dave's 2; Bob's shared 6 once
    charts = page(client, f"/campaign/{CAMPAIGN.key}/charts")
    assert "Some figures are not shown" in charts  # the private program's per-day figures


def test_user_page_lists_public_programs_with_their_figures(client: FlaskClient) -> None:
    html = page(client, "/user/Bob?uselang=en")
    rows = re.findall(r'<tr data-testid="user-program"><th scope="row"><a [^>]*>([^<]*)</a></th>(.*?)</tr>', html)
    assert [(unescape(name), re.findall(r'<td class="num">(\d+)</td>', rest)) for name, rest in rows] == [
        ("Alpine lakes", ["6", "2", "2", "0"]), ("Ebro <rivers>", ["6", "2", "2", "1"]),
    ]  # fmt: skip


def test_language_switch_keeps_the_page_and_its_query(client: FlaskClient) -> None:
    html = page(client, f"/program/{RIVERS.key}/uploads?view=list&uploader=Bob&uselang=en")
    switch = html.split('data-testid="language-switch"', 1)[1].split("</nav>", 1)[0]
    links = dict(re.findall(r'<a href="([^"]+)" lang="(\w+)"', switch))
    assert {lang: unescape(href) for href, lang in links.items()} == {
        "en": "/program/devwiki:30/uploads?view=list&uploader=Bob&uselang=en",
        "es": "/program/devwiki:30/uploads?view=list&uploader=Bob&uselang=es",
    }
    spanish = page(client, "/program/devwiki:30/uploads?view=list&uploader=Bob&uselang=es")
    assert '<html lang="es" dir="ltr">' in spanish and "Subido por" in spanish
