"""How long the stats engine takes on a dev wiki with a real history: facts from the replica views and from the
API, and a whole program_metrics, for a program of 5 participants whose window covers N revisions.

    .venv/bin/python -m bench.stats_engine [N] [--repeat 5]

It resets the dev wikis first (do not run it beside tests), imports N revisions dated over the window
(devtools/scenario.py), then times each step; the first replica run is the cold one.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.import_revisions import USERS, revisions
from bot.aggregate import aggregate
from bot.config import PROJECT_ROOT, StateConfig, load_settings
from bot.facts_api import wiki_facts as api_facts
from bot.facts_replica import FactRequest
from bot.facts_replica import wiki_facts as replica_facts
from bot.metrics import RevisionFact
from bot.replica import Replica
from bot.stats import program_metrics
from bot.store import Store
from devtools import scenario
from tests.programs import make_program

START = datetime(2024, 3, 1, 10, tzinfo=UTC)


def timed(label: str, repeat: int, action):  # type: ignore[no-untyped-def]
    times, result = [], None
    for _ in range(repeat):
        started = time.monotonic()
        result = action()
        times.append(time.monotonic() - started)
    print(f"{label}: first {times[0]:.3f} s, median {statistics.median(times):.3f} s over {repeat}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", type=int, nargs="?", default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    subprocess.run([str(PROJECT_ROOT / "scripts" / "devwiki"), "reset"], check=True)
    started = time.monotonic()
    scenario.import_revisions("devwiki", revisions(args.count, START))
    print(f"imported {args.count} revisions in {time.monotonic() - started:.1f} s")

    settings = load_settings()
    end = START + timedelta(minutes=args.count)
    program = make_program(f"{{{{Program|start={START.date()}|end={end.date()}}}}}", tuple(USERS))
    request = FactRequest(tuple(USERS), program.window, (0,), settings.bot_username)
    replica = Replica(settings.wiki("devwiki"), settings)
    facts = timed("replica facts", args.repeat, lambda: replica_facts(replica, request))
    api = timed("API facts", max(1, args.repeat // 2), lambda: api_facts(settings.wiki("devwiki"), request))

    def by_id(found: tuple[RevisionFact, ...]) -> list[RevisionFact]:
        return sorted(found, key=lambda fact: fact.rev_id)

    assert by_id(facts.revisions) == by_id(api.revisions), "the backends disagree"
    metrics = timed(
        "aggregate", args.repeat,
        lambda: aggregate(participants=program.confirmed, window=program.window, timezone="UTC",
                          now=datetime.now(UTC), revisions=facts.all_revisions, users=facts.users),
    )  # fmt: skip
    print(
        f"  -> {metrics.total.edits} edits, {metrics.total.articles_edited} articles, {metrics.total.bytes_added} bytes"
    )
    timed(
        "program_metrics (replica, with words and references)", 2,
        lambda: program_metrics(program, settings, {"devwiki": replica}, datetime.now(UTC)),
    )  # fmt: skip
    store = Store.open(StateConfig(engine="sqlite", path=Path(tempfile.mkdtemp()) / "bench.sqlite3"))
    timed(
        "program_metrics with the store's revision cache (first run fills it)", 3,
        lambda: program_metrics(program, settings, {"devwiki": replica}, datetime.now(UTC), store=store),
    )  # fmt: skip


if __name__ == "__main__":
    main()
