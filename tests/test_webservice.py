"""The web site renders what the store holds, escaped, in English or Spanish."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from flask.testing import FlaskClient

from bot.config import Settings
from bot.program import Message
from bot.stats import ParticipantStats, ProgramStats, WikiStats
from bot.store import Store
from tests.programs import make_program
from webservice import app as webapp

HOSTILE = make_program(
    """{{Program|name=<nowiki><script>alert("x")</script> & co</nowiki>|start=2026-01-01|end=2026-01-31}}""",
    ("<img src=x onerror=alert(1)>",),
    page_id=9,
    title="Project:<script>x</script>",
)


@pytest.fixture
def client(settings: Settings, store: Store, monkeypatch: pytest.MonkeyPatch) -> Iterator[FlaskClient]:
    """The app reading this test's store (its settings object is the one loaded at import)."""
    monkeypatch.setattr(webapp, "settings", settings)
    people = (ParticipantStats(HOSTILE.participants[0].username, 4, 2),)
    when = datetime(2026, 1, 10, 8, 0, tzinfo=UTC)
    store.record_program(HOSTILE)
    store.record_snapshot(HOSTILE, ProgramStats(people, (WikiStats("devwiki", 4, 2, people),)), when)
    store.record_status(
        key=HOSTILE.key, wiki="devwiki", title=HOSTILE.title, checked_at=when, ok=True,
        messages=(Message("problem-unknown-wiki", ("<b>bad</b>",)),), edit_outcome=Message("outcome-saved", ("77",)),
    )  # fmt: skip
    return webapp.app.test_client()


def test_index_lists_programs_escaped(client: FlaskClient) -> None:
    html = client.get("/?uselang=en").get_data(as_text=True)
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; co" in html
    assert "<script>alert" not in html
    assert '<td class="num">4</td>' in html
    assert '<td class="num">2</td>' in html
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


def test_json_and_missing_program(client: FlaskClient) -> None:
    [item] = client.get("/api/programs.json").get_json()
    assert (item["name"], item["edits"], item["articles_edited"], item["participants"]) == (HOSTILE.name, 4, 2, 1)
    assert item["problems"] == ["The wiki \"<b>bad</b>\" is not one the bot knows; it is ignored. Use a database "
                                "name such as eswiki or commonswiki."]  # fmt: skip
    assert client.get("/program/devwiki:404").status_code == 404
