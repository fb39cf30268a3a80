"""The facts one tracked wiki contributes to a program's numbers, read from Wiki Replicas (sql/stats/*.sql).

One statement per wiki and fact family for all participants, never one per participant: revisions on existing
pages, revisions on deleted pages (the archive), users (registration, latest edit) and uploads with their usage.
Names become actor ids once (``actors``); every family then ranges over the ``*_actor_timestamp`` indexes of the
``_userindex`` views. To stay well inside the statement time limit (Replica.query's max_statement_time, the
replicas' query killer), long participant lists are cut into batches below MariaDB's IN-to-semi-join threshold and
long windows into slices; a typical program (≤ 500 participants, ≤ 3 months) still needs one statement per family.

:class:`FactRequest` and :class:`WikiFacts` are the contract both backends share (bot/facts_api.py reads the same
facts from the Action API).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from bot.metrics import USING_PAGES_KEPT, RevisionFact, UploadFact, UserFact, UsingPage
from bot.replica import Replica

ACTOR_BATCH = 500
"""Actor ids per statement: below in_predicate_conversion_threshold (1000), so the IN list stays a range list over
(actor, timestamp) instead of becoming a semi-join the optimizer may turn into a scan."""
WINDOW_SLICE = timedelta(days=92)
"""Longest window slice per statement: bounds the revisions one statement reads for very long programs."""
FILE_BATCH = 500
"""File names per usage statement."""


@dataclass(frozen=True)
class FactRequest:
    """What both backends are asked for one tracked wiki: whose facts, in which window, in which namespaces."""

    usernames: tuple[str, ...]
    """Confirmed participants, as MediaWiki spells the names (actor_name: first letter upper case, spaces)."""
    window: tuple[datetime, datetime]
    """Aware UTC datetimes, start inclusive, end exclusive (metrics.md, "Window")."""
    namespaces: tuple[int, ...]
    bot_username: str
    """The bot's own account: never counted, even if someone signed it up."""

    @property
    def participants(self) -> tuple[str, ...]:
        """The names to look up: without the bot and duplicates, sorted (stable batches, stable requests)."""
        return tuple(sorted({name for name in self.usernames if name and name != self.bot_username}))


@dataclass(frozen=True)
class WikiFacts:
    """Everything one tracked wiki contributes to aggregate()."""

    wiki: str
    revisions: tuple[RevisionFact, ...]
    deleted: tuple[RevisionFact, ...] | None
    """Revisions on since-deleted pages; None when this backend cannot see them (the API without deletedhistory)."""
    users: tuple[UserFact, ...]
    uploads: tuple[UploadFact, ...]
    """Only on a file wiki (WikiConfig.kind == "files"); empty elsewhere."""

    @property
    def all_revisions(self) -> tuple[RevisionFact, ...]:
        return self.revisions + (self.deleted or ())


def mw_timestamp(moment: datetime) -> bytes:
    """MediaWiki's binary timestamp (YYYYMMDDHHMMSS, UTC) for a bound parameter."""
    return moment.astimezone(UTC).strftime("%Y%m%d%H%M%S").encode()


def from_mw_timestamp(value: bytes | str) -> datetime:
    """A MediaWiki timestamp (YYYYMMDDHHMMSS, UTC) as an aware datetime, cut by slicing, the day looked up in
    ``_DAYS``: ``strptime`` was half the cost of turning replica rows into facts (bench/README.md). Anything else
    than 14 digits of a real moment raises ValueError, as ``strptime`` did."""
    raw = value.encode() if isinstance(value, str) else value
    if len(raw) != 14 or not raw.isdigit():
        raise ValueError(f"not a MediaWiki timestamp: {raw!r}")
    day = _DAYS.get(raw[:8])
    if day is None:
        try:
            day = _DAYS[raw[:8]] = datetime(int(raw[:4]), int(raw[4:6]), int(raw[6:8]), tzinfo=UTC)
        except ValueError:
            raise ValueError(f"not a MediaWiki timestamp: {raw!r}") from None
    hours, minutes, seconds = int(raw[8:10]), int(raw[10:12]), int(raw[12:14])
    if hours > 23 or minutes > 59 or seconds > 59:
        raise ValueError(f"not a MediaWiki timestamp: {raw!r}")
    return day + timedelta(hours=hours, minutes=minutes, seconds=seconds)


_DAYS: dict[bytes, datetime] = {}
"""Midnight UTC of each day seen (a program's revisions fall on few days; a day is 8 bytes and one datetime)."""


def text(value: bytes | str) -> str:
    """Titles and names are binary columns on the replicas: pymysql returns bytes."""
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def batches(values: Sequence[int], size: int = ACTOR_BATCH) -> Iterator[tuple[int, ...]]:
    for start in range(0, len(values), size):
        yield tuple(values[start : start + size])


