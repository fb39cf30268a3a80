"""The web site renders what the store holds, escaped, in English or Spanish, with CSV/JSON downloads."""

from __future__ import annotations

import csv
import io
from dataclasses import fields
from datetime import UTC, datetime, timedelta

import pytest
from flask.testing import FlaskClient

from bot.aggregate import aggregate
from bot.config import Settings
from bot.metrics import RevisionFact, UploadFact, WikidataCounts
from bot.program import Campaign, Message, Program, ProgramType
from bot.store import Store
from tests.programs import make_program
from webservice import app as webapp

HOSTILE = make_program(
    """{{Program|name=<nowiki><script>alert("x")</script> & co</nowiki>|start=2026-01-01|end=2026-01-31
|wikis=devwiki, devcommons|campaign=Rivers}}""",
    ("<img src=x onerror=alert(1)>", "Bob"),
    page_id=9,
    title="Project:<script>x</script>",
)
SECRET = make_program(
    "{{Program|name=Secret|start=2026-01-01|end=2026-01-31|private=yes}}", ("Alice", "Zed"), page_id=10
)
WHEN = datetime(2026, 1, 10, 8, 0, tzinfo=UTC)


def record(store: Store, program: Program, edits_by: str) -> None:
    facts = [
        RevisionFact("devwiki", i, edits_by, 7, 0, "Ebro_river", WHEN - timedelta(days=i), 100 + i, 100, 1)
        for i in range(1, 5)
    ]
    uploads = [UploadFact("devcommons", edits_by, "Map.png", WHEN - timedelta(days=1), usage=3)]
    metrics = aggregate(participants=program.confirmed, window=program.window, timezone="UTC", now=WHEN,
                        revisions=facts, uploads=uploads)  # fmt: skip
    store.record_program(program)
    store.record_snapshot(program, metrics, WHEN, backend="replica")
    messages = (
        Message("problem-unknown-wiki", ("<b>bad</b>",)),
        Message("problem-unknown-user", (program.confirmed[-1],)),
    )
    store.record_status(
        key=program.key, wiki="devwiki", title=program.title, checked_at=WHEN, ok=True,
        messages=messages, edit_outcome=Message("outcome-saved", ("77",)),
    )  # fmt: skip


@pytest.fixture
def client(settings: Settings, store: Store, monkeypatch: pytest.MonkeyPatch) -> FlaskClient:
    """The app reading this test's store (its settings object is the one loaded at import)."""
    monkeypatch.setattr(webapp, "settings", settings)
    record(store, HOSTILE, HOSTILE.confirmed[0])
    record(store, SECRET, "Alice")
    store.record_campaign(Campaign("devwiki", 3, "Project:R", "Rivers", "All <i>rivers</i>", None, None, (),
                                   ProgramType.BASIC), WHEN)  # fmt: skip
    store.record_campaign(Campaign("devwiki", 4, "Project:A", "Art", "", None, None, (), ProgramType.BASIC), WHEN)
    return webapp.app.test_client()


def test_index_lists_programs_escaped(client: FlaskClient) -> None:
    html = client.get("/?uselang=en").get_data(as_text=True)
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; co" in html
    assert "<script>alert" not in html
    assert '<td class="num">4</td>' in html  # edits
    assert "2026-01-10T08:00:00Z" in html  # last update
    assert "2026-01-10T09:00:00Z" in html  # next update, update_interval_minutes later
    assert "Needs attention" in html


