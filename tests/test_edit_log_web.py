"""The site's edit log (/edits and its downloads): every attempt of the bot's publisher, filterable, escaped,
translated, and without the user pages that would name a private program's participants.

Through the Flask test client over a real per-test SQLite store (tests/conftest.py), with the log written by the
store's own ``log_edit`` as the publisher writes it.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest
from flask.testing import FlaskClient

from bot.config import Settings
from bot.edit_outcome import OUTCOME_CODES, EditOutcome
from bot.i18n import translate
from bot.program import Campaign, Message, Program, ProgramType
from bot.store import LoggedEdit, Store
from tests.programs import make_program
from webservice import app as webapp
from webservice import edit_log

WHEN = datetime(2026, 1, 10, 8, 0, tzinfo=UTC)
PUBLIC = make_program("{{Program|name=Rivers|start=2026-01-01|end=2026-01-31}}", ("Alice",), page_id=40)
SECRET = make_program(
    "{{Program|name=Secret|start=2026-01-01|end=2026-01-31|private=yes}}", ("Zed",), page_id=41, title="Project:S"
)
CAMPAIGN = Campaign("devwiki", 42, "Project:C", "Water", "", None, None, (), ProgramType.BASIC)
HOSTILE_PAGE = '<script>alert("x")</script>'
FORMULA_PAGE = "=cmd|' /C calc'!A0"

LOG = (
    # wiki, page, program key, kind, outcome, revision, detail — oldest first
    ("devwiki", "Project:P", PUBLIC.key, "outcome", "saved", 123, ""),
    ("devwiki", "User:Alice", PUBLIC.key, "enrolment", "saved", 124, ""),
    ("devwiki", "User:Zed", SECRET.key, "enrolment", "saved", 125, ""),
    ("devwiki", "User talk:Zed", SECRET.key, "enrolment", "error", None, "APIError: cannot edit User:Zed"),
    ("devwiki", "Project:S", SECRET.key, "outcome", "no_change", None, ""),
    ("devwiki", "Project talk:S", SECRET.key, "report", "saved", 126, ""),
    ("devwiki", "Project:C", CAMPAIGN.key, "campaign_report", "protected", None, "protectedpage"),
    ("devwiki", "Template:Program", "", "template", "saved", 127, ""),
    ("devcommons", HOSTILE_PAGE, PUBLIC.key, "talk_notice", "nobots", None, ""),
    ("devcommons", FORMULA_PAGE, PUBLIC.key, "talk_notice", "capped", None, "=HYPERLINK(1)"),
)


def record(store: Store, program: Program) -> None:
    store.record_program(program)
    store.record_status(key=program.key, wiki="devwiki", title=program.title, checked_at=WHEN, ok=True,
                        messages=(), edit_outcome=Message("outcome-saved", ("1",)))  # fmt: skip


@pytest.fixture
def client(settings: Settings, store: Store, monkeypatch: pytest.MonkeyPatch) -> FlaskClient:
    monkeypatch.setattr(webapp, "settings", settings)
    record(store, PUBLIC)
    record(store, SECRET)
    store.record_campaign(CAMPAIGN, WHEN)
    for minute, (wiki, page, key, kind, outcome, revision, detail) in enumerate(LOG):
        store.log_edit(LoggedEdit(wiki, page, key, kind, outcome, revision, detail, f"2026-01-10T08:{minute:02}:00Z"))
    return webapp.app.test_client()


def json_rows(client: FlaskClient, query: str = "") -> list[dict[str, object]]:
    response = client.get(f"/edits.json{query}")
    assert response.status_code == 200
    rows: list[dict[str, object]] = response.get_json()
    return rows


def csv_rows(client: FlaskClient, query: str = "") -> list[dict[str, str]]:
    response = client.get(f"/edits.csv{query}")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="edits.csv"'
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_every_outcome_code_has_a_message() -> None:
    """The log shows each code as its message: a code without one would be a 500 on /edits."""
    for code in OUTCOME_CODES:
        assert translate("en", EditOutcome(code, 1, "d").message.key, "d")
        assert translate("es", EditOutcome(code, 1, "d").message.key, "d")


def test_log_newest_first_with_links_and_messages(client: FlaskClient) -> None:
    response = client.get("/edits?uselang=en")
    assert response.headers["X-Frame-Options"] == "DENY"
    html = response.get_data(as_text=True)
    assert "style=" not in html and "<script" not in html  # fits the site's Content-Security-Policy
    assert "<h1>Bot edits</h1>" in html
    assert html.index("2026-01-10T08:09:00Z") < html.index("2026-01-10T08:00:00Z")
    assert '<a href="http://127.0.0.1:8181/index.php/Project:P">Project:P</a>' in html
    assert '<a href="http://127.0.0.1:8181/index.php/Special:Diff/123">saved (revision 123)</a>' in html
    assert "not edited: the page is protected (protectedpage)" in html
    assert "not edited: the page excludes the bot ({{nobots}})" in html
    assert '<a href="/program/devwiki:40">Rivers</a>' in html
    assert ">Water</a>" in html  # a campaign key names the campaign
    assert "template install" in html and "program outcome" in html
    assert '<a href="/edits">Bot edits</a>' in client.get("/").get_data(as_text=True)  # in the navigation


def test_filters(client: FlaskClient) -> None:
    assert [r["page"] for r in json_rows(client, "?wiki=devcommons")] == [FORMULA_PAGE, HOSTILE_PAGE]
    assert {r["program"] for r in json_rows(client, f"?program={PUBLIC.key}")} == {PUBLIC.key}
    assert len(json_rows(client, f"?program={PUBLIC.key}")) == 4
    assert [r["page"] for r in json_rows(client, f"?program={CAMPAIGN.key}")] == ["Project:C"]
    assert {r["revision"] for r in json_rows(client, "?outcome=saved")} == {123, 124, 125, 126, 127}
    combined = json_rows(client, f"?wiki=devwiki&program={PUBLIC.key}&outcome=saved")
    assert [(r["page"], r["revision"]) for r in combined] == [("User:Alice", 124), ("Project:P", 123)]
    assert json_rows(client, "?wiki=devcommons&outcome=saved") == []
    html = client.get(f"/edits?program={SECRET.key}&uselang=en").get_data(as_text=True)
    assert "Project talk:S" in html and "Project:P" not in html
    assert f'<option value="{SECRET.key}" selected>' in html
    assert "No bot edit matches." in client.get("/edits?wiki=devcommons&outcome=saved").get_data(as_text=True)


@pytest.mark.parametrize(
    "query",
    ["wiki=enwiki", "program=devwiki:404", "program=%3Cb%3E", "outcome=exploded", "outcome=saved&wiki=nowiki"],
)
def test_unknown_filter_is_400(client: FlaskClient, query: str) -> None:
    for url in (f"/edits?{query}", f"/edits.csv?{query}", f"/edits.json?{query}"):
        response = client.get(f"{url}&uselang=en")
        assert response.status_code == 400, url
        assert response.mimetype == "text/plain"
        assert "filter has no value" in response.get_data(as_text=True)
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert client.get(f"/edits.xml?{query}").status_code == 404


def test_downloads_carry_the_same_rows(client: FlaskClient) -> None:
    query = f"?program={PUBLIC.key}"
    from_json = json_rows(client, query)
    from_csv = csv_rows(client, query)
    assert [(r["logged_at"], r["page"], r["outcome"]) for r in from_json] == [
        (r["logged_at"], r["page"].removeprefix("'"), r["outcome"]) for r in from_csv
    ]
    html = client.get(f"/edits{query}").get_data(as_text=True)
    assert html.count("<tr>") - 1 == len(from_json)  # one heading row
    assert f'href="/edits.csv?program={PUBLIC.key}"' in html
    assert len(json_rows(client)) == len(LOG)


def test_hostile_titles_are_escaped_and_neutralized(client: FlaskClient) -> None:
    html = client.get("/edits").get_data(as_text=True)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    cells = {r["page"]: r for r in csv_rows(client, "?wiki=devcommons")}
    assert "'" + FORMULA_PAGE in cells
    assert cells["'" + FORMULA_PAGE]["detail"] == "'=HYPERLINK(1)"
    assert HOSTILE_PAGE in cells


def test_private_program_enrolment_pages_are_hidden(client: FlaskClient) -> None:
    html = client.get(f"/edits?program={SECRET.key}&uselang=en").get_data(as_text=True)
    assert "Zed" not in html  # neither the user pages nor the error detail naming them
    assert "Project:S" in html and "Project talk:S" in html  # the program's own pages stay
    assert "<td>—</td>" in html and "would name a participant of a private program" in html
    for rows in (json_rows(client, f"?program={SECRET.key}"), csv_rows(client, f"?program={SECRET.key}")):
        assert "Zed" not in str(rows)
        assert [r["page"] for r in rows if r["kind"] == "enrolment"] in ([None, None], ["", ""])
    assert "User:Alice" in json_rows(client, f"?program={PUBLIC.key}&outcome=saved")[0].values()  # public: shown
    assert "Zed" not in client.get("/edits").get_data(as_text=True)


def test_program_page_links_to_its_log(client: FlaskClient) -> None:
    html = client.get(f"/program/{PUBLIC.key}?uselang=en").get_data(as_text=True)
    assert f'<a href="/edits?program={PUBLIC.key}">' in html
    assert "The bot&#39;s edits for this program" in html


def test_spanish(client: FlaskClient) -> None:
    html = client.get("/edits?uselang=es").get_data(as_text=True)
    assert "<h1>Ediciones del bot</h1>" in html
    assert "Tipo de edición" in html and "Resultado" in html and "Página" in html
    assert "guardado (revisión 123)" in html
    assert "sin editar: la página está protegida (protectedpage)" in html
    assert '<input type="hidden" name="uselang" value="es">' in html  # filtering keeps the language
    assert "filtro «wiki»" in client.get("/edits?wiki=x&uselang=es").get_data(as_text=True)


def test_log_is_capped(client: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(edit_log, "EDIT_LOG_ROWS", 3)
    html = client.get("/edits?uselang=en").get_data(as_text=True)
    assert "Only the newest 3 entries are shown" in html
    assert html.count("<tr>") - 1 == 3
    assert len(json_rows(client)) == 3
    assert "Only the newest" not in client.get(f"/edits?program={CAMPAIGN.key}").get_data(as_text=True)