def slices(window: tuple[datetime, datetime], longest: timedelta = WINDOW_SLICE) -> Iterator[tuple[bytes, bytes]]:
    """The window as consecutive [start, end) pieces of at most ``longest``, as MediaWiki timestamps."""
    start, end = window
    while start < end:
        piece_end = min(start + longest, end)
        yield mw_timestamp(start), mw_timestamp(piece_end)
        start = piece_end


def sizes(size: int | None, parent_found: bool, parent_len: int | None) -> tuple[int, int]:
    """(size, parent size) for a revision. A creation's parent size is 0; so is a parent that cannot be found.

    A length the replicas mask (content hidden, rev_deleted & 1) is unknown: the revision then counts with no byte
    change (size = parent size), rather than as if the page had been blanked or created from nothing.
    """
    parent_size = (parent_len if parent_len is not None else size or 0) if parent_found else 0
    return (size if size is not None else parent_size), parent_size


def actors(replica: Replica, request: FactRequest) -> dict[int, str]:
    """actor_id -> name of the participants that are accounts on this wiki (unknown names are simply absent)."""
    names = request.participants
    found: dict[int, str] = {}
    for start in range(0, len(names), ACTOR_BATCH):
        for actor_id, name in replica.query("stats/actors", {"usernames": names[start : start + ACTOR_BATCH]}):
            found[int(actor_id)] = text(name)
    return found


def _each(
    replica: Replica, name: str, ids: dict[int, str], window: tuple[datetime, datetime], **params: object
) -> Iterator[tuple[object, ...]]:
    """Rows of a per-actor, per-window statement over every batch of actors and every slice of the window."""
    if not ids:
        return
    for batch in batches(sorted(ids)):
        for start, end in slices(window):
            yield from replica.query(name, {"actors": batch, "start": start, "end": end, **params})


def revisions(replica: Replica, ids: dict[int, str], request: FactRequest) -> list[RevisionFact]:
    """Family (a): revisions in the window on pages that exist now, with the page's current namespace and title."""
    if not request.namespaces:
        return []
    rows = _each(replica, "stats/revisions", ids, request.window, namespaces=request.namespaces)
    return _revisions(replica.wiki.name, ids, rows, deleted=False)


def deleted_revisions(replica: Replica, ids: dict[int, str], request: FactRequest) -> list[RevisionFact]:
    """Family (b): revisions in the window on pages deleted since, under the title they had when deleted."""
    if not request.namespaces:
        return []
    rows = _each(replica, "stats/deleted_revisions", ids, request.window, namespaces=request.namespaces)
    return _revisions(replica.wiki.name, ids, rows, deleted=True)


def reread(
    replica: Replica,
    ids: dict[int, str],
    request: FactRequest,
    *,
    pages: Sequence[int] = (),
    revs: Sequence[int] = (),
    titles: Sequence[tuple[int, str]] = (),
) -> list[RevisionFact]:
    """Families (a) and (b) again for a ledger update (bot/ledger.py), for only the revisions an event may have
    changed: live ones on these pages or with these ids, archived ones with these ids or under these titles. Each
    kind has its own statement driven by its own index (stats/*_by_*.sql), so an update never ranges over the
    participants' whole window; each statement reads every author's rows for a batch of at most ACTOR_BATCH values
    and the participants' are kept here, so a long participant list does not repeat it per batch of actors."""
    if not ids or not request.namespaces:
        return []
    start, end = (mw_timestamp(moment) for moment in request.window)
    kinds: tuple[tuple[str, str, Sequence[object], bool], ...] = (
        ("stats/revisions_by_page", "pages", sorted(pages), False),
        ("stats/revisions_by_id", "revs", sorted(revs), False),
        ("stats/deleted_revisions_by_id", "revs", sorted(revs), True),
        ("stats/deleted_revisions_by_title", "titles", sorted(titles), True),
    )
    found: list[RevisionFact] = []
    for name, kind, values, deleted in kinds:
        for chunk in range(0, len(values), ACTOR_BATCH):
            params = {
                "start": start,
                "end": end,
                "namespaces": request.namespaces,
                kind: tuple(values[chunk : chunk + ACTOR_BATCH]),
            }
            rows = replica.query(name, params)
            mine = (row for row in rows if _int(row[1]) in ids)
            found.extend(_revisions(replica.wiki.name, ids, mine, deleted=deleted))
    return found


