"""Update tiers: how often a program is counted again, from where it is in its life.

A program on now (from a day before its window to a day after it) is counted at every tick of the job
(``update_interval_minutes``); one that has not started yet, or that ended but still has retention checks ahead, every
``ended_update_minutes``; once the longest retention check has passed it gets one final update and is frozen.
Whatever the tier, a program whose page changed since the bot last read it (an edit, a sign-up) is due at once, and
so is one whose last update failed. The next update's real time is what the site and the outcome show.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.config import Settings

MARGIN = timedelta(days=1)
"""Edits land on the wikis' replicas with some lag, and organizers fix pages around the dates: a day of slack."""


class Tier(StrEnum):
    ACTIVE = "active"
    UPCOMING = "upcoming"
    ENDED = "ended"
    FROZEN = "frozen"


@dataclass(frozen=True)
class Schedule:
    """What the store remembers of a program's last update, for deciding the next one."""

    checked_at: datetime | None
    ok: bool
    window: tuple[datetime, datetime] | None
    last_revid: int
    """The latest revision of the page the bot knows: read by its trust fold, or saved by itself."""


def freeze_at(window_end: datetime, settings: Settings) -> datetime:
    return window_end + timedelta(days=max(settings.retention_days, default=0)) + MARGIN


def tier(window: tuple[datetime, datetime], now: datetime, settings: Settings) -> Tier:
    start, end = window
    if now < start - MARGIN:
        return Tier.UPCOMING
    if now < end + MARGIN:
        return Tier.ACTIVE
    if now < freeze_at(end, settings):
        return Tier.ENDED
    return Tier.FROZEN


def due(schedule: Schedule | None, page_revid: int, now: datetime, settings: Settings) -> bool:
    """Whether to count the program in this run."""
    if schedule is None or schedule.checked_at is None or schedule.window is None or not schedule.ok:
        return True
    if page_revid > schedule.last_revid:
        return True
    current = tier(schedule.window, now, settings)
    if current is Tier.ACTIVE:
        return True
    if current is Tier.FROZEN:
        return schedule.checked_at < freeze_at(schedule.window[1], settings)  # the final update, once
    return now - schedule.checked_at >= timedelta(minutes=settings.ended_update_minutes)


def next_update(window: tuple[datetime, datetime], now: datetime, settings: Settings) -> datetime | None:
    """When the job will count the program again unless its page changes first; None once it is frozen."""
    current = tier(window, now, settings)
    if current is Tier.ACTIVE:
        return now + timedelta(minutes=settings.update_interval_minutes)
    if current is Tier.FROZEN:
        return None
    later = now + timedelta(minutes=max(settings.ended_update_minutes, settings.update_interval_minutes))
    if current is Tier.ENDED:
        return min(later, max(freeze_at(window[1], settings), now))
    return min(later, window[0] - MARGIN) if window[0] - MARGIN > now else later
