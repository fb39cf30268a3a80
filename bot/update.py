"""The main job: for every configured wiki, read its campaign and program pages, count, store, write back.

Data flows one way: wiki page (+ its history) -> Program -> ProgramStats -> stored snapshot -> wikitext -> guarded
publisher. A program that fails at any step is recorded with a message for its organizer, and the run goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from bot.campaign_page import fold_campaign, trusted_campaign
from bot.campaign_report import campaign_params
from bot.clock import iso
from bot.config import Settings, WikiConfig
from bot.edit_outcome import EditOutcome
from bot.edits import CampaignReportEdit, Edit, EnrolmentEdit, OutcomeEdit, ReportEdit, TalkNoticeEdit
from bot.exports import PRIVATE_MINIMUM
from bot.goals import goals_wikitext
from bot.goals import progress as goal_progress
from bot.i18n import render
from bot.metrics import ProgramMetrics
from bot.organizer_tools import run_organizer_tools
from bot.program import EditType, Message, Program, ProgramPageError, ProgramType, SignupStatus, public_messages
from bot.program_page import PageContext, program_params
from bot.program_reader import build_program
from bot.publisher import publish, record
from bot.queue import Drained, drain, plan, worker_name
from bot.render import outcome_params, participants_block
from bot.replica import Replica
from bot.stats import backend_label, program_metrics
from bot.store import QueueEntry, Store
from bot.tiers import next_update as next_run
from bot.wiki import (
    Page,
    Site,
    admins_from_page,
    embedded_pages,
    missing_users,
    page_revisions,
    site,
    user_prefixes,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ProgramResult:
    wiki: str
    title: str
    ok: bool
    messages: tuple[Message, ...]
    edit: EditOutcome | None
    report: EditOutcome | None = None
    next_update: datetime | None = None
    """When its tier has it counted again (None: frozen, or not known after a failure)."""
    frozen: bool = False


@dataclass
class NoticeBudget:
    """Talk-page notices left in this run: nothing on a page decides how many pages the bot edits."""

    left: int


@dataclass(frozen=True)
class WikiRun:
    """What one wiki's part of an update shares: its settings, how to read its pages, and who is trusted."""

    wiki: WikiConfig
    settings: Settings
    context: PageContext
    admins: frozenset[str]
    store: Store
    replicas: dict[str, Replica]
    now: datetime
    notices: NoticeBudget
    dry_run: bool = False

    def publish(self, edit: Edit, *, allowed: bool = True) -> EditOutcome:
        outcome = publish(edit, settings=self.settings, store=self.store, allowed=allowed, dry_run=self.dry_run,
                          now=self.now)  # fmt: skip
        if outcome.code == "would_save":
            print(f"--- {edit.wiki.name}: {edit.kind} on {edit.title}: would save\n{outcome.detail}")
        elif self.dry_run:
            print(f"--- {edit.wiki.name}: {edit.kind} on {edit.title}: {render('en', outcome.message)}")
        return outcome


def _report(run: WikiRun, page: Page, key: str, messages: tuple[Message, ...], private: bool) -> EditOutcome:
    """The organizers' report goes to the talk page of the program page, and only there."""
    talk = page.toggleTalkPage()
    shown = public_messages(messages, private)
    edit = ReportEdit(run.wiki, talk.title(), key, program_title=page.title(), messages=shown, when=iso(run.now))
    return run.publish(edit)


