"""A campaign's totals, and the report the bot writes on each campaign page: its programs (alphabetical) and their
numbers.

Participants are counted once per campaign: someone confirmed in two of its programs is one participant (the
programs' sign-ups, as stored). The other counts are the sums of the programs' latest snapshots. Program names and
titles come from wiki pages: they are written as escaped link labels and checked titles. It reads the store only, so
the campaign page, the site and the downloads agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.clock import iso
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


def campaign_totals(store: Store, campaign: CampaignSummary, programs: list[ProgramSummary]) -> CampaignTotals:
    members = sorted((p for p in programs if campaign.includes(p)), key=lambda p: (p.name.casefold(), p.key))
    totals, people = Counts(), set[str]()
    for member in members:
        if not member.updated_at:
            continue
        [(_value, counts, _views)] = store.snapshot_counts(member.key, member.updated_at, "total")
        totals = totals.plus(counts)
        # Usernames are per wiki: a participant of programs on two wikis with one SUL name is one person.
        people |= {p.username for p in store.signups(member.key) if p.status is SignupStatus.CONFIRMED}
    return CampaignTotals(tuple(members), len(people), totals)


def campaign_params(
    store: Store, campaign: CampaignSummary, programs: list[ProgramSummary], now: datetime
) -> dict[str, object]:
    totals = campaign_totals(store, campaign, programs)
    lines = [
        link(member.title, member.name) if member.wiki == campaign.wiki else escape(member.name)
        for member in totals.members
    ]
    return {
        "programs": Wikitext("\n" + "\n".join(f"* {line}" for line in lines) + "\n") if lines else "",
        "participants": str(totals.participants),
        "edits": str(totals.counts.edits),
        "articles_edited": str(totals.counts.articles_edited),
        "articles_created": str(totals.counts.articles_created),
        "uploads": str(totals.counts.uploads),
        "updated": iso(now),
    }
