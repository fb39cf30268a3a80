"""The first words/references pass over N revisions: the API requests it needs, counted on the replica-shaped bed.

    .venv/bin/python -m bench.content_requests [--revisions 100000] [--size 1000] [--days 365]

Words and references come from revision texts, which only the wiki's API gives (bot/wiki.py ``revision_texts``:
``batch_size`` revision ids per request: 50, or 500 for an account with apihighlimits such as a bot); the store keeps
each revision's counts, so only a program's first pass reads them all. The bed has no texts, so the pass cannot be timed
on it, but what it asks is exactly countable: ``bot.content_metrics.content_metrics`` runs over the first N live
revisions (in time order) of a ledger_bench case (participants chosen as there) with a fetcher that counts what
``revision_texts`` would send -- the ids it is given (each revision and its parent, never an id twice), less creations'
parent 0, one request per 50 ids and per 500 (both reported) -- and answers no text (every revision then ends
unreadable, which does not change what is asked). The time on a real history is measured on the dev wikis by
bench/stats_engine.py (bench/README.md).
"""

from __future__ import annotations

import argparse
import math
import time
from collections.abc import Iterable, Sequence

from bench.ledger_bench import Editors, bed_settings, open_replica, window_of
from bench.replica_bed import DEFAULT_DATABASE, connect
from bot.content_metrics import content_metrics
from bot.facts_replica import FactRequest, wiki_facts
from bot.metrics import RevisionFact


def first_revisions(database: str, size: int, days: int, seed: int, count: int) -> list[RevisionFact]:
    """The first ``count`` live revisions (time order) of the ledger_bench case of ``size`` people over ``days``: a
    program's first pass in bench.content_requests and bench.content_pass alike."""
    settings = bed_settings(database)
    replica, _views = open_replica(settings, database)
    chosen, _active = Editors(connect(), database, seed).choose(size, days)
    request = FactRequest(tuple(name for _id, name in chosen), window_of(days), (0,), settings.bot_username)
    facts = wiki_facts(replica, request)
    live = sorted(facts.revisions, key=lambda fact: (fact.timestamp, fact.rev_id))[:count]
    if len(live) < count:
        raise SystemExit(f"only {len(live)} live revisions in the case; take a bigger one")
    return live


BATCHES = (50, 500)
"""MediaWiki's limits on revision ids per request with content: an account without apihighlimits, and a bot."""


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default=DEFAULT_DATABASE)
    parser.add_argument("--revisions", type=int, default=100_000)
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    live = first_revisions(args.database, args.size, args.days, args.seed, args.revisions)
    calls = ids_asked = 0
    requests = dict.fromkeys(BATCHES, 0)

    def fetch(rev_ids: Iterable[int]) -> dict[int, str | None]:
        nonlocal calls, ids_asked
        ids = sorted({rev_id for rev_id in rev_ids if rev_id > 0})
        calls += 1
        for batch in BATCHES:
            requests[batch] += math.ceil(len(ids) / batch)
        ids_asked += len(ids)
        return dict.fromkeys(ids)

    started = time.perf_counter()
    content_metrics(live, fetch)
    seconds = time.perf_counter() - started
    pages = len({fact.page_id for fact in live})
    creations = sum(1 for fact in live if not fact.parent_id)
    print(
        f"{len(live)} revisions ({pages} pages, {creations} creations) of {args.size} participants over "
        f"{args.days} days: {ids_asked} revision texts asked in "
        + " or ".join(f"{count} API requests of up to {batch}" for batch, count in requests.items())
        + f" ({calls} fetches); the pass without texts took {seconds:.1f} s"
    )


if __name__ == "__main__":
    main()
