"""The update queue: which program is counted next, and by which worker.

Every program the bot knows has a row in the state DB's ``update_queue``, due at its tier's next update. Planning
(each tick, after reading which pages hold ``{{Program}}``) brings a program whose page changed to the front, and
queues a program not in the queue when its tier says it is due (bot/tiers.py). Workers take due programs one at a
time (``Store.claim``: row locks, ``FOR UPDATE SKIP LOCKED`` on MariaDB) and hold each with a lease that a keeper
thread renews while the update runs; when it ends, the program goes back in the queue due at its tier's next update
(what the site and the outcome show), or leaves it once frozen. So any number of worker processes (Toolforge
continuous job replicas) share the work without two of them ever updating one program at once, and a worker killed
mid-update leaves its program to the others once its lease has passed. A manual refresh (the site) queues a
program first in line, coalesced with a run already due.

Of the programs due on schedule, a worker takes those it finished last first (``update_queue.last_owner``), then the
others' in due order (a changed page or a refresh still comes first, whoever finished it): the process that wrote a
program's ledger remembers it and updates it without reading it back (bot/ledger.py: a cycle of 1,000 programs with
nothing new took 7.7 s so, 26.6 s "cold", bench/README.md), and two replicas taking programs in due order alone would
make about half the updates cold. A stopped worker's programs are taken by the others once their own are done; a new
process owns none and takes what is due.
"""

from __future__ import annotations

import functools
import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.config import Settings
from bot.store import QUEUE_CHANGED, QUEUE_SCHEDULED, QueueEntry, Store
from bot.tiers import due

log = logging.getLogger(__name__)


@functools.cache
def worker_name() -> str:
    """This process, as lease owner: host, pid and a random part (a restarted pod may reuse both). One name for the
    process's life: it is also the owner a worker takes its own programs back by (``Store.claim``), those whose
    ledgers this process remembers."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def plan(
    store: Store, settings: Settings, *, key: str, wiki: str, page_id: int, page_revid: int, now: datetime
) -> bool:
    """Queue the program, or bring it forward, when it is due now; whether it is.

    A program already queued keeps the time its last run set (its tier's next update), unless its page changed
    since: then it goes first. Only a program not in the queue asks its tier (bot/tiers.py) whether it is due: a
    new one, one frozen whose page changed, one whose run never ended. So two planners (two job replicas) queue
    each program once per its tier's interval, not once each."""
    schedule = store.schedule(key)
    entry = store.queue_entry(key)
    if entry is None:
        if not due(schedule, page_revid, now, settings):
            return False
        # Never counted, or changed since: the organizers are waiting for it.
        first = schedule is None or page_revid > schedule.last_revid
        # (Another planner may have queued it and a worker taken it meanwhile: the page revision tells that run
        # whether this asks for anything it has not seen.)
        store.enqueue(key, wiki, page_id, now, QUEUE_CHANGED if first else QUEUE_SCHEDULED, now, page_revid)
        return True
    # Revision ids only grow: a page listed before another worker saved it shows an older id, which is no change;
    # and a program never counted yet is queued already (another worker may be counting it right now).
    if schedule is not None and page_revid > schedule.last_revid:
        store.enqueue(key, wiki, page_id, now, QUEUE_CHANGED, now, page_revid)
        return True
    return entry.due_at <= now


class LeaseKeeper:
    """Renews the lease of the program a worker is updating, on its own connection (a long first count must not
    lose its program to another worker), until stopped. A killed process takes its keeper with it."""

    def __init__(self, settings: Settings, owner: str, clock: Callable[[], datetime]) -> None:
        self._settings, self._owner, self._clock = settings, owner, clock
        self.lease = timedelta(minutes=settings.lease_minutes)
        self.current: str | None = None
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="lease-keeper", daemon=True)

    def __enter__(self) -> LeaseKeeper:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stopped.set()
        self._thread.join(timeout=30)

    def _run(self) -> None:
        store: Store | None = None
        try:
            while not self._stopped.wait(self.lease.total_seconds() / 3):
                key = self.current
                if key is None:
                    continue
                store = store or Store.open(self._settings.state, migrate=False)
                store.renew_lease(key, self._owner, self._clock() + self.lease)
        except Exception:  # the lease then simply runs out: another worker may take the program, which is safe
            log.exception("renewing the lease of %s failed", self.current)
        finally:
            if store is not None:
                store.close()


@dataclass(frozen=True)
class Drained:
    """What a drain did: how many programs it ran, and whether some that it updated are due again already (it
    stopped only because it takes each program once: the worker should plan and drain again at once, not sleep to
    its next tick)."""

    ran: int
    due_again: bool


def drain(
    store: Store,
    settings: Settings,
    *,
    wikis: Collection[str],
    owner: str,
    clock: Callable[[], datetime],
    update: Callable[[QueueEntry, datetime], tuple[bool, datetime | None] | None],
) -> Drained:
    """Take due programs of ``wikis`` until none is left; ``update(entry, now)`` counts one and says (ok, next
    due time or None once frozen), or None when the program is gone (it leaves the queue). Each program is taken
    at most once per drain, so one that fails is retried at the next tick, not in a loop.

    When the drain ends, it says whether a program it updated well (neither failed nor asked to be due again at
    once, which waits for the next tick) is due again already: with more programs than the workers get through in
    one interval, every due program has been taken once long before the tick ends, and the caller starts the next
    tick at once (reading the pages again, so a changed page is seen) instead of sleeping while programs wait. A
    program due again is claimed like any other (lease, ``SKIP LOCKED``): never two updates of one at once."""
    done: set[str] = set()
    updated: set[str] = set()
    with LeaseKeeper(settings, owner, clock) as keeper:
        while (entry := store.claim(owner, clock(), keeper.lease, wikis, exclude=done)) is not None:
            done.add(entry.key)
            keeper.current = entry.key
            started = clock()
            try:
                outcome = update(entry, started)
            finally:
                keeper.current = None
            if outcome is None:
                store.forget_queued(entry.key)
                continue
            ok, next_due = outcome
            store.finish(entry.key, owner, started_at=started, now=clock(), ok=ok, due_at=next_due)
            if ok and next_due is not None and next_due > started:
                updated.add(entry.key)
    return Drained(len(done), bool(updated) and store.due_count(updated, clock()) > 0)
