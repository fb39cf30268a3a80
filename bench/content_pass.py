"""The first words/references pass over N revisions, timed against the real API of the dev wiki.

    flock /tmp/pebot-farm-tests.lock .venv/bin/python -m bench.content_pass [--revisions 10000] [--size 1000]
                                                                            [--days 365]

bench.content_requests counts the requests of a first pass on the replica-shaped bed, which has no texts; this
gives those same revisions texts and serves them from a real MediaWiki. It resets the dev wikis (hold the farm
lock, never beside tests), then writes into devwiki's own tables, as MediaWiki stores them (page, revision,
slots, content, text, and revision_comment_temp where the schema still has it: MediaWiki 1.39), the first N live
revisions of the ledger_bench case and their parents: the bed's ids, pages, times and sizes, with texts of the
bed's lengths cut from one generated wikitext (words, ``<ref>`` footnotes, links, sections), each page from its
own offset, so that a revision and its parent share their beginning as an edit's would. Writing rows rather than
importing them (importDump.php: about 15 s per 1,000 revisions, bench/README.md) is what makes 100,000 revisions and
their 15 KB average texts (2.8 GB at 100,000) possible here; nothing but the stored revisions is needed to serve
texts. Then it times ``content_metrics`` with bot/wiki.py's ``revision_texts`` as the program's update runs it
(logged in as the bot: 500 ids per request), reports the requests, the bytes of text and the time split between
the API and the parsing, and resets the wikis again.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pymysql

from bench.content_requests import first_revisions
from bench.replica_bed import DEFAULT_DATABASE, connect
from bot import wiki as wiki_access
from bot.config import PROJECT_ROOT, load_settings
from bot.content_metrics import content_metrics, text_rules
from bot.facts_replica import mw_timestamp
from bot.metrics import RevisionFact

CORPUS_BYTES = 2_200_000
"""Longer than the bed's longest revision (1,999,868 bytes), so that any text is one slice of it."""
TITLE = "Bench_text_{}"
AUTHOR = "Bob"
SHIFT = 100_000_000
"""Added to the bed's revision and page ids: above the dev wiki's own (its main page is page and revision 1)."""


def corpus() -> str:
    """Wikitext with the shapes the counters look at: sentences of words, a footnote every few sentences, links,
    section headings; ASCII, so that a length in bytes is one in characters."""
    words = [
        "river",
        "valley",
        "source",
        "city",
        "bridge",
        "century",
        "stone",
        "church",
        "region",
        "language",
        "station",
        "museum",
    ]
    parts: list[str] = []
    size = n = 0
    while size < CORPUS_BYTES:
        sentence = " ".join(words[(n * 7 + i * 3) % len(words)] for i in range(8 + n % 9)).capitalize()
        part = f"{sentence} [[{words[n % len(words)].title()} {n % 97}]]."
        if n % 4 == 0:
            part += f"<ref>Survey of {words[n % len(words)]}s, {1900 + n % 120}, p. {n % 300}.</ref>"
        if n % 25 == 0:
            part += f"\n\n== {words[(n // 25) % len(words)].title()} {n // 25} ==\n"
        parts.append(part + " ")
        size += len(parts[-1])
        n += 1
    return "".join(parts)


def base36_sha1(text: bytes) -> str:
    """MediaWiki's rev_sha1/content_sha1: the SHA-1 in base 36, 31 digits."""
    number = int(hashlib.sha1(text).hexdigest(), 16)  # noqa: S324 -- MediaWiki's own checksum, not security
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while number:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
    return out.rjust(31, "0")


def stored_revisions(live: Sequence[RevisionFact]) -> dict[int, tuple[int, int, bytes, int]]:
    """rev id -> (page id, length, timestamp, parent id) of every revision the pass asks for: the live ones and
    their parents (a parent outside the set is given its child's page, the child's parent size and a time an hour
    before)."""
    rows: dict[int, tuple[int, int, bytes, int]] = {}
    for fact in live:
        if fact.parent_id and fact.parent_id not in rows:
            before = mw_timestamp(fact.timestamp - timedelta(hours=1))
            rows[fact.parent_id] = (fact.page_id, fact.parent_size, before, 0)
    for fact in live:
        rows[fact.rev_id] = (fact.page_id, fact.size, mw_timestamp(fact.timestamp), fact.parent_id)
    return rows


