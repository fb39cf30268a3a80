"""The one way the bot reads Wiki Replicas: connections per wiki and SQL statements kept as files in ``sql/``.

On Toolforge the ``toolforge`` library picks the host and ~/replica.my.cnf; locally a host/port with
``<dbname>_p`` views built by scripts/replica-views stands in, so the very same SQL runs in both places.
"""

from __future__ import annotations

import contextlib
from array import array
from collections.abc import Mapping, Sequence
from dataclasses import replace
from functools import cache
from typing import Any

import pymysql
import toolforge

from bot.config import PROJECT_ROOT, Settings, WikiConfig

SQL_DIR = PROJECT_ROOT / "sql"
# Connection lost / server gone away: worth one reconnect, the query is read-only.
_RETRYABLE_ERRORS = {2006, 2013, 2003}


@cache
def sql_text(name: str) -> str:
    """The statement stored in ``sql/<name>.sql``, without its comment lines; a line ``@include <name>`` stands for
    that file's text (the part several statements share, e.g. the columns of a revision's facts, written once)."""
    text = (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")
    lines = []
    for line in text.splitlines():
        if line.startswith("@include "):
            lines.append(sql_text(line.removeprefix("@include ").strip()))
        elif not line.lstrip().startswith("--"):
            lines.append(line)
    return "\n".join(lines).strip()


REPLICA_CLUSTER = "analytics"


class Replica:
    """A lazily opened, reconnecting connection to one wiki's replica database."""

    def __init__(self, wiki: WikiConfig, settings: Settings) -> None:
        self.wiki = wiki
        self._settings = settings
        self._connection: pymysql.connections.Connection[Any] | None = None
        self._links: Replica | None = None

    def links(self) -> Replica:
        """Where the wiki's link tables are (categorylinks, templatelinks, linktarget, globalimagelinks...): this
        replica, or a second one when they live apart (Commons, T398709). Statements on link tables run here and
        never join page or revision, so they work either way."""
        dbname = self.wiki.replica.links_dbname
        if dbname is None:
            return self
        if self._links is None:
            separate = replace(self.wiki.replica, dbname=dbname, links_dbname=None)
            self._links = Replica(replace(self.wiki, replica=separate), self._settings)
        return self._links

    def _connect(self) -> pymysql.connections.Connection[Any]:
        replica = self.wiki.replica
        if replica.toolforge:
            # The analytics cluster: batch work (a whole program's window) may run for long, where the web
            # cluster kills queries after 300 s (Wikitech, Wiki Replicas); the bot serves no interactive request.
            connection = toolforge.connect(replica.dbname, cluster=REPLICA_CLUSTER, charset="utf8mb4")
            # Each statement must see the replica as it is now: without autocommit the first SELECT opens a
            # transaction whose REPEATABLE READ snapshot every later statement on the connection would still see.
            connection.autocommit(True)
            return connection
        return pymysql.connect(
            host=replica.host or "127.0.0.1",
            port=replica.port,
            database=f"{replica.dbname}_p",
            read_default_file=str(self._settings.replica_credentials or ""),
            charset="utf8mb4",
            autocommit=True,  # as above
        )

    def query(self, name: str, params: Mapping[str, Any]) -> Sequence[tuple[Any, ...]]:
        """Run ``sql/<name>.sql`` with bound parameters, bounded by the configured statement time limit.

        Wiki Replicas kill long queries without telling why; our own limit fails fast with a clear error. A list
        (tuple or list) stands for ``IN (...)``: see :func:`_int_lists` for how a list of integers is sent.
        """
        text, bound = _int_lists(sql_text(name), params)
        statement = f"SET STATEMENT max_statement_time={self._settings.statement_timeout_seconds} FOR {text}"
        for attempt in (1, 2):
            if self._connection is None:
                self._connection = self._connect()
            try:
                with self._connection.cursor() as cursor:
                    cursor.execute(statement, bound)
                    return tuple(cursor.fetchall())
            except pymysql.OperationalError as error:
                self.close()
                if attempt == 2 or error.args[0] not in _RETRYABLE_ERRORS:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self._links is not None:
            self._links.close()
        if self._connection is not None:
            with contextlib.suppress(pymysql.Error):
                self._connection.close()
            self._connection = None


def _int_lists(statement: str, params: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    """The statement with each list of integers among ``params`` written into it as ``(1,2,3)``, and the other
    parameters, which pymysql escapes.

    pymysql escapes a list one value at a time in Python (a method call and a type dispatch each): 15 ms of the
    ledger's 80 ms page_touched check of 31,960 pages (10,000 people over 30 days on the bench's bed). A list
    whose every value array("q") takes (integers, checked in C: text, floats and anything else make it a list for
    pymysql) is written by one join instead; its text is digits, signs and commas only, so it can neither quote
    nor hold a ``%`` that pymysql's formatting would read.
    """
    bound: dict[str, Any] = {}
    for key, value in params.items():
        if isinstance(value, tuple | list) and value:
            try:
                ints = array("q", value)
            except (TypeError, OverflowError):
                bound[key] = value
                continue
            statement = statement.replace(f"%({key})s", "(" + ",".join(map(str, ints)) + ")")
        else:
            bound[key] = value
    return statement, bound
