"""The continuous Toolforge job: APScheduler runs one update at start and then every configured interval.

A continuous job (rather than a cron-scheduled one) lets the web site show the real time of the next update and
never starts a second update while one is still running (``max_instances=1``, ``coalesce``).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from apscheduler.schedulers.blocking import BlockingScheduler

from bot.clock import utcnow
from bot.config import Settings
from bot.store import Store
from bot.update import run_update

log = logging.getLogger(__name__)


def run_forever(settings: Settings, store: Store) -> None:
    scheduler = BlockingScheduler(timezone="UTC")

    def job() -> None:
        results = run_update(settings, store, utcnow())
        log.info("update done: %d program(s)", len(results))

    scheduler.add_job(
        job,
        "interval",
        minutes=settings.update_interval_minutes,
        next_run_time=datetime.now().astimezone() + timedelta(seconds=1),
        max_instances=1,
        coalesce=True,
    )
    scheduler.start()
