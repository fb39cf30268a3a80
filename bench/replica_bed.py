"""A replica-shaped MariaDB wiki at scale, to measure the stats SQL against: generated, seeded, rebuilt on demand.

    .venv/bin/python -m bench.replica_bed build [--revisions 10000000] [--seed 1] [--database benchwiki]
    .venv/bin/python -m bench.replica_bed warm   [--database benchwiki]
    .venv/bin/python -m bench.replica_bed status [--database benchwiki]
    .venv/bin/python -m bench.replica_bed repair [--database benchwiki]
    .venv/bin/python -m bench.replica_bed drop   [--database benchwiki]

``build`` creates the database with the dev wiki's own MediaWiki schema (``SHOW CREATE TABLE devwiki.<table>`` for
every base table, so every replica view can be built), fills the tables the replica views and the bot's statements
read with two years of generated history, then builds ``<database>_p`` with ``scripts/replica-views <database>``
and grants the dev wikis' accounts what they have on the dev wikis (viewmaster reads the wiki, pe_replica reads
the views). The history (all from one seeded ``random.Random``, so a build is reproducible):

* revisions at a uniform rate over 2024-01-01 .. 2026-01-01 UTC, rev ids in time order;
* editors drawn from a Zipf law (s = 1) over ``--actors`` ranks (default revisions / 50); 20 % of the ranks below
  the top 50 are IP addresses; registered editors signed up before their first edit (some before 2006, when
  MediaWiki did not record it: NULL), plus non-editing accounts (half as many);
* pages: a tenth of the revisions create one (78 % main namespace, 8 % Talk, 7 % User, 3 % Project, 4 % Draft
  (118), 12 % of main-namespace creations redirects), a fifth edit one of the newest pages, the rest a page drawn
  from a Zipf law (s = 0.8) over the pages by age; each page's revisions chain by rev_parent_id with lengths that
  start log-normal and move by small and large deltas;
* about 3 % of the revisions archived: pages with at most 5 revisions deleted a few days after their last one
  (archive rows, a delete log entry, no page row; a deletion that would fall after the end is spread over the
  remaining days instead: ``repair`` moves them so on a bed built before that); a page-creation log entry per
  page, a sign-up log entry per account with a registration date, upload log entries (revisions / 50, a tenth
  overwrites);
* comments through revision_comment_temp (MediaWiki 1.39's schema; rev_comment_id where that table is gone),
  a Zipf law over revisions / 50 edit summaries; 0.05 % of revisions with their text hidden, 0.02 % their summary;
  0.5 % of accounts blocked, 5 % of those suppressed (hidden user: their revisions get rev_deleted 4 | 8).

Tables the bot's statements do not read (slots, content, text, recentchanges, links, images) are created empty.
Rows are written as TSV files (``--tsv-dir``, under /tmp; removed after a build unless ``--keep-tsv``) and loaded
with ``LOAD DATA LOCAL INFILE`` into tables holding only their primary key, then every secondary index MediaWiki
defines is added in one ``ALTER TABLE`` per table. Each step is recorded in the table ``bench_bed_state`` of the
database, so an interrupted build resumes where it stopped, and a finished one only warms the buffer pool.

Data in memory: ``build`` and ``warm`` raise ``innodb_buffer_pool_size`` (dynamic on MariaDB 10.11; not persistent:
a restart of MariaDB undoes it) and read every index of the filled tables once.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import zlib
from array import array
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from random import Random
from typing import Any, TextIO

import pymysql

from bot.config import PROJECT_ROOT

DEFAULT_DATABASE = "benchwiki"
SCHEMA_SOURCE = "devwiki"
PROTECTED = ("devwiki", "devcommons", "devwikidata")
"""The dev wikis (and their _p views): the bed never writes to them nor takes their names."""
START = datetime(2024, 1, 1, tzinfo=UTC)
DAYS = 731
END = START + timedelta(days=DAYS)
"""The bed's history covers [START, END): 2024 and 2025."""
SPAN = DAYS * 86400
YEAR = 365 * 86400
BUFFER_POOL = 8 * 1024**3
STATE_TABLE = "bench_bed_state"
NAMESPACES = (0, 1, 2, 4, 118)
NAMESPACE_WEIGHTS = (0.78, 0.08, 0.07, 0.03, 0.04)
TITLE_WORDS = ("History_of", "List_of", "Battle_of", "River", "Church_of", "Municipality", "Species", "Album")
ARCHIVED_SHARE = 0.03
"""Target share of revisions on deleted pages."""
REGISTRATION_RECORDED = datetime(2005, 12, 23, tzinfo=UTC)
"""user_registration is NULL for accounts older than MediaWiki 1.6's recording of it."""

