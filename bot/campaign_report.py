"""The campaign report the bot writes on each campaign page: its programs (alphabetical) and their summed numbers.

It reads the store only (the programs' latest snapshots), so it always agrees with the site's campaign page.
"""

from __future__ import annotations

from datetime import datetime

from bot.clock import iso
from bot.metrics import Counts
from bot.store import CampaignSummary, ProgramSummary, Store


def campaign_params(
    store: Store, campaign: CampaignSummary, programs: list[ProgramSummary], now: datetime
) -> dict[str, str]:
    members = sorted((p for p in programs if campaign.name in p.campaigns), key=lambda p: (p.name.casefold(), p.key))
    totals, people = Counts(), 0
    lines = []
    for member in members:
        link = f"[[{member.title}|{member.name}]]" if member.wiki == campaign.wiki else member.name
        lines.append(f"* {link}")
        if member.updated_at:
            [(_value, counts, _views)] = store.snapshot_counts(member.key, member.updated_at, "total")
            totals = totals.plus(counts)
            people += member.participants or 0
    return {
        "programs": "\n" + "\n".join(lines) + "\n" if lines else "",
        "participants": str(people),
        "edits": str(totals.edits),
        "articles_edited": str(totals.articles_edited),
        "articles_created": str(totals.articles_created),
        "uploads": str(totals.uploads),
        "updated": iso(now),
    }