def update_program(run: WikiRun, page: Page) -> ProgramResult:
    title, key = page.title(), f"{run.wiki.name}:{page.pageid}"
    if page.isTalkPage():
        # A program in a talk namespace would have its report written on the subject page, an article: refused.
        return _refused(run, key, title, (Message("problem-program-in-talk"),))
    state = run.store.trust_state(key)
    # Re-read the history only when the page changed since the last run.
    new = [] if page.latest_revision_id == state.last_revid else page_revisions(page, state.last_revid)
    wiki_site = site(run.wiki)
    program, state = build_program(
        page_id=page.pageid,
        title=title,
        context=run.context,
        state=state,
        new_revisions=new,
        admins=run.admins,
        missing_users=lambda names: missing_users(wiki_site, names),
    )
    run.store.record_trust_state(key, state)
    if isinstance(program, ProgramPageError):
        # Only a page that holds {{Program}} gets a report on its talk page: a page that merely transcludes it
        # through something else is not the organizers' page, and the site shows its problem instead.
        has_template = program_params(page.text, run.wiki.templates)[1] > 0
        report = _report(run, page, key, program.messages, private=False) if has_template else None
        return _refused(run, key, title, program.messages, report)

    definition = program.definition
    metrics, notes = program_metrics(program, run.settings, run.replicas, run.now, store=run.store)
    messages = program.messages + notes
    run.store.record_program(program)
    # A private program with few participants publishes no per-day figures, so no "reached on" day either.
    days_published = not definition.private or metrics.participants >= PRIVATE_MINIMUM
    goals = goal_progress(definition.goals, metrics, days_published=days_published)
    run.store.record_snapshot(program, metrics, run.now, backend=backend_label(program, run.settings), goals=goals)
    run.store.prune_snapshots(program.key, run.now - SNAPSHOT_DETAIL)
    next_update = next_run(definition.window, run.now, run.settings)
    types = definition.edit_types
    # A private program publishes no usernames: its table is removed if an earlier public version left one.
    show_table = EditType.PARTICIPANTS in types and not definition.private
    outcome = OutcomeEdit(
        run.wiki, title, key, program_title=title,
        params=outcome_params(metrics, definition, run.now, next_update, run.settings.glossary_url, program.held,
                              site_page=f"{run.settings.site_url}/program/{key}",
                              goals=goals_wikitext(run.wiki.language, goals)),
        participants=participants_block(run.wiki.templates.participants, metrics, program.participants)
        if show_table else None,
        numbers=(metrics.participants, metrics.total.edits, metrics.total.articles_edited),
    )  # fmt: skip
    edit = run.publish(outcome, allowed=definition.bot_edits and EditType.OUTCOME in types)
    if definition.bot_edits and not definition.private:
        messages += _publish_notices(run, page, program, metrics)
    report = _report(run, page, key, messages, definition.private) if definition.bot_edits else None
    run.store.record_status(
        key=key, wiki=run.wiki.name, title=title, checked_at=run.now, ok=True, messages=messages,
        edit_outcome=edit.message, next_update=next_update, frozen=next_update is None,
    )  # fmt: skip
    return ProgramResult(run.wiki.name, title, True, messages, edit, report, next_update, next_update is None)


def _refused(
    run: WikiRun, key: str, title: str, messages: tuple[Message, ...], report: EditOutcome | None = None
) -> ProgramResult:
    run.store.record_status(
        key=key, wiki=run.wiki.name, title=title, checked_at=run.now, ok=False,
        messages=messages, edit_outcome=Message("outcome-not-published"),
    )  # fmt: skip
    return ProgramResult(run.wiki.name, title, False, messages, None, report)


def _publish_notices(run: WikiRun, page: Page, program: Program, metrics: ProgramMetrics) -> tuple[Message, ...]:
    """Enrolment notices and article talk-page notices, each only when the program's edit_types allow it.

    Enrolment goes only to participants who signed themselves up (nobody can have the bot write on the user page
    of an account they merely listed); talk notices stop at the per-program and per-run caps."""
    types, key = program.definition.edit_types, program.key
    if EditType.ENROLMENT in types:
        for person in program.participants:
            if person.status is SignupStatus.CONFIRMED and person.added_by == person.username:
                user_page = Page(page.site, person.username, ns=2).title()
                run.publish(EnrolmentEdit(run.wiki, user_page, key, program.title, program=program))
    if EditType.TALK_NOTICE not in types:
        return ()
    per_program = run.settings.talk_notices_per_program
    capped = False
    for wiki, namespace, title in metrics.by_article:
        if wiki != run.wiki.name or namespace != 0:
            continue
        talk = Page(page.site, title.replace("_", " "), ns=1).title()
        edit = TalkNoticeEdit(run.wiki, talk, key, program.title, program=program)
        if per_program <= 0 or run.notices.left <= 0:
            record(edit, EditOutcome("capped", detail=f"{run.settings.talk_notices_per_program}/program, "
                                     f"{run.settings.talk_notices_per_run}/run"), run.store, run.now)  # fmt: skip
            capped = True
            continue
        if run.publish(edit).saved:
            per_program -= 1
            run.notices.left -= 1
    limits = (str(run.settings.talk_notices_per_program), str(run.settings.talk_notices_per_run))
    return (Message("problem-notices-capped", limits),) if capped else ()


