"""The web site renders what the store holds, escaped, in English or Spanish, with CSV/JSON downloads."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import fields, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from bot.aggregate import LedgerRef, aggregate
from bot.clock import utcnow
from bot.config import Settings
from bot.metric_registry import GLOSSARY_RULES, glossary_entries
from bot.metrics import RevisionFact, UploadFact, UsingPage, WikidataCounts
from bot.program import Campaign, Message, Program, ProgramType
from bot.store import QUEUE_REFRESH, QUEUE_SCHEDULED, LedgerState, Store
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
    used_on = (UsingPage("devwiki", "Ebro_river", 25), UsingPage("devwiki", "=cmd|' /C calc'!A0", None))
    uploads = [UploadFact("devcommons", edits_by, "Map.png", WHEN - timedelta(days=1), usage=3, pages=used_on)]
    # As the bot does (bot/stats.py): the facts go to the program's ledger, the counts are GROUP BYs over it.
    store.record_ledger(program.key, "devwiki", LedgerState("", WHEN, WHEN), upsert=facts, replace_all=True)
    metrics = aggregate(participants=program.confirmed, window=program.window, timezone="UTC", now=WHEN,
                        revisions=facts, uploads=uploads, ledger=LedgerRef(store, program.key))  # fmt: skip
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
    people = client.get("/program/devwiki:9/participants", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert "&lt;img src=x onerror=alert(1)&gt;" in people and "<img src=x" not in people
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
    uploads_csv = response.get_data(as_text=True)
    assert "devcommons,Map.png,<img src=x onerror=alert(1)>,2026-01-09T08:00:00Z,3\r\n" in uploads_csv
    # The JSON adds the pages using each file (the CSV has no cell for a list).
    assert client.get("/program/devwiki:9/uploads.json").get_json() == [
        {"wiki": "devcommons", "file": "Map.png", "username": "<img src=x onerror=alert(1)>",
         "uploaded_at": "2026-01-09T08:00:00Z", "usage": 3,
         "pages": [{"wiki": "devwiki", "title": "Ebro river", "views": 25},
                   {"wiki": "devwiki", "title": "=cmd|' /C calc'!A0", "views": None}]},
    ]  # fmt: skip
    assert client.get("/program/devwiki:10/uploads.json").get_json() == []  # private, fewer than 5 people
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


def outcome_rows(html: str) -> list[tuple[str, str]]:
    """(label, value) of each row of the program page's outcome table."""
    table = html.split('(<a href="/glossary">', 1)[1].split("</table>", 1)[0]
    return re.findall(r"<tr><th>([^<]*)</th><td[^>]*>([^<]*)</td></tr>", table)


def test_program_page_shows_each_computed_metric_with_its_label(client: FlaskClient) -> None:
    html = client.get("/program/devwiki:9?uselang=en").get_data(as_text=True)
    # Registry order; words, references, page views and Wikidata were not computed for this program: no row.
    assert outcome_rows(html) == [
        ("Participants", "2"), ("New editors", "0"), ("Edits", "4"), ("Edits to pages deleted since", "0"),
        ("Articles edited", "1"), ("Articles created", "0"), ("Created articles deleted since", "0"),
        ("Bytes added", "10"), ("Bytes removed", "0"), ("Files uploaded", "1"), ("Uploaded files in use", "1"),
        ("Uses of the uploaded files", "3"), ("Net change in bytes", "10"), ("Retention after 7 days", "pending"),
        ("Retention after 30 days", "pending"), ("New editors retained after 7 days", "pending"),
        ("New editors retained after 30 days", "pending"), ("Alerts", "0"),
    ]  # fmt: skip
    by_wiki = html.split(">By wiki<", 1)[1].split("</table>", 1)[0]
    assert re.findall(r'<th scope="col">([^<]*)</th>', by_wiki) == ["Wiki", "Edits", "Articles edited",
                                                                    "Articles created", "Files uploaded"]  # fmt: skip
    assert (
        '<th scope="row">devcommons</th><td class="num">0</td><td class="num">0</td><td class="num">0</td>' in by_wiki
    )
    people = client.get("/program/devwiki:9/participants?uselang=en").get_data(as_text=True)
    assert re.findall(r'data-testid="sort-[^"]+">([^<]*?) ?<', people) == [
        "Participant", "Sign-up", "Edits", "Articles edited", "Articles created", "Files uploaded"
    ]  # fmt: skip