def _revisions(
    wiki: str, ids: dict[int, str], rows: Iterable[tuple[object, ...]], *, deleted: bool
) -> list[RevisionFact]:
    """Rows of revisions.sql or deleted_revisions.sql (the same columns) as facts, in one loop: a recount makes
    hundreds of thousands, and a helper call per column was a third of their time (bench/README.md). Integer
    columns come as int (Decimal for some expressions over unsigned ones), which ``int`` takes as they are; each
    distinct title is decoded once (a busy page's revisions repeat it)."""
    titles: dict[object, str] = {}
    facts = []
    for rev_id, actor, page_id, namespace, title, timestamp, size, parent_id, found, parent_len in rows:
        name = titles.get(title)
        if name is None:
            name = titles[title] = text(_bytes(title))
        size_now, parent_size = sizes(
            None if size is None else _int(size), bool(found), None if parent_len is None else _int(parent_len)
        )
        facts.append(
            RevisionFact(
                wiki,
                _int(rev_id),
                ids[_int(actor)],
                _int(page_id),
                _int(namespace),
                name,
                from_mw_timestamp(_bytes(timestamp)),
                size_now,
                parent_size,
                0 if parent_id is None else _int(parent_id),  # ar_parent_id is NULL in rows from before MediaWiki 1.5
                deleted,
            )
        )
    return facts


def users(replica: Replica, ids: dict[int, str], request: FactRequest) -> list[UserFact]:
    """Family (c): registration (None for accounts older than its recording) and latest edit in the namespaces."""
    if not ids or not request.namespaces:
        return []
    facts = []
    for batch in batches(sorted(ids)):
        rows = replica.query("stats/users", {"actors": batch, "namespaces": request.namespaces})
        for actor, registration, last_edit in rows:
            facts.append(
                UserFact(
                    wiki=replica.wiki.name,
                    username=ids[_int(actor)],
                    registration=from_mw_timestamp(_bytes(registration)) if registration else None,
                    last_edit=from_mw_timestamp(_bytes(last_edit)) if last_edit else None,
                )
            )
    return facts


def uploads(replica: Replica, ids: dict[int, str], request: FactRequest) -> list[UploadFact]:
    """Family (d): first uploads in the window on a file wiki, each with its main-namespace usage on any wiki."""
    found = [
        (_int(actor), text(_bytes(title)), from_mw_timestamp(_bytes(timestamp)))
        for _log_id, actor, title, timestamp in _each(replica, "stats/uploads", ids, request.window)
    ]
    usage = upload_usage(replica, sorted({title for _actor, title, _when in found}))
    return [
        UploadFact(wiki=replica.wiki.name, username=ids[actor], file=title, timestamp=when,
                   usage=usage[title][0] if title in usage else 0, pages=usage[title][1] if title in usage else ())
        for actor, title, when in found
    ]  # fmt: skip


def upload_usage(replica: Replica, files: Sequence[str]) -> dict[str, tuple[int, tuple[UsingPage, ...]]]:
    """File name -> (number of (wiki, page) main-namespace uses, the first ``USING_PAGES_KEPT`` of those pages), from
    globalimagelinks on the file wiki's link tables; an unused file is left out."""
    usage: dict[str, tuple[int, list[UsingPage]]] = {}
    for start in range(0, len(files), FILE_BATCH):
        batch = {"files": tuple(files[start : start + FILE_BATCH]), "per_file": USING_PAGES_KEPT}
        for name, page_wiki, page_title, uses in replica.links().query("stats/upload_usage", batch):
            found = usage.setdefault(text(_bytes(name)), (_int(uses), []))
            found[1].append(UsingPage(text(_bytes(page_wiki)), text(_bytes(page_title))))
    return {name: (uses, tuple(pages)) for name, (uses, pages) in usage.items()}


def wiki_facts(replica: Replica, request: FactRequest) -> WikiFacts:
    """Every fact family of one tracked wiki: four statements for a typical program (six on a file wiki)."""
    ids = actors(replica, request)
    return WikiFacts(
        wiki=replica.wiki.name,
        revisions=tuple(revisions(replica, ids, request)),
        deleted=tuple(deleted_revisions(replica, ids, request)),
        users=tuple(users(replica, ids, request)),
        uploads=tuple(uploads(replica, ids, request)) if replica.wiki.kind == "files" else (),
    )


def _int(value: object) -> int:
    """An integer column; MariaDB sends some expressions over unsigned columns as DECIMAL."""
    if isinstance(value, (int, str, bytes, Decimal)):
        return int(value)
    raise TypeError(f"expected an integer column, got {value!r}")


def _opt_int(value: object) -> int | None:
    return None if value is None else _int(value)


def _bytes(value: object) -> bytes | str:
    if isinstance(value, (bytes, str)):
        return value
    raise TypeError(f"expected a binary column, got {value!r}")