def _update_campaigns(run: WikiRun) -> bool:
    """Each campaign page, through its trusted history (only its creator, organizers and admins define it); whether
    any campaign page had new revisions."""
    changed = False
    for page in embedded_pages(run.wiki, run.wiki.templates.campaign):
        if page.isTalkPage() or page.namespace() in TEMPLATE_NAMESPACES:
            continue
        key = f"campaign:{run.wiki.name}:{page.pageid}"
        state = run.store.trust_state(key)
        new = [] if page.latest_revision_id == state.last_revid else page_revisions(page, state.last_revid)
        changed = changed or bool(new)
        state = fold_campaign(state, new, context=run.context, admins=run.admins)
        run.store.record_trust_state(key, state)
        campaign = trusted_campaign(state, page_id=page.pageid, title=page.title(), context=run.context)
        if campaign is not None:
            accepted = tuple(filter(None, (_canonical_title(page.site, title) for title in campaign.accepted)))
            run.store.record_campaign(replace(campaign, accepted=accepted), run.now)
    return changed


def _canonical_title(wiki_site: Site, title: str) -> str | None:
    """The title as the wiki writes it (localized namespace, first letter), as program titles are stored."""
    try:
        return str(Page(wiki_site, title).title())
    except Exception:  # not a valid title: it accepts nothing
        return None


def update_campaign_reports(run: WikiRun) -> None:
    """After every wiki's programs: each campaign page of this wiki gets its programs and summed numbers."""
    programs = run.store.programs()
    pages = {page.pageid: page for page in embedded_pages(run.wiki, run.wiki.templates.campaign)}
    for campaign in run.store.campaigns():
        page = pages.get(int(campaign.key.split(":", 1)[1])) if campaign.wiki == run.wiki.name else None
        if page is None or page.isTalkPage():
            continue
        params = campaign_params(run.store, campaign, programs, run.now, run.wiki.language)
        run.publish(CampaignReportEdit(run.wiki, page.title(), campaign.key, page.title(), params=params))


def _log(result: ProgramResult) -> None:
    """Counts and outcomes only: messages can name participants of private programs."""
    edit = render("en", result.edit.message) if result.edit else "not published"
    log.info("%s %s: %s, %d message(s)", result.wiki, result.title, edit, len(result.messages))


SNAPSHOT_DETAIL = timedelta(days=30)
"""Every snapshot of the last 30 days is kept; older ones, the last of each day."""

TEMPLATE_NAMESPACES = frozenset({10, 828})
"""Template and Module pages transclude {{Program}} without being programs."""


class InfrastructureError(Exception):
    """No wiki of the update could be read: the cycle failed for reasons outside the programs."""


