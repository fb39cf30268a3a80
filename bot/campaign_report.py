"""A campaign's totals, and the report the bot writes on each campaign page: its programs (alphabetical) and their
numbers.

Everything is counted once per campaign: someone confirmed in two of its programs is one participant (the
programs' sign-ups, as stored), a revision two programs counted is one edit (their ledgers, bot/ledger.py), a file
two programs counted is one upload (their latest snapshots). Program names and
titles come from wiki pages: they are written as escaped link labels and checked titles. It reads the store only, so
the campaign page, the site and the downloads agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from bot.clock import iso
from bot.goals import CampaignGoal, campaign_goals, campaign_goals_wikitext
from bot.metrics import Counts
from bot.program import SignupStatus
from bot.store import CampaignSummary, ProgramSummary, Store
from bot.wikitext_writer import Wikitext, escape, link


@dataclass(frozen=True)
class CampaignTotals:
    members: tuple[ProgramSummary, ...]
    """The campaign's programs, alphabetical (all of them, updated or not)."""
    participants: int
    """Distinct confirmed participants over the programs that have numbers."""
    counts: Counts
    goals: tuple[CampaignGoal, ...] = ()
    """Each metric's goals summed over the programs that set one (bot.goals.campaign_goals)."""


def distinct_totals(store: Store, programs: Iterable[ProgramSummary]) -> tuple[int, Counts]:
    """The distinct confirmed participants and the counts over these programs, each thing once (see the module's
    docstring): what a campaign adds up, and what the site's home page adds up over the programs it found. Programs
    without numbers yet add nothing."""
    updated = [program for program in programs if program.updated_at]
    people: set[str] = set()
    files: dict[tuple[str, str], int] = {}
    for member in updated:
        # Usernames are per wiki: a participant of programs on two wikis with one SUL name is one person.
        people |= {p.username for p in store.signups(member.key) if p.status is SignupStatus.CONFIRMED}
        for wiki, file, _uploader, _when, usage in store.snapshot_uploads(member.key, str(member.updated_at)):
            files[(wiki, file)] = usage
    uploads = Counts(
        uploads=len(files),
        uploads_in_use=sum(1 for usage in files.values() if usage > 0),
        upload_usage=sum(files.values()),
    )
    revisions = store.ledger_counts([member.key for member in updated], "total") if updated else []
    return len(people), (revisions[0][1] if revisions else Counts()).plus(uploads)


def campaign_totals(store: Store, campaign: CampaignSummary, programs: list[ProgramSummary]) -> CampaignTotals:
    members = sorted((p for p in programs if campaign.includes(p)), key=lambda p: (p.name.casefold(), p.key))
    participants, counts = distinct_totals(store, members)
    goals = campaign_goals(
        store.snapshot_goals(member.key, str(member.updated_at)) for member in members if member.updated_at
    )
    return CampaignTotals(tuple(members), participants, counts, goals)


def campaign_params(
    store: Store, campaign: CampaignSummary, programs: list[ProgramSummary], now: datetime, language: str = "en"
) -> dict[str, object]:
    totals = campaign_totals(store, campaign, programs)
    lines = [
        link(member.title, member.name) if member.wiki == campaign.wiki else escape(member.name)
        for member in totals.members
    ]
    goals = campaign_goals_wikitext(language, totals.goals)
    params: dict[str, object] = {
        "programs": Wikitext("\n" + "\n".join(f"* {line}" for line in lines) + "\n") if lines else "",
        "participants": str(totals.participants),
        "edits": str(totals.counts.edits),
        "articles_edited": str(totals.counts.articles_edited),
        "articles_created": str(totals.counts.articles_created),
        "uploads": str(totals.counts.uploads),
        "updated": iso(now),
    }
    if goals:  # a campaign without goals keeps the report it had
        params["goals"] = goals
    return params
