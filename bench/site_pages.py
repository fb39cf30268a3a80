"""How fast the web site answers for a big program: 1,000 participants and 20,000 counted revisions (issue 17's
target: a program page under 300 ms at p95), each page requested in turn through the Flask test client over a
SQLite store that the bot's own aggregate and store filled.

    .venv/bin/python -m bench.site_pages [--participants 1000] [--revisions 20000] [--repeat 40]

It touches neither the dev wikis nor MariaDB (a scratch SQLite file), so it may run beside anything.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.aggregate import LedgerRef, aggregate
from bot.config import StateConfig, load_settings
from bot.metrics import RevisionFact, UploadFact
from bot.program import Message, Participant, Program, SignupStatus
from bot.program_page import PageContext, parse_definition, program_params
from bot.store import LedgerState, Store
from webservice import app as webapp

WHEN = datetime(2026, 3, 31, 12, 0, tzinfo=UTC)
PAGES = ("", "/participants", "/participants?sort=edits&order=desc&page=5", "/articles", "/uploads",
         "/uploads?view=list", "/activity", "/activity?shown=500", "/alerts", "/charts", "/embed")  # fmt: skip


def big_program(store: Store, people: int, count: int) -> Program:
    settings = load_settings()
    context = PageContext(wiki=settings.wiki("devwiki"), wikis=settings.wikis, user_prefixes=frozenset({"user"}))
    text = "{{Program|name=Big|start=2026-01-01|end=2026-03-31|wikis=devwiki, devcommons}}"
    definition, _ = parse_definition(program_params(text, context.templates)[0], context, "Project:Big")
    assert definition is not None
    names = [f"User {n:04}" for n in range(people)]
    participants = tuple(Participant(n, SignupStatus.CONFIRMED, n, 1, WHEN) for n in names)
    program = Program("devwiki", 1, "Project:Big", definition, participants)
    facts = [
        RevisionFact("devwiki", rev, names[rev % people], 10_000 + rev % 3_000, 0, f"Article_{rev % 3_000}",
                     WHEN - timedelta(minutes=6 * rev), 1_000 + rev % 700, 1_000, 0 if rev < 3_000 else rev - 1)
        for rev in range(1, count + 1)
    ]  # fmt: skip
    uploads = [UploadFact("devcommons", names[n % people], f"File_{n}.jpg", WHEN - timedelta(hours=n), n % 4)
               for n in range(500)]  # fmt: skip
    store.record_ledger(program.key, "devwiki", LedgerState("", WHEN, WHEN), upsert=facts, replace_all=True)
    metrics = aggregate(participants=program.confirmed, window=program.window, timezone="UTC", now=WHEN,
                        revisions=facts, uploads=uploads, ledger=LedgerRef(store, program.key))  # fmt: skip
    store.record_program(program)
    store.record_snapshot(program, metrics, WHEN, backend="replica")
    store.record_status(key=program.key, wiki="devwiki", title=program.title, checked_at=WHEN, ok=True, messages=(),
                        edit_outcome=Message("outcome-saved", ("1",)))  # fmt: skip
    return program


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--participants", type=int, default=1000)
    parser.add_argument("--revisions", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        settings = replace(load_settings(), state=StateConfig(engine="sqlite", path=Path(scratch) / "s.sqlite3"),
                           web_secret_file=Path(scratch) / "secret")  # fmt: skip
        store = Store.open(settings.state)
        started = time.perf_counter()
        program = big_program(store, args.participants, args.revisions)
        print(f"filled the store in {time.perf_counter() - started:.1f} s")
        webapp.settings = settings
        client = webapp.app.test_client()
        print(f"| page (program {program.key}) | p50 ms | p95 ms |\n|---|---|---|")
        for suffix in PAGES:
            url = f"/program/{program.key}{suffix}"
            assert client.get(url).status_code == 200, url  # warm-up, and a check
            times = []
            for _ in range(args.repeat):
                begin = time.perf_counter()
                client.get(url)
                times.append((time.perf_counter() - begin) * 1000)
            times.sort()
            p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
            print(f"| `{suffix or '(overview)'}` | {statistics.median(times):.0f} | {p95:.0f} |")
        store.close()


if __name__ == "__main__":
    main()
