"""How long devtools.scenario.import_revisions takes: N revisions (default 100) over N/10 new pages by 5 users.

    .venv/bin/python -m bench.import_revisions [N] [--wiki devwiki] [--repeat 3] [--edit-updates] [--recent]

Each run imports pages with new titles (no reset: the wikis are shared with running tests), so the wiki grows by N
revisions per run; `scripts/devwiki reset` clears it. Prints the time of each step (importDump.php, the rev_id
lookup through the API, refreshLinks.php, initSiteStats.php, rebuildrecentchanges.php) and the median total.
--edit-updates runs every edit's updates in importDump.php instead of refreshLinks.php afterwards; --recent dates
the revisions yesterday (so recent changes are rebuilt) instead of March 2024.
"""

from __future__ import annotations

import argparse
import statistics
import time
import uuid
from datetime import UTC, datetime, timedelta

from devtools import scenario
from devtools.scenario import Revision

USERS = ["Alice", "Bob", "Carol", "Dave", "Mallory"]


def revisions(count: int, start: datetime, prefix: str = "Bench page") -> list[Revision]:
    """``count`` revisions, 10 per page, each longer than the last, with a link and a category."""
    result = []
    for i in range(count):
        page = i % max(1, count // 10)
        text = f"'''{prefix} {page}''' revision {i}. [[{prefix} {page + 1}]] [[Category:Bench]]\n" + "Lorem. " * i
        result.append(Revision(f"{prefix} {page}", 0, USERS[i % len(USERS)], start + timedelta(minutes=i), text))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", type=int, nargs="?", default=100)
    parser.add_argument("--wiki", default="devwiki")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--edit-updates", action="store_true", help="run every edit's updates per revision")
    parser.add_argument("--recent", action="store_true", help="date the revisions yesterday")
    args = parser.parse_args()
    start = datetime.now(UTC) - timedelta(days=1) if args.recent else datetime(2024, 3, 1, 10, tzinfo=UTC)
    totals = []
    for run in range(args.repeat):
        batch = revisions(args.count, start, f"Bench {uuid.uuid4().hex[:8]}")
        started = time.monotonic()
        ids = scenario.import_revisions(args.wiki, batch, edit_updates=args.edit_updates)
        total = time.monotonic() - started
        totals.append(total)
        t = scenario.last_import_timings
        print(
            f"run {run + 1}: {len(ids)} revisions on {len({r.title for r in batch})} pages in {total:.2f} s "
            f"(importDump {t.import_dump:.2f}, rev_id lookup {t.lookup:.2f}, refreshLinks {t.links:.2f}, "
            f"initSiteStats {t.site_stats:.2f}, rebuildrecentchanges {t.recent_changes:.2f})"
        )
    print(f"median {statistics.median(totals):.2f} s for {args.count} revisions")


if __name__ == "__main__":
    main()
