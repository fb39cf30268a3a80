"""The data the browser tests look at: made on the dev wikis by real accounts, then counted by the bot's update.

Nothing is written into the store by hand. Alice organizes four programs (one ended, one private) and a campaign
on devwiki; Bob, Carol, Dave and Mallory sign themselves up, edit (60 dated revisions imported across five days, a
few live edits today), upload files to devcommons and use them; a local Pageviews server gives two articles views;
one article sits in a deletion category (an alert). Then ``run_update`` counts everything as it would on Toolforge.
The figures the tests expect are what those actions must produce, worked out by hand from the list of actions, so a
page showing anything else fails.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from bot import wiki
from bot.config import Settings, StateConfig, load_settings
from bot.store import Store
from bot.templates import install_templates
from bot.update import run_update
from devtools import scenario
from devtools.pageviews_server import PageviewsServer
from devtools.scenario import Revision
from devtools.wikiuser import WikiUser
from tests.conftest import devwiki

PROJECT = "dev.wikipedia"
PARTICIPANTS = ("Bob", "Carol", "Dave", "Mallory")
RIVERS = ("River Tagus", "River Ebro", "River Duero", "River Guadiana", "River Miño", "River Júcar")
IMPORTED = 60
"""Dated revisions imported on devwiki: revision i is by PARTICIPANTS[i % 4] on RIVERS[i % 6], on day i // 12 of
the five days before today (12 a day, one an hour from 08:00 UTC), so each river's first revision is i = its index."""
UPLOADS = {"Tagus source.png": "Bob", "Tagus mouth.png": "Bob", "Ebro delta.png": "Carol"}
CAMPAIGN = "Rivers"
PUBLIC = "Rivers of Iberia"
SECOND = "Deltas week"
PRIVATE = "Quiet circle"
ENDED = "Winter maps"
INSTITUTION = "Iberian River Society"
PRIVATE_PARTICIPANTS = ("Dave", "Mallory")
ALERTED = "Hoax river"


@dataclass(frozen=True)
class SiteData:
    """What was built: the settings the site runs with (its own SQLite store) and the programs' keys."""

    settings: Settings
    today: date
    keys: dict[str, str]
    """Program name -> store key (``devwiki:<page id>``)."""
    campaign_key: str


def revision_day(today: date, index: int) -> date:
    return today - timedelta(days=5 - index // 12)


def imported_revisions(today: date) -> list[Revision]:
    revisions = []
    for i in range(IMPORTED):
        when = datetime.combine(revision_day(today, i), time(8 + i % 12), UTC)
        user, river = PARTICIPANTS[i % 4], RIVERS[i % 6]
        text = f"The '''{river}''' is a river of Iberia." + " It flows on." * (i // 6 + 1)
        revisions.append(Revision(river, 0, user, when, text, f"Step {i}"))
    # Alice organizes without signing up: her edit is never counted.
    when = datetime.combine(today - timedelta(days=1), time(23), UTC)
    revisions.append(Revision(RIVERS[0], 0, "Alice", when, "The '''River Tagus''' (organizer's copy edit).", "ce"))
    return revisions


def program_text(name: str, today: date, params: str = "", *, ended: bool = False) -> str:
    """A program page Alice organizes: on now (from six days ago to five days ahead), or ``ended`` (from 60 to 40
    days ago)."""
    first, last = (-60, -40) if ended else (-6, 5)
    start, end = (today + timedelta(days=first)).isoformat(), (today + timedelta(days=last)).isoformat()
    return (
        f"{name} improves articles about rivers.\n\n"
        f"{{{{Program|name={name}|start={start}|end={end}|organizers=Alice{params}}}}}\n"
        "{{Program join}}\n\n== Participants ==\n"
    )


def sign_up(user: WikiUser, title: str) -> None:
    user.edit(title, appendtext=f"\n* {{{{Program sign-up|user={user.username}}}}} ~~~~", summary="Sign up")


def build(state_dir: Path) -> SiteData:
    """Fresh dev wikis, the programs, the participants' work, and one update of the bot into a new store."""
    devwiki("reset")
    wiki.forget_logins()
    today = datetime.now(UTC).date()
    base = load_settings()
    views = {
        (PROJECT, RIVERS[0], today - timedelta(days=1)): 100,
        (PROJECT, RIVERS[1], today - timedelta(days=2)): 40,
    }
    with PageviewsServer(views) as pageviews:
        devwiki_config = replace(base.wiki("devwiki"), pageviews_project=PROJECT)
        settings = replace(
            base,
            state=StateConfig(engine="sqlite", path=state_dir / "state.sqlite3"),
            pageviews_url=pageviews.base_url,
            web_secret_file=state_dir / "web-secret",
            wikis={**base.wikis, "devwiki": devwiki_config},
        )
        outcomes = install_templates(settings, settings.wiki("devwiki"))
        assert all(outcome.saved for outcome in outcomes.values()), outcomes
        alice = WikiUser.on("devwiki", "Alice")
        people = {name: WikiUser.on("devwiki", name) for name in PARTICIPANTS}
        alice.edit(f"Project:{CAMPAIGN}", f"{{{{Program campaign|name={CAMPAIGN}|organizers=Alice}}}}")
        public = f"|wikis=devwiki, devcommons|campaign={CAMPAIGN}|type=editathon|institution={INSTITUTION}"
        alice.edit(f"Project:{PUBLIC}", program_text(PUBLIC, today, public))
        alice.edit(f"Project:{SECOND}", program_text(SECOND, today, f"|campaign={CAMPAIGN}|type=course"))
        alice.edit(f"Project:{PRIVATE}", program_text(PRIVATE, today, "|private=yes"))
        alice.edit(
            f"Project:{ENDED}", program_text(ENDED, today, "|wikis=devcommons|institution=Map Guild", ended=True)
        )
        for user in people.values():
            sign_up(user, f"Project:{PUBLIC}")
        sign_up(people["Carol"], f"Project:{SECOND}")
        for name in PRIVATE_PARTICIPANTS:
            sign_up(people[name], f"Project:{PRIVATE}")

        scenario.import_revisions("devwiki", imported_revisions(today))
        for filename, uploader in UPLOADS.items():
            scenario.upload_file(uploader, filename, comment=f"{filename} by {uploader}")
        scenario.use_file("devwiki", "Bob", RIVERS[0], "Tagus source.png")
        scenario.use_file("devwiki", "Carol", RIVERS[1], "Ebro delta.png")
        people["Mallory"].edit(ALERTED, "A river nobody has seen.\n[[Category:Proposed deletion]]", "New")

        store = Store.open(settings.state)
        try:
            run_update(settings, store, datetime.now(UTC))
            keys = {summary.name: summary.key for summary in store.programs()}
            [campaign] = store.campaigns()
        finally:
            store.close()
    return SiteData(settings, today, keys, campaign.key)
