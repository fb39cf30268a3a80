"""The web site on a hostile wiki: security headers, no schema change by a request, downloads that never fail with
500, the privacy threshold on every breakdown, and CSV cells a spreadsheet cannot run.

Everything goes through the Flask test client over a real per-test SQLite store (tests/conftest.py); the data is
recorded with the bot's own aggregate and store, as the update job writes it.
"""

from __future__ import annotations

import csv
import io
import sqlite3
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from bot import exports
from bot.aggregate import aggregate
from bot.config import Settings, StateConfig
from bot.metrics import RevisionFact, UploadFact
from bot.program import Campaign, Message, Program, ProgramType
from bot.store import Store
from tests.programs import make_program
from webservice import app as webapp

WHEN = datetime(2026, 1, 10, 8, 0, tzinfo=UTC)
FORMULA = '=HYPERLINK("http://x")'
ARTICLE = "@SUM(1+1)"
"""An article title as a spreadsheet would read it: a formula."""
FEW = ("Alice", "Zed")
MANY = ("Anneliese", "Bartholomew", "Cordelia", "Desmond", "Evangelina")

PUBLIC = make_program(
    f"{{{{Program|name={FORMULA}|start=2026-01-01|end=2026-01-31|wikis=devwiki, devcommons|campaign=+Rivers}}}}",
    ("-Mallory", "Bob"),
    page_id=20,
)
PRIVATE_FEW = make_program(
    "{{Program|name=Few|start=2026-01-01|end=2026-01-31|wikis=devwiki, devcommons|private=yes}}", FEW, page_id=21
)
PRIVATE_MANY = make_program(
    "{{Program|name=Many|start=2026-01-01|end=2026-01-31|wikis=devwiki, devcommons|private=yes}}", MANY, page_id=22
)
UNCOUNTED = make_program("{{Program|name=Not yet|start=2026-01-01|end=2026-01-31}}", ("Carol",), page_id=23)
UNKNOWN = "devwiki:404"
KINDS = ("stats", "participants", "articles", "uploads", "days")


def record(store: Store, program: Program, *, snapshot: bool = True) -> None:
    """The program, its status and (unless told otherwise) a snapshot where each participant shrank the article by 5
    bytes, uploaded a file, and the article is nominated for deletion."""
    store.record_program(program)
    if snapshot:
        facts = [
            RevisionFact("devwiki", i, name, 7, 0, ARTICLE.replace(" ", "_"), WHEN - timedelta(days=i), 95, 100, 1)
            for i, name in enumerate(program.confirmed, start=1)
        ]
        uploads = [UploadFact("devcommons", name, f"-Map_{i}.png", WHEN - timedelta(days=1), usage=2)
                   for i, name in enumerate(program.confirmed, start=1)]  # fmt: skip
        metrics = aggregate(participants=program.confirmed, window=program.window, timezone="UTC", now=WHEN,
                            revisions=facts, uploads=uploads)  # fmt: skip
        metrics = replace(metrics, alerts=(("devwiki", 0, ARTICLE, "Speedy deletion"),))
        store.record_snapshot(program, metrics, WHEN, backend="replica")
    store.record_status(key=program.key, wiki="devwiki", title=program.title, checked_at=WHEN, ok=True,
                        messages=(Message("problem-unknown-user", (program.confirmed[-1],)),),
                        edit_outcome=Message("outcome-saved", ("1",)))  # fmt: skip


@pytest.fixture
def client(settings: Settings, store: Store, monkeypatch: pytest.MonkeyPatch) -> FlaskClient:
    monkeypatch.setattr(webapp, "settings", settings)
    for program in (PUBLIC, PRIVATE_FEW, PRIVATE_MANY):
        record(store, program)
    record(store, UNCOUNTED, snapshot=False)
    store.record_campaign(Campaign("devwiki", 30, "Project:R", "+Rivers", FORMULA, None, None, (),
                                   ProgramType.BASIC), WHEN)  # fmt: skip
    return webapp.app.test_client()