# What each TSV file holds: table -> columns, in the order the writer writes them. Columns not named take their
# default. A table absent from the schema source (revision_comment_temp and ipblocks on MediaWiki 1.43) is skipped.
COLUMNS: dict[str, tuple[str, ...]] = {
    "revision": (
        "rev_id", "rev_page", "rev_comment_id", "rev_actor", "rev_timestamp", "rev_minor_edit", "rev_deleted",
        "rev_len", "rev_parent_id", "rev_sha1",
    ),
    "revision_comment_temp": ("revcomment_rev", "revcomment_comment_id"),
    "archive": (
        "ar_id", "ar_namespace", "ar_title", "ar_comment_id", "ar_actor", "ar_timestamp", "ar_minor_edit",
        "ar_rev_id", "ar_deleted", "ar_len", "ar_page_id", "ar_parent_id", "ar_sha1",
    ),
    "page": (
        "page_id", "page_namespace", "page_title", "page_is_redirect", "page_is_new", "page_random", "page_touched",
        "page_links_updated", "page_latest", "page_len", "page_content_model",
    ),
    "actor": ("actor_id", "actor_user", "actor_name"),
    "user": (
        "user_id", "user_name", "user_real_name", "user_password", "user_newpassword", "user_email", "user_touched",
        "user_registration", "user_editcount",
    ),
    "comment": ("comment_id", "comment_hash", "comment_text"),
    "logging": (
        "log_id", "log_type", "log_action", "log_timestamp", "log_actor", "log_namespace", "log_title", "log_page",
        "log_comment_id", "log_params", "log_deleted",
    ),
    "ipblocks": (
        "ipb_id", "ipb_address", "ipb_user", "ipb_by_actor", "ipb_reason_id", "ipb_timestamp", "ipb_expiry",
        "ipb_range_start", "ipb_range_end", "ipb_deleted",
    ),
}  # fmt: skip
FILLED = tuple(COLUMNS)


LogEntry = tuple[int, str, str, int, int, str, int, str]
"""(seconds, log_type, log_action, log_actor, log_namespace, log_title, log_page, log_params)"""


@dataclass(frozen=True)
class BedParams:
    """Everything a bed's content depends on: a build with other parameters needs ``drop`` first."""

    revisions: int
    seed: int
    actors: int
    comments: int
    comment_temp: bool
    """revision_comment_temp exists (MediaWiki 1.39): comments go there and rev_comment_id stays 0."""
    ipblocks: bool


# --- generating the history ------------------------------------------------------------------------------------


class Timestamps:
    """Seconds since START -> MediaWiki timestamps (YYYYMMDDHHMMSS), fast inside the bed's span."""

    def __init__(self) -> None:
        self._days = [(START + timedelta(days=d)).strftime("%Y%m%d") for d in range(DAYS)]

    def __call__(self, seconds: int) -> str:
        if 0 <= seconds < SPAN:
            day, rest = divmod(seconds, 86400)
            return f"{self._days[day]}{rest // 3600:02d}{rest // 60 % 60:02d}{rest % 60:02d}"
        return (START + timedelta(seconds=seconds)).strftime("%Y%m%d%H%M%S")


@dataclass
class History:
    """The simulated revisions (index i is rev id i + 1) and pages (index p is page id p + 1)."""

    ts: array[int]
    actor: array[int]
    """Actor rank, 1 = the most active editor."""
    page: array[int]
    length: array[int]
    parent: array[int]
    """Parent's rev id, 0 for a creation."""
    minor: bytearray
    deleted: bytearray
    comment: array[int]
    page_ns: array[int]
    page_redirect: bytearray
    page_first: array[int]
    page_last: array[int]
    page_count: array[int]
    page_len: array[int]
    actor_first: array[int]
    """Per rank: seconds of the first edit, -1 when none."""
    actor_count: array[int]