def write_history(conn: pymysql.connections.Connection[Any], live: Sequence[RevisionFact]) -> int:
    """Write the revisions into devwiki's tables; returns the bytes of text written."""
    text = corpus()
    revisions = stored_revisions(live)
    with conn.cursor() as cursor:
        cursor.execute("SELECT actor_id FROM actor WHERE actor_name = %s", (AUTHOR,))
        (actor,) = cursor.fetchone()
        cursor.execute("SELECT comment_id FROM comment ORDER BY comment_id LIMIT 1")
        (comment,) = cursor.fetchone()
        cursor.execute("SHOW TABLES LIKE 'revision_comment_temp'")
        comment_temp = cursor.fetchone() is not None
    written = 0
    latest: dict[int, tuple[bytes, int, int]] = {}
    ordered = sorted(revisions.items())
    for start in range(0, len(ordered), 2000):
        chunk = ordered[start : start + 2000]
        texts, contents, slots, revs, temps = [], [], [], [], []
        for rev_id, (page_id, length, timestamp, parent_id) in chunk:
            offset = (page_id * 7919) % (CORPUS_BYTES // 2)
            body = text[offset : offset + min(length, CORPUS_BYTES - offset)].encode()
            sha1 = base36_sha1(body)
            written += len(body)
            texts.append((rev_id, body, "utf-8"))
            contents.append((rev_id, len(body), sha1, 1, f"tt:{rev_id}"))
            slots.append((rev_id, 1, rev_id, rev_id))
            revs.append((rev_id, page_id, 0 if comment_temp else comment, actor, timestamp, len(body), parent_id, sha1))
            temps.append((rev_id, comment))
            if page_id not in latest or timestamp >= latest[page_id][0]:
                latest[page_id] = (timestamp, rev_id, len(body))
        with conn.cursor() as cursor:
            cursor.executemany("INSERT INTO text (old_id, old_text, old_flags) VALUES (%s, %s, %s)", texts)
            cursor.executemany(
                "INSERT INTO content (content_id, content_size, content_sha1, content_model, content_address)"
                " VALUES (%s, %s, %s, %s, %s)",
                contents,
            )
            cursor.executemany(
                "INSERT INTO slots (slot_revision_id, slot_role_id, slot_content_id, slot_origin)"
                " VALUES (%s, %s, %s, %s)",
                slots,
            )
            cursor.executemany(
                "INSERT INTO revision (rev_id, rev_page, rev_comment_id, rev_actor, rev_timestamp, rev_minor_edit,"
                " rev_deleted, rev_len, rev_parent_id, rev_sha1) VALUES (%s, %s, %s, %s, %s, 0, 0, %s, %s, %s)",
                revs,
            )
            if comment_temp:
                cursor.executemany(
                    "INSERT INTO revision_comment_temp (revcomment_rev, revcomment_comment_id) VALUES (%s, %s)", temps
                )
    pages = [
        (page_id, TITLE.format(page_id), timestamp, rev_id, length, (page_id % 1000) / 1000)
        for page_id, (timestamp, rev_id, length) in sorted(latest.items())
    ]
    with conn.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO page (page_id, page_namespace, page_title, page_is_redirect, page_is_new, page_random,"
            " page_touched, page_links_updated, page_latest, page_len, page_content_model)"
            " VALUES (%s, 0, %s, 0, 0, %s, %s, NULL, %s, %s, 'wikitext')",
            [(p, title, rnd, touched, latest_id, length) for p, title, touched, latest_id, length, rnd in pages],
        )
    return written


def devwiki(command: str) -> None:
    subprocess.run([str(PROJECT_ROOT / "scripts" / "devwiki"), command], check=True, capture_output=True)


@contextmanager
def counted_queries(counts: dict[str, float]) -> Iterator[None]:
    """Count the API answers (continuations included) and time what revision_texts spends in them."""
    real_query = wiki_access.api_query

    def query(wiki_site: Any, **params: object) -> Iterator[dict[str, object]]:
        started = time.perf_counter()
        for answer in real_query(wiki_site, **params):
            counts["requests"] += 1
            counts["api seconds"] += time.perf_counter() - started
            yield answer
            started = time.perf_counter()

    wiki_access.api_query = query
    try:
        yield
    finally:
        wiki_access.api_query = real_query


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default=DEFAULT_DATABASE)
    parser.add_argument("--revisions", type=int, default=10_000)
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    live = first_revisions(args.database, args.size, args.days, args.seed, args.revisions)
    facts = [
        RevisionFact(
            "devwiki", SHIFT + f.rev_id, AUTHOR, SHIFT + f.page_id, 0, TITLE.format(f.page_id), f.timestamp, f.size,
            f.parent_size, SHIFT + f.parent_id if f.parent_id else 0,
        )
        for f in live
    ]  # fmt: skip
    devwiki("reset")
    wiki_access.forget_logins()
    try:
        started = time.perf_counter()
        written = write_history(connect("devwiki"), facts)
        print(f"wrote {len(stored_revisions(facts))} revisions ({written / 1e6:.0f} MB of text) in "
              f"{time.perf_counter() - started:.1f} s")  # fmt: skip
        wiki = load_settings().wiki("devwiki")
        rules = text_rules(wiki, wiki_access.namespace_names(wiki, (6, 10, 14)))
        size = wiki_access.batch_size(wiki_access.site(wiki))
        counts = {"requests": 0.0, "api seconds": 0.0}
        with counted_queries(counts):
            started = time.perf_counter()
            metrics = content_metrics(facts, lambda ids: wiki_access.revision_texts(wiki, ids), rules)
            seconds = time.perf_counter() - started
        readable = len(metrics.by_revision)
        print(
            f"{len(facts)} revisions: {int(counts['requests'])} API requests (batches of {size}), "
            f"{seconds:.1f} s in all: {counts['api seconds']:.1f} s waiting for the API, "
            f"{seconds - counts['api seconds']:.1f} s counting; {readable} revisions counted "
            f"({len(metrics.unreadable)} unreadable); words added {metrics.total.words_added}, references added "
            f"{metrics.total.references_added}"
        )
    finally:
        devwiki("reset")
        wiki_access.forget_logins()


if __name__ == "__main__":
    main()