def unavailable_client(settings: Settings, monkeypatch: pytest.MonkeyPatch, state: StateConfig) -> FlaskClient:
    monkeypatch.setattr(webapp, "settings", replace(settings, state=state))
    return webapp.app.test_client()


def rows(client: FlaskClient, url: str) -> list[dict[str, str]]:
    response = client.get(url)
    assert response.status_code == 200, url
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


# 1. Security headers


@pytest.mark.parametrize(
    "url",
    ["/", f"/program/{PUBLIC.key}", "/campaigns", "/glossary", "/programs.csv", f"/program/{PUBLIC.key}/stats.json",
     "/site.css", "/healthz", "/no-such-page", f"/program/{UNKNOWN}"],
)  # fmt: skip
def test_every_response_carries_the_security_headers(client: FlaskClient, url: str) -> None:
    headers = client.get(url).headers
    policy = headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"


def test_pages_fit_the_policy_without_inline_style_or_script(client: FlaskClient) -> None:
    for url in ("/", f"/program/{PUBLIC.key}", "/campaigns", "/glossary"):
        html = client.get(url).get_data(as_text=True)
        assert "<style" not in html and "style=" not in html and "<script" not in html, url
        assert '<link rel="stylesheet" href="/site.css">' in html
    sheet = client.get("/site.css")
    assert sheet.status_code == 200
    assert sheet.mimetype == "text/css"
    assert "td.num" in sheet.get_data(as_text=True)


