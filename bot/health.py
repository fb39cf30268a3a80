"""What a Toolforge maintainer asks of a running bot: is everything reachable (``check``), what is it doing
(``status``), and is the continuous job alive (``healthcheck``, the jobs framework's health-check script).

``check`` tries each thing the bot needs with the same code paths the bot uses, and names what fails, so a first
deployment or a broken credential is found in one command rather than in the job's logs an hour later.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.clock import iso
from bot.config import Settings
from bot.i18n import render
from bot.program import public_messages
from bot.replica import Replica
from bot.store import Store

JOB = "pebot-update"
"""The continuous job's name (jobs.yaml); its heartbeat row in the store."""


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str

    def line(self) -> str:
        return f"{'ok  ' if self.ok else 'FAIL'} {self.name}: {self.detail}"


def check(settings: Settings, store: Store | None, now: datetime) -> list[Check]:
    """Every wiki's API (and the bot's rights there), every replica, and the state database, each tried once."""
    from bot import wiki as wiki_access  # pywikibot is configured by then

    results = []
    for name, wiki in sorted(settings.wikis.items()):
        try:
            site = wiki_access.logged_in(wiki_access.site(wiki))
            needed = ["edit", "bot"] if wiki.bot_edits else []
            missing = [right for right in needed if not wiki_access.has_right(site, right)]
            detail = f"API as {site.username()} ({site.siteinfo['generator']})"
            if missing:
                detail += f"; the BotPassword lacks the right(s) {', '.join(missing)}"
            results.append(Check(f"{name} API", not missing, detail))
        except Exception as error:
            results.append(Check(f"{name} API", False, f"{type(error).__name__}: {error}"[:300]))
        if wiki.stats_backend == "replica":
            replica = Replica(wiki, settings)
            try:
                replica.query("stats/ping", {})
                results.append(Check(f"{name} replica", True, f"{wiki.replica.dbname}_p readable"))
            except Exception as error:
                results.append(Check(f"{name} replica", False, f"{type(error).__name__}: {error}"[:300]))
            finally:
                replica.close()
    if store is None:
        results.append(Check("state database", False, "cannot be opened"))
    else:
        try:
            store.beat("check", now, "python -m bot check")
            written = store.heartbeat("check")
            results.append(Check("state database", written is not None, f"{settings.state.engine}, writable"))
        except Exception as error:
            results.append(Check("state database", False, f"{type(error).__name__}: {error}"[:300]))
    return results


def heartbeat_limit(settings: Settings) -> timedelta:
    """How old the heartbeat may be: a whole interval between cycles, plus time for one slow program."""
    interval = timedelta(minutes=settings.update_interval_minutes)
    return max(2 * interval, interval + timedelta(minutes=30))


def healthcheck(settings: Settings, store: Store, now: datetime) -> Check:
    beat = store.heartbeat(JOB)
    if beat is None:
        return Check("heartbeat", False, "the update job has never reported")
    when, state = beat
    age = now - when
    ok = age <= heartbeat_limit(settings)
    return Check("heartbeat", ok, f"{state}, {int(age.total_seconds())} s ago (limit {heartbeat_limit(settings)})")


def status(settings: Settings, store: Store, now: datetime) -> list[str]:
    """A maintainer's summary: the job's heartbeat, each program's last update and problems, the latest failures."""
    lines = [healthcheck(settings, store, now).line(), ""]
    queue = {entry.key: entry for entry in store.queue()}
    running = [entry for entry in queue.values() if entry.lease_until > now]
    due = [entry for entry in queue.values() if entry.due_at <= now and entry.lease_until <= now]
    runs = store.update_runs(now - timedelta(hours=1))
    lines.append(f"queue: {len(queue)} program(s), {len(due)} due now, {len(running)} being updated; last hour: "
                 f"{len(runs)} update(s), {sum(1 for *_rest, ok in runs if not ok)} failed")  # fmt: skip
    for held in running:
        lines.append(f"  updating {held.key} ({held.lease_owner}, lease until {iso(held.lease_until)})")
    lines.append("")
    programs = store.programs()
    lines.append(f"{len(programs)} program(s); {sum(1 for p in programs if not p.ok)} need attention")
    for program in programs:
        flag = "ok  " if program.ok else "FAIL"
        problems = f", {len(program.messages)} problem(s)" if program.messages else ""
        queued = queue.get(program.key)
        planned = f"next {iso(queued.due_at)}" if queued else "frozen" if program.frozen else "not queued"
        lines.append(f"  {flag} {program.key} {program.title}: checked {program.checked_at}, numbers of "
                     f"{program.updated_at or 'never'}, {planned}{problems}")  # fmt: skip
    failures = [e for e in store.edit_log(max_rows=200) if e.outcome not in ("saved", "no_change", "would_save")]
    lines.append("")
    lines.append(f"latest edits not made ({len(failures[:10])} of the last 200 attempts shown):")
    for entry in failures[:10]:
        lines.append(f"  {entry.logged_at} {entry.wiki} {entry.page} [{entry.kind}]: {entry.outcome} {entry.detail}")
    if any(not p.ok for p in programs):
        lines.append("")
        lines.append("problems:")
        for program in (p for p in programs if not p.ok):
            for message in public_messages(program.messages, program.private)[:5]:
                lines.append(f"  {program.key}: {render('en', message)}"[:300])
    return lines
