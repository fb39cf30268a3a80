"""Update tiers with explicit times: programs on now are counted at every tick, those not started or recently
ended at the slower pace, frozen ones once more and then only when their page changes; on the dev wiki, a frozen
program is not counted again until it is edited, and the site shows each program's real next update."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot.clock import utcnow
from bot.config import Settings, load_settings
from bot.store import Store
from bot.templates import install_templates
from bot.tiers import Schedule, Tier, due, next_update, tier
from bot.update import run_update
from devtools.wikiuser import WikiUser

SETTINGS = replace(load_settings(), update_interval_minutes=5, ended_update_minutes=60, retention_days=(7, 30))
START, END = datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 3, 8, tzinfo=UTC)
WINDOW = (START, END)


def at(day: int, hour: int = 12, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (at(20, month=2), Tier.UPCOMING),
        (at(28, 1, month=2), Tier.ACTIVE),  # a day of slack before the start
        (at(5), Tier.ACTIVE),
        (at(8, 23), Tier.ACTIVE),  # and after the end
        (at(9, 1), Tier.ENDED),
        (at(7, 23, month=4), Tier.ENDED),  # end (8 March 00:00) + 30 days of retention + 1 day = 8 April 00:00
        (at(8, 1, month=4), Tier.FROZEN),
    ],
)
def test_tier_follows_the_programs_life(now: datetime, expected: Tier) -> None:
    assert tier(WINDOW, now, SETTINGS) is expected


def schedule(checked: datetime, revid: int = 7, ok: bool = True) -> Schedule:
    return Schedule(checked, ok, WINDOW, revid)


def test_due_by_tier_and_by_change() -> None:
    assert due(None, 7, at(5), SETTINGS)  # never counted
    assert due(schedule(at(5, 11)), 7, at(5, 11), SETTINGS)  # active: every tick
    ended = at(20)
    assert not due(schedule(ended - timedelta(minutes=59)), 7, ended, SETTINGS)
    assert due(schedule(ended - timedelta(minutes=60)), 7, ended, SETTINGS)
    assert due(schedule(ended - timedelta(minutes=1)), 8, ended, SETTINGS)  # the page changed
    assert due(schedule(ended - timedelta(minutes=1), ok=False), 7, ended, SETTINGS)  # the last try failed
    frozen = at(20, month=4)
    assert due(schedule(at(1, month=4)), 7, frozen, SETTINGS)  # the final update, after the last retention check
    assert not due(schedule(at(10, month=4)), 7, frozen, SETTINGS)
    assert due(schedule(at(10, month=4)), 9, frozen, SETTINGS)  # re-opened by an edit of its page


def test_next_update_is_the_real_time_of_the_tier() -> None:
    assert next_update(WINDOW, at(5), SETTINGS) == at(5) + timedelta(minutes=5)
    assert next_update(WINDOW, at(20), SETTINGS) == at(20) + timedelta(minutes=60)
    assert next_update(WINDOW, datetime(2026, 4, 7, 23, 30, tzinfo=UTC), SETTINGS) == datetime(
        2026, 4, 8, tzinfo=UTC
    )  # the freeze comes before the slow pace's next tick
    assert next_update(WINDOW, at(20, month=4), SETTINGS) is None
    upcoming = datetime(2026, 2, 27, 12, tzinfo=UTC)
    assert next_update(WINDOW, upcoming, SETTINGS) == upcoming + timedelta(minutes=60)  # the slow pace...
    almost = datetime(2026, 2, 27, 23, 30, tzinfo=UTC)
    assert next_update(WINDOW, almost, SETTINGS) == datetime(2026, 2, 28, tzinfo=UTC)  # ...until it becomes active


@pytest.mark.usefixtures("fresh_wikis")
def test_a_frozen_program_is_counted_again_only_when_its_page_changes(settings: Settings, store: Store) -> None:
    install_templates(settings, settings.wiki("devwiki"))
    alice = WikiUser.on("devwiki", "Alice")
    today = utcnow().date()
    alice.edit("Project:Old", "{{Program|name=Old|start=2020-01-01|end=2020-01-31|organizers=Alice}}")
    alice.edit("Project:Now", f"{{{{Program|name=Now|start={today}|end={today + timedelta(days=3)}}}}}")
    first = {r.title: r for r in run_update(settings, store, utcnow())}
    assert set(first) == {"Dev Wiki:Old", "Dev Wiki:Now"}
    summaries = {s.title: s for s in store.programs()}
    assert summaries["Dev Wiki:Old"].frozen and summaries["Dev Wiki:Old"].next_update is None
    now_next = datetime.strptime(summaries["Dev Wiki:Now"].next_update or "", "%Y-%m-%dT%H:%M:%SZ")
    checked = datetime.strptime(summaries["Dev Wiki:Now"].checked_at, "%Y-%m-%dT%H:%M:%SZ")
    assert now_next - checked == timedelta(minutes=settings.update_interval_minutes)

    # Until its next update the active one waits in the queue; then it is counted, the frozen one is not.
    assert run_update(settings, store, utcnow() + timedelta(seconds=1)) == []
    due = now_next.replace(tzinfo=UTC)
    second = run_update(settings, store, due)
    assert [r.title for r in second] == ["Dev Wiki:Now"]  # the frozen one is not counted again
    old_key = summaries["Dev Wiki:Old"].key
    assert len(store.snapshots(old_key)) == 1

    alice.edit("Project:Old", appendtext="\nA note for the archive.")
    third = run_update(settings, store, due + timedelta(seconds=1))
    assert [r.title for r in third] == ["Dev Wiki:Old"]  # its page changed; Now is due again in an hour
    assert len(store.snapshots(old_key)) == 2
