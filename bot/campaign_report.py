"""The campaign report the bot writes on each campaign page: its programs (alphabetical) and their summed numbers.

Program names and titles come from wiki pages: they are written as escaped link labels and checked titles.
It reads the store only (the programs' latest snapshots), so it always agrees with the site's campaign page.
"""

from __future__ import annotations

from datetime import datetime

from bot.clock import iso
from bot.metrics import Counts
from bot.store import CampaignSummary, ProgramSummary, Store
from bot.wikitext_writer import Wikitext, escape, link


def campaign_params(
    store: Store, campaign: CampaignSummary, programs: list[ProgramSummary], now: datetime
) -> dict[str, object]:
    members = sorted((p for p in programs if campaign.includes(p)), key=lambda p: (p.name.casefold(), p.key))
    totals, people = Counts(), 0
    lines = []
    for member in members:
        lines.append(link(member.title, member.name) if member.wiki == campaign.wiki else escape(member.name))
        if member.updated_at:
            [(_value, counts, _views)] = store.snapshot_counts(member.key, member.updated_at, "total")
            totals = totals.plus(counts)
            people += member.participants or 0
    return {
        "programs": Wikitext("\n" + "\n".join(f"* {line}" for line in lines) + "\n") if lines else "",
        "participants": str(people),
        "edits": str(totals.edits),
        "articles_edited": str(totals.articles_edited),
        "articles_created": str(totals.articles_created),
        "uploads": str(totals.uploads),
        "updated": iso(now),
    }