def test_program_page_in_spanish(client: FlaskClient) -> None:
    html = client.get("/program/devwiki:9", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert "Artículos editados" in html
    assert "El bot no conoce la wiki «&lt;b&gt;bad&lt;/b&gt;»" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "guardado (revisión 77)" in html
    assert 'href="http://127.0.0.1:8181/index.php/Project:%3Cscript%3Ex%3C/script%3E"' in html


def test_private_program_publishes_no_username(client: FlaskClient) -> None:
    html = client.get("/program/devwiki:10").get_data(as_text=True)
    assert "only totals are published" in html
    for name in ("Alice", "Zed"):
        assert name not in html
        for kind in ("participants", "uploads", "stats", "articles", "days"):
            assert name not in client.get(f"/program/devwiki:10/{kind}.csv").get_data(as_text=True)
        assert name not in client.get("/api/programs.json").get_data(as_text=True)
        assert name not in client.get("/programs.csv").get_data(as_text=True)
    assert client.get("/program/devwiki:10/days.csv").get_data(as_text=True) == "day," + ",".join(
        ["edits", "edits_deleted", "articles_edited", "articles_created", "articles_created_deleted", "bytes_added",
         "bytes_removed", "uploads", "uploads_in_use", "upload_usage", "bytes_net", "words_added", "references_added",
         "references_removed", "page_views", *(f"wikidata_{f.name}" for f in fields(WikidataCounts))]
    ) + "\r\n"  # fewer than 5 participants: no per-day breakdown  # fmt: skip


def test_downloads(client: FlaskClient) -> None:
    rows = list(csv.DictReader(io.StringIO(client.get("/programs.csv").get_data(as_text=True))))
    by_key = {row["program"]: row for row in rows}
    public = by_key["devwiki:9"]
    assert (public["edits"], public["bytes_added"], public["uploads"], public["upload_usage"]) == ("4", "10", "1", "3")
    assert (public["devwiki_edits"], public["devcommons_edits"], public["retained_7_days"]) == ("4", "0", "")
    assert by_key["devwiki:10"]["devwiki_edits"] == ""  # private, fewer than 5 people: no per-wiki numbers
    people = client.get("/program/devwiki:9/participants.json").get_json()
    assert [(p["username"], p["edits"]) for p in people] == [("<img src=x onerror=alert(1)>", 4), ("Bob", 0)]
    articles = client.get("/program/devwiki:9/articles.json").get_json()
    assert [(a["wiki"], a["title"], a["edits"]) for a in articles] == [("devwiki", "Ebro river", 4)]
    response = client.get("/program/devwiki:9/uploads.csv")
    assert response.headers["Content-Disposition"] == 'attachment; filename="devwiki-9-uploads.csv"'
    assert "devcommons,Map.png,<img src=x onerror=alert(1)>,2026-01-09T08:00:00Z,3" in response.get_data(as_text=True)
    campaigns = client.get("/campaigns.json").get_json()
    assert [(c["campaign"], c["programs"], c["edits"]) for c in campaigns] == [("Art", 0, 0), ("Rivers", 1, 4)]
    [stats] = client.get("/program/devwiki:9/stats.json").get_json()  # dates as ISO text, not a 500
    assert (stats["start"], stats["end"], stats["edits"]) == ("2026-01-01", "2026-01-31", 4)
    assert client.get("/program/devwiki:9/nothing.csv").status_code == 404
    assert client.get("/program/devwiki:9/stats.xml").status_code == 404


def test_campaigns_page_and_glossary(client: FlaskClient) -> None:
    html = client.get("/campaigns").get_data(as_text=True)
    assert html.index(">Art<") < html.index(">Rivers<")  # alphabetical
    assert "All &lt;i&gt;rivers&lt;/i&gt;" in html
    glossary = client.get("/glossary?uselang=es").get_data(as_text=True)
    assert "Editores nuevos" in glossary
    assert "como máximo 365 días" in glossary


def test_json_and_missing_program(client: FlaskClient) -> None:
    items = {item["key"]: item for item in client.get("/api/programs.json").get_json()}
    item = items["devwiki:9"]
    assert (item["name"], item["edits"], item["participants"]) == (HOSTILE.name, 4, 2)
    assert item["problems"][0] == (
        'The wiki "<b>bad</b>" is not one the bot knows; it is ignored. Use a database name such as eswiki or '
        "commonswiki."
    )
    assert items["devwiki:10"]["problems"] == [items["devwiki:10"]["problems"][0]]  # the user-naming one is hidden
    assert client.get("/program/devwiki:404").status_code == 404


def test_programs_download_has_the_headline_numbers_of_each_wiki(client: FlaskClient) -> None:
    """The per-wiki columns are the registry's headline numbers; a file wiki's uploads are among them (the site's
    per-wiki table showed them, the download did not)."""
    rows = list(csv.DictReader(io.StringIO(client.get("/programs.csv").get_data(as_text=True))))
    public = next(row for row in rows if row["program"] == "devwiki:9")
    assert {column: value for column, value in public.items() if column.startswith("devcommons_")} == {
        "devcommons_edits": "0", "devcommons_articles_edited": "0", "devcommons_articles_created": "0",
        "devcommons_uploads": "1",
    }  # fmt: skip
    assert (public["devwiki_edits"], public["devwiki_uploads"]) == ("4", "0")
