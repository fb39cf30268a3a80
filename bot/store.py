"""The tool's state database: program definitions, statuses and snapshots. The web site reads only this.

SQLite by default (a file, nothing to run); MariaDB when configured, which on Toolforge is ToolsDB. The schema and
every statement are SQL files in ``sql/store/``, written once in the subset both engines share; statements use
``:name`` parameters, translated for pymysql here.
"""

from __future__ import annotations

import configparser
import hashlib
import json
import os
import re
import sqlite3
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, fields
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

import pymysql
import toolforge

from bot.clock import iso
from bot.config import PROJECT_ROOT, StateConfig
from bot.goals import GoalProgress
from bot.metrics import (
    Counts,
    DayFigures,
    ProgramMetrics,
    Retention,
    RevisionFact,
    UsingPage,
    WikidataCounts,
)
from bot.param_values import normalize_title
from bot.program import Campaign, Message, Participant, Program, ProgramType, Scope, SignupStatus
from bot.tiers import Schedule
from bot.trust import TrustState

STORE_SQL = PROJECT_ROOT / "sql" / "store"
MIGRATIONS = STORE_SQL / "migrations"


@cache
def _statement(name: str, paramstyle: str) -> str:
    """sql/store/<name>.sql, or <name>.sqlite.sql on SQLite where the engines must differ (row locks)."""
    variant = STORE_SQL / f"{name}.sqlite.sql"
    path = variant if paramstyle == "named" and variant.exists() else STORE_SQL / f"{name}.sql"
    lines = path.read_text(encoding="utf-8").splitlines()
    return _dialect("\n".join(line for line in lines if not line.lstrip().startswith("--")).strip(), paramstyle)


def _dialect(text: str, paramstyle: str) -> str:
    """SQL written with ``:name`` parameters (the files, and the fixed fragments the code fills in) for the driver."""
    if paramstyle == "pyformat":
        return re.sub(r":(\w+)", r"%(\1)s", text.replace("%", "%%"))
    return text


_EMPTY = "SELECT NULL FROM (SELECT 1 AS one) AS no_rows WHERE 1 = 0"


def _expand_lists(text: str, params: dict[str, Any], paramstyle: str) -> tuple[str, dict[str, Any]]:
    """``IN :name`` with a tuple or list: one placeholder per element (neither driver binds a sequence to one
    placeholder in both engines); an empty sequence becomes an empty subquery, so that ``IN`` holds for nothing and
    ``NOT IN`` for everything (a literal ``(NULL)`` would make ``NOT IN`` unknown, hence false, for every row)."""
    for key, value in list(params.items()):
        if not isinstance(value, (tuple, list)):
            continue
        del params[key]
        names = [f"{key}__{index}" for index in range(len(value))]
        params.update(zip(names, value, strict=True))
        if paramstyle == "pyformat":
            listed = ", ".join(f"%({n})s" for n in names) or _EMPTY
            text = text.replace(f"%({key})s", f"({listed})")
        else:
            listed = ", ".join(f":{n}" for n in names) or _EMPTY
            text = re.sub(rf":{key}\b", f"({listed})", text)
    return text, params


def _batches(values: Sequence[int], size: int = 500) -> Iterator[tuple[int, ...]]:
    """IN lists of a bounded length (SQLite allows at most 32,766 parameters in one statement)."""
    for start in range(0, len(values), size):
        yield tuple(values[start : start + size])