def test_only_listed_endpoints_may_be_framed(client: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    assert frozenset({"program_embed"}) == webapp.FRAMEABLE_ENDPOINTS  # the embeddable live stats only
    monkeypatch.setattr(webapp, "FRAMEABLE_ENDPOINTS", frozenset({"glossary"}))
    framed = client.get("/glossary").headers
    assert "X-Frame-Options" not in framed
    assert "frame-ancestors *" in framed["Content-Security-Policy"]
    assert framed["X-Content-Type-Options"] == "nosniff"
    other = client.get("/").headers
    assert other["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in other["Content-Security-Policy"]


# 2. No schema migration on a web request


def test_empty_database_is_503_and_stays_empty(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = tmp_path / "empty.sqlite3"
    sqlite3.connect(path).close()
    client = unavailable_client(settings, monkeypatch, StateConfig(engine="sqlite", path=path))
    for url in ("/", "/programs.csv", f"/program/{PUBLIC.key}/stats.json", "/api/programs.json", "/healthz"):
        response = client.get(url)
        assert response.status_code == 503, url
        assert response.mimetype == "text/plain"
        assert "Traceback" not in response.get_data(as_text=True)
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "not available" in client.get("/?uselang=en").get_data(as_text=True)
    assert "no está disponible" in client.get("/?uselang=es").get_data(as_text=True)
    assert client.get("/healthz").get_data(as_text=True) == "unavailable: schema outdated\n"
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT name FROM sqlite_master").fetchall() == []


def test_outdated_schema_is_503_and_not_migrated(
    settings: Settings, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert settings.state.path is not None
    with sqlite3.connect(settings.state.path) as connection:
        connection.execute("DELETE FROM schema_version WHERE version = (SELECT MAX(version) FROM schema_version)")
    client = unavailable_client(settings, monkeypatch, settings.state)
    assert client.get("/").status_code == 503
    assert client.get("/healthz").status_code == 503
    assert store.pending_migrations() != []  # still pending: the request did not apply it


@pytest.mark.parametrize(
    "state",
    [StateConfig(engine="mysql", host="127.0.0.1", port=1, database="nothing"), "directory"],
    ids=["mariadb-refused", "sqlite-unopenable"],
)
def test_unreachable_database_is_503(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, state: StateConfig | str
) -> None:
    config = state if isinstance(state, StateConfig) else StateConfig(engine="sqlite", path=tmp_path)
    client = unavailable_client(settings, monkeypatch, config)
    for url in ("/", "/campaigns.json", "/healthz"):
        assert client.get(url).status_code == 503, url
    assert client.get("/healthz").get_data(as_text=True) == "unavailable: database unreachable\n"


def test_a_kept_connection_the_server_killed_does_not_break_the_next_request(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, mariadb_database: str
) -> None:
    config = StateConfig(engine="mysql", host="127.0.0.1", database=mariadb_database)
    Store.open(config).close()  # migrated, as the bot's db upgrade leaves it
    client = unavailable_client(settings, monkeypatch, config)
    assert client.get("/healthz").status_code == 200
    kept = webapp.STORES.take(config)  # the connection the request left for the next one
    (connection_id,) = kept._execute("site_connection_id")[0]
    webapp.STORES.give_back(config, kept, broken=False)
    killer = Store.connect(config)
    killer._execute("site_kill_connection", {"id": connection_id})
    killer.close()
    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 200
    webapp.STORES.clear()


def test_schema_outdated_after_the_check_is_seen_within_the_check_interval(
    settings: Settings, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = unavailable_client(settings, monkeypatch, settings.state)
    assert client.get("/healthz").status_code == 200
    assert settings.state.path is not None
    with sqlite3.connect(settings.state.path) as connection:
        connection.execute("DELETE FROM schema_version WHERE version = (SELECT MAX(version) FROM schema_version)")
    assert client.get("/healthz").status_code == 200  # trusted until the next check
    monkeypatch.setattr(webapp, "SCHEMA_CHECK_SECONDS", -1.0)
    assert client.get("/healthz").status_code == 503


def test_healthy_store_answers_ok(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert (response.status_code, response.get_data(as_text=True)) == (200, "ok")


# 3. Every download answers 200 or 404


@pytest.mark.parametrize("fmt", ["csv", "json"])
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("key", [PUBLIC.key, UNCOUNTED.key, PRIVATE_FEW.key, PRIVATE_MANY.key, UNKNOWN])
def test_program_downloads_answer_200_or_404(client: FlaskClient, key: str, kind: str, fmt: str) -> None:
    response = client.get(f"/program/{key}/{kind}.{fmt}")
    assert response.status_code == (404 if key == UNKNOWN else 200)
    if response.status_code == 200:
        assert response.headers["Content-Disposition"] == f'attachment; filename="{key.replace(":", "-")}-{kind}.{fmt}"'
        if fmt == "json":
            assert isinstance(response.get_json(), list)


@pytest.mark.parametrize("key", [PUBLIC.key, UNCOUNTED.key, PRIVATE_FEW.key, UNKNOWN])
def test_unknown_format_or_kind_is_404(client: FlaskClient, key: str) -> None:
    for url in (f"/program/{key}/stats.xml", f"/program/{key}/nothing.csv", f"/program/{key}/participants.CSV"):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("table", ["programs", "campaigns"])
def test_site_wide_downloads(client: FlaskClient, table: str) -> None:
    assert client.get(f"/{table}.csv").status_code == 200
    assert isinstance(client.get(f"/{table}.json").get_json(), list)
    assert client.get(f"/{table}.xml").status_code == 404


def test_stats_json_writes_dates_as_iso(client: FlaskClient) -> None:
    [stats] = client.get(f"/program/{PUBLIC.key}/stats.json").get_json()
    assert (stats["name"], stats["start"], stats["end"]) == (FORMULA, "2026-01-01", "2026-01-31")
    assert (stats["edits"], stats["bytes_net"]) == (2, -10)
    assert {p["program"]: p["start"] for p in client.get("/programs.json").get_json()}[PUBLIC.key] == "2026-01-01"
    assert client.get(f"/program/{UNCOUNTED.key}/stats.json").get_json() == []  # no snapshot yet


# 4. Privacy


def test_private_program_with_few_participants_has_no_breakdown(client: FlaskClient) -> None:
    key = PRIVATE_FEW.key
    for kind in ("participants", "articles", "uploads", "days"):
        assert rows(client, f"/program/{key}/{kind}.csv") == [], kind
        assert client.get(f"/program/{key}/{kind}.json").get_json() == [], kind
    [stats] = rows(client, f"/program/{key}/stats.csv")
    assert (stats["edits"], stats["devwiki_edits"]) == ("2", "")  # totals only
    html = client.get(f"/program/{key}?uselang=en").get_data(as_text=True)
    assert "SUM(1+1)" not in html  # the deletion alert names an article: count only
    assert "Speedy deletion" not in html
    assert "<tr><th>Alerts</th><td>1</td></tr>" in html
    for name in FEW:
        for url in (f"/program/{key}", *(f"/program/{key}/{k}.{f}" for k in KINDS for f in ("csv", "json")),
                    "/programs.csv", "/programs.json", "/api/programs.json"):  # fmt: skip
            assert name not in client.get(url).get_data(as_text=True), (name, url)


def test_private_program_with_enough_participants_shows_breakdowns_without_names(client: FlaskClient) -> None:
    key = PRIVATE_MANY.key
    assert [(a["title"], a["edits"]) for a in rows(client, f"/program/{key}/articles.csv")] == [("'" + ARTICLE, "5")]
    uploads = rows(client, f"/program/{key}/uploads.csv")
    assert len(uploads) == 5
    assert {u["username"] for u in uploads} == {""}  # never the uploader
    assert {u["username"] for u in client.get(f"/program/{key}/uploads.json").get_json()} == {""}
    assert rows(client, f"/program/{key}/participants.csv") == []
    assert len(rows(client, f"/program/{key}/days.csv")) == 5
    html = client.get(f"/program/{key}?uselang=en").get_data(as_text=True)
    assert f"<tr><th>Alerts</th><td>{ARTICLE} (Speedy deletion)</td></tr>" in html  # enough people: named
    for name in MANY:
        for url in (f"/program/{key}", *(f"/program/{key}/{k}.{f}" for k in KINDS for f in ("csv", "json"))):
            assert name not in client.get(url).get_data(as_text=True), (name, url)


def test_breakdown_rule_is_the_threshold() -> None:
    assert exports.PRIVATE_MINIMUM == 5


# 5. CSV injection


def test_csv_cells_from_wiki_text_cannot_be_formulas(client: FlaskClient) -> None:
    [program] = [r for r in rows(client, "/programs.csv") if r["program"] == PUBLIC.key]
    assert program["name"] == "'" + FORMULA
    assert program["bytes_net"] == "-10"  # a number, not text: left alone
    [article] = rows(client, f"/program/{PUBLIC.key}/articles.csv")
    assert (article["title"], article["bytes_net"]) == ("'" + ARTICLE, "-10")
    people = {p["username"]: p for p in rows(client, f"/program/{PUBLIC.key}/participants.csv")}
    assert set(people) == {"'-Mallory", "Bob"}
    assert people["'-Mallory"]["bytes_net"] == "-5"
    files = {u["file"] for u in rows(client, f"/program/{PUBLIC.key}/uploads.csv")}
    assert files == {"'-Map_1.png", "'-Map_2.png"}
    [campaign] = rows(client, "/campaigns.csv")
    assert campaign["campaign"] == "'+Rivers"


def test_json_keeps_the_text_unchanged(client: FlaskClient) -> None:
    [article] = client.get(f"/program/{PUBLIC.key}/articles.json").get_json()
    assert (article["title"], article["bytes_net"]) == (ARTICLE, -10)
    names = {p["username"] for p in client.get(f"/program/{PUBLIC.key}/participants.json").get_json()}
    assert names == {"-Mallory", "Bob"}


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@A1", "\tx", "\rx"])
def test_every_formula_trigger_is_neutralized(text: str) -> None:
    table = exports.Table(("text", "number"), [(text, -5)])
    [row] = list(csv.reader(io.StringIO(table.to_csv(), newline="")))[1:]
    assert row == ["'" + text, "-5"]
    assert exports.Table(("text",), [("plain = text",)]).to_csv() == "text\r\nplain = text\r\n"


def test_line_breaks_inside_a_cell_cannot_start_a_row() -> None:
    table = exports.Table(("name", "edits"), [("a\rb", 1), ("c\nd", 2), ("e\r\nf", 3)])
    assert list(csv.reader(io.StringIO(table.to_csv(), newline=""))) == [
        ["name", "edits"],
        ["a\rb", "1"],
        ["c\nd", "2"],
        ["e\r\nf", "3"],
    ]