def simulate(params: BedParams, rng: Random) -> History:
    """The revision stream in time order: who edits which page, with rev_parent_id chains and lengths."""
    n, ranks = params.revisions, params.actors
    rand, gauss, expo, lognorm = rng.random, rng.gauss, rng.expovariate, rng.lognormvariate
    h = History(
        ts=array("i", bytes(4 * n)), actor=array("I", bytes(4 * n)), page=array("I", bytes(4 * n)),
        length=array("I", bytes(4 * n)), parent=array("I", bytes(4 * n)), minor=bytearray(n), deleted=bytearray(n),
        comment=array("I", bytes(4 * n)), page_ns=array("i"), page_redirect=bytearray(), page_first=array("I"),
        page_last=array("I"), page_count=array("I"), page_len=array("I"), actor_first=array("i", [-1]) * (ranks + 1),
        actor_count=array("I", bytes(4 * (ranks + 1))),
    )  # fmt: skip
    new_share, recent_share, recent = 0.1, 0.2, max(50, n // 5000)
    page_exponent = 0.8  # Zipf over pages by age, by inverting the continuous law's CDF
    inverse = 1 / (1 - page_exponent)
    ns_cumulative = [sum(NAMESPACE_WEIGHTS[: k + 1]) for k in range(len(NAMESPACES))]
    actor_base, comment_base = ranks + 1, params.comments + 1
    pages = 0
    for i in range(n):
        t = int(SPAN * (i + rand()) / n)
        u = rand()
        if pages == 0 or u < new_share:
            p, pages = pages, pages + 1
            v = rand()
            namespace = next(ns for ns, c in zip(NAMESPACES, ns_cumulative, strict=True) if v < c or c >= 0.9999)
            redirect = namespace == 0 and rand() < 0.12
            size = int(20 + rand() * 60) if redirect else int(lognorm(7.3, 1.2))
            h.page_ns.append(namespace)
            h.page_redirect.append(redirect)
            h.page_first.append(i)
            h.page_last.append(i)
            h.page_count.append(1)
            h.page_len.append(min(size, 2_000_000))
            h.length[i] = min(size, 2_000_000)
        else:
            if u < new_share + recent_share:
                p = pages - 1 - int(rand() * min(pages, recent))
            else:
                p = min(pages - 1, int((1 + rand() * ((pages + 1) ** (1 - page_exponent) - 1)) ** inverse) - 1)
            size = h.page_len[p]
            v = rand()
            if v < 0.55:
                size += int(gauss(20, 150))
            elif v < 0.96:  # additions outweigh removals until a page is long (about 150 KB)
                size += int(expo(1 / 300)) if rand() * 300_000 > size + 150_000 * rand() else -int(expo(1 / 250))
            else:
                size += int(size * (rand() - 0.5))
            size = min(max(size, 0), 2_000_000)
            h.parent[i] = h.page_last[p] + 1
            h.page_last[p] = i
            h.page_count[p] += 1
            h.page_len[p] = size
            h.length[i] = size
        rank = int(actor_base ** rand())
        h.ts[i], h.page[i], h.actor[i] = t, p, rank
        if h.actor_first[rank] < 0:
            h.actor_first[rank] = t
        h.actor_count[rank] += 1
        h.minor[i] = rand() < 0.25
        v = rand()
        h.deleted[i] = 1 if v < 0.0005 else 2 if v < 0.0007 else 0
        h.comment[i] = 1 if rand() < 0.25 else int(comment_base ** rand())
    return h


def deleted_pages(h: History, rng: Random, share: float = ARCHIVED_SHARE) -> dict[int, int]:
    """Page index -> deletion time, for about ``share`` of the revisions: pages with few revisions, a few days
    after their last one (so no revision is newer than its page's deletion). A deletion drawn past the end of the
    history falls instead at a time spread over what remains of it (``spread_deletion``), not all on its last
    second (a cliff of 1,755 deletions in the bed's last second that every ledger update near the end would read)."""
    candidates = [p for p in range(len(h.page_count)) if h.page_count[p] <= 5]
    on_candidates = sum(h.page_count[p] for p in candidates)
    chance = min(0.9, share * len(h.ts) / max(1, on_candidates))
    found = {}
    for p in candidates:
        if rng.random() < chance:
            last = h.ts[h.page_last[p]]
            when = last + 60 + int(rng.expovariate(1 / (4 * 86400)))
            found[p] = when if when < SPAN else spread_deletion(p + 1, last)
    return found


def spread_deletion(page_id: int, last: int) -> int:
    """A deletion time (seconds since START) in [last + 60, SPAN) for a page whose drawn one fell past the end,
    from its page id only (so ``repair`` computes the same in SQL: MariaDB's CRC32 of the id's decimal digits)."""
    room = SPAN - last - 60
    return last + 60 + zlib.crc32(str(page_id).encode()) % room if room > 0 else SPAN - 1


@dataclass
class Accounts:
    """Actors (registered or IP) numbered by creation time, and the users among them."""

    actor_of_rank: array[int]
    rows: list[tuple[int, int, int, int]]
    """(created seconds, actor id, user id or 0, rank or 0 for an account that never edited), by actor id."""
    hidden_ranks: set[int]
    blocked: list[tuple[int, int, int]]
    """(user id, actor id of the admin, deleted flag) per block."""
    admins: list[int]
    """Actor ids of the accounts that delete pages and block users."""


def accounts(params: BedParams, h: History, rng: Random) -> Accounts:
    rand = rng.random
    entries: list[tuple[int, int, int]] = []  # (created, kind 0 registered / 1 IP, rank or -k for a non-editor)
    for rank in range(1, params.actors + 1):
        first = h.actor_first[rank]
        registered = rank <= 50 or rand() >= 0.2
        if first < 0:
            if registered:
                entries.append((int(-15 * YEAR + rand() * (15 * YEAR + SPAN)), 0, rank))
            continue
        if registered:
            entries.append((first - int(rand() ** 3 * 20 * YEAR), 0, rank))
        else:
            entries.append((first, 1, rank))
    for k in range(1, params.actors // 2 + 1):
        entries.append((int(-15 * YEAR + rand() * (15 * YEAR + SPAN)), 0, -k))
    entries.sort()
    actor_of_rank = array("I", bytes(4 * (params.actors + 1)))
    rows = []
    user_id = 0
    for actor_id, (created, kind, key) in enumerate(entries, start=1):
        if kind == 0:
            user_id += 1
        rows.append((created, actor_id, user_id if kind == 0 else 0, max(key, 0)))
        if key > 0:
            actor_of_rank[key] = actor_id
    admins = [actor_of_rank[rank] for rank in range(1, min(21, params.actors + 1)) if actor_of_rank[rank]]
    users = [(uid, rank) for _created, _aid, uid, rank in rows if uid and rank > 20]
    blocked, hidden = [], set()
    if params.ipblocks:
        for uid, rank in rng.sample(users, max(1, len(users) // 200)):
            suppressed = rand() < 0.05
            blocked.append((uid, admins[int(rand() * len(admins))], int(suppressed)))
            if suppressed and rank:
                hidden.add(rank)
    return Accounts(actor_of_rank, rows, hidden, blocked, admins)


def sha1(key: int) -> str:
    """A 31-character stand-in for MediaWiki's base-36 SHA-1 (the bot never reads it; it gives rows their width)."""
    return f"{(key * 0x9E3779B97F4A7C15) & ((1 << 124) - 1):031x}"


def user_name(user_id: int) -> str:
    return f"Bench user {user_id}"


def ip_name(rank: int) -> str:
    return f"10.{rank >> 16 & 255}.{rank >> 8 & 255}.{rank & 255}"


def title(page: int) -> str:
    return f"{TITLE_WORDS[page % len(TITLE_WORDS)]}_{page + 1}"


class Writer:
    """One TSV file per table, in LOAD DATA's default format (tab, newline, backslash escapes, \\N for NULL)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.rows: dict[str, int] = {}
        self._files: dict[str, TextIO] = {}

    def write(self, table: str, *values: object) -> None:
        if table not in self._files:
            self._files[table] = (self.directory / f"{table}.tsv").open("w", encoding="utf-8", buffering=1 << 20)
            self.rows[table] = 0
        self._files[table].write("\t".join(r"\N" if v is None else str(v) for v in values) + "\n")
        self.rows[table] += 1

    def close(self) -> None:
        for file in self._files.values():
            file.close()


def generate(params: BedParams, directory: Path) -> dict[str, Any]:
    """Write every table's TSV file; return what was made (counts), as the manifest records it."""
    rng = Random(params.seed)  # noqa: S311 -- reproducible test data, nothing secret
    started = time.monotonic()
    h = simulate(params, rng)
    simulated = time.monotonic() - started
    deleted = deleted_pages(h, rng)
    acc = accounts(params, h, rng)
    stamp = Timestamps()
    directory.mkdir(parents=True, exist_ok=True)
    out = Writer(directory)
    write = out.write

    # Revisions, in rev id order; those of deleted pages go to the archive.
    actor_of_rank, hidden = acc.actor_of_rank, acc.hidden_ranks
    ar_id = 0
    for i in range(len(h.ts)):
        rev_id, p, rank = i + 1, h.page[i], h.actor[i]
        rev_deleted = h.deleted[i] | (12 if rank in hidden else 0)
        comment = h.comment[i]
        stamped = stamp(h.ts[i])
        if p in deleted:
            ar_id += 1
            write(
                "archive", ar_id, h.page_ns[p], title(p), comment, actor_of_rank[rank], stamped, h.minor[i], rev_id,
                rev_deleted, h.length[i], p + 1, h.parent[i], sha1(rev_id),
            )  # fmt: skip
            continue
        write(
            "revision", rev_id, p + 1, 0 if params.comment_temp else comment, actor_of_rank[rank], stamped, h.minor[i],
            rev_deleted, h.length[i], h.parent[i], sha1(rev_id),
        )  # fmt: skip
        if params.comment_temp:
            write("revision_comment_temp", rev_id, comment)

    for p in range(len(h.page_ns)):
        if p in deleted:
            continue
        last = h.page_last[p]
        touched = stamp(h.ts[last])
        write(
            "page", p + 1, h.page_ns[p], title(p), h.page_redirect[p], int(h.page_count[p] == 1),
            f"{rng.random():.12f}", touched, touched, last + 1, h.page_len[p], "wikitext",
        )  # fmt: skip

    recorded_from = int((REGISTRATION_RECORDED - START).total_seconds())
    logs: list[LogEntry] = []
    for created, actor_id, uid, rank in acc.rows:
        name = user_name(uid) if uid else ip_name(rank)
        write("actor", actor_id, uid or None, name)
        if uid:
            registration = stamp(created) if created >= recorded_from else None
            touched = stamp(max(created, h.actor_first[rank]) if rank else created)
            edits = h.actor_count[rank] if rank else 0
            write("user", uid, name, "", "", "", "", touched, registration, edits)
            if registration is not None:
                logs.append((created, "newusers", "create", actor_id, 2, name.replace(" ", "_"), 0,
                             f'a:1:{{s:9:"4::userid";i:{uid};}}'))  # fmt: skip
    for p in range(len(h.page_ns)):
        creation = h.page_first[p]
        logs.append((h.ts[creation], "create", "create", actor_of_rank[h.actor[creation]], h.page_ns[p], title(p),
                     p + 1, "a:0:{}"))  # fmt: skip
    for p, when in deleted.items():
        admin = acc.admins[int(rng.random() * len(acc.admins))]
        logs.append((when, "delete", "delete", admin, h.page_ns[p], title(p), p + 1, 'a:1:{s:5:"count";i:1;}'))
    logs.extend(_uploads(params, acc, rng, stamp))
    logs.sort()
    for log_id, (when, log_type, action, actor_id, ns, log_title, page, log_params) in enumerate(logs, start=1):
        write("logging", log_id, log_type, action, stamp(when), actor_id, ns, log_title, page, 1, log_params, 0)

    for block_id, (uid, admin, suppressed) in enumerate(acc.blocked, start=1):
        write("ipblocks", block_id, user_name(uid), uid, admin, 1, stamp(SPAN - 86400), "infinity", "", "", suppressed)

    for comment_id in range(1, params.comments + 1):
        text = "" if comment_id == 1 else f"Bench edit summary {comment_id}" + " (copyedit)" * (comment_id % 4)
        crc = zlib.crc32(text.encode())  # CommentStore::hash without data: the CRC-32 as a signed int
        write("comment", comment_id, crc - (1 << 32) if crc >= 1 << 31 else crc, text)
    out.close()

    lengths = sorted(h.page_count)
    return {
        "params": asdict(params),
        "rows": out.rows,
        "revisions_archived": out.rows.get("archive", 0),
        "pages_created": len(h.page_ns),
        "pages_deleted": len(deleted),
        "pages_in_main": sum(1 for p, ns in enumerate(h.page_ns) if ns == 0 and p not in deleted),
        "most_edited_page_revisions": lengths[-1],
        "top_editor_revisions": max(h.actor_count),
        "editors": sum(1 for c in h.actor_count if c),
        "users": sum(1 for row in acc.rows if row[2]),
        "hidden_users": len(hidden),
        "simulation_seconds": round(simulated, 1),
        "generation_seconds": round(time.monotonic() - started, 1),
    }


def _uploads(params: BedParams, acc: Accounts, rng: Random, stamp: Timestamps) -> Iterator[LogEntry]:
    """Upload log entries (revisions / 50): registered editors, after their sign-up; a tenth re-upload a file."""
    rand = rng.random
    created_of_actor = {actor_id: created for created, actor_id, uid, _rank in acc.rows if uid}
    events = []
    for _ in range(params.revisions // 50):
        while True:
            actor_id = acc.actor_of_rank[int((params.actors + 1) ** rand())]
            if actor_id in created_of_actor:
                break
        lowest = max(0, created_of_actor[actor_id])
        events.append((lowest + int(rand() * (SPAN - lowest)), actor_id))
    events.sort()
    files = 0
    for when, actor_id in events:
        if files and rand() < 0.1:
            name, action = f"Bench_file_{1 + int(rand() * files)}.jpg", "overwrite"
        else:
            files += 1
            name, action = f"Bench_file_{files}.jpg", "upload"
        params_blob = f'a:2:{{s:8:"img_sha1";s:31:"{sha1(files)}";s:13:"img_timestamp";s:14:"{stamp(when)}";}}'
        yield when, "upload", action, actor_id, 6, name, 0, params_blob


# --- the database ------------------------------------------------------------------------------------------------


def connect(database: str | None = None) -> pymysql.connections.Connection[Any]:
    """Root on the local MariaDB (these machines: root over TCP without a password), LOCAL INFILE allowed."""
    return pymysql.connect(
        host="127.0.0.1", port=3306, user="root", password="", database=database, local_infile=True, autocommit=True
    )


def execute(conn: pymysql.connections.Connection[Any], sql: str, args: object = None) -> list[tuple[Any, ...]]:
    with conn.cursor() as cursor:
        cursor.execute(sql, args)
        return list(cursor.fetchall())


def check_name(database: str) -> None:
    if not re.fullmatch(r"[a-z][a-z0-9_]{0,40}", database) or any(database.startswith(w) for w in PROTECTED):
        sys.exit(f"replica_bed: refusing database name {database!r} (lower case, not named like a dev wiki)")


def ensure_buffer_pool(conn: pymysql.connections.Connection[Any], size: int = BUFFER_POOL) -> int:
    """Raise innodb_buffer_pool_size to ``size`` (never lower it); the resize runs in the background."""
    current = int(execute(conn, "SELECT @@GLOBAL.innodb_buffer_pool_size")[0][0])
    if current < size:
        execute(conn, f"SET GLOBAL innodb_buffer_pool_size = {int(size)}")
        for _ in range(600):
            status = execute(conn, "SHOW STATUS LIKE 'Innodb_buffer_pool_resize_status'")
            if int(execute(conn, "SELECT @@GLOBAL.innodb_buffer_pool_size")[0][0]) >= size and (
                not status or not str(status[0][1]) or "Completed" in str(status[0][1])
            ):
                break
            time.sleep(0.5)
        print(f"innodb_buffer_pool_size {current / 2**30:.1f} GiB -> {size / 2**30:.1f} GiB")
    return max(current, size)


def warm(conn: pymysql.connections.Connection[Any], database: str) -> float:
    """Read every index of every filled table once, so that measurements find the data in the buffer pool."""
    started = time.monotonic()
    for table in FILLED:
        keys = dict.fromkeys(row[2] for row in execute(conn, f"SHOW INDEX FROM `{database}`.`{table}`"))
        for key in keys:
            execute(conn, f"SELECT COUNT(*) FROM `{database}`.`{table}` FORCE INDEX (`{key}`)")
    return time.monotonic() - started


class State:
    """Finished steps of a build, kept in the bed itself (so a drop forgets them)."""

    def __init__(self, conn: pymysql.connections.Connection[Any], database: str) -> None:
        self.conn, self.table = conn, f"`{database}`.`{STATE_TABLE}`"
        execute(
            conn,
            f"CREATE TABLE IF NOT EXISTS {self.table} (step VARBINARY(64) PRIMARY KEY, seconds DOUBLE NOT NULL, "
            "detail MEDIUMBLOB, finished_at DATETIME NOT NULL)",
        )

    def get(self, step: str) -> tuple[float, Any] | None:
        rows = execute(self.conn, f"SELECT seconds, detail FROM {self.table} WHERE step = %s", (step,))
        return (float(rows[0][0]), json.loads(rows[0][1]) if rows[0][1] else None) if rows else None

    def done(self, step: str, seconds: float, detail: object = None) -> None:
        execute(
            self.conn,
            f"REPLACE INTO {self.table} VALUES (%s, %s, %s, UTC_TIMESTAMP())",
            (step, seconds, json.dumps(detail) if detail is not None else None),
        )

    def all(self) -> list[tuple[str, float]]:
        rows = execute(self.conn, f"SELECT step, seconds FROM {self.table}")
        return [(row[0].decode(), float(row[1])) for row in rows]


def spread_deletions(conn: pymysql.connections.Connection[Any], database: str) -> int:
    """Beds generated before ``spread_deletion`` put every deletion drawn past the end of the history on its last
    second: move each to the time the generator now gives it (idempotent; a newer bed has none to move)."""
    last_second = Timestamps()(SPAN - 1)
    start = START.strftime("%Y-%m-%d %H:%M:%S")  # the statement's own % are doubled: pymysql formats it
    seconds = f"TIMESTAMPDIFF(SECOND, '{start}', STR_TO_DATE(a.last, '%%Y%%m%%d%%H%%i%%s'))"
    with conn.cursor() as cursor:
        cursor.execute("SET SESSION time_zone = '+00:00'")
        moved = cursor.execute(
            f"UPDATE `{database}`.logging l JOIN (SELECT ar_page_id, MAX(ar_timestamp) AS last "
            f"FROM `{database}`.archive GROUP BY ar_page_id) a ON a.ar_page_id = l.log_page "
            f"SET l.log_timestamp = IF({SPAN} - {seconds} - 60 > 0, DATE_FORMAT('{start}' + INTERVAL "
            f"({seconds} + 60 + MOD(CRC32(l.log_page), {SPAN} - {seconds} - 60)) SECOND, '%%Y%%m%%d%%H%%i%%s'), "
            "l.log_timestamp) WHERE l.log_type = 'delete' AND l.log_timestamp = %s",
            (last_second,),
        )
    return int(moved)


def source_tables(conn: pymysql.connections.Connection[Any], source: str) -> dict[str, str]:
    """Table -> CREATE TABLE statement, for every base table of the schema source (retried: tests may be
    restoring the dev wikis while we read)."""
    for attempt in range(10):
        try:
            found = execute(conn, f"SHOW FULL TABLES FROM `{source}` WHERE Table_type = 'BASE TABLE'")
            names = [row[0] for row in found]
            return {name: execute(conn, f"SHOW CREATE TABLE `{source}`.`{name}`")[0][1] for name in names}
        except pymysql.MySQLError:
            if attempt == 9:
                raise
            time.sleep(2)
    raise AssertionError("unreachable")


KEY_LINE = re.compile(r"^\s*(UNIQUE KEY|KEY|FULLTEXT KEY|SPATIAL KEY)\s")


def split_keys(create: str) -> tuple[str, list[str]]:
    """(CREATE TABLE with the primary key only, the secondary key clauses) of a SHOW CREATE TABLE statement."""
    lines = create.splitlines()
    head, body, tail = lines[0], lines[1:-1], lines[-1]
    kept = [line.rstrip().rstrip(",") for line in body if not KEY_LINE.match(line)]
    keys = [line.strip().rstrip(",") for line in body if KEY_LINE.match(line)]
    return "\n".join([head, ",\n".join(kept), tail]), keys


def key_name(clause: str) -> str:
    found = re.search(r"KEY `([^`]+)`", clause)
    if not found:
        raise ValueError(f"no key name in {clause!r}")
    return found.group(1)


def in_database(create: str, database: str) -> str:
    """A source CREATE TABLE aimed at the bed, without the source's AUTO_INCREMENT counter."""
    create = re.sub(r"\s+AUTO_INCREMENT=\d+", "", create)
    return re.sub(r"^CREATE TABLE `", f"CREATE TABLE IF NOT EXISTS `{database}`.`", create, count=1)


def load(conn: pymysql.connections.Connection[Any], database: str, table: str, create: str, path: Path) -> int:
    """Recreate ``table`` with its primary key only and load its TSV file; returns the rows loaded."""
    bare, _keys = split_keys(create)
    execute(conn, f"DROP TABLE IF EXISTS `{database}`.`{table}`")
    execute(conn, in_database(bare, database))
    execute(conn, "SET SESSION unique_checks = 0, foreign_key_checks = 0")
    columns = ", ".join(f"`{c}`" for c in COLUMNS[table])
    statement = f"LOAD DATA LOCAL INFILE %s INTO TABLE `{database}`.`{table}` CHARACTER SET binary ({columns})"
    with conn.cursor() as cursor:
        cursor.execute(statement, (str(path),))
        return int(cursor.rowcount)


def add_keys(conn: pymysql.connections.Connection[Any], database: str, table: str, create: str) -> list[str]:
    """Add the secondary keys MediaWiki defines that the table does not have yet, in one ALTER TABLE."""
    _bare, keys = split_keys(create)
    present = {row[2] for row in execute(conn, f"SHOW INDEX FROM `{database}`.`{table}`")}
    missing = [clause for clause in keys if key_name(clause) not in present]
    if missing:
        execute(conn, f"ALTER TABLE `{database}`.`{table}` " + ", ".join(f"ADD {clause}" for clause in missing))
    return [key_name(clause) for clause in missing]


def grants(conn: pymysql.connections.Connection[Any], database: str, revoke: bool = False) -> None:
    """What scripts/devwiki grants for a dev wiki: viewmaster reads the wiki, pe_replica the views."""
    accounts = {row[0].decode() if isinstance(row[0], bytes) else row[0]: row[1] for row in
                execute(conn, "SELECT CONCAT(User, '@', Host), 1 FROM mysql.user")}  # fmt: skip
    wanted = [("SELECT", database, "viewmaster", "localhost")]
    wanted += [("SELECT, SHOW VIEW", f"{database}_p", "pe_replica", host) for host in ("localhost", "127.0.0.1")]
    for privileges, db, user, host in wanted:
        if f"{user}@{host}" not in accounts:
            continue
        if revoke:
            with contextlib.suppress(pymysql.MySQLError):  # nothing was granted
                execute(conn, f"REVOKE {privileges} ON `{db}`.* FROM '{user}'@'{host}'")
        else:
            execute(conn, f"GRANT {privileges} ON `{db}`.* TO '{user}'@'{host}'")


BENCH_ACCOUNT = "pe_bench_replica"
"""The benches' own tool account on the bed's views: the dev accounts belong to scripts/devwiki, which recreates them
(new passwords, grants dropped) whenever the dev wikis are reset -- as a test run beside a benchmark does."""
BENCH_CREDENTIALS = Path(tempfile.gettempdir()) / "pebot-bench-bed" / "replica.my.cnf"


def bench_account(
    conn: pymysql.connections.Connection[Any],
    database: str,
    drop: bool = False,
    *,
    account: str = BENCH_ACCOUNT,
    max_connections: int = 0,
) -> Path:
    """Create (or reset) ``account`` with what pe_replica has on a dev wiki's views, on ``<database>_p`` only,
    its password in a client option file (mode 600: BENCH_CREDENTIALS for BENCH_ACCOUNT, ``<account>.my.cnf``
    beside it for another), at most ``max_connections`` at once (0: no limit; Toolforge gives a tool 10 per replica
    host, so a bench can make an excess fail); ``drop`` removes both."""
    credentials = BENCH_CREDENTIALS if account == BENCH_ACCOUNT else BENCH_CREDENTIALS.with_name(f"{account}.my.cnf")
    if drop:
        execute(conn, f"DROP USER IF EXISTS '{account}'@'127.0.0.1'")
        credentials.unlink(missing_ok=True)
        return credentials
    credentials.parent.mkdir(parents=True, exist_ok=True)
    if not credentials.exists():
        credentials.touch(mode=0o600)
        credentials.write_text(f"[client]\nuser={account}\npassword={secrets.token_hex(16)}\n")
    password = credentials.read_text().split("password=")[1].split()[0]
    execute(conn, f"CREATE USER IF NOT EXISTS '{account}'@'127.0.0.1' IDENTIFIED BY %s", (password,))
    execute(
        conn,
        f"ALTER USER '{account}'@'127.0.0.1' IDENTIFIED BY %s WITH MAX_USER_CONNECTIONS {int(max_connections)}",
        (password,),
    )
    execute(conn, f"GRANT SELECT, SHOW VIEW ON `{database}_p`.* TO '{account}'@'127.0.0.1'")
    return credentials


def sizes(conn: pymysql.connections.Connection[Any], database: str) -> dict[str, tuple[int, int, int]]:
    """Table -> (estimated rows, data bytes, index bytes) from information_schema."""
    rows = execute(
        conn,
        "SELECT TABLE_NAME, TABLE_ROWS, DATA_LENGTH, INDEX_LENGTH FROM information_schema.TABLES "
        "WHERE TABLE_SCHEMA = %s AND TABLE_TYPE = 'BASE TABLE'",
        (database,),
    )
    return {str(name): (int(n or 0), int(data or 0), int(index or 0)) for name, n, data, index in rows}


def params_for(args: argparse.Namespace, tables: dict[str, str]) -> BedParams:
    return BedParams(
        revisions=args.revisions,
        seed=args.seed,
        actors=args.actors or max(100, args.revisions // 50),
        comments=max(100, args.revisions // 50),
        comment_temp="revision_comment_temp" in tables,
        ipblocks="ipblocks" in tables,
    )


def build(args: argparse.Namespace) -> None:
    started = time.monotonic()
    database: str = args.database
    check_name(database)
    conn = connect()
    ensure_buffer_pool(conn, args.buffer_pool)
    tables = source_tables(conn, args.schema_from)
    params = params_for(args, tables)
    execute(conn, f"CREATE DATABASE IF NOT EXISTS `{database}` DEFAULT CHARACTER SET binary")
    state = State(conn, database)
    recorded = state.get("params")
    if recorded and recorded[1] != asdict(params):
        sys.exit(f"replica_bed: {database} was built with {recorded[1]}; run `drop` first to build {asdict(params)}")
    if not recorded:
        state.done("params", 0.0, asdict(params))
    filled = [t for t in FILLED if t in tables]

    def step(name: str, action: Callable[[], object]) -> None:
        if state.get(name):
            return
        t0 = time.monotonic()
        detail = action()
        seconds = time.monotonic() - t0
        state.done(name, seconds, detail)
        print(f"{name}: {seconds:.1f} s" + (f" ({detail})" if detail not in (None, [], {}) else ""), flush=True)

    def create_empty() -> int:
        for table, create in tables.items():
            if table not in filled:
                execute(conn, in_database(create, database))
        return len(tables) - len(filled)

    step("schema", create_empty)
    directory = Path(args.tsv_dir) / f"{database}-{params.revisions}-{params.seed}"
    manifest = directory / "manifest.json"
    pending = [t for t in filled if not state.get(f"load:{t}")]
    if pending and not state.get("generate"):
        if manifest.exists() and json.loads(manifest.read_text())["params"] == asdict(params):
            made = json.loads(manifest.read_text())
        else:
            shutil.rmtree(directory, ignore_errors=True)
            print(f"generating {params.revisions} revisions into {directory} ...", flush=True)
            made = generate(params, directory)
            manifest.write_text(json.dumps(made, indent=1))
        state.done("generate", made["generation_seconds"], made)
        print(f"generate: {made['generation_seconds']} s ({made['rows']})", flush=True)
    for table in pending:
        if not (directory / f"{table}.tsv").exists():
            sys.exit(f"replica_bed: {directory / f'{table}.tsv'} is missing; run `drop` and build again")
        step(f"load:{table}", lambda t=table: load(conn, database, t, tables[t], directory / f"{t}.tsv"))  # type: ignore[misc]
    for table in filled:
        step(f"keys:{table}", lambda t=table: add_keys(conn, database, t, tables[t]))  # type: ignore[misc]

    def analyze() -> None:
        for table in filled:
            execute(conn, f"ANALYZE TABLE `{database}`.`{table}`")

    step("repair:deletions", lambda: spread_deletions(conn, database))
    step("analyze", analyze)

    def views() -> str:
        grants(conn, database)
        done = subprocess.run(
            [str(PROJECT_ROOT / "scripts" / "replica-views"), database], capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            raise RuntimeError(f"scripts/replica-views {database} failed:\n{done.stdout}{done.stderr}")
        return done.stdout.strip().splitlines()[0]

    step("views", views)
    if not args.keep_tsv and directory.exists():
        shutil.rmtree(directory)
    warmed = warm(conn, database)
    print(f"warm: {warmed:.1f} s")
    report(conn, database, state)
    print(f"build: {time.monotonic() - started:.1f} s in this run")


def report(conn: pymysql.connections.Connection[Any], database: str, state: State) -> None:
    steps = state.all()
    generated = state.get("generate")
    if generated:
        made = generated[1]
        print(
            f"{database}: {made['params']['revisions']} revisions generated ({made['revisions_archived']} archived), "
            f"{made['pages_created']} pages created ({made['pages_deleted']} deleted, {made['pages_in_main']} live in "
            f"the main namespace), {made['editors']} editors, {made['users']} accounts ({made['hidden_users']} "
            f"hidden), top editor {made['top_editor_revisions']} revisions, most edited page "
            f"{made['most_edited_page_revisions']}"
        )
    total_data = total_index = 0
    for table, (rows, data, index) in sorted(sizes(conn, database).items()):
        total_data, total_index = total_data + data, total_index + index
        if rows:
            print(f"  {table:24} ~{rows:>10} rows  data {data / 2**20:8.1f} MiB  indexes {index / 2**20:8.1f} MiB")
    print(f"  total: data {total_data / 2**30:.2f} GiB, indexes {total_index / 2**30:.2f} GiB")
    build_seconds = sum(seconds for name, seconds in steps)
    print(f"build steps: {', '.join(f'{name} {seconds:.0f} s' for name, seconds in sorted(steps) if seconds)}")
    print(f"build total (all runs, without warming): {build_seconds:.0f} s")


def drop(args: argparse.Namespace) -> None:
    check_name(args.database)
    conn = connect()
    execute(conn, f"DROP DATABASE IF EXISTS `{args.database}_p`")
    execute(conn, f"DROP DATABASE IF EXISTS `{args.database}`")
    grants(conn, args.database, revoke=True)
    bench_account(conn, args.database, drop=True)
    for directory in Path(args.tsv_dir).glob(f"{args.database}-*"):
        shutil.rmtree(directory, ignore_errors=True)
    print(f"dropped {args.database} and {args.database}_p")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=("build", "warm", "status", "repair", "drop"))
    parser.add_argument("--database", default=DEFAULT_DATABASE)
    parser.add_argument("--revisions", type=int, default=10_000_000)
    parser.add_argument("--actors", type=int, default=0, help="editor ranks (default: revisions / 50)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--schema-from", default=SCHEMA_SOURCE, help="database whose MediaWiki schema is copied")
    parser.add_argument("--tsv-dir", default=str(Path(tempfile.gettempdir()) / "pebot-bench-bed"))
    parser.add_argument("--keep-tsv", action="store_true")
    parser.add_argument("--buffer-pool", type=int, default=BUFFER_POOL, help="bytes (default 8 GiB)")
    args = parser.parse_args(argv)
    if args.command == "build":
        build(args)
    elif args.command == "drop":
        drop(args)
    else:
        check_name(args.database)
        conn = connect()
        if not execute(conn, "SHOW DATABASES LIKE %s", (args.database,)):
            sys.exit(f"replica_bed: no database {args.database}; build it first")
        state = State(conn, args.database)
        if args.command == "repair" and not state.get("repair:deletions"):
            t0 = time.monotonic()
            moved = spread_deletions(conn, args.database)
            state.done("repair:deletions", time.monotonic() - t0, moved)
            print(f"repair: {moved} deletions moved off the history's last second")
        if args.command == "warm":
            ensure_buffer_pool(conn, args.buffer_pool)
            print(f"warm: {warm(conn, args.database):.1f} s")
        report(conn, args.database, state)


if __name__ == "__main__":
    main()