def _migration_statements(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    text = "\n".join(line for line in lines if not line.lstrip().startswith("--"))
    return [statement.strip() for statement in text.split(";") if statement.strip()]


@dataclass(frozen=True)
class ProgramSummary:
    """What the web site lists for a program: its latest status and numbers."""

    key: str
    wiki: str
    title: str
    name: str
    start: date | None
    end: date | None
    tracked_wikis: tuple[str, ...]
    campaigns: tuple[str, ...]
    private: bool
    checked_at: str
    ok: bool
    messages: tuple[Message, ...]
    edit_outcome: Message | None
    next_update: str | None
    """When the job counts it again (its tier's pace); None when frozen, or not known (an older row, a failure)."""
    frozen: bool
    updated_at: str | None
    participants: int | None
    edits: int | None
    articles_edited: int | None


@dataclass(frozen=True)
class SnapshotRow:
    taken_at: str
    backend: str
    participants: int
    new_editors: int
    retention: tuple[Retention, ...]
    words_added: int | None
    references_added: int | None
    references_removed: int | None
    page_views: int | None
    wikidata: WikidataCounts | None
    alerts: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class CampaignSummary:
    key: str
    wiki: str
    title: str
    name: str
    description: str
    start: date | None
    end: date | None
    organizers: tuple[str, ...]
    checked_at: str
    messages: tuple[Message, ...]
    closed: bool = False
    accepted: tuple[str, ...] = ()
    default_type: ProgramType = ProgramType.BASIC

    def includes(self, program: ProgramSummary) -> bool:
        """A program belongs to the campaign when it names it, and, once the campaign is closed, when the campaign's
        organizers accepted it: naming a closed campaign is not enough to be counted in it."""
        if self.name not in program.campaigns:
            return False
        return not self.closed or normalize_title(program.title) in {normalize_title(t) for t in self.accepted}


QUEUE_REFRESH, QUEUE_CHANGED, QUEUE_SCHEDULED = 0, 1, 2
"""update_queue.priority: a refresh asked for, a page that changed, the tier's schedule (lower goes first)."""


@dataclass(frozen=True)
class QueueEntry:
    key: str
    wiki: str
    page_id: int
    due_at: datetime
    priority: int
    again: bool
    lease_owner: str | None
    lease_until: datetime
    refresh_at: datetime | None


class RefreshOutcome(StrEnum):
    QUEUED = "queued"
    COALESCED = "coalesced"
    """A run that has not started yet is already due: the request joins it."""
    TOO_SOON = "too-soon"
    CLIENT_LIMIT = "client-limit"
    NOT_QUEUED = "not-queued"
    """Frozen (or not known yet): an edit of its page brings it back."""


LEDGER_DIMENSIONS: dict[str, tuple[str, str, str]] = {
    # name: (grouping columns, columns the derived table adds, filter)
    "total": ("", "", ""),
    "wiki": ("wiki", "", ""),
    "participant": ("username", "username,", ""),
    "day": ("day", "day,", ""),
    "article": ("wiki, namespace, title", "namespace, title,", "WHERE deleted = 0"),
}


@dataclass(frozen=True)
class LedgerState:
    """What a program's ledger on one wiki describes (bot/ledger.py)."""

    fingerprint: str
    """The fact request it answers (participants, window, namespaces, backend): another one means a full recount."""
    read_until: datetime
    """Every revision saved before this instant (less the replicas' lag) is in the ledger."""
    recounted_at: datetime
    """Its last full recount (the periodic reconciliation catches what no log shows)."""
    counting: str = ""
    """What the rows' counted flags and days answer (bot/aggregate.py Counting.fingerprint); "" when the rows were
    written unmarked (aggregate() marks them)."""
    written: str = ""
    """A random token of the write that left the rows so (bot/ledger.py: another token means someone else wrote)."""


def _epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def _from_epoch(value: int) -> datetime:
    return datetime.fromtimestamp(int(value), UTC)


def _ledger_row(fact: RevisionFact, day: str | None = None) -> dict[str, Any]:
    """The row of one fact; ``day``: the local day the program counts it on (None: not counted, or not known)."""
    return {
        "rev_id": fact.rev_id,
        "username": fact.username,
        "page_id": fact.page_id,
        "namespace": fact.namespace,
        "title": fact.title,
        "rev_timestamp": _epoch(fact.timestamp),
        "size": fact.size,
        "parent_size": fact.parent_size,
        "parent_id": fact.parent_id,
        "deleted": int(fact.deleted),
        "counted": int(day is not None),
        "day": day,
    }


LEDGER_COLUMNS = (
    "program_key", "wiki", "rev_id", "username", "page_id", "namespace", "title", "rev_timestamp", "size",
    "parent_size", "parent_id", "deleted", "counted", "day",
)  # fmt: skip
"""The order of sql/store/insert_ledger_revision.sql's values, which ``_ledger_values`` renders."""
LEDGER_STATEMENT_BYTES = 1 << 20
"""Rendered ledger rows per statement on MariaDB (a statement ends with the row that reaches it): well below
max_allowed_packet (16 MiB by default on MariaDB 10.11 and in pymysql; ToolsDB's own value is not checked from
here), and big enough that a round trip per statement costs nothing beside the rows' insertion."""


class _Quoted:
    """SQL literals of strings, each distinct string quoted once (a program's rows repeat few names, days and, for
    the busy pages, titles)."""

    def __init__(self, escape: Any) -> None:
        self._escape = escape
        self._known: dict[str, str] = {}

    def __call__(self, value: str) -> str:
        found = self._known.get(value)
        if found is None:
            found = self._known[value] = self._escape(value)
        return found


def _ledger_values(fact: RevisionFact, day: str | None, quoted: _Quoted) -> str:
    """``_ledger_row``'s values after the program and the wiki, as SQL literals, in ``LEDGER_COLUMNS`` order."""
    marked = "0,NULL" if day is None else f"1,{quoted(day)}"
    return (
        f"{fact.rev_id:d},{quoted(fact.username)},{fact.page_id:d},{fact.namespace:d},{quoted(fact.title)},"
        f"{_epoch(fact.timestamp):d},{fact.size:d},{fact.parent_size:d},{fact.parent_id:d},{fact.deleted:d},{marked})"
    )


def _parse_iso(value: str) -> datetime:
    """A stored ``2026-01-31T23:00:00Z``; ``fromisoformat`` is some ten times faster than ``strptime``, which the
    participants tab paid for each of a thousand sign-ups."""
    if not value.endswith("Z") or "T" not in value:
        raise ValueError(f"not a stored UTC timestamp: {value!r}")
    return datetime.fromisoformat(value[:-1]).replace(tzinfo=UTC)


class SchemaOutdated(Exception):  # noqa: N818 (reads as a state: "the schema is outdated")
    """The state database lacks migrations this code needs: run ``python -m bot db upgrade`` (the web never does)."""


FROZEN = "frozen"
"""program_status.next_update_at of a program that is counted again only when its page changes."""

# MariaDB client errors that mean the connection is gone (server gone away, lost, killed): reconnect and retry.
CONNECTION_LOST = frozenset({2006, 2013, 1927, 4031})


@dataclass(frozen=True)
class LoggedEdit:
    """One attempt of the publisher, as the edit log keeps it."""

    wiki: str
    page: str
    program_key: str
    kind: str
    outcome: str
    revision: int | None
    detail: str
    logged_at: str


@dataclass(frozen=True)
class ProgramDetails:
    """What the web site states about a program besides its numbers (metrics.md, "Stated with every report")."""

    key: str
    page_id: int
    program_type: ProgramType
    timezone: str
    window: tuple[datetime, datetime] | None
    """The tracking window in UTC, start inclusive, end exclusive."""
    namespaces: tuple[tuple[str, tuple[int, ...]], ...]
    """(wiki, namespaces) of each tracked wiki."""
    description: str
    institution: str
    location: str
    organizers: tuple[str, ...]
    facilitators: tuple[str, ...]
    scope: Scope
    signup_open: bool
    signup_close: str
    """The local date-time (ISO) after which self sign-ups are refused; '' for none."""


@dataclass(frozen=True)
class LedgerRow:
    """One revision a program counted, as the site's activity tab lists it."""

    wiki: str
    rev_id: int
    username: str
    namespace: int
    title: str
    timestamp: datetime
    size_change: int
    created: bool
    deleted: bool


@dataclass(frozen=True)
class DayWikiCounts:
    """One local day's counts on one wiki (the site's charts)."""

    day: str
    wiki: str
    edits: int
    articles_edited: int
    bytes_added: int
    words_added: int | None


def _lines(value: str | None) -> tuple[str, ...]:
    return tuple(line for line in (value or "").split("\n") if line)


def _namespaces(value: str) -> tuple[tuple[str, tuple[int, ...]], ...]:
    """program.namespaces (``devwiki:0,2;devcommons:6``) as (wiki, namespaces) pairs."""
    pairs = []
    for part in value.split(";"):
        wiki, _, numbers = part.partition(":")
        if wiki:
            pairs.append((wiki, tuple(int(n) for n in numbers.split(",") if n.strip())))
    return tuple(pairs)


def _scope(value: str) -> Scope:
    data = json.loads(value or "{}")
    return Scope(
        articles=tuple(data.get("articles", ())),
        categories=tuple(data.get("categories", ())),
        category_depth=int(data.get("category_depth", 0)),
        templates=tuple(data.get("templates", ())),
        petscan_psid=data.get("petscan_psid"),
        excluded=tuple(data.get("excluded", ())),
    )


class Store:
    def __init__(self, connection: Any, paramstyle: str) -> None:
        self._connection = connection
        self._paramstyle = paramstyle
        self._in_transaction = False

    @classmethod
    def connect(cls, config: StateConfig) -> Store:
        """The store without any schema check: for a caller that checks the schema itself, less often than it
        connects (the web site keeps its connections across requests and checks the schema every few minutes)."""
        if config.engine == "sqlite":
            if config.path is None:
                raise ValueError("state.path is required for the sqlite engine")
            config.path.parent.mkdir(parents=True, exist_ok=True)
            return cls(sqlite3.connect(config.path, isolation_level=None, check_same_thread=False), "named")
        if config.engine in ("mysql", "toolsdb"):
            return cls(_mysql_connect(config), "pyformat")
        raise ValueError(f"unknown state engine {config.engine!r}")

    @classmethod
    def open(cls, config: StateConfig, *, migrate: bool = True) -> Store:
        """The store; ``migrate=False`` (the web site) refuses an outdated schema instead of changing it."""
        store = cls.connect(config)
        if migrate:
            store.migrate()
        elif pending := store.pending_migrations():
            store.close()
            raise SchemaOutdated(f"state database needs migrations {', '.join(pending)}: run python -m bot db upgrade")
        return store

    def close(self) -> None:
        self._connection.close()

    def ensure_connected(self) -> None:
        """Reopen a MariaDB connection that the server dropped (ToolsDB restarts, idle timeouts, KILL); each update
        calls this first, so a long-running job never keeps a dead connection."""
        if self._paramstyle == "pyformat":
            try:
                self._connection.ping(reconnect=False)
            except pymysql.err.Error:
                self._connection.connect()  # same parameters, new socket (pymysql's own reconnect is deprecated)

    def _execute(
        self, name: str, params: Mapping[str, Any] | None = None, parts: Mapping[str, str] | None = None
    ) -> list[tuple[Any, ...]]:
        """``parts`` fill a statement's ``{placeholders}``: fixed SQL fragments chosen by the code, never input
        (with ``:name`` parameters, as the files)."""
        try:
            return self._run(name, params, parts)
        except (pymysql.err.OperationalError, pymysql.err.InterfaceError) as error:
            # Outside a transaction a statement can simply be sent again on a new connection; inside one, the
            # server has rolled the transaction back, so the error goes up and the whole unit is redone later.
            # A connection lost earlier (inside a transaction) is left closed by pymysql: InterfaceError(0, "").
            lost = (bool(error.args) and error.args[0] in CONNECTION_LOST) or not self._connection.open
            if self._in_transaction or not lost:
                raise
            self.ensure_connected()
            return self._run(name, params, parts)

    def _execute_many(self, name: str, rows: Sequence[Mapping[str, Any]]) -> None:
        """One statement over many rows, inside the caller's transaction: pymysql folds an INSERT/REPLACE into
        multi-row statements and sqlite3 loops in C, where one round trip per row would cost a big program's
        ledger minutes on ToolsDB."""
        if not rows:
            return
        cursor = self._connection.cursor()
        try:
            cursor.executemany(_statement(name, self._paramstyle), [dict(row) for row in rows])
        finally:
            cursor.close()

    def _run(
        self, name: str, params: Mapping[str, Any] | None, parts: Mapping[str, str] | None = None
    ) -> list[tuple[Any, ...]]:
        text = _statement(name, self._paramstyle)
        if parts:
            text = text.format(**{key: _dialect(part, self._paramstyle) for key, part in parts.items()})
        text, values = _expand_lists(text, dict(params or {}), self._paramstyle)
        cursor = self._connection.cursor()
        try:
            cursor.execute(text, values)
            return list(cursor.fetchall())
        finally:
            cursor.close()

    @contextmanager
    def _transaction(self, *, exclusive: bool = False) -> Iterator[None]:
        """``exclusive``: on SQLite, take the write lock at once (BEGIN IMMEDIATE), the only way two processes can
        read-then-write without both reading the same row; MariaDB locks rows instead (FOR UPDATE)."""
        self.ensure_connected()
        cursor = self._connection.cursor()
        cursor.execute("BEGIN IMMEDIATE" if exclusive and self._paramstyle == "named" else "BEGIN")
        self._in_transaction = True
        try:
            yield
        except BaseException:
            with suppress(pymysql.err.Error, sqlite3.Error):  # a lost connection has nothing left to roll back
                self._connection.rollback()
            raise
        else:
            self._connection.commit()
        finally:
            self._in_transaction = False
            with suppress(pymysql.err.Error, sqlite3.Error):
                cursor.close()

    def pending_migrations(self) -> list[str]:
        """Names of the migration files this database has not applied (all of them for an empty database)."""
        try:
            done = {row[0] for row in self._execute("schema_version")}
        except (sqlite3.Error, pymysql.err.Error):  # no schema_version table: a new database
            done = set()
        return [p.name for p in sorted(MIGRATIONS.glob("*.sql")) if int(p.name.split("-", 1)[0]) not in done]

    def migrate(self) -> None:
        """Apply the numbered files of sql/store/migrations/ that this database has not seen yet. A file named
        ``*.mysql.sql`` is for MariaDB only: on SQLite its version is recorded without running it."""
        self._execute("schema_version_create")
        done = {row[0] for row in self._execute("schema_version")}
        for path in sorted(MIGRATIONS.glob("*.sql")):
            version = int(path.name.split("-", 1)[0])
            if version in done:
                continue
            mysql_only = path.name.endswith(".mysql.sql")
            with self._transaction():
                cursor = self._connection.cursor()
                for statement in [] if mysql_only and self._paramstyle != "pyformat" else _migration_statements(path):
                    cursor.execute(statement)
                cursor.close()
                self._execute("schema_version_insert", {"version": version})

    def record_program(self, program: Program) -> None:
        """Keep the definition the bot last understood (a later broken page does not erase it). Written only when it
        changed: the definition and the sign-ups each carry a digest of what was last written (an update every few
        minutes otherwise rewrites every participant's row for nothing)."""
        definition = program.definition
        window_start, window_end = definition.window
        row = {
            "program_key": program.key,
            "wiki": program.wiki,
            "page_id": program.page_id,
            "title": program.title,
            "name": definition.name,
            "start_date": definition.event_start.isoformat(),
            "end_date": definition.event_end.isoformat(),
            "tracked_wikis": ",".join(definition.tracked_wikis),
            "namespaces": ";".join(f"{t.wiki}:{','.join(map(str, t.namespaces))}" for t in definition.tracked),
            "campaigns": "\n".join(definition.campaigns),
            "private": int(definition.private),
            "program_type": definition.type.value,
            "timezone": definition.timezone,
            "window_start": iso(window_start),
            "window_end": iso(window_end),
            "description": definition.description,
            "institution": definition.institution,
            "location": definition.location,
            "organizers": "\n".join(definition.organizers),
            "facilitators": "\n".join(definition.facilitators),
            "scope": json.dumps(asdict(definition.scope), ensure_ascii=False),
            "signup_open": int(definition.signup_open),
            "signup_close": definition.signup_close.isoformat() if definition.signup_close else "",
        }
        participants = [
            {
                "program_key": program.key,
                "username": participant.username,
                "status": participant.status.value,
                "added_by": participant.added_by,
                "revision": participant.revision,
                "signed_up_at": iso(participant.timestamp),
            }
            for participant in program.participants
        ]
        digest, participants_digest = _digest(row), _digest(participants)
        with self._transaction():
            stored = self._execute("program_digests", {"program_key": program.key})
            old, old_participants = (str(stored[0][0]), str(stored[0][1])) if stored else ("", "")
            if old != digest:
                self._execute("delete_program", {"program_key": program.key})
                self._execute("insert_program", {**row, "digest": digest, "participants_digest": participants_digest})
            elif old_participants != participants_digest:
                self._execute(
                    "update_participants_digest",
                    {"program_key": program.key, "participants_digest": participants_digest},
                )
            if old_participants != participants_digest:
                self._execute("delete_participants", {"program_key": program.key})
                self._execute_many("insert_participant", participants)

    def trust_state(self, key: str) -> TrustState:
        rows = self._execute("trust_state", {"program_key": key})
        return TrustState.from_json(rows[0][0]) if rows else TrustState()

    def record_trust_state(self, key: str, state: TrustState) -> None:
        with self._transaction():
            self._execute("delete_trust_state", {"program_key": key})
            self._execute(
                "insert_trust_state", {"program_key": key, "last_revid": state.last_revid, "state": state.to_json()}
            )

    def signups(self, key: str) -> list[Participant]:
        return [
            Participant(str(name), SignupStatus(status), str(added_by), int(revision), _parse_iso(signed_up_at))
            for name, status, added_by, revision, signed_up_at in self._execute("participants", {"program_key": key})
        ]

    def record_campaign(self, campaign: Campaign, checked_at: datetime) -> None:
        with self._transaction():
            self._execute("delete_campaign", {"campaign_key": campaign.key})
            self._execute(
                "insert_campaign",
                {
                    "campaign_key": campaign.key,
                    "wiki": campaign.wiki,
                    "page_id": campaign.page_id,
                    "title": campaign.title,
                    "name": campaign.name,
                    "description": campaign.description,
                    "start_date": campaign.start.isoformat() if campaign.start else "",
                    "end_date": campaign.end.isoformat() if campaign.end else "",
                    "organizers": "\n".join(campaign.organizers),
                    "checked_at": iso(checked_at),
                    "messages": _dump_messages(campaign.messages),
                    "closed": int(campaign.closed),
                    "accepted": "\n".join(campaign.accepted),
                    "default_type": campaign.default_type.value,
                },
            )

    def campaigns(self) -> list[CampaignSummary]:
        return [
            CampaignSummary(
                key=key,
                wiki=wiki,
                title=title,
                name=name,
                description=description,
                start=date.fromisoformat(start) if start else None,
                end=date.fromisoformat(end) if end else None,
                organizers=tuple(organizers.split("\n")) if organizers else (),
                checked_at=checked_at,
                messages=_load_messages(messages),
                closed=bool(closed),
                accepted=tuple(accepted.split("\n")) if accepted else (),
                default_type=ProgramType(default_type),
            )
            for (key, wiki, title, name, description, start, end, organizers, checked_at, messages, closed,
                 accepted, default_type) in self._execute("campaigns")
        ]  # fmt: skip

    def record_status(
        self,
        *,
        key: str,
        wiki: str,
        title: str,
        checked_at: datetime,
        ok: bool,
        messages: tuple[Message, ...],
        edit_outcome: Message,
        next_update: datetime | None = None,
        frozen: bool = False,
    ) -> None:
        with self._transaction():
            self._execute("delete_status", {"program_key": key})
            self._execute(
                "insert_status",
                {
                    "program_key": key,
                    "wiki": wiki,
                    "title": title,
                    "checked_at": iso(checked_at),
                    "ok": int(ok),
                    "messages": _dump_messages(messages),
                    "edit_outcome": _dump_messages((edit_outcome,)),
                    "next_update_at": FROZEN if frozen else iso(next_update) if next_update else "",
                },
            )

    def record_snapshot(
        self,
        program: Program,
        metrics: ProgramMetrics,
        taken_at: datetime,
        backend: str,
        goals: Sequence[GoalProgress] = (),
    ) -> None:
        """One snapshot with every breakdown and the progress of the program's goals; snapshots accumulate (history
        for charts and "since last update").

        Numbers equal to the last snapshot's (its digest) store no new breakdowns: the last snapshot is re-stamped
        (migration 0018). When it already shares an earlier snapshot's rows and falls on the same UTC day, its time
        moves to ``taken_at``; otherwise a snapshot row at ``taken_at`` is added that shares its rows. A run of
        unchanged updates so keeps its first and last time and one per UTC day (what pruning keeps), and the
        latest snapshot's time is the last update's. A changed snapshot writes its rows in multi-row INSERTs
        (``_execute_many``): one statement per table rather than one per participant, day and article."""
        stamp = iso(taken_at)
        key = {"program_key": program.key, "taken_at": stamp}
        snapshot = {
            "backend": backend,
            "participants": metrics.participants,
            "new_editors": len(metrics.new_editors),
            "retention": json.dumps([[r.days, r.participants, r.new_editors] for r in metrics.retention]),
            "words_added": metrics.words_added,
            "references_added": metrics.references_added,
            "references_removed": metrics.references_removed,
            "page_views": metrics.page_views,
            "wikidata": json.dumps(asdict(metrics.wikidata)) if metrics.wikidata else None,
            "alerts": json.dumps([list(alert) for alert in metrics.alerts], ensure_ascii=False),
        }
        rows: list[tuple[str, str, Counts, int | None]] = [("total", "", metrics.total, metrics.page_views)]
        rows += [("wiki", wiki, counts, None) for wiki, counts in metrics.by_wiki.items()]
        rows += [("participant", name, counts, None) for name, counts in metrics.by_participant.items()]
        rows += [("day", day.isoformat(), counts, None) for day, counts in metrics.by_day.items()]
        rows += [
            ("article", f"{wiki}|{ns}|{title}", counts, metrics.page_views_by_article.get((wiki, ns, title)))
            for (wiki, ns, title), counts in metrics.by_article.items()
        ]
        counts_rows = [
            {**key, "dimension": dimension, "dimension_value": value, **asdict(counts), "page_views": views}
            for dimension, value, counts, views in rows
        ]
        upload_rows = [
            {
                **key,
                "wiki": upload.wiki,
                "file": upload.file,
                "username": upload.username,
                "uploaded_at": iso(upload.timestamp),
                "file_usage": upload.usage,
            }
            for upload in metrics.uploads
        ]
        # The pages using each counted upload (the first ``USING_PAGES_KEPT``) with their views.
        upload_page_rows = [
            {**key, "wiki": upload.wiki, "file": upload.file, "place": place, "page_wiki": page.wiki,
             "page_title": page.title, "views": page.views}
            for upload in metrics.uploads
            for place, page in enumerate(upload.pages)
        ]  # fmt: skip
        day_rows = [
            {
                **key,
                "day": day.isoformat(),
                "words_added": figures.words_added,
                "references_added": figures.references_added,
                "references_removed": figures.references_removed,
                "page_views": figures.page_views,
                "wikidata": json.dumps(asdict(figures.wikidata)) if figures.wikidata else None,
            }
            for day, figures in metrics.day_figures.items()
        ]
        goal_rows = [
            {
                **key,
                "goal_index": index,
                "metric": goal.metric,
                "per_participant": int(goal.per_participant),
                "goal": goal.goal,
                "target": goal.target,
                "program_total": goal.value,
                "reached_on": goal.reached_on.isoformat() if goal.reached_on else None,
            }
            for index, goal in enumerate(goals)
        ]
        digest = _digest([snapshot, *(
            [{k: v for k, v in row.items() if k != "taken_at"} for row in table]
            for table in (counts_rows, upload_rows, upload_page_rows, day_rows, goal_rows)
        )])  # fmt: skip
        with self._transaction():
            last = self._execute("last_snapshot", {"program_key": program.key})
            if last and str(last[0][2]) == digest and str(last[0][0]) < stamp:
                last_taken_at, rows_at = str(last[0][0]), str(last[0][1])
                moves = rows_at != last_taken_at and last_taken_at[:10] == stamp[:10]
                self._execute("restamp_snapshot" if moves else "copy_snapshot", {**key, "last_taken_at": last_taken_at})
                return
            for table in ("snapshot", "snapshot_counts", "snapshot_upload", "snapshot_upload_page", "snapshot_goal"):
                self._execute(f"delete_{table}", key)
            self._execute("insert_snapshot", {**key, **snapshot, "digest": digest})
            self._execute_many("insert_snapshot_counts", counts_rows)
            self._execute_many("insert_snapshot_upload", upload_rows)
            self._execute_many("insert_snapshot_upload_page", upload_page_rows)
            self._execute("delete_snapshot_day", key)
            self._execute_many("insert_snapshot_day", day_rows)
            self._execute_many("insert_snapshot_goal", goal_rows)

    def prune_snapshots(self, key: str, cutoff: datetime) -> None:
        """Before ``cutoff``, keep only the last snapshot of each UTC day (newer ones are all kept), and the rows
        those share with earlier ones (rows_at)."""
        params = {"program_key": key, "cutoff": iso(cutoff)}
        with self._transaction():
            # The snapshot rows decide which snapshots are kept, so they go first; then the rows none refers to.
            for table in ("snapshot", "snapshot_counts", "snapshot_upload", "snapshot_upload_page", "snapshot_day",
                          "snapshot_goal"):  # fmt: skip
                self._execute(f"prune_{table}", params)

    def snapshots(self, key: str) -> list[SnapshotRow]:
        return [
            SnapshotRow(
                taken_at=taken_at,
                backend=backend,
                participants=participants,
                new_editors=new_editors,
                retention=tuple(Retention(*r) for r in json.loads(retention)),
                words_added=words,
                references_added=refs_added,
                references_removed=refs_removed,
                page_views=views,
                wikidata=WikidataCounts(**json.loads(wikidata)) if wikidata else None,
                alerts=tuple(tuple(a) for a in json.loads(alerts)),
            )
            for (taken_at, backend, participants, new_editors, retention, words, refs_added, refs_removed, views,
                 wikidata, alerts) in self._execute("snapshots", {"program_key": key})
        ]  # fmt: skip

    def snapshot_counts(self, key: str, taken_at: str, dimension: str) -> list[tuple[str, Counts, int | None]]:
        """(value, counts, page views) rows of one dimension of one snapshot."""
        rows = self._execute("snapshot_counts", {"program_key": key, "taken_at": taken_at, "dimension": dimension})
        return [(str(row[0]), Counts(*(int(v) for v in row[1:11])), row[11]) for row in rows]

    def snapshot_uploads(self, key: str, taken_at: str) -> list[tuple[str, str, str, str, int]]:
        return [
            (str(w), str(f), str(u), str(t), int(n))
            for w, f, u, t, n in self._execute("snapshot_uploads", {"program_key": key, "taken_at": taken_at})
        ]

    def snapshot_upload_pages(self, key: str, taken_at: str, wiki: str, file: str) -> list[UsingPage]:
        """The pages using one upload of one snapshot, in (wiki, title) order (none for a snapshot taken before
        they were kept)."""
        params = {"program_key": key, "taken_at": taken_at, "wiki": wiki, "file": file}
        return [
            UsingPage(str(page_wiki), str(title), None if views is None else int(views))
            for page_wiki, title, views in self._execute("snapshot_upload_pages", params)
        ]

    def snapshot_days(self, key: str, taken_at: str) -> list[tuple[str, DayFigures]]:
        """(day, figures) of one snapshot, in day order: words, references, page views and Wikidata counts per day
        (none for a snapshot taken before they were kept)."""
        return [
            (
                str(day),
                DayFigures(
                    words_added=None if words is None else int(words),
                    references_added=None if added is None else int(added),
                    references_removed=None if removed is None else int(removed),
                    page_views=None if views is None else int(views),
                    wikidata=WikidataCounts(**json.loads(wikidata)) if wikidata else None,
                ),
            )
            for day, words, added, removed, views, wikidata in self._execute(
                "snapshot_days", {"program_key": key, "taken_at": taken_at}
            )
        ]

    def snapshot_goals(self, key: str, taken_at: str) -> list[GoalProgress]:
        """One snapshot's goals with their progress, in the organizer's order (none before goals were kept)."""
        return [
            GoalProgress(
                metric=str(metric),
                goal=int(goal),
                per_participant=bool(per_participant),
                target=int(target),
                value=None if total is None else int(total),
                reached_on=date.fromisoformat(reached_on) if reached_on else None,
            )
            for metric, per_participant, goal, target, total, reached_on in self._execute(
                "snapshot_goals", {"program_key": key, "taken_at": taken_at}
            )
        ]

    def hashtag_search(self, key: str, wiki: str) -> tuple[str, datetime, frozenset[str]] | None:
        """(fingerprint, where the next search starts, users found so far) of a hashtag campaign's search on one wiki
        (bot/hashtags.py)."""
        rows = self._execute("hashtag_search", {"program_key": key, "wiki": wiki})
        if not rows:
            return None
        fingerprint, until, authors = rows[0]
        return str(fingerprint), _parse_iso(str(until)), frozenset(json.loads(authors))

    def record_hashtag_search(
        self, key: str, wiki: str, fingerprint: str, resume_from: datetime, authors: Collection[str]
    ) -> None:
        params = {"program_key": key, "wiki": wiki, "fingerprint": fingerprint, "resume_from": iso(resume_from),
                  "authors": json.dumps(sorted(authors), ensure_ascii=False)}  # fmt: skip
        with self._transaction():
            self._execute("insert_hashtag_search", params)

    def ledger_state(self, key: str, wiki: str) -> LedgerState | None:
        rows = self._execute("ledger_state", {"program_key": key, "wiki": wiki})
        if not rows:
            return None
        fingerprint, read_until, recounted_at, counting, written = rows[0]
        return LedgerState(
            str(fingerprint), _from_epoch(read_until), _from_epoch(recounted_at), str(counting), str(written)
        )

    def ledger_revisions(self, key: str, wiki: str) -> list[RevisionFact]:
        return [
            RevisionFact(
                wiki=wiki,
                rev_id=int(rev_id),
                username=str(username),
                page_id=int(page_id),
                namespace=int(namespace),
                title=str(title),
                timestamp=_from_epoch(timestamp),
                size=int(size),
                parent_size=int(parent_size),
                parent_id=int(parent_id),
                deleted=bool(deleted),
            )
            for rev_id, username, page_id, namespace, title, timestamp, size, parent_size, parent_id, deleted in (
                self._execute("ledger_revisions", {"program_key": key, "wiki": wiki})
            )
        ]

    def record_ledger(
        self,
        key: str,
        wiki: str,
        state: LedgerState,
        *,
        upsert: Collection[RevisionFact],
        remove: Collection[int] = (),
        replace_all: bool = False,
        days: Mapping[int, str | None] | None = None,
    ) -> None:
        """One unit: the rows and the state that describes them change together, so a run killed halfway leaves
        the previous ledger and state (the next run reads the same interval again) rather than a mix. ``days``
        (rev_id -> local day, None when not counted) writes the rows already counted: no marking pass after, which
        was the larger part of a recount's writes (bench/README.md); without it they are written unmarked."""
        where = {"program_key": key, "wiki": wiki}
        with self._transaction():
            if replace_all:
                self._execute("clear_ledger", where)
            else:
                for batch in _batches(sorted(remove)):
                    self._execute("delete_ledger_revision", {**where, "rev_ids": batch})
            self._write_ledger_rows(key, wiki, upsert, days or {}, verb="INSERT" if replace_all else "REPLACE")
            self._execute(
                "insert_ledger_state",
                {
                    **where,
                    "fingerprint": state.fingerprint,
                    "read_until": _epoch(state.read_until),
                    "recounted_at": _epoch(state.recounted_at),
                    "counting": state.counting,
                    "written": state.written,
                },
            )

    def _write_ledger_rows(
        self, key: str, wiki: str, facts: Collection[RevisionFact], days: Mapping[int, str | None], *, verb: str
    ) -> None:
        """sql/store/insert_ledger_revision.sql for each fact. On MariaDB, rows of values rendered once (integers
        formatted, strings quoted by the connection's own escaping, each distinct name, title and day once) and
        sent ``LEDGER_STATEMENT_BYTES`` at a time: pymysql's executemany escaped every value of every row through
        its generic converters, half of a big recount's write (bench/README.md)."""
        if not facts:
            return
        text = _statement("insert_ledger_revision", self._paramstyle).format(verb=verb)
        if self._paramstyle == "named":
            rows = [{"program_key": key, "wiki": wiki, **_ledger_row(fact, days.get(fact.rev_id))} for fact in facts]
            self._connection.executemany(text, rows)
            return
        head, values, placeholders = text.rpartition("VALUES")
        if tuple(re.findall(r"%\((\w+)\)s", placeholders)) != LEDGER_COLUMNS:
            raise AssertionError("insert_ledger_revision.sql's columns are not the order Store._ledger_values renders")
        quoted = _Quoted(self._connection.escape)
        prefix = f"({quoted(key)},{quoted(wiki)},"
        cursor = self._connection.cursor()
        try:
            batch: list[str] = []
            size = 0
            for fact in facts:
                row = prefix + _ledger_values(fact, days.get(fact.rev_id), quoted)
                batch.append(row)
                size += len(row) + 1
                if size >= LEDGER_STATEMENT_BYTES:
                    cursor.execute(f"{head}{values} {','.join(batch)}")
                    batch, size = [], 0
            if batch:
                cursor.execute(f"{head}{values} {','.join(batch)}")
        finally:
            cursor.close()

    def ledger_counted(self, key: str, wiki: str) -> dict[int, str]:
        """rev_id -> local day of the ledger rows the last count took."""
        rows = self._execute("ledger_counted", {"program_key": key, "wiki": wiki})
        return {int(rev_id): str(day) for rev_id, day in rows}

    def mark_ledger_counted(self, key: str, wiki: str, days: Mapping[int, str]) -> None:
        """Make ``days`` (rev_id -> local day) the rows of the wiki's ledger a count took, touching only the rows
        whose flag or day changed (usually none)."""
        before = self.ledger_counted(key, wiki)
        changes: dict[int, str | None] = {rev: day for rev, day in days.items() if before.get(rev) != day}
        changes.update((rev, None) for rev in before.keys() - days.keys())
        by_day: dict[str | None, list[int]] = {}
        for rev_id, day in changes.items():
            by_day.setdefault(day, []).append(rev_id)
        where = {"program_key": key, "wiki": wiki}
        with self._transaction():
            for day, rev_ids in by_day.items():
                for batch in _batches(sorted(rev_ids)):
                    marks = {"counted": int(day is not None), "day": day, "rev_ids": batch}
                    self._execute("set_ledger_counted", {**where, **marks})

    def keep_ledgers_of(self, key: str, wikis: Collection[str]) -> None:
        """Forget the ledgers of wikis the program no longer tracks (their rows would still count in campaigns)."""
        with self._transaction():
            self._execute("delete_other_ledgers", {"program_key": key, "wikis": tuple(wikis)})
            self._execute("delete_other_ledger_states", {"program_key": key, "wikis": tuple(wikis)})

    def ledger_counts(
        self, keys: Collection[str], dimension: str, only: tuple[str, Collection[int]] | None = None
    ) -> list[tuple[tuple[Any, ...], Counts]]:
        """(dimension values, counts) over the revisions these programs counted, each revision once: see
        sql/store/ledger_counts.sql; ``dimension`` is one of LEDGER_DIMENSIONS. ``only``: (wiki, rev ids), the
        counts of those rows alone."""
        select, columns, where = LEDGER_DIMENSIONS[dimension]
        parts = {
            "select": f"{select}," if select else "",
            "group": f"GROUP BY {select}" if select else "",
            "columns": columns,
            "where": where,
            "distinct": "DISTINCT" if len(keys) > 1 else "",
            "rows": "AND wiki = :wiki AND rev_id IN :rev_ids" if only is not None else "",
        }
        params: dict[str, Any] = {"program_keys": tuple(sorted(keys))}
        if only is not None:
            params.update(wiki=only[0], rev_ids=tuple(sorted(only[1])))
        width = len(select.split(",")) if select else 0
        result = []
        for row in self._execute("ledger_counts", params, parts):
            values = [int(value or 0) for value in row[width:]]
            if not any(values) and not width:
                continue  # the total of nothing: SQL's one row of NULLs
            edits, deleted, edited, created, created_deleted, added, removed = values
            counts = Counts(
                edits=edits,
                edits_deleted=deleted,
                articles_edited=edited,
                articles_created=created,
                articles_created_deleted=created_deleted,
                bytes_added=added,
                bytes_removed=removed,
            )
            result.append((tuple(row[:width]), counts))
        return result

    def revision_content(self, wiki: str, rev_ids: Collection[int]) -> dict[int, tuple[int, int, int]]:
        """Cached (words added, references added, references removed) of these revisions, where known."""
        found = {}
        for batch in _batches(sorted(rev_ids)):
            for r, w, a, d in self._execute("revision_content", {"wiki": wiki, "rev_ids": batch}):
                found[int(r)] = (int(w), int(a), int(d))
        return found

    def record_revision_content(self, wiki: str, counts: Mapping[int, tuple[int, int, int]]) -> None:
        with self._transaction():
            for rev_id, (words, added, removed) in counts.items():
                key = {"wiki": wiki, "rev_id": rev_id}
                self._execute("delete_revision_content", key)
                self._execute(
                    "insert_revision_content",
                    {**key, "words_added": words, "references_added": added, "references_removed": removed},
                )

    def revision_wikidata(self, wiki: str, rev_ids: Collection[int]) -> dict[int, WikidataCounts]:
        """Cached Wikidata counts of these revisions, where known."""
        found = {}
        for batch in _batches(sorted(rev_ids)):
            for rev_id, counts in self._execute("revision_wikidata", {"wiki": wiki, "rev_ids": batch}):
                found[int(rev_id)] = WikidataCounts(**json.loads(counts))
        return found

    def record_revision_wikidata(self, wiki: str, counts: Mapping[int, WikidataCounts]) -> None:
        rows = [{"wiki": wiki, "rev_id": r, "counts": json.dumps(asdict(c))} for r, c in counts.items()]
        with self._transaction():
            self._execute_many("insert_revision_wikidata", rows)

    def schedule(self, key: str) -> Schedule | None:
        """What bot.tiers needs to decide whether the program is due; None for a program never seen."""
        rows = self._execute("schedule", {"program_key": key})
        if not rows:
            return None
        checked_at, ok, start, end, last_revid, bot_revid = rows[0]
        window = (_parse_iso(start), _parse_iso(end)) if start and end else None
        return Schedule(_parse_iso(checked_at), bool(ok), window, max(int(last_revid or 0), int(bot_revid or 0)))

    # --- the update queue (bot/queue.py) ---------------------------------------------------------------------

    def queue_entry(self, key: str) -> QueueEntry | None:
        rows = self._execute("queue_row", {"program_key": key})
        if not rows:
            return None
        wiki, page_id, due_at, priority, again, owner, lease_until, refresh_at = rows[0]
        return QueueEntry(
            key=key,
            wiki=str(wiki),
            page_id=int(page_id),
            due_at=_from_epoch(due_at),
            priority=int(priority),
            again=bool(again),
            lease_owner=None if owner is None else str(owner),
            lease_until=_from_epoch(lease_until),
            refresh_at=_from_epoch(refresh_at) if refresh_at else None,
        )

    def enqueue(
        self, key: str, wiki: str, page_id: int, due_at: datetime, priority: int, now: datetime, page_revid: int = 0
    ) -> None:
        """Queue a program, or bring its queued run forward; if a worker holds it now, run it again after, unless
        ``page_revid`` (the page revision that asks; 0: a refresh) is one that run knew or made itself."""
        with self._transaction(exclusive=True):
            self._enqueue(key, wiki, page_id, due_at, priority, now, page_revid)

    def _enqueue(
        self, key: str, wiki: str, page_id: int, due_at: datetime, priority: int, now: datetime, page_revid: int = 0
    ) -> None:
        entry = self.queue_entry(key)
        if entry is None:
            params = {"program_key": key, "wiki": wiki, "page_id": page_id, "due_at": _epoch(due_at)}
            self._execute("insert_queue", {**params, "priority": priority})
        elif entry.lease_until > now and priority < QUEUE_SCHEDULED:
            self._execute("queue_again", {"program_key": key, "revid": page_revid})
        else:
            self._execute("queue_sooner", {"program_key": key, "due_at": _epoch(due_at), "priority": priority})

    def claim(
        self, owner: str, now: datetime, lease: timedelta, wikis: Collection[str], exclude: Collection[str] = ()
    ) -> QueueEntry | None:
        """Take the most urgent due program of these wikis nobody holds (but those in ``exclude``), for ``lease``
        (renewed while it runs). Of the scheduled ones, one ``owner`` finished last before another's (bot/queue.py);
        a changed page or a refresh comes first, whoever finished it. The statement twice rather than one order: each
        reads and locks only the rows it returns (sql/store/claim_next.sql)."""
        with self._transaction(exclusive=True):
            params = {"now": _epoch(now), "wikis": tuple(sorted(wikis)), "exclude": tuple(sorted(exclude))}
            rows = self._execute("claim_next", params, {"mine": ""})
            if not rows:
                return None
            key, _wiki, _page, priority, last_owner = rows[0]
            if int(priority) == QUEUE_SCHEDULED and last_owner != owner:
                mine = {"mine": "AND last_owner = :owner AND priority = :scheduled"}
                own = self._execute("claim_next", {**params, "owner": owner, "scheduled": QUEUE_SCHEDULED}, mine)
                if own:
                    key = own[0][0]
            key = str(key)
            until = _epoch(now + lease)
            self._execute("lease_queue", {"program_key": key, "owner": owner, "lease_until": until})
        return self.queue_entry(key)

    def renew_lease(self, key: str, owner: str, until: datetime) -> None:
        self._execute("renew_lease", {"program_key": key, "owner": owner, "lease_until": _epoch(until)})

    def finish(
        self, key: str, owner: str, *, started_at: datetime, now: datetime, ok: bool, due_at: datetime | None
    ) -> None:
        """End a run: the program is due again at ``due_at`` (None: frozen, it leaves the queue), and the run is
        logged. A worker whose lease had passed changes nothing in the queue (another worker holds it now)."""
        with self._transaction():
            params = {"program_key": key, "owner": owner}
            if due_at is None:
                self._execute("delete_queue", params)
            else:
                known = self.schedule(key)
                self._execute(
                    "finish_queue",
                    {
                        **params,
                        "now": _epoch(now),
                        "due_at": _epoch(due_at),
                        "known_revid": known.last_revid if known else 0,
                    },
                )
            self._execute(
                "insert_update_run",
                {**params, "started_at": _epoch(started_at), "finished_at": _epoch(now), "ok": int(ok)},
            )

    def forget_queued(self, key: str) -> None:
        """A program whose page no longer holds it (or was deleted) leaves the queue, whoever holds it."""
        self._execute("delete_queue", {"program_key": key, "owner": ""})

    def due_count(self, keys: Collection[str], now: datetime) -> int:
        """How many of these programs are due at ``now`` and held by no worker."""
        ordered = sorted(keys)
        batches = (tuple(ordered[start : start + 500]) for start in range(0, len(ordered), 500))
        return sum(int(self._execute("queue_due_count", {"now": _epoch(now), "keys": b})[0][0]) for b in batches)

    def queue(self) -> list[QueueEntry]:
        return [
            QueueEntry(
                key=str(key),
                wiki=str(wiki),
                page_id=int(page_id),
                due_at=_from_epoch(due_at),
                priority=int(priority),
                again=False,
                lease_owner=None if owner is None else str(owner),
                lease_until=_from_epoch(lease_until),
                refresh_at=None,
            )
            for key, wiki, page_id, due_at, priority, owner, lease_until in self._execute("queue")
        ]

    def queue_position(self, key: str, now: datetime) -> int | None:
        """1 for the next program a worker takes, 2 for the one after...; 0 while a worker holds it; None when it
        is not due yet (or not queued)."""
        entry = self.queue_entry(key)
        if entry is None:
            return None
        if entry.lease_until > now:
            return 0
        if entry.due_at > now:
            return None
        params = {"program_key": key, "now": _epoch(now), "priority": entry.priority, "due_at": _epoch(entry.due_at)}
        return int(self._execute("queue_ahead", params)[0][0]) + 1

    def update_runs(self, since: datetime) -> list[tuple[str, str, datetime, datetime, bool]]:
        """(program key, worker, started, finished, ok) of the runs finished since ``since``, in start order."""
        return [
            (str(key), str(owner), _from_epoch(started), _from_epoch(finished), bool(ok))
            for key, owner, started, finished, ok in self._execute("update_runs", {"since": _epoch(since)})
        ]

    def request_refresh(
        self, key: str, client: str, now: datetime, *, program_every: timedelta, client_per_hour: int
    ) -> RefreshOutcome:
        """An organizer's (or anyone's) request to count a program now, coalesced with a run already due and
        rate-limited per program and per client (``client``: a salted hash, never an address)."""
        with self._transaction(exclusive=True):
            entry = self.queue_entry(key)
            if entry is None:
                return RefreshOutcome.NOT_QUEUED
            if entry.lease_until > now and entry.again:
                return RefreshOutcome.COALESCED
            if entry.lease_until <= now and entry.due_at <= now:
                return RefreshOutcome.COALESCED
            if entry.refresh_at is not None and now - entry.refresh_at < program_every:
                return RefreshOutcome.TOO_SOON
            hour_ago = _epoch(now - timedelta(hours=1))
            [(recent,)] = self._execute("refresh_requests_since", {"client": client, "since": hour_ago})
            if int(recent) >= client_per_hour:
                return RefreshOutcome.CLIENT_LIMIT
            self._execute("prune_refresh_requests", {"before": hour_ago})
            self._execute("insert_refresh_request", {"client": client, "requested_at": _epoch(now)})
            self._execute("set_refresh_at", {"program_key": key, "refresh_at": _epoch(now)})
            self._enqueue(key, entry.wiki, entry.page_id, now, QUEUE_REFRESH, now)
        return RefreshOutcome.QUEUED

    def beat(self, job: str, when: datetime, state: str) -> None:
        """The job is alive and doing ``state`` (its health check reads this)."""
        with self._transaction():
            self._execute("delete_heartbeat", {"job": job})
            self._execute("insert_heartbeat", {"job": job, "beat_at": iso(when), "state": state[:255]})

    def heartbeat(self, job: str) -> tuple[datetime, str] | None:
        rows = self._execute("heartbeat", {"job": job})
        return (_parse_iso(rows[0][0]), str(rows[0][1])) if rows else None

    def view_range(self, project: str, title: str) -> tuple[date, date] | None:
        """The days of an article whose views are stored (inclusive), if any were asked for."""
        rows = self._execute("page_view_range", {"project": project, "title": title})
        return (date.fromisoformat(rows[0][0]), date.fromisoformat(rows[0][1])) if rows else None

    def record_views(self, project: str, title: str, daily: Mapping[date, int]) -> None:
        """Keep one article's daily views (every day of a contiguous range). The stored range grows to cover them when
        they adjoin or overlap it; a range apart from it replaces it, since the days between were never fetched and
        must not read as days without views."""
        if not daily:
            return
        known = self.view_range(project, title)
        first, last = min(daily), max(daily)
        if known is not None and first <= known[1] + timedelta(days=1) and last >= known[0] - timedelta(days=1):
            first, last = min(first, known[0]), max(last, known[1])
        key = {"project": project, "title": title}
        with self._transaction():
            for day, views in daily.items():
                self._execute("delete_page_view_day", {**key, "day": day.isoformat()})
                if views:
                    self._execute("insert_page_view_day", {**key, "day": day.isoformat(), "views": views})
            self._execute("delete_page_view_range", key)
            self._execute(
                "insert_page_view_range", {**key, "first_day": first.isoformat(), "last_day": last.isoformat()}
            )

    def view_sum(self, project: str, title: str, first: date, last: date) -> int:
        params = {"project": project, "title": title, "first_day": first.isoformat(), "last_day": last.isoformat()}
        return int(self._execute("page_view_sum", params)[0][0])

    def views_by_day(self, project: str, title: str, first: date, last: date) -> dict[date, int]:
        """An article's stored views per day of ``[first, last]``; days without views are left out."""
        params = {"project": project, "title": title, "first_day": first.isoformat(), "last_day": last.isoformat()}
        return {date.fromisoformat(str(day)): int(views) for day, views in self._execute("page_view_days", params)}

    def log_edit(self, entry: LoggedEdit) -> None:
        """Append one publisher outcome; a "no change" right after another for the same target adds nothing."""
        target = {"wiki": entry.wiki, "page": entry.page, "program_key": entry.program_key, "kind": entry.kind}
        if entry.outcome == "no_change":
            last = self._execute("last_edit_outcome", target)
            if last and last[0][0] == "no_change":
                return
        self._execute(
            "insert_edit_log",
            {**target, "outcome": entry.outcome, "revision": entry.revision, "detail": entry.detail,
             "logged_at": entry.logged_at},
        )  # fmt: skip

    def edit_saved_before(self, wiki: str, page: str, program_key: str, kind: str) -> bool:
        target = {"wiki": wiki, "page": page, "program_key": program_key, "kind": kind}
        return int(self._execute("edit_saved_before", target)[0][0]) > 0

    def edit_log(
        self, *, wiki: str = "", program_key: str = "", outcome: str = "", max_rows: int = 500
    ) -> list[LoggedEdit]:
        """The newest entries first, filtered by wiki, program and outcome (empty: any)."""
        rows = self._execute(
            "edit_log", {"wiki": wiki, "program_key": program_key, "outcome": outcome, "max_rows": max_rows}
        )
        return [
            LoggedEdit(str(w), str(p), str(k), str(kind), str(o), None if r is None else int(r), str(d), str(t))
            for w, p, k, kind, o, r, d, t in rows
        ]

    def programs(self) -> list[ProgramSummary]:
        return [_program_summary(row) for row in self._execute("programs", parts={"only": ""})]

    # --- the web site's reads (webservice/) --------------------------------------------------------------------

    def program_details(self, key: str = "") -> dict[str, ProgramDetails]:
        """The stated facts of one program (``key``) or of every program (''), by key."""
        found = {}
        for (program_key, page_id, program_type, timezone, start, end, namespaces, description, institution,
             location, organizers, facilitators, scope, signup_open, signup_close) in self._execute(
                 "site_program_details", {"program_key": key}):  # fmt: skip
            found[str(program_key)] = ProgramDetails(
                key=str(program_key),
                page_id=int(page_id),
                program_type=ProgramType(program_type),
                timezone=str(timezone),
                window=(_parse_iso(start), _parse_iso(end)) if start and end else None,
                namespaces=_namespaces(str(namespaces)),
                description=str(description or ""),
                institution=str(institution or ""),
                location=str(location or ""),
                organizers=_lines(organizers),
                facilitators=_lines(facilitators),
                scope=_scope(str(scope)),
                signup_open=bool(signup_open),
                signup_close=str(signup_close or ""),
            )
        return found

    def counted_revisions(self, keys: Collection[str], offset: int, limit: int) -> list[LedgerRow]:
        """One page of the revisions these programs counted, newest first (each revision once). One program's
        revisions are distinct already (its key leads the primary key): without the DISTINCT, MariaDB sorts only
        the page it returns instead of copying all of a big program's ledger to a temporary table (0.75 s against
        0.13 s for 20,000 revisions)."""
        params = {"program_keys": tuple(sorted(keys)), "skip": int(offset), "max_rows": int(limit)}
        statement = "site_revisions_one" if len(set(keys)) == 1 else "site_revisions"
        return [
            LedgerRow(str(wiki), int(rev_id), str(username), int(namespace), str(title), _from_epoch(timestamp),
                      int(change), int(parent_id) == 0, bool(deleted))
            for wiki, rev_id, username, namespace, title, timestamp, change, parent_id, deleted in self._execute(
                statement, params)
        ]  # fmt: skip

    def day_wiki_counts(self, keys: Collection[str]) -> list[DayWikiCounts]:
        """Edits, articles edited, bytes and words added per local day and wiki, over what these programs counted."""
        return [
            DayWikiCounts(str(day), str(wiki), int(edits or 0), int(articles or 0), int(added or 0),
                          None if words is None else int(words))
            for day, wiki, edits, articles, added, words in self._execute(
                "site_day_wiki_counts", {"program_keys": tuple(sorted(keys))})
            if day is not None
        ]  # fmt: skip

    def programs_of_user(self, username: str) -> list[tuple[str, SignupStatus]]:
        """(program key, sign-up status) of every program this user signed up for."""
        return [
            (str(key), SignupStatus(status))
            for key, status in self._execute("site_user_programs", {"username": username})
        ]

    def participants(self, key: str, taken_at: str) -> list[tuple[str, int, int]]:
        """(name, edits, articles edited) per participant of one snapshot."""
        return [
            (name, counts.edits, counts.articles_edited)
            for name, counts, _views in self.snapshot_counts(key, taken_at, "participant")
        ]

    # One page of a program's big tabs (webservice/tabs.py), sorted and cut here rather than built in full: a
    # thousand participants or two thousand articles made into rows to show a hundred were most of a tab's time.

    def participant_page(
        self, key: str, taken_at: str, order: str | None, descending: bool, offset: int, limit: int
    ) -> list[tuple[str, SignupStatus, Counts]]:
        """(username, status, counts) of one page of a program's sign-ups, every status, with their counts in the
        snapshot taken at ``taken_at`` (zeros where it has none); sorted by ``order`` (one of
        SITE_PARTICIPANT_ORDERS) or, None, in sign-up order, which equal keys keep."""
        params = {"program_key": key, "taken_at": taken_at, "every": 1, "names": (), "skip": offset, "max_rows": limit}
        parts = {"order": _site_order(SITE_PARTICIPANT_ORDERS, order, descending)}
        return self._participant_rows(self._execute("site_participant_page", params, parts))

    def participants_named(
        self, key: str, taken_at: str, names: Collection[str]
    ) -> list[tuple[str, SignupStatus, Counts]]:
        """The rows of :meth:`participant_page` of these sign-ups, in sign-up order."""
        params = {"program_key": key, "taken_at": taken_at, "every": 0, "names": tuple(names), "skip": 0,
                  "max_rows": len(names)}  # fmt: skip
        return self._participant_rows(self._execute("site_participant_page", params, {"order": ""}))

    @staticmethod
    def _participant_rows(rows: list[tuple[Any, ...]]) -> list[tuple[str, SignupStatus, Counts]]:
        return [(str(row[0]), SignupStatus(row[1]), Counts(*(int(v) for v in row[2:12]))) for row in rows]

    def participant_names(self, key: str) -> list[str]:
        """A program's sign-ups' usernames (every status) in sign-up order."""
        return [str(name) for (name,) in self._execute("site_participant_names", {"program_key": key})]

    def participant_count(self, key: str) -> int:
        return int(self._execute("site_participant_count", {"program_key": key})[0][0])

    def article_page(
        self, key: str, taken_at: str, order: str | None, descending: bool, offset: int, limit: int,
        *, created_only: bool,
    ) -> list[tuple[str, Counts, int | None]]:  # fmt: skip
        """(value, counts, page views) of one page of one snapshot's articles (as :meth:`snapshot_counts` gives
        them), all or only those created; sorted by ``order`` (one of SITE_ARTICLE_ORDERS) or, None, in value
        order, which equal keys keep."""
        params = {"program_key": key, "taken_at": taken_at, "created_only": int(created_only), "every": 1,
                  "values": (), "skip": offset, "max_rows": limit}  # fmt: skip
        parts = {"order": _site_order(SITE_ARTICLE_ORDERS, order, descending)}
        return self._article_rows(self._execute("site_article_page", params, parts))

    def articles_valued(self, key: str, taken_at: str, values: Collection[str]) -> list[tuple[str, Counts, int | None]]:
        """The rows of :meth:`article_page` of these values, in value order."""
        params = {"program_key": key, "taken_at": taken_at, "created_only": 0, "every": 0, "values": tuple(values),
                  "skip": 0, "max_rows": len(values)}  # fmt: skip
        return self._article_rows(self._execute("site_article_page", params, {"order": ""}))

    @staticmethod
    def _article_rows(rows: list[tuple[Any, ...]]) -> list[tuple[str, Counts, int | None]]:
        return [(str(row[0]), Counts(*(int(v) for v in row[1:11])), row[11]) for row in rows]

    def article_values(self, key: str, taken_at: str, *, created_only: bool) -> list[str]:
        """One snapshot's articles' values (``wiki|namespace|title``) in value order, all or only those created."""
        params = {"program_key": key, "taken_at": taken_at, "created_only": int(created_only)}
        return [str(value) for (value,) in self._execute("site_article_values", params)]

    def article_count(self, key: str, taken_at: str, *, created_only: bool) -> tuple[int, bool]:
        """How many articles one snapshot has (all or only those created), and whether any has page views."""
        params = {"program_key": key, "taken_at": taken_at, "created_only": int(created_only)}
        [(rows, with_views)] = self._execute("site_article_count", params)
        return int(rows), int(with_views) > 0

    def upload_page(
        self, key: str, taken_at: str, uploader: str, offset: int, limit: int
    ) -> list[tuple[str, str, str, str, int]]:
        """One page of one snapshot's files (as :meth:`snapshot_uploads` gives them), newest first (then by wiki and
        file name, descending), all or one uploader's ('' for all)."""
        params = {"program_key": key, "taken_at": taken_at, "uploader": uploader, "skip": offset, "max_rows": limit}
        return [(str(w), str(f), str(u), str(t), int(n)) for w, f, u, t, n in self._execute("site_upload_page", params)]

    def upload_count(self, key: str, taken_at: str, uploader: str) -> int:
        params = {"program_key": key, "taken_at": taken_at, "uploader": uploader}
        return int(self._execute("site_upload_count", params)[0][0])

    def uploaders(self, key: str, taken_at: str) -> list[str]:
        """Who uploaded one snapshot's files, each once, in no particular order."""
        return [str(name) for (name,) in self._execute("site_uploaders", {"program_key": key, "taken_at": taken_at})]

    def program(self, key: str) -> ProgramSummary | None:
        """One program as :meth:`programs` lists it: a program's pages need only theirs, and reading every program
        on every page grew with the number of programs."""
        rows = self._execute("programs", {"program_key": key}, {"only": "WHERE s.program_key = :program_key"})
        return _program_summary(rows[0]) if rows else None


def _program_summary(row: tuple[Any, ...]) -> ProgramSummary:
    """A row of sql/store/programs.sql."""
    (key, wiki, title, checked_at, ok, messages, outcome, next_update, name, start, end, tracked, campaigns, private,
     taken_at, participants, edits, articles) = row  # fmt: skip
    return ProgramSummary(
        key=key,
        wiki=wiki,
        title=title,
        name=name or title,
        start=date.fromisoformat(start) if start else None,
        end=date.fromisoformat(end) if end else None,
        tracked_wikis=tuple(tracked.split(",")) if tracked else (),
        campaigns=tuple(campaigns.split("\n")) if campaigns else (),
        private=bool(private),
        checked_at=checked_at,
        ok=bool(ok),
        messages=_load_messages(messages),
        edit_outcome=next(iter(_load_messages(outcome)), None),
        next_update=next_update if next_update not in ("", FROZEN) else None,
        frozen=next_update == FROZEN,
        updated_at=taken_at,
        participants=participants,
        edits=edits,
        articles_edited=articles,
    )


def _site_order(orders: Mapping[str, tuple[str, bool]], column: str | None, descending: bool) -> str:
    """The ORDER BY head of a site page's statement: the column's expression (a KeyError for any column not on the
    list: nothing from a query string reaches SQL) in the direction asked, None sorting last either way."""
    if column is None:
        return ""
    expression, nullable = orders[column]
    return ("(" + expression + ") IS NULL, " if nullable else "") + f"{expression} {'DESC' if descending else 'ASC'},"


_COUNT_COLUMNS = tuple(f.name for f in fields(Counts))
SITE_PARTICIPANT_ORDERS: dict[str, tuple[str, bool]] = {
    "status": ("p.status", False),
    **{name: (f"COALESCE(c.{name}, 0)", False) for name in _COUNT_COLUMNS},
    "bytes_net": ("COALESCE(c.bytes_added - c.bytes_removed, 0)", False),
}
"""The participants tab's sort columns other than the name (sorted as text by the site): (expression over
sql/store/site_participant_page.sql, may be NULL)."""
SITE_ARTICLE_ORDERS: dict[str, tuple[str, bool]] = {
    "wiki": ("LOWER(SUBSTR(c.dimension_value, 1, INSTR(c.dimension_value, '|') - 1))", False),
    **{name: (f"c.{name}", False) for name in _COUNT_COLUMNS},
    "bytes_net": ("c.bytes_added - c.bytes_removed", False),
    "page_views": ("c.page_views", True),
}
"""The articles tab's sort columns other than the title (sorted as text by the site): (expression over
sql/store/site_article_page.sql, may be NULL). A wiki is a database name (ASCII), so LOWER sorts it as the site's
case-blind sort does."""


def _digest(value: Any) -> str:
    """SHA-256 of a value's canonical JSON: what was written, to tell an unchanged write without reading it back."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _dump_messages(messages: tuple[Message, ...]) -> str:
    return json.dumps([[m.key, *m.params] for m in messages], ensure_ascii=False)


def _load_messages(raw: str) -> tuple[Message, ...]:
    return tuple(Message(m[0], tuple(m[1:])) for m in json.loads(raw))


READ_COMMITTED = "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED"
"""Several workers write different programs' rows at once; under MariaDB's default REPEATABLE READ their deletes
and inserts take gap locks on shared index ranges and deadlock each other (seen with two workers). Every unit here
reads only rows it writes, so READ COMMITTED loses nothing. Run at every (re)connect, as init_command."""


LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})
"""Hosts whose connections never leave this machine (the dev and test MariaDB)."""


def _mysql_connect(config: StateConfig) -> Any:
    if config.engine == "toolsdb":
        # ToolsDB database names start with the tool's credential user: s12345__pebot.
        connection = toolforge.toolsdb(f"{_toolsdb_user()}__{config.database}", init_command=READ_COMMITTED)
        connection.autocommit(True)
        return connection
    host = config.host or "127.0.0.1"
    return pymysql.connect(
        host=host,
        port=config.port,
        database=config.database,
        read_default_file=str(config.credentials) if config.credentials else None,
        user=None if config.credentials else "root",
        autocommit=True,
        init_command=READ_COMMITTED,
        # PyMySQL otherwise builds an SSL context (loading the CA bundle) for every connection to try TLS: most of
        # a small page's time. On the loopback interface TLS protects nothing; any other host keeps it.
        ssl_disabled=True if host in LOOPBACK_HOSTS else None,
    )


def _toolsdb_user() -> str:
    if user := os.environ.get("TOOL_TOOLSDB_USER"):
        return user
    parser = configparser.ConfigParser()
    parser.read(os.path.expanduser("~/replica.my.cnf"))
    return parser.get("client", "user").strip("'\"")
