"""The continuous Toolforge job: APScheduler runs one tick at start and then every ``tick_seconds``; each tick
queues what is due and works the queue (bot/queue.py), so a changed page or a refresh waits at most a tick, while
each program is counted only as often as its tier says. A tick whose drain took every due program once while some
of those it updated are due again already (more programs than the workers get through in one interval) is followed
at once by the next, not at the next point of the grid.

A continuous job (rather than a cron-scheduled one) lets the web site show the real time of the next update and
never starts a second update while one is still running (``max_instances=1``, ``coalesce``). A cycle that fails on
infrastructure (no wiki readable, the state database gone) is retried at the next interval; after
``max_failed_cycles`` such cycles in a row the process ends non-zero, so Toolforge restarts it fresh (new
connections, new logins) and its failure e-mail reaches the maintainers. Its heartbeat in the store (at start, per
program, per cycle) is what the job's health check reads (``python -m bot healthcheck``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from apscheduler.schedulers.blocking import BlockingScheduler

from bot.clock import utcnow
from bot.config import Settings
from bot.health import JOB
from bot.queue import Drained
from bot.store import Store
from bot.update import run_update

log = logging.getLogger(__name__)


@dataclass
class FailureCount:
    """Consecutive cycles that failed on infrastructure; any good cycle resets it."""

    limit: int
    in_a_row: int = 0

    def cycle(self, update: Callable[[], object]) -> bool:
        """Run one cycle; whether the job should go on."""
        try:
            update()
        except Exception:
            self.in_a_row += 1
            log.exception("update cycle failed (%d in a row, limit %d)", self.in_a_row, self.limit)
            return self.in_a_row < self.limit
        self.in_a_row = 0
        return True


def run_forever(settings: Settings, store: Store) -> int:
    """Update until stopped; the exit status is non-zero when the job gave up after repeated failures."""
    scheduler = BlockingScheduler(timezone="UTC")
    failures = FailureCount(settings.max_failed_cycles)

    def beat(state: str) -> None:
        try:
            store.beat(JOB, utcnow(), state)
        except Exception:  # a heartbeat lost is only a heartbeat; the health check will say so if it lasts
            log.exception("could not record the heartbeat")

    beat("started")

    def job() -> None:
        drained: list[Drained] = []

        def update() -> None:
            drained.clear()
            beat("cycle started")
            results = run_update(settings, store, utcnow(), on_progress=beat, clock=utcnow, on_drained=drained.append)
            beat(f"cycle done: {len(results)} program(s)")
            log.info("update done: %d program(s)", len(results))

        again = True
        while again:
            if not failures.cycle(update):
                log.error("giving up after %d failed cycles in a row; exiting for a restart", failures.in_a_row)
                scheduler.shutdown(wait=False)
                return
            # Programs this tick updated are due again already (more programs than one interval's worth): the next
            # tick starts now rather than at the next point of the grid, while they wait (bot/queue.py drain).
            again = any(d.due_again for d in drained)
            if again:
                log.info("programs updated in this tick are due again: next tick at once")

    scheduler.add_job(
        job,
        "interval",
        seconds=settings.tick_seconds,
        next_run_time=datetime.now().astimezone() + timedelta(seconds=1),
        max_instances=1,
        coalesce=True,
    )
    scheduler.start()
    return 1 if failures.in_a_row >= failures.limit else 0