def run_update(
    settings: Settings,
    store: Store,
    now: datetime,
    only_wikis: Iterable[str] | None = None,
    *,
    only_program: str | None = None,
    dry_run: bool = False,
    on_progress: Callable[[str], None] | None = None,
    clock: Callable[[], datetime] | None = None,
    on_drained: Callable[[Drained], None] | None = None,
) -> list[ProgramResult]:
    """One tick: read every program page, queue the programs that are due (bot/queue.py), then work the queue with
    the other workers until nothing due is left; then the campaign reports. ``only_program`` (by title) and
    ``dry_run`` (saves nothing on any wiki and prints what it would save) bypass the queue. ``clock`` is the real
    time of each program's update and of leases (default: ``now`` throughout, as tests want); ``on_progress`` hears
    of each program done (the job's heartbeat), ``on_drained`` of how the queue's drain ended (the job starts the
    next tick at once when programs it updated are due again). Raises :class:`InfrastructureError` when no wiki
    could be read."""
    store.ensure_connected()
    replicas = {name: Replica(config, settings) for name, config in settings.wikis.items()}
    results: list[ProgramResult] = []
    runs: dict[str, tuple[WikiRun, dict[int, Page]]] = {}
    wanted = list(only_wikis or settings.wikis)
    notices = NoticeBudget(settings.talk_notices_per_run)
    campaigns_changed = False

    def done(result: ProgramResult) -> ProgramResult:
        results.append(result)
        if on_progress is not None:
            on_progress(f"updated {result.wiki} {result.title}")
        return result

    try:
        for name in wanted:
            wiki = settings.wiki(name)
            try:
                wiki_site = site(wiki)
                admins = settings.admins
                if settings.admins_page:
                    admins |= admins_from_page(wiki_site, settings.admins_page)
                context = PageContext(wiki=wiki, wikis=settings.wikis, user_prefixes=user_prefixes(wiki_site),
                                      max_tracking_days=settings.max_tracking_days)  # fmt: skip
                run = WikiRun(wiki, settings, context, admins, store, replicas, now, notices, dry_run)
                campaigns_changed |= _update_campaigns(run)
                defaults = {
                    c.name: c.default_type for c in store.campaigns() if c.default_type is not ProgramType.BASIC
                }
                run = replace(run, context=replace(context, campaign_types=defaults))
                # A template that wraps {{Program}} is a tool of the organizers, not a program.
                pages = [
                    p for p in embedded_pages(wiki, wiki.templates.program) if p.namespace() not in TEMPLATE_NAMESPACES
                ]
                runs[name] = (run, {page.pageid: page for page in pages})
            except Exception:  # a wiki that is down (or answers nonsense) must not stop the other wikis
                log.exception("cannot read the program pages of %s; the other wikis go on", name)
                continue
            for page in pages:
                if only_program or dry_run:
                    if not only_program or page.title() == only_program:
                        done(_update_one(run, page))
                    continue
                key = f"{name}:{page.pageid}"
                plan(store, settings, key=key, wiki=name, page_id=page.pageid, page_revid=page.latest_revision_id,
                     now=now)  # fmt: skip
        if runs and not (only_program or dry_run):
            drained = _work(settings, store, runs, clock or (lambda: now), done)
            if on_drained is not None:
                on_drained(drained)
            # Organizer tools asked for on program subpages (Article Finder, invitation list), after the programs
            # they belong to are up to date; each answers only a changed, trusted request (bot/organizer_tools.py).
            for wiki_run, program_pages in runs.values():
                run_organizer_tools(replace(wiki_run, now=(clock or (lambda: now))()), program_pages)
        # Campaign reports follow their programs: a tick that counted nothing and saw no campaign page change has
        # nothing new to say (ticks come every minute; the reports' pages need not be read that often).
        for run, _pages in runs.values() if results or campaigns_changed else ():
            try:
                update_campaign_reports(run)
            except Exception:
                log.exception("campaign reports on %s failed; the programs are updated", run.wiki.name)
    finally:
        for replica in replicas.values():
            replica.close()
    if wanted and not runs:
        raise InfrastructureError(f"no wiki could be read: {', '.join(wanted)}")
    return results


def _work(
    settings: Settings,
    store: Store,
    runs: dict[str, tuple[WikiRun, dict[int, Page]]],
    clock: Callable[[], datetime],
    done: Callable[[ProgramResult], ProgramResult],
) -> Drained:
    """This process as one worker of the queue, for the wikis it could read this tick."""

    def update(entry: QueueEntry, started: datetime) -> tuple[bool, datetime | None] | None:
        run, pages = runs[entry.wiki]
        page = pages.get(entry.page_id)
        if page is None:  # no longer a program page (template removed, page deleted)
            return None
        result = done(_update_one(replace(run, now=started), page))
        if not result.ok or (result.edit is not None and result.edit.worth_retrying):
            return result.ok, started  # a failed try is due again at once: at the next tick (bot/tiers.py)
        return True, result.next_update

    return drain(store, settings, wikis=list(runs), owner=worker_name(), clock=clock, update=update)


def _update_one(run: WikiRun, page: Page) -> ProgramResult:
    name = run.wiki.name
    try:
        result = update_program(run, page)
    except Exception as error:  # one broken program must never stop the others
        log.exception("program %s on %s failed", page.title(), name)
        message = Message("problem-internal", (type(error).__name__,))
        try:
            _refused(run, f"{name}:{page.pageid}", page.title(), (message,))
        except Exception:  # the store itself is gone: the next program (or the next cycle) reconnects
            log.exception("could not record the failure of %s", page.title())
        result = ProgramResult(name, page.title(), False, (message,), None)
    _log(result)
    return result