def test_wikidata_counts_are_labelled_not_field_names(client: FlaskClient, store: Store) -> None:
    program = make_program("{{Program|name=Items|start=2026-01-01|end=2026-01-31|wikis=devwikidata}}", ("Bob",),
                           page_id=11)  # fmt: skip
    metrics = aggregate(participants=program.confirmed, window=program.window, timezone="UTC", now=WHEN,
                        revisions=[])  # fmt: skip
    store.record_program(program)
    counts = WikidataCounts(items_created=2, claims_added=3, claims_changed=1, claims_removed=1)
    store.record_snapshot(program, replace(metrics, wikidata=counts), WHEN, backend="replica")
    store.record_status(key=program.key, wiki="devwiki", title=program.title, checked_at=WHEN, ok=True, messages=(),
                        edit_outcome=Message("outcome-saved", ("1",)))  # fmt: skip
    rows = dict(outcome_rows(client.get("/program/devwiki:11?uselang=es").get_data(as_text=True)))
    assert rows["Elementos de Wikidata creados"] == "2"
    assert rows["Declaraciones de Wikidata añadidas, cambiadas o quitadas"] == "5"
    assert rows["Redirecciones de Wikidata creadas"] == "0"
    assert not [label for label in rows if "_" in label]


def test_glossary_has_every_registry_entry_with_its_names(client: FlaskClient) -> None:
    html = client.get("/glossary?uselang=en").get_data(as_text=True)
    assert re.findall(r'<dt id="([^"]+)">', html) == [e.id for e in glossary_entries()] + list(GLOSSARY_RULES)
    bytes_entry = html.split('<dt id="bytes">', 1)[1].split("</dd>", 1)[0]
    assert "Outcome box: <code>bytes_added</code>, <code>bytes_removed</code>, <code>bytes_net</code>" in bytes_entry
    retention = html.split('<dt id="retention">', 1)[1].split("</dd>", 1)[0]
    assert "<code>retention_N</code>" in retention and "<code>new_editors_retained_N_days</code>" in retention
    alerts = html.split('<dt id="alerts">', 1)[1].split("</dd>", 1)[0]
    assert "Checked only on tracked wikis whose deletion categories" in alerts
    assert "Download columns: none" in alerts


def refresh_form(client: FlaskClient, key: str) -> tuple[str, str]:
    """The program page as a browser gets it: its HTML and the refresh form's token (the page set our cookie)."""
    html = client.get(f"/program/{key}?uselang=en").get_data(as_text=True)
    token = re.search(r'name="token" value="([0-9a-f]{64})"', html)
    assert token is not None, html
    return html, token.group(1)


def test_refresh_is_signed_coalesced_rate_limited_and_shows_the_place_in_line(
    client: FlaskClient, store: Store, settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(webapp, "settings", replace(settings, web_secret_file=tmp_path / "secret"))
    key = HOSTILE.key
    later = utcnow() + timedelta(hours=1)
    store.enqueue(key, "devwiki", HOSTILE.page_id, later, QUEUE_SCHEDULED, utcnow())
    html, token = refresh_form(client, key)
    assert 'http-equiv="refresh"' not in html  # not queued yet: nothing to wait for
    assert (tmp_path / "secret").stat().st_mode & 0o777 == 0o600

    answer = client.post(f"/program/{key}/refresh?uselang=en", data={"token": token})
    assert answer.status_code == 303 and "refresh=queued" in answer.headers["Location"]
    html = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "Queued: the bot counts this program" in html and "queued: next in line" in html
    assert 'http-equiv="refresh" content="15"' in html  # reloads itself while it waits
    entry = store.queue_entry(key)
    assert entry is not None and entry.priority == QUEUE_REFRESH and entry.due_at <= utcnow()

    again = client.post(f"/program/{key}/refresh", data={"token": token})
    assert "refresh=coalesced" in again.headers["Location"]
    # Forged: no token, another program's token, or a cross-site request carrying ours.
    other = client.post(f"/program/{SECRET.key}/refresh", data={"token": token})
    assert "refresh=forbidden" in other.headers["Location"]
    assert "refresh=forbidden" in client.post(f"/program/{key}/refresh", data={}).headers["Location"]
    cross = client.post(f"/program/{key}/refresh", data={"token": token}, headers={"Sec-Fetch-Site": "cross-site"})
    assert "refresh=forbidden" in cross.headers["Location"]
    # Another browser (no cookie) is refused too.
    assert (
        "refresh=forbidden"
        in webapp.app.test_client().post(f"/program/{key}/refresh", data={"token": token}).headers["Location"]
    )
    assert client.post("/program/devwiki:999/refresh", data={"token": token}).status_code == 404
