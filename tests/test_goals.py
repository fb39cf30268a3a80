"""Issue 18, event goals: ``goals=`` of ``{{Program}}`` read strictly (bot/goals.py), and their progress on the real
dev wiki: a scripted October 2026 history where each goal's value and the day it was reached are known in advance,
through the bot's main job to the outcome box, the organizers' report, the campaign report, the store, the site and
the downloads."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta

import pytest
from flask.testing import FlaskClient

from bot.campaign_report import campaign_totals
from bot.clock import utcnow
from bot.config import Settings
from bot.goals import CampaignGoal, GoalProgress, campaign_goals, parse_goals
from bot.program import Goal, Message
from bot.store import Store
from bot.templates import install_templates
from bot.update import run_update
from devtools import scenario
from devtools.scenario import Revision
from devtools.wikiuser import WikiUser
from tests.programs import make_program
from webservice import app as webapp


def test_goals_as_organizers_write_them_in_english_or_spanish() -> None:
    goals, notes = parse_goals(
        "\n* 50 artículos creados\n* ediciones por participante: 20\n* words_added: 10.000\n"
        "* Retention_7 = 3; uploads per participant: 1,000, edits: 1 500\n# 2 new editors\n"
    )
    assert goals == (
        Goal("articles_created", 50),
        Goal("edits", 20, per_participant=True),
        Goal("words_added", 10_000),
        Goal("retention_7", 3),
        Goal("uploads", 1_000, per_participant=True),
        Goal("edits", 1_500),
        Goal("new_editors", 2),
    )
    assert notes == ()


def test_every_broken_goal_is_a_message_and_the_others_still_count() -> None:
    goals, notes = parse_goals(
        "* foo: 3\n* edits: -4\n* edits: 1.5\n* edits: mucho\n* participants per participant: 2\n* articles_edited: 0\n"
        "* edits: 7\n* Ediciones: 9\n* fifty edits\n* bytes_added: 1000000000001\n"
    )
    assert goals == (Goal("edits", 7),)
    assert notes == (
        Message("problem-goal-unknown-metric", ("foo: 3", "foo")),
        Message("problem-goal-not-positive", ("edits: -4",)),
        Message("problem-goal-not-number", ("edits: 1.5", "1.5")),
        Message("problem-goal-not-number", ("edits: mucho", "mucho")),
        Message("problem-goal-per-participant", ("participants per participant: 2",)),
        Message("problem-goal-not-positive", ("articles_edited: 0",)),
        Message("problem-goal-duplicate", ("Ediciones: 9",)),
        Message("problem-goal-invalid", ("fifty edits",)),
        Message("problem-goal-too-large", ("bytes_added: 1000000000001", "1,000,000,000,000")),
    )
    # In a program: the definition keeps its valid goals and carries the messages; the program still counts.
    program = make_program("{{Program|start=2026-03-01|end=2026-03-02|goals=* edits: 7\n* foo: 3}}")
    assert program.definition.goals == (Goal("edits", 7),)
    assert Message("problem-goal-unknown-metric", ("foo: 3", "foo")) in program.messages


def test_the_campaign_sums_each_metric_once_per_program() -> None:
    first = (
        GoalProgress("edits", 2, True, 4, 5, date(2026, 10, 5)),
        GoalProgress("edits", 10, False, 10, 5, None),  # the larger target of one program's two edits goals
        GoalProgress("words_added", 100, False, 100, None, None),  # not counted for it: left out
    )
    second = (GoalProgress("edits", 3, False, 3, 1, None), GoalProgress("words_added", 50, False, 50, 20, None))
    assert campaign_goals([first, second]) == (CampaignGoal("edits", 2, 13, 6), CampaignGoal("words_added", 1, 50, 20))


def text_of(size: int, label: str) -> str:
    return label + " " + "x" * (size - len(label) - 1)


# Madrid is UTC+2 in early October: 22:30 UTC on 4 October is 00:30 on 5 October there.
HISTORY = [
    Revision("Ebro", 0, "Bob", "2026-10-02T10:00:00Z", text_of(100, "Ebro"), "New"),  # created 1
    Revision("Ebro", 0, "Bob", "2026-10-03T10:00:00Z", text_of(150, "Ebro"), "More"),
    Revision("Tajo", 0, "Carol", "2026-10-03T12:00:00Z", text_of(80, "Tajo"), "New"),  # created 2
    Revision("Sil", 0, "Mallory", "2026-10-03T13:00:00Z", text_of(60, "Sil"), "Not a participant"),
    Revision("Duero", 0, "Bob", "2026-10-04T22:30:00Z", text_of(90, "Duero"), "New"),  # created 3, on 5 Oct local
    Revision("Tajo", 0, "Carol", "2026-10-06T09:00:00Z", text_of(95, "Tajo"), "More"),
    Revision("Lago", 0, "Dave", "2026-10-02T09:00:00Z", text_of(70, "Lago"), "New"),  # the second program's
]
GOALS = (
    "\n* 3 artículos creados\n* ediciones por participante: 2\n* edits: 10\n* participants: 2\n* uploads: 1\n"
    "* foo: 3\n* edits: -1\n"
)


def program_page(name: str, goals: str, participants: tuple[str, ...]) -> str:
    signups = "".join(f"\n* {{{{Program sign-up|user={user}}}}}" for user in participants)
    return (
        f"{{{{Program|name={name}|start=2026-10-01|end=2026-10-10|timezone=Europe/Madrid|organizers=Alice"
        f"|campaign=Agua|goals={goals}}}}}\n\n== Participants =={signups}\n"
    )


@pytest.fixture
def history(fresh_wikis: None, settings: Settings) -> None:
    install_templates(settings, settings.wiki("devwiki"))
    with scenario.farm_lock_shared():
        scenario.import_revisions("devwiki", HISTORY)
    alice = WikiUser.on("devwiki", "Alice")
    alice.edit("Project:Agua", "{{Program campaign|name=Agua}}")
    # Alice organizes and signs the participants up (an organizer's sign-up counts).
    alice.edit("Project:Ríos", program_page("Ríos", GOALS, ("Bob", "Carol")))
    alice.edit("Project:Lagos", program_page("Lagos", "articles_created: 2", ("Dave",)))


RIOS = [
    GoalProgress("articles_created", 3, False, 3, 3, date(2026, 10, 5)),
    # 2 per participant x 2 participants = 4; cumulative edits by local day: 1 (2 Oct), 3 (3 Oct), 4 (5 Oct).
    GoalProgress("edits", 2, True, 4, 5, date(2026, 10, 5)),
    GoalProgress("edits", 10, False, 10, 5, None),
    GoalProgress("participants", 2, False, 2, 2, None),  # reached, but participants have no per-day figures
    GoalProgress("uploads", 1, False, 1, 0, None),
]


@pytest.mark.usefixtures("history")
def test_goal_progress_on_the_wiki_the_site_and_the_downloads(
    settings: Settings, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    results = run_update(settings, store, utcnow())
    assert all(result.ok for result in results)
    rios = next(p for p in store.programs() if p.name == "Ríos")
    lagos = next(p for p in store.programs() if p.name == "Lagos")
    assert (rios.participants, rios.edits) == (2, 5)
    assert store.snapshot_goals(rios.key, str(rios.updated_at)) == RIOS
    assert [g.percent for g in RIOS] == [100, 125, 50, 100, 0]
    assert store.snapshot_goals(lagos.key, str(lagos.updated_at)) == [
        GoalProgress("articles_created", 2, False, 2, 1, None)
    ]
    # The broken goals reach the organizers (the site's list and the talk-page report); the others still count.
    assert Message("problem-goal-unknown-metric", ("foo: 3", "foo")) in rios.messages
    assert Message("problem-goal-not-positive", ("edits: -1",)) in rios.messages

    alice = WikiUser.on("devwiki", "Alice")
    page = alice.page_text("Project:Ríos") or ""
    for line in (
        "Articles created: 3 of 3 (100%) — reached on 2026-10-05",
        "Edits per participant: 5 of 4 (125%) (a goal of 2 per participant, times the participants) — reached on "
        "2026-10-05",
        "Edits: 5 of 10 (50%)\n",
        "Participants: 2 of 2 (100%) — reached\n",
        "Files uploaded: 0 of 1 (0%)\n",
    ):
        assert line in page
    talk = alice.page_text("Project talk:Ríos") or ""
    assert 'The goal "foo: 3" names "foo", which is not a number the bot counts' in talk
    assert 'The goal "edits: -1" must be a whole number above 0' in talk
    # The rendered outcome shows the goals section and a bar 50% wide for the edits goal.
    html = alice.get(action="parse", page="Project:Ríos", prop="text", formatversion=2)["parse"]["text"]
    assert ">Goals</th>" in html and "width:50%" in html

    # The campaign report sums the programs' goals: articles created 3 + 2 targets, 3 + 1 values.
    campaign = alice.page_text("Project:Agua") or ""
    assert "Articles created: 4 of 5 (80%) (the goals of 2 programs added up)" in campaign
    assert "Edits: 5 of 10 (50%) (the goals of one program added up)" in campaign
    [agua] = store.campaigns()
    assert campaign_totals(store, agua, store.programs()).goals == (
        CampaignGoal("articles_created", 2, 5, 4),
        CampaignGoal("edits", 1, 10, 5),
        CampaignGoal("participants", 1, 2, 2),
        CampaignGoal("uploads", 1, 1, 0),
    )

    # The site's goals block and the downloads.
    monkeypatch.setattr(webapp, "settings", settings)
    client: FlaskClient = webapp.app.test_client()
    html = client.get(f"/program/{rios.key}?uselang=es").get_data(as_text=True)
    assert '<progress max="100" value="100">125%</progress> Ediciones por participante: 5 de 4 (125 %)' in html
    assert "Artículos creados: 3 de 3 (100 %) — alcanzada el 2026-10-05" in html
    rows = list(csv.reader(io.StringIO(client.get(f"/program/{rios.key}/goals.csv").get_data(as_text=True))))
    assert rows == [
        ["metric", "per_participant", "goal", "target", "value", "percent", "reached", "reached_on"],
        ["articles_created", "False", "3", "3", "3", "100", "True", "2026-10-05"],
        ["edits", "True", "2", "4", "5", "125", "True", "2026-10-05"],
        ["edits", "False", "10", "10", "5", "50", "False", ""],
        ["participants", "False", "2", "2", "2", "100", "True", ""],
        ["uploads", "False", "1", "1", "0", "0", "False", ""],
    ]
    assert json.loads(client.get("/campaign-goals.json").get_data(as_text=True))[0] == {
        "campaign": "Agua", "metric": "articles_created", "programs": 2, "target": 5, "value": 4, "percent": 80,
        "reached": False,
    }  # fmt: skip

    # Nothing changed: the next update saves nothing.
    before = alice.revisions("Project:Ríos")[-1]["revid"]
    run_update(settings, store, utcnow() + timedelta(seconds=2))
    assert alice.revisions("Project:Ríos")[-1]["revid"] == before
